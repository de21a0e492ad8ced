"""The answer words and their numbers: the ladder of words no built-in table knows (its order guessed from
the respondents, to turn round or renumber), and the answer-label table to edit; each reads the files again."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from gapcore.i18n import t
from gapcore.io.load import SourceFile
from gapcore.io.mapping_edit import labels_from_table
from gapcore.present.tables import confirmed_ladder, ladder_table
from ui import state
from ui.keys import LADDER_TURNED
from ui.reading import load, read_options_state

if TYPE_CHECKING:
    from pandas import DataFrame


def ladder_panel(pending: state.PendingUpload, lang: str, options: dict) -> None:
    """Answer words of no known ladder: the order guessed from the respondents, to turn round or renumber,
    then read with (the proposed items confirmed with it: both are on the screen)."""
    st.subheader(t("ladder_title", lang))
    st.caption(t("ladder_help", lang))
    turned = st.session_state.get(LADDER_TURNED) == (pending.key, True)
    words = list(reversed(pending.result.ladder)) if turned else list(pending.result.ladder)
    edited = st.data_editor(ladder_table(words, lang), hide_index=True, disabled=[t("col_label", lang)],
                            key=f"w_ladder_{pending.key}_{turned}")
    left, right = st.columns([1, 2])
    if left.button(t("ladder_turn", lang), key="w_ladder_turn"):
        st.session_state[LADDER_TURNED] = (pending.key, not turned)
        st.rerun()
    if right.button(t("ladder_use", lang), type="primary", key="w_ladder_use"):
        load(pending.files, lang, explain=True, labels=confirmed_ladder(words, edited, lang), accept_proposal=True,
             **options)


def label_editor(lang: str, upload: state.ActiveStudy | None, study) -> None:
    """The answer-label table (text answer → number) of a loaded study; editing it reads the files again."""
    if upload is None or study.answer_labels is None:
        return
    label_table(lang, study.answer_labels, upload.files, mapping=study.mapping)


def label_table(lang: str, labels: DataFrame, files: tuple[SourceFile, ...], **reading: object) -> None:
    """The answer-label table to edit, for a study loaded or an upload still waiting for its mapping (a
    word the built-in table lacks is added here before anything is computed); applying reads the files
    again with it."""
    with st.expander(t("answer_labels", lang)):
        st.caption(t("answer_labels_help", lang))
        edited = st.data_editor(labels, num_rows="dynamic", hide_index=True, key="w_labels",
                                width="stretch", placeholder="", column_config={
                                    "label": st.column_config.TextColumn(t("col_label", lang), required=True),
                                    "value": st.column_config.NumberColumn(t("col_value", lang), required=True)})
        if st.button(t("apply_labels", lang), key="w_apply_labels"):
            load(files, lang, explain=True, labels=labels_from_table(edited), **{**read_options_state(), **reading})
