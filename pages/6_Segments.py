"""Segments: each dimension's gap across the values of one segment column, how consistent the service is
across them, and how it moves over waves."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from gapcore.i18n import dimension_label, t
from gapcore.present.story import (
    consistency_slide,
    default_segment,
    dimension_labels,
    heatmap_slide,
    scope_text,
    tracking_slide,
)
from gapcore.segments import compare_segments, consistency, track_waves
from gapcore.stats import p_text
from ui import keys, state, view
from ui.downloads import chart_with_downloads
from ui.page import run, shown_analysis
from ui.plain import as_text


def segments_page(lang: str) -> None:
    st.title(t("nav_segments", lang))
    study = state.current_study()
    if shown_analysis(lang) is None:
        return
    if not study.segments:
        st.info(t("seg_none", lang))
        return
    options = list(study.segments)
    default = default_segment(study) or options[0]
    column = view.selectbox(st, t("seg_column", lang), options, default=default, param="by", key="w_seg_column",
                            format_func=lambda c: study.segment_label(c, lang))
    prepared = state.prepared()
    filters = state.current_filters()
    min_cell = int(st.session_state[keys.MIN_CELL])
    comparison = compare_segments(prepared, column, filters, min_cell=min_cell)
    st.caption(as_text(scope_text(filters, lang, compared=column, study=study)))
    slide = heatmap_slide(study, comparison, lang, min_cell)
    if slide is None:
        st.warning(as_text(t("reading_heatmap_none", lang, column=column)))
    else:
        chart_with_downloads(slide.chart, f"heatmap_{column}", lang, export_width=slide.width)
        st.write(as_text(slide.reading))
        st.caption(t("seg_letters", lang, correction=comparison.correction.capitalize(), min_cell=min_cell))
        tests_panel(comparison, lang)
        consistency_panel(study, comparison, lang)
    tracking_panel(study, filters, min_cell, lang)


def tests_panel(comparison, lang: str) -> None:
    labels = {"overall": t("overall_column", lang)}
    with st.expander(t("seg_tests_title", lang)):
        tests = comparison.tests
        st.dataframe(pd.DataFrame({
            t("col_dimension", lang): [labels.get(d) or dimension_label(d, lang) for d in tests["dimension"]],
            t("col_welch", lang): [f"{f:.2f} ({a:.0f}, {b:.1f})" if pd.notna(f) else "" for f, a, b in
                                   zip(tests["welch_F"], tests["welch_df1"], tests["welch_df2"], strict=True)],
            t("col_welch_p", lang): tests["welch_p"].map(p_text),
            t("col_kruskal", lang): tests["kruskal_H"].round(2),
            t("col_kruskal_p", lang): tests["kruskal_p"].map(p_text),
        }), hide_index=True, width="stretch")
        pairs = comparison.pairwise
        if not pairs.empty:
            st.caption(t("seg_pairs_title", lang))
            st.dataframe(pd.DataFrame({
                t("col_dimension", lang): [labels.get(d) or dimension_label(d, lang) for d in pairs["dimension"]],
                t("col_pair", lang): pairs["a"] + " − " + pairs["b"],
                t("col_difference", lang): pairs["difference"].round(3),
                t("col_p_welch", lang): pairs["p"].map(p_text),
                t("col_p_holm", lang): pairs["p_holm"].map(p_text),
                t("col_p_fdr", lang): pairs["p_fdr"].map(p_text),
            }), hide_index=True, width="stretch")


def consistency_panel(study, comparison, lang: str) -> None:
    st.subheader(t("consistency_title", lang))
    st.caption(as_text(scope_text(state.current_filters(), lang, compared=comparison.column, study=study)))
    slide = consistency_slide(study, comparison, lang)
    if slide is None:
        return
    st.write(as_text(slide.reading))
    spread = consistency(comparison)
    spread = spread[spread["dimension"] != "overall"]
    labels = dimension_labels(study, lang)
    left, right = st.columns([1, 1], gap="large")
    chart_with_downloads(slide.chart, f"consistency_{comparison.column}", lang, container=left,
                         export_width=slide.width)
    right.dataframe(pd.DataFrame({
        t("col_dimension", lang): spread["dimension"].map(labels),
        t("col_sd", lang): spread["sd"].round(2), t("col_range", lang): spread["range"].round(2),
        t("col_furthest", lang): spread["furthest"], t("col_distance", lang): spread["furthest_distance"].round(2),
    }), hide_index=True, width="stretch")


def tracking_panel(study, filters, min_cell: int, lang: str) -> None:
    st.subheader(t("tracking_section", lang))
    if study.wave is None:
        st.info(t("tracking_none", lang))
        return
    if study.wave in filters:
        st.info(t("tracking_filtered", lang))
        return
    tracking = track_waves(state.prepared(), study.wave, filters, min_cell=min_cell)
    st.caption(as_text(scope_text(filters, lang, study=study)))
    slide = tracking_slide(study, tracking, lang)
    if slide is None:
        st.info(t("tracking_none", lang))
        return
    chart_with_downloads(slide.chart, f"tracking_{study.wave}", lang, export_width=slide.width)
    st.write(as_text(slide.reading))
    if tracking.by_month:
        st.caption(t("tracking_months", lang))
    held = tracking.points[tracking.points["suppressed"]]["wave"].unique()
    for wave in held:
        st.caption(as_text(t("segment_held", lang, value=wave, min_cell=min_cell)))
    st.caption(t("changes_title", lang))
    labels = {"overall": t("overall_column", lang)}
    changes = tracking.changes
    st.dataframe(pd.DataFrame({
        t("col_dimension", lang): [labels.get(d) or dimension_label(d, lang) for d in changes["dimension"]],
        t("col_from", lang): changes["wave_from"], t("col_to", lang): changes["wave_to"],
        t("col_change", lang): changes["difference"].map(lambda v: f"{v:+.2f}"),
        t("col_p_welch", lang): changes["p"].map(p_text), t("col_p_holm", lang): changes["p_holm"].map(p_text),
    }), hide_index=True, width="stretch")


run(segments_page, title="ServiceGap · Segments")
