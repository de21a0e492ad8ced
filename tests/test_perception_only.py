"""A perception-only study (SERVPERF) is complete in itself (GAP_MODEL.md, "Perception-only studies"): every
page, slide, table, export and the command line speak of perceptions only — no expectation, gap or
paired-test wording, field or styling —, and the Gap model page says what gaps would need."""

from __future__ import annotations

import io
import json
import re
import zipfile

import openpyxl
import pandas as pd
import pytest
from scipy import stats as sps

from gapcore.analysis import PAIRED_ONLY_COLUMNS, analyze, prepare
from gapcore.cli import main
from gapcore.driver_model import fit_drivers
from gapcore.i18n import LANGUAGES, METHOD, t
from gapcore.io.load import SourceFile, load_study
from gapcore.present import exports, tables, templates
from gapcore.present.charts import PERCEPTION_COLOR
from gapcore.present.slides import items_frame
from gapcore.present.story import build_story
from tests.conftest import DATA
from tests.test_app import app, texts, unescaped

#: Words of expectations, gaps and paired tests in each language: none may reach a perception-only study's
#: reader outside the Gap model page (whose purpose is to say what gaps would need). SERVQUAL may be named
#: as the instrument whose statements a study asked (SERVPERF asks them too), never as gaps.
GAP_WORDS = {
    "en": re.compile(r"(?i)\bexpect|\bgaps?\b|paired|shortfall|P − E|zone of tolerance"),
    "ko": re.compile(r"기대|갭|대응표본|허용 구간"),
    "zh": re.compile(r"期望|差距|配对(?:样本)?\s*t|配对检验|容忍区间"),
}
#: Fields of expectations and gaps: no table, chart dataset or encoding of such a study carries one (a t or p
#: of segments or waves compared is a test that exists; of a perception alone, ``PAIRED_ONLY_COLUMNS``, none).
GAP_FIELDS = {"E", "gap", "gap5", "alpha_E", "wilcoxon_p", "effect_size", "A", "MSA", "MSS"}


def perception_only_csv() -> bytes:
    """The demo study as most real studies are: perceptions, segments, a wave and outcomes, no expectations."""
    frame = pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig").head(600)
    keep = ["branch", "channel", "wave", *[f"P{k}" for k in range(1, 23)], "satisfaction", "retention", "recommend"]
    return frame[keep].to_csv(index=False).encode("utf-8")


@pytest.fixture(scope="module")
def study():
    result = load_study([SourceFile("perceptions.csv", perception_only_csv())])
    assert result.study is not None and result.study.perception_only and not result.study.paired
    return result.study


def gap_words(text: str, lang: str) -> list[str]:
    return sorted(set(GAP_WORDS[lang].findall(text)))


def spec_fields(spec: object) -> set[str]:
    """Every field a chart spec encodes or holds in its datasets."""
    found: set[str] = set()
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "field" and isinstance(value, str):
                found.add(value)
            elif key == "datasets" and isinstance(value, dict):
                found |= {k for rows in value.values() for row in rows for k in row}
            else:
                found |= spec_fields(value)
    elif isinstance(spec, list):
        for value in spec:
            found |= spec_fields(value)
    return found


