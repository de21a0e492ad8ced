"""ServiceGap home: what the gap model is, which study is loaded, where to go next."""

from __future__ import annotations

import streamlit as st

from gapcore.i18n import t
from gapcore.present.readings import headline, named_step
from gapcore.present.tables import tables_read
from ui import state
from ui.downloads import gap_model_picture_with_downloads
from ui.page import run
from ui.plain import as_text


def headline_panel(analysis, lang: str, *, paired: bool) -> None:
    """The study's overall score and its weakest dimension (``story.headline``); a perception-only study's
    lowest level is shown without an arrow (it is a level, not a change)."""
    arrow = {} if paired else {"delta_color": "off", "delta_arrow": "off"}
    for line in headline(analysis, lang):
        if line.delta is None:
            st.metric(line.label, line.figure)
        else:
            st.metric(line.label, as_text(line.figure), line.delta, **arrow)


def home(lang: str) -> None:
    st.title(t("home_title", lang))
    st.subheader(t("home_tagline", lang))
    st.write(t("home_intro", lang))
    picture, summary = st.columns([3, 2], gap="large")
    with picture:
        gap_model_picture_with_downloads(lang)
    with summary:
        upload = state.active()
        study = state.current_study()
        analysis = state.current_analysis()
        st.markdown("**" + as_text(t("home_loaded", lang, name=upload.name if upload else t("demo_study", lang)))
                    + "**")
        st.metric(t("respondents", lang), f"{analysis.n:,}")
        if analysis.suppressed:
            st.warning(t("held_back", lang, min_cell=analysis.min_cell))
        elif study.perception_only:
            headline_panel(analysis, lang, paired=False)
        else:
            headline_panel(analysis, lang, paired=True)
            chain = analysis.chain
            if chain is not None and chain.measured_steps:
                step = chain.worst_step
                st.write(t("home_chain_reading", lang, gap5=chain.gap5, step=named_step(step.name, lang),
                           value=step.value))
            elif chain is not None:
                st.info(t("only_customers", lang))
        st.caption(t("home_tables", lang) + ": " + tables_read(study, lang) if study.sources else "")
    st.subheader(t("home_next", lang))
    st.page_link("pages/1_Data.py", label=t("nav_data", lang) + " — " + t("home_next_data", lang))
    st.page_link("pages/2_Method.py", label=t("nav_method", lang) + " — " + t("home_next_method", lang))


run(home)
