"""The app in a real browser: pages, languages, uploads through the file chooser, filters."""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, screenshot

pytestmark = pytest.mark.e2e
PAGES = {"home": "", "data": "Data", "dimensions": "Dimensions", "gap_model": "Gap_model", "drivers": "Drivers",
         "segments": "Segments", "report": "Report", "present": "Present", "method": "Method"}


# Streamlit writes its script's state on the app's root ("rerunRequested", "running", "notRunning"); the
# page's RUN_WATCH (tests/e2e/conftest.py) counts the changes. Idle: not running, nothing said to be running,
# and no change for QUIET_MS (an st.rerun passes through "notRunning" for a moment between its two runs).
QUIET_MS = 300
IDLE = f"""() => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]') && performance.now() - window.__sgLast > {QUIET_MS}"""
RUN_STARTED = "() => window.__sgRuns > window.__sgSeen"  # a change since the last wait
SEEN = "() => { window.__sgSeen = window.__sgRuns; }"
# Every chart on the screen has its canvas (or SVG) drawn at a height.
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
    .filter(c => c.getBoundingClientRect().height > 0)
    .every(c => [...c.querySelectorAll('canvas, svg.marks')].some(g => g.getBoundingClientRect().height > 0))"""
NEXT_FRAME = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
START_WINDOW_MS = 3_000  # an action that starts no run (Escape on a closed list) is waited on this long at most


def idle(tab) -> None:
    """The run the last action started (if it started one within START_WINDOW_MS) has finished, and the app
    has stayed idle since."""
    with contextlib.suppress(PlaywrightTimeout):
        tab.wait_for_function(RUN_STARTED, timeout=START_WINDOW_MS)
    tab.wait_for_function(IDLE, timeout=60_000)
    tab.evaluate(SEEN)


def press_to_frame(tab, key: str, frame: int, total: int) -> None:
    """Press a presentation-view key and wait until the counter shows the frame it must lead to, then for
    the page to be drawn (the condition is where the key led, so a lost or doubled press fails the test)."""
    tab.keyboard.press(key)
    counter = tab.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first
    expect(counter).to_have_text(re.compile(rf"^{frame} / {total}\b"), timeout=60_000)
    wait_ready(tab)


def charts_drawn(tab) -> None:
    tab.evaluate(NEXT_FRAME)
    tab.wait_for_function(CHARTS_DRAWN, timeout=60_000)


def wait_ready(tab) -> None:
    """The script has finished: a title in the main area, no skeletons, the app idle, every chart drawn."""
    tab.wait_for_selector('[data-testid="stMain"] h1, [data-testid="stMain"] .sg-slide-title')
    tab.wait_for_function("""() => !document.querySelector('[data-testid="stSkeleton"]')""", timeout=60_000)
    idle(tab)
    charts_drawn(tab)
    expect(tab.locator('[data-testid="stException"]')).to_have_count(0)


def settled(tab) -> None:
    """The rerun a widget started has finished (no drawing wait), and it raised nothing."""
    idle(tab)
    expect(tab.locator('[data-testid="stException"]')).to_have_count(0)


def upload_through_chooser(tab, url: str, path) -> None:
    """Open the Data page and give the file to the real file chooser, as a user does."""
    tab.goto(url)
    wait_ready(tab)
    with tab.expect_file_chooser() as chooser:
        tab.locator('[data-testid="stFileUploaderDropzone"] button').first.click()
    chooser.value.set_files(str(path))


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_every_page_in_every_language(page, server, lang):
    for name, path in PAGES.items():
        page.goto(f"{server}/{path}?lang={lang}")
        wait_ready(page)
        if name != "present":  # the presentation view opens with the sidebar closed
            expect(page.locator('[data-testid="stSidebar"]')).to_be_visible()
        screenshot(page, f"{name}_{lang}")
    if lang == "ko":
        expect(page.get_by_text("분석 방법").first).to_be_visible()
    if lang == "zh":
        expect(page.get_by_text("方法说明").first).to_be_visible()


def inked(png: bytes) -> float:
    """Share of a picture's pixels that are not (near) white: bars, lines and points, not an empty frame."""
    from io import BytesIO

    from PIL import Image

    grey = Image.open(BytesIO(png)).convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[235:]) / sum(histogram)


