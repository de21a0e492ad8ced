"""The results of one study, filter and language as a sequence of slides: chart, title and a one-sentence
reading each, then what to do and how the figures were made.

The same ``Story`` feeds the presentation view, the PowerPoint deck and the HTML report, and its
``tables`` feed the Excel workbook and the CSV files, so every export shows what the screen shows —
minimum cell size included (a held-back selection yields no figures at all).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property, partial

import altair as alt
import numpy as np
import pandas as pd

from gapcore.analysis import (
    Analysis,
    Prepared,
    analyze,
    by_segment_value,
    company_beside,
    importance_performance,
    step_by_value,
)
from gapcore.defaults import MIN_CELL, MODEL_MIN_N
from gapcore.driver_model import BOOTSTRAP, DriverModel, DriverNote, default_predictors, derived_importance
from gapcore.errors import GapcoreError
from gapcore.filters import Filters, normalize_filters
from gapcore.gaps import PROVIDER_OF_LEVEL, Chain, ChainStep, linked_segments
from gapcore.i18n import dimension_label, t
from gapcore.io.study import Study
from gapcore.present.charts import (
    DOWN_COLOR,
    EXPECTATION_COLOR,
    ITEM_STEP,
    LEVEL_COLOR,
    OKABE_ITO,
    PERCEPTION_COLOR,
    RADAR_MIN_SPOKES,
    UP_COLOR,
    coefficient_chart,
    consistency_chart,
    dumbbell_chart,
    heatmap_chart,
    importance_chart,
    perception_items_chart,
    radar_chart,
    series_colors,
    tip_titles,
    tracking_chart,
    waterfall_chart,
    waterfall_domain,
    waterfall_frame,
    waterfall_grid,
)
from gapcore.present.tables import dimension_labels, dimensions_table, outcomes_table
from gapcore.segments import SegmentComparison, Tracking, compare_segments, follows_waves, track_waves
from gapcore.stats import p_text


@dataclass(frozen=True)
class Slide:
    """One chart with its title and reading; ``width``/``height`` are its size in exported pictures.

    ``draw`` builds the chart, once, when it is first asked for (``chart``): a page that lists the
    slides, or shows one of them, does not pay for drawing the others."""

    key: str
    title: str
    draw: Callable[[], alt.TopLevelMixin] = field(repr=False, compare=False)
    reading: str
    width: int = 900
    height: int = 420
    #: the same figures as charts PowerPoint draws itself (editable, data inside); ``None``: a picture
    native_charts: Callable[[], tuple[NativeChart, ...]] | None = field(default=None, repr=False, compare=False)
    notes: str = ""  # speaker notes: the reading, n, the test, what to ask the room

    @cached_property
    def chart(self) -> alt.TopLevelMixin:
        return self.draw()

    @cached_property
    def native(self) -> tuple[NativeChart, ...]:
        return self.native_charts() if self.native_charts is not None else ()


@dataclass(frozen=True)
class NativeChart:
    """A chart in the form office charts take: named series of values over categories.

    ``kind``: ``radar``; ``bar`` (horizontal bars, categories top to bottom); ``waterfall`` (stacked
    columns whose first series is an invisible base); ``line`` (lines with markers); ``dots`` (markers
    only, one series per segment value). ``colors``: one hex colour per series."""

    kind: str
    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]
    colors: tuple[str, ...] = ()
    value_title: str = ""
    value_range: tuple[float, float] | None = None
    number_format: str = "0.00"


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
# labels shared by the pages and the exports

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


# ---------------------------------------------------------------------------------------------------
# charts with their readings

def radar_levels(dims: pd.DataFrame, series: tuple[str, ...] = ("E", "P")) -> pd.DataFrame:
    """Long frame for the radar: one row per series and dimension (with the gap where the study has one)."""
    figures = [c for c in ("gap", "n", "ci_low", "ci_high") if c in dims]
    rows = [{"series": level, "dimension": r["dimension"], "value": r[level], **{c: r[c] for c in figures}}
            for level in series for _, r in dims.iterrows()]
    return pd.DataFrame(rows)


def design_suffix(study: Study) -> str:
    """The catalogue keys' suffix for what a perception-only study says in its own words (``_p``): the one
    switch between SERVQUAL's wording and SERVPERF's."""
    return "_p" if study.perception_only else ""


def radar_tooltip(study: Study, lang: str) -> dict[str, str]:
    """The figures a radar point's tooltip adds, titled: the gap and its interval where the study has
    gaps, else the perception's interval."""
    suffix = design_suffix(study)
    return {**({} if suffix else {"gap": t("col_gap", lang)}), "n": "n",
            "ci_low": t(f"tip_ci_low{suffix}", lang), "ci_high": t(f"tip_ci_high{suffix}", lang)}


