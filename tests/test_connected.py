"""Studies read where they live: ``analyze --source`` over a Parquet file, a hive-partitioned folder, a CSV and
a DuckDB table gives the ``--json`` document an upload of the same rows gives, to 1e-9; what the reading drops is
counted by the engine; a bad source is one message in the user's language and exit status 2."""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from gapcore.cli import main
from gapcore.connected import open_study, prepare_connected
from gapcore.errors import GapcoreError

DATA = Path(__file__).resolve().parent.parent / "data"


def _document(argv: list[str], capsys) -> dict:
    assert main(["analyze", *argv, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def assert_same_document(got, expected, path: str = "") -> None:
    """Every key and value equal; numbers to 1e-9 (relative above 1)."""
    if isinstance(expected, dict):
        assert set(got) == set(expected), (path, set(got) ^ set(expected))
        for key in expected:
            assert_same_document(got[key], expected[key], f"{path}/{key}")
    elif isinstance(expected, list):
        assert len(got) == len(expected), path
        for i, (a, b) in enumerate(zip(got, expected, strict=True)):
            assert_same_document(a, b, f"{path}[{i}]")
    elif isinstance(expected, float) and isinstance(got, float):
        assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9), (path, got, expected)
    else:
        assert got == expected, (path, got, expected)


def _without_places(document: dict) -> dict:
    """The document without what names the file itself (its name and how it was read)."""
    return {k: v for k, v in document.items() if k not in ("validation", "encoding", "header_row")}


def write_waves(rows: pd.DataFrame, folder: Path) -> Path:
    """``rows`` as a hive folder by wave (``wave=…/part-0.parquet``, the wave column left to the folder names), and
    the same rows as one Parquet file beside it, as an upload would bring them; the file's path."""
    for wave, part in rows.groupby("wave"):
        (folder / f"wave={wave}").mkdir(parents=True)
        part.drop(columns="wave").to_parquet(folder / f"wave={wave}" / "part-0.parquet", index=False)
    upload = folder.parent / f"{folder.name}.parquet"
    pd.concat([pd.read_parquet(p).assign(wave=p.parent.name.split("=")[1])
               for p in sorted(folder.glob("*/*.parquet"))]).to_parquet(upload, index=False)
    return upload


@pytest.fixture(scope="module")
def demo_rows() -> pd.DataFrame:
    return pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig")


@pytest.fixture(scope="module")
def sources(demo_rows, tmp_path_factory) -> dict[str, Path]:
    """The demo's rows as a Parquet file, a hive folder by wave, a CSV and a DuckDB table; and messier rows:
    "not applicable" codes, answers off the scale, numbers and words as text, bad weights, empty rows."""
    folder = tmp_path_factory.mktemp("sources")
    demo_rows.to_parquet(folder / "demo.parquet", index=False)
    write_waves(demo_rows, folder / "waves")
    demo_rows.to_csv(folder / "demo.csv", index=False)
    with duckdb.connect(str(folder / "responses.duckdb")) as connection:
        connection.register("rows", demo_rows)
        connection.execute("CREATE TABLE survey AS SELECT * FROM rows")
    messy = demo_rows.copy()
    rng = np.random.default_rng(11)
    for column in ("P3", "P9", "E14", "A2"):
        messy.loc[rng.random(len(messy)) < 0.05, column] = 99  # "not applicable"
    messy.loc[[5, 8, 13], "P7"] = 8  # off the 1–7 scale
    messy["P12"] = messy["P12"].map(lambda v: "" if pd.isna(v) else f"{v:g}").astype(object)
    messy.loc[[2, 4], "P12"] = "n/a"
    messy.loc[[6], "P12"] = "seven-ish"  # a word no ladder knows
    messy.loc[[10, 11], "weight"] = [-1.0, np.nan]
    messy.loc[[20, 21], [c for c in messy.columns if c[0] in "EPA" and c[1:].isdigit()]] = np.nan
    messy.to_parquet(folder / "messy.parquet", index=False)
    messy.to_csv(folder / "messy.csv", index=False)
    return {"parquet": folder / "demo.parquet", "folder": folder / "waves", "csv": folder / "demo.csv",
            "duckdb": folder / "responses.duckdb", "messy": folder / "messy.parquet", "messy_csv": folder / "messy.csv"}


@pytest.mark.parametrize("kind", ["parquet", "folder", "csv", "duckdb"])
@pytest.mark.parametrize("weight", ["on", "off"])
def test_a_source_gives_the_upload_s_figures(sources, kind, weight, capsys):
    source = f"{sources[kind]}::survey" if kind == "duckdb" else str(sources[kind])
    # the hive folder's rows as one file (its wave column from the folder names), else the file itself
    upload = sources["folder"].parent / "waves.parquet" if kind == "folder" else sources["parquet"]
    mapping = str(DATA / "demo_segments.yaml")
    expected = _document([str(upload), "--mapping", mapping, "--weight", weight], capsys)
    got = _document(["--source", source, "--mapping", mapping, "--weight", weight], capsys)
    assert got["n"] == 1500 and got["weighted"] == (weight == "on")
    assert_same_document(_without_places(got), _without_places(expected))
    filtered = ["--filter", "wave=2026-H1", "--filter", "branch=Busan,Seoul"]
    assert_same_document(_without_places(_document(["--source", source, *filtered], capsys)),
                         _without_places(_document([str(upload), *filtered], capsys)))


@pytest.mark.parametrize("kind", ["messy", "messy_csv"])
def test_what_the_reading_drops_is_counted_over_every_row(sources, kind, capsys):
    """N/A codes, off-scale answers, text answers, bad weights and empty rows: the same figures as an upload,
    and the engine's counts of what it dropped, each with its column."""
    expected = _document([str(sources["messy"]), "--scale", "1-7", "--na", "99"], capsys)
    got = _document(["--source", str(sources[kind]), "--scale", "1-7", "--na", "99"], capsys)
    assert got["n"] == 1498  # two rows answer no item
    assert_same_document(_without_places(got), _without_places(expected))
    counts = {(row["key"], row["column"]): row["values"].get("count") for row in got["validation"]}
    assert counts[("source_out_of_range_answer", "P7")] == 3
    assert counts[("source_non_numeric_answer", "P12")] == 1
    assert counts[("source_invalid_weight", "weight")] == 2
    assert counts[("source_rows_without_answers", None)] == 2
    assert got["na"] == [99.0]


def test_counts_are_of_every_row_not_of_the_sample(sources, capsys):
    """The mapping is read from the first 100 rows; the "not applicable" answers it finds are counted over all."""
    expected = _document([str(sources["messy"])], capsys)
    result, _ = open_study(str(sources["messy"]), sample_rows=100)
    detected = [p.values for p in result.report if p.key == "na_detected"]
    assert detected == [row["values"] for row in expected["validation"] if row["key"] == "na_detected"]
    assert detected[0]["count"] > 200


def test_a_connected_study_holds_no_rows_and_knows_every_segment_value(sources):
    result, connection = open_study(str(sources["folder"]))
    assert connection is not None and result.study.customers.empty and result.study.n == 1500
    prepared = prepare_connected(connection, result.study)
    assert prepared.study.segments[-1] == "wave"
    from gapcore.filters import segment_values
    assert segment_values(prepared.study, "wave") == ("2025-H1", "2025-H2", "2026-H1")
    assert prepared.study.engine is connection  # driver models ask the engine (tests/test_engine_drivers.py)
    with pytest.raises(GapcoreError) as raised:
        from gapcore.driver_model import fit_drivers
        fit_drivers(result.study, "satisfaction")  # the study before its cells: no connection to fit in
    assert raised.value.problem.key == "drivers_connected"
    from gapcore.analysis import prepare
    with pytest.raises(GapcoreError) as raised:
        prepare(prepared.study)  # cells of no rows would be figures of nobody
    assert raised.value.problem.key == "study_rows_elsewhere"


@pytest.mark.parametrize(("source", "key"), [
    ("nowhere/waves/", "source_not_found"),
    ("{folder}::survey", "source_not_found"),
    ("{duckdb}::nosuch", "source_table_missing"),
    ("{empty}", "source_no_parquet"),
    ("{csv}.txt", "source_not_found"),
    ("{duckdb}", "source_unknown_kind"),
    ("{broken}", "source_engine_error"),
    ("{cp949}", "source_csv_encoding"),
])
@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_a_bad_source_is_one_message_and_status_2(sources, tmp_path, source, key, lang, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")
    korean = pd.DataFrame({"지점": ["서울", "부산"] * 50, "P1": [5, 6] * 50})
    korean.to_csv(tmp_path / "branches.csv", index=False, encoding="cp949")
    text = source.format(folder=sources["folder"], duckdb=sources["duckdb"], empty=tmp_path / "empty",
                         csv=sources["csv"], broken=tmp_path / "broken.parquet", cp949=tmp_path / "branches.csv")
    assert main(["analyze", "--source", text, "--lang", lang]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip() and key not in err  # the words, not the key
    with pytest.raises(GapcoreError) as raised:
        open_study(text)
    assert raised.value.problem.key == key
    from gapcore.messages import render_line
    assert render_line(raised.value.problem, lang).strip() == err.strip()


def test_files_and_a_source_together_or_neither_is_a_usage_message(sources, capsys):
    assert main(["analyze", str(sources["parquet"]), "--source", str(sources["parquet"])]) == 2
    assert "--source" in capsys.readouterr().err
    assert main(["analyze"]) == 2
    assert "--source" in capsys.readouterr().err


def test_a_long_read_tells_its_steps_and_rows(sources, monkeypatch):
    """The steps in order, with the respondents once counted; on a terminal the command line draws them (tqdm)."""
    told: list = []
    result, connection = open_study(str(sources["folder"]), progress=lambda step, rows: told.append((step, rows)))
    prepare_connected(connection, result.study, progress=lambda step, rows: told.append((step, rows)))
    assert told == [("sample", None), ("checks", None), ("totals", 1500), ("values", 1500)]

    import io
    import sys

    from gapcore.cli import source_progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with source_progress("ko") as step:
        step("checks", None)
        step("totals", 1500)
    shown = terminal.getvalue()
    assert "전체 행 점검 중" in shown and "응답자 1,500명" in shown


def test_a_report_from_a_source_has_the_upload_s_tables(sources, tmp_path, capsys):
    """``report --source``: every result table of the workbook equals the upload's, the driver sheets included
    (their bootstrap intervals aside: drawn from the rows in another order)."""
    mapping = str(DATA / "demo_segments.yaml")
    for argv, name in (([str(sources["parquet"])], "upload.xlsx"), (["--source", str(sources["folder"])], "lake.xlsx")):
        assert main(["report", *argv, "--mapping", mapping, "--format", "xlsx", "-o", str(tmp_path / name),
                     "--filter", "branch=Busan"]) == 0, capsys.readouterr().err
    upload = pd.read_excel(tmp_path / "upload.xlsx", sheet_name=None)
    lake = pd.read_excel(tmp_path / "lake.xlsx", sheet_name=None)
    assert set(upload) == set(lake) and len(lake) == 19
    for sheet, table in lake.items():
        if sheet == "Driver importance":
            table, upload[sheet] = (frame.loc[:, ~frame.columns.str.contains("CI|interval", case=False)]
                                    for frame in (table, upload[sheet]))
        if table.astype(str).apply(lambda column: column.str.contains("demo.parquet|waves")).any().any():
            assert sheet == "About"  # the one sheet that names where the study was read from
            continue
        pd.testing.assert_frame_equal(table, upload[sheet], check_exact=False, rtol=1e-9, obj=sheet)


def test_words_for_satisfaction_and_retention_read_as_an_upload_reads_them(demo_rows, tmp_path, capsys):
    """Two-word satisfaction (" satisfied" / "neutral or dissatisfied") and kept/lost retention stored as text."""
    rows = demo_rows.copy()
    rows["satisfaction"] = np.where(rows["satisfaction"] >= 5, " satisfied", "neutral or dissatisfied")
    path = tmp_path / "words.parquet"
    rows.to_parquet(path, index=False)
    expected = _document([str(path)], capsys)
    got = _document(["--source", str(path)], capsys)
    assert expected["outcomes"]["satisfaction"]["kind"] == got["outcomes"]["satisfaction"]["kind"]
    assert 0 < got["outcomes"]["satisfaction"]["mean"] < 1
    assert_same_document(_without_places(got), _without_places(expected))


@pytest.mark.parametrize("builder", ["qualtrics_import_ids", "surveymonkey"])
def test_a_survey_tool_s_csv_read_where_it_lives_maps_as_its_upload(builder, tmp_path, capsys):
    """A Qualtrics export (codes, question texts, ImportId rows) and a SurveyMonkey export (question and answer-option
    rows) as CSV sources: the loader reads their first megabyte as an upload, DuckDB starts where the data starts,
    and the document equals the upload's."""
    from tests import real_exports

    name, data = getattr(real_exports, builder)()
    path = tmp_path / name
    path.write_bytes(data)
    expected = _document([str(path)], capsys)
    got = _document(["--source", str(path)], capsys)
    assert got["n"] == expected["n"] == {"qualtrics_import_ids": 150, "surveymonkey": 120}[builder]
    assert_same_document(_without_places(got), _without_places(expected))


def test_columns_of_the_wrong_type_are_the_upload_s_message(demo_rows, tmp_path, capsys):
    """An item stored as dates and another as lists of numbers (a Parquet list column): the source and the upload
    say the same thing about them, in one message each, exit 2 — never a traceback."""
    rows = demo_rows.copy()
    rows["P3"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(rows["P3"].fillna(0), unit="D")
    rows["E5"] = [[float(v)] for v in rows["E5"].fillna(0)]
    path = tmp_path / "types.parquet"
    rows.to_parquet(path, index=False)
    said = []
    for argv in ([str(path)], ["--source", str(path)]):
        assert main(["analyze", *argv, "--lang", "zh"]) == 2
        error = capsys.readouterr().err.strip()
        assert "Traceback" not in error and error.count("\n") == 0 and "[0.0]" in error
        said.append(error.replace(str(path), path.name))
    assert said[0] == said[1]
