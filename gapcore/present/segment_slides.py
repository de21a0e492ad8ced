"""The slides that compare the values of a segment: the heatmap with its letters, the consistency of
the dimensions across values, the tracking over waves, and the sentence that sets a segment's chain
beside the company's.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

import numpy as np
import pandas as pd

from gapcore.analysis import (
    Analysis,
    step_by_value,
)
from gapcore.i18n import dimension_label, t
from gapcore.io.study import Study
from gapcore.present.charts import OKABE_ITO
from gapcore.present.readings import plain_step
from gapcore.present.segment_charts import consistency_chart, heatmap_chart, tracking_chart
from gapcore.present.slides import NativeChart, Slide, numbers, slide_notes
from gapcore.present.tables import dimension_labels
from gapcore.segments import SegmentComparison, Tracking
from gapcore.stats import p_text


def segment_chain_reading(company: Analysis, by_value: Mapping[str, Analysis], column: str, lang: str) -> str | None:
    """Which value of ``column`` has the largest shortfall in the company's largest step, against the company."""
    if company.chain is None or len(company.chain.steps) < 2:
        return None
    worst = company.chain.worst_step
    sizes = step_by_value(by_value, worst.name)
    if not sizes:
        return None
    extreme = min(sizes, key=sizes.get)
    study = company.prepared.study
    return t("reading_segment", lang, column=study.segment_label(column, lang),
             value=study.value_label(column, extreme, lang),
             step=plain_step(worst.name, lang),
             seg_value=sizes[extreme], company=worst.value)


def heatmap_frame(comparison: SegmentComparison, study: Study, lang: str, min_cell: int) -> pd.DataFrame:
    """Tiles for the heatmap: value (with n) × dimension; held-back tiles say so and carry no number."""
    labels = {**dimension_labels(study, lang), "overall": t("overall_column", lang)}
    cells = comparison.cells
    figure = "+.2f" if comparison.measure == "G" else ".2f"  # a gap signed, a perception not
    n_by_value = cells[cells["dimension"] == "overall"].set_index("segment")["n"] if "overall" in set(
        cells["dimension"]) else cells.groupby("segment")["n"].max()
    rows = []
    for _, c in cells.iterrows():
        n = n_by_value.get(c["segment"], np.nan)
        shown = study.value_label(comparison.column, c["segment"], lang)
        row_label = (t("segment_n", lang, value=shown, n=int(n)) if not c["suppressed"] and pd.notna(n)
                     else t("segment_held_short", lang, value=shown, min_cell=min_cell))
        rows.append({"segment": c["segment"], "row_label": row_label, "dimension": c["dimension"],
                     "dimension_label": labels.get(c["dimension"], c["dimension"]), "mean": c["mean"],
                     "letters": c["letters"], "suppressed": bool(c["suppressed"]),
                     "text": t("held_tile", lang) if c["suppressed"]
                     else f"{c['mean']:{figure}} {c['letters']}".strip()})
    return pd.DataFrame(rows)


def heatmap_slide(study: Study, comparison: SegmentComparison, lang: str, min_cell: int) -> Slide | None:
    frame = heatmap_frame(comparison, study, lang, min_cell)
    if frame.empty or frame["suppressed"].all():
        return None
    measure = t("measure_gap" if comparison.measure == "G" else "measure_P", lang)
    title = t("heatmap_title", lang, measure=measure, column=study.segment_label(comparison.column, lang))
    chart = partial(heatmap_chart, frame, title=title, diverging=comparison.measure == "G", value_title=measure)
    reading = heatmap_reading(comparison, lang, study)
    return Slide("heatmap", title, chart, reading, width=900, height=max(120, 38 * frame["segment"].nunique()) + 90,
                 notes=slide_notes("heatmap", reading, comparison_n(comparison), lang))


def comparison_n(comparison: SegmentComparison) -> int:
    """Respondents in the values compared (held-back values left out)."""
    cells = comparison.cells[~comparison.cells["suppressed"]]
    return int(cells.groupby("segment")["n"].max().sum()) if not cells.empty else 0


def heatmap_reading(comparison: SegmentComparison, lang: str, study: Study) -> str:
    """Which dimension differs most across the values, between which values, and the Welch test."""
    column = comparison.column
    label = study.segment_label(column, lang)

    def name(value: str) -> str:
        return study.value_label(column, value, lang)
    spread = comparison.spread
    spread = spread[spread["dimension"] != "overall"]
    if spread.empty:
        return t("reading_heatmap_none", lang, column=label)
    top = spread.loc[spread["range"].idxmax()]
    cells = comparison.cells[(comparison.cells["dimension"] == top["dimension"]) & ~comparison.cells["suppressed"]]
    low, high = cells.loc[cells["mean"].idxmin()], cells.loc[cells["mean"].idxmax()]
    test = comparison.tests.set_index("dimension").loc[top["dimension"]]
    key = "reading_heatmap" if comparison.measure == "G" else "reading_heatmap_p"  # a perception unsigned
    return t(key, lang, column=label, dimension=dimension_label(top["dimension"], lang),
             low=name(low["segment"]), low_value=low["mean"], high=name(high["segment"]), high_value=high["mean"],
             p=p_text(test["welch_p"]))


