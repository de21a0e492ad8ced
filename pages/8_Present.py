"""Presentation view: one chart at a time, filling the projector, large type, the reading beside or under
it; moved with the arrow keys, a presenter's clicker (Page Up / Page Down) or the buttons."""

from __future__ import annotations

from functools import partial
from html import escape as _html_escape

import streamlit as st

from gapcore.i18n import t
from gapcore.plaintext import visible
from gapcore.present.projector import for_projector
from gapcore.present.slides import Slide, projector_slide
from ui import keys, state, view
from ui.downloads import draw_spec, drawable, vega_lite_spec
from ui.page import run, shown_analysis


def escape(text: str) -> str:
    """Text from the study inside the projector's HTML: entities escaped, hidden controls made visible."""
    return _html_escape(visible(text))


# Larger type for a room; the stage (the chart's box) takes the height the title, buttons and reading
# leave on the screen, so a chart fills a 1280×720 projector as it fills a 1440×900 screen.
PROJECTOR_CSS = """
<style>
.block-container { padding-top: 1.2rem; padding-bottom: 0.3rem; max-width: 100%; }
[data-testid="stHeader"] { background: transparent; }
[data-testid="stHeader"], [data-testid="stHeader"] * { pointer-events: none; }
[data-testid="stHeader"] button, [data-testid="stHeader"] a { pointer-events: auto; }
.sg-slide-title { font-size: 1.9rem; font-weight: 700; line-height: 1.2; margin: 0; }
.sg-reading { font-size: 1.3rem; line-height: 1.4; margin-top: 0; }
.sg-action-heading { font-size: 1.45rem; font-weight: 700; margin-top: 0.6rem; }
.sg-action { font-size: 1.25rem; margin-left: 1rem; }
div:has(> .st-key-w_present_stage) { flex: 0 0 max(260px, calc(100vh - 14.5rem)) !important;
  height: max(260px, calc(100vh - 14.5rem)) !important; }
.st-key-w_present_first, .st-key-w_present_last, .st-key-w_present_page_up, .st-key-w_present_page_down
  { display: none; }
</style>
"""
NAVIGATION = (("w_present_prev", "present_prev", "Left", -1), ("w_present_next", "present_next", "Right", 1))
# a presenter's clicker sends Page Up / Page Down; Home and End jump to the first and the last frame
HIDDEN_KEYS = (("w_present_page_up", "present_prev", "PageUp", -1),
               ("w_present_page_down", "present_next", "PageDown", 1),
               ("w_present_first", "present_first", "Home", -10_000),
               ("w_present_last", "present_last", "End", 10_000))


def move(step: int, total: int) -> None:
    """Change the frame before the page is drawn, so the buttons' enabled states match the new frame."""
    index = int(st.session_state.get(keys.PRESENT_INDEX, 0)) + step
    st.session_state[keys.PRESENT_INDEX] = max(0, min(total - 1, index))


def navigation(lang: str, index: int, total: int) -> None:
    prev_col, counter, next_col = st.columns([1, 6, 1], vertical_alignment="center")
    for column, (key, label, shortcut, step) in zip((prev_col, next_col), NAVIGATION, strict=True):
        column.button(t(label, lang), key=key, shortcut=shortcut, width="stretch", on_click=move,
                      args=(step, total), disabled=(index == 0) if step < 0 else (index >= total - 1))
    for key, label, shortcut, step in HIDDEN_KEYS:  # hidden by PROJECTOR_CSS: keys only
        st.button(t(label, lang), key=key, shortcut=shortcut, on_click=move, args=(step, total))
    counter.caption(t("present_counter", lang, index=index + 1, total=total) + " · " + t("present_hint", lang))


def present_page(lang: str) -> None:
    if shown_analysis(lang) is None:
        return
    st.markdown(PROJECTOR_CSS, unsafe_allow_html=True)
    story = state.current_story(lang)
    frames = [*story.slides, *(["actions"] if story.actions else [])]
    total = len(frames)
    asked = view.wanted("slide") or ""
    if keys.PRESENT_INDEX not in st.session_state and asked.isdigit():  # a shared link opens on its frame
        st.session_state[keys.PRESENT_INDEX] = int(asked) - 1
    index = max(0, min(int(st.session_state.get(keys.PRESENT_INDEX, 0)), total - 1))
    st.session_state[keys.PRESENT_INDEX] = index
    view.keep("slide", index + 1, 1)
    navigation(lang, index, total)
    frame = frames[index]
    if frame == "actions":
        st.markdown(f'<div class="sg-slide-title">{t("actions_title", lang)}</div>', unsafe_allow_html=True)
        for block in story.actions[:3]:
            st.markdown(f'<div class="sg-action-heading">{escape(block.heading)}</div>', unsafe_allow_html=True)
            for line in block.actions:
                st.markdown(f'<div class="sg-action">• {escape(line)}</div>', unsafe_allow_html=True)
        return
    # the frame as the room sees it, kept with the settings: a return (or Next back and forth) builds nothing
    frame, spec = state.reading(("projector", index, lang), partial(projected, frame, lang))
    st.markdown(f'<div class="sg-slide-title">{escape(frame.title)}</div>', unsafe_allow_html=True)
    reading = f'<div class="sg-reading">{escape(frame.reading)}</div>'
    if frame.key == "radar":  # a square: the chart on the left at the screen's height, the reading beside it
        chart_side, text_side = st.columns([3, 2], vertical_alignment="center")
        draw_spec(spec, container=chart_side, width="content")
        text_side.markdown(reading, unsafe_allow_html=True)
        return
    with st.container(height=440, border=False, key="w_present_stage"):
        draw_spec(spec, height="stretch")
    st.markdown(reading, unsafe_allow_html=True)


def projected(slide: Slide, lang: str) -> tuple[Slide, dict]:
    """A story's slide as the presentation view shows it, and its spec for the projector (a radar is square:
    drawn at its own size, not filling the stage)."""
    frame = projector_slide(slide, state.current_study(), state.current_analysis(), lang)
    return frame, drawable(for_projector(vega_lite_spec(frame.chart), fill=frame.key != "radar"))


run(present_page, title="ServiceGap · Present", sidebar_state="collapsed")
