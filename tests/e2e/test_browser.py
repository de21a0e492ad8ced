"""The app in a real browser: pages, languages, uploads through the file chooser, filters."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, screenshot

pytestmark = pytest.mark.e2e
PAGES = {"home": "", "data": "Data", "method": "Method"}


def wait_ready(tab) -> None:
    """The script has finished: a title in the main area, no skeletons, no running indicator."""
    tab.wait_for_selector('[data-testid="stMain"] h1')
    tab.wait_for_function("""() => !document.querySelector('[data-testid="stSkeleton"]')
        && !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=60_000)
    tab.wait_for_timeout(800)  # let Vega finish drawing before a screenshot
    expect(tab.locator('[data-testid="stException"]')).to_have_count(0)


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_every_page_in_every_language(page, server, lang):
    for name, path in PAGES.items():
        page.goto(f"{server}/{path}?lang={lang}")
        wait_ready(page)
        expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()
        screenshot(page, f"{name}_{lang}")
    if lang == "ko":
        expect(page.get_by_text("분석 방법").first).to_be_visible()
    if lang == "zh":
        expect(page.get_by_text("方法说明").first).to_be_visible()


def test_switch_language_in_the_sidebar(page, server):
    page.goto(server)
    wait_ready(page)
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    page.get_by_role("option", name="한국어").click()
    wait_ready(page)
    expect(page.get_by_text("다섯 가지 갭").first).to_be_attached()
    assert "lang=ko" in page.url


def test_upload_korean_file_name_then_filter_and_visit_pages(page, server, tmp_path):
    source = tmp_path / "고객설문_2026.csv"
    shutil.copy(ROOT / "tests" / "fixtures" / "good" / "korean_questions_cp949.csv", source)
    page.goto(f"{server}/Data?lang=ko")
    wait_ready(page)
    with page.expect_file_chooser() as chooser:
        page.locator('[data-testid="stFileUploaderDropzone"] button').first.click()
    chooser.value.set_files(str(source))
    expect(page.get_by_text("응답자 120명을 불러왔습니다.")).to_be_visible(timeout=60_000)
    wait_ready(page)
    screenshot(page, "data_after_upload_ko")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option", name="부산").click()
    page.keyboard.press("Escape")
    wait_ready(page)
    assert "f.%EC%A7%80%EC%A0%90=%EB%B6%80%EC%82%B0" in page.url or "f.지점=부산" in page.url
    # In-app navigation keeps the session (a full reload would start a new one, without the upload).
    for label in ("분석 방법", "홈"):
        sidebar.get_by_role("link", name=label).click()
        wait_ready(page)
    screenshot(page, "home_after_upload_ko")
    expect(page.get_by_text("고객설문_2026.csv").first).to_be_visible()
    expect(sidebar.get_by_text("부산").first).to_be_visible()
