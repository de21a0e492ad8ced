"""The words every page, slide and export shares: a step of the gap chain named, the filters and scope
of a panel, the lowest and highest dimension (the one definition), the home page's headline, which values
of a segment are shown or held back, a driver model's notes, and the switches that give a perception-only
study (``design_suffix``) or a SERVPERF model (``model_suffix``) its own catalogue keys.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from gapcore.analysis import (
    Analysis,
)
from gapcore.driver_model import DriverModel, DriverNote
from gapcore.gaps import Chain, ChainStep
from gapcore.i18n import dimension_label, t
from gapcore.io.study import Study
from gapcore.segments import Tracking


def note_text(note: DriverNote, lang: str) -> str:
    """A driver model's note in ``lang``."""
    return t(f"note_{note.key}", lang, **note.values)


def step_labels(lang: str) -> dict[str, str]:
    """Waterfall bar labels for each step of the chain, merged steps included."""
    labels = {f"gap{n}": t(f"wf_gap{n}", lang) for n in range(1, 6)}
    for merged in ("gap1+2", "gap2+3", "gap3+4", "gap1+2+3", "gap2+3+4", "gap1+2+3+4"):
        labels[merged] = t("wf_merged", lang, numbers=merged.removeprefix("gap"))
    return labels


def plain_step(name: str, lang: str) -> str:
    """A step of the chain in words (``gap2+3`` → "standards + delivery")."""
    return " + ".join(t(f"step_name_gap{n}", lang) for n in name.removeprefix("gap").split("+"))


def named_step(name: str, lang: str) -> str:
    """A step in words, said to be merged when it joins several gaps (``gap2+3`` → "standards + delivery
    (merged: …)")."""
    names = plain_step(name, lang)
    return t("step_merged", lang, names=names) if "+" in name else names


def worst_and_best(dimensions: pd.DataFrame, measure: str) -> tuple[pd.Series, pd.Series] | None:
    """The dimensions lowest and highest on ``measure`` (``gap``, or ``P`` without expectations), the
    first listed on a tie; None when no dimension has a value. The one definition every reading uses."""
    dims = dimensions.dropna(subset=[measure])
    if dims.empty:
        return None
    return dims.loc[dims[measure].idxmin()], dims.loc[dims[measure].idxmax()]


def filters_text(filters: Mapping[str, Sequence[str]], lang: str, study: Study) -> str:
    """The filters as the analyst named the segments and their values."""
    if not filters:
        return t("filters_none", lang)
    filters = {study.segment_label(c, lang): [study.value_label(c, v, lang) for v in values]
               for c, values in filters.items()}
    return "; ".join(f"{column} = {', '.join(values)}" for column, values in filters.items())


def scope_text(filters: Mapping[str, Sequence[str]], lang: str, *, study: Study, compared: str | None = None) -> str:
    """What a panel is computed on: the filters that apply to it, and — for a panel that compares the
    values of a column — that the filter on that column does not (every value is shown)."""
    applied = {c: v for c, v in filters.items() if v and c != compared}
    text = t("scope_filtered", lang, filters=filters_text(applied, lang, study))
    if compared is not None and filters.get(compared):
        text += " " + t("scope_compared", lang, column=study.segment_label(compared, lang))
    return text


@dataclass(frozen=True)
class Headline:
    """One figure of the home page's headline: its label, the figure (a score, or a dimension's name) and,
    for a dimension, its score."""

    label: str
    figure: str
    delta: str | None = None