# charts each page draws on the demo study; each must carry more than 2 % ink (the same charts drawn
# with empty datasets — axes, grid and legend only — carry 1.6 % at most)
CHARTS = {"Dimensions": 3, "Gap_model": 3, "Drivers": 2, "Segments": 3, "Method": 1, "": 1}


def test_every_chart_is_drawn_with_its_data(page, server):
    """Each chart of each page has marks on it, not only a legend or axes."""
    for path, count in CHARTS.items():
        page.goto(f"{server}/{path}?lang=en")
        wait_ready(page)
        charts = page.locator('[data-testid="stVegaLiteChart"]')
        assert charts.count() == count, path
        for index in range(count):
            chart = charts.nth(index)
            chart.scroll_into_view_if_needed()
            charts_drawn(page)
            box = chart.bounding_box()
            assert box is not None and box["height"] > 150, (path, index, box)
            assert inked(chart.screenshot()) > 0.02, (path, index)


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
    upload_through_chooser(page, f"{server}/Data?lang=ko", source)
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


def test_custom_six_dimension_study_in_korean(page, server, tmp_path):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(8)
    dims = ["직원의 전문성과 친절함", "대기 시간과 처리 속도", "디지털 채널 편의성", "상품 설명의 정확성",
            "지점 환경과 시설", "사후 관리와 불만 처리"]
    items = pd.DataFrame({"code": range(1, 19), "dimension": [d for d in dims for _ in range(3)],
                          "text_ko": [f"문항 {k}" for k in range(1, 19)], "reverse": 0})
    customers = pd.DataFrame({"지점": rng.choice(["서울", "부산", "대구"], 150)})
    for level, base in (("E", 6.0), ("P", 4.6)):
        for k in range(1, 19):
            customers[f"{level}{k}"] = np.clip(np.rint(base + k % 3 * 0.3 + rng.normal(0, 0.8, 150)), 1, 7)
    path = tmp_path / "맞춤_설문.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        customers.to_excel(writer, sheet_name="고객", index=False)
        items.to_excel(writer, sheet_name="문항", index=False)
    upload_through_chooser(page, f"{server}/Data?lang=ko", path)
    expect(page.get_by_text("응답자 150명을 불러왔습니다.")).to_be_visible(timeout=60_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    for label, name in (("차원별 결과", "custom6_dimensions_ko"), ("갭 모델", "custom6_gap_model_ko")):
        sidebar.get_by_role("link", name=label).click()
        wait_ready(page)
        screenshot(page, name)
    expect(page.get_by_text("고객 응답만 불러와서 측정된 갭은 갭 5 하나입니다").first).to_be_visible()


def test_report_page_downloads_each_format(page, server):
    import io

    import openpyxl
    from pptx import Presentation

    page.goto(f"{server}/Report?lang=ko")
    wait_ready(page)
    files = {}
    for label, fmt in (("파워포인트", "pptx"), ("엑셀 통합 문서", "xlsx"), ("이메일용 HTML", "html"),
                       ("CSV로 내려받기", "csv")):
        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("button", name=label).click()
        assert download.value.suggested_filename.endswith("." + fmt)
        files[fmt] = Path(download.value.path()).read_bytes()
    deck = Presentation(io.BytesIO(files["pptx"]))
    assert deck.slides[0].shapes.title.text_frame.text == "서비스 품질 갭 분석 보고서"
    assert len(deck.slides) == 11  # title, 7 charts, the outcomes, the four actions on one slide, method
    assert sum(shape.has_chart for slide in deck.slides for shape in slide.shapes) == 7  # PowerPoint's own
    assert openpyxl.load_workbook(io.BytesIO(files["xlsx"])).sheetnames[:2] == ["보고서 정보", "차원별 결과"]
    assert files["html"].count(b"data:image/png;base64,") == 7
    assert files["csv"].startswith(b"\xef\xbb\xbf") and "신뢰성".encode() in files["csv"]


def test_chart_downloads_as_png_and_svg(page, server):
    page.goto(f"{server}/Segments?lang=zh")
    wait_ready(page)
    for fmt, label in (("png", "PNG 图片"), ("svg", "SVG（矢量图）")):
        page.get_by_role("button", name="下载图表").first.click()
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=label).click()
        data = Path(download.value.path()).read_bytes()
        assert download.value.suggested_filename == f"servicegap_heatmap_branch.{fmt}"
        if fmt == "png":
            assert data.startswith(b"\x89PNG")
        else:
            assert b"<svg" in data and "有形性".encode() in data
        page.keyboard.press("Escape")


