"""ServiceGap from Python (``gapcore.load``, ``analyze``, ``drivers``, ``compare``, ``report``, ``demo``): each
function's figures are the command line's for the same file, and its charts are the app's."""

from __future__ import annotations

import doctest
import io
import json
import re
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pytest

import gapcore
from gapcore.cli import main
from tests.conftest import ROOT

DEMO = ROOT / "data" / "demo_study.xlsx"
SEGMENTS = ROOT / "data" / "demo_segments.yaml"


def cli_json(*args: str) -> dict:
    out = io.StringIO()
    assert main([*args, "--json"], out=out) == 0
    return json.loads(out.getvalue())


@pytest.fixture(scope="module")
def study() -> gapcore.Study:
    return gapcore.load(DEMO, mapping=SEGMENTS)


def test_load_reads_what_the_command_line_reads_from_a_path_bytes_or_a_data_frame(study):
    document = cli_json("analyze", str(DEMO))
    assert study.n == document["n"] == 1500
    assert {d: list(study.instrument.items_of(d)) for d in study.instrument.dimensions} == document["instrument"]
    assert study.report.message_keys() == ["custom_instrument"]  # what reading said, kept with the study
    assert study.segment_label("branch", "ko") == "지점"  # the mapping file's names
    assert gapcore.load(DEMO.read_bytes()).n == 1500  # bytes without a name: the workbook is recognised
    frame = pd.read_excel(DEMO, sheet_name="customers", engine="openpyxl")
    from_frame = gapcore.analyze(gapcore.load(frame)).dimensions.set_index("dimension")
    from_file = gapcore.analyze(study).dimensions.set_index("dimension")
    pd.testing.assert_series_equal(from_frame["P"], from_file["P"], rtol=1e-12)
    with pytest.raises(gapcore.GapcoreError) as refused:  # the app's message, in English
        gapcore.load(pd.DataFrame({"Q1": [4, 5, 3], "Q2": [3, 4, 4]}))
    assert "The customer table has no expectation or perception columns" in str(refused.value)


@pytest.mark.parametrize("weights", [True, False])
def test_analyze_gives_the_command_line_s_figures(study, weights):
    document = cli_json("analyze", str(DEMO), "--filter", "branch=Busan", "--weight", "on" if weights else "off")
    analysis = gapcore.analyze(study, {"branch": ["Busan"]}, weights=weights)
    assert analysis.n == document["n"] == 268
    for row in analysis.dimensions.itertuples():
        expected = document["dimensions"][row.dimension]
        assert (row.E, row.P, row.gap) == pytest.approx((expected["E"], expected["P"], expected["gap5"]), rel=1e-12)
    again = gapcore.analyze(study, {"branch": ["Seoul"]}, weights=weights)
    assert again.prepared is analysis.prepared  # the study's cells computed once per weight setting


def test_drivers_gives_the_command_line_s_model(study):
    document = cli_json("drivers", str(DEMO), "--outcome", "satisfaction", "--bootstrap", "0")
    model = gapcore.drivers(study, "satisfaction", bootstrap=0)
    assert model.n == document["n"]
    for row in model.coefficients.itertuples():
        assert row.coef == pytest.approx(document["coefficients"][row.term]["coef"], rel=1e-12)
    assert model.fit["r2"] == pytest.approx(document["fit"]["r2"], rel=1e-12)


def test_compare_gives_each_segment_value_the_command_line_s_figures(study):
    comparison = gapcore.compare(study, by="branch")
    for value in ("Busan", "Seoul"):
        document = cli_json("analyze", str(DEMO), "--filter", f"branch={value}")
        cells = comparison.cells[comparison.cells["segment"] == value].set_index("dimension")["mean"]
        assert list(cells.index) == [*document["dimensions"], "overall"]
        for dimension, mean in cells.drop("overall").items():
            assert mean == pytest.approx(document["dimensions"][dimension]["gap5"], rel=1e-9)
    with pytest.raises(gapcore.GapcoreError, match="'region' is not a segment column"):
        gapcore.compare(study, by="region")


