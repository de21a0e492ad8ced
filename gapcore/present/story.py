"""The results of one study, filter and language as a sequence of slides: chart, title and a one-sentence
reading each, then what to do and how the figures were made.

The same ``Story`` feeds the presentation view, the PowerPoint deck and the HTML report, and its
``tables`` feed the Excel workbook and the CSV files, so every export shows what the screen shows —
minimum cell size included (a held-back selection yields no figures at all).

In detail: a `Story` for one study, filter and language: slides (title, one-sentence reading, and a chart drawn
when first asked for — `Slide.chart` — so the Report page's list and the presentation view's one frame do not draw
the others) for the radar, items, waterfall (with the segment sentence of the Gap model page when providers are
linked to the report's segment), drivers, segment heatmap, consistency and tracking; the actions; the method lines;
every result table by name (`ResultTables`: each built when first read); `Slide.native` (the same figures as
`NativeChart`s for office charts, built when asked) and `Slide.notes` (reading, n, test, question for the room).
Every reading a page shows comes from here (`drivers_reading`, `segment_chain_reading`, `consistency_slide`,
`worst_and_best` — the one definition of the largest and smallest dimension gap —, `named_step`, …), so the
presentation view, the deck and the HTML report say what the screen says. A perception-only study speaks in its own
words through one switch: `design_suffix(study)` (and `model_suffix(model)` for a SERVPERF driver model) picks the
catalogue keys ending `_p` — "Perception by dimension", "lowest-rated first", "a 0.5-point higher perception of …"
—, its items slide is `perception_items_slide` (each P with its CI, lowest-rated first), and
`tests/test_perception_only.py` walks every page, slide, table and export in EN/KO/ZH for expectation, gap or
paired-test words and fields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial

import pandas as pd

from gapcore.analysis import (
    Analysis,
    Prepared,
    analyze,
    by_segment_value,
    company_beside,
    importance_performance,
)
from gapcore.defaults import MIN_CELL, MODEL_MIN_N
from gapcore.driver_model import BOOTSTRAP, DriverModel, default_predictors, derived_importance
from gapcore.errors import GapcoreError
from gapcore.filters import Filters, normalize_filters
from gapcore.gaps import PROVIDER_OF_LEVEL, Chain, linked_segments
from gapcore.i18n import dimension_label, t
from gapcore.io.study import Study
from gapcore.present.readings import design_suffix, filters_text, merged_note, note_text, plain_step
from gapcore.present.segment_slides import consistency_slide, heatmap_slide, segment_chain_reading, tracking_slide
from gapcore.present.slides import (
    Slide,
    drivers_slide,
    items_frame,
    items_slide,
    radar_slide,
    slide_notes,
    waterfall_slide,
)
from gapcore.present.tables import dimension_labels, dimensions_table, outcomes_table
from gapcore.segments import SegmentComparison, Tracking, compare_segments, follows_waves, track_waves


@dataclass(frozen=True)
class ActionBlock:
    heading: str
    actions: tuple[str, ...]


@dataclass(frozen=True)
class Story:
    lang: str
    title: str
    subtitle: str  # study, filters, n
    slides: tuple[Slide, ...]
    actions: tuple[ActionBlock, ...]
    method: tuple[str, ...]  # lines: sources, n, scale, weights, minimum cell size, tests, notes
    tables: Mapping[str, pd.DataFrame] = field(repr=False)
    n: int = 0
    held_back: bool = False
    dimensions_table: pd.DataFrame | None = field(default=None, repr=False)  # for readers (``dimensions_table``)
    outcomes_table: pd.DataFrame | None = field(default=None, repr=False)  # for readers (``outcomes_table``)


# ---------------------------------------------------------------------------------------------------
# actions and method (the words and the slides are in ``readings``, ``slides`` and ``segment_slides``)

def action_blocks(analysis: Analysis, lang: str) -> tuple[ActionBlock, ...]:
    """The actions the method names for each measured shortfall of the chain, largest first, with the
    figures. A merged shortfall gets no actions (it is not known which of its gaps to act on), only the
    tables that would tell; customer answers alone measure no step, so they get none."""
    chain = analysis.chain
    if chain is None or not chain.measured_steps:
        return ()
    blocks = []
    for step in sorted((s for s in chain.steps if s.value < 0), key=lambda s: s.value):
        per_dim = {d: next(s.value for s in c.steps if s.name == step.name)
                   for d, c in analysis.chain_by_dimension.items()}
        worst = min(per_dim, key=per_dim.get)
        heading = t("action_heading", lang, step=plain_step(step.name, lang), value=step.value,
                    dimension=dimension_label(worst, lang), dim_value=per_dim[worst])
        if step.merged:
            blocks.append(ActionBlock(heading, (merged_note(step, lang),)))
            continue
        lines = [line.removeprefix("- ") for line in t(f"actions_{step.name}", lang).split("\n")]
        blocks.append(ActionBlock(heading, tuple(lines)))
    return tuple(blocks)


@dataclass(frozen=True)
class ProviderNeed:
    """A provider table the chain lacks: who fills it in, which gap it measures."""

    table: str
    who: str
    adds: str


def provider_needs(chain: Chain | None, lang: str) -> tuple[ProviderNeed, ...]:
    """What each missing provider table would add to this chain, in chain order; every provider table for a
    study with no chain yet (perceptions only: they come once expectations are asked)."""
    tables = chain.missing_tables if chain is not None else tuple(PROVIDER_OF_LEVEL[level] for level in "MSDC")
    return tuple(ProviderNeed(table, t(f"provider_who_{table}", lang), t(f"provider_adds_{table}", lang))
                 for table in tables)


def method_lines(study: Study, analysis: Analysis, lang: str, *, weighted: bool, min_cell: int,
                 model: DriverModel | None) -> tuple[str, ...]:
    files = ", ".join(dict.fromkeys(s.file for s in study.sources))
    lines = [t("method_sources", lang, files=files, n=study.n),
             t("method_selection", lang, filters=filters_text(analysis.filters, lang, study), n=analysis.n),
             t(f"method_scale{design_suffix(study)}", lang, low=study.scale.low, high=study.scale.high),
             t("method_weights_on" if weighted else "method_weights_off", lang),
             t("method_min_cell", lang, min_cell=min_cell),
             t(f"method_tests{design_suffix(study)}", lang)]
    if model is not None:
        lines.append(t("method_drivers", lang, outcome=t(f"role_{model.outcome}", lang), n=model.n,
                       kind=t(f"model_{model.kind}", lang)))
        lines.extend(note_text(note, lang) for note in model.notes)
    return tuple(lines)


# ---------------------------------------------------------------------------------------------------
# the whole story

def default_segment(study: Study) -> str | None:
    """The segment to compare when none is chosen: the first one that is not the wave."""
    return next((c for c in study.segments if c != study.wave), None)


def report_segment(study: Study, segment: str | None) -> str | None:
    """The segment a story compares: the one asked for when the study has it, else the default."""
    return segment if segment in study.segments else default_segment(study)


def report_story(prepared: Prepared, filters: Filters | None = None, *, lang: str = "en", min_cell: int = MIN_CELL,
                 segment: str | None = None) -> Story:
    """The story a report file is written from (the command line's ``report``, ``gapcore.report``): a segment
    named for its sentences must be one of the study's."""
    segments = prepared.study.segments
    if segment is not None and segment not in segments:
        raise GapcoreError("unknown_segment", column=segment, segments=", ".join(segments))
    return build_story(prepared, filters, lang=lang, min_cell=min_cell, segment=segment)


def build_story(prepared: Prepared, filters: Filters | None = None, *, lang: str = "en", min_cell: int = MIN_CELL,
                segment: str | None = None, driver_model: DriverModel | None = None,
                fit_model: bool = True, analysis: Analysis | None = None,
                segment_analyses: Mapping[str, Analysis] | None = None,
                comparison: SegmentComparison | None = None, tracking: Tracking | None = None) -> Story:
    """Every slide that the data supports under ``filters``.

    ``driver_model`` may be passed when it is already fitted (the app caches it); otherwise the model of
    the first outcome is fitted here unless ``fit_model`` is false. A selection under the minimum cell
    size yields a story with no figures: the title slide says it is held back. ``analysis``,
    ``segment_analyses`` (each value of the report's segment), ``comparison`` (its values compared) and
    ``tracking`` (the waves) may be passed when already computed under the same filters and minimum cell size
    (the app keeps them).
    """
    study = prepared.study
    clean = normalize_filters(study, filters)
    analysis = analysis if analysis is not None else analyze(prepared, clean, min_cell=min_cell)
    title = t(f"report_title{design_suffix(study)}", lang)
    subtitle = t("report_subtitle", lang, study=study.sources[0].file if study.sources else "",
                 filters=filters_text(clean, lang, study), n=analysis.n, date=date.today().isoformat())
    if analysis.suppressed:
        return Story(lang, title, subtitle, (), (), (t("held_back", lang, min_cell=min_cell),), {}, n=analysis.n,
                     held_back=True)

    segment = report_segment(study, segment)
    if comparison is None or comparison.column != segment:
        comparison = compare_segments(prepared, segment, clean, min_cell=min_cell) if segment else None
    if tracking is None and follows_waves(prepared, clean):
        tracking = track_waves(prepared, study.wave, clean, min_cell=min_cell)
    model = driver_model
    if model is None and fit_model and carries_a_model(analysis):
        model = fit_driver_model(prepared, clean)

    waterfall = waterfall_slide(study, analysis, lang)
    if waterfall is not None and segment in linked_segments(study):  # as the Gap model page says it
        by_value = segment_analyses if segment_analyses is not None else by_segment_value(
            prepared, segment, clean, min_cell=min_cell)
        company = company_beside(prepared, segment, clean, min_cell=min_cell, analysis=analysis)
        extra = segment_chain_reading(company, by_value, segment, lang)
        if extra:
            reading = f"{waterfall.reading} {extra}"
            waterfall = replace(waterfall, reading=reading, notes=slide_notes("waterfall", reading, analysis.n, lang))
    slides = [radar_slide(study, analysis, lang), items_slide(study, analysis, lang), waterfall,
              drivers_slide(study, model, lang) if model is not None else None,
              heatmap_slide(study, comparison, lang, min_cell) if comparison is not None else None,
              consistency_slide(study, comparison, lang) if comparison is not None else None,
              tracking_slide(study, tracking, lang) if tracking is not None else None]
    tables = result_tables(study, analysis, lang, comparison=comparison, tracking=tracking, model=model)
    return Story(lang, title, subtitle, tuple(s for s in slides if s is not None),
                 action_blocks(analysis, lang),
                 method_lines(study, analysis, lang, weighted=prepared.weighted, min_cell=min_cell, model=model),
                 tables, n=analysis.n, dimensions_table=dimensions_table(study, analysis, lang),
                 outcomes_table=outcomes_table(analysis, lang))


def carries_a_model(analysis: Analysis) -> bool:
    """The selection can carry a driver model: the study has an outcome, and at least ``MODEL_MIN_N``
    respondents (and the minimum cell size) are selected. The report's driver slide and the derived
    importance of the importance-performance chart ask this one rule."""
    return bool(analysis.prepared.study.outcomes) and analysis.n >= max(analysis.min_cell, MODEL_MIN_N)


def ipa_table(analysis: Analysis, model_of: Callable[[], DriverModel | None]) -> pd.DataFrame:
    """The importance-performance table: the importance the study asked (stated), else the importance derived
    from the driver model of its first outcome — ``model_of()`` is asked only then, and only when the
    selection carries a model; empty when neither exists."""
    model = None
    if analysis.importance_performance.empty and carries_a_model(analysis):
        model = model_of()
    return importance_performance(analysis, derived_importance(model) if model is not None else None)


def fit_driver_model(prepared: Prepared, filters: Filters) -> DriverModel | None:
    """The driver model of the study's first outcome (SERVQUAL gaps when expectations exist), or ``None``
    when the selection cannot carry one (too few rows, a constant predictor)."""
    from gapcore.driver_model import fit_drivers

    study = prepared.study
    predictors = default_predictors(study)
    try:
        return fit_drivers(study, study.outcomes[0], predictors=predictors, filters=filters,
                           use_weight=prepared.weighted, bootstrap=BOOTSTRAP)
    except GapcoreError:
        return None


class ResultTables(Mapping[str, pd.DataFrame]):
    """The result tables by name, each built when it is first read: the Report page shows one table and
    the presentation view none, while the workbook reads them all. The names are known at once (they are
    the sheet and file names of the exports)."""

    def __init__(self, builders: Mapping[str, Callable[[], pd.DataFrame]]) -> None:
        self._builders = dict(builders)
        self._built: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._built:
            self._built[name] = self._builders[name]().reset_index(drop=True)
        return self._built[name]

    def __contains__(self, name: object) -> bool:  # Mapping's own would build the table to find out
        return name in self._builders

    def __iter__(self) -> Iterator[str]:
        return iter(self._builders)

    def __len__(self) -> int:
        return len(self._builders)

    @property
    def built(self) -> tuple[str, ...]:
        """The names of the tables built so far."""
        return tuple(self._built)


def _chain_table(analysis: Analysis) -> pd.DataFrame:
    """Every step of the company's chain and of each dimension's, one row each."""
    assert analysis.chain is not None
    chains = [("all", analysis.chain), *analysis.chain_by_dimension.items()]
    return pd.DataFrame([{"dimension": dim, "step": s.name, "from": s.start, "to": s.end, "value": s.value,
                          "merged": s.merged} for dim, chain in chains for s in chain.steps])


def result_tables(study: Study, analysis: Analysis, lang: str, *, comparison: SegmentComparison | None = None,
                  tracking: Tracking | None = None, model: DriverModel | None = None) -> ResultTables:
    """Every result table, named (the names are the sheet and file names of the exports), built when read."""

    def dimensions() -> pd.DataFrame:
        labels = dimension_labels(study, lang)
        return analysis.dimensions.assign(dimension_label=analysis.dimensions["dimension"].map(
            lambda d: labels.get(d, d)))

    builders: dict[str, Callable[[], pd.DataFrame]] = {
        "dimensions": dimensions,
        "items": lambda: items_frame(study, analysis, lang).drop(columns=["item_label"]),
        "overall": lambda: analysis.overall,
        "outcomes": lambda: analysis.outcomes,
        **({} if study.perception_only else {"zone": lambda: analysis.zone}),
        "reliability": lambda: analysis.reliability,
        "reliability_items": lambda: analysis.reliability_items,
        "importance_performance": lambda: importance_performance(
            analysis, derived_importance(model) if model is not None else None),
    }
    if analysis.chain is not None:
        builders["gap_chain"] = partial(_chain_table, analysis)
    if comparison is not None:
        builders |= {
            "segments": lambda: comparison.cells.assign(column=comparison.column),
            "segment_tests": lambda: comparison.tests.assign(column=comparison.column),
            "segment_pairs": lambda: comparison.pairwise.assign(column=comparison.column, correction="holm"),
            "consistency": lambda: comparison.spread.assign(column=comparison.column)}
    if tracking is not None:
        builders |= {"tracking": lambda: tracking.points.assign(column=tracking.column),
                     "tracking_changes": lambda: tracking.changes.assign(column=tracking.column)}
    if model is not None:
        builders |= {
            "driver_coefficients": lambda: model.coefficients.assign(outcome=model.outcome, model=model.kind),
            "driver_importance": lambda: model.importance.assign(outcome=model.outcome),
            "driver_fit": lambda: pd.DataFrame([{"outcome": model.outcome, "n": model.n, **model.fit}])}
    return ResultTables(builders)
