"""Every control works with a mouse (issue 30): on every page, at a projector's 1280x720 and at common
laptop and desktop sizes, in EN/KO/ZH, each visible control (buttons, links, tabs, expanders, selects,
inputs, slider thumbs, and the chart and table toolbars that appear on hover) is the element a person's
click lands on at its centre: nothing of Streamlit's chrome or of another element lies over it. Then the
controls a facilitator uses are clicked with the mouse and do what they say."""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.test_browser import mouse_click, settled, wait_ready

pytestmark = pytest.mark.e2e

PAGES = ("", "Data", "Dimensions", "Gap_model", "Drivers", "Segments", "Report", "Present", "Method")
VIEWPORTS = {"en": ((1280, 720), (1366, 768), (1440, 900), (1920, 1080)), "ko": ((1280, 720),), "zh": ((1280, 720),)}
CONTROLS = ", ".join((
    "button", "a[href]", "[role=tab]", "summary", "label:has(> input[type=checkbox])",
    "input:not([type=checkbox]):not([type=radio]):not([type=file]):not([type=range])",
    "[data-testid=stSlider] [data-rac][style*=translate]",  # a slider's thumb: what a person drags
))
# Marks each control a person can see (or make appear by hovering: a chart's or a table's toolbar) and says
# which hover host it needs. Not visible: outside the window sideways (the collapsed sidebar), hidden, in a
# closed expander, or an accessibility-only element (1 px, clipped).
MARK = """(selector) => { const found = []; let n = 0;
  for (const el of document.querySelectorAll(selector)) {
    const r = el.getBoundingClientRect();
    if (r.width < 4 || r.height < 4 || r.right <= 0 || r.left >= innerWidth) continue;
    if (el.closest('details:not([open])') && !el.matches('summary')) continue;
    let hidden = false, host = null;
    for (let a = el; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === 'none' || s.visibility === 'hidden' || s.clipPath === 'inset(50%)') { hidden = true; break; }
      if (s.opacity === '0') {
        host = a.closest('[data-testid=stElementToolbar], [data-testid=stHeaderActionElements]');
        if (!host) { hidden = true; break; }
      }
    }
    if (hidden) continue;
    el.setAttribute('data-sg-probe', n);
    found.push([n, host !== null]); n++;
  }
  return found; }"""
# The control scrolled to the middle of the window; what lies at its centre.
HIT = """(n) => { const el = document.querySelector(`[data-sg-probe="${n}"]`);
  el.scrollIntoView({block: 'center', inline: 'nearest'});
  const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  return {ok: hit === el || el.contains(hit), x, y,
          control: el.tagName + ' ' + (el.getAttribute('aria-label') || el.innerText || '').trim().slice(0, 40),
          over: hit ? (hit.closest('[data-testid]')?.getAttribute('data-testid') || hit.tagName) : null}; }"""


# Hover effects that the mouse's leaving started (a chart's toolbar, a heading's link) have run to their end.
SETTLED_STYLES = "() => document.getAnimations().every(a => a.playState !== 'running')"


def covered_controls(tab) -> tuple[int, list[str]]:
    """How many controls were tried, and those a click at the centre would miss (with what lies on top)."""
    tab.mouse.move(0, 0)  # no toolbar shown by a mouse left over a chart: each is hovered when its turn comes
    tab.wait_for_function(SETTLED_STYLES)
    found = tab.evaluate(MARK, CONTROLS)
    hits = tab.evaluate(f"(ns) => ns.map({HIT})", [n for n, _ in found])
    missed = []
    for (n, needs_hover), hit in zip(found, hits, strict=True):
        if needs_hover and not hit["ok"]:  # a person moves onto the chart; its toolbar appears under the mouse
            hit = tab.evaluate(HIT, n)
            tab.mouse.move(hit["x"], hit["y"])
            with contextlib.suppress(PlaywrightTimeout):
                tab.wait_for_function(f"(n) => ({HIT})(n).ok", arg=n, timeout=2000, polling=50)
            hit = tab.evaluate(HIT, n)
        if not hit["ok"]:
            missed.append(f"{hit['control']} at ({hit['x']:.0f}, {hit['y']:.0f}) under {hit['over']}")
    return len(found), missed


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_every_visible_control_is_what_a_click_at_its_centre_lands_on(browser, server, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tab = context.new_page()
    missed: list[str] = []
    tried = 0
    try:
        for name in PAGES:
            tab.goto(f"{server}/{name}?lang={lang}")
            wait_ready(tab)
            for width, height in VIEWPORTS[lang]:
                tab.set_viewport_size({"width": width, "height": height})
                count, page_missed = covered_controls(tab)
                tried += count
                missed += [f"/{name} {width}x{height}: {m}" for m in page_missed]
    finally:
        context.close()
    assert tried > 300  # the pages were drawn and their controls found
    assert missed == []


COUNTER = re.compile(r"(\d+) / (\d+)")


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_a_facilitator_moves_through_the_presentation_with_the_mouse(browser, server, lang):
    """At a 1280x720 projector: Next and Previous clicked at their centres move the frame (Streamlit's header
    toolbar lay over them: the click landed on the toolbar and only the keyboard worked)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tab = context.new_page()
    try:
        tab.goto(f"{server}/Present?lang={lang}")
        wait_ready(tab)
        caption = tab.locator('[data-testid="stCaptionContainer"]').filter(has_text=COUNTER).first
        total = int(COUNTER.search(caption.inner_text()).group(2))
        buttons = tab.locator('[data-testid="stMain"] [data-testid="stButton"] button')
        previous, following = buttons.first, buttons.nth(1)
        for frame in range(2, 4):
            mouse_click(tab, following)
            expect(caption).to_contain_text(f"{frame} / {total}")
        mouse_click(tab, previous)
        expect(caption).to_contain_text(f"2 / {total}")
        settled(tab)
    finally:
        context.close()


def test_sidebar_links_expanders_and_selects_answer_the_mouse(browser, server):
    """A page link, an expander and a select, each clicked at its centre at 1280x720, do what they say."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tab = context.new_page()
    try:
        tab.goto(f"{server}/Dimensions")
        wait_ready(tab)
        summary = tab.locator('[data-testid="stExpander"] summary').first
        mouse_click(tab, summary)
        expect(tab.locator('[data-testid="stExpander"] details').first).to_have_attribute("open", "")
        mouse_click(tab, tab.locator('[data-testid="stSidebar"] a[href$="Segments"]'))
        wait_ready(tab)
        expect(tab).to_have_url(re.compile(r"/Segments"))
        select = tab.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').first
        mouse_click(tab, select)
        expect(tab.get_by_role("option").first).to_be_visible()
        tab.keyboard.press("Escape")
    finally:
        context.close()
