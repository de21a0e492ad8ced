"""Real-world files load with the right mapping; every bad file gets its message and location."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

import numpy as np
import pandas as pd
import pytest

from gapcore.cli import main
from gapcore.errors import GapcoreError
from gapcore.io.load import SourceFile, load_paths, load_study
from gapcore.io.mapping import ColumnMapping, ColumnSpec
from gapcore.io.readers import read_file
from gapcore.io.readers.raw import Limits
from gapcore.io.scale import Scale
from gapcore.messages import LANGUAGES, render, where
from tests.conftest import DATA, FIXTURES

GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"


def demo_rows(n: int) -> pd.DataFrame:
    return pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig").head(n)


def test_cp949_korean_question_text_headers_in_shuffled_order():
    result = load_paths([GOOD / "korean_questions_cp949.csv"])
    study = result.study
    assert study is not None and not result.report.has_errors
    assert study.sources[0].encoding == "cp949"
    assert study.items("E") == [f"E{k}" for k in range(1, 23)]
    assert study.items("P") == [f"P{k}" for k in range(1, 23)]
    demo = demo_rows(120)
    for k in (1, 9, 22):
        np.testing.assert_array_equal(study.customers[f"E{k}"], demo[f"E{k}"].astype("float32"))
        np.testing.assert_array_equal(study.customers[f"P{k}"], demo[f"P{k}"].astype("float32"))
    assert study.segments == ("지점",)
    assert set(study.customers["지점"].astype(str)) <= {"서울", "부산", "인천", "대구", "광주"}
    assert study.customers["retention"].tolist() == (demo["retention"] == "yes").astype(float).tolist()
    assert study.question_texts["E2"] == "2-1. 시설이 보기 좋다 (기대 설문)"
    mapping = study.mapping.to_frame().set_index("column")
    assert mapping.loc["전반적 만족도", "role"] == "satisfaction"
    assert mapping.loc["응답자 번호", "role"] == "id"


def test_gb18030_chinese_headers_tab_delimited():
    result = load_paths([GOOD / "chinese_gb18030.tsv"])
    study = result.study
    assert study is not None and not result.report.has_errors
    assert (study.sources[0].encoding, study.sources[0].delimiter) == ("gb18030", "\t")
    assert len(study.items("E")) == 22 and len(study.items("P")) == 22
    assert study.segments == ("分店",)
    assert "首尔" in set(study.customers["分店"].astype(str))
    assert study.outcomes == ("satisfaction", "retention")
    np.testing.assert_array_equal(study.customers["P5"], demo_rows(120)["P5"].astype("float32"))


def test_xlsx_with_title_rows_finds_header_on_row_3():
    result = load_paths([GOOD / "title_rows.xlsx"])
    study = result.study
    assert study is not None and study.n == 30
    assert study.sources[0].header_row == 3 and study.sources[0].sheet == "고객"
    [info] = result.report.find("header_below_title")
    assert (info.sheet, info.row) == ("고객", 3)


def test_sav_value_labels_and_dont_know_code():
    study = load_paths([GOOD / "labels.sav"]).study
    assert study is not None and study.n == 40
    assert study.customers["branch"].astype(str).iloc[0] in {"Seoul", "Busan", "Incheon", "Daegu", "Gwangju"}
    assert pd.isna(study.customers.loc[3, "E5"])  # 9 = "Don't know" is missing, not out of range
    assert study.question_texts["E1"] == "Expectation item 1"
    assert study.retention_kind == "binary"
    assert study.scale == Scale(1, 7)


def test_two_row_header_with_text_labels_on_5_point_scale():
    result = load_paths([GOOD / "two_row_header_labels.csv"])
    study = result.study
    assert study is not None and study.scale == Scale(1, 5)
    assert result.report.find("two_row_header")[0].row == 2
    assert study.question_texts["E1"].startswith("Expectation: Modern")
    expected = np.clip(demo_rows(12)["E1"].fillna(4).astype(int) - 2, 1, 5).astype("float32")
    np.testing.assert_array_equal(study.customers["E1"], expected)
    assert pd.isna(study.customers.loc[2, "P3"])  # "Don't know"
    assert not result.report.find("non_numeric_answer")


def test_parquet():
    study = load_paths([GOOD / "customers.parquet"]).study
    assert study is not None and study.n == 25 and len(study.items("P")) == 22


# file, limits, expected key, severity, sheet, row, column, study loads?
BAD_CASES = [
    ("empty.csv", None, "empty_file", "error", None, None, None, False),
    ("whitespace_only.csv", None, "empty_file", "error", None, None, None, False),
    ("header_only.csv", None, "no_rows", "error", None, None, None, False),
    ("binary_garbage.csv", None, "not_text", "error", None, None, None, False),
    ("caret_delimited.csv", None, "single_column", "error", None, 1, None, False),
    ("mixed_encodings.csv", None, "decode_error", "error", None, 40, None, False),
    ("duplicate_columns.csv", None, "duplicate_column", "warning", None, None, "E1", True),
    ("all_missing_item.csv", None, "item_all_missing", "warning", None, None, "P3", True),
    ("out_of_range.csv", None, "out_of_range_answer", "warning", None, 5, "E2", True),
    ("non_numeric.csv", None, "non_numeric_answer", "warning", None, 3, "P4", True),
    ("unknown_label.csv", None, "non_numeric_answer", "warning", None, 7, "E7", True),
    ("single_respondent.csv", None, "too_few_respondents", "warning", None, None, None, True),
    ("ragged.csv", None, "ragged_rows", "error", None, 7, None, False),
    ("no_items.csv", None, "no_item_columns", "error", None, None, None, False),
    ("bad_retention.csv", None, "non_binary_retention", "warning", None, 4, "retention", True),
    ("bad_weight.csv", None, "invalid_weight", "warning", None, 3, "weight", True),
    ("points_not_100.csv", None, "points_not_100", "warning", None, 2, "W_TAN, W_REL, W_RES, W_ASS, W_EMP", True),
    ("duplicate_id.csv", None, "duplicate_id", "warning", None, 4, "id", True),
    ("ambiguous_item.csv", None, "ambiguous_item_column", "warning", None, None, None, True),
    ("recommend_out_of_range.csv", None, "out_of_range_recommend", "warning", None, 6, "recommend", True),
    ("unpaired_item.csv", None, "item_unpaired", "warning", None, None, None, True),
    ("management.csv", None, "no_customer_table", "error", None, None, None, False),
    ("corrupt.sav", None, "sav_unreadable", "error", None, None, None, False),
    ("corrupt.parquet", None, "parquet_unreadable", "error", None, None, None, False),
    ("legacy.xls", None, "spreadsheet_unreadable", "error", None, None, None, False),
    ("password.xlsx", None, "xlsx_encrypted", "error", None, None, None, False),
    ("truncated.xlsx", None, "xlsx_corrupt", "error", None, None, None, False),
    ("zip_not_workbook.xlsx", None, "xlsx_corrupt", "error", None, None, None, False),
    ("bomb.xlsx", None, "xlsx_too_large_uncompressed", "error", None, None, None, False),
    ("many_entries.xlsx", Limits(max_xlsx_entries=50), "xlsx_too_many_entries", "error", None, None, None, False),
    ("formulas.xlsx", None, "formulas_present", "warning", "customers", None, None, True),
    ("cell_too_long.xlsx", Limits(max_cell_chars=100), "cell_too_long", "error", "customers", 4, "branch", False),
    ("items_duplicate_code.xlsx", None, "items_duplicate_code", "warning", "items", 4, "code", True),
    ("too_many_columns.csv", Limits(max_columns=50), "too_many_columns", "error", None, None, None, False),
    ("oversized.csv", Limits(max_file_bytes=1000), "file_too_large", "error", None, None, None, False),
    # hostile input, refused before any parser does real work, with the default limits
    ("billion_laughs.xlsx", None, "xlsx_xml_entities", "error", None, None, None, False),
    ("wide_16384.xlsx", None, "too_many_columns", "error", None, None, None, False),
    ("wide_100k.csv", None, "too_many_columns", "error", None, None, None, False),
    ("huge_cell.csv", None, "cell_too_long", "error", None, 5, "branch", False),
    ("deeply_nested.xlsx", None, "xlsx_too_large_uncompressed", "error", None, None, None, False),
    ("nul_bytes.csv", None, "not_text", "error", None, None, None, False),
    ("html_export.xls", None, "xls_legacy", "error", None, None, None, False),
    # every format: empty, no rows, no items, not what the name says, answers out of range
    ("zero_rows.xlsx", None, "no_rows", "error", "customers", None, None, False),
    ("zero_rows.parquet", None, "no_rows", "error", None, None, None, False),
    ("no_items.parquet", None, "no_item_columns", "error", None, None, None, False),
    ("not_parquet.parquet", None, "parquet_unreadable", "error", None, None, None, False),
    ("out_of_range.parquet", None, "out_of_range_answer", "warning", None, 4, "P5", True),
    ("empty.sav", None, "empty_file", "error", None, None, None, False),
    ("text_as.sav", None, "sav_unreadable", "error", None, None, None, False),
    ("out_of_range.sav", None, "out_of_range_answer", "warning", None, 6, "E9", True),
    ("no_items.sav", None, "no_item_columns", "error", None, None, None, False),
    ("broken_sheet_xml.xlsx", None, "xlsx_corrupt", "error", None, None, None, False),  # found by fuzzing
    ("invalid_utf8.parquet", None, "parquet_unreadable", "error", None, None, None, False),  # found by fuzzing
]


def test_bad_corpus_has_at_least_50_files_all_covered():
    files = {p.name for p in BAD.iterdir()}
    assert len(files) >= 50
    assert {PurePath(f).suffix for f in files} >= {".csv", ".xlsx", ".sav", ".parquet"}
    assert files == {case[0] for case in BAD_CASES}


@pytest.mark.parametrize(("name", "limits", "key", "severity", "sheet", "row", "column", "loads"), BAD_CASES,
                         ids=[c[0] for c in BAD_CASES])
def test_bad_file_gets_its_message(name, limits, key, severity, sheet, row, column, loads):
    options = {"limits": limits} if limits else {}
    result = load_paths([BAD / name], **options)
    found = result.report.find(key)
    assert found, result.report.message_keys()
    problem = found[0]
    assert (problem.severity, problem.sheet, problem.row, problem.column) == (severity, sheet, row, column)
    assert problem.file in (name, None)
    assert (result.study is not None) == loads
    for lang in LANGUAGES:
        what, _ = render(problem, lang)
        assert "?" not in what.replace("?)", "") and what
        if problem.row:
            assert str(problem.row) in where(problem, lang)


def test_bad_file_does_not_stop_the_other_files():
    files = [SourceFile(p.name, p.read_bytes()) for p in (BAD / "truncated.xlsx", DATA / "demo_customers.csv")]
    result = load_study(files)
    assert result.study is not None and result.study.n == 1500
    assert result.report.find("xlsx_corrupt")[0].file == "truncated.xlsx"


def test_unknown_encoding_override_is_reported():
    result = load_paths([DATA / "demo_customers.csv"], encoding="klingon")
    assert result.report.find("unknown_encoding")[0].values["encoding"] == "klingon"


def test_cell_problems_are_grouped_per_column_and_kind():
    frame = demo_rows(60)[["id", *[f"E{k}" for k in range(1, 23)], *[f"P{k}" for k in range(1, 23)]]]
    frame = frame.astype({"E3": object, "P4": object})
    frame["E3"] = "n.v."
    frame.loc[5, "P4"] = "?"
    result = load_study([SourceFile("x.csv", frame.to_csv(index=False).encode())])
    [grouped, single] = result.report.find("non_numeric_answer")
    assert (grouped.column, grouped.row) == ("E3", None)
    assert grouped.values == {"value": "n.v.", "cells": 60, "rows": "2, 3, 4, 5, 6 …", "examples": "'n.v.'"}
    assert (single.column, single.row, single.values) == ("P4", 7, {"value": "?"})
    assert render(grouped, "en")[0] == ("'n.v.' is not a number or a known answer label. (60 cells in this "
                                        "column, rows 2, 3, 4, 5, 6 …; values such as 'n.v.')")
    assert "60개 셀" in render(grouped, "ko")[0] and "60 个单元格" in render(grouped, "zh")[0]


def test_a_study_without_one_valid_answer_is_refused_with_one_message(tmp_path, capsys):
    """Every answer 99, −5 or text: one error that counts the cells, not a warning per cell."""
    values = ["abc", "-5", "99x", "-5", "abc"] * 4
    columns = {f"{level}{k}": values for level in "EP" for k in range(1, 23)}
    frame = pd.DataFrame(columns).assign(branch="A", satisfaction=5)
    result = load_study([SourceFile("allbad.csv", frame.to_csv(index=False).encode())])
    assert result.study is None
    assert result.report.message_keys() == ["no_valid_answers"]
    [problem] = result.report.problems
    assert problem.values["not_numbers"] == 44 * 12 and problem.values["out_of_range"] == 44 * 8
    assert problem.values["examples"] == "'abc', '-5'"
    assert result.mapping is not None  # the columns stay on screen to be fixed
    path = tmp_path / "allbad.csv"
    path.write_bytes(frame.to_csv(index=False).encode())
    assert main(["analyze", str(path), "--lang", "ko"]) == 2
    err = capsys.readouterr().err
    assert "유효한 응답이 하나도 없습니다" in err and "Traceback" not in err


def test_mapping_round_trip_json_and_yaml_and_override(demo_study):
    for fmt in ("json", "yaml"):
        again = ColumnMapping.loads(demo_study.mapping.dumps(fmt))
        assert again.specs == demo_study.mapping.specs
    # An analyst says that 'channel' is not a segment and that E1 is really item 2's expectation.
    frame = demo_rows(30)[["id", "channel", "E1", "P1", "P2"]]
    mapping = ColumnMapping.loads(
        '{"columns": [{"table": "customers", "column": "channel", "role": "ignore"},'
        ' {"table": "customers", "column": "E1", "role": "E", "item": 2}]}')
    study = load_study([SourceFile("c.csv", frame.to_csv(index=False).encode())], mapping=mapping).study
    assert study.segments == ()
    np.testing.assert_array_equal(study.customers["E2"], frame["E1"].astype("float32"))


@pytest.mark.parametrize("text", ["{not yaml: [", '{"columns": 3}', '{"columns": [{"table": "customers"}]}',
                                  '{"columns": [{"table": "customers", "column": "a", "role": "E"}]}'])
def test_bad_mapping_file_is_a_gapcore_error(text):
    from gapcore.errors import GapcoreError

    with pytest.raises(GapcoreError) as info:
        ColumnMapping.loads(text, file="m.json")
    assert info.value.key == "mapping_invalid"


def test_reverse_coded_items_are_flipped():
    items = pd.DataFrame({"code": [1, 2], "dimension": ["speed", "speed"], "reverse": [0, 1]})
    frame = pd.DataFrame({"E1": [1, 7, 4], "P1": [2, 6, 4], "E2": [1, 7, 4], "P2": [2, 6, 5]})
    import io

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="customers", index=False)
        items.to_excel(writer, sheet_name="items", index=False)
    study = load_study([SourceFile("s.xlsx", buffer.getvalue())], scale=Scale(1, 7)).study
    assert study.customers["E1"].tolist() == [1, 7, 4]
    assert study.customers["E2"].tolist() == [7, 1, 4]
    assert study.customers["P2"].tolist() == [6, 2, 3]


def test_a_reverse_column_of_ones_and_blanks_reads_as_yes_and_no():
    """A hand-made items sheet marks reversed items with 1 and leaves the rest blank: the column is read as numbers
    (1.0 and NaN), which used to be refused as "'1.0' is not a yes/no value"."""
    from gapcore.instrument import instrument_from_table

    items = pd.DataFrame({"code": [1, 2, 3], "dimension": ["speed"] * 3, "reverse": [np.nan, 1.0, np.nan]})
    assert [item.reverse for item in instrument_from_table(items, file="items.csv").items] == [False, True, False]
    items["reverse"] = [0.0, 1.0, 2.0]
    with pytest.raises(GapcoreError) as raised:
        instrument_from_table(items, file="items.csv")
    assert raised.value.problem.values["value"] == "2.0"


def test_quoted_line_breaks_inside_a_comment_cell():
    frame = demo_rows(6)[["id", "E1", "P1", "E2", "P2"]].copy()
    frame["comment"] = ["fine", "line one\nline two", "", "a, b", 'say "hi"', "x"]
    result = load_study([SourceFile("c.csv", frame.to_csv(index=False).encode())])
    assert result.study is not None and result.study.n == 6
    np.testing.assert_array_equal(result.study.customers["P2"], frame["P2"].astype("float32"))


def test_a_segment_header_that_is_not_text_has_a_name():
    """Found by fuzzing: a damaged file can give a column a float (NaN) name; the study's column names
    are text all the same (a float name broke the check of the W_ points columns)."""
    assert ColumnSpec(table="customers", column=float("nan"), role="segment").name == "nan"
    assert ColumnSpec(table="customers", column=1.5, role="segment").name == "1.5"
    assert ColumnSpec(table="customers", column="weight", role="segment").name == "weight (segment)"
    assert ColumnSpec(table="customers", column="E3", role="ignore").name == "E3 (ignore)"


def test_whole_answers_are_stored_in_one_byte_and_fractions_stay_float():
    """Items of 1–7 (with a missing answer) become nullable Int8: same values, NaN where missing, a
    quarter of float32's memory per column; a column with a half point keeps float32."""
    frame = pd.DataFrame({"E1": [1, 7, None, 4], "P1": [2.5, 3, 4, None], "branch": ["a", "b", "a", "b"]})
    study = load_study([SourceFile("c.csv", frame.to_csv(index=False).encode())]).study
    assert study is not None
    assert study.customers["E1"].dtype == "Int8"
    assert study.customers["P1"].dtype == np.float32
    np.testing.assert_array_equal(study.customers["E1"].to_numpy(dtype=float), [1, 7, np.nan, 4])
    np.testing.assert_array_equal(study.customers["P1"].to_numpy(dtype=float), [2.5, 3, 4, np.nan])
    assert study.customers["E1"].memory_usage(index=False) == 4 * 2  # a byte of value, a byte of mask


