"""Exports: the deck, the workbook, CSV and HTML opened with their own libraries; formula-safety; CJK
text in rendered pictures; the minimum cell size in every export; the ``report`` command."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import altair as alt
import numpy as np
import openpyxl
import pandas as pd
import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from gapcore.analysis import prepare
from gapcore.cli import main
from gapcore.i18n import t
from gapcore.io.load import SourceFile, load_study
from gapcore.plaintext import INVISIBLE
from gapcore.present.charts import FONT
from gapcore.present.exports import (
    chart_png,
    export_story,
    render_pictures,
    sheet_names,
    story_workbook,
    write_csv,
    write_html,
    write_pptx,
)
from gapcore.present.segment_slides import heatmap_frame
from gapcore.present.story import build_story
from gapcore.segments import compare_segments
from tests.conftest import DATA

HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def hostile_study():
    """The demo customers with one branch renamed to a formula, as a CSV upload."""
    frame = pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig", dtype=str)
    frame.loc[frame["branch"] == "Busan", "branch"] = HOSTILE  # the extreme value: named in a reading
    result = load_study([SourceFile("customers.csv", frame.to_csv(index=False).encode("utf-8"))])
    assert result.study is not None
    return result.study


@pytest.fixture(scope="module")
def korean_story(demo_study):
    prepared = prepare(demo_study, use_weight=True)
    story = build_story(prepared, {}, lang="ko", min_cell=5)
    return story, render_pictures(story)


def test_story_has_every_slide_the_demo_supports(korean_story):
    story, pictures = korean_story
    assert [s.key for s in story.slides] == ["radar", "items", "waterfall", "drivers", "heatmap", "consistency",
                                             "tracking"]
    assert set(pictures) == {s.key for s in story.slides}
    assert story.n == 1500
    assert "신뢰성" in story.slides[0].reading  # reliability has the largest shortfall in the demo
    assert "-1.51" in story.slides[0].reading


def test_deck_slides_titles_charts_notes_and_east_asian_font(korean_story):
    """The deck: PowerPoint's own charts wherever one fits (radar, bars, stacked-column waterfall, lines,
    markers) with the story's figures inside; a picture only for the heatmap; speaker notes on every chart
    and action slide; no content slide more than half empty; Korean text in an East Asian typeface."""
    story, pictures = korean_story
    deck = Presentation(io.BytesIO(write_pptx(story, pictures=pictures)))
    action_slides = -(-len(story.actions) // 4)
    assert len(story.outcomes_table) == 3  # satisfaction, retention, recommend: one slide after the charts
    assert len(deck.slides) == 1 + len(story.slides) + 1 + action_slides + 1
    outcomes = list(deck.slides)[1 + len(story.slides)]
    assert outcomes.shapes.title.text_frame.text == t("outcomes_title", "ko")
    lines = [p.text for s in outcomes.shapes if s.has_text_frame and s != outcomes.shapes.title
             for p in s.text_frame.paragraphs]
    table = story.outcomes_table
    assert [line.startswith(f"{name}: {mean} ") for line, name, mean in
            zip(lines, table.iloc[:, 0], table.iloc[:, 1], strict=True)] == [True, True, True]
    titles = [s.shapes.title.text_frame.text for s in deck.slides]
    assert titles[0] == "서비스 품질 갭 분석 보고서"
    assert titles[1:1 + len(story.slides)] == [s.title for s in story.slides]
    assert titles[-1] == t("report_method_title", "ko")
    kinds = {}
    for slide, item in zip(list(deck.slides)[1:], story.slides, strict=False):
        charts = [s.chart for s in slide.shapes if s.has_chart]
        kinds[item.key] = [str(c.chart_type).split(" ")[0] for c in charts]
        if item.key == "heatmap":
            pictures_on_slide = [s for s in slide.shapes if s.shape_type == 13]
            assert len(pictures_on_slide) == 1 and pictures_on_slide[0].image.blob == pictures[item.key]
        for chart, native in zip(charts, item.native, strict=True):  # the data inside is the story's
            plot = chart.plots[0]
            assert list(plot.categories) == list(native.categories)
            for written, (name, values) in zip(plot.series, native.series, strict=True):
                assert written.name == (name or " ")
                assert [None if v is None else pytest.approx(v) for v in values] == list(written.values)
            assert b'<a:ea typeface="Malgun Gothic"/>' in chart.part.blob
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert item.reading in texts
        notes = slide.notes_slide.notes_text_frame.text
        assert notes.startswith(item.reading) and f"n = {story.n:,}" in notes and "물어보세요" in notes
    assert kinds == {"radar": ["RADAR_MARKERS"], "items": ["BAR_CLUSTERED"], "waterfall": ["COLUMN_STACKED"],
                     "drivers": ["BAR_CLUSTERED", "BAR_CLUSTERED"], "heatmap": [], "consistency": ["LINE_MARKERS"],
                     "tracking": ["LINE_MARKERS"]}
    # the radar's figures are the analysis' own, and the waterfall's bars add up to its levels
    radar = next(s for s in story.slides if s.key == "radar").native[0]
    perception = dict(radar.series)[t("series_P", "ko")]
    assert list(perception) == pytest.approx(story.tables["dimensions"]["P"].round(4).tolist())
    waterfall = next(s for s in story.slides if s.key == "waterfall").native[0]
    base, level = dict(waterfall.series)[""], dict(waterfall.series)[t("kind_level", "ko")]
    assert base[0] == 0 and level[0] == pytest.approx(story.tables["dimensions"]["E"].mean(), abs=1e-3)
    for slide in list(deck.slides)[1:]:
        covered = sum(s.width * s.height for s in slide.shapes)
        assert covered >= 0.5 * deck.slide_width * deck.slide_height, slide.shapes.title.text_frame.text
    assert outcomes.notes_slide.notes_text_frame.text == t("notes_ask_outcomes", "ko")
    for slide in list(deck.slides)[2 + len(story.slides):-1]:
        assert slide.notes_slide.notes_text_frame.text == t("notes_ask_actions", "ko")
    runs = [r for s in deck.slides for shape in s.shapes if shape.has_text_frame
            for p in shape.text_frame.paragraphs for r in p.runs]
    assert runs
    for run in runs:  # every run names an East Asian typeface, or Korean falls back to a Latin font
        ea = run._r.find(qn("a:rPr")).find(qn("a:ea"))
        assert ea is not None and ea.get("typeface") == "Malgun Gothic" and ea.get("charset") == "-127"
    assert any("개선" in r.text or "조사" in r.text for r in runs)


def test_workbook_sheets_hold_the_story_tables(korean_story):
    story, _ = korean_story
    book = openpyxl.load_workbook(io.BytesIO(story_workbook(story)))
    expected = sheet_names([t(f"sheet_{k}", "ko") for k in ["about", *story.tables]])
    assert book.sheetnames == expected
    dims = book[t("sheet_dimensions", "ko")]
    header = [c.value for c in dims[1]]
    table = story.tables["dimensions"]
    assert header == list(table.columns)
    gap_col = header.index("gap")
    written = [row[gap_col] for row in dims.iter_rows(min_row=2, values_only=True)]
    assert written == pytest.approx(table["gap"].tolist(), abs=1e-12)
    assert [r[header.index("dimension_label")] for r in dims.iter_rows(min_row=2, values_only=True)][1] == "신뢰성"
    about = book[t("sheet_about", "ko")]
    assert about["B1"].value == story.title


def test_formula_like_segment_values_come_out_inert(hostile_study):
    prepared = prepare(hostile_study, use_weight=False)
    story = build_story(prepared, {}, lang="en", min_cell=5, segment="branch", fit_model=False)
    segments = story.tables["segments"]
    assert HOSTILE in set(segments["segment"])
    book = openpyxl.load_workbook(io.BytesIO(story_workbook(story)))
    sheet = book[t("sheet_segments", "en")]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == HOSTILE]
    assert cells, "the value is kept as text"
    for cell in cells:
        assert cell.data_type == "s"  # a string, not a formula ("f")
        assert cell.quotePrefix
    raw = zipfile.ZipFile(io.BytesIO(story_workbook(story)))
    sheets_xml = b"".join(raw.read(n) for n in raw.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in sheets_xml and b"HYPERLINK" not in sheets_xml  # text lives in sharedStrings only

    data = write_csv(segments)
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert "'" + HOSTILE in set(back["segment"])
    assert not any(str(v).startswith(("=", "+", "@")) for v in back["segment"])
    negative = pd.DataFrame({"text": ["-1 branch", "@cmd", "\tx", "plain"], "value": [-0.5, 1.0, 2.0, 3.0]})
    back = pd.read_csv(io.BytesIO(write_csv(negative)), encoding="utf-8-sig", keep_default_na=False)
    assert back["text"].tolist() == ["'-1 branch", "'@cmd", "'\tx", "plain"]
    assert back["value"].tolist() == [-0.5, 1.0, 2.0, 3.0]  # numbers stay numbers

    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x03\x20\x00\x00\x01\x90"  # 800 × 400
    page = write_html(story, pictures={s.key: header for s in story.slides})
    assert page.count('width="400" height="200"') == len(story.slides)  # shown at half its pixels: 2× render
    assert HOSTILE not in page and "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in page


def test_sheet_names_are_valid_and_unique():
    names = sheet_names(["a/b:c", "x" * 40, "x" * 40, "'quoted'", "About", "about"])
    assert names[0] == "a_b_c"
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == len(names)
    assert names[3] == "quoted"


def _render_text(text: str, font: str) -> np.ndarray:
    from PIL import Image

    chart = alt.Chart(pd.DataFrame({"t": [text]})).mark_text(fontSize=40, font=font).encode(
        text="t:N").properties(width=260, height=80)
    png = chart_png(chart, width=260, scale=1)
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"))


def test_korean_and_chinese_labels_render_as_glyphs_not_tofu():
    # our font stack draws exactly what the Noto CJK font draws ...
    assert np.array_equal(_render_text("서비스 품질", FONT), _render_text("서비스 품질", "Noto Sans CJK KR"))
    assert np.array_equal(_render_text("服务质量", FONT), _render_text("服务质量", "Noto Sans CJK SC"))
    # ... and distinct characters give distinct pictures (missing glyphs are all the same box)
    seo, bi, missing = _render_text("서", FONT), _render_text("비", FONT), _render_text("\U000f0000", FONT)
    assert not np.array_equal(seo, bi)
    assert not np.array_equal(seo, missing)
    assert (seo < 128).sum() > 50  # ink was drawn


def test_minimum_cell_size_applies_to_every_export(demo_study):
    prepared = prepare(demo_study, use_weight=False)
    tiny = build_story(prepared, {"branch": ["Busan"], "channel": ["phone"], "wave": ["2025-H1"],
                                  "customer_type": ["new"]}, min_cell=50)
    assert tiny.held_back and not tiny.slides and not tiny.tables
    deck = Presentation(io.BytesIO(export_story(tiny, "pptx")))
    assert len(deck.slides) == 2  # title and method (which says the selection is held back)
    assert t("held_back", "en", min_cell=50) in deck.slides[1].shapes[1].text_frame.text
    # a held-back segment value: no number on the tile, in the table or the workbook
    counts = demo_study.customers["branch"].value_counts()
    min_cell = int(counts.min()) + 1
    comparison = compare_segments(prepared, "branch", {}, min_cell=min_cell)
    frame = heatmap_frame(comparison, demo_study, "en", min_cell)
    held = frame[frame["suppressed"]]
    assert set(held["segment"]) >= {counts.idxmin()}
    assert (held["text"] == "held back").all() and held["mean"].isna().all()
    story = build_story(prepared, {}, min_cell=min_cell, fit_model=False)
    rows = story.tables["segments"][story.tables["segments"]["segment"] == counts.idxmin()]
    assert rows[["n", "mean", "ci_low", "ci_high"]].isna().all().all()


def test_report_command_writes_each_format(tmp_path):
    for fmt in ("xlsx", "pptx", "html"):
        out = tmp_path / f"busan.{fmt}"
        status = main(["report", str(DATA / "demo_study.xlsx"), "--format", fmt, "--lang", "zh",
                       "--filter", "branch=Busan", "-o", str(out)], out=io.StringIO())
        assert status == 0 and out.stat().st_size > 1000
    book = openpyxl.load_workbook(tmp_path / "busan.xlsx")
    assert book.sheetnames[0] == "报告信息"
    dims = pd.read_excel(tmp_path / "busan.xlsx", sheet_name="维度结果")
    assert int(dims["n"].max()) == 268  # Busan's respondents
    assert Presentation(str(tmp_path / "busan.pptx")).slides[0].shapes.title.text_frame.text == "服务质量差距分析报告"
    page = (tmp_path / "busan.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") == 7 and '<html lang="zh">' in page
    table = pd.read_html(io.StringIO(page))[0]  # headed for readers, n a whole number
    assert list(table.columns) == ["维度", "期望", "感知", "差距（P − E）", "95% 置信区间", "p（配对 t）", "n"]
    assert table["n"].astype(str).tolist() == ["268"] * 5 and "dimension_label" not in page and "268.00" not in page
    err = io.StringIO()
    assert main(["report", str(DATA / "demo_study.xlsx"), "--format", "xlsx", "--segment", "nope", "-o",
                 str(tmp_path / "x.xlsx")], out=err) == 2


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) and poppler-utils are not installed")
def test_deck_converts_to_pdf_with_korean_text(korean_story, tmp_path):
    story, pictures = korean_story
    deck = tmp_path / "deck.pptx"
    deck.write_bytes(write_pptx(story, pictures=pictures))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(deck)], check=True, capture_output=True, timeout=240)
    text = subprocess.run(["pdftotext", str(tmp_path / "deck.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "서비스 품질" in text.replace("\n", " ")
    fonts = subprocess.run(["pdffonts", str(tmp_path / "deck.pdf")], capture_output=True, text=True).stdout
    assert "CJK" in fonts  # Hangul drawn with a CJK font, not missing-glyph boxes


def test_provider_template_fits_the_study_and_reads_back(demo_study):
    """The management template of the demo study, filled in by two branch managers, loads with the
    customers as the management table: gap 1 appears, from exactly the numbers written in."""
    from gapcore.analysis import analyze
    from gapcore.present.templates import provider_template

    book = openpyxl.load_workbook(io.BytesIO(provider_template(demo_study, "management", "ko")))
    assert book.sheetnames == ["management", "안내", "안내 - 문항"]
    header = [c.value for c in book["management"][1]]
    assert header == ["branch", "manager", *(f"M{k}" for k in range(1, 23))]
    notes = [r[0].value for r in book["안내"].iter_rows(min_row=2)]
    assert notes[0] == t("provider_who_management", "ko") and "1~7" in notes[1]
    wording = [[c.value for c in r] for r in book["안내 - 문항"].iter_rows(min_row=2)]
    assert wording[0] == ["M1", "유형성", demo_study.instrument.item(1).text_ko]
    sheet = book["management"]
    for row, (branch, base) in enumerate((("Seoul", 5), ("Busan", 6)), start=2):
        sheet.cell(row, 1, branch)
        sheet.cell(row, 2, f"m{row}")
        for k in range(1, 23):
            sheet.cell(row, 2 + k, base + (k % 2))
    filled = io.BytesIO()
    book.save(filled)
    customers = (DATA / "demo_customers.csv").read_bytes()
    result = load_study([SourceFile("customers.csv", customers), SourceFile("managers.xlsx", filled.getvalue())])
    assert result.study is not None and not result.report.errors, result.report
    assert set(result.study.providers) == {"management"}
    chain = analyze(prepare(result.study, use_weight=False)).chain
    # each dimension's M level is the mean of its items' means; items alternate base, base + 1 by number
    expected = np.mean([np.mean([5.5 + (k % 2) for k in demo_study.instrument.items_of(d)])
                        for d in demo_study.instrument.dimensions])
    assert chain.levels["M"] == pytest.approx(expected)
    assert [s.name for s in chain.measured_steps] == ["gap1"]


def test_a_download_is_named_from_the_filters_without_a_character_a_file_system_refuses():
    from gapcore.present.exports import download_stem

    assert download_stem("Seoul", "app") == "servicegap_Seoul_app"
    assert download_stem("서울 강남", "上海") == "servicegap_서울_강남_上海"
    assert download_stem('a/b\\c:d*e?f"g<h>i|j', "k\nl\tm") == "servicegap_a_b_c_d_e_f_g_h_i_j_k_l_m"
    assert download_stem("../../etc/passwd") == "servicegap_.._.._etc_passwd"
    assert download_stem("x" * 200) == "servicegap_" + "x" * 69 and len(download_stem("x" * 200)) == 80
    assert download_stem("=HYPERLINK(1)", "") == "servicegap_HYPERLINK_1"
    assert download_stem("radar_branch_Seoul") == "servicegap_radar_branch_Seoul"


def test_a_story_builds_a_table_when_it_is_read_and_the_workbook_reads_them_all(demo_study):
    """The Report page shows one table and the presentation view none: building the story builds no table;
    reading one builds that one, equal to its own computation; writing the workbook builds every one."""
    from gapcore.segments import consistency

    prepared = prepare(demo_study)
    story = build_story(prepared, {"channel": ["app"]}, lang="en", segment="branch", fit_model=False)
    assert story.tables.built == ()
    assert "consistency" in story.tables and "tracking" in story.tables
    spread = story.tables["consistency"]
    assert story.tables.built == ("consistency",)
    expected = consistency(compare_segments(prepared, "branch", {"channel": ["app"]}))
    pd.testing.assert_frame_equal(spread.drop(columns="column"), expected)
    assert set(spread["column"]) == {"branch"}
    workbook = openpyxl.load_workbook(io.BytesIO(export_story(story, "xlsx")), read_only=True)
    assert set(story.tables.built) == set(story.tables)
    assert len(workbook.sheetnames) == len(story.tables) + 1  # and the sheet about the study


def test_a_segment_value_with_a_bidi_override_is_shown_visibly_on_the_heatmap_and_in_the_workbook():
    """A branch named "Daegu\\u202etxt.exe": its heatmap row reads ⟦U+202E⟧ (never drawn reversed), and no
    cell of the workbook holds a bidi control or zero-width character."""
    frame = pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig").head(300)
    frame["branch"] = frame["branch"].replace({"Daegu": "Daegu\u202etxt.exe", "Busan": "Bu\u200bsan"})
    study = load_study([SourceFile("bidi.csv", frame.to_csv(index=False).encode())]).study
    prepared = prepare(study)
    rows = heatmap_frame(compare_segments(prepared, "branch", {}), study, "en", 5)["row_label"]
    assert any("Daegu⟦U+202E⟧txt.exe" in label for label in rows)
    assert not any(INVISIBLE.search(label) for label in rows)
    story = build_story(prepared, {}, lang="ko", segment="branch", fit_model=False)
    book = openpyxl.load_workbook(io.BytesIO(story_workbook(story)), read_only=True)
    cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert any("⟦U+202E⟧" in c for c in cells) and not any(INVISIBLE.search(c) for c in cells)


def _texts(value) -> list[str]:
    """Every string inside a chart spec (nested dicts and lists)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_texts(k), *_texts(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _texts(v)]
    return []


