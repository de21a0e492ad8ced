"""Dimensions: radar of expectation and perception (perception alone in a SERVPERF study), outcomes, segments
side by side, items, reliability, IPA."""

from __future__ import annotations

from functools import partial

import streamlit as st

from gapcore.driver_model import default_predictors
from gapcore.errors import GapcoreError
from gapcore.i18n import t
from gapcore.present.charts import ipa_chart
from gapcore.present.readings import design_suffix, scope_text
from gapcore.present.slides import ipa_names, items_frame, items_slide, radar_series, radar_slide
from gapcore.present.story import ipa_table
from gapcore.present.tables import (
    alpha_undefined,
    dimension_labels,
    item_reliability_table,
    items_table,
    no_variation_items,
    outcomes_table,
    overall_lines,
    reliability_table,
)
from ui import state
from ui.downloads import drawn_with_downloads, slide_with_downloads
from ui.page import page_opened, run
from ui.plain import as_text
from ui.segment_radars import segments_panel


def dimensions_page(lang: str) -> None:
    if (opened := page_opened(lang, "nav_dimensions")) is None:
        return
    study, analysis = opened
    labels = dimension_labels(study, lang)
    series_labels = radar_series(study, lang)
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
        drawn_with_downloads(partial(ipa_chart, ipa, labels=ipa_names(ipa, labels, lang), title=t("ipa_title", lang),
                                     lang=lang),
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


def items_panel(study, analysis, lang: str) -> None:
    st.subheader(t(f"items_title{design_suffix(study)}", lang))
    items = state.reading(("items", lang), lambda: items_frame(study, analysis, lang))
    st.dataframe(state.reading(("items_table", lang), lambda: items_table(items, lang)), hide_index=True,
                 width="stretch")
    flat = no_variation_items(items)
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
