"""Exports shaped as survey tools write them (tests/real_exports.py): each is read with the exact
mapping, n and scale, and what detection cannot know is proposed, never guessed."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest

from gapcore.analysis import analyze, prepare
from gapcore.cli import main
from gapcore.driver_model import fit_drivers
from gapcore.io.load import SourceFile, load_study
from gapcore.io.mapping import ColumnMapping
from gapcore.io.readers import read_file
from gapcore.io.scale import Scale
from tests import real_exports as rx


def _load(builder, **options):
    return load_study([SourceFile(*builder())], **options)


def _roles(result) -> dict[str, tuple[str, int | None]]:
    return {s.column: (s.role, s.item) for s in result.mapping.specs}


def test_hospital_codes_without_markers_are_proposed_then_confirmed():
    result = _load(rx.hospital)
    assert result.study is None and result.report.message_keys() == ["items_proposed"]
    roles = _roles(result)
    assert [roles[f"Q{k}"] for k in range(1, 14)] == [("P", k) for k in range(1, 14)]
    assert roles["hospital"] == ("segment", None) and roles["satisfaction"] == ("satisfaction", None)
    assert list(result.columns.query("column == 'Q3'")[["kind", "low", "high"]].iloc[0]) == ["whole", 0, 10]

    confirmed = _load(rx.hospital, accept_proposal=True)
    study = confirmed.study
    assert study is not None and study.n == 200 and study.scale == Scale(0, 10)
    assert study.items("P") == [f"P{k}" for k in range(1, 14)] and not study.has_level("E")
    frame = pd.read_csv(pd.io.common.BytesIO(rx.hospital()[1]))
    np.testing.assert_array_equal(study.customers["P7"].to_numpy(dtype=float), frame["Q7"].to_numpy(dtype=float))
    assert study.mapping.na == ()  # 0 is an answer on a 0-10 scale that reaches 10


def test_qualtrics_legacy_text_row_is_not_a_respondent_and_p_block_is_not_taken_on_its_code():
    raw = read_file(*rx.qualtrics_legacy())[0]
    assert (raw.header_row, raw.header_rows, raw.export_shape, len(raw.frame)) == (1, 2, "qualtrics", 690)
    assert raw.question_texts["p01"] == "PII-Important:Unimportant"
    assert raw.file_row(0) == 3
    result = _load(rx.qualtrics_legacy)
    assert result.study is None
    keys = result.report.message_keys()
    assert "items_unconfirmed" in keys and "items_proposed" in keys
    roles = _roles(result)
    service = [f"t{k:02d}" for k in range(1, 6)] + [f"f{k:02d}" for k in range(1, 14)]
    assert [roles[c] for c in service] == [("P", k) for k in range(1, 19)]
    assert all(roles[f"p{k:02d}"][0] != "P" for k in range(1, 11))
    assert roles["V1"] == ("id", None)  # its question text says ResponseID
    profile = result.columns.set_index("column")
    assert profile.loc["p03", "text"] == "PII-Relevant:Irrelevant"
    study = _load(rx.qualtrics_legacy, accept_proposal=True).study
    assert study.n == 690 and study.scale == Scale(1, 7) and len(study.items("P")) == 18
    assert study.instrument.item(1).text_en == "SERVAQUA-Tap water is available whenever I need it (1)"


def test_qualtrics_import_id_row_and_texts_name_the_levels():
    raw = read_file(*rx.qualtrics_import_ids())[0]
    assert (raw.header_rows, len(raw.frame)) == (3, 150)
    study = _load(rx.qualtrics_import_ids).study
    assert study is not None and study.n == 150
    roles = {s.column: (s.role, s.item) for s in study.mapping.specs}
    assert [roles[f"Q2_{k}"] for k in range(1, 6)] == [("E", k) for k in range(1, 6)]
    assert [roles[f"Q3_{k}"] for k in range(1, 6)] == [("P", k) for k in range(1, 6)]
    assert roles["ResponseId"] == ("id", None)
    # the file's own wording, never the SERVQUAL bank's
    assert study.instrument.item(2).text_en == "The water is safe to drink"


def test_surveymonkey_matrix_questions_and_option_row():
    raw = read_file(*rx.surveymonkey())[0]
    assert (raw.header_rows, raw.export_shape, len(raw.frame)) == (2, "surveymonkey", 120)
    assert raw.frame.columns[9] == ("How would an excellent bank perform on each of these? (Expectations) - "
                                    "Tap water is available whenever I need it")
    study = _load(rx.surveymonkey).study
    assert study is not None and study.n == 120 and study.scale == Scale(1, 5)
    assert study.items("E") == [f"E{k}" for k in range(1, 6)] and study.items("P") == [f"P{k}" for k in range(1, 6)]
    assert study.outcomes == ("satisfaction",)
    assert study.instrument.item(4).text_en == "Staff answer the phone quickly"
    assert "Which branch do you use?" in study.segments


def test_google_forms_whole_questions_are_proposed_with_outcomes_found():
    result = _load(rx.google_forms)
    assert result.study is None and "items_proposed" in result.report.message_keys()
    roles = _roles(result)
    assert [roles[q.strip()] for q in rx.GOOGLE_ITEMS] == [("P", k) for k in range(1, 6)]
    assert roles["Overall, how satisfied are you with our service?"][0] == "satisfaction"
    assert roles["How likely are you to recommend us to a friend?"][0] == "recommend"
    assert roles["Timestamp"][0] == "ignore"
    assert roles["Was this your first visit?"][0] == "segment"
    study = _load(rx.google_forms, accept_proposal=True).study
    assert study.n == 80 and study.scale == Scale(1, 5) and study.outcomes == ("satisfaction", "recommend")


def test_patient_survey_header_is_not_a_data_row_and_text_answers_map_by_hand():
    raw = read_file(*rx.patient_labels())[0]
    assert raw.header_row == 1 and len(raw.frame) == 60
    result = _load(rx.patient_labels)
    questions = ["How satisfied are you with the nursing care?", "How satisfied are you with the doctor's explanation?",
                 "How would you rate the cleanliness of the ward?", "How would you rate the food?"]
    assert result.study is None and "items_proposed" in result.report.message_keys()
    assert len(result.columns) == 7  # every column is there to map
    assert [s.column for s in result.mapping.specs if s.role == "P"] == questions
    # confirmed as proposed: the built-in satisfaction and quality ladders read the words
    proposed = _load(rx.patient_labels, accept_proposal=True).study
    source = pd.read_csv(pd.io.common.BytesIO(rx.patient_labels()[1]))
    ladders = {"Very satisfied": 5, "Satisfied": 4, "somewhat satisfied": 3, "Dissatisfied": 2,
               "Great": 5, "Good": 4, "Okay": 3, "Poor": 2}
    for k, question in enumerate(questions, start=1):
        np.testing.assert_array_equal(proposed.customers[f"P{k}"].to_numpy(dtype=float),
                                      source[question].map(ladders).to_numpy(dtype=float))
    assert proposed.scale == Scale(1, 5)
    # or the analyst's own table, on their own 1-4 scale
    specs = [s if s.column not in questions else s.__class__("customers", s.column, "P", questions.index(s.column) + 1,
                                                             "care")
             for s in result.mapping.specs]
    labels = (("Very satisfied", 4), ("Satisfied", 3), ("somewhat satisfied", 2), ("Dissatisfied", 1),
              ("Great", 4), ("Good", 3), ("Okay", 2), ("Poor", 1))
    study = load_study([SourceFile(*rx.patient_labels())],
                       mapping=ColumnMapping(tuple(specs), labels=labels, scale=(1, 4))).study
    assert study is not None and study.n == 60 and study.scale == Scale(1, 4)
    expected = source[questions[2]].map({"Great": 4, "Good": 3, "Okay": 2, "Poor": 1}).to_numpy(dtype=float)
    np.testing.assert_array_equal(study.customers["P3"].to_numpy(dtype=float), expected)
    assert study.instrument.dimensions == ("care",)


def test_airline_zero_is_not_applicable_and_the_scale_follows_the_answers():
    study = _load(rx.airline, accept_proposal=True).study
    assert study is not None and study.n == 300
    assert study.scale == Scale(1, 5) and study.mapping.na == (0.0,)
    source = pd.read_csv(pd.io.common.BytesIO(rx.airline()[1]))
    expected = source["Seat comfort"].replace(0, np.nan).to_numpy(dtype=float)
    np.testing.assert_array_equal(study.customers["P7"].to_numpy(dtype=float), expected)
    assert np.nanmean(expected) == pytest.approx(float(study.customers["P7"].astype(float).mean()))
    # a two-word outcome is read as 1 / 0
    assert study.customers["satisfaction"].tolist() == (source["satisfaction"] == "satisfied").astype(float).tolist()
    # zeros kept when the user says so: then the scale must hold them
    kept = _load(rx.airline, accept_proposal=True, na=()).study
    assert kept.scale == Scale(0, 10) and np.nanmin(kept.customers["P1"].to_numpy(dtype=float)) == 0


def test_korean_kiosk_with_its_own_items_sheet():
    result = load_study([SourceFile(*rx.korean_kiosk()), SourceFile(*rx.kiosk_items())])
    study = result.study
    assert study is not None and not result.report.has_errors
    assert study.sources[0].encoding == "cp949" and study.n == 211
    assert len(study.items("E")) == 24 and len(study.items("P")) == 24
    assert study.instrument.dimensions == ("가시성", "효율성", "신뢰성", "지원성", "편의성", "정확성")
    assert study.outcomes == ("satisfaction",)
    roles = {s.column: s.role for s in study.mapping.specs}
    assert roles["25. 키오스크 이용에 전반적으로 만족하십니까?"] == "satisfaction"
    assert roles["1. 성별"] == "segment"


def test_korean_kiosk_item_texts_are_the_files_questions():
    study = _load(rx.korean_kiosk).study
    assert study.instrument.item(15).text_ko == "메뉴 사진이 정확하다"  # not the bank's "거래할 때 안심할 수 있다"


def test_six_factor_instrument_from_the_mapping_dimensions():
    first = _load(rx.korean_kiosk)
    specs = []
    for spec in first.study.mapping.specs:
        if spec.role in ("E", "P") or spec.column.startswith(("23-", "24-")):
            number = int(spec.column.split("-")[0])
            level = "E" if spec.column.split("-")[1].startswith("1") else "P"
            spec = spec.__class__("customers", spec.column, level, number, rx.KIOSK_FACTORS[number - 1])
        specs.append(spec)
    mapping = ColumnMapping(tuple(specs))
    study = _load(rx.korean_kiosk, mapping=mapping).study
    assert study.instrument.dimensions == ("가시성", "효율성", "신뢰성", "지원성", "편의성", "정확성")
    assert len(study.items("P")) == 24 and study.instrument.item(24).dimension == "신뢰성"


def test_mapping_file_round_trip_gives_the_same_study():
    first = _load(rx.airline, accept_proposal=True, header_row=1, encoding="utf-8")
    text = first.mapping.dumps("yaml")
    again = ColumnMapping.loads(text)
    assert again == first.mapping
    assert (again.scale, again.na, again.header_row, again.encoding) == ((1, 5), (0.0,), 1, "utf-8")
    second = _load(rx.airline, mapping=again).study
    assert second is not None
    pd.testing.assert_frame_equal(second.customers, first.study.customers)
    assert second.instrument == first.study.instrument and second.scale == first.study.scale
    assert ColumnMapping.loads(first.mapping.dumps("json")) == first.mapping


def test_perception_only_drivers_use_perceptions_without_being_told():
    study = _load(rx.hospital, accept_proposal=True).study
    model = fit_drivers(study, "satisfaction", bootstrap=10)
    assert model.predictors == "servperf" and model.n == 200


def test_command_line_options_and_json(tmp_path, capsys):
    name, data = rx.airline()
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["analyze", str(path)]) == 2
    assert "--accept-proposal" in capsys.readouterr().err
    mapping_file = tmp_path / "mapping.yaml"
    assert main(["analyze", str(path), "--accept-proposal", "--write-mapping", str(mapping_file), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["n"] == 300 and isinstance(doc["n"], int)
    assert (doc["scale"], doc["na"], doc["header_row"], doc["encoding"]) == ([1, 5], [0.0], 1, "utf-8")
    assert {"table": "customers", "column": "Seat comfort", "role": "P", "item": 7, "dimension": "service"} \
        in doc["mapping"]
    assert doc["design"] == "servperf" and not {"E", "gap5", "p_value"} & set(doc["dimensions"]["service"])
    assert main(["analyze", str(path), "--mapping", str(mapping_file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["dimensions"] == doc["dimensions"]
    assert main(["analyze", str(path), "--accept-proposal", "--na", "none", "--scale", "0-10", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["scale"] == [0, 10]
    assert main(["drivers", str(path), "--accept-proposal", "--outcome", "satisfaction", "--bootstrap", "5",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["model"] == "servperf"


def test_an_item_that_runs_against_its_dimension_is_flagged_until_marked_reversed():
    rng = np.random.default_rng(21)
    base = rng.integers(2, 7, 120)
    frame = pd.DataFrame({f"Q{k}": np.clip(base + rng.integers(-1, 2, 120), 1, 7) for k in range(1, 5)})
    frame["Q4"] = 8 - frame["Q4"]  # worded the other way round ("Staff are never too busy" → "often too busy")
    files = [SourceFile("reverse.csv", frame.to_csv(index=False).encode())]
    result = load_study(files, accept_proposal=True)
    [flag] = result.report.find("item_negative_correlation")
    assert flag.values == {"dimension": "service", "items": "Q4"}
    from gapcore.io.mapping_edit import from_grid, grid

    rows = grid(result.mapping, result.columns)
    rows.loc[rows["column"] == "Q4", "reverse"] = True
    mapping = from_grid(rows, result.mapping)
    assert mapping.instrument.item(4).reverse and mapping.instrument.item(1).text_en == "Q1"
    again = load_study(files, mapping=mapping)
    assert again.report.find("item_negative_correlation") == []
    np.testing.assert_array_equal(again.study.customers["P4"].to_numpy(dtype=float), 8 - frame["Q4"].to_numpy())
    assert ColumnMapping.loads(again.study.mapping.dumps()).instrument.item(4).reverse


def test_spss_variable_labels_are_the_questions_and_99_is_not_applicable(tmp_path):
    result = _load(rx.spss_unmarked)
    assert result.study is None and "items_proposed" in result.report.message_keys()
    profile = result.columns.set_index("column")
    assert profile.loc["Q3", "text"] == "How well was your pain managed?"
    study = _load(rx.spss_unmarked, accept_proposal=True).study
    assert study is not None and study.n == 150
    assert study.scale == Scale(1, 5) and study.mapping.na == (99.0,)
    assert study.instrument.item(6).text_en == "How good was the food?"
    assert set(study.customers["ward"].astype(str)) == {"Surgery", "Maternity", "Cardiology"}
    import pyreadstat

    name, data = rx.spss_unmarked()
    path = tmp_path / name
    path.write_bytes(data)
    source, _ = pyreadstat.read_sav(str(path))
    expected = source["Q2"].replace(99, np.nan).to_numpy(dtype=float)
    np.testing.assert_array_equal(study.customers["P2"].to_numpy(dtype=float), expected)


def test_chinese_agreement_labels_are_read_as_numbers():
    result = _load(rx.chinese_labels)
    study = result.study
    assert study is not None and not result.report.has_errors
    assert study.sources[0].encoding == "gb18030" and study.n == 90 and study.scale == Scale(1, 5)
    assert study.items("E") == [f"E{k}" for k in range(1, 6)]
    source = pd.read_csv(pd.io.common.BytesIO(rx.chinese_labels()[1]), encoding="gb18030")
    expected = source["感知3"].map({label: k for k, label in enumerate(rx.CHINESE_AGREE, start=1)})
    np.testing.assert_array_equal(study.customers["P3"].to_numpy(dtype=float), expected.to_numpy(dtype=float))
    assert study.outcomes == ("satisfaction",) and study.segments == ("门店",)


def test_a_study_that_asked_some_dimensions_has_its_chain_from_those_and_every_page_draws():
    """A Qualtrics export asking items 1-5 of the 22 (tangibles and part of reliability): the chain is the
    mean of the two measured dimensions (the three not asked left it without a step and crashed the Gap model
    page, the report, and the Dimensions tables), and every analysis page draws with a filter set and cleared."""
    from streamlit.testing.v1 import AppTest

    from gapcore.analysis import analyze, prepare

    name, data = rx.qualtrics_import_ids()
    study = load_study([SourceFile(name, data)]).study
    analysis = analyze(prepare(study), {})
    dims = analysis.dimensions.set_index("dimension")
    measured = dims.dropna(subset=["E", "P"])
    assert list(measured.index) == ["tangibles", "reliability"]
    chain = analysis.chain
    assert chain.levels["E"] == pytest.approx(measured["E"].mean())
    assert chain.levels["P"] == pytest.approx(measured["P"].mean())
    assert [s.name for s in chain.steps] == ["gap1+2+3+4"] and set(analysis.chain_by_dimension) == set(measured.index)
    at = AppTest.from_file("../app.py", default_timeout=300)
    at.switch_page("pages/1_Data.py").run()
    at.file_uploader(key="w_upload").set_value([(name, data, "text/csv")]).run()
    for page in ("pages/3_Dimensions.py", "pages/4_Gap_model.py", "pages/6_Segments.py", "pages/7_Report.py"):
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        for values in (["Busan"], []):
            at.multiselect(key="w_f_Q5").set_value(values).run()
            assert not at.exception, (page, values, at.exception)


def test_a_study_reads_the_items_it_asked_and_its_mapping_keeps_the_instrument():
    """Items 1-5 of the 22 asked: the tables hold those five items and the two dimensions they belong to
    (17 empty item rows and three empty dimension rows before), each figure as computed from the rows; the
    warning names what is left out, in each language; the saved mapping keeps the whole instrument, so a
    wave that asks all 22 items reads them all."""
    from gapcore.analysis import analyze, prepare
    from gapcore.messages import render

    name, data = rx.qualtrics_import_ids()
    result = load_study([SourceFile(name, data)])
    study = result.study
    assert study.instrument.numbers == (1, 2, 3, 4, 5)
    assert study.instrument.dimensions == ("tangibles", "reliability")
    assert study.instrument.item(2).text_en == "The water is safe to drink"
    analysis = analyze(prepare(study), {})
    assert list(analysis.items["item"]) == [1, 2, 3, 4, 5]
    dims = analysis.dimensions.set_index("dimension")
    assert list(dims.index) == ["tangibles", "reliability"]
    raw = read_file(name, data)[0].frame
    e = raw[[f"Q2_{k}" for k in range(1, 6)]].astype(float).to_numpy()
    p = raw[[f"Q3_{k}" for k in range(1, 6)]].astype(float).to_numpy()
    assert dims.loc["tangibles", "gap"] == pytest.approx((p[:, :4].mean(axis=1) - e[:, :4].mean(axis=1)).mean())
    assert dims.loc["reliability", "P"] == pytest.approx(p[:, 4].mean())
    assert analysis.items.set_index("item").loc[3, "E"] == pytest.approx(e[:, 2].mean())

    [absent] = [p for p in result.report.problems if p.key == "item_absent"]
    assert absent.values == {"items": "6–22", "count": 5}
    assert "6–22" in render(absent, "en")[0] and "5 items" in render(absent, "en")[0]
    assert "5개 문항" in render(absent, "ko")[0] and "5 道题" in render(absent, "zh")[0]

    assert study.mapping.instrument is None  # the default instrument, all 22 items
    wave = [[f"E{k}" for k in range(1, 23)] + [f"P{k}" for k in range(1, 23)]]
    rng = np.random.default_rng(3)
    wave += rng.integers(1, 8, (40, 44)).tolist()
    full = load_study([SourceFile("wave2.csv", rx._csv(wave))], mapping=study.mapping).study
    assert full.instrument.numbers == tuple(range(1, 23)) and len(full.instrument.dimensions) == 5


def test_an_instrument_narrowed_to_the_items_asked():
    from gapcore.instrument import SERVQUAL_22

    assert SERVQUAL_22.asked(range(1, 30)) is SERVQUAL_22
    narrowed = SERVQUAL_22.asked([22, 1, 10, 11])
    assert narrowed.numbers == (1, 10, 11, 22)
    assert narrowed.dimensions == ("tangibles", "responsiveness", "empathy")
    assert narrowed.items_of("responsiveness") == (10, 11) and narrowed.item(22) == SERVQUAL_22.item(22)


def test_the_command_line_reads_a_customers_only_export_with_its_asked_items(tmp_path, capsys):
    """The command line on the Qualtrics export: the two dimensions it measured, the chain merged from E to P,
    and "none" where no provider table was uploaded (it printed nothing after the colon)."""
    name, data = rx.qualtrics_import_ids()
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    rows = [line.split()[0] for line in out.split("dimension", 1)[1].splitlines()[1:3]]
    assert rows == ["Tangibles", "Reliability"] and "Responsiveness" not in out
    assert "  Provider tables: none" in out.splitlines()


def _file_means(frame: pd.DataFrame, columns: list[str], na: float | None = None) -> np.ndarray:
    values = frame[columns].apply(pd.to_numeric, errors="coerce")
    return (values.mask(values == na) if na is not None else values).mean().to_numpy()


def test_a_legacy_korean_xls_with_a_title_row_and_dont_know_codes_reads_by_its_data_sheet():
    """.xls (BIFF8) with a title row, "문N …" questions, 9 = 모름, a notes sheet: the data sheet is taken for
    its respondent-like rows, the questions proposed then confirmed, 9 read as not applicable."""
    name, data = rx.legacy_xls_korean()
    proposed = load_study([SourceFile(name, data)])
    assert proposed.study is None and "items_proposed" in proposed.report.message_keys()
    chosen = next(p for p in proposed.report.problems if p.key == "customers_by_rows")
    assert (chosen.sheet, chosen.values["rows"]) == ("조사결과", 120)
    assert [p.sheet for p in proposed.report.problems if p.key == "unknown_table"] == ["비고"]
    result = load_study([SourceFile(name, data)], accept_proposal=True)
    study = result.study
    questions = [f"문{k} {text}" for k, text in enumerate(rx.AGENCY_TEXTS, start=1)]
    assert {c: _roles(result)[c] for c in questions} == {q: ("P", k) for k, q in enumerate(questions, start=1)}
    assert (study.n, study.scale, study.mapping.na, study.outcomes) == (120, Scale(1, 5), (9.0,), ("satisfaction",))
    assert set(study.segments) == {"지점", "연령대"} and study.sources[0].header_row == 3
    # the file's own figures, read back by an independent reader (xlrd; the app reads it with calamine)
    import xlrd

    book = xlrd.open_workbook(file_contents=data).sheet_by_name("조사결과")
    sheet = pd.DataFrame([book.row_values(r) for r in range(3, book.nrows)], columns=book.row_values(2))
    expected = _file_means(sheet, questions, na=9)
    analysis = analyze(prepare(study))
    np.testing.assert_allclose(analysis.items.set_index("item").loc[range(1, 9), "P"], expected, rtol=1e-12)


def test_an_open_document_spreadsheet_reads_like_a_workbook():
    name, data = rx.open_document_survey()
    result = load_study([SourceFile(name, data)])
    study = result.study
    assert (study.n, study.scale, study.segments, study.outcomes) == (90, Scale(1, 7), ("channel",), ("satisfaction",))
    assert study.sources[0].sheet == "responses"
    sheet = pd.read_excel(io.BytesIO(data), sheet_name="responses", engine="odf")
    expected = _file_means(sheet, [f"P{k}" for k in range(1, 7)])
    np.testing.assert_allclose(analyze(prepare(study)).items.set_index("item").loc[range(1, 7), "P"], expected,
                               rtol=1e-12)


def test_codes_within_servqual_s_22_are_read_as_servqual_said_and_one_mapping_away_from_the_study_s_own():
    from gapcore.io.questionnaire import own_instrument_mapping

    name, data = rx.open_document_survey()
    result = load_study([SourceFile(name, data)])
    assumed = next(p for p in result.report.problems if p.key == "servqual_assumed")
    assert assumed.severity == "warning" and assumed.values == {"items": "1–6", "dimensions": 2}
    assert result.study.instrument.dimensions == ("tangibles", "reliability")
    own = load_study([SourceFile(name, data)], mapping=own_instrument_mapping(result.study))
    assert "servqual_assumed" not in own.report.message_keys()
    assert own.study.instrument.dimensions == ("service",) and own.study.instrument.numbers == (1, 2, 3, 4, 5, 6)
    before = analyze(prepare(result.study)).items.set_index("item")["P"]
    after = analyze(prepare(own.study)).items.set_index("item")["P"]
    pd.testing.assert_series_equal(before, after)  # the same answers, in the study's own dimension


def test_items_numbered_past_22_are_the_study_s_own_instrument_never_dropped():
    rng = np.random.default_rng(33)
    frame = pd.DataFrame(rng.integers(1, 6, size=(60, 30)), columns=[f"P{k}" for k in range(1, 31)])
    frame.insert(0, "library", rng.choice(["central", "north"], 60))
    result = load_study([SourceFile("library.csv", frame.to_csv(index=False).encode())])
    said = next(p for p in result.report.problems if p.key == "own_instrument_numbers")
    assert said.values == {"count": 30, "last": 30}
    assert "item_not_in_instrument" not in result.report.message_keys()
    assert "servqual_assumed" not in result.report.message_keys()
    study = result.study
    assert study.instrument.numbers == tuple(range(1, 31)) and study.instrument.dimensions == ("service",)
    items = analyze(prepare(study)).items.set_index("item")["P"]
    np.testing.assert_allclose(items.loc[range(1, 31)], frame[[f"P{k}" for k in range(1, 31)]].mean(), rtol=1e-12)


def test_answers_in_portuguese_words_with_non_breaking_spaces_read_as_their_rungs():
    result = _load(rx.portuguese_words, accept_proposal=True)
    study = result.study
    assert (study.n, study.scale, study.outcomes, study.segments) == (150, Scale(1, 5), ("satisfaction",),
                                                                      ("Unidade",))
    assert {c: _roles(result)[c] for c in rx.PT_TEXTS} == {text: ("P", k) for k, text in enumerate(rx.PT_TEXTS, 1)}
    expected = np.nanmean(rx.portuguese_values(), axis=0)
    items = analyze(prepare(study)).items.set_index("item")["P"]
    np.testing.assert_allclose(items.loc[range(1, 13)], expected, rtol=1e-12)
    assert not [k for k in result.report.message_keys() if k.startswith("non_numeric")]  # every word read


AGREEMENT = {  # each language's five rungs, strongly disagree to strongly agree, as its survey tools write them
    "pt": ("Discordo totalmente", "Discordo", "Nem concordo nem discordo", "Concordo", "Concordo totalmente"),
    "es": ("Totalmente en desacuerdo", "En desacuerdo", "Ni de acuerdo ni en desacuerdo", "De acuerdo",
           "Totalmente de acuerdo"),
    "fr": ("Pas du tout d'accord", "Pas d'accord", "Ni d'accord ni pas d'accord", "D'accord", "Tout à fait d'accord"),
    "de": ("Stimme überhaupt nicht zu", "Stimme eher nicht zu", "Weder noch", "Stimme eher zu",
           "Stimme voll und ganz zu"),
    "vi": ("Hoàn toàn không đồng ý", "Không đồng ý", "Trung lập", "Đồng ý", "Hoàn toàn đồng ý"),
    "ja": ("まったくそう思わない", "あまりそう思わない", "どちらともいえない", "ややそう思う", "とてもそう思う"),
    "id": ("Sangat tidak setuju", "Tidak setuju", "Netral", "Setuju", "Sangat setuju"),
}


@pytest.mark.parametrize("lang", sorted(AGREEMENT))
def test_each_languages_agreement_ladder_is_built_in(lang):
    from gapcore.io.scale import label_lookup, labels_for, normalize_label

    words = AGREEMENT[lang]
    lookup = label_lookup(labels_for(words))
    written = [w.upper() if k % 2 else f"{w.replace(' ', chr(0xA0))}." for k, w in enumerate(words)]
    assert [lookup.get(normalize_label(w)) for w in written] == [1.0, 2.0, 3.0, 4.0, 5.0]


def test_spss_value_labelled_bands_are_segments_and_a_labelled_yes_no_is_retention():
    """Age and income bands and gender carry value labels unlike the rating battery's: segments, never items
    (the battery is numbered from 1); "Sí"/"No" coded 1/2 is a kept/lost retention."""
    name, data = rx.spss_spanish()
    result = load_study([SourceFile(name, data)], accept_proposal=True)
    assert _roles(result) == {"edad": ("segment", None), "ingreso": ("segment", None), "sexo": ("segment", None),
                              **{f"Q{k}": ("P", k) for k in range(1, 7)}, "retencion": ("retention", None)}
    study = result.study
    assert study.retention_kind == "binary" and study.scale == Scale(1, 5)
    assert set(study.customers["edad"].dropna().unique()) == {"18-24", "25-34", "35-44", "45-54", "55 o más"}
    kept = analyze(prepare(study)).outcomes.set_index("outcome").loc["retention"]
    raw = read_file(name, data)[0].frame
    assert kept["kind"] == "rate" and kept["mean"] == pytest.approx((raw["retencion"] == 1).mean())


def test_block_codes_a_letter_and_a_number_are_questions_in_blocks_not_levels():
    """A1…A4, B1…B5, C1…C3, D1…D3 in a CP949 file: no "adequate" A block, no "communications" table; the
    questions are proposed with a dimension per letter, and the figures are the file's."""
    _, data = rx.korean_block_codes()
    proposed = _load(rx.korean_block_codes)
    assert proposed.study is None and "items_proposed" in proposed.report.message_keys()
    result = _load(rx.korean_block_codes, accept_proposal=True)
    study = result.study
    codes = [f"{letter}{k}" for letter, count in (("A", 4), ("B", 5), ("C", 3), ("D", 3)) for k in range(1, count + 1)]
    assert {c: _roles(result)[c] for c in codes} == {c: ("P", k) for k, c in enumerate(codes, start=1)}
    assert study.instrument.dimensions == ("A", "B", "C", "D")
    assert [len(study.instrument.items_of(d)) for d in "ABCD"] == [4, 5, 3, 3]
    assert (study.n, study.scale, study.outcomes, study.sources[0].encoding) == (140, Scale(1, 5), ("satisfaction",),
                                                                                "cp949")
    frame = pd.read_csv(io.BytesIO(data), encoding="cp949")
    dims = analyze(prepare(study)).dimensions.set_index("dimension")["P"]
    assert dims["B"] == pytest.approx(frame[[f"B{k}" for k in range(1, 6)]].mean(axis=1).mean())


