"""A connected dataset in the served app: the operator's secrets (in a temporary HOME, so the repository is
untouched) declare a hive folder; a person opens it with the mouse, then reads its Dimensions and Drivers pages
(the driver model fitted by the engine)."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, screenshot, streamlit_server
from tests.e2e.test_browser import mouse_click, wait_ready
from tests.test_connected import write_waves

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def lake_server(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("lake") / "waves"
    write_waves(pd.read_csv(ROOT / "data" / "demo_customers.csv", encoding="utf-8-sig"), folder)
    home = tmp_path_factory.mktemp("home")
    (home / ".streamlit").mkdir()
    (home / ".streamlit" / "secrets.toml").write_text(
        f'[servicegap.sources.cx]\nsource = "{folder}"\nlabel = "CX lake"\n'
        f'mapping = "{ROOT / "data" / "demo_segments.yaml"}"\n', encoding="utf-8")
    with streamlit_server(HOME=str(home)) as url:
        yield url


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_person_opens_a_connected_dataset_and_reads_it(browser, lake_server, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tab = context.new_page()
    tab.set_default_timeout(120_000)
    tab.goto(f"{lake_server}/Data?lang={lang}")
    wait_ready(tab)
    mouse_click(tab, tab.locator(".st-key-w_connected_open button"))
    sidebar = tab.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text("CX lake")
    expect(sidebar).to_contain_text("1,500")
    wait_ready(tab)
    screenshot(tab, f"connected_data_{lang}")
    mouse_click(tab, sidebar.locator('a[href*="Dimensions"]').first)
    wait_ready(tab)
    expect(tab.locator('[data-testid="stVegaLiteChart"]').first).to_be_visible()
    expect(tab.locator('[data-testid="stSidebar"]')).to_contain_text("CX lake")
    screenshot(tab, f"connected_dimensions_{lang}")
    mouse_click(tab, sidebar.locator('a[href*="Drivers"]').first)
    wait_ready(tab)
    expect(tab.locator('[data-testid="stVegaLiteChart"]')).to_have_count(2)  # effects and shares of the model
    expect(tab.locator('[data-testid="stException"]')).to_have_count(0)
    expect(tab.locator('[data-testid="stAlertContentError"]')).to_have_count(0)
    screenshot(tab, f"connected_drivers_{lang}")
    context.close()
