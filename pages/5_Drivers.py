"""Drivers: which gaps move satisfaction, retention and recommendation, and what closing one would do."""

from __future__ import annotations

import streamlit as st

from gapcore.driver_model import control_candidates, default_predictors, what_if
from gapcore.i18n import t
from gapcore.present import tables
from gapcore.present.readings import (
    compares_with_servperf,
    model_key,
    model_note_texts,
    model_suffix,
    ordinal_note_texts,
    top_driver,
)
from gapcore.present.slides import driver_drawings, drivers_reading
from ui import state, view
from ui.downloads import drawn_with_downloads
from ui.page import page_opened, run
from ui.plain import as_text


def drivers_page(lang: str) -> None:
    if (opened := page_opened(lang, "nav_drivers", needs="outcomes", missing="drivers_none")) is None:
        return
    study, _ = opened
    pick, control = st.columns(2)
    outcome = view.selectbox(pick, t("drivers_outcome", lang), list(study.outcomes), param="outcome",
                             key="w_drv_outcome", format_func=lambda o: t(f"role_{o}", lang))
    controls = tuple(view.multiselect(control, t("drivers_controls", lang),
                                      control_candidates(study, state.current_filters()), param="controls",
                                      key="w_drv_controls", placeholder=t("none", lang),
                                      format_func=lambda c: study.segment_label(c, lang)))
    predictors = default_predictors(study)
    model = state.driver_model(outcome, predictors, controls=controls)
    st.caption(t(f"model_{model.kind}", lang))
    st.write(as_text(drivers_reading(study, model, lang)))
    for note in model_note_texts(model, lang):  # e.g. the sample a connected dataset's intervals come from
        st.caption(as_text(note))
    coefficients, importance = state.reading(("driver_drawings", outcome, controls, lang),
                                             lambda: driver_drawings(study, model, lang))
    left, right = st.columns(2, gap="large")
    drawn_with_downloads(coefficients, f"coefficients_{outcome}", lang, container=left, export_width=560)
    drawn_with_downloads(importance, f"importance_{outcome}", lang, container=right, export_width=560)
    what_if_panel(study, model, lang)

    if compares_with_servperf(predictors):
        st.subheader(t("fit_compare", lang))
        servperf = state.driver_model(outcome, "servperf", 0, controls)
        st.dataframe(tables.fit_table({"servqual": model, "servperf": servperf}, lang))
    expander = st.expander(t("drivers_tables", lang), key="w_drv_tables", on_change="rerun")
    if expander.open:  # the tables (and the ordinal model, the slowest part) only when asked for
        with expander:
            model_tables(study, model, lang)


def model_tables(study, model, lang: str) -> None:
    st.caption(t("drivers_n", lang, n=model.n, dropped=tables.dropped_text(model, lang)))
    st.dataframe(tables.coefficients_table(study, model, lang), hide_index=True, width="stretch")
    st.dataframe(tables.importance_table(study, model, lang), hide_index=True, width="stretch")
    classification = tables.classification_table(model, lang)
    if classification is not None:
        st.caption(t("classification_title", lang))
        st.dataframe(classification, hide_index=True)
    ordinal = tables.ordinal_table(study, model, lang)
    if ordinal is not None:
        st.caption(t("ordinal_title", lang))
        st.dataframe(ordinal, hide_index=True, width="stretch")
    for note in ordinal_note_texts(model, lang):
        st.caption(as_text(note))


@st.fragment
def what_if_panel(study, model, lang: str) -> None:
    """Closing one dimension's gap (raising its perception, SERVPERF) by an amount: the outcome's expected
    change (reruns only this panel)."""
    st.subheader(t(f"whatif_title{model_suffix(model)}", lang))
    labels = tables.dimension_labels(study, lang)
    a, b = st.columns([1, 2])
    dimensions = list(labels)
    dimension = view.selectbox(a, t("whatif_dimension", lang), dimensions, default=top_driver(model),
                               param="close", format_func=labels.get, key="w_drv_dim")
    amount = view.slider(b, t(f"whatif_amount{model_suffix(model)}", lang), 0.1, 2.0, 0.5, 0.1, param="by",
                         key="w_drv_amount")
    change, low, high = what_if(model, dimension, amount)
    st.info(as_text(t(model_key("whatif", model), lang, dimension=labels[dimension], amount=amount, change=change,
                      low=low, high=high, outcome=t(f"role_{model.outcome}", lang))))


run(drivers_page, title="ServiceGap · Drivers")
