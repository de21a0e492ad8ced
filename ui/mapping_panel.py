"""The mapping of an upload, to set: its outcomes picked from a searchable list, a dimension renamed, the
grid of every column (``ui.column_editor``), and the whole mapping applied, downloaded or uploaded. Each
change is a new version of the working mapping, kept for the session until the files are read with it."""

from __future__ import annotations

import streamlit as st

from gapcore.i18n import dimension_label, t
from gapcore.io.headers import OUTCOMES
from gapcore.io.load import SourceFile
from gapcore.io.mapping import ColumnMapping
from gapcore.io.mapping_edit import (
    column_captions,
    dimensions_of,
    from_grid,
    grid,
    outcome_candidates,
    rename_dimension,
    set_outcome,
)
from gapcore.io.study import LoadResult
from gapcore.present.exports import download_stem
from gapcore.present.tables import mapping_overview
from ui import state, view
from ui.column_editor import mapping_grid
from ui.keys import MAPPING_FILE_USED
from ui.keys import WORKING_MAPPING as WORKING
from ui.reading import load, read_options_state


def mapping_editor(lang: str, upload: state.ActiveStudy | None, study) -> None:
    """A loaded upload's mapping to set; the demo's, to read."""
    if upload is None:
        st.subheader(t("mapping", lang))
        st.caption(t("mapping_demo_note", lang))
        st.dataframe(mapping_overview(study.mapping), hide_index=True, width="stretch", height=260)
        return
    mapping_workflow(lang, upload.files, upload.key, upload.result, read_options_state())


def _working(key: str, result: LoadResult) -> tuple[ColumnMapping, int]:
    saved = st.session_state.get(WORKING)
    if saved is None or saved[0] != key:
        saved = (key, result.mapping, 0)
        st.session_state[WORKING] = saved
    return saved[1], saved[2]


def _keep(key: str, mapping: ColumnMapping) -> None:
    version = st.session_state[WORKING][2] + 1 if WORKING in st.session_state else 0
    st.session_state[WORKING] = (key, mapping, version)
    st.rerun()


def mapping_workflow(lang: str, files: tuple[SourceFile, ...], key: str, result: LoadResult,
                     options: dict[str, object]) -> None:
    """Every column of the upload, with what it holds, and its role, item number and dimension to set:
    outcomes picked from a searchable list, blocks numbered in one step, the whole mapping downloadable."""
    st.subheader(t("mapping", lang))
    if result.columns is None or result.mapping is None:
        return
    working, version = _working(key, result)
    profile = result.columns
    captions = column_captions(profile)

    def label(column: str | None) -> str:
        return t("outcome_none", lang) if column is None else captions.get(column, str(column))

    outcome_pickers(lang, key, working, version, outcome_candidates(profile), label)
    dimensions = dimensions_of(working)
    if dimensions:
        left, right, go = st.columns([2, 2, 1], vertical_alignment="bottom")
        old = left.selectbox(t("dimension_rename", lang), dimensions, key=f"w_dim_old_{version}", **view.own_words({}),
                             format_func=lambda d: dimension_label(d, lang))
        new = right.text_input(t("dimension_new_name", lang), key=f"w_dim_new_{version}")
        if go.button(t("dimension_rename_apply", lang), key=f"w_dim_apply_{version}", disabled=not new.strip()):
            _keep(key, rename_dimension(working, old, new))

    changed = mapping_grid(lang, working, profile, version, label)
    if changed is not None:
        _keep(key, changed)
    left, mid, right = st.columns(3)
    if left.button(t("apply_mapping", lang), key="w_apply", type="primary"):  # rows are fixed: tables by position
        load(files, lang, explain=True, mapping=from_grid(grid(working, profile), working), **options)
    mid.download_button(t("download_mapping", lang), working.dumps("json").encode("utf-8"),
                        file_name=download_stem("mapping") + ".json", mime="application/json", key="w_mapping_dl")
    mapping_file = right.file_uploader(t("upload_mapping", lang), type=["json", "yaml", "yml"], key="w_mapping_up")
    if mapping_file is not None and st.session_state.get(MAPPING_FILE_USED) != mapping_file.file_id:
        st.session_state[MAPPING_FILE_USED] = mapping_file.file_id
        mapping = ColumnMapping.loads(mapping_file.getvalue(), file=mapping_file.name)
        load(files, lang, explain=True, mapping=mapping, **options)


def outcome_pickers(lang: str, key: str, working: ColumnMapping, version: int, candidates: list[str],
                    label) -> None:
    """One searchable list per outcome: the column that holds it, or none."""
    for box, role in zip(st.columns(len(OUTCOMES)), OUTCOMES, strict=True):
        current = next((s.column for s in working.specs if s.role == role), None)
        options_list = [None, *candidates, *([current] if current is not None and current not in candidates else [])]
        chosen = box.selectbox(t("outcome_pick", lang, role=t(f"role_{role}", lang)), options_list,
                               index=options_list.index(current) if current in options_list else 0,
                               format_func=label, key=f"w_outcome_{role}_{version}", **view.own_words({}))
        if chosen != current:
            _keep(key, set_outcome(working, role, chosen))
