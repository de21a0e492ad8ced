"""Method: the gap model and how every figure is computed, in the user's language."""

from __future__ import annotations

import streamlit as st

from gapcore.i18n import METHOD, t
from ui.downloads import gap_model_picture_with_downloads
from ui.page import run


def method(lang: str) -> None:
    st.title(t("method_title", lang))
    gap_model_picture_with_downloads(lang)
    st.markdown(METHOD.get(lang, METHOD["en"]))


run(method, title="ServiceGap · Method")