def bidi_study_workbook() -> bytes:
    """A workbook whose dimension names, item texts, segment column and values carry bidi overrides,
    isolates, marks and zero-width characters."""
    rng = np.random.default_rng(5)
    dims = ["Staff\u202e", "Wait\u200b", "Rooms\u2066x\u2069", "Care\u200f", "Web\ufeff"]
    items = pd.DataFrame({"code": range(1, 11), "dimension": [d for d in dims for _ in range(2)],
                          "text_en": [f"Item {k}\u2060 \u202eexe" for k in range(1, 11)], "reverse": 0})
    customers = pd.DataFrame({"bra\u200fnch": rng.choice(["Dae\u202egu", "Bu\u200bsan", "Seoul\u2066"], 240)})
    for level, base in (("E", 6.0), ("P", 4.6)):
        for k in range(1, 11):
            customers[f"{level}{k}"] = np.clip(np.rint(base + rng.normal(0, 0.9, 240)), 1, 7)
    customers["satisfaction"] = np.clip(np.rint(4 + rng.normal(0, 1, 240)), 1, 7)
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        customers.to_excel(writer, sheet_name="customers", index=False)
        items.to_excel(writer, sheet_name="items", index=False)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_study_full_of_bidi_and_zero_width_characters_reaches_no_output_raw(lang):
    """Every slide's chart spec as the page draws it (``vega_lite_spec``) and as an export renders it
    (``chart_spec``), and the deck, workbook, HTML report and CSV read back with each planted character
    written visibly (⟦U+…⟧) and none raw. (The page's text: tests/e2e/test_injection.py.)"""
    from gapcore.present.exports import chart_spec
    from ui.downloads import vega_lite_spec

    study = load_study([SourceFile("study\u202e\u200b.xlsx", bidi_study_workbook())]).study
    segment = next(c for c in study.segments if c.startswith("bra"))
    story = build_story(prepare(study), {}, lang=lang, segment=segment, fit_model=False)
    specs = [draw(slide.chart) for slide in story.slides if slide.chart is not None
             for draw in (vega_lite_spec, chart_spec)]
    texts = [text for spec in specs for text in _texts(spec)]
    assert len(specs) >= 8 and any("⟦U+202E⟧" in s for s in texts)  # the planted values reached the charts
    assert sorted({s for s in texts if INVISIBLE.search(s)}) == []
    deck = zipfile.ZipFile(io.BytesIO(export_story(story, "pptx")))
    deck_text = "".join(deck.read(n).decode("utf-8") for n in deck.namelist() if n.endswith(".xml"))
    book = openpyxl.load_workbook(io.BytesIO(export_story(story, "xlsx")), read_only=True)
    cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v]
    html = export_story(story, "html").decode("utf-8")
    csv = "".join(write_csv(table).decode("utf-8-sig") for table in story.tables.values())  # each with its BOM
    for name, output in (("deck", deck_text), ("workbook", "\n".join(cells)), ("html", html), ("csv", csv)):
        assert "⟦U+202E⟧" in output, name
        assert INVISIBLE.search(output) is None, (name, INVISIBLE.search(output))