def xml_text(data: bytes) -> str:
    """The text nodes of every XML part of an Office file (tags and attributes left out)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")]
    return "\n".join(re.sub(r"<[^>]+>", " ", part) for part in parts)


def test_the_tables_hold_perceptions_with_their_intervals_and_no_paired_column(study):
    analysis = analyze(prepare(study))
    frame = pd.read_csv(io.BytesIO(perception_only_csv()))
    item = analysis.items.set_index("item").loc[7]
    answers = frame["P7"].dropna()
    low, high = sps.t.interval(0.95, len(answers) - 1, loc=answers.mean(), scale=sps.sem(answers))
    assert (item["P"], item["ci_low"], item["ci_high"], item["n"]) == pytest.approx(
        (answers.mean(), low, high, len(answers)))
    assert not {*PAIRED_ONLY_COLUMNS, *GAP_FIELDS} & (set(analysis.dimensions.columns) | set(analysis.items.columns))
    ordered = items_frame(study, analysis, "en")
    assert ordered["P"].is_monotonic_increasing  # lowest-rated first
    retention = analysis.outcomes.set_index("outcome").loc["retention"]
    kept = frame["retention"].map({"yes": 1.0, "no": 0.0, 1: 1.0, 0: 0.0}).dropna()
    assert retention["kind"] == "rate" and retention["mean"] == pytest.approx(kept.mean())


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_slide_table_and_export_speaks_of_perceptions_only(study, lang):
    prepared = prepare(study)
    story = build_story(prepared, {}, lang=lang, segment="branch")
    assert {s.key for s in story.slides} >= {"radar", "items", "drivers", "heatmap", "consistency", "tracking"}
    model = fit_drivers(study, "satisfaction", bootstrap=20)
    assert model.predictors == "servperf"
    words = [story.title, story.subtitle, *story.method, *(a.heading for a in story.actions)]
    for slide in story.slides:
        words += [slide.title, slide.reading, slide.notes]
        spec = exports.chart_spec(slide.chart)
        assert not GAP_FIELDS & spec_fields(spec), slide.key
        words.append(json.dumps(spec, ensure_ascii=False))
        for native in slide.native:
            words += [native.title, native.value_title, *native.categories, *(name for name, _ in native.series)]
    for name in story.tables:
        table = story.tables[name]
        assert not GAP_FIELDS & set(table.columns), name
        words += [str(v) for v in table.select_dtypes(include=["object", "str"]).stack()]
    reader_tables = [story.dimensions_table, story.outcomes_table,
                     tables.items_table(items_frame(study, analyze(prepared), lang), lang),
                     tables.coefficients_table(study, model, lang), tables.importance_table(study, model, lang)]
    for table in reader_tables:
        words += [*map(str, table.columns), *map(str, table.stack())]
    assert gap_words("\n".join(words), lang) == []
    # the files as written: the deck's slides, notes and native charts, the workbook, the HTML report
    pptx = exports.export_story(story, "pptx")
    workbook = openpyxl.load_workbook(io.BytesIO(exports.export_story(story, "xlsx")), read_only=True)
    cells = "\n".join(str(v) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                      for v in row if v is not None)
    html = re.sub(r'src="data:[^"]+"', "", exports.export_story(story, "html").decode("utf-8"))
    assert gap_words(xml_text(pptx), lang) == [] and t("outcomes_title", lang) in xml_text(pptx)
    assert gap_words(cells, lang) == []
    assert gap_words(html, lang) == []
    assert t("outcomes_title", lang) in html


def test_perception_is_drawn_as_perception(study):
    story = build_story(prepare(study), {}, lang="en", fit_model=False)
    radar = exports.chart_spec(story.slides[0].chart)
    ranges = json.dumps([layer["encoding"]["color"]["scale"]["range"] for layer in radar["layer"]
                         if "color" in layer.get("encoding", {}) and "scale" in layer["encoding"]["color"]])
    dashes = [layer["encoding"]["strokeDash"]["scale"]["range"] for layer in radar["layer"]
              if "strokeDash" in layer.get("encoding", {})]
    assert PERCEPTION_COLOR in ranges and "#0072B2" not in ranges
    assert dashes == [[[1, 0]]]  # solid, never the expectation's dashes


def test_the_command_line_prints_perceptions_and_outcomes_only(study, tmp_path, capsys):
    path = tmp_path / "perceptions.csv"
    path.write_bytes(perception_only_csv())
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    assert gap_words(out, "en") == [] and "lowest-rated first" in out and "satisfaction" in out
    assert main(["analyze", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["design"] == "servperf" and set(doc["overall"]) == {"servperf"}
    assert not {"zone", "chain"} & set(doc)
    assert not GAP_FIELDS & {k for d in doc["dimensions"].values() for k in d}
    analysis = analyze(prepare(study))
    assert doc["outcomes"]["satisfaction"]["mean"] == pytest.approx(
        analysis.outcomes.set_index("outcome").loc["satisfaction", "mean"])


PAGES = ["app.py", "pages/1_Data.py", "pages/2_Method.py", "pages/3_Dimensions.py", "pages/5_Drivers.py",
         "pages/6_Segments.py", "pages/7_Report.py", "pages/8_Present.py"]


def page_words(at, lang: str) -> str:
    """What a page shows of the study: its texts, messages, metrics, tables (headers and cells) and chart
    specs — less what the product says of the gap model itself, whatever the study: the Home page's tagline
    and intro, the Method page and the model's diagram. Everything else is about the study in front of the
    reader."""
    parts = [texts(at), *(m.value for kind in ("info", "warning", "success") for m in at.get(kind)),
             *(m.label for m in at.metric)]
    for frame in at.dataframe:
        parts += [*map(str, frame.value.columns), *map(str, frame.value.astype(str).stack())]
    diagram = json.dumps(t("diagram_title", lang), ensure_ascii=False)
    parts += [chart.proto.spec for chart in at.get("vega_lite_chart") if diagram not in chart.proto.spec]
    shown = "\n".join(parts)
    for explanation in (t("home_tagline", lang), t("home_intro", lang), unescaped(METHOD[lang].strip())):
        shown = shown.replace(explanation, "")
    return shown


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_page_of_a_perception_only_upload_speaks_of_perceptions_only(lang):
    at = app("pages/1_Data.py", lang=lang).run()
    at.file_uploader(key="w_upload").set_value(("perceptions.csv", perception_only_csv(), "text/csv"))
    at.run()
    assert at.session_state["sg_store"].data["sg_study"].study.perception_only
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        assert gap_words(page_words(at, lang), lang) == [], page
    at.switch_page("pages/3_Dimensions.py").run()
    shown = texts(at)
    assert t("items_title_p", lang) in shown and t("outcomes_title", lang) in shown
    at.switch_page("pages/4_Gap_model.py").run()
    assert not at.exception
    assert t("gaps_need_title", lang) in texts(at)
    buttons = [b.proto.id for b in at.get("download_button") if "w_tpl_" in b.proto.id]
    assert len(buttons) == 5 and "w_tpl_expectations" in buttons[0]


def test_the_expectation_template_reads_back_as_a_study_with_expectations(study):
    """The template the Gap model page offers, once filled in, is a SERVQUAL study on the study's own items."""
    template = openpyxl.load_workbook(io.BytesIO(templates.expectation_template(study, "en")))
    sheet = template["customers"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["branch", "channel", "wave"] and "E22" in header and "P22" in header
    for row in range(2, 12):
        for col, name in enumerate(header, start=1):
            sheet.cell(row, col, {"branch": "Seoul", "channel": "app", "wave": "2027-H1"}.get(
                name, (row + col) % 7 + 1))
    filled = io.BytesIO()
    template.save(filled)
    result = load_study([SourceFile("wave2.xlsx", filled.getvalue())])
    assert result.study is not None and result.study.paired and result.study.n == 10