FRAME_BOXES = """() => {
  const box = e => e ? e.getBoundingClientRect() : null;
  const chart = box(document.querySelector('[data-testid="stVegaLiteChart"] canvas'));
  const reading = box(document.querySelector('.sg-reading'));
  const title = box(document.querySelector('.sg-slide-title'));
  const nav = [...document.querySelectorAll('.st-key-w_present_prev button, .st-key-w_present_next button')];
  return {chart: chart && [chart.top, chart.bottom, chart.height], title: [title.top, title.bottom, title.height],
          reading: reading && [reading.top, reading.bottom], disabled: nav.map(b => b.disabled), height: innerHeight,
          counter: document.querySelector('[data-testid="stMain"] [data-testid="stCaptionContainer"]').innerText};
}"""


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_presentation_view_fits_a_projector(browser, server, lang):
    """At 1280×720 every frame fits without scrolling, its chart takes at least 70 % of the height the
    title and the reading leave, the buttons' enabled states match the frame shown, and the arrow keys and
    a clicker's Page Up / Page Down move through the frames (Home / End jump to the ends)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    tab.goto(f"{server}/Present?lang={lang}")
    wait_ready(tab)
    total = 8
    for index in range(total):
        boxes = tab.evaluate(FRAME_BOXES)
        assert boxes["counter"].startswith(f"{index + 1} / {total}")
        assert boxes["disabled"] == [index == 0, index == total - 1]
        assert boxes["title"][2] >= 36  # large type
        if boxes["chart"] is not None:
            _top, bottom, height = boxes["chart"]
            free = 720 - boxes["title"][1] - (boxes["reading"][1] - boxes["reading"][0] if boxes["reading"] else 0)
            assert height >= 0.7 * free, (index, boxes)
            assert bottom <= 720
        if boxes["reading"] is not None:
            assert boxes["reading"][1] <= 720, (index, boxes)  # on screen, no scrolling
        screenshot(tab, f"present_{lang}_{index + 1}")
        if index < total - 1:
            press_to_frame(tab, "ArrowRight" if index % 2 == 0 else "PageDown", index + 2, total)
    for key, frame in (("Home", 1), ("End", total), ("ArrowLeft", total - 1), ("PageUp", total - 2)):
        press_to_frame(tab, key, frame, total)
        assert tab.evaluate(FRAME_BOXES)["counter"].startswith(f"{frame} / {total}"), key
    context.close()


def test_every_bad_file_is_a_message_in_the_browser(page, server):
    """Each file of the bad corpus in a fresh session (a page of its own): a message, never a traceback.
    (Keeping the loaded study through a bad upload is tested in tests/test_app.py; giving ~50 files in
    a row to one page made the browser widget drop a file now and then on a busy two-core machine.)"""
    files = sorted((ROOT / "tests" / "fixtures" / "bad").iterdir())
    assert len(files) >= 50
    for path in files:
        page.goto(f"{server}/Data")
        wait_ready(page)
        survey = page.locator('[data-testid="stFileUploader"]').first
        survey.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
        expect(survey.locator('[data-testid="stFileChip"]')).to_have_count(1)
        page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')
            && document.querySelectorAll('[data-testid="stAlert"]').length > 0""", timeout=60_000)
        settled(page)
        assert "Traceback" not in page.locator('[data-testid="stMain"]').inner_text(), path.name