def consistency_slide(study: Study, comparison: SegmentComparison, lang: str) -> Slide | None:
    """How evenly each dimension is served across the values: the values' means per dimension, the one
    furthest from the others marked, and a reading naming the least even dimension."""
    spread = comparison.spread
    spread = spread[spread["dimension"] != "overall"]
    if spread.empty:
        return None
    labels = dimension_labels(study, lang)
    top = spread.loc[spread["range"].idxmax()]
    reading = t("consistency_reading", lang, dimension=labels.get(top["dimension"], top["dimension"]),
                column=study.segment_label(comparison.column, lang), range=top["range"],
                value=study.value_label(comparison.column, top["furthest"], lang),
                distance=top["furthest_distance"])
    cells = comparison.cells
    shown = cells[~cells["suppressed"] & (cells["dimension"] != "overall")]
    furthest = dict(zip(spread["dimension"], spread["furthest"], strict=True))
    frame = shown.assign(dimension_label=shown["dimension"].map(labels),
                         furthest=[furthest.get(d) == v for d, v in zip(shown["dimension"], shown["segment"],
                                                                       strict=True)])
    frame["segment"] = frame["segment"].map(lambda v: study.value_label(comparison.column, v, lang))
    measure = t("measure_gap" if comparison.measure == "G" else "measure_P", lang)
    title = t("consistency_title", lang)
    chart = partial(consistency_chart, frame, title=t("consistency_axis", lang), x_title=measure,
                    signed=comparison.measure == "G")

    def native() -> tuple[NativeChart, ...]:
        table = frame.pivot_table(index="dimension_label", columns="segment", values="mean", sort=False)
        return (NativeChart("dots", title, tuple(table.index), tuple((str(v), numbers(table[v])) for v in table),
                            tuple(OKABE_ITO[i % len(OKABE_ITO)] for i in range(table.shape[1])), measure),)

    return Slide("consistency", title, chart, reading, width=640, height=380, native_charts=native,
                 notes=slide_notes("consistency", reading, comparison_n(comparison), lang))


def tracking_points(tracking: Tracking, study: Study, lang: str) -> pd.DataFrame:
    labels = {**dimension_labels(study, lang), "overall": t("overall_column", lang)}
    points = tracking.points[~tracking.points["suppressed"]].copy()
    points["dimension_label"] = points["dimension"].map(lambda d: labels.get(d, d))
    points["wave"] = points["wave"].map(lambda w: study.value_label(tracking.column, w, lang))  # as named
    return points


def tracking_slide(study: Study, tracking: Tracking, lang: str) -> Slide | None:
    points = tracking_points(tracking, study, lang)
    points = points[points["dimension"] != "overall"]
    if points["wave"].nunique() < 2:
        return None
    measure = t("measure_gap" if tracking.measure == "G" else "measure_P", lang)
    title = t("tracking_title", lang, measure=measure, column=study.segment_label(tracking.column, lang))
    chart = partial(tracking_chart, points, title=title, y_title=measure, signed=tracking.measure == "G", lang=lang)

    def native() -> tuple[NativeChart, ...]:
        table = points.pivot_table(index="wave", columns="dimension_label", values="mean", sort=False)
        table = table.reindex(list(points.sort_values("order")["wave"].drop_duplicates()))
        return (NativeChart("line", title, tuple(str(w) for w in table.index),
                            tuple((str(d), numbers(table[d])) for d in table),
                            tuple(OKABE_ITO[i % len(OKABE_ITO)] for i in range(table.shape[1])), measure),)

    reading = tracking_reading(tracking, lang, study)
    n = int(points.groupby("wave")["n"].max().sum())
    return Slide("tracking", title, chart, reading, width=900, height=360, native_charts=native,
                 notes=slide_notes("tracking", reading, n, lang))


def tracking_reading(tracking: Tracking, lang: str, study: Study) -> str:
    changes = tracking.changes[tracking.changes["dimension"] != "overall"]
    if changes.empty:
        return ""
    last_step = changes["wave_to"].map(list(tracking.waves).index).max()
    last = changes[changes["wave_to"] == tracking.waves[last_step]]
    top = last.loc[last["difference"].abs().idxmax()]
    significant = int((last["p_holm"] < 0.05).sum())
    return t("reading_tracking", lang, start=study.value_label(tracking.column, top["wave_from"], lang),
             end=study.value_label(tracking.column, top["wave_to"], lang),
             dimension=dimension_label(top["dimension"], lang), change=top["difference"], p=p_text(top["p_holm"]),
             significant=significant, total=len(last))
