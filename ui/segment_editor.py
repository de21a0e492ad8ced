"""The segments of a loaded study: which columns they are, their names in each language and values merged
into groups; applying reads the files again with the mapping (which keeps all of it)."""

from __future__ import annotations

import streamlit as st

from gapcore.i18n import LANGUAGES, t
from gapcore.io.mapping_edit import (
    merges_from_table,
    segment_candidates,
    segment_value_table,
    value_names_from_table,
    with_segment_columns,
    with_segment_setup,
)
from gapcore.io.segment_setup import SegmentSetup
from ui import state, view
from ui.reading import load, read_options_state


def segment_editor(lang: str, upload: state.ActiveStudy | None, study) -> None:
    """The segment columns to pick, then one segment's names and value groups to set."""
    if upload is None or upload.result.columns is None:
        return
    st.subheader(t("segments_title", lang))
    st.caption(t("segments_help", lang))
    mapping = study.mapping
    candidates = segment_candidates(upload.result.columns)
    current = [s.column for s in mapping.for_table("customers") if s.role == "segment"]
    chosen = st.multiselect(t("segment_columns", lang), candidates, default=[c for c in current if c in candidates],
                            key="w_seg_columns", **view.own_words({}, many=True))
    if st.button(t("apply_segments", lang), key="w_seg_apply", disabled=sorted(chosen) == sorted(current)):
        load(upload.files, lang, mapping=with_segment_columns(mapping, chosen), **read_options_state())
    if study.segments:
        segment_setup(lang, upload, study)


def segment_setup(lang: str, upload: state.ActiveStudy, study) -> None:
    """One segment's name in each language and its values' groups (and the groups' names)."""
    mapping = study.mapping
    column = st.selectbox(t("segment_setup", lang), list(study.segments), key="w_seg_setup",
                          format_func=lambda c: study.segment_label(c, lang), **view.own_words({}))
    setup = mapping.segments.get(column, SegmentSetup())
    boxes = st.columns(len(LANGUAGES))
    names = {code: boxes[i].text_input(t("segment_name_in", lang, language=LANGUAGES[code]),
                                       value=setup.names.get(code, ""), placeholder=column,
                                       key=f"w_seg_name_{code}_{column}")
             for i, code in enumerate(LANGUAGES)}
    edited = st.data_editor(segment_value_table(study, column), hide_index=True, key=f"w_seg_values_{column}",
                            disabled=["value", "n"], placeholder="", column_config={
                                "value": st.column_config.TextColumn(t("col_value_raw", lang)),
                                "group": st.column_config.TextColumn(t("col_group", lang)),
                                "n": st.column_config.NumberColumn(t("col_group_n", lang)),
                                **{f"name_{code}": st.column_config.TextColumn(
                                    t("segment_name_in", lang, language=LANGUAGES[code])) for code in LANGUAGES}})
    st.caption(t("segment_merge_help", lang))
    if st.button(t("apply_segment_setup", lang), key="w_seg_setup_apply"):
        new = SegmentSetup({code: name.strip() for code, name in names.items() if name.strip()},
                           merges_from_table(edited), value_names_from_table(edited))
        load(upload.files, lang, mapping=with_segment_setup(mapping, column, new), **read_options_state())