def test_a_forms_grid_names_its_blocks_and_its_rows_are_the_items_wording():
    result = _load(rx.forms_grid, accept_proposal=True)
    study = result.study
    assert study.instrument.dimensions == ("How would you rate our staff?", "How would you rate our branch?",
                                           "How would you rate our app?")
    assert [study.instrument.item(k).text("en") for k in (1, 4, 9)] == ["Friendliness", "Cleanliness",
                                                                         "Reliability"]
    assert (study.n, study.outcomes) == (70, ("satisfaction",))


def test_a_hand_made_workbook_is_read_from_its_data_sheet_worded_by_its_questionnaire():
    """Questionnaire first, data second, an ID dragged past the last respondent, a notes sheet: the data
    sheet is read (said), the questionnaire is no instrument but words the items (said, never fatal), the
    25 rows without an answer are left out (said), and the two negatively worded items are flagged."""
    name, data = rx.several_sheets()
    result = load_study([SourceFile(name, data)], accept_proposal=True)
    study = result.study
    report = result.report
    assert [(p.severity, p.sheet) for p in report.find("customers_by_rows")] == [("warning", "Data")]
    assert [(p.severity, p.sheet, p.column) for p in report.find("items_missing_column")] == [
        ("warning", "Questions", "dimension")]
    assert not report.errors
    leftovers = report.find("rows_without_answers")[0]
    assert leftovers.values["count"] == 25 and leftovers.values["rows"].startswith("112, 113")
    assert study.n == 110
    assert [study.instrument.item(k).text("en") for k in range(1, 11)] == list(rx.LIBRARY_QUESTIONS)
    from gapcore.io.mapping_edit import from_grid, grid, set_rows

    proposed = load_study([SourceFile(name, data)])  # waiting for the analyst: the grid shows the questions
    rows = grid(proposed.mapping, proposed.columns)
    assert rows.set_index("column")["text"].loc[[f"Q{k}" for k in range(1, 11)]].tolist() == list(rx.LIBRARY_QUESTIONS)
    marked = from_grid(set_rows(rows, ["Q4", "Q8"], "P", start=None, reverse=True), proposed.mapping)
    assert [(i.number, i.text_en) for i in marked.instrument.items if i.reverse] == [
        (k, rx.LIBRARY_QUESTIONS[k - 1]) for k in rx.NEGATIVE_LIBRARY]
    flagged = report.find("item_negative_correlation")
    assert flagged and all(f"Q{k}" in flagged[0].values["items"] for k in rx.NEGATIVE_LIBRARY)
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True)["Data"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] is not None]
    expected = np.array([r[2:] for r in rows], dtype=float).mean(axis=0)
    np.testing.assert_allclose(analyze(prepare(study)).items.set_index("item").loc[range(1, 11), "P"], expected,
                               rtol=1e-12)