def test_a_file_detection_cannot_map_reaches_the_radar_by_clicks(page, server, tmp_path):
    """Codes Q1…Q13 with nothing saying what they are: blocks set into six dimensions and an N/A code by
    clicks, the mapping downloaded, and the next wave with the same columns opens mapped."""
    import json

    from tests import real_exports as rx

    name, data = rx.hospital()
    path = tmp_path / name
    path.write_bytes(data)
    upload_through_chooser(page, f"{server}/Data", path)
    expect(page.get_by_text("Map the columns of hospital.csv")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("13 columns look like rating questions").first).to_be_visible()
    wait_ready(page)
    screenshot(page, "mapping_pending_en")
    main = page.locator('[data-testid="stMain"]')
    blocks = [("access", [1, 2]), ("comfort", [3, 4]), ("care", [5, 6]), ("information", [7, 8]),
              ("discharge", [9, 10]), ("cost", [11, 12, 13])]
    for dimension, numbers in blocks:
        expander = main.locator(".st-key-w_bulk_panel")  # the panel above the grid, always open
        chooser = expander.locator('[data-testid="stMultiSelect"]').first
        expect(chooser).to_be_visible()
        for k in numbers:
            chooser.click()
            page.keyboard.type(f"Q{k}")  # the list is long: search it, as a user would
            option = page.get_by_role("option", name=f"Q{k}", exact=True)
            option.click()
            settled(page)
            page.keyboard.press("Escape")
        expect(expander.locator('[data-testid="stSelectbox"] input').first).to_have_value("perception")  # default
        start = expander.locator('[data-testid="stNumberInput"] input').first
        start.fill(str(numbers[0]))
        start.press("Enter")
        settled(page)
        field = expander.locator('[data-testid="stTextInput"] input').first
        field.fill(dimension)
        field.press("Enter")
        settled(page)
        expander.get_by_role("button", name="Set these columns").click()
        settled(page)
        expect(chooser).to_be_visible()  # the panel stays open for the next block
        expect(chooser.locator('[data-baseweb="tag"]')).to_have_count(0)  # emptied: the block was set
    options = main.locator('[data-testid="stExpander"]').filter(has_text="Reading options")
    options.locator("summary").click()
    na = options.locator('[data-testid="stTextInput"] input').first
    na.fill("99")
    na.press("Enter")
    settled(page)
    main.get_by_role("button", name="Apply the mapping").click()
    expect(page.get_by_text("Loaded 200 respondents.").first).to_be_visible(timeout=60_000)
    wait_ready(page)
    with page.expect_download(timeout=60_000) as download:
        main.get_by_role("button", name="Download the mapping (JSON)").click()
    saved = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert saved["na"] == [99.0]
    assert [e["dimension"] for e in saved["instrument"]] == [d for d, ns in blocks for _ in ns]
    wave2 = tmp_path / "hospital_wave2.csv"
    wave2.write_bytes(data)
    uploader = page.locator('[data-testid="stFileUploader"]').first
    uploader.locator('button:not([aria-label="Add files"])').first.click()  # remove the first wave's file
    settled(page)
    with page.expect_file_chooser() as chooser:
        uploader.locator("button").first.click()
    chooser.value.set_files(str(wave2))
    expect(page.get_by_text("match the mapping of your previous upload").first).to_be_visible(timeout=60_000)
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Dimensions").click()
    wait_ready(page)
    expect(page.get_by_text("discharge").first).to_be_visible()
    screenshot(page, "mapped_by_clicks_dimensions_en")


def choose(tab, key: str, option: str) -> None:
    """Pick ``option`` in the selectbox ``key``; a rerun that finishes meanwhile closes the list, so it is
    opened again until the option can be clicked."""
    for _ in range(4):
        tab.locator(f".st-key-{key} input").click()
        choice = tab.get_by_role("option", name=option, exact=True)
        try:
            choice.wait_for(state="visible", timeout=5_000)
            choice.click()
            break
        except PlaywrightTimeout:  # the list closed under a rerun: open it again
            tab.keyboard.press("Escape")
            settled(tab)
    settled(tab)


MAIN_TEXT = """() => [...document.querySelectorAll(['h1', 'h2', 'h3', '[data-testid="stMarkdownContainer"]',
  '[data-testid="stSelectbox"]', '[data-testid="stRadio"]', '[data-testid="stMultiSelect"]']
  .map(s => '[data-testid="stMain"] ' + s).join(', '))].map(e => e.innerText.trim()).filter(Boolean)"""