def segment_radar_levels(by_value: Mapping[str, Analysis]) -> pd.DataFrame:
    """Perception per dimension of several segment values, one radar series each (series, dimension,
    value, n)."""
    frames = [a.dimensions.assign(series=v)[["series", "dimension", "P", "n"]] for v, a in by_value.items()]
    if not frames:
        return pd.DataFrame(columns=["series", "dimension", "value", "n"])
    return pd.concat(frames, ignore_index=True).rename(columns={"P": "value"})


def _values(column: pd.Series) -> tuple[float | None, ...]:
    return tuple(None if pd.isna(v) else round(float(v), 4) for v in column)


def slide_notes(key: str, reading: str, n: int, lang: str) -> str:
    """Speaker notes of a slide: its reading, n, the test behind it, and a question for the room."""
    return "\n\n".join([reading, f"n = {n:,}", t(f"notes_test_{key}", lang), t(f"notes_ask_{key}", lang)])


def native_radar(levels: pd.DataFrame, *, labels: Mapping[str, str], series_labels: Mapping[str, str], title: str,
                 low: float, high: float) -> tuple[NativeChart, ...]:
    dims = list(dict.fromkeys(levels["dimension"]))
    by_series = {s: g.set_index("dimension")["value"].reindex(dims) for s, g in levels.groupby("series", sort=False)}
    colors = series_colors(list(by_series))
    kind = "radar" if len(dims) >= RADAR_MIN_SPOKES else "dots"
    return (NativeChart(kind, title, tuple(labels.get(d, d) for d in dims),
                        tuple((series_labels.get(s, s), _values(v)) for s, v in by_series.items()),
                        tuple(colors[: len(by_series)]), value_range=(low, high)),)


def radar_slide(study: Study, analysis: Analysis, lang: str, *, size: int = 480) -> Slide:
    labels = dimension_labels(study, lang)
    scale = study.scale
    paired = study.paired
    series = ("E", "P") if paired else ("P",)
    band = None
    zone = analysis.zone
    if not zone.empty:
        z = zone[zone["level"] == "dimension"]
        band = pd.DataFrame({"dimension": z["key"], "low": z["A"], "high": z["E"]})
    title = t(f"radar_title{design_suffix(study)}", lang, low=scale.low, high=scale.high)
    levels = radar_levels(analysis.dimensions, series)
    series_labels = {s: t(f"series_{s}", lang) for s in series}
    chart = partial(radar_chart, levels, low=scale.low, high=scale.high, labels=labels, title=title,
                    series_labels=series_labels, band=band, tooltip=radar_tooltip(study, lang),
                    value_title=t("tip_value", lang), size=size)
    native = partial(native_radar, levels, labels=labels, series_labels=series_labels, title=title, low=scale.low,
                     high=scale.high)
    extremes = worst_and_best(analysis.dimensions, "gap" if paired else "P")
    if extremes is None:
        reading = ""
    elif paired:
        worst, best = extremes
        reading = t("reading_radar", lang, worst=labels[worst["dimension"]], worst_value=worst["gap"],
                    best=labels[best["dimension"]], best_value=best["gap"], n=analysis.n)
    else:
        worst = extremes[0]
        reading = t("reading_radar_p", lang, worst=labels[worst["dimension"]], worst_value=worst["P"], n=analysis.n)
    return Slide("radar", title, chart, reading, width=size + 260, height=size + 80, native_charts=native,
                 notes=slide_notes(f"radar{design_suffix(study)}", reading, analysis.n, lang))


