"""Presentation view: one chart at a time, full width, large type, the reading beneath; for a projector."""

from __future__ import annotations

from html import escape as _html_escape

import streamlit as st

from gapcore.i18n import t
from gapcore.plaintext import visible
from gapcore.present.story import items_slide
from ui import keys, state
from ui.downloads import draw_spec, vega_lite_spec
from ui.page import run, shown_analysis


def escape(text: str) -> str:
    """Text from the study inside the projector's HTML: entities escaped, hidden controls made visible."""
    return _html_escape(visible(text))


# Larger type for a room: the page's text, the reading and the buttons (the chart keeps its own sizes).
PROJECTOR_CSS = """
<style>
.block-container { padding-top: 2.6rem; padding-bottom: 0.5rem; max-width: 100%; }
.sg-slide-title { font-size: 1.9rem; font-weight: 700; line-height: 1.2; margin: 0 0 0.2rem 0; }
.sg-reading { font-size: 1.4rem; line-height: 1.4; margin-top: 0; }
.sg-action-heading { font-size: 1.45rem; font-weight: 700; margin-top: 0.6rem; }
.sg-action { font-size: 1.25rem; margin-left: 1rem; }
</style>
"""


def present_page(lang: str) -> None:
    if shown_analysis(lang) is None:
        return
    st.markdown(PROJECTOR_CSS, unsafe_allow_html=True)
    story = state.current_story(lang)
    frames = [*story.slides, *(["actions"] if story.actions else [])]
    total = len(frames)
    index = min(int(st.session_state.get(keys.PRESENT_INDEX, 0)), total - 1)
    prev_col, counter, next_col = st.columns([1, 6, 1], vertical_alignment="center")
    if prev_col.button(t("present_prev", lang), disabled=index == 0, key="w_present_prev", width="stretch"):
        index -= 1
    if next_col.button(t("present_next", lang), disabled=index >= total - 1, key="w_present_next", width="stretch"):
        index += 1
    st.session_state[keys.PRESENT_INDEX] = index
    counter.caption(t("present_counter", lang, index=index + 1, total=total) + " · " + t("present_hint", lang))
    frame = frames[index]
    if frame == "actions":
        st.markdown(f'<div class="sg-slide-title">{t("actions_title", lang)}</div>', unsafe_allow_html=True)
        for block in story.actions[:3]:
            st.markdown(f'<div class="sg-action-heading">{escape(block.heading)}</div>', unsafe_allow_html=True)
            for line in block.actions:
                st.markdown(f'<div class="sg-action">• {escape(line)}</div>', unsafe_allow_html=True)
        return
    if frame.key == "items":  # a room reads ten rows, not twenty-two
        frame = items_slide(state.current_study(), state.current_analysis(), lang, top=10) or frame
    st.markdown(f'<div class="sg-slide-title">{escape(frame.title)}</div>', unsafe_allow_html=True)
    chart = frame.chart.properties(title="").configure_axis(labelFontSize=15, titleFontSize=15).configure_legend(
        labelFontSize=15, symbolSize=160).configure_title(fontSize=19)
    if frame.key == "radar":  # fixed size: centred
        draw_spec(vega_lite_spec(chart), container=st.columns([1, 2, 1])[1], width="content")
    else:
        draw_spec(vega_lite_spec(chart))
    st.markdown(f'<div class="sg-reading">{escape(frame.reading)}</div>', unsafe_allow_html=True)


run(present_page, title="ServiceGap · Present", sidebar_state="collapsed")
