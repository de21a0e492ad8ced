"""Where Vega draws a chart's marks: the scenegraph of a Vega-Lite spec (``vl_convert``), flattened to
absolute positions, so that tests can assert what a reader sees (labels drawn, their size, points on
their ticks) rather than what the spec asks for."""

from __future__ import annotations

from dataclasses import dataclass

import vl_convert as vlc


@dataclass(frozen=True)
class Drawn:
    """One drawn item: its mark type and role (``mark``, ``axis-label``, ``legend-label``, …), the name of
    its mark, its absolute position, and its text and font size where it is text."""

    marktype: str
    role: str
    name: str
    x: float
    y: float
    text: str = ""
    font_size: float = 0.0
    width: float = 0.0
    height: float = 0.0


def drawn(spec: dict) -> list[Drawn]:
    """Every leaf item of the chart's scenegraph, in drawing order."""
    out: list[Drawn] = []

    def walk(node: dict, dx: float, dy: float, role: str, name: str) -> None:
        for item in node.get("items", []):
            marktype = node.get("marktype", "")
            x, y = dx + float(item.get("x", 0) or 0), dy + float(item.get("y", 0) or 0)
            if marktype == "group":
                for child in item.get("items", []):
                    walk(child, x, y, child.get("role", role), child.get("name") or name)
            else:
                text = item.get("text", "")
                out.append(Drawn(marktype, node.get("role", role), node.get("name") or name, x, y,
                                 " ".join(text) if isinstance(text, list) else str(text),
                                 float(item.get("fontSize", 0) or 0), float(item.get("width", 0) or 0),
                                 float(item.get("height", 0) or 0)))

    walk(vlc.vegalite_to_scenegraph(spec)["scenegraph"], 0.0, 0.0, "", "")
    return out
