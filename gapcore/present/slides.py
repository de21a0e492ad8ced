"""The slides of one study and filter: each a title, a one-sentence reading, speaker notes and a chart
built when first asked for (``Slide.chart``), with the same figures as native office charts
(``Slide.native``) -- the radar, the items, the waterfall of the gap chain and the drivers; the segment
slides are in ``gapcore.present.segment_slides``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, partial

import altair as alt
import pandas as pd

from gapcore.analysis import (
    Analysis,
)
from gapcore.driver_model import DriverModel
from gapcore.gaps import Chain
from gapcore.i18n import dimension_label, t
from gapcore.io.study import Study
from gapcore.present.charts import (
    DOWN_COLOR,
    EXPECTATION_COLOR,
    ITEM_STEP,
    LEVEL_COLOR,
    PERCEPTION_COLOR,
    RADAR_MIN_SPOKES,
    UP_COLOR,
    coefficient_chart,
    dumbbell_chart,
    importance_chart,
    perception_items_chart,
    radar_chart,
    series_colors,
    tip_titles,
)
from gapcore.present.readings import (
    design_suffix,
    merged_note,
    model_key,
    model_suffix,
    plain_step,
    step_labels,
    top_driver,
    worst_and_best,
)
from gapcore.present.tables import dimension_labels
from gapcore.present.waterfall import waterfall_chart, waterfall_domain, waterfall_frame, waterfall_grid
from gapcore.stats import p_text

PROJECTOR_ITEMS = 10  # a room reads ten rows of items, not twenty-two


PROJECTOR_PANEL_HEIGHT = 330  # px: two driver panels side by side on the presentation view's stage


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


def radar_levels(dims: pd.DataFrame, series: tuple[str, ...] = ("E", "P")) -> pd.DataFrame:
    """Long frame for the radar: one row per series and dimension (with the gap where the study has one)."""
    figures = [c for c in ("gap", "n", "ci_low", "ci_high") if c in dims]
    rows = [{"series": level, "dimension": r["dimension"], "value": r[level], **{c: r[c] for c in figures}}
            for level in series for _, r in dims.iterrows()]
    return pd.DataFrame(rows)


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


def numbers(column: pd.Series) -> tuple[float | None, ...]:
    """A column as a native chart's series: numbers to four places, a gap as None."""
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
                        tuple((series_labels.get(s, s), numbers(v)) for s, v in by_series.items()),
                        tuple(colors[: len(by_series)]), value_range=(low, high)),)


def radar_series(study: Study, lang: str) -> dict[str, str]:
    """The levels a radar draws, named in ``lang``: expectation and perception, or perception alone in a
    SERVPERF study."""
    return {level: t(f"series_{level}", lang) for level in (("E", "P") if study.paired else ("P",))}


def radar_slide(study: Study, analysis: Analysis, lang: str, *, size: int = 480) -> Slide:
    labels = dimension_labels(study, lang)
    scale = study.scale
    paired = study.paired
    series = tuple(radar_series(study, lang))
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
        series = tuple((t(f"series_{s}", lang), numbers(items[s])) for s in ("E", "P"))
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
        return (NativeChart("bar", title, tuple(items["item_label"]), ((t("series_P", lang), numbers(items["P"])),),
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
    series = [("", numbers(pd.Series(base)))]
    for kind in ("level", "up", "down", "total"):
        series.append((kinds[kind], numbers(height.where(frame["kind"] == kind))))
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


def waterfall_slide(study: Study, analysis: Analysis, lang: str) -> Slide | None:
    if analysis.chain is None:
        return None
    title = t("waterfall_title", lang)
    chart = partial(waterfall_for, analysis.chain, study, lang, title)
    reading = " ".join(part for part in (chain_reading(analysis, lang), promise_reading(analysis.chain, lang)) if part)
    return Slide("waterfall", title, chart, reading, width=900, height=380,
                 native_charts=partial(native_waterfall, analysis.chain, study, lang, title),
                 notes=slide_notes("waterfall", reading, analysis.n, lang))


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
                            ((t(model_key("coef_axis", model), lang), numbers(coefs["coef"])),), (PERCEPTION_COLOR,),
                            t(model_key("coef_axis", model), lang), number_format="0.000"),
                NativeChart("bar", t("importance_title", lang), tuple(importance["dimension"].map(labels)),
                            tuple((t(f"method_{m}", lang), numbers(importance[m])) for m in ("shapley", "johnson")),
                            (EXPECTATION_COLOR, "E69F00"), t("importance_axis", lang), number_format="0.0"))

    reading = drivers_reading(study, model, lang)
    return Slide("drivers", title, chart, reading, width=960, height=420, native_charts=native,
                 notes=slide_notes(model_key("drivers", model), reading, model.n, lang))


def ipa_names(ipa: pd.DataFrame, labels: Mapping[str, str], lang: str) -> dict[str, str]:
    """The importance-performance chart's words: dimensions, the axes (stated or derived importance) and the
    four quadrants."""
    quadrants = ("concentrate_here", "keep_up_the_good_work", "low_priority", "possible_overkill")
    return {**labels, "importance": t(f"importance_{ipa['source'].iloc[0]}", lang),
            "performance": t("performance", lang), **{q: t(q, lang) for q in quadrants}}


def dimension_chains(study: Study, analysis: Analysis, lang: str) -> dict[str, Chain]:
    """Each dimension's chain, under the dimension's name."""
    labels = dimension_labels(study, lang)
    return {labels[dimension]: chain for dimension, chain in analysis.chain_by_dimension.items()}


def projector_slide(slide: Slide, study: Study, analysis: Analysis, lang: str) -> Slide:
    """A slide as the presentation view shows it to a room: the items slide cut to its ten largest rows, the
    drivers' two panels side by side, each as tall as the stage leaves."""
    if slide.key == "items":
        return items_slide(study, analysis, lang, top=PROJECTOR_ITEMS) or slide
    if slide.key == "drivers":
        def side_by_side() -> alt.HConcatChart:
            panels = (panel.properties(height=PROJECTOR_PANEL_HEIGHT) for panel in slide.chart.hconcat)
            return alt.hconcat(*panels, spacing=60)
        return replace(slide, draw=side_by_side)
    return slide
