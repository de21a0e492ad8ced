"""The Dimensions page's segment radars: the values of one segment side by side (small multiples) or on one
radar (overlay), each value's cell held back below the minimum cell size; a fragment, so its choices rerun only
this panel."""

from __future__ import annotations

from functools import partial

import streamlit as st

from gapcore.filters import segment_values
from gapcore.i18n import t
from gapcore.present.charts import radar_chart
from gapcore.present.readings import held_apart, scope_text, segment_series_names
from gapcore.present.slides import radar_levels, segment_radar_levels
from ui import keys, state, view
from ui.downloads import drawn_with_downloads
from ui.plain import as_text


@st.fragment
def segments_panel(study, lang: str, labels: dict[str, str], series_labels: dict[str, str]) -> None:
    if not study.segments:
        return
    st.subheader(t("compare_by", lang))
    cols = st.columns([2, 4, 2])
    options = ["", *study.segments]
    column = view.selectbox(cols[0], t("compare_by", lang), options, param="compare", key="w_dim_compare",
                            label_visibility="collapsed",
                            format_func=lambda c: study.segment_label(c, lang) if c else t("compare_none", lang))
    if not column:
        return
    values = list(segment_values(study, column))
    chosen = view.multiselect(cols[1], t("compare_values", lang), values, default=values[:6], max_selections=6,
                              param="values", key=f"w_dim_values_{column}")
    layout = view.radio(cols[2], t("compare_layout", lang), ["multiples", "overlay"], param="layout",
                        key="w_dim_layout", format_func=lambda v: t(f"layout_{v}", lang))
    min_cell = int(st.session_state[keys.MIN_CELL])
    st.caption(as_text(scope_text(state.current_filters(), lang, compared=column, study=study)))
    every = state.segment_analyses(column)  # kept with the settings: the panel's own clicks compute nothing again
    by_value = {str(value): every[str(value)] for value in chosen}
    shown, held = held_apart(by_value)
    scale = study.scale
    if layout == "overlay" and shown:
        names = segment_series_names(study, column, shown, lang)
        drawn_with_downloads(partial(radar_chart, segment_radar_levels(shown), low=scale.low, high=scale.high,
                                     labels=labels, title=t("series_P", lang), series_labels=names, size=440,
                                     value_title=t("series_P", lang)),
                             f"radar_{column}", lang, width="content", export_width=700)
    elif shown:
        grid = st.columns(min(2, len(shown)))
        series = tuple(series_labels)
        for index, (value, result) in enumerate(shown.items()):
            draw = partial(radar_chart, radar_levels(result.dimensions, series), low=scale.low, high=scale.high,
                           labels=labels,
                           title=t("segment_n", lang, value=study.value_label(column, value, lang), n=result.n),
                           series_labels=series_labels, size=340, ring_labels=False, value_title=t("tip_value", lang))
            drawn_with_downloads(draw, f"radar_{column}_{value}", lang, container=grid[index % len(grid)],
                                 width="content", export_width=520)
    for value in held:
        st.caption(as_text(t("segment_held", lang, value=value, min_cell=min_cell)))
