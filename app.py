"""ServiceGap home: what the gap model is, which study is loaded, where to go next."""

from __future__ import annotations

import streamlit as st

from gapcore.i18n import dimension_label, t
from gapcore.present.story import named_step, worst_and_best
from ui import state
from ui.downloads import gap_model_picture_with_downloads
from ui.page import run
from ui.plain import as_text


def headline(analysis, lang: str, *, paired: bool) -> None:
    """The study's overall score and its weakest dimension: SERVQUAL's mean gap and largest shortfall, or a
    perception-only study's mean perception and lowest-rated dimension (a level, shown without an arrow)."""
    measure, column, spec = ("unweighted", "gap", "+.2f") if paired else ("servperf", "P", ".2f")
    overall_label, weakest_label = ("home_overall", "home_largest") if paired else ("home_servperf", "home_lowest")
    overall = analysis.overall.set_index("measure")
    if measure in overall.index:
        st.metric(t(overall_label, lang), format(overall.loc[measure, "value"], spec))
    extremes = worst_and_best(analysis.dimensions, column)
    if extremes is not None:
        weakest = extremes[0]
        arrow = {} if paired else {"delta_color": "off", "delta_arrow": "off"}
        st.metric(t(weakest_label, lang), as_text(dimension_label(weakest["dimension"], lang)),
                  format(weakest[column], spec), **arrow)


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
            headline(analysis, lang, paired=False)
        else:
            headline(analysis, lang, paired=True)
            chain = analysis.chain
            if chain is not None and chain.measured_steps:
                step = chain.worst_step
                st.write(t("home_chain_reading", lang, gap5=chain.gap5, step=named_step(step.name, lang),
                           value=step.value))
            elif chain is not None:
                st.info(t("only_customers", lang))
        st.caption(t("home_tables", lang) + ": " + ", ".join(
            t(f"table_{s.table}", lang) for s in study.sources) if study.sources else "")
    st.subheader(t("home_next", lang))
    st.page_link("pages/1_Data.py", label=t("nav_data", lang) + " — " + t("home_next_data", lang))
    st.page_link("pages/2_Method.py", label=t("nav_method", lang) + " — " + t("home_next_method", lang))


run(home)
