"""Gap model: the waterfall from expectation to perception, per dimension and segment, and what to do."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from gapcore.analysis import analyze
from gapcore.charts import waterfall_chart, waterfall_frame
from gapcore.i18n import dimension_label, t
from ui import state
from ui.page import run, shown_analysis

STEP_GAP = {"gap1": 1, "gap2": 2, "gap3": 3, "gap4": 4}


def step_labels(lang: str) -> dict[str, str]:
    labels = {f"gap{n}": t(f"wf_gap{n}", lang) for n in range(1, 6)}
    for merged in ("gap1+2", "gap2+3", "gap3+4", "gap1+2+3", "gap2+3+4", "gap1+2+3+4"):
        labels[merged] = t("wf_merged", lang, numbers=merged.removeprefix("gap"))
    return labels


def plain_step(name: str, lang: str) -> str:
    return " + ".join(t(f"step_name_gap{n}", lang) for n in name.removeprefix("gap").split("+"))


def chart_for(chain, lang: str, study, title: str, **size) -> object:
    frame = waterfall_frame(chain, step_labels=step_labels(lang),
                            level_labels={"E": t("wf_E", lang), "P": t("wf_P", lang)})
    kinds = {k: t(f"kind_{k}", lang) for k in ("level", "up", "down", "total")}
    promise = None
    gap4 = frame[frame["key"] == "gap4"]
    if not size and chain.gap4_promise is not None and chain.levels.get("D") is not None and not gap4.empty:
        # full-width charts only: in the small multiples the marker would sit on the next bar
        promised = chain.levels["D"] - chain.gap4_promise
        promise = pd.DataFrame({"label": [gap4["label"].iloc[0]], "level": [promised],
                                "text": [t("promised_level", lang, value=promised)]})
    return waterfall_chart(frame, low=study.scale.low, high=study.scale.high, title=title, kind_labels=kinds,
                           promise=promise, **size)


def gap_model_page(lang: str) -> None:
    st.title(t("nav_gaps", lang))
    study = state.current_study()
    analysis = shown_analysis(lang)
    if analysis is None:
        return
    if analysis.chain is None:
        st.info(t("needs_expectations", lang))
        return
    chain = analysis.chain
    st.altair_chart(chart_for(chain, lang, study, t("waterfall_title", lang)), width="stretch")
    if chain.gap4_promise is not None:
        verdict = t("promise_over" if chain.gap4_promise < 0 else "promise_ok", lang)
        st.caption(t("promise_check", lang, value=chain.gap4_promise, verdict=verdict))
    if len(chain.steps) == 1:
        st.info(t("only_customers", lang))
        st.page_link("pages/1_Data.py", label=t("template_link", lang))
    elif chain.scope:
        parts = [t(f"scope_{scope}", lang, table=t(f"table_{table}", lang)) for table, scope in chain.scope.items()]
        st.caption(t("scope_note", lang, parts="; ".join(parts)))

    labels = {d: dimension_label(d, lang) for d in study.instrument.dimensions}
    st.subheader(t("by_dimension", lang))
    grid = st.columns(3)
    for index, (dim, dim_chain) in enumerate(analysis.chain_by_dimension.items()):
        grid[index % 3].altair_chart(chart_for(dim_chain, lang, study, labels[dim], width=300, height=240),
                                     width="content")

    segment_reading = segment_panel(study, analysis, lang)
    st.subheader(t("reading_title", lang))
    worst = min(chain.steps, key=lambda s: s.value)
    dim_values = {d: next(s.value for s in c.steps if s.name == worst.name)
                  for d, c in analysis.chain_by_dimension.items()}
    worst_dim = min(dim_values, key=dim_values.get)
    st.write(t("reading_main", lang, gap5=chain.gap5, step=plain_step(worst.name, lang), value=worst.value,
               dimension=labels[worst_dim], dim_value=dim_values[worst_dim]))
    if segment_reading:
        st.write(segment_reading)
    actions(analysis, lang, labels)


def segment_panel(study, analysis, lang: str) -> str | None:
    """The chain of one segment value next to the whole company; returns a sentence on the segments."""
    linked = [c for c in study.segments if any(c in table.columns for table in study.providers.values())]
    if not linked:
        return None
    st.subheader(t("segment_vs_company", lang))
    left, right = st.columns([1, 3])
    column = left.selectbox(t("pick_segment", lang), linked, key="w_gap_column")
    values = sorted(str(v) for v in study.customers[column].dropna().unique())
    value = left.selectbox(column, values, key=f"w_gap_value_{column}")
    prepared = state.prepared()
    base = {k: v for k, v in state.current_filters().items() if k != column}
    min_cell = int(st.session_state[state.MIN_CELL])
    company = analyze(prepared, base, min_cell=min_cell)
    chosen = analyze(prepared, {**base, column: [value]}, min_cell=min_cell)
    with right:
        cols = st.columns(2)
        if company.chain is not None:
            cols[0].altair_chart(chart_for(company.chain, lang, study, t("whole_company", lang), width=340, height=260),
                                 width="content")
        if chosen.suppressed or chosen.chain is None:
            cols[1].warning(t("segment_held", lang, value=value, min_cell=min_cell))
        else:
            cols[1].altair_chart(chart_for(chosen.chain, lang, study, t("segment_n", lang, value=value, n=chosen.n),
                                           width=340, height=260), width="content")
    # which value has the largest shortfall in the company's largest step
    if company.chain is None:
        return None
    worst = min(company.chain.steps, key=lambda s: s.value)
    by_value = {}
    for v in values:
        result = analyze(prepared, {**base, column: [v]}, min_cell=min_cell)
        if result.chain is not None and not result.suppressed:
            step = next((s for s in result.chain.steps if s.name == worst.name), None)
            if step is not None:
                by_value[v] = step.value
    if not by_value:
        return None
    extreme = min(by_value, key=by_value.get)
    return t("reading_segment", lang, column=column, value=extreme, step=plain_step(worst.name, lang),
             seg_value=by_value[extreme], company=worst.value)


def actions(analysis, lang: str, labels: dict[str, str]) -> None:
    """The actions the seeds name for each shortfall, largest first, with the figures behind them."""
    st.subheader(t("actions_title", lang))
    steps = sorted((s for s in analysis.chain.steps if s.value < 0), key=lambda s: s.value)
    if not steps:
        st.write(t("no_shortfall", lang))
        return
    st.write(t("actions_intro", lang))
    for step in steps:
        numbers = [int(n) for n in step.name.removeprefix("gap").split("+")]
        per_dim = {d: next(s.value for s in c.steps if s.name == step.name)
                   for d, c in analysis.chain_by_dimension.items()}
        worst = min(per_dim, key=per_dim.get)
        st.markdown("**" + t("action_heading", lang, step=plain_step(step.name, lang), value=step.value,
                             dimension=labels[worst], dim_value=per_dim[worst]) + "**")
        st.markdown("\n".join(t(f"actions_gap{n}", lang) for n in numbers))


run(gap_model_page, title="ServiceGap · Gap model")
