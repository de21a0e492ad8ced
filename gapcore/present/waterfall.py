"""The waterfall of the gap chain: expectation, each provider gap (1-4) as a step up or down, and
perception, with gap 5 beside it; bar starts and ends computed here (Vega-Lite stacks no signed steps), and
a grid of waterfalls (per dimension, a segment beside the company) on one shared scale.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
from altair.utils import Undefined

from gapcore.present.charts import DOWN_COLOR, FONT, LEVEL_COLOR, UP_COLOR, layered


def waterfall_frame(chain, *, step_labels: dict[str, str], level_labels: dict[str, str]) -> pd.DataFrame:
    """One row per bar: customer expectation, each step of the chain, customer perception, gap 5.

    Columns: order, key, label, kind (level/up/down/total), start, end, value, merged.
    Level bars run from 0 to the level; steps from the previous level to the next; gap 5 from E to P.
    """
    e, p = chain.levels["E"], chain.levels["P"]
    rows = [{"key": "E", "label": level_labels["E"], "kind": "level", "start": 0.0, "end": e, "value": e,
             "merged": False}]
    for step in chain.steps:
        if (step.start, step.end) == ("E", "P"):
            continue  # customer answers alone: the one "step" is gap 5 itself, drawn once below as the total
        start, end = chain.levels[step.start], chain.levels[step.end]
        rows.append({"key": step.name, "label": step_labels.get(step.name, step.name),
                     "kind": "up" if step.value >= 0 else "down", "start": start, "end": end, "value": step.value,
                     "merged": step.merged})
    rows.append({"key": "P", "label": level_labels["P"], "kind": "level", "start": 0.0, "end": p, "value": p,
                 "merged": False})
    rows.append({"key": "gap5", "label": step_labels["gap5"], "kind": "total", "start": e, "end": p, "value": p - e,
                 "merged": False})
    frame = pd.DataFrame(rows)
    frame["order"] = range(len(frame))
    frame["text"] = [f"{v:.2f}" if k == "level" else f"{v:+.2f}" for k, v in zip(frame["kind"], frame["value"],
                                                                                    strict=True)]
    frame["label_y"] = frame[["start", "end"]].max(axis=1)
    # one-line labels for small panels: the level's own word ("expectation"), the step's number ("Gap 1")
    frame["short"] = [label.split("\n")[-1] if kind == "level" else label.split("\n")[0]
                      for label, kind in zip(frame["label"], frame["kind"], strict=True)]
    return frame


def waterfall_domain(frame: pd.DataFrame, low: float, high: float) -> list[float]:
    """Zoom on the region where the steps happen (levels are labelled with their values; their bars are
    cut at the bottom of the axis), or the steps would be slivers."""
    inner = frame.loc[frame["kind"] != "level", ["start", "end"]].to_numpy().ravel()
    inner = inner[~pd.isna(inner)]
    return [max(float(low), math.floor(float(inner.min()) - 0.5)), float(high)] if inner.size else [0.0, float(high)]


def _waterfall_layers(order: list[str], y_dom: list[float], kind_labels: dict[str, str], *, field: str = "label",
                      bar: int = 46, text_size: int = 12, value_title: str = "") -> list[alt.Chart]:
    """The bars and their value labels, without data (given by the layer or the facet); ``field`` names
    the bars (``label``, two lines, or ``short`` for small panels)."""
    kinds = ["level", "up", "down", "total"]
    x = alt.X(f"{field}:N", sort=order, title=None,
              axis=alt.Axis(labelAngle=0, labelFont=FONT, labelLimit=140, labelExpr="split(datum.label, '\\n')"))
    y_scale = alt.Scale(domain=y_dom, clamp=True)
    bars = alt.Chart().mark_bar(size=bar, strokeWidth=1.5).encode(
        x=x,
        y=alt.Y("start:Q", scale=y_scale, title=None),
        y2=alt.Y2("end:Q"),
        color=alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=[LEVEL_COLOR, UP_COLOR, DOWN_COLOR, "#000000"]),
                        legend=alt.Legend(orient="top", labelExpr=_label_expr(kind_labels), title=None,
                                          labelFont=FONT)),
        stroke=alt.StrokeValue(None, condition={"test": "datum.merged", "value": "#000"}),
        strokeDash=alt.StrokeDashValue([1, 0], condition={"test": "datum.merged", "value": [4, 3]}),
        tooltip=[alt.Tooltip("label:N", title=""), alt.Tooltip("value:Q", title=value_title or Undefined,
                                                                  format="+.3f")],
    )
    texts = alt.Chart().mark_text(dy=-8, font=FONT, fontSize=text_size, fontWeight="bold").encode(
        x=x, y=alt.Y("label_y:Q", scale=y_scale), text=alt.Text("text:N"))
    return [bars, texts]


def waterfall_chart(frame: pd.DataFrame, *, low: float, high: float, title: str, kind_labels: dict[str, str],
                    width: int | str = "container", height: int = 320,
                    promise: pd.DataFrame | None = None, value_title: str = "") -> alt.LayerChart:
    """Bars from ``start`` to ``end``; up and down steps coloured apart (and hatched-free greyscale-safe by
    lightness), merged steps outlined with a dashed border, each bar labelled with its value."""
    order = list(frame["label"])
    y_dom = waterfall_domain(frame, low, high)
    layers = _waterfall_layers(order, y_dom, kind_labels, value_title=value_title)
    if promise is not None and not promise.empty:
        # the promised level (C) beside the gap 4 step: a diamond and its label
        x = alt.X("label:N", sort=order)
        y = alt.Y("level:Q", scale=alt.Scale(domain=y_dom, clamp=True))
        layers.append(alt.Chart(promise).mark_point(shape="diamond", filled=True, size=140, color="#CC79A7",
                                                    xOffset=30).encode(x=x, y=y, tooltip=[alt.Tooltip("text:N",
                                                                                                      title="")]))
        layers.append(alt.Chart(promise).mark_text(align="left", dx=40, font=FONT, fontSize=11,
                                                   color="#CC79A7").encode(x=x, y=y, text=alt.Text("text:N")))
    return layered(*layers, data=frame, width=width, height=height,
                                                     title=alt.TitleParams(title, font=FONT))


def waterfall_grid(frames: dict[str, pd.DataFrame], *, low: float, high: float, kind_labels: dict[str, str],
                   columns: int = 2, width: int = 400, height: int = 230, value_title: str = "") -> alt.FacetChart:
    """Several waterfalls (one per dimension, or a segment beside the company) as the panels of one chart,
    on one vertical scale so that the panels compare; each panel headed by its key in ``frames``; bars
    named in one line ("expectation", "Gap 1") to fit a panel."""
    data = pd.concat([frame.assign(panel=name) for name, frame in frames.items()], ignore_index=True)
    order = list(dict.fromkeys(data.sort_values("order", kind="stable")["short"]))
    bar = max(12, min(40, int(width / max(1, len(order)) * 0.55)))
    layers = _waterfall_layers(order, waterfall_domain(data, low, high), kind_labels, field="short", bar=bar,
                               value_title=value_title,
                               text_size=11)
    return layered(*layers, data=data, width=width, height=height).facet(
        facet=alt.Facet("panel:N", sort=list(frames), title=None,
                        header=alt.Header(labelFont=FONT, labelFontSize=13, labelFontWeight="bold")),
        columns=columns).resolve_scale(x="independent")


def _label_expr(labels: dict[str, str]) -> str:
    cases = " : ".join(f"datum.label == '{k}' ? '{v}'" for k, v in labels.items())
    return f"{cases} : datum.label"