def test_too_many_files_or_bytes_are_refused_before_reading():
    one = demo_rows(20).to_csv(index=False).encode()
    files = [SourceFile(f"wave{k}.csv", one) for k in range(11)]
    result = load_study(files)
    assert result.study is None and result.report.message_keys() == ["too_many_files"]
    assert result.report.problems[0].values["count"] == 11
    small = Limits(max_total_bytes=len(one) * 2 - 1)
    result = load_study(files[:2], limits=small)
    assert result.report.message_keys() == ["too_many_files"]
    assert "2개 파일" in render(result.report.problems[0], "ko")[0]


def test_every_second_customer_table_is_named_with_the_one_used():
    one = demo_rows(30).to_csv(index=False).encode()
    result = load_study([SourceFile("a.csv", one), SourceFile("b.csv", one), SourceFile("c.csv", one)])
    assert result.study is not None and result.study.n == 30
    twice = result.report.find("table_twice")
    assert [p.file for p in twice] == ["b.csv", "c.csv"]
    assert render(twice[0], "en")[0] == "This is a second customers table and is not used: a.csv is."


def test_utf8_rows_inside_a_cp949_file_are_found_read_right_and_named():
    """A UTF-8 row pasted into a CP949 export used to decode into mojibake without a word."""
    header = "지점," + ",".join(f"P{k}" for k in range(1, 23)) + "\n"
    answers = ",".join(str(k % 7 + 1) for k in range(22))
    rows = [f"{'서울' if i % 2 else '부산'},{answers}\n" for i in range(12)]
    data = (header + "".join(rows[:4])).encode("cp949") + rows[4].encode("utf-8") \
        + "".join(rows[5:8]).encode("cp949") + rows[8].encode("utf-8") + "".join(rows[9:]).encode("cp949")
    result = load_study([SourceFile("mixed.csv", data)])
    assert result.study is not None
    [problem] = result.report.find("mixed_encoding_rows")
    assert problem.values["rows"] == "6, 10" and problem.values["encoding"] == "cp949"
    assert sorted(result.study.customers["지점"].astype(str).unique()) == ["부산", "서울"]
    assert "UTF-8로 읽어" in render(problem, "ko")[0]


