"""Chart builders: each takes a tidy DataFrame (or plain values) and returns an ``alt.Chart``.

Pages only call these and render. This module holds what every chart shares (palette, levels' styles, tooltip
titles, ``layered``) and the gap model picture, radar, items, importance-performance and driver charts; the
waterfall, the segment charts and the projector's rules have their own modules.

In detail: chart builders (Altair only, no Streamlit; in `gapcore` so the CLI and exports draw the same charts as
the pages): tidy frame in, `alt.Chart` out — gap model picture, radar (coordinates computed: Vega-Lite has no polar
marks; a study of one or two dimensions gets `dimension_dots`, its figures as dots on the scale with the zone as a
bar, since two spokes enclose no shape — the deck's native chart follows, `RADAR_MIN_SPOKES`), zone band, dumbbell,
importance-performance, waterfall (bar start/end computed in pandas), coefficients with CIs, key-driver shares.
Okabe-Ito colours; expectation dashed/circles, perception solid/squares (`LEVEL_STYLE`); `figure_tooltips` and
`tip_titles` title every chart's figures in the reader's words (`tests/test_charts.py`: no untitled tooltip field,
EN/KO/ZH). Every encoding is a typed channel, never text or a dict (Altair rebuilds those through `from_dict`,
hashing every schema class). Layers are joined by `layered` (`FreshLayers`), not `alt.layer`. An order or an extent
that follows the figures travels in the data (`ROW_ORDER`), so a filter changes a chart's data, not its spec.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import altair as alt
import pandas as pd
from altair.utils import Undefined
from altair.vegalite.v6 import api as altair_api

from gapcore.i18n import t

FONT = "Noto Sans CJK KR, Noto Sans CJK SC, Noto Sans, sans-serif"
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

# Box positions of the gap model picture (x, y of the box centre; customer side above the line).
_BOXES = {"E": (2.0, 4.0), "P": (2.0, 2.6), "D": (2.0, 1.0), "C": (6.4, 1.0), "S": (2.0, -0.4),
          "M": (2.0, -1.8)}
_HALF_WIDTH = 1.75
_LINKS = (("E", "P", "gap_5", 0.55), ("P", "D", "gap_4", -0.55), ("D", "C", "gap_4_promise", None),
          ("D", "S", "gap_3", -0.55), ("S", "M", "gap_2", -0.55), ("E", "M", "gap_1", -1.6))


class FreshLayers(alt.LayerChart):
    """A layered chart whose layers were built for it alone and carry no selection parameters — every
    chart here. Altair's ``LayerChart`` deep-copies each layer twice to merge such parameters, and again on
    every copy of the chart (``to_dict`` copies it), a quarter of the time of building a radar; here the
    layers are joined as they are. Data shared by every layer (the same frame) and sizes given on a layer are
    still lifted to the chart as Altair does, without the hash Altair takes of each layer as it lifts the data
    (the frame printed as text, 2–3 ms a layer, to name views that carry parameters); a chart with parameters
    takes Altair's own way. ``tests/test_chart_data.py`` checks every chart's spec is the one ``alt.layer`` gives."""

    def __init__(self, data: object = Undefined, layer: tuple | list = (), **kwargs: object) -> None:
        layers = list(layer)
        if any(getattr(part, "params", Undefined) is not Undefined for part in layers) or (
                kwargs.get("params", Undefined) is not Undefined):
            super().__init__(data=data, layer=layers, **kwargs)
            return
        for part in layers:
            altair_api._check_if_valid_subspec(part, "LayerChart")
            altair_api._check_if_can_be_layered(part)
        super(alt.LayerChart, self).__init__(data=data, layer=layers, **kwargs)
        top = self.data is not Undefined  # Altair's rule: the chart's frame, or the one frame of every layer
        shared = self.data if top else layers[0].data if layers else Undefined
        if shared is not Undefined and all(part.data is shared or (top and part.data is Undefined) for part in layers):
            self.data, self.layer = shared, [part.copy(deep=False) for part in layers]
            for part in self.layer:
                part.data = Undefined
        lifted, self.layer = altair_api._remove_layer_props(self, self.layer, ("height", "width", "view"))
        for prop, value in lifted.items():
            self[prop] = value


#: The field that carries the order rows are drawn in. A chart whose order is written into its spec (a list
#: of labels) has a new spec for every filter, and the browser builds a new view for it; with the order in
#: the data the spec stays the same and the browser only swaps the data.
ROW_ORDER = "row_order"
IN_ROW_ORDER = alt.EncodingSortField(field=ROW_ORDER, op="min")


def with_row_order(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its rows' position as ``ROW_ORDER``: an axis sorted by ``IN_ROW_ORDER`` lists the rows
    in the frame's order."""
    return frame.assign(**{ROW_ORDER: range(len(frame))})


