"""Dimensions: radar of expectation and perception (perception alone in a SERVPERF study), outcomes, segments
side by side, items, reliability, IPA."""

from __future__ import annotations

from functools import partial

import streamlit as st

from gapcore.analysis import by_segment_value
from gapcore.driver_model import default_predictors
from gapcore.errors import GapcoreError
from gapcore.filters import segment_values
from gapcore.i18n import t
from gapcore.present.charts import ipa_chart, radar_chart
from gapcore.present.story import (
    design_suffix,
    ipa_table,
    items_frame,
    items_slide,
    radar_levels,
    radar_slide,
    scope_text,
    segment_radar_levels,
)
from gapcore.present.tables import (
    alpha_undefined,
    dimension_labels,
    item_reliability_table,
    items_table,
    outcomes_table,
    overall_lines,
    reliability_table,
)
from ui import keys, state, view
from ui.downloads import drawn_with_downloads, slide_with_downloads
from ui.page import run, shown_analysis
from ui.plain import as_text


def dimensions_page(lang: str) -> None:
    st.title(t("nav_dimensions", lang))
    study = state.current_study()
    analysis = shown_analysis(lang)
    if analysis is None:
        return
    labels = dimension_labels(study, lang)
    series_labels = {s: t(f"series_{s}", lang) for s in (("E", "P") if study.paired else ("P",))}
    radar = state.reading(("radar", lang), lambda: radar_slide(study, analysis, lang, size=480))
    left, right = st.columns([3, 2], gap="large")
    slide_with_downloads(radar, "radar", lang, container=left, width="content", export_width=radar.width)
    left.caption(as_text(radar.reading))
    left.caption(as_text(scope_text(state.current_filters(), lang, study=study)))
    if not analysis.zone.empty:
        left.caption(t("zone_note", lang))
    with right:
        overall_panel(analysis, lang)
        outcomes_panel(analysis, lang)

    segments_panel(study, lang, labels, series_labels)
    items_panel(study, analysis, lang)
    reliability_panel(study, analysis, lang)
    st.subheader(t("ipa_title", lang))
    ipa = ipa_table(analysis, lambda: driver_model_of(study))
    if ipa.empty:
        st.caption(t("ipa_none", lang))
    else:
        names = {**labels, "importance": t(f"importance_{ipa['source'].iloc[0]}", lang),
                 "performance": t("performance", lang),
                 **{q: t(q, lang) for q in ("concentrate_here", "keep_up_the_good_work", "low_priority",
                                            "possible_overkill")}}
        drawn_with_downloads(partial(ipa_chart, ipa, labels=names, title=t("ipa_title", lang), lang=lang),
                             "importance_performance", lang)


def driver_model_of(study):
    """The driver model of the first outcome (the one the Report uses), kept for the session; ``None`` when
    the selection cannot carry one."""
    try:
        return state.driver_model(study.outcomes[0], default_predictors(study))
    except GapcoreError:  # a constant predictor, too few complete rows: no derived importance
        return None


def outcomes_panel(analysis, lang: str) -> None:
    """The outcomes' means (a yes/no retention's share kept) with their CIs, beside the dimensions."""
    table = state.reading(("outcomes", lang), lambda: outcomes_table(analysis, lang))
    if table.empty:
        return
    st.subheader(t("outcomes_title", lang))
    st.dataframe(table, hide_index=True, width="stretch")


def overall_panel(analysis, lang: str) -> None:
    st.subheader(t("overall_title", lang))
    for label, figure, note in overall_lines(analysis, lang):
        st.metric(label, figure)
        st.caption(note)


@st.fragment
def segments_panel(study, lang: str, labels: dict[str, str], series_labels: dict[str, str]) -> None:
    if not study.segments:
        return
    st.subheader(t("compare_by", lang))
    cols = st.columns([2, 4, 2])
    options = ["", *study.segments]
    column = view.selectbox(cols[0], t("compare_by", lang), options, param="compare", key="w_dim_compare",
                            label_visibility="collapsed",
                            format_func=lambda c: study.segment_label(c, lang) if c else t("compare_none", lang))
    if not column:
        return
    values = list(segment_values(study, column))
    chosen = view.multiselect(cols[1], t("compare_values", lang), values, default=values[:6], max_selections=6,
                              param="values", key=f"w_dim_values_{column}")
    layout = view.radio(cols[2], t("compare_layout", lang), ["multiples", "overlay"], param="layout",
                        key="w_dim_layout", format_func=lambda v: t(f"layout_{v}", lang))
    min_cell = int(st.session_state[keys.MIN_CELL])
    st.caption(as_text(scope_text(state.current_filters(), lang, compared=column, study=study)))
    by_value = by_segment_value(state.prepared(), column, state.current_filters(), min_cell=min_cell, values=chosen)
    shown = [(value, result) for value, result in by_value.items() if not result.suppressed]
    held = [value for value, result in by_value.items() if result.suppressed]
    scale = study.scale
    if layout == "overlay" and shown:
        names = {v: t("segment_n", lang, value=study.value_label(column, v, lang), n=r.n) for v, r in shown}
        drawn_with_downloads(partial(radar_chart, segment_radar_levels(dict(shown)), low=scale.low, high=scale.high,
                                     labels=labels, title=t("series_P", lang), series_labels=names, size=440,
                                     value_title=t("series_P", lang)),
                             f"radar_{column}", lang, width="content", export_width=700)
    elif shown:
        grid = st.columns(min(2, len(shown)))
        series = tuple(series_labels)
        for index, (value, result) in enumerate(shown):
            draw = partial(radar_chart, radar_levels(result.dimensions, series), low=scale.low, high=scale.high,
                           labels=labels,
                           title=t("segment_n", lang, value=study.value_label(column, value, lang), n=result.n),
                           series_labels=series_labels, size=340, ring_labels=False, value_title=t("tip_value", lang))
            drawn_with_downloads(draw, f"radar_{column}_{value}", lang, container=grid[index % len(grid)],
                                 width="content", export_width=520)
    for value in held:
        st.caption(as_text(t("segment_held", lang, value=value, min_cell=min_cell)))


def items_panel(study, analysis, lang: str) -> None:
    st.subheader(t(f"items_title{design_suffix(study)}", lang))
    items = state.reading(("items", lang), lambda: items_frame(study, analysis, lang))
    st.dataframe(state.reading(("items_table", lang), lambda: items_table(items, lang)), hide_index=True,
                 width="stretch")
    flat = items.loc[items["no_variation"], "item"].astype(int).tolist()
    if flat:
        st.caption(t("no_variation_items", lang, items=", ".join(map(str, flat))))
    slide = state.reading(("items_slide", lang), lambda: items_slide(study, analysis, lang))
    if slide is not None:
        slide_with_downloads(slide, "items", lang, export_width=slide.width)
        st.caption(as_text(slide.reading))


def reliability_panel(study, analysis, lang: str) -> None:
    st.subheader(t("reliability_title", lang))
    if analysis.reliability.empty:
        return
    table = state.reading(("reliability", lang), lambda: reliability_table(study, analysis, lang))
    st.dataframe(table, hide_index=True, width="stretch")
    if alpha_undefined(analysis):
        st.caption(t("alpha_undefined", lang))
    with st.expander(t("alpha_if_deleted", lang)):
        st.dataframe(state.reading(("item_reliability", lang), lambda: item_reliability_table(study, analysis, lang)),
                     hide_index=True, width="stretch")


run(dimensions_page, title="ServiceGap · Dimensions")
