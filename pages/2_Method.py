"""Method: the gap model and how every figure is computed, in the user's language."""

from __future__ import annotations

import streamlit as st

from gapcore.i18n import METHOD, t
from gapcore.present.charts import gap_model_picture
from ui.downloads import chart_with_downloads
from ui.page import run


def method(lang: str) -> None:
    st.title(t("method_title", lang))
    chart_with_downloads(gap_model_picture(lang), "gap_model", lang)
    st.markdown(METHOD.get(lang, METHOD["en"]))


run(method, title="ServiceGap · Method")
