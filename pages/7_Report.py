"""Report: the PowerPoint deck, the Excel workbook, the HTML report and any table as CSV, for the current
study, filters and language (minimum cell size as on screen)."""

from __future__ import annotations

import streamlit as st

from gapcore.i18n import t
from gapcore.present.exports import EXPORT_FORMATS, export_story, filtered_stem, write_csv
from gapcore.present.story import default_segment
from ui import state, view
from ui.page import run, shown_analysis
from ui.plain import as_text


def report_page(lang: str) -> None:
    st.title(t("nav_report", lang))
    study = state.current_study()
    if shown_analysis(lang) is None:
        st.info(t("report_held", lang))
        return
    st.write(t("report_intro", lang))
    segment = None
    if study.segments:
        options = list(study.segments)
        default = default_segment(study) or options[0]
        segment = view.selectbox(st, t("report_segment", lang), options, default=default, param="by",
                                 key="w_rep_segment", format_func=lambda c: study.segment_label(c, lang))
    story = state.current_story(lang, segment)
    st.caption(as_text(story.subtitle.replace("\n", " · ")))

    stem = filtered_stem(state.current_filters())
    cols = st.columns(3)
    for col, fmt in zip(cols, ("pptx", "xlsx", "html"), strict=True):
        col.download_button(t(f"download_{fmt}", lang), data=lambda fmt=fmt: export_story(story, fmt),
                            file_name=f"{stem}.{fmt}", mime=EXPORT_FORMATS[fmt], key=f"dl_report_{fmt}",
                            on_click="ignore", type="primary", icon=":material/download:", width="stretch")

    st.subheader(t("report_contents", lang))
    lines = [f"{i}. **{as_text(slide.title)}** — {as_text(slide.reading)}"
             for i, slide in enumerate(story.slides, start=1)]
    if story.actions:
        count = t("actions_more", lang, count=len(story.actions))
        lines.append(f"{len(lines) + 1}. **{t('actions_title', lang)}** — {count}")
    lines.append(f"{len(lines) + 1}. **{t('method_title', lang)}**")
    st.markdown("\n".join(lines))

    st.subheader(t("pick_table", lang))
    names = list(story.tables)
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    name = view.selectbox(left, t("pick_table", lang), names, format_func=lambda k: t(f"sheet_{k}", lang),
                          param="table", key="w_rep_table", label_visibility="collapsed")
    right.download_button(t("download_csv", lang), data=lambda: write_csv(story.tables[name]),
                          file_name=f"{stem}_{name}.csv", mime="text/csv", key="dl_report_csv", on_click="ignore",
                          icon=":material/table:")
    st.dataframe(story.tables[name], hide_index=True, width="stretch", height=260)


run(report_page, title="ServiceGap · Report")
