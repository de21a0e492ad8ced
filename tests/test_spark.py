"""Spark (local mode): the same statements, transpiled by sqlglot, give the in-memory figures to 1e-9.

Marked ``spark``: it needs pyspark and a Java runtime (``make test`` installs both; elsewhere it is skipped with
the reason). One Spark session serves the module: starting one costs about ten seconds."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from gapcore.cli import main
from tests.test_connected import DATA, _document, _without_places, assert_same_document, write_waves

pytestmark = pytest.mark.spark
pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (requirements-dev.txt)")
if shutil.which("java") is None:
    pytest.skip("no Java runtime (make test installs openjdk-17-jre-headless)", allow_module_level=True)


@pytest.fixture(scope="module")
def waves(tmp_path_factory):
    """The demo's rows in a hive folder by wave, and the same rows in one file for the upload."""
    folder = tmp_path_factory.mktemp("spark") / "waves"
    upload = write_waves(pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig"), folder)
    yield folder, upload
    from gapcore.io.sources import spark_session
    spark_session().stop()


def test_spark_gives_the_upload_s_figures(waves, capsys):
    folder, upload = waves
    mapping = str(DATA / "demo_segments.yaml")
    for extra in ([], ["--filter", "branch=Busan", "--weight", "off"]):
        expected = _document([str(upload), "--mapping", mapping, *extra], capsys)
        got = _document(["--source", f"spark:{folder}", "--mapping", mapping, *extra], capsys)
        assert got["n"] == expected["n"] > 0
        assert_same_document(_without_places(got), _without_places(expected))


def test_a_missing_spark_table_is_one_message(capsys):
    assert main(["analyze", "--source", "spark:warehouse.no_such_table", "--lang", "ko"]) == 2
    err = capsys.readouterr().err
    assert "엔진이 데이터 원본을 읽지 못했습니다" in err and "Traceback" not in err


def test_spark_fits_the_upload_s_driver_models(waves, capsys):
    """``drivers --source spark:…``: OLS with its HC3 pass and the logit's Newton steps, in Spark's dialect."""
    folder, upload = waves
    for outcome in ("satisfaction", "retention"):
        options = ["--outcome", outcome, "--json", "--bootstrap", "0", "--control", "channel",
                   "--filter", "wave=2026-H1"]
        documents = []
        for argv in (["--source", f"spark:{folder}"], [str(upload)]):
            assert main(["drivers", *argv, *options]) == 0, capsys.readouterr().err
            documents.append(json.loads(capsys.readouterr().out))
        assert documents[0]["n"] == documents[1]["n"] > 0
        assert_same_document(*documents)
