"""Text from a study and from a shared link is shown as text: no Markdown, no HTML, no remote request.

A local canary server counts every request; the study plants links, images, raw HTML and bidi
controls in its file name, dimension names, item texts, segment column name and segment values, and
a link plants an image in a filter value. Every page is visited in the browser."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import _free_port, screenshot
from tests.e2e.test_browser import upload_through_chooser, wait_ready

pytestmark = pytest.mark.e2e


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        _Canary.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def canary() -> Iterator[str]:
    _Canary.hits = []
    port = _free_port()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), _Canary)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


def payload_study(canary: str, path) -> None:
    rng = np.random.default_rng(3)
    dims = [f"Staff ![i]({canary}/dim.png)", f"Wait <img src={canary}/dimhtml.png>", f"Digital [go]({canary}/dim)",
            f"Rooms {canary}/bare", "Care \u202eevil"]
    items = pd.DataFrame({"code": range(1, 11), "dimension": [d for d in dims for _ in range(2)],
                          "text_en": [f"Item {k} ![x]({canary}/item{k}.png) **bold**" for k in range(1, 11)],
                          "reverse": 0})
    column = f"branch\u202e ![c]({canary}/col.png)"
    values = [f"Seoul ![v]({canary}/val.png)", f"Busan [l]({canary}/link)", "Daegu\u202etxt.exe",
              f"<img src={canary}/valhtml.png>"]
    customers = pd.DataFrame({column: rng.choice(values, 200)})
    for level, base in (("E", 6.0), ("P", 4.6)):
        for k in range(1, 11):
            customers[f"{level}{k}"] = np.clip(np.rint(base + rng.normal(0, 0.9, 200)), 1, 7)
    customers["satisfaction"] = np.clip(np.rint(4 + rng.normal(0, 1, 200)), 1, 7)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        customers.to_excel(writer, sheet_name="customers", index=False)
        items.to_excel(writer, sheet_name="items", index=False)


def assert_nothing_fetched_or_linked(tab, canary: str) -> None:
    tab.wait_for_load_state("networkidle")  # every request the page would make has been made
    assert _Canary.hits == []
    leaks = tab.locator(f'a[href*="{canary}"], img[src*="{canary}"], a[href^="javascript"]')
    assert leaks.count() == 0, [leaks.nth(i).evaluate("e => e.parentElement.outerHTML.slice(0, 300)")
                                for i in range(leaks.count())]
    assert tab.locator('[data-testid="stMain"] strong:has-text("bold")').count() == 0


def test_planted_markdown_html_and_bidi_stay_text_on_every_page(page, server, canary, tmp_path):
    path = tmp_path / "study [link](javascript:alert(1)) **x**.xlsx"
    payload_study(canary, path)
    upload_through_chooser(page, f"{server}/Data", path)
    expect(page.get_by_text("Loaded 200 respondents").first).to_be_visible(timeout=60_000)
    wait_ready(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("study [link](javascript:alert(1)) **x**.xlsx")).to_be_visible()
    expect(sidebar.get_by_text("branch⟦U+202E⟧ ![c]").first).to_be_visible()
    assert_nothing_fetched_or_linked(page, canary)
    for label in ("Dimensions", "Gap model", "Drivers", "Segments", "Report", "Home", "Present"):
        sidebar.get_by_role("link", name=label).first.click()
        wait_ready(page)
        assert_nothing_fetched_or_linked(page, canary)
        screenshot(page, f"injection_{label.lower().replace(' ', '_')}")
    screenshot(page, "injection_present")


def test_a_planted_filter_value_in_a_link_is_refused_as_text(page, server, canary):
    page.goto(f"{server}/Report?f.branch=Seoul,![x]({canary}/url.png)&f.nosuch=[l]({canary}/l)")
    wait_ready(page)
    expect(page.get_by_text("These filters from the link are not in this study").first).to_be_visible()
    expect(page.get_by_text(f"branch=![x]({canary}/url.png)").first).to_be_visible()
    assert_nothing_fetched_or_linked(page, canary)
    assert "url.png" not in page.url  # the refused value is gone from the link being shared on
