"""A chart for the presentation view: large type for a room (every text at least 18 px), no chart title
(the slide has one), and the chart filling its stage.
"""

from __future__ import annotations

#: Smallest type on a projector (px at 1280×720): read from the back of a workshop room.
PROJECTOR_FONT = 18


_FONT_KEYS = ("fontSize", "labelFontSize", "titleFontSize")


def for_projector(spec: dict, *, min_font: int = PROJECTOR_FONT, fill: bool = True) -> dict:
    """A chart spec for the presentation view: every text at least ``min_font`` px (axis and legend
    labels, titles, text marks, facet headers), no chart title (the slide has one), and — with ``fill`` —
    the chart as wide and as tall as its container (single and layered views; a concatenation keeps its
    panels' sizes, which the caller sets)."""

    def grown(node: object) -> object:
        if isinstance(node, dict):
            return {k: (max(v, min_font) if k in _FONT_KEYS and isinstance(v, (int, float)) else grown(v))
                    for k, v in node.items() if not (k == "title" and isinstance(v, dict) and "text" in v)}
        if isinstance(node, list):
            return [grown(v) for v in node]
        return node

    out = grown(spec)
    out.pop("title", None)
    config = out.setdefault("config", {})
    for part in ("axis", "legend", "header"):
        config[part] = {**config.get(part, {}), "labelFontSize": min_font, "titleFontSize": min_font,
                        "labelLimit": 360}
    config["text"] = {**config.get("text", {}), "fontSize": min_font}
    config["legend"]["symbolSize"] = 220
    if fill and not any(k in out for k in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        out["width"], out["height"] = "container", "container"
        out["autosize"] = {"type": "fit", "contains": "padding"}
    return out