def layered(*charts: alt.Chart | alt.LayerChart, **kwargs: object) -> alt.LayerChart:
    """``alt.layer`` for charts built here (no facet encodings to hoist): see ``FreshLayers``."""
    return FreshLayers(layer=charts, **kwargs)


def gap_model_frames(lang: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tidy frames for the gap model picture: boxes, connectors and gap labels."""
    boxes = pd.DataFrame([{"level": k, "x": x, "y": y, "label": t(f"level_{k}", lang),
                           "side": t("side_customer" if k in "EP" else "side_provider", lang)}
                          for k, (x, y) in _BOXES.items()])
    segments, labels = [], []
    for start, end, gap, offset in _LINKS:
        (x1, y1), (x2, y2) = _BOXES[start], _BOXES[end]
        if start == "E" and end == "M":  # gap 1 runs down the left side, around the other boxes
            side = _HALF_WIDTH + 0.35
            path = [(x1 - _HALF_WIDTH, y1), (x1 - side, y1), (x2 - side, y2), (x2 - _HALF_WIDTH, y2)]
            label_at, align = (x1 - side - 0.05, (y1 + y2) / 2), "right"
        elif offset is None:  # delivery ↔ promises: horizontal, labelled under the promises box
            path = [(x1 + _HALF_WIDTH, y1), (x2 - _HALF_WIDTH, y2)]
            label_at, align = (x2 - _HALF_WIDTH + 0.1, y2 - 0.62), "left"
        else:
            path = [(x1, y1 - 0.35), (x2, y2 + 0.35)]
            label_at, align = (x1 + 0.12, (y1 + y2) / 2), "left"
        for order, (x, y) in enumerate(path):
            segments.append({"gap": f"{gap}:{start}{end}", "order": order, "x": x, "y": y})
        labels.append({"gap": t(gap, lang), "x": label_at[0], "y": label_at[1], "align": align})
    return boxes, pd.DataFrame(segments), pd.DataFrame(labels)


def gap_model_picture(lang: str) -> alt.Chart:
    """The five gaps as a diagram: customer boxes above the line, company boxes below."""
    boxes, links, labels = gap_model_frames(lang)
    scale_x = alt.Scale(domain=[-2.6, 8.4])
    scale_y = alt.Scale(domain=[-2.6, 4.8])
    x = alt.X("x:Q", scale=scale_x, axis=None)
    y = alt.Y("y:Q", scale=scale_y, axis=None)
    divider = alt.Chart(pd.DataFrame({"y": [1.8]})).mark_rule(strokeDash=[6, 4], color="#777").encode(
        y=alt.Y("y:Q", scale=scale_y, axis=None))
    side_labels = alt.Chart(pd.DataFrame([
        {"x": 8.3, "y": 2.1, "text": t("side_customer", lang)},
        {"x": 8.3, "y": 1.5, "text": t("side_provider", lang)},
    ])).mark_text(align="right", fontSize=12, color="#555", font=FONT).encode(x=x, y=y, text=alt.Text("text:N"))
    rects = alt.Chart(boxes).mark_rect(cornerRadius=6, stroke="#333", strokeWidth=1.2).encode(
        x=alt.X("x1:Q", scale=scale_x, axis=None), x2=alt.X2("x2:Q"),
        y=alt.Y("y1:Q", scale=scale_y, axis=None), y2=alt.Y2("y2:Q"),
        color=alt.Color("side:N", scale=alt.Scale(domain=[t("side_customer", lang), t("side_provider", lang)],
                                                  range=["#DCEBF7", "#FCE9CF"]), legend=None),
    ).transform_calculate(x1=f"datum.x - {_HALF_WIDTH}", x2=f"datum.x + {_HALF_WIDTH}", y1="datum.y - 0.35",
                          y2="datum.y + 0.35")
    texts = alt.Chart(boxes).mark_text(fontSize=12, font=FONT, color="#111").encode(x=x, y=y, text=alt.Text("label:N"))
    lines = alt.Chart(links).mark_line(color="#D55E00", strokeWidth=2).encode(
        x=x, y=y, detail=alt.Detail("gap:N"), order=alt.Order("order:Q"))
    gap_texts = layered(*[
        alt.Chart(labels[labels["align"] == align]).mark_text(
            fontSize=12, fontWeight="bold", color="#D55E00", font=FONT, align=align,
            dx={"left": 4, "right": -4, "center": 0}[align],
        ).encode(x=x, y=y, text=alt.Text("gap:N"))
        for align in ("left", "right", "center")
    ])
    return layered(divider, side_labels, rects, lines, texts, gap_texts,
        width="container", height=420, title=alt.TitleParams(t("diagram_title", lang), font=FONT)
    ).configure_view(stroke=None)


# ---------------------------------------------------------------------------------------------------
# Dimensions: radar, dumbbell, importance-performance

EXPECTATION_COLOR, PERCEPTION_COLOR, BAND_COLOR = "#0072B2", "#D55E00", "#CCCCCC"
SEGMENT_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")


RADAR_REACH = 1.32  # the plot's half-width in radii: room for the spoke labels at 1.16, no more
#: A radar encloses a shape from three spokes on: a study of one or two dimensions gets dots on the scale.
RADAR_MIN_SPOKES = 3


def _angle(index: int, count: int) -> float:
    """Angle of axis ``index`` of ``count``, the first at the top, clockwise."""

    return math.pi / 2 - 2 * math.pi * index / count


def radar_frames(levels: pd.DataFrame, *, low: float, high: float, labels: dict[str, str]
                 ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Tidy frames for a radar: ``shapes`` (series, dimension, value, x, y, order; each series closed),
    ``rings`` (value, x, y, order) and ``spokes`` (dimension label, x, y at the rim and outside it).

    ``levels`` has one row per (series, dimension) with ``value``; radius = (value − low)/(high − low).
    """

    dims = list(dict.fromkeys(levels["dimension"]))
    count = len(dims)
    span = high - low
    shapes = []
    for series, group in levels.groupby("series", sort=False):
        by_dim = group.set_index("dimension")
        for order, dim in enumerate([*dims, dims[0]]):
            row = by_dim.loc[dim]
            radius = (float(row["value"]) - low) / span
            angle = _angle(dims.index(dim), count)
            shapes.append({"series": series, "dimension": labels.get(dim, dim), "value": float(row["value"]),
                           "x": radius * math.cos(angle), "y": radius * math.sin(angle), "order": order,
                           **{k: row[k] for k in row.index if k not in ("series", "value")}})
    ring_values = [low + span * f for f in (0.25, 0.5, 0.75, 1.0)]
    rings = [{"value": v, "x": ((v - low) / span) * math.cos(_angle(i % count, count)),
              "y": ((v - low) / span) * math.sin(_angle(i % count, count)), "order": i}
             for v in ring_values for i in range(count + 1)]
    spokes = [{"dimension": labels.get(d, d), "x": math.cos(_angle(i, count)), "y": math.sin(_angle(i, count)),
               "lx": 1.16 * math.cos(_angle(i, count)), "ly": 1.12 * math.sin(_angle(i, count))}
              for i, d in enumerate(dims)]
    return pd.DataFrame(shapes), pd.DataFrame(rings), pd.DataFrame(spokes)


def zone_band_frame(band: pd.DataFrame, *, dims: list[str], low: float, high: float) -> pd.DataFrame:
    """Per dimension, the segment of its spoke from the adequate level to the desired level."""

    rows = []
    by_dim = band.set_index("dimension")
    for index, dim in enumerate(dims):
        if dim not in by_dim.index:
            continue
        angle = _angle(index, len(dims))
        r_low = (float(by_dim.at[dim, "low"]) - low) / (high - low)
        r_high = (float(by_dim.at[dim, "high"]) - low) / (high - low)
        rows.append({"dimension": dim, "low": float(by_dim.at[dim, "low"]), "high": float(by_dim.at[dim, "high"]),
                     "x": r_low * math.cos(angle), "y": r_low * math.sin(angle),
                     "x2": r_high * math.cos(angle), "y2": r_high * math.sin(angle)})
    return pd.DataFrame(rows)


def radar_chart(levels: pd.DataFrame, *, low: float, high: float, labels: dict[str, str], title: str,
                series_labels: dict[str, str], band: pd.DataFrame | None = None, size: int = 380,
                tooltip: Mapping[str, str] | None = None, value_title: str = "",
                ring_labels: bool = True) -> alt.LayerChart:
    """Expectation and perception (or several segments' perceptions) as closed shapes on the scale.

    ``tooltip``: the figures each point's tooltip adds (column → title); ``value_title``: the point's value.

    ``band`` (optional): rows (dimension, low, high) for the zone of tolerance, adequate to desired.
    ``ring_labels``: the scale values on the rings (small multiples leave them to the main radar, where
    they would sit on the shapes).
    """
    if levels["dimension"].nunique() < RADAR_MIN_SPOKES:
        return dimension_dots(levels, low=low, high=high, labels=labels, title=title, series_labels=series_labels,
                              band=band, tooltip=tooltip, value_title=value_title, width=size)
    shapes, rings, spokes = radar_frames(levels, low=low, high=high, labels=labels)
    domain = alt.Scale(domain=[-RADAR_REACH, RADAR_REACH])
    x = alt.X("x:Q", scale=domain, axis=None)
    y = alt.Y("y:Q", scale=domain, axis=None)
    series_order = list(series_labels)
    shapes["series_label"] = shapes["series"].map(series_labels)
    colors = series_colors(series_order)
    color = alt.Color("series_label:N", scale=alt.Scale(domain=[series_labels[s] for s in series_order],
                                                        range=colors), title=None,
                      legend=alt.Legend(orient="top", labelFont=FONT, labelFontSize=13, symbolType="stroke",
                                        symbolStrokeWidth=3, symbolSize=300, labelLimit=260))
    dash = alt.StrokeDash("series_label:N", scale=alt.Scale(domain=[series_labels[s] for s in series_order],
                                                            range=series_dashes(series_order)),
                          title=None)  # merged with the colour legend: a dashed or solid line per series
    layers = []
    if band is not None and not band.empty:
        layers.append(alt.Chart(zone_band_frame(band, dims=list(dict.fromkeys(levels["dimension"])), low=low,
                                                high=high)).mark_rule(strokeWidth=11, opacity=0.5, color=BAND_COLOR,
                                                                      strokeCap="round").encode(
            x=alt.X("x:Q", scale=domain, axis=None), y=alt.Y("y:Q", scale=domain, axis=None), x2=alt.X2("x2:Q"),
            y2=alt.Y2("y2:Q")))
    ring_marks = alt.Chart(rings).mark_line(color="#BBBBBB", strokeWidth=0.8).encode(
        x=x, y=y, detail=alt.Detail("value:N"), order=alt.Order("order:Q"))
    # the scale values beside the top spoke, on a white halo so that a shape crossing them leaves them legible
    ring_text = alt.Chart(rings[rings["order"] == 0]).mark_text(
        align="left", dx=5, dy=-1, fontSize=12, color="#555", stroke="white", strokeWidth=3, strokeOpacity=0.9
    ).encode(x=x, y=y, text=alt.Text("value:Q", format=".3~g"))
    ring_text_fill = alt.Chart(rings[rings["order"] == 0]).mark_text(
        align="left", dx=5, dy=-1, fontSize=12, color="#555").encode(x=x, y=y, text=alt.Text("value:Q", format=".3~g"))
    spoke_marks = alt.Chart(spokes).mark_rule(color="#BBBBBB", strokeWidth=0.8).encode(
        x=alt.X("zero:Q", scale=domain, axis=None), y=alt.Y("zero_y:Q", scale=domain, axis=None), x2=alt.X2("x:Q"),
        y2=alt.Y2("y:Q"),
    ).transform_calculate(zero="0", zero_y="0")
    spoke_labels = alt.Chart(spokes).mark_text(fontSize=13, font=FONT, color="#222").encode(
        x=alt.X("lx:Q", scale=domain, axis=None), y=alt.Y("ly:Q", scale=domain, axis=None),
        text=alt.Text("dimension:N"))
    tips = [alt.Tooltip("series_label:N", title=""), alt.Tooltip("dimension:N", title=""),
            alt.Tooltip("value:Q", title=value_title or Undefined, format=".2f"), *figure_tooltips(tooltip)]
    lines = alt.Chart(shapes).mark_line(strokeWidth=2.5).encode(
        x=x, y=y, color=color, strokeDash=dash, detail=alt.Detail("series:N"), order=alt.Order("order:Q"))
    points = alt.Chart(shapes).mark_point(filled=True, size=50).encode(
        x=x, y=y, color=color, tooltip=tips)
    layers += [ring_marks, spoke_marks, spoke_labels, lines, points,
               *((ring_text, ring_text_fill) if ring_labels else ())]
    return layered(*layers, width=size, height=size,
                                         title=alt.TitleParams(title, font=FONT, fontSize=13, limit=size + 120))


#: Each level's own style, wherever it is drawn alone or beside the other: expectation blue, dashed, circles;
#: perception vermilion, solid, squares (a perception-only study's perceptions look like perceptions).
LEVEL_STYLE = {"E": (EXPECTATION_COLOR, [6, 3], "circle"), "P": (PERCEPTION_COLOR, [1, 0], "square")}
_SERIES_DASHES = ([6, 3], [1, 0], [2, 2], [8, 2, 2, 2], [4, 4], [1, 0])
_SERIES_SHAPES = ("circle", "square", "triangle-up", "diamond", "cross", "triangle-down")


def _levels_only(series: list[str]) -> bool:
    return bool(series) and all(s in LEVEL_STYLE for s in series)


def series_colors(series: list[str]) -> list[str]:
    """Expectation and perception in their colours, else one colour per segment value."""
    if _levels_only(series):
        return [LEVEL_STYLE[s][0] for s in series]
    return list(SEGMENT_COLORS[: len(series)])


def series_dashes(series: list[str]) -> list[list[int]]:
    """Expectation dashed and perception solid, else one dash pattern per segment value."""
    return [LEVEL_STYLE[s][1] for s in series] if _levels_only(series) else list(_SERIES_DASHES[: len(series)])


def series_shapes(series: list[str]) -> list[str]:
    """Expectation circles and perception squares, else one shape per segment value."""
    return [LEVEL_STYLE[s][2] for s in series] if _levels_only(series) else list(_SERIES_SHAPES[: len(series)])


def tip_titles(lang: str) -> dict[str, str]:
    """Every figure a chart's tooltip shows, titled as the pages' tables title it, in ``lang``: one table, so
    no tooltip says ``ci_low`` or ``shapley``. Self-describing labels (a dimension's name) go untitled."""
    return {"value": t("tip_value", lang), "gap": t("col_gap", lang), "n": "n", "ci_low": t("tip_ci_low_p", lang),
            "ci_high": t("tip_ci_high_p", lang), "coef": t("col_coef", lang), "p_text": "p",
            "shapley": t("col_shapley", lang), "johnson": t("col_johnson", lang),
            "importance": t("importance_axis_short", lang), "performance": t("performance", lang)}


def figure_tooltips(fields: Mapping[str, str] | None) -> list[alt.Tooltip]:
    """Tooltips for a chart's figures, each titled in the reader's words (``fields``: column → title): n a
    whole number, a gap or a step signed, every other figure to two decimals as in the tables."""
    formats = {"n": ",.0f", "gap": "+.2f"}
    return [alt.Tooltip(f"{c}:Q", title=title, format=formats.get(c, ".2f")) for c, title in (fields or {}).items()]


DOT_STEP = 56  # px per dimension row of the dot chart


def dimension_dots(levels: pd.DataFrame, *, low: float, high: float, labels: dict[str, str], title: str,
                   series_labels: dict[str, str], band: pd.DataFrame | None = None,
                   tooltip: Mapping[str, str] | None = None, value_title: str = "", width: int = 600) -> alt.LayerChart:
    """The radar's figures for one or two dimensions: each series a dot per dimension on the scale, a rule
    from the lowest to the highest, the zone of tolerance (``band``: dimension, low, high) as a wide bar."""
    frame = levels.dropna(subset=["value"]).assign(
        dimension_label=lambda f: f["dimension"].map(lambda d: labels.get(d, d)),
        series_label=lambda f: f["series"].map(series_labels))
    order = [labels.get(d, d) for d in dict.fromkeys(levels["dimension"])]
    series = list(series_labels)
    domain = [series_labels[s] for s in series]
    y = alt.Y("dimension_label:N", sort=order, title=None,
              axis=alt.Axis(labelFont=FONT, labelFontSize=13, labelLimit=260, labelOverlap=False))
    scale = alt.Scale(domain=[low, high])
    x = alt.X("value:Q", scale=scale, title=None, axis=alt.Axis(labelFont=FONT, labelFontSize=12))
    span = frame.groupby("dimension_label", sort=False)["value"].agg(["min", "max"]).reset_index()
    layers = []
    if band is not None and not band.empty:
        zone = band.assign(dimension_label=band["dimension"].map(lambda d: labels.get(d, d)))
        layers.append(alt.Chart(zone).mark_rule(strokeWidth=14, opacity=0.5, color=BAND_COLOR).encode(
            y=y, x=alt.X("low:Q", scale=scale), x2=alt.X2("high:Q")))
    layers.append(alt.Chart(span).mark_rule(color="#888", strokeWidth=2).encode(
        y=y, x=alt.X("min:Q", scale=scale), x2=alt.X2("max:Q")))
    tips = [alt.Tooltip("series_label:N", title=""), alt.Tooltip("dimension_label:N", title=""),
            alt.Tooltip("value:Q", title=value_title or Undefined, format=".2f"),
            *figure_tooltips({c: title for c, title in (tooltip or {}).items() if c in frame})]
    layers.append(alt.Chart(frame).mark_point(filled=True, size=140).encode(
        y=y, x=x, tooltip=tips,
        color=alt.Color("series_label:N", scale=alt.Scale(domain=domain, range=series_colors(series)), title=None,
                        legend=alt.Legend(orient="top", labelFont=FONT, labelFontSize=13, labelLimit=260)),
        shape=alt.Shape("series_label:N", scale=alt.Scale(domain=domain, range=series_shapes(series)), title=None)))
    return layered(*layers, width=width, height=alt.Step(DOT_STEP),
                   title=alt.TitleParams(title, font=FONT, fontSize=13, limit=width))


ITEM_STEP = 26  # px per item row: a 12 px label and room between rows


def item_rows() -> alt.Y:
    """The items charts' rows: every item labelled, in the frame's order (``ROW_ORDER``)."""
    return alt.Y("item_label:N", sort=IN_ROW_ORDER, title=None,
                 axis=alt.Axis(labelFont=FONT, labelLimit=360, labelFontSize=12, labelOverlap=False))


def dumbbell_chart(items: pd.DataFrame, *, labels: dict[str, str], low: float, high: float, title: str,
                   series_labels: dict[str, str], lang: str = "en") -> alt.LayerChart:
    """E and P per item joined by a rule; ``items`` has item_label, E, P, gap, n (biggest shortfall first)."""
    items = with_row_order(items)
    long = items.melt(id_vars=["item_label", "gap", "n", ROW_ORDER], value_vars=["E", "P"], var_name="series",
                      value_name="value")
    long["series_label"] = long["series"].map(series_labels)
    y = item_rows()
    x = alt.X("value:Q", scale=alt.Scale(domain=[low, high]), title=labels.get("axis", ""))
    rule = alt.Chart(items).mark_rule(color="#888", strokeWidth=2).encode(
        y=y, x=alt.X("E:Q", scale=alt.Scale(domain=[low, high])), x2=alt.X2("P:Q"))
    points = alt.Chart(long).mark_point(filled=True, size=90).encode(
        y=y, x=x,
        color=alt.Color("series_label:N", scale=alt.Scale(domain=list(series_labels.values()),
                                                          range=[EXPECTATION_COLOR, PERCEPTION_COLOR]),
                        title=None, legend=alt.Legend(orient="top", labelFont=FONT)),
        shape=alt.Shape("series_label:N", scale=alt.Scale(domain=list(series_labels.values()),
                                                          range=["circle", "square"]), title=None),
        tooltip=[alt.Tooltip("item_label:N", title=""), alt.Tooltip("series_label:N", title=""),
                 *figure_tooltips({k: tip_titles(lang)[k] for k in ("value", "gap", "n")})])
    # a fixed step per item (not a height the page may squeeze): every item keeps its label
    return layered(rule, points, width="container", height=alt.Step(ITEM_STEP),
                                              title=alt.TitleParams(title, font=FONT))


def perception_items_chart(items: pd.DataFrame, *, low: float, high: float, title: str, axis_title: str,
                           tooltip: Mapping[str, str]) -> alt.LayerChart:
    """Each item's perception with its confidence interval (a perception-only study's items chart);
    ``items`` has item_label, P, ci_low, ci_high, n, in the order drawn (lowest-rated first)."""
    items = with_row_order(items)
    y = item_rows()
    scale = alt.Scale(domain=[low, high])
    interval = alt.Chart(items).mark_rule(color=PERCEPTION_COLOR, strokeWidth=2, opacity=0.45).encode(
        y=y, x=alt.X("ci_low:Q", scale=scale, title=axis_title), x2=alt.X2("ci_high:Q"))
    colour, _, shape = LEVEL_STYLE["P"]
    points = alt.Chart(items).mark_point(filled=True, size=90, color=colour, shape=shape).encode(
        y=y, x=alt.X("P:Q", scale=scale, title=axis_title),
        tooltip=[alt.Tooltip("item_label:N", title=""), *figure_tooltips(tooltip)])
    return layered(interval, points, width="container", height=alt.Step(ITEM_STEP),
                   title=alt.TitleParams(title, font=FONT))


def ipa_chart(ipa: pd.DataFrame, *, labels: dict[str, str], title: str, lang: str = "en") -> alt.LayerChart:
    """Importance (x) against perception (y) per dimension, grid lines at the cut points, quadrant names."""
    grid = ipa.attrs.get("grid", {"importance": float(ipa["importance"].mean()),
                                  "performance": float(ipa["performance"].mean())})
    # padded by the spread, not by a factor (a factor pulls the edge inside a negative or zero minimum,
    # and the point lands on the axis title); the right side leaves room for the names
    x_lo, x_hi = float(ipa["importance"].min()), float(ipa["importance"].max())
    x_pad = max(abs(x_hi - x_lo), abs(x_hi), 1e-9) * 0.15
    x_dom = [min(x_lo, grid["importance"]) - x_pad, max(x_hi, grid["importance"]) + 2 * x_pad]
    y_lo, y_hi = float(ipa["performance"].min()), float(ipa["performance"].max())
    pad = max(0.2, (y_hi - y_lo) * 0.25)
    y_dom = [min(y_lo, grid["performance"]) - pad, max(y_hi, grid["performance"]) + pad]
    # the domains are the data's extent: the quadrant names sit at their corners, so the spec holds no figure
    # and stays the same for every filter (the browser swaps the data, ``ROW_ORDER``)
    extent = alt.Scale(zero=False, nice=False, padding=0)
    x = alt.X("importance:Q", scale=extent, title=labels["importance"])
    y = alt.Y("performance:Q", scale=extent, title=labels["performance"])
    frame = ipa.assign(dimension_label=ipa["dimension"].map(lambda d: labels.get(d, d)),
                       quadrant_label=ipa["quadrant"].map(lambda q: labels.get(q, q)))
    points = alt.Chart(frame).mark_point(filled=True, size=120, color=PERCEPTION_COLOR).encode(
        x=x, y=y, tooltip=[alt.Tooltip("dimension_label:N", title=""), alt.Tooltip("quadrant_label:N", title=""),
                           alt.Tooltip("importance:Q", title=labels.get("importance", tip_titles(lang)["importance"]),
                                       format=".2f"),
                           alt.Tooltip("performance:Q", title=tip_titles(lang)["performance"], format=".2f")])
    names = alt.Chart(frame).mark_text(dx=8, align="left", font=FONT, fontSize=12).encode(
        x=x, y=y, text=alt.Text("dimension_label:N"))
    v_rule = alt.Chart(pd.DataFrame({"importance": [grid["importance"]]})).mark_rule(strokeDash=[4, 4]).encode(x=x)
    h_rule = alt.Chart(pd.DataFrame({"performance": [grid["performance"]]})).mark_rule(strokeDash=[4, 4]).encode(y=y)
    corners = pd.DataFrame([
        {"importance": x_dom[1], "performance": y_dom[0], "text": labels["concentrate_here"], "align": "right"},
        {"importance": x_dom[1], "performance": y_dom[1], "text": labels["keep_up_the_good_work"], "align": "right"},
        {"importance": x_dom[0], "performance": y_dom[0], "text": labels["low_priority"], "align": "left"},
        {"importance": x_dom[0], "performance": y_dom[1], "text": labels["possible_overkill"], "align": "left"},
    ])
    corner_marks = [alt.Chart(corners[corners["align"] == a]).mark_text(
        align=a, baseline="middle", dx=-6 if a == "right" else 6, dy=0, font=FONT, fontSize=12, color="#777",
        fontStyle="italic").encode(x=x, y=y, text=alt.Text("text:N")) for a in ("left", "right")]
    return layered(v_rule, h_rule, *corner_marks, points, names,
        width="container", height=380, title=alt.TitleParams(title, font=FONT))


#: The waterfall's colours (``gapcore.present.waterfall``, and the deck's native waterfall).
UP_COLOR, DOWN_COLOR, LEVEL_COLOR = "#0072B2", "#D55E00", "#999999"


# ---------------------------------------------------------------------------------------------------
# Drivers

def coefficient_chart(frame: pd.DataFrame, *, title: str, x_title: str, lang: str = "en") -> alt.LayerChart:
    """Coefficient per dimension with its confidence interval; ``frame``: label, coef, ci_low, ci_high, p_text
    (the p-value as analysts write it: "< .001")."""
    frame = with_row_order(frame)
    y = alt.Y("label:N", sort=IN_ROW_ORDER, title=None, axis=alt.Axis(labelFont=FONT))
    x = alt.X("coef:Q", title=x_title)
    zero = alt.Chart(pd.DataFrame({"coef": [0.0]})).mark_rule(color="#777").encode(x=x)
    bars = alt.Chart(frame).mark_rule(strokeWidth=2, color="#555").encode(y=y, x=alt.X("ci_low:Q", title=x_title),
                                                                          x2=alt.X2("ci_high:Q"))
    points = alt.Chart(frame).mark_point(filled=True, size=90, color=PERCEPTION_COLOR).encode(
        y=y, x=x, tooltip=[alt.Tooltip("label:N", title=""),
                           *(alt.Tooltip(f"{c}:Q", title=tip_titles(lang)[c], format="+.3f")
                             for c in ("coef", "ci_low", "ci_high")),
                           alt.Tooltip("p_text:N", title="p")])
    # a fixed step per row, not a height the page may squeeze (the names overlapped at 20 px a row)
    return layered(zero, bars, points, width="container", height=alt.Step(40),
                                                    title=alt.TitleParams(title, font=FONT))


def importance_chart(frame: pd.DataFrame, *, title: str, x_title: str, method_labels: dict[str, str]
                     ) -> alt.LayerChart:
    """Signed importance shares: Shapley as bars with bootstrap CIs, Johnson's weights as diamonds; the
    legend names both (``method_labels``: ``shapley``, ``johnson``)."""
    frame = with_row_order(frame)
    y = alt.Y("label:N", sort=IN_ROW_ORDER, title=None, axis=alt.Axis(labelFont=FONT))
    names = [method_labels["shapley"], method_labels["johnson"]]
    color = alt.Color("method:N", scale=alt.Scale(domain=names, range=[EXPECTATION_COLOR, "#E69F00"]),
                      legend=alt.Legend(title=None, orient="top", direction="vertical", labelFont=FONT,
                                        labelLimit=400, symbolType="square"))
    bars = alt.Chart(frame.assign(method=names[0])).mark_bar(opacity=0.85).encode(
        y=y, x=alt.X("shapley:Q", title=x_title), color=color,
        tooltip=[alt.Tooltip("label:N", title=""),
                 alt.Tooltip("shapley:Q", title=method_labels["shapley"], format="+.1f"),
                 alt.Tooltip("johnson:Q", title=method_labels["johnson"], format="+.1f")])
    layers = [bars]
    if "shapley_ci_low" in frame:
        layers.append(alt.Chart(frame).mark_rule(color="#222", strokeWidth=1.5).encode(
            y=y, x=alt.X("shapley_ci_low:Q"), x2=alt.X2("shapley_ci_high:Q")))
    layers.append(alt.Chart(frame.assign(method=names[1])).mark_point(
        shape="diamond", filled=True, size=110, opacity=1).encode(y=y, x=alt.X("johnson:Q"), color=color))
    return layered(*layers, width="container", height=alt.Step(44),
                                         title=alt.TitleParams(title, font=FONT))