CHART_SIZES = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')]
  .map(c => [Math.round(c.getBoundingClientRect().width), Math.round(c.getBoundingClientRect().height)])"""


def test_a_shared_link_reproduces_the_view_in_a_fresh_browser(browser, server):
    """The sender filters by branch, compares the segments by channel as one overlaid radar; the link the
    share dialog gives (the address bar's) opens in a fresh browser on the same texts, choices and charts."""
    sender = browser.new_context(viewport={"width": 1440, "height": 900})
    tab = sender.new_page()
    tab.set_default_timeout(60_000)
    tab.goto(f"{server}/Dimensions?lang=zh&f.branch=Busan")
    wait_ready(tab)
    choose(tab, "w_dim_compare", "渠道")  # the demo's channel column, as named in Chinese
    tab.locator(".st-key-w_dim_layout").get_by_text("在一张雷达图上叠加感知").click()
    wait_ready(tab)
    tab.get_by_role("button", name="分享当前视图").click()
    shared = tab.locator('[role="dialog"] code').inner_text().strip()
    assert shared == tab.url and "compare=channel" in shared and "layout=overlay" in shared  # keys, not names
    assert "f.branch=Busan" in shared and "lang=zh" in shared
    seen, charts = tab.evaluate(MAIN_TEXT), tab.evaluate(CHART_SIZES)
    tab.keyboard.press("Escape")
    sender.close()

    receiver = browser.new_context(viewport={"width": 1440, "height": 900})
    fresh = receiver.new_page()
    fresh.set_default_timeout(60_000)
    fresh.goto(shared)
    wait_ready(fresh)
    assert fresh.evaluate(MAIN_TEXT) == seen
    assert fresh.evaluate(CHART_SIZES) == charts and len(charts) >= 3
    screenshot(fresh, "shared_link_zh")
    receiver.close()


def test_clear_segments_leaves_no_chip(page, server):
    """'Clear segments' empties the filters and their chips (a stale chip stayed while the data reset)."""
    page.goto(f"{server}/Dimensions?lang=en&f.branch=Busan&f.channel=app")
    wait_ready(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text("Busan", exact=True)).to_be_visible()
    sidebar.get_by_role("button", name="Clear segments").click()
    wait_ready(page)
    settled(page)
    expect(sidebar.get_by_text("Busan", exact=True)).to_have_count(0)
    expect(sidebar.get_by_text("app", exact=True)).to_have_count(0)
    expect(sidebar.get_by_text("1,500 of 1,500 respondents in the selection")).to_be_visible()
    assert "f.branch" not in page.url and "f.channel" not in page.url


def mouse_click(tab, locator) -> None:
    """Click as a person does: the control scrolled into view, the mouse at its centre, after checking that
    the control itself (not a toolbar or an overlay) lies at that point."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    on_top = tab.evaluate("([x, y, el]) => el.contains(document.elementFromPoint(x, y))",
                          [x, y, locator.element_handle()])
    assert on_top, "something lies over the control at its centre"
    tab.mouse.click(x, y)


def test_a_legacy_korean_xls_reaches_its_radar_by_mouse_at_1280x720(browser, server, tmp_path):
    """The hand-made .xls (title row, notes sheet, 9 = 모름) on a 1280×720 projector: the data sheet read and
    said, the proposed questions confirmed by a mouse click, the Dimensions page drawn from the file."""
    from tests import real_exports as rx

    context, tab = upload_on_projector(browser, server, tmp_path, "ko", rx.legacy_xls_korean)
    expect(tab.get_by_text("조사결과").first).to_be_visible(timeout=60_000)
    wait_ready(tab)
    mouse_click(tab, tab.locator('[data-testid="stMain"] [data-testid="stBaseButton-primary"]').first)
    expect(tab.get_by_text("응답자 120명을 불러왔습니다.").first).to_be_visible(timeout=60_000)
    wait_ready(tab)
    mouse_click(tab, tab.locator('[data-testid="stSidebar"] a[data-testid="stPageLink-NavLink"][href$="Dimensions"]'))
    wait_ready(tab)
    expect(tab.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]').first).to_be_visible()
    expect(tab.get_by_text("차원별 인식 점수").first).to_be_visible()
    screenshot(tab, "legacy_xls_dimensions_ko_1280")
    context.close()


def projector_tab(browser, lang: str):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale=f"{lang}-{lang.upper()}",
                                  accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    return context, tab


def upload_on_projector(browser, server: str, tmp_path, lang: str, build):
    """A new 1280x720 browser on the Data page in ``lang``, the file ``build()`` makes given to its chooser."""
    context, tab = projector_tab(browser, lang)
    name, data = build()
    (tmp_path / name).write_bytes(data)
    upload_through_chooser(tab, f"{server}/Data?lang={lang}", tmp_path / name)
    return context, tab


def pick_with_mouse(tab, selectbox, option: str) -> None:
    """Open a selectbox and choose an option, each with the mouse at the centre of what it clicks."""
    mouse_click(tab, selectbox)
    choice = tab.get_by_role("option", name=option, exact=True)
    choice.wait_for(state="visible")
    mouse_click(tab, choice)
    settled(tab)


def test_the_sheet_picker_and_the_word_ladder_by_mouse_at_1280x720(browser, server, tmp_path):
    """A two-sheet workbook read from its bigger sheet, then from the sheet picked; a Finnish survey whose
    answer words are shown in the order guessed, turned round and back, and read — all by mouse."""
    from tests import real_exports as rx

    context, tab = upload_on_projector(browser, server, tmp_path, "en", rx.two_waves)
    expect(tab.get_by_text("Map the columns of store_survey.xlsx")).to_be_visible(timeout=60_000)
    wait_ready(tab)
    mouse_click(tab, tab.locator('[data-testid="stMain"] [data-testid="stBaseButton-primary"]').first)
    expect(tab.get_by_text("Loaded 120 respondents.").first).to_be_visible(timeout=60_000)
    wait_ready(tab)
    pick_with_mouse(tab, tab.locator(".st-key-w_sheet [data-testid='stSelectbox']"), "2024")
    expect(tab.get_by_text("Loaded 80 respondents.").first).to_be_visible(timeout=60_000)
    screenshot(tab, "sheet_picked_en_1280")
    context.close()

    context, tab = upload_on_projector(browser, server, tmp_path, "ko", rx.finnish_words)
    expect(tab.get_by_text("응답 단어의 순서")).to_be_visible(timeout=60_000)
    wait_ready(tab)
    screenshot(tab, "word_ladder_ko_1280")
    turn = tab.locator(".st-key-w_ladder_turn button")
    mouse_click(tab, turn)
    settled(tab)
    wait_ready(tab)
    mouse_click(tab, tab.locator(".st-key-w_ladder_turn button"))
    settled(tab)
    wait_ready(tab)
    mouse_click(tab, tab.locator(".st-key-w_ladder_use button"))
    expect(tab.get_by_text("응답자 150명을 불러왔습니다.").first).to_be_visible(timeout=60_000)
    context.close()


def test_the_mapping_grid_keeps_each_column_s_name_and_question_in_view_at_1280x720(browser, server, tmp_path):
    """Scrolled right to the roles with the mouse wheel, the grid's first two columns (the column's name and
    its question, pinned) stay as they were, while the rest moves."""
    from io import BytesIO

    from PIL import Image, ImageChops

    from tests import real_exports as rx

    context, tab = upload_on_projector(browser, server, tmp_path, "ko", rx.korean_block_codes)
    expect(tab.get_by_text("고객조사_코딩.csv의 열 지정")).to_be_visible(timeout=60_000)
    wait_ready(tab)
    grid = tab.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').last
    grid.scroll_into_view_if_needed()
    expect(grid.locator(".dvn-scroller")).to_be_visible()
    tab.evaluate(NEXT_FRAME)
    before = Image.open(BytesIO(grid.screenshot()))
    box = grid.bounding_box()
    tab.mouse.move(box["x"] + box["width"] * 0.7, box["y"] + box["height"] / 2)
    tab.mouse.wheel(1200, 0)
    tab.mouse.move(box["x"] + box["width"] / 2, box["y"] - 40)  # off the grid: no row lit by the pointer
    grid.locator(".dvn-scroller").evaluate("(s) => new Promise(r => { const f = () => s.scrollLeft > 0 ? "
                                           "requestAnimationFrame(() => requestAnimationFrame(r)) : "
                                           "requestAnimationFrame(f); f(); })")
    after = Image.open(BytesIO(grid.screenshot()))
    screenshot(tab, "mapping_grid_scrolled_ko_1280")
    width, height = before.size
    pinned = (10, 0, int(width * 0.22), height)  # the name and question columns, inside the grid's edges
    moving = (int(width * 0.55), 0, width, height)
    assert ImageChops.difference(before.crop(pinned), after.crop(pinned)).getbbox() is None
    assert ImageChops.difference(before.crop(moving), after.crop(moving)).getbbox() is not None
    context.close()


@pytest.mark.parametrize("lang", ["ko", "zh"])
def test_the_uploader_speaks_the_users_language(browser, server, lang):
    """What a person sees on the uploader's button and beside it is the catalogue's text, not Streamlit's
    English ("Upload", "200MB per file"): the English drawn at size 0, the catalogue's words after it."""
    from gapcore.i18n import t

    context, tab = projector_tab(browser, lang)
    try:
        tab.goto(f"{server}/Data?lang={lang}")
        wait_ready(tab)
        drawn = tab.evaluate("""() => { const zone = document.querySelector('.st-key-w_upload');
            const label = zone.querySelector('[data-testid=stBaseButton-secondary] p');
            const note = zone.querySelector('[data-testid=stFileUploaderDropzoneInstructions] span');
            const after = (el) => getComputedStyle(el, '::after');
            return [getComputedStyle(label).fontSize, after(label).content, after(label).fontSize,
                    getComputedStyle(note).fontSize, after(note).content]; }""")
        button, note = t("uploader_button", lang), t("uploader_note", lang, mb=200)
        assert drawn == ["0px", f'"{button}"', "14px", "0px", f'"{note}"']
    finally:
        context.close()


