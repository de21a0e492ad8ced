"""Charts that set the values of a segment side by side: the heatmap of dimension scores with the
letters of the pairwise tests, the tracking of each dimension over waves, and the consistency of the
dimensions across values.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from gapcore.present.charts import EXPECTATION_COLOR, FONT, OKABE_ITO, layered, tip_titles


def heatmap_chart(cells: pd.DataFrame, *, title: str, diverging: bool, width: int | str = "container",
                  value_title: str = "") -> alt.LayerChart:
    """Segment value (rows) × dimension (columns), coloured by the mean; ``cells`` has row_label,
    dimension_label, mean, text (value and letters, or the held-back note) and suppressed.
    Held-back cells are grey and carry no number. ``diverging``: gaps (signed, red to blue around zero),
    else levels (unsigned, one hue)."""
    rows = list(dict.fromkeys(cells["row_label"]))
    columns = list(dict.fromkeys(cells["dimension_label"]))
    x = alt.X("dimension_label:N", sort=columns, title=None,
              axis=alt.Axis(orient="top", labelAngle=0, labelFont=FONT, labelLimit=140))
    y = alt.Y("row_label:N", sort=rows, title=None, axis=alt.Axis(labelFont=FONT, labelLimit=220))
    shown = cells[~cells["suppressed"]]
    extent = float(shown["mean"].abs().max()) if not shown.empty else 1.0
    scale = (alt.Scale(scheme="redblue", domain=[-extent, extent]) if diverging
             else alt.Scale(scheme="blues", domain=[float(shown["mean"].min()), float(shown["mean"].max())]))
    tiles = alt.Chart(shown).mark_rect(stroke="white", strokeWidth=2).encode(
        x=x, y=y, color=alt.Color("mean:Q", scale=scale, legend=None),
        tooltip=[alt.Tooltip("row_label:N", title=""), alt.Tooltip("dimension_label:N", title=""),
                 alt.Tooltip("mean:Q", title=value_title, format="+.2f" if diverging else ".2f"),
                 alt.Tooltip("text:N", title="")])
    held = alt.Chart(cells[cells["suppressed"]]).mark_rect(color="#E6E6E6", stroke="white", strokeWidth=2).encode(
        x=x, y=y)
    # dark text on pale tiles, white on strong ones
    strong = (f"abs(datum.mean) > {0.6 * extent:.6f}" if diverging else
              f"datum.mean > {float(shown['mean'].quantile(0.7)) if not shown.empty else 0:.6f}")
    text_color = alt.ColorValue("#111", condition={"test": strong, "value": "white"})
    labels = alt.Chart(shown).mark_text(font=FONT, fontSize=13).encode(x=x, y=y, text=alt.Text("text:N"),
                                                                       color=text_color)
    held_labels = alt.Chart(cells[cells["suppressed"]]).mark_text(
        font=FONT, fontSize=11, color="#666", fontStyle="italic").encode(x=x, y=y, text=alt.Text("text:N"))
    return layered(tiles, held, labels, held_labels,
        width=width, height=alt.Step(38), title=alt.TitleParams(title, font=FONT))


def tracking_chart(points: pd.DataFrame, *, title: str, y_title: str, width: int | str = "container",
                   height: int = 340, signed: bool = True, lang: str = "en") -> alt.LayerChart:
    """Each dimension's mean per wave with its CI; ``points`` has wave, order, dimension_label, mean,
    ci_low, ci_high, n (held-back waves left out). Lines in Okabe-Ito colours, a different point shape
    per dimension for greyscale."""
    figure = "+.2f" if signed else ".2f"  # a gap signed, a level not
    order = list(points.sort_values("order")["wave"].drop_duplicates())
    series = list(dict.fromkeys(points["dimension_label"]))
    shapes = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge", "stroke"]
    color = alt.Color("dimension_label:N", sort=series, title=None,
                      scale=alt.Scale(domain=series, range=list(OKABE_ITO[:len(series)])),
                      legend=alt.Legend(orient="right", labelFont=FONT, labelLimit=200))
    shape = alt.Shape("dimension_label:N", sort=series, title=None,
                      scale=alt.Scale(domain=series, range=shapes[:len(series)]))
    # each wave's points stand on its tick (a point scale, no offset per dimension), so that the slopes
    # between waves are the changes; the CI rules are drawn thin and see-through where they overlap
    x = alt.X("wave:N", sort=order, title=None, scale=alt.Scale(type="point", padding=0.3),
              axis=alt.Axis(labelAngle=0, labelFont=FONT, grid=True))
    y = alt.Y("mean:Q", title=y_title, scale=alt.Scale(zero=False))
    line = alt.Chart(points).mark_line(strokeWidth=2).encode(x=x, y=y, color=color,
                                                             detail=alt.Detail("dimension_label:N"))
    bars = alt.Chart(points).mark_rule(strokeWidth=1.5, opacity=0.55).encode(
        x=x, y=alt.Y("ci_low:Q"), y2=alt.Y2("ci_high:Q"), color=color)
    dots = alt.Chart(points).mark_point(filled=True, size=70).encode(
        x=x, y=y, color=color, shape=shape,
        tooltip=[alt.Tooltip("dimension_label:N", title=""), alt.Tooltip("wave:N", title=""),
                 alt.Tooltip("mean:Q", title=y_title, format=figure),
                 alt.Tooltip("ci_low:Q", title=tip_titles(lang)["ci_low"], format=figure),
                 alt.Tooltip("ci_high:Q", title=tip_titles(lang)["ci_high"], format=figure),
                 alt.Tooltip("n:Q", title="n", format=",.0f")])
    return layered(line, bars, dots, width=width, height=height,
                                                  title=alt.TitleParams(title, font=FONT))


def consistency_chart(cells: pd.DataFrame, *, title: str, x_title: str, width: int | str = "container",
                      signed: bool = True) -> alt.LayerChart:
    """How evenly each dimension is served: one point per segment value along the dimension's row, the
    value furthest from the rest named. ``cells`` has dimension_label, segment, mean, furthest (bool)."""
    rows = list(dict.fromkeys(cells["dimension_label"]))
    y = alt.Y("dimension_label:N", sort=rows, title=None, axis=alt.Axis(labelFont=FONT))
    x = alt.X("mean:Q", title=x_title, scale=alt.Scale(zero=False))
    spread = alt.Chart(cells).mark_rule(color="#999", strokeWidth=6, opacity=0.4).encode(
        y=y, x=alt.X("min(mean):Q"), x2=alt.X2("max(mean):Q"))
    dots = alt.Chart(cells).mark_point(filled=True, size=80).encode(
        y=y, x=x, color=alt.ColorValue(EXPECTATION_COLOR, condition={"test": "datum.furthest", "value": "#D55E00"}),
        tooltip=[alt.Tooltip("segment:N", title=""),
                 alt.Tooltip("mean:Q", title=x_title, format="+.2f" if signed else ".2f")])
    names = alt.Chart(cells[cells["furthest"]]).mark_text(dy=-12, font=FONT, fontSize=11, color="#D55E00").encode(
        y=y, x=x, text=alt.Text("segment:N"))
    return layered(spread, dots, names, width=width, height=alt.Step(56),
                                                     title=alt.TitleParams(title, font=FONT))
