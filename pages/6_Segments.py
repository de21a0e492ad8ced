"""Segments: each dimension's gap across the values of one segment column, how consistent the service is
across them, and how it moves over waves."""

from __future__ import annotations

import streamlit as st

from gapcore.i18n import t
from gapcore.present.readings import held_waves, scope_text
from gapcore.present.segment_slides import consistency_slide, heatmap_slide, tracking_slide
from gapcore.present.story import default_segment
from gapcore.present.tables import consistency_table, segment_pairs_table, segment_tests_table, wave_changes_table
from gapcore.segments import waves_to_follow
from ui import keys, state, view
from ui.downloads import slide_with_downloads
from ui.page import page_opened, run
from ui.plain import as_text


def segments_page(lang: str) -> None:
    if (opened := page_opened(lang, "nav_segments", needs="segments", missing="seg_none")) is None:
        return
    study, _ = opened
    options = list(study.segments)
    default = default_segment(study) or options[0]
    column = view.selectbox(st, t("seg_column", lang), options, default=default, param="by", key="w_seg_column",
                            format_func=lambda c: study.segment_label(c, lang))
    filters = state.current_filters()
    min_cell = int(st.session_state[keys.MIN_CELL])
    comparison = state.segment_comparison(column)
    st.caption(as_text(scope_text(filters, lang, compared=column, study=study)))
    slide = state.reading(("heatmap", column, lang), lambda: heatmap_slide(study, comparison, lang, min_cell))
    if slide is None:
        st.warning(as_text(t("reading_heatmap_none", lang, column=column)))
    else:
        slide_with_downloads(slide, f"heatmap_{column}", lang, export_width=slide.width)
        st.write(as_text(slide.reading))
        st.caption(t("seg_letters", lang, correction=comparison.correction.capitalize(), min_cell=min_cell))
        tests_panel(comparison, lang)
        consistency_panel(study, comparison, lang)
    tracking_panel(study, filters, min_cell, lang)


def tests_panel(comparison, lang: str) -> None:
    with st.expander(t("seg_tests_title", lang)):
        column = comparison.column
        st.dataframe(state.reading(("segment_tests", column, lang), lambda: segment_tests_table(comparison, lang)),
                     hide_index=True, width="stretch")
        if not comparison.pairwise.empty:
            st.caption(t("seg_pairs_title", lang))
            st.dataframe(state.reading(("segment_pairs", column, lang),
                                       lambda: segment_pairs_table(comparison, lang)), hide_index=True, width="stretch")


def consistency_panel(study, comparison, lang: str) -> None:
    st.subheader(t("consistency_title", lang))
    st.caption(as_text(scope_text(state.current_filters(), lang, compared=comparison.column, study=study)))
    column = comparison.column
    slide = state.reading(("consistency", column, lang), lambda: consistency_slide(study, comparison, lang))
    if slide is None:
        return
    st.write(as_text(slide.reading))
    left, right = st.columns([1, 1], gap="large")
    slide_with_downloads(slide, f"consistency_{comparison.column}", lang, container=left,
                         export_width=slide.width)
    table = state.reading(("consistency_table", column, lang), lambda: consistency_table(study, comparison, lang))
    right.dataframe(table, hide_index=True, width="stretch")


def tracking_panel(study, filters, min_cell: int, lang: str) -> None:
    st.subheader(t("tracking_section", lang))
    waves = waves_to_follow(study, filters)
    if waves != "followed":  # no wave column, or a filter fixes the wave
        st.info(t(f"tracking_{waves}", lang))
        return
    tracking = state.wave_tracking()
    st.caption(as_text(scope_text(filters, lang, study=study)))
    slide = state.reading(("tracking", lang), lambda: tracking_slide(study, tracking, lang))
    if slide is None:
        st.info(t("tracking_none", lang))
        return
    slide_with_downloads(slide, f"tracking_{study.wave}", lang, export_width=slide.width)
    st.write(as_text(slide.reading))
    if tracking.by_month:
        st.caption(t("tracking_months", lang))
    for wave in held_waves(tracking):
        st.caption(as_text(t("segment_held", lang, value=wave, min_cell=min_cell)))
    st.caption(t("changes_title", lang))
    st.dataframe(state.reading(("wave_changes", lang), lambda: wave_changes_table(tracking, lang)), hide_index=True,
                 width="stretch")


run(segments_page, title="ServiceGap · Segments")