def items_frame(study: Study, analysis: Analysis, lang: str) -> pd.DataFrame:
    """Items with their statement in ``lang``: biggest shortfall first where the study has gaps, lowest-rated
    first in a perception-only study (an item not asked last)."""
    items = analysis.items.copy()
    items["text"] = [study.instrument.item(int(k)).text(lang) for k in items["item"]]
    items["dimension_label"] = items["dimension"].map(dimension_labels(study, lang))
    items["item_label"] = [f"{k}. {txt}" for k, txt in zip(items["item"], items["text"], strict=True)]
    order = "P" if study.perception_only else "gap"
    return items.sort_values(order, kind="stable") if order in items and items[order].notna().any() else items


def items_slide(study: Study, analysis: Analysis, lang: str, *, top: int | None = None) -> Slide | None:
    """The item dumbbell (all items, or the ``top`` largest shortfalls when space is short); a
    perception-only study's items as perceptions with their intervals, lowest-rated first."""
    if study.perception_only:
        return perception_items_slide(study, analysis, lang, top=top)
    if not study.paired:
        return None
    all_items = items_frame(study, analysis, lang).dropna(subset=["gap"])
    if all_items.empty:
        return None
    items = all_items.head(top) if top else all_items
    title = t("dumbbell_title", lang)
    chart = partial(dumbbell_chart, items[["item_label", "E", "P", "gap", "n"]],
                    labels={"axis": t("axis_scale", lang)}, low=study.scale.low, high=study.scale.high, title=title,
                    series_labels={"E": t("series_E", lang), "P": t("series_P", lang)}, lang=lang)
    worst = items.iloc[0]
    shortfalls = int((items["gap"] < 0).sum())
    reading = t("reading_items", lang, item=int(worst["item"]), text=worst["text"], value=worst["gap"],
                shortfalls=shortfalls,
                total=len(items))

    def native() -> tuple[NativeChart, ...]:
        series = tuple((t(f"series_{s}", lang), _values(items[s])) for s in ("E", "P"))
        return (NativeChart("bar", title, tuple(items["item_label"]), series, (EXPECTATION_COLOR, PERCEPTION_COLOR),
                            t("axis_scale", lang), (study.scale.low, study.scale.high)),)

    return Slide("items", title, chart, reading, width=980, height=ITEM_STEP * len(items) + 80,
                 native_charts=native, notes=slide_notes("items", reading, analysis.n, lang))


def perception_items_slide(study: Study, analysis: Analysis, lang: str, *, top: int | None = None) -> Slide | None:
    """A perception-only study's items: each perception with its 95% CI, lowest-rated first."""
    all_items = items_frame(study, analysis, lang).dropna(subset=["P"])
    if all_items.empty:
        return None
    items = all_items.head(top) if top else all_items
    title = t("items_chart_title_p", lang)
    titles = tip_titles(lang)
    tooltip = {"P": t("series_P", lang), **{c: titles[c] for c in ("ci_low", "ci_high", "n")}}
    chart = partial(perception_items_chart, items[["item_label", "P", "ci_low", "ci_high", "n"]],
                    low=study.scale.low, high=study.scale.high, title=title, axis_title=t("axis_scale", lang),
                    tooltip=tooltip)
    lowest, highest = all_items.iloc[0], all_items.iloc[-1]
    reading = t("reading_items_p", lang, item=int(lowest["item"]), text=lowest["text"], value=lowest["P"],
                best_item=int(highest["item"]), best_text=highest["text"], best_value=highest["P"],
                total=len(all_items))

    def native() -> tuple[NativeChart, ...]:
        return (NativeChart("bar", title, tuple(items["item_label"]), ((t("series_P", lang), _values(items["P"])),),
                            (PERCEPTION_COLOR,), t("axis_scale", lang), (study.scale.low, study.scale.high)),)

    return Slide("items", title, chart, reading, width=980, height=ITEM_STEP * len(items) + 80,
                 native_charts=native, notes=slide_notes("items_p", reading, analysis.n, lang))


def _waterfall_texts(lang: str) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """The waterfall's bar names (steps, levels) and colour legend (kinds) in ``lang``."""
    return (step_labels(lang), {"E": t("wf_E", lang), "P": t("wf_P", lang)},
            {k: t(f"kind_{k}", lang) for k in ("level", "up", "down", "total")})