def test_report_writes_what_the_command_line_writes(study, tmp_path):
    written = gapcore.report(study, tmp_path / "api.html", lang="ko", filters={"channel": ["app"]})
    assert main(["report", str(DEMO), "--mapping", str(SEGMENTS), "--format", "html", "-o", str(tmp_path / "cli.html"),
                 "--lang", "ko", "--filter", "channel=app"], out=io.StringIO()) == 0
    assert written.read_text(encoding="utf-8") == (tmp_path / "cli.html").read_text(encoding="utf-8")
    assert "지점" in written.read_text(encoding="utf-8")
    with pytest.raises(gapcore.GapcoreError, match="'doc' is not a choice"):
        gapcore.report(study, tmp_path / "x.doc")


def test_demo_is_the_study_the_app_opens_on(study):
    demo = gapcore.demo()
    assert (demo.n, demo.segments, demo.segment_label("wave", "zh")) == (study.n, study.segments, "调查批次")


def test_results_show_themselves_in_a_notebook(study):
    analysis = gapcore.analyze(study, {"branch": ["Busan"]})
    model = gapcore.drivers(study, bootstrap=0)
    comparison = gapcore.compare(study, by="channel")
    assert repr(study).startswith("Study(n=1,500, SERVQUAL (expectations and perceptions), 22 items in 5 dimensions")
    assert repr(analysis) == "Analysis(n=268 of 1,500, branch = Busan, min cell 5)"
    assert repr(model).startswith("DriverModel(satisfaction ~ servqual dimensions, ols, n=1,500, r2 0.426")
    assert repr(comparison).startswith("SegmentComparison(channel: ")
    assert repr(study.report) == "ValidationReport(0 errors, 0 warnings, 1 infos)"
    for shown, wanted in ((study, "tangibles"), (analysis, "-1.182"), (model, "shapley"), (comparison, "tangibles"),
                          (study.report, "22")):
        html = shown._repr_html_()
        assert "<table" in html and wanted in html, type(shown).__name__
    words = study.report.to_frame("ko")
    assert list(words.columns) == ["severity", "where", "what", "todo"]
    assert words.loc[0, "what"].startswith("업로드한 문항 시트를 사용합니다")


def test_the_charts_are_the_app_s_charts():
    """The radar a notebook draws is the chart the Dimensions page sends: the same layers and the same data."""
    from tests.test_app import app

    page = app("pages/3_Dimensions.py").run().get("vega_lite_chart")[0]
    sent = json.loads(page.proto.spec)
    data = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in page.proto.datasets}
    drawn = gapcore.analyze(gapcore.demo()).radar().to_dict()
    assert drawn["layer"] == sent["layer"] and drawn["title"] == sent["title"]
    assert drawn["datasets"] == data
    model = gapcore.drivers(gapcore.demo(), bootstrap=0)
    assert [c["title"]["text"] for c in model.chart("ko").to_dict()["hconcat"]] == [
        c.to_dict()["title"]["text"] for c in _driver_charts(model, "ko")]
    assert gapcore.analyze(gapcore.demo()).waterfall().to_dict()["datasets"]
    perception_only = gapcore.load(pd.DataFrame({"P1": [4, 5, 3, 4, 2, 5], "P2": [3, 4, 4, 5, 1, 4]}))
    with pytest.raises(gapcore.GapcoreError, match="needs expectation answers"):
        gapcore.analyze(perception_only).waterfall()


def _driver_charts(model, lang):
    from gapcore.present.slides import driver_charts

    return driver_charts(model.study, model, lang)


def test_the_examples_in_the_docstrings_and_the_readme_run():
    import gapcore.api

    failed, tried = doctest.testmod(gapcore.api, extraglobs={"gapcore": gapcore, "pd": pd})[:2]
    assert tried >= 3 and failed == 0
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## From Python\n.*?```python\n(.*?)```", readme, re.S).group(1)
    done = subprocess.run([sys.executable, "-c", example], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "tangibles" in done.stdout


def test_importing_gapcore_imports_none_of_the_heavy_libraries():
    """``import gapcore`` costs what importing pandas costs, or less (bench/import_cost.py has the ratio):
    statsmodels, scipy, Altair and vl-convert wait until a function needs them."""
    probe = ("import sys, gapcore; heavy = [m for m in ('statsmodels', 'scipy', 'altair', 'vl_convert', 'pptx', "
             "'openpyxl', 'streamlit') if m in sys.modules]; print(heavy)")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