def headline(analysis: Analysis, lang: str) -> tuple[Headline, ...]:
    """The study's overall score and its weakest dimension: SERVQUAL's mean gap and largest shortfall, or a
    perception-only study's mean perception and lowest-rated dimension (a level, written unsigned)."""
    paired = analysis.prepared.study.paired
    measure, column, spec = ("unweighted", "gap", "+.2f") if paired else ("servperf", "P", ".2f")
    overall_label, weakest_label = ("home_overall", "home_largest") if paired else ("home_servperf", "home_lowest")
    lines = [Headline(t(overall_label, lang), format(value, spec))
             for value in analysis.overall.loc[analysis.overall["measure"] == measure, "value"]]
    extremes = worst_and_best(analysis.dimensions, column)
    if extremes is not None:
        weakest = extremes[0]
        lines.append(Headline(t(weakest_label, lang), dimension_label(weakest["dimension"], lang),
                              delta=format(weakest[column], spec)))
    return tuple(lines)


def chain_scope_note(chain: Chain, lang: str) -> str | None:
    """Which table each measured step of the chain was read from when not all are the customers' own."""
    if not chain.scope:
        return None
    parts = [t(f"scope_{scope}", lang, table=t(f"table_{table}", lang)) for table, scope in chain.scope.items()]
    return t("scope_note", lang, parts="; ".join(parts))


def held_apart(by_value: Mapping[str, Analysis]) -> tuple[dict[str, Analysis], list[str]]:
    """The segment values shown (their cell large enough) and those held back by the minimum cell size."""
    return ({value: result for value, result in by_value.items() if not result.suppressed},
            [value for value, result in by_value.items() if result.suppressed])


def segment_series_names(study: Study, column: str, shown: Mapping[str, Analysis], lang: str) -> dict[str, str]:
    """Each shown value of a segment named with its n, as an overlay's legend says it."""
    return {value: t("segment_n", lang, value=study.value_label(column, value, lang), n=result.n)
            for value, result in shown.items()}


def held_waves(tracking: Tracking) -> list[str]:
    """The waves held back by the minimum cell size somewhere in the tracking."""
    points = tracking.points
    return list(points.loc[points["suppressed"], "wave"].unique())


def design_suffix(study: Study) -> str:
    """The catalogue keys' suffix for what a perception-only study says in its own words (``_p``): the one
    switch between SERVQUAL's wording and SERVPERF's."""
    return "_p" if study.perception_only else ""


def merged_note(step: ChainStep, lang: str) -> str:
    """A merged step is measured only as a whole: which tables would tell its gaps apart."""
    return t("reading_merged_note", lang, step=plain_step(step.name, lang),
             tables=table_list(step.missing_tables, lang))


def table_list(tables: Sequence[str], lang: str) -> str:
    return t("list_separator", lang).join(t(f"table_{table}", lang) for table in tables)


def top_driver(model: DriverModel) -> str:
    """The dimension with the largest importance share (by absolute Shapley share)."""
    importance = model.importance
    return str(importance.loc[importance["shapley"].abs().idxmax(), "dimension"])


def model_suffix(model: DriverModel) -> str:
    """``_p`` when a driver model's predictors are perceptions (SERVPERF: "a point higher perception", never
    "a point of gap"): the suffix of its texts' catalogue keys."""
    return "_p" if model.predictors == "servperf" else ""


def model_key(name: str, model: DriverModel) -> str:
    """A driver text's catalogue key for this model and its kind: ``{name}_{kind}`` (+ ``model_suffix``)."""
    return f"{name}_{model.kind}{model_suffix(model)}"


def compares_with_servperf(predictors: str) -> bool:
    """A model on SERVQUAL gaps is shown beside the SERVPERF model's fit (Cronin & Taylor's comparison); a
    SERVPERF model has nothing to be compared with."""
    return predictors == "servqual"


def model_note_texts(model: DriverModel, lang: str) -> list[str]:
    """The notes of a driver model in words (shown with it: a sample, HC1 errors, a warning of the fit)."""
    return [note_text(note, lang) for note in model.notes]


def ordinal_note_texts(model: DriverModel, lang: str) -> list[str]:
    """The notes of the ordinal model in words (reading them fits it, when first read)."""
    return [note_text(note, lang) for note in model.ordinal_notes]