def tick_row(tab, grid, row: int, *, shift: bool = False) -> None:
    """Tick the box of the grid's ``row`` (0 = the first under the header) with the mouse, as a person does;
    the grid is drawn on a canvas, so the point is checked to lie on the grid itself."""
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    header = row_height = 35  # Streamlit's grid: one header row and rows of 35 px
    x, y = box["x"] + 16, box["y"] + header + row_height * row + row_height / 2
    assert tab.evaluate("([x, y, el]) => el.contains(document.elementFromPoint(x, y))", [x, y, grid.element_handle()])
    if shift:
        tab.keyboard.down("Shift")
    tab.mouse.click(x, y)
    if shift:
        tab.keyboard.up("Shift")
    settled(tab)


def test_one_click_on_a_row_s_box_opens_its_editor_and_a_shift_click_takes_a_block(browser, server, tmp_path):
    """The hand-made workbook at 1280x720: one click ticks Q4's row and the panel above the grid holds Q4,
    its role and its number; ticking "reverse-coded" and setting it, with the mouse, marks item 4 reversed
    in the mapping downloaded. A click on Q1 and a Shift-click on Q3 put the block Q1–Q3 in the panel."""
    import json

    from tests import real_exports as rx

    context, tab = upload_on_projector(browser, server, tmp_path, "en", rx.several_sheets)
    expect(tab.get_by_text("Map the columns of library_survey_2025.xlsx")).to_be_visible(timeout=60_000)
    wait_ready(tab)
    panel = tab.locator(".st-key-w_bulk_panel")
    grid = tab.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').last
    tick_row(tab, grid, 5)  # ID, Branch, Q1, Q2, Q3, Q4
    chosen = panel.locator('[data-testid="stMultiSelect"]').first
    expect(chosen.get_by_role("button", name="Remove Q4")).to_be_visible()
    expect(panel.locator('[data-testid="stSelectbox"] input').first).to_have_value("perception")
    expect(panel.locator('[data-testid="stNumberInput"] input').first).to_have_value("4")
    screenshot(tab, "grid_row_ticked_en_1280")
    mouse_click(tab, panel.locator('[data-testid="stCheckbox"] label').first)
    settled(tab)
    mouse_click(tab, panel.get_by_role("button", name="Set these columns"))
    settled(tab)
    wait_ready(tab)
    with tab.expect_download(timeout=60_000) as download:
        mouse_click(tab, tab.get_by_role("button", name="Download the mapping (JSON)"))
    saved = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert [entry["item"] for entry in saved["instrument"] if entry.get("reverse")] == [4]
    grid = tab.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').last
    tick_row(tab, grid, 9)  # Q8 beside Q4: numbers that do not follow each other are kept, not renumbered
    tick_row(tab, grid, 5)
    start = tab.locator(".st-key-w_bulk_panel [data-testid='stNumberInput'] input").first
    expect(start).to_have_value("")
    expect(start).to_have_attribute("placeholder", "as numbered now")
    mouse_click(tab, tab.locator(".st-key-w_bulk_panel").get_by_role("button", name="Set these columns"))
    settled(tab)
    wait_ready(tab)
    expect(tab.locator('[data-testid="stMain"] [data-testid="stAlert"]').filter(has_text="twice")).to_have_count(0)
    grid = tab.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').last
    tick_row(tab, grid, 2)
    tick_row(tab, grid, 4, shift=True)
    chosen = tab.locator(".st-key-w_bulk_panel [data-testid='stMultiSelect']").first
    for code in ("Q1", "Q2", "Q3"):
        expect(chosen.get_by_role("button", name=f"Remove {code}")).to_be_visible()
    expect(chosen.get_by_role("button", name="Remove Q4")).to_have_count(0)
    screenshot(tab, "grid_block_ticked_en_1280")
    context.close()