def test_answer_words_of_no_known_language_are_ordered_from_the_respondents_and_asked():
    from gapcore.io.scale import ladder_labels

    name, data = rx.finnish_words()
    result = load_study([SourceFile(name, data)], accept_proposal=True)
    assert result.study is None and result.ladder == rx.FINNISH_LADDER  # guessed, never computed on
    asked = result.report.find("answer_ladder_guessed")[0]
    assert asked.severity == "error" and asked.values["count"] == 6
    labels = ladder_labels(result.ladder, result.ladder)
    confirmed = load_study([SourceFile(name, data)], labels=labels, accept_proposal=True)
    _, rungs = rx.finnish_frame()
    items = analyze(prepare(confirmed.study)).items.set_index("item")["P"]
    np.testing.assert_allclose(items.loc[range(1, 7)], rungs.mean(axis=0), rtol=1e-12)
    turned = ladder_labels(result.ladder[::-1], result.ladder)  # the analyst turns it round: 6 − rung
    again = load_study([SourceFile(name, data)], labels=turned, accept_proposal=True)
    np.testing.assert_allclose(analyze(prepare(again.study)).items.set_index("item")["P"].loc[range(1, 7)],
                               6 - rungs.mean(axis=0), rtol=1e-12)


@pytest.mark.parametrize("points", [4, 5, 7, 11])
def test_a_ladder_is_recovered_from_co_occurrence_alone(points):
    """Spectral seriation on made-up words (no language at all): the rungs in order, the top where the
    answers crowd; answers crowding at the bottom turn the guess round (said as a guess on the page)."""
    from gapcore.io.scale import guess_ladder

    rng = np.random.default_rng(points)
    words = [f"w{chr(97 + k) * 3}" for k in rng.permutation(points)]  # names that say nothing of order
    base = rng.choice(points, size=(400, 1), p=np.linspace(1, 3, points) / np.linspace(1, 3, points).sum())
    rungs = np.clip(base + rng.integers(-1, 2, size=(400, 8)), 0, points - 1)
    frame = pd.DataFrame({f"q{k}": [words[v] for v in rungs[:, k]] for k in range(8)})
    assert guess_ladder(frame) == tuple(words)
    crowding_low = pd.DataFrame({f"q{k}": [words[points - 1 - v] for v in rungs[:, k]] for k in range(8)})
    # the same ladder answered mostly at its bottom: the order is found, the top put where answers crowd —
    # the wrong end here, which is why the page asks before anything is read
    assert guess_ladder(crowding_low) == tuple(words)[::-1]