def test_duplicate_numeric_ids_are_found_as_numbers():
    """Numeric ids are compared as numbers (the fast path); 7 twice is reported at its second row, and
    the ids are kept as text."""
    frame = pd.read_csv(FIXTURES / "bad" / "duplicate_id.csv")
    frame["id"] = [7, 8, 7, *range(10, 10 + len(frame) - 3)]
    result = load_study([SourceFile("numeric_ids.csv", frame.to_csv(index=False).encode())])
    problem = next(p for p in result.report if p.key == "duplicate_id")
    assert (problem.row, problem.column) == (4, "id")
    assert result.study.customers["id"].iloc[:3].tolist() == ["7", "8", "7"]


@pytest.mark.parametrize("chunk", [1, 2, 3, 4, 5, 7, 8 * 1024**2])
def test_the_first_invalid_utf8_byte_is_found_across_chunk_boundaries(chunk):
    """The offset is the first byte that breaks UTF-8, wherever the chunks cut a character; an
    all-ASCII file is valid without decoding."""
    from gapcore.io.readers.encoding import _first_invalid_utf8

    text = "id,지점\n1,강남\n".encode()  # three-byte characters cut by every small chunk size
    assert _first_invalid_utf8(text, chunk=chunk) is None
    assert _first_invalid_utf8(b"id,P1\n1,5\n" * 1000, chunk=chunk) is None
    broken = text + b"2," + "강북".encode("cp949") + b"\n"
    assert _first_invalid_utf8(broken, chunk=chunk) == len(text) + 2
    assert broken[len(text) + 2:].decode("utf-8", errors="replace").startswith("\ufffd")


