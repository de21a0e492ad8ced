"""examples/quickstart.ipynb runs on a fresh kernel, cell by cell, and each chart it shows is the app's."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import gapcore
from tests.conftest import ROOT


def shown_spec(html: str) -> dict | None:
    """The Vega-Lite spec an Altair chart's HTML output embeds (``…})({spec}, {"mode": "vega-lite"});``)."""
    start = html.rfind("})({")
    if start < 0 or "vegaEmbed" not in html:
        return None
    return json.JSONDecoder().raw_decode(html, start + 3)[0]


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> nbformat.NotebookNode:
    book = nbformat.read(ROOT / "examples" / "quickstart.ipynb", as_version=4)
    assert all(not cell.get("outputs") for cell in book.cells if cell.cell_type == "code")  # none committed
    folder = tmp_path_factory.mktemp("notebook")
    client = NotebookClient(book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    client.execute(env={**os.environ, "PYTHONPATH": str(ROOT)})  # gapcore as this tree has it (not installed)
    book.metadata["ran_in"] = str(folder)
    return book


def test_every_cell_runs_without_an_error(executed):
    for cell in executed.cells:
        assert not [o for o in cell.get("outputs", ()) if o.output_type == "error"], cell.source
    deck = Path(executed.metadata["ran_in"]) / "servicegap_demo_ko.pptx"
    assert deck.stat().st_size > 50_000 and deck.read_bytes()[:2] == b"PK"


def test_each_chart_the_notebook_shows_is_the_app_s(executed):
    html = [output["data"].get("text/html", "") for cell in executed.cells for output in cell.get("outputs", ())
            if output.output_type == "execute_result"]
    shown = [spec for spec in map(shown_spec, html) if spec is not None]
    study = gapcore.demo()
    busan = gapcore.analyze(study, filters={"branch": ["Busan"]})
    expected = [busan.radar(), busan.waterfall(), gapcore.drivers(study, "satisfaction", bootstrap=0).chart()]
    assert len(shown) == len(expected) == 3
    for spec, chart in zip(shown, expected, strict=True):
        assert spec == chart.to_dict()


def test_the_notebook_shows_its_results_as_tables(executed):
    html = [output["data"]["text/html"] for cell in executed.cells for output in cell.get("outputs", ())
            if "text/html" in output.get("data", {})]
    assert any(h.startswith("<p>Study(n=1,500, SERVQUAL") for h in html)
    assert any(h.startswith("<p>DriverModel(satisfaction ~ servqual") for h in html)
    assert any(h.startswith("<p>SegmentComparison(branch: 5 values") for h in html)