def test_the_sheet_with_the_respondents_is_proposed_and_can_be_picked(tmp_path, capsys):
    name, data = rx.two_waves()
    detected = load_study([SourceFile(name, data)], accept_proposal=True)
    assert detected.sheets == ("2024", "2025") and detected.study.n == 120  # the most answer-like rows
    assert [p.sheet for p in detected.report.find("customers_by_rows")] == ["2025"]
    picked = load_study([SourceFile(name, data)], accept_proposal=True, sheet="2024")
    assert picked.study.n == 80 and picked.study.sources[0].sheet == "2024"
    assert [p.sheet for p in picked.report.find("unknown_table")] == ["2025"]
    missing = load_study([SourceFile(name, data)], sheet="2023")
    assert missing.study is None and missing.report.find("sheet_not_found")[0].values["sheets"] == "2024, 2025"
    path = tmp_path / name
    path.write_bytes(data)
    assert main(["analyze", str(path), "--accept-proposal", "--sheet", "2024", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == 80


def test_a_library_workbook_reads_its_legend_its_27_items_and_its_not_applicable_flags():
    """27 numbered items (past SERVQUAL's 22) with their importance, NA1…NA27 flags and a Code/Category/
    Description legend: the legend is the instrument (three categories, its wording), the flags make the
    flagged answers missing and are no segments, and the figures are the file's own."""
    name, data = rx.library_workbook()
    result = load_study([SourceFile(name, data)])
    study = result.study
    assert study.instrument.dimensions == ("affect_of_service", "information_control", "library_as_place")
    assert [len(study.instrument.items_of(d)) for d in study.instrument.dimensions] == [9, 9, 9]
    assert study.instrument.item(27).text("ko") == "Library statement 27"
    from gapcore.io.mapping_edit import grid

    shown = grid(result.mapping, result.columns).set_index("column")["text"]  # the legend's words in the grid
    assert shown.loc[["P1", "I27", "NA3"]].tolist() == ["Library statement 1", "Library statement 27", ""]
    assert (study.n, study.scale, study.segments) == (90, Scale(1, 9), ("UserGroup",))
    assert len(study.items("P")) == len(study.items("I")) == 27
    import openpyxl

    rows = list(openpyxl.load_workbook(io.BytesIO(data), read_only=True)["Data"].iter_rows(min_row=2, values_only=True))
    perf = np.array([r[2:29] for r in rows], dtype=float)
    flags = np.array([r[56:83] for r in rows], dtype=float)
    expected = np.nanmean(np.where(flags == 1, np.nan, perf), axis=0)
    items = analyze(prepare(study)).items.set_index("item")["P"]
    np.testing.assert_allclose(items.loc[range(1, 28)], expected, rtol=1e-12)
    applied = result.report.find("na_flags_applied")[0].values["count"]
    assert applied == 2 * int(flags.sum())  # performance and importance of each flagged item