def waterfall_for(chain: Chain, study: Study, lang: str, title: str, *, promise: bool = True,
                  **size: object) -> alt.LayerChart:
    """The waterfall of one chain; the promised level is drawn beside gap 4 on full-size charts."""
    steps, levels, kinds = _waterfall_texts(lang)
    frame = waterfall_frame(chain, step_labels=steps, level_labels=levels)
    promised = None
    gap4 = frame[frame["key"] == "gap4"]
    if promise and chain.gap4_promise is not None and chain.levels.get("D") is not None and not gap4.empty:
        level = chain.levels["D"] - chain.gap4_promise
        promised = pd.DataFrame({"label": [gap4["label"].iloc[0]], "level": [level],
                                 "text": [t("promised_level", lang, value=level)]})
    return waterfall_chart(frame, low=study.scale.low, high=study.scale.high, title=title, kind_labels=kinds,
                           value_title=t("tip_step", lang),
                           promise=promised, **size)


def native_waterfall(chain: Chain, study: Study, lang: str, title: str) -> tuple[NativeChart, ...]:
    """The waterfall as stacked columns: an invisible base, then the bar's own height in the series of its
    kind (level, step up, step down, gap 5), on the same zoomed value axis as the picture."""
    steps, levels, kinds = _waterfall_texts(lang)
    frame = waterfall_frame(chain, step_labels=steps, level_labels=levels)
    low, _ = waterfall_domain(frame, study.scale.low, study.scale.high)
    bottom = frame[["start", "end"]].min(axis=1)
    base = [0.0 if kind == "level" else b for kind, b in zip(frame["kind"], bottom, strict=True)]
    height = (frame["end"] - frame["start"]).abs()
    series = [("", _values(pd.Series(base)))]
    for kind in ("level", "up", "down", "total"):
        series.append((kinds[kind], _values(height.where(frame["kind"] == kind))))
    labels = tuple(label.replace("\n", " ") for label in frame["label"])
    return (NativeChart("waterfall", title, labels, tuple(series), ("", LEVEL_COLOR, UP_COLOR, DOWN_COLOR, "000000"),
                        value_range=(low, float(study.scale.high))),)


def waterfall_grid_for(chains: Mapping[str, Chain], lang: str, study: Study, **size: int) -> alt.FacetChart:
    """Several chains (each dimension; a segment beside the company) as panels of one chart."""
    steps, levels, kinds = _waterfall_texts(lang)
    frames = {name: waterfall_frame(chain, step_labels=steps, level_labels=levels) for name, chain in chains.items()}
    return waterfall_grid(frames, low=study.scale.low, high=study.scale.high, kind_labels=kinds,
                          value_title=t("tip_step", lang), **size)


def worst_step(analysis: Analysis) -> tuple[str, float, str, float]:
    """The largest shortfall of the chain and the dimension where that step is largest."""
    chain = analysis.chain
    worst = chain.worst_step
    by_dim = {d: next(s.value for s in c.steps if s.name == worst.name) for d, c in analysis.chain_by_dimension.items()}
    dim = min(by_dim, key=by_dim.get) if by_dim else ""
    return worst.name, worst.value, dim, by_dim.get(dim, float("nan"))


def chain_reading(analysis: Analysis, lang: str) -> str:
    """What the chain says, and only what the data measured: with customer answers alone, gap 5 and where
    it is largest; otherwise the largest step, and for a merged step which table would split it."""
    chain = analysis.chain
    name, value, dim, dim_value = worst_step(analysis)
    dimension = dimension_label(dim, lang) if dim else ""
    if not chain.measured_steps:
        return t("reading_gap5_only", lang, gap5=chain.gap5, dimension=dimension, dim_value=dim_value)
    reading = t("reading_main", lang, gap5=chain.gap5, step=plain_step(name, lang), value=value,
                dimension=dimension, dim_value=dim_value)
    if chain.worst_step.merged:
        reading += " " + merged_note(chain.worst_step, lang)
    return reading


def promise_reading(chain: Chain, lang: str) -> str | None:
    """The promise check (delivered − promised, gap 4's second half) and its verdict: promises that run
    ahead of delivery (a negative difference) or not; ``None`` when the study has no promises table."""
    if chain.gap4_promise is None:
        return None
    verdict = t("promise_over" if chain.gap4_promise < 0 else "promise_ok", lang)
    return t("promise_check", lang, value=chain.gap4_promise, verdict=verdict)


