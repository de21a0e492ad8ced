"""The sidebar every page renders: language, navigation, study, segment filters, settings.

Widget values are copied into persistent session keys on change (Streamlit forgets widget keys of a
page that is left), so language and filters survive page switches; they are also written to the URL.

In detail: the navigation is translated (`st.page_link`; Streamlit's own nav is
hidden in `.streamlit/config.toml`), study, segment filters with the n they leave, minimum cell size, weights.
"""

from __future__ import annotations

import streamlit as st

from gapcore.filters import segment_values
from gapcore.i18n import LANGUAGES, t
from gapcore.plaintext import visible
from ui import keys, state, view
from ui.plain import as_text

PAGES = (("app.py", "nav_home"), ("pages/1_Data.py", "nav_data"), ("pages/3_Dimensions.py", "nav_dimensions"),
         ("pages/4_Gap_model.py", "nav_gaps"), ("pages/5_Drivers.py", "nav_drivers"),
         ("pages/6_Segments.py", "nav_segments"), ("pages/7_Report.py", "nav_report"),
         ("pages/8_Present.py", "nav_present"), ("pages/2_Method.py", "nav_method"))


def _copy(widget_key: str, target: str) -> None:
    st.session_state[target] = st.session_state[widget_key]


def _copy_filter(column: str) -> None:
    filters = dict(st.session_state[keys.FILTERS])
    filters[column] = list(st.session_state[f"w_f_{column}"])
    st.session_state[keys.FILTERS] = {k: v for k, v in filters.items() if v}


def _clear_filters() -> None:
    """Every filter emptied, widgets included: a widget's state deleted in a callback comes back from the
    browser with its old chips, so each is set to no values instead."""
    st.session_state[keys.FILTERS] = {}
    for key in [k for k in st.session_state if str(k).startswith("w_f_")]:
        st.session_state[key] = []


def render() -> str:
    """Draw the shared sidebar; return the language code."""
    state.init_state()
    lang = state.lang()
    with st.sidebar:
        codes = list(LANGUAGES)
        st.selectbox(t("language", lang), codes, index=codes.index(lang), format_func=LANGUAGES.get,
                     **view.own_words({}),
                     key="w_lang", on_change=_copy, args=("w_lang", keys.LANG))
        lang = state.lang()
        for path, label in PAGES:
            st.page_link(path, label=t(label, lang))
        st.divider()
        study = state.current_study()
        upload = state.active()
        st.caption(t("active_study", lang))
        st.markdown(f"**{as_text(upload.name) if upload else t('demo_study', lang)}**  \n"
                    + t("respondents_n", lang, n=study.n))
        if study.segments:
            st.caption(t("filters", lang))
            filters = state.current_filters()
            for column in study.segments:
                options = list(segment_values(study, column))
                chosen = filters.get(column, [])  # checked by state.current_filters: values the data takes
                st.multiselect(as_text(study.segment_label(column, lang)), options, default=chosen, key=f"w_f_{column}",
                               placeholder=t("filter_all", lang), select_all=False,
                               format_func=lambda v, c=column: visible(study.value_label(c, v, lang)),
                               on_change=_copy_filter, args=(column,))
            analysis = state.current_analysis()
            st.caption(t("filter_left", lang, n=analysis.n, total=study.n))
            if state.current_filters():
                st.button(t("clear_filters", lang), on_click=_clear_filters, key="w_clear")
        st.divider()
        st.number_input(t("min_cell", lang), min_value=1, max_value=1000, value=int(st.session_state[keys.MIN_CELL]),
                        help=t("min_cell_help", lang), key="w_min_cell", on_change=_copy,
                        args=("w_min_cell", keys.MIN_CELL))
        if study.has_weight:
            st.toggle(t("use_weight", lang), value=bool(st.session_state[keys.WEIGHT]), key="w_weight",
                      on_change=_copy, args=("w_weight", keys.WEIGHT))
        else:
            st.caption(t("no_weight", lang))
        state.write_query()
        if st.button(t("share_view", lang), key="w_share", icon=":material/link:", width="stretch"):
            share_dialog(lang)
    return lang


def share_dialog(lang: str) -> None:
    """The link to this view, with a copy button: the page, language, filters and the page's choices."""

    def body() -> None:
        st.caption(t("share_note", lang))
        st.code(view.link(), language=None, wrap_lines=True)

    st.dialog(t("share_title", lang))(body)()
