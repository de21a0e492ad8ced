"""Chart builders: each takes a tidy DataFrame (or plain values) and returns an ``alt.Chart``.

Pages only call these and render. Colours come from a colour-blind-safe palette (Okabe-Ito) and
shapes/dashes keep series apart in greyscale.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ui.i18n import t

FONT = "Noto Sans CJK KR, Noto Sans CJK SC, Noto Sans, sans-serif"
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

# Box positions of the gap model picture (x, y of the box centre; customer side above the line).
_BOXES = {"E": (2.0, 4.0), "P": (2.0, 2.6), "D": (2.0, 1.0), "C": (6.4, 1.0), "S": (2.0, -0.4),
          "M": (2.0, -1.8)}
_HALF_WIDTH = 1.75
_LINKS = (("E", "P", "gap_5", 0.55), ("P", "D", "gap_4", -0.55), ("D", "C", "gap_4_promise", None),
          ("D", "S", "gap_3", -0.55), ("S", "M", "gap_2", -0.55), ("E", "M", "gap_1", -1.6))


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
    ])).mark_text(align="right", fontSize=12, color="#555", font=FONT).encode(x=x, y=y, text="text:N")
    rects = alt.Chart(boxes).mark_rect(cornerRadius=6, stroke="#333", strokeWidth=1.2).encode(
        x=alt.X("x1:Q", scale=scale_x, axis=None), x2="x2:Q",
        y=alt.Y("y1:Q", scale=scale_y, axis=None), y2="y2:Q",
        color=alt.Color("side:N", scale=alt.Scale(domain=[t("side_customer", lang), t("side_provider", lang)],
                                                  range=["#DCEBF7", "#FCE9CF"]), legend=None),
    ).transform_calculate(x1=f"datum.x - {_HALF_WIDTH}", x2=f"datum.x + {_HALF_WIDTH}", y1="datum.y - 0.35",
                          y2="datum.y + 0.35")
    texts = alt.Chart(boxes).mark_text(fontSize=12, font=FONT, color="#111").encode(x=x, y=y, text="label:N")
    lines = alt.Chart(links).mark_line(color="#D55E00", strokeWidth=2).encode(
        x=x, y=y, detail="gap:N", order="order:Q")
    gap_texts = alt.layer(*[
        alt.Chart(labels[labels["align"] == align]).mark_text(
            fontSize=12, fontWeight="bold", color="#D55E00", font=FONT, align=align,
            dx={"left": 4, "right": -4, "center": 0}[align],
        ).encode(x=x, y=y, text="gap:N")
        for align in ("left", "right", "center")
    ])
    return alt.layer(divider, side_labels, rects, lines, texts, gap_texts).properties(
        width="container", height=420, title=alt.TitleParams(t("diagram_title", lang), font=FONT)
    ).configure_view(stroke=None)