def _xls(rows: list[list[object]], sheet: str = "data") -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    page = book.add_sheet(sheet)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            page.write(i, j, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_legacy_xls_and_open_document_cells_read_as_a_workbook_s_do():
    """Whole numbers stay whole, empty cells are None, texts in any script stay as written; an .ods is
    recognised by its content whatever its name."""
    data = _xls([["지점", "P1", "P2"], ["서울", 5, 4.5], ["부산", 3, ""]], sheet="설문")
    [table] = read_file("survey.xls", data)
    assert table.sheet == "설문" and table.frame.to_dict("list") == {"지점": ["서울", "부산"], "P1": [5, 3],
                                                                     "P2": [4.5, None]}
    frame = pd.DataFrame({"分行": ["北京", "上海"], "P1": [6, 7], "P2": [2.5, None]})
    out = io.BytesIO()
    frame.to_excel(out, engine="odf", index=False, sheet_name="问卷")
    for name in ("survey.ods", "survey.download"):
        [table] = read_file(name, out.getvalue())
        assert table.sheet == "问卷" and table.frame.to_dict("list") == {"分行": ["北京", "上海"], "P1": [6, 7],
                                                                       "P2": [2.5, None]}


def test_legacy_and_open_document_spreadsheets_keep_every_limit():
    wide = _xls([["a", "b", "c", "d"], [1, 2, 3, 4]])
    with pytest.raises(GapcoreError) as caught:
        read_file("wide.xls", wide, limits=Limits(max_columns=3))
    assert caught.value.problem.key == "too_many_columns" and caught.value.problem.values["count"] == 4
    entities = io.BytesIO()
    with zipfile.ZipFile(entities, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(GapcoreError) as caught:
        read_file("laughs.ods", entities.getvalue())
    assert caught.value.problem.key == "xlsx_xml_entities"
    with pytest.raises(GapcoreError) as caught:
        read_file("broken.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 2000)
    assert caught.value.problem.key == "spreadsheet_unreadable"


def test_messages_that_say_the_same_thing_are_grouped_and_each_names_its_places():
    from gapcore.messages import grouped
    from gapcore.problems import Problem

    problems = [Problem("warning", "unknown_table", file="a.xlsx", sheet="Notes"),
                Problem("error", "no_customer_table"),
                Problem("warning", "unknown_table", file="a.xlsx", sheet="Legend"),
                Problem("warning", "unknown_table", file="a.xlsx", sheet="Notes")]
    entries = grouped(problems, "ko")
    assert [(severity, places) for severity, places, _ in entries] == [
        ("warning", "파일 a.xlsx, 시트 Notes · 파일 a.xlsx, 시트 Legend"), ("error", "")]
    assert entries[0][2] == " ".join(render(problems[0], "ko")).strip()


def test_a_magnitude_no_outcome_or_point_can_have_is_refused_at_load():
    """A satisfaction of 1e200 and an importance point of 1e300 (what the fuzz run once reached the
    moments with): reported with their rows and dropped, so nothing overflows downstream."""
    import warnings

    from gapcore.analysis import analyze, prepare

    frame = pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig").head(50)
    frame["satisfaction"] = frame["satisfaction"].astype(float)
    frame.loc[3, "satisfaction"] = 1e200
    frame["W_TAN"] = frame["W_TAN"].astype(float)
    frame.loc[7, "W_TAN"] = 1e300
    result = load_study([SourceFile("huge.csv", frame.to_csv(index=False).encode())])
    found = {(p.column, p.row, p.values["value"]) for p in result.report.find("value_too_large")}
    assert found == {("satisfaction", 5, "1e+200"), ("W_TAN", 9, "1e+300")}
    assert np.isnan(result.study.customers["satisfaction"].iloc[3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        analysis = analyze(prepare(result.study))
        assert np.isfinite(analysis.outcomes.set_index("outcome").loc["satisfaction", "mean"])


def test_a_part_padded_past_any_sheet_s_compression_is_refused_before_it_is_unpacked():
    """Issue 29: 40 MB of spaces in one part (about 1,000:1) beside 5 MB of random bytes stored, so the
    archive as a whole looks like 9:1: refused on the part's own ratio, naming it, before any parser."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["E1", "P1"])
    book.active.append([5, 4])
    plain = io.BytesIO()
    book.save(plain)
    padded = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, zipfile.ZipFile(padded, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
        target.writestr("xl/padding.xml", b" " * 40_000_000, compress_type=zipfile.ZIP_DEFLATED)
        target.writestr("xl/media/noise.bin", np.random.default_rng(1).bytes(5_000_000),
                        compress_type=zipfile.ZIP_STORED)
    with pytest.raises(GapcoreError) as caught:
        read_file("padded.xlsx", padded.getvalue())
    assert caught.value.problem.key == "xlsx_part_ratio" and caught.value.problem.values["part"] == "xl/padding.xml"
    assert caught.value.problem.values["ratio"] > 200
    [table] = read_file("plain.xlsx", plain.getvalue())  # the same workbook unpadded reads as ever
    assert table.frame.to_dict("list") == {"E1": [5], "P1": [4]}


def _small_workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["E1", "P1"])
    book.active.append([5, 4])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _repacked(extra: list[tuple[str, bytes, int]], replaced: dict[str, bytes] | None = None,
              renamed: dict[str, str] | None = None) -> bytes:
    """The small workbook with parts replaced, renamed and added, as an attacker's tool would write it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_small_workbook())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            name = (renamed or {}).get(info.filename, info.filename)
            target.writestr(name, (replaced or {}).get(info.filename, source.read(info)), zipfile.ZIP_DEFLATED)
        for name, data, how in extra:
            target.writestr(name, data, compress_type=how)
    return out.getvalue()


def _workbook_part(name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(_small_workbook())) as source:
        return source.read(name)


def _shared_strings(count: int, noise: int) -> bytes:
    """``count`` strings of 590 letters and ``noise`` random bytes (as hex) each: it packs at 60-100:1, under
    any ratio check, and the reader would hold it whole."""
    rng = np.random.default_rng(2)
    body = b"".join(b"<si><t>" + b"a" * 590 + rng.bytes(noise).hex().encode() + b"</t></si>" for _ in range(count))
    return (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            b'2006/main">' + body + b"</sst>")


def _with_shared_strings(strings: bytes) -> bytes:
    rels = _workbook_part("xl/_rels/workbook.xml.rels").replace(b"</Relationships>", (
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        b'Target="sharedStrings.xml" Id="rId9"/></Relationships>'))
    types = _workbook_part("[Content_Types].xml").replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>'))
    return _repacked([("xl/sharedStrings.xml", strings, zipfile.ZIP_DEFLATED)],
                     {"xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types})


def _peak_of_reading(data: bytes) -> tuple[str, int]:
    """What reading ``data`` came to ("read" or the problem's key) and the peak of memory it took, measured
    in this process by tracemalloc."""
    import tracemalloc

    tracemalloc.start()
    try:
        read_file("study.xlsx", data)
        outcome = "read"
    except GapcoreError as exc:
        outcome = exc.problem.key
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return outcome, peak


FIXED_BUDGET = 64 * 1024**2


def test_archive_variations_are_refused_or_read_within_three_times_the_file_plus_a_fixed_budget():
    """Issue 29's bomb and its variations, each measured: the padded part and shared strings that unpack to
    120 MB from a 2 MB file are refused before a parser runs; 400 parts of 1 MB of spaces (each too small to
    judge, the archive's ratio kept low by stored noise) and 27 MB of shared strings from a 0.5 MB file (within
    the held-part allowance) are read; a sheet stored under a picture's name with a DOCTYPE is refused. The
    peak of each stays under 3x the file's size plus 64 MB."""
    rng = np.random.default_rng(1)
    padded = _repacked([("xl/padding.xml", b" " * 40_000_000, zipfile.ZIP_DEFLATED),
                        ("xl/media/noise.bin", rng.bytes(5_000_000), zipfile.ZIP_STORED)])
    many = _repacked([(f"xl/pad/p{k}.xml", b" " * 1_000_000, zipfile.ZIP_DEFLATED) for k in range(400)]
                     + [("xl/media/noise.bin", rng.bytes(3_000_000), zipfile.ZIP_STORED)])
    held_too_large = _with_shared_strings(_shared_strings(200_000, 6))
    held_within = _with_shared_strings(_shared_strings(45_000, 6))
    doctype = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>'
    sheet = _workbook_part("xl/worksheets/sheet1.xml").replace(b'<?xml version="1.0" encoding="UTF-8"?>', doctype)
    disguised = _repacked([], {"xl/worksheets/sheet1.xml": doctype + sheet.split(b"?>", 1)[-1],
                               "xl/_rels/workbook.xml.rels": _workbook_part("xl/_rels/workbook.xml.rels").replace(
                                   b"sheet1.xml", b"sheet1.png")},
                          {"xl/worksheets/sheet1.xml": "xl/worksheets/sheet1.png"})
    cases = {"padded": (padded, "xlsx_part_ratio"), "many small parts": (many, "read"),
             "shared strings past the allowance": (held_too_large, "xlsx_part_too_large"),
             "shared strings within it": (held_within, "read"), "sheet named .png": (disguised, "xlsx_xml_entities")}
    for name, (data, expected) in cases.items():
        outcome, peak = _peak_of_reading(data)
        assert outcome == expected, name
        assert peak < 3 * len(data) + FIXED_BUDGET, (name, peak, len(data))


def test_a_picture_that_happens_to_hold_doctype_bytes_is_not_taken_for_xml():
    """A PNG (by its first bytes) whose metadata says "<!DOCTYPE" is no XML any parser reads: the workbook
    loads. The same bytes in a part that begins as XML are refused."""
    picture = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64 + b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN">' + b"\x00" * 64
    [table] = read_file("logo.xlsx", _repacked([("xl/media/image1.png", picture, zipfile.ZIP_DEFLATED)]))
    assert table.frame.to_dict("list") == {"E1": [5], "P1": [4]}
    as_xml = b'<?xml version="1.0"?><!DOCTYPE x><x/>'
    with pytest.raises(GapcoreError) as caught:
        read_file("logo.xlsx", _repacked([("xl/media/image1.png", as_xml, zipfile.ZIP_DEFLATED)]))
    assert caught.value.problem.key == "xlsx_xml_entities"


def _as_kind(kind: str) -> tuple[str, bytes]:
    """One small survey in each file kind the uploader offers, as its tool writes it."""
    from tests import real_exports as rx

    frame = pd.DataFrame({"branch": ["a", "b", "a", "b", "a", "b"], "P1": [4, 5, 3, 4, 2, 5], "P2": [3, 4, 4, 5, 1, 4]})
    if kind in ("csv", "txt"):
        return f"survey.{kind}", frame.to_csv(index=False).encode()
    if kind == "tsv":
        return "survey.tsv", frame.to_csv(index=False, sep="\t").encode()
    if kind in ("xlsx", "xlsm"):
        buffer = io.BytesIO()
        frame.to_excel(buffer, index=False, sheet_name="customers", engine="openpyxl")
        return f"survey.{kind}", buffer.getvalue()
    if kind == "parquet":
        return "survey.parquet", frame.to_parquet(index=False)
    if kind in ("sav", "zsav"):
        import tempfile
        from pathlib import Path

        import pyreadstat

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"survey.{kind}"
            pyreadstat.write_sav(frame, str(path), compress=kind == "zsav")
            return path.name, path.read_bytes()
    return {"xls": rx.legacy_xls_korean, "ods": rx.open_document_survey}[kind]()


def test_every_file_kind_the_uploader_offers_is_read():
    """``FILE_TYPES`` is what the Data page's uploader accepts; each kind is read into a table whose rows are
    the file's respondents (the page offers nothing the reader would refuse as "not a survey file")."""
    from gapcore.io.readers import FILE_TYPES

    expected_rows = {"xls": 120, "ods": 90}
    for kind in FILE_TYPES:
        name, data = _as_kind(kind)
        tables = read_file(name, data)
        assert max(len(t.frame) for t in tables) == expected_rows.get(kind, 6), kind
    page = (DATA.parent / "pages" / "1_Data.py").read_text(encoding="utf-8")  # offered from the one list
    options = (DATA.parent / "ui" / "reading.py").read_text(encoding="utf-8")
    assert "type=list(FILE_TYPES)" in page and "OFFERED_ENCODINGS" in options and "OFFERED_DELIMITERS" in options
    assert not any(f'"{word}"' in page + options for word in ("parquet", "zsav", "cp949", "gb18030", "\\t"))