def merged_note(step: ChainStep, lang: str) -> str:
    """A merged step is measured only as a whole: which tables would tell its gaps apart."""
    return t("reading_merged_note", lang, step=plain_step(step.name, lang),
             tables=table_list(step.missing_tables, lang))


def table_list(tables: Sequence[str], lang: str) -> str:
    return t("list_separator", lang).join(t(f"table_{table}", lang) for table in tables)


def waterfall_slide(study: Study, analysis: Analysis, lang: str) -> Slide | None:
    if analysis.chain is None:
        return None
    title = t("waterfall_title", lang)
    chart = partial(waterfall_for, analysis.chain, study, lang, title)
    reading = " ".join(part for part in (chain_reading(analysis, lang), promise_reading(analysis.chain, lang)) if part)
    return Slide("waterfall", title, chart, reading, width=900, height=380,
                 native_charts=partial(native_waterfall, analysis.chain, study, lang, title),
                 notes=slide_notes("waterfall", reading, analysis.n, lang))


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


def driver_drawings(study: Study, model: DriverModel, lang: str) -> tuple[partial, partial]:
    """The coefficients with their intervals, and the importance shares, labelled in ``lang``: each a
    ``partial`` of its chart builder, so a page can keep the chart by what it is drawn from."""
    labels = dimension_labels(study, lang)
    importance = model.importance.assign(label=model.importance["dimension"].map(labels))
    coefs = model.coefficients[model.coefficients["term"].isin(labels)].copy()
    coefs["label"] = coefs["term"].map(labels)
    coefs["p_text"] = coefs["p"].map(p_text)
    return (partial(coefficient_chart, coefs, title=t(f"coef_title{model_suffix(model)}", lang),
                    x_title=t(model_key("coef_axis", model), lang), lang=lang),
            partial(importance_chart, importance, title=t("importance_title", lang),
                    x_title=t("importance_axis", lang),
                    method_labels={m: t(f"method_{m}", lang) for m in ("shapley", "johnson")}))


def driver_charts(study: Study, model: DriverModel, lang: str) -> tuple[alt.LayerChart, alt.LayerChart]:
    """The coefficients chart and the importance chart (``driver_drawings``, drawn)."""
    coefficients, importance = driver_drawings(study, model, lang)
    return coefficients(), importance()


def drivers_reading(study: Study, model: DriverModel, lang: str) -> str:
    top = top_driver(model)
    share = float(model.importance.set_index("dimension").loc[top, "shapley"])
    return t("drivers_reading", lang, dimension=dimension_labels(study, lang)[top],
             outcome=t(f"role_{model.outcome}", lang), share=abs(share), model=model.predictors.upper(), n=model.n)


def drivers_slide(study: Study, model: DriverModel, lang: str) -> Slide:
    title = t("drivers_slide_title", lang, outcome=t(f"role_{model.outcome}", lang))

    def chart() -> alt.HConcatChart:
        coefficients, importance = driver_charts(study, model, lang)
        return alt.hconcat(coefficients.properties(width=380), importance.properties(width=380), spacing=40)

    def native() -> tuple[NativeChart, ...]:
        labels = dimension_labels(study, lang)
        coefs = model.coefficients[model.coefficients["term"].isin(labels)]
        importance = model.importance
        return (NativeChart("bar", t(f"coef_title{model_suffix(model)}", lang), tuple(coefs["term"].map(labels)),
                            ((t(model_key("coef_axis", model), lang), _values(coefs["coef"])),), (PERCEPTION_COLOR,),
                            t(model_key("coef_axis", model), lang), number_format="0.000"),
                NativeChart("bar", t("importance_title", lang), tuple(importance["dimension"].map(labels)),
                            tuple((t(f"method_{m}", lang), _values(importance[m])) for m in ("shapley", "johnson")),
                            (EXPECTATION_COLOR, "E69F00"), t("importance_axis", lang), number_format="0.0"))

    reading = drivers_reading(study, model, lang)
    return Slide("drivers", title, chart, reading, width=960, height=420, native_charts=native,
                 notes=slide_notes(model_key("drivers", model), reading, model.n, lang))


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
        return (NativeChart("dots", title, tuple(table.index), tuple((str(v), _values(table[v])) for v in table),
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
                            tuple((str(d), _values(table[d])) for d in table),
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


# ---------------------------------------------------------------------------------------------------
# actions and method

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
