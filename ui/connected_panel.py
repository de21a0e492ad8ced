"""The Data page's "Open a connected dataset": the datasets the operator declared in ``.streamlit/secrets.toml``,
picked by name, read where they live (``gapcore.connected``) and kept on the server for every admitted session."""

from __future__ import annotations

import streamlit as st

from gapcore.errors import GapcoreError
from gapcore.i18n import t
from gapcore.messages import grouped, render
from gapcore.plaintext import visible
from ui import state
from ui.keys import LAST_REPORT
from ui.plain import as_text


def connected_panel(lang: str) -> None:
    """A picker and a button when the operator connected any dataset; nothing otherwise."""
    sources = state.declared_sources()
    if not sources:
        return
    st.subheader(t("connected_title", lang))
    st.caption(t("connected_help", lang))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    name = left.selectbox(t("connected_pick", lang), list(sources), key="w_connected",
                          format_func=lambda key: visible(sources[key].label))
    if right.button(t("connected_open", lang), key="w_connected_open") and name is not None:
        try:
            with st.spinner(t("connected_reading", lang, name=as_text(sources[name].label))):
                result = state.open_connected(name)
        except GapcoreError as error:  # the source failed: say it; the study loaded before stays
            what, todo = render(error.problem, lang)
            st.error(as_text(f"{visible(sources[name].label)}: {what} {todo}"))
            return
        st.session_state[LAST_REPORT] = (result.study is not None, result.report)
        if result.study is not None:
            st.rerun()  # the sidebar must show the dataset's segments
        for _severity, places, text in grouped(result.report.errors, lang):
            st.error(as_text(f"{places}: {text}" if places else text))


def connected_note(lang: str) -> None:
    """For a connected dataset, instead of the editors and the rows: where its mapping comes from."""
    st.info(t("connected_mapping_note", lang))
