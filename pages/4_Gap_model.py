"""Gap model: the waterfall from expectation to perception, per dimension and segment, and what to do."""

from __future__ import annotations

from functools import partial

import streamlit as st

from gapcore.filters import segment_values
from gapcore.gaps import linked_segments
from gapcore.i18n import t
from gapcore.plaintext import visible
from gapcore.present.exports import EXPORT_FORMATS, download_stem
from gapcore.present.readings import chain_scope_note, scope_text
from gapcore.present.segment_slides import segment_chain_reading
from gapcore.present.slides import dimension_chains, waterfall_grid_for, waterfall_slide
from gapcore.present.story import action_blocks, provider_needs
from gapcore.present.templates import expectation_template, provider_template
from ui import keys, state, view
from ui.downloads import drawn_with_downloads, slide_with_downloads
from ui.page import page_opened, run
from ui.plain import as_text


def gap_model_page(lang: str) -> None:
    if (opened := page_opened(lang, "nav_gaps")) is None:
        return
    study, analysis = opened
    if analysis.chain is None:
        if study.perception_only:
            what_gaps_need(study, lang)
        else:
            st.info(t("needs_expectations", lang))
        return
    chain = analysis.chain
    main = waterfall_slide(study, analysis, lang)
    st.caption(as_text(scope_text(state.current_filters(), lang, study=study)))
    slide_with_downloads(main, "waterfall", lang)
    if not chain.measured_steps:
        st.info(t("only_customers", lang))
    elif chain.scope:
        st.caption(chain_scope_note(chain, lang))

    st.subheader(t("by_dimension", lang))
    drawn_with_downloads(partial(waterfall_grid_for, dimension_chains(study, analysis, lang), lang, study),
                         "waterfall_dimensions", lang, width="content", export_width=900)

    segment_panel(study, lang)
    st.subheader(t("reading_title", lang))
    st.write(as_text(main.reading))
    actions(analysis, lang)
    provider_panel(study, chain, lang)


@st.fragment
def segment_panel(study, lang: str) -> None:
    """The chain of one segment value next to the whole company, and which value has the largest shortfall
    in the company's largest step; its choices rerun only this panel."""
    linked = linked_segments(study)
    if not linked:
        return
    st.subheader(t("segment_vs_company", lang))
    scope = st.empty()  # what the panel is computed on, above it (it depends on the column chosen in it)
    left, right = st.columns([1, 3])
    column = view.selectbox(left, t("pick_segment", lang), linked, param="by", key="w_gap_column",
                            format_func=lambda c: study.segment_label(c, lang))
    value = view.selectbox(left, as_text(study.segment_label(column, lang)), segment_values(study, column),
                           param="value", key=f"w_gap_value_{column}",
                           format_func=lambda v: visible(study.value_label(column, v, lang)))
    min_cell = int(st.session_state[keys.MIN_CELL])
    filters = state.current_filters()
    scope.caption(as_text(scope_text(filters, lang, compared=column, study=study)))
    company = state.segment_company(column)
    by_value = state.segment_analyses(column)
    chosen = by_value[value]
    panels = {t("whole_company", lang): company.chain} if company.chain is not None else {}
    if chosen.suppressed or chosen.chain is None:
        right.warning(as_text(t("segment_held", lang, value=value, min_cell=min_cell)))
    else:
        panels[visible(t("segment_n", lang, value=study.value_label(column, value, lang), n=chosen.n))] = chosen.chain
    if panels:
        drawn_with_downloads(partial(waterfall_grid_for, panels, lang, study, width=320, height=240),
                             f"waterfall_{column}_{value}", lang, container=right, width="content", export_width=720)
    reading = segment_chain_reading(company, by_value, column, lang)
    if reading:
        st.write(as_text(reading))


def actions(analysis, lang: str) -> None:
    """The actions the method names for each shortfall, largest first, with the figures behind them."""
    st.subheader(t("actions_title", lang))
    blocks = action_blocks(analysis, lang)
    if not analysis.chain.measured_steps:
        st.write(t("actions_none_measured", lang))
        return
    if not blocks:
        st.write(t("no_shortfall", lang))
        return
    st.write(t("actions_intro", lang))
    for block in blocks:
        st.markdown("**" + as_text(block.heading) + "**")
        st.markdown("\n".join("- " + as_text(line) for line in block.actions))


def what_gaps_need(study, lang: str) -> None:
    """A perception-only study: what it would need for gaps, with the surveys that collect it."""
    st.subheader(t("gaps_need_title", lang))
    st.write(t("gaps_need_intro", lang, count=len(study.instrument.items), low=study.scale.low,
               high=study.scale.high))
    text, button = st.columns([3, 1.3], vertical_alignment="center")
    text.markdown(t("gaps_need_expectations", lang))
    button.download_button(t("expectation_template", lang), partial(expectation_template, study, lang),
                           on_click="ignore", file_name=download_stem("customers_expectations") + ".xlsx",
                           mime=EXPORT_FORMATS["xlsx"], key="w_tpl_expectations")
    st.write(t("gaps_need_providers", lang))
    provider_panel(study, None, lang)


def provider_panel(study, chain, lang: str) -> None:
    """The provider tables this chain lacks: who fills each in, the gap it measures, and its template."""
    needs = provider_needs(chain, lang)
    if not needs:
        return
    st.subheader(t("providers_title", lang))
    st.caption(t("providers_intro", lang, count=len(study.instrument.items), low=study.scale.low,
                 high=study.scale.high))
    for need in needs:
        text, button = st.columns([3, 1.3], vertical_alignment="center")
        name = t(f"table_{need.table}", lang)
        text.markdown(f"**{name}** — {need.who}  \n{need.adds}")
        template = partial(provider_template, study, need.table, lang)
        button.download_button(t("provider_template", lang, table=name), template, on_click="ignore",
                               file_name=download_stem(need.table) + ".xlsx", mime=EXPORT_FORMATS["xlsx"],
                               key=f"w_tpl_{need.table}")


run(gap_model_page, title="ServiceGap · Gap model")
