"""The Data page's mapping edits, as pure functions on a mapping (checked by hand on small cases)."""

from __future__ import annotations

import pandas as pd
import pytest

from gapcore.errors import GapcoreError
from gapcore.io.mapping import ColumnMapping, ColumnSpec
from gapcore.io.mapping_edit import (
    common_setting,
    dimensions_of,
    from_grid,
    grid,
    matches,
    rename_dimension,
    set_outcome,
    set_rows,
)

BASE = ColumnMapping((ColumnSpec("customers", "a", "ignore"), ColumnSpec("customers", "b", "ignore"),
                      ColumnSpec("customers", "c", "ignore"), ColumnSpec("customers", "overall", "segment"),
                      ColumnSpec("customers", "other", "satisfaction")), scale=(1, 5), na=(99.0,))
PROFILE = pd.DataFrame({"table": "customers", "column": ["a", "b", "c", "overall", "other"],
                        "text": ["Clean?", "", "", "Overall?", ""], "samples": "", "kind": "whole",
                        "low": 1.0, "high": 5.0})


def number_in_order(mapping: ColumnMapping, columns: list[str], role: str, profile: pd.DataFrame = PROFILE,
                    **setting: object) -> ColumnMapping:
    """``columns`` set as the Data page's editor sets them: on the grid, read back."""
    return from_grid(set_rows(grid(mapping, profile), columns, role, **setting), mapping)


def test_blocks_numbered_in_the_order_chosen_pair_by_order():
    expect = number_in_order(BASE, ["c", "a"], "E", start=3, dimension="speed")
    both = number_in_order(expect, ["b"], "P", start=3)
    assert [(s.column, s.role, s.item, s.dimension) for s in both.specs[:3]] == [
        ("a", "E", 4, "speed"), ("b", "P", 3, None), ("c", "E", 3, "speed")]
    assert both.scale == (1, 5) and both.na == (99.0,)  # reading settings travel with the mapping


def test_one_overall_outcome_column():
    chosen = set_outcome(BASE, "satisfaction", "overall")
    assert [(s.column, s.role) for s in chosen.specs if s.role in ("satisfaction", "ignore")] == [
        ("a", "ignore"), ("b", "ignore"), ("c", "ignore"), ("overall", "satisfaction"), ("other", "ignore")]
    assert [s.role for s in set_outcome(BASE, "satisfaction", None).specs].count("satisfaction") == 0


def test_renaming_a_dimension_onto_another_merges_them():
    mapping = number_in_order(number_in_order(BASE, ["a", "b"], "P", dimension="speed"), ["c"], "P", start=3,
                              dimension="pace")
    assert dimensions_of(mapping) == ["speed", "pace"]
    merged = rename_dimension(mapping, "pace", "speed")
    assert dimensions_of(merged) == ["speed"]
    assert dimensions_of(rename_dimension(mapping, "speed", "  ")) == ["speed", "pace"]  # empty name: unchanged


def test_grid_round_trip_and_refusals():
    profile = PROFILE
    mapping = number_in_order(BASE, ["a", "b"], "P", dimension="care")
    rows = grid(mapping, profile)
    assert rows.loc[0, ["role", "item", "dimension", "range"]].tolist() == ["P", 1, "care", "1–5"]
    again = from_grid(rows, mapping)
    assert again.specs == mapping.specs and again.instrument.item(1).text_en == "Clean?"
    assert again.instrument.item(2).text_en == "b"  # a plain header is the item's own wording
    rows.loc[1, "item"] = 1
    with pytest.raises(GapcoreError) as twice:
        from_grid(rows, mapping)
    assert twice.value.problem.key == "mapping_item_twice" and twice.value.problem.values["other"] == "a"
    rows.loc[1, "item"] = None
    with pytest.raises(GapcoreError) as missing:
        from_grid(rows, mapping)
    assert missing.value.problem.key == "mapping_item_missing"


def test_a_saved_mapping_fits_an_upload_with_the_same_columns_only():
    profile = pd.DataFrame({"table": "customers", "column": ["a", "b", "c", "overall", "other"]})
    assert matches(BASE, profile)
    assert not matches(BASE, profile.iloc[:4])
    assert not matches(BASE, pd.concat([profile, pd.DataFrame({"table": ["customers"], "column": ["new"]})]))
    assert not matches(BASE, None)


def _demo_with(mapping_edit):
    """The demo customers CSV read once as detected, then again with ``mapping_edit`` applied."""
    from gapcore.io.load import SourceFile, load_study
    from tests.conftest import DATA

    files = [SourceFile("customers.csv", (DATA / "demo_customers.csv").read_bytes())]
    first = load_study(files)
    return first, load_study(files, mapping=mapping_edit(first.mapping))


def heatmap_frame_rows(study, lang: str) -> list[str]:
    from gapcore.analysis import prepare
    from gapcore.present.segment_slides import heatmap_frame
    from gapcore.segments import compare_segments

    return heatmap_frame(compare_segments(prepare(study), "age_band"), study, lang, 5)["row_label"].tolist()


def test_merged_age_bands_and_named_segments_reach_every_table():
    """50s and 60+ merged into 50+: the study counts 591 in it (312 + 279, the demo's own counts); the
    column is named 연령대 in Korean; the mapping file keeps both and lists the file's values again."""
    from gapcore.analysis import prepare
    from gapcore.io.mapping_edit import (
        merges_from_table,
        segment_value_table,
        value_names_from_table,
        with_segment_setup,
    )
    from gapcore.io.segment_setup import SegmentSetup
    from gapcore.present.story import build_story
    from gapcore.segments import compare_segments

    setup = SegmentSetup({"ko": "연령대", "zh": "年龄段"}, {"50s": "50+", "60+": "50+"},
                         {"50+": {"ko": "50대 이상", "zh": "50岁以上"}})
    first, second = _demo_with(lambda m: with_segment_setup(m, "age_band", setup))
    before = first.study.customers["age_band"].astype(str).value_counts()
    study = second.study
    counts = study.customers["age_band"].astype(str).value_counts().to_dict()
    assert counts == {"20s": before["20s"], "30s": before["30s"], "40s": before["40s"],
                      "50+": before["50s"] + before["60+"]} and counts["50+"] == 591
    assert study.segment_label("age_band", "ko") == "연령대" and study.segment_label("age_band", "en") == "age_band"
    comparison = compare_segments(prepare(study), "age_band")
    assert set(comparison.cells["segment"]) == {"20s", "30s", "40s", "50+"}
    story = build_story(prepare(study), lang="ko", segment="age_band", fit_model=False)
    assert next(s for s in story.slides if s.key == "heatmap").title.startswith("연령대")
    heatmap = next(s for s in story.slides if s.key == "heatmap")
    assert "50대 이상 (n = 591)" in set(heatmap_frame_rows(study, "ko"))
    assert study.value_label("age_band", "50+", "en") == "50+"  # no English name given: the value itself
    table = segment_value_table(study, "age_band")
    assert table[["value", "group", "n"]].to_dict("list") == {
        "value": ["20s", "30s", "40s", "50s", "60+"], "group": ["20s", "30s", "40s", "50+", "50+"],
        "n": [before["20s"], before["30s"], before["40s"], 591, 591]}
    assert table["name_ko"].tolist() == ["", "", "", "50대 이상", "50대 이상"]
    assert merges_from_table(table) == {"50s": "50+", "60+": "50+"}
    assert value_names_from_table(table) == {"50+": {"ko": "50대 이상", "zh": "50岁以上"}}
    assert heatmap.title.startswith("연령대")
    back = ColumnMapping.loads(study.mapping.dumps("yaml"))
    assert back.segments == {"age_band": setup}


def test_merging_into_an_existing_value_keeps_it_listed():
    from gapcore.io.mapping_edit import merges_from_table

    edited = pd.DataFrame({"value": ["50s", "60s", "70+"], "group": ["50s", "60s", "60s"], "n": [1, 2, 3]})
    assert merges_from_table(edited) == {"60s": "60s", "70+": "60s"}


def test_only_a_few_segments_are_proposed_and_the_rest_listed():
    """An export with twenty few-answer columns: eight are proposed as segments — those named as a
    grouping first (branch, 연령대), text before numbers — and the rest listed in an info message."""
    from gapcore.io.load import SourceFile, load_study
    from tests.conftest import DATA

    frame = pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig").head(200)
    extra = {f"Q{k}_agree": (frame.index % 5 + 1) for k in range(1, 16)}  # a rating block: numbers
    frame = frame.assign(**extra, 연령대=frame["age_band"], gift=frame["channel"])
    result = load_study([SourceFile("export.csv", frame.to_csv(index=False).encode())])
    assert result.study is not None
    segments = [s for s in result.study.segments if s != result.study.wave]
    # five named as groupings, one text column, then the first two of the rating block (file order)
    assert segments == ["branch", "channel", "customer_type", "age_band", "Q1_agree", "Q2_agree", "연령대", "gift"]
    problem = next(p for p in result.report.problems if p.key == "segments_left_out")
    assert problem.severity == "info" and problem.values["count"] == 13
    assert problem.values["columns"] == ", ".join(f"Q{k}_agree" for k in range(3, 15)) + " …"


def test_survey_tool_bookkeeping_is_not_proposed_as_a_segment():
    """Qualtrics' StartDate/Status/Finished and SurveyMonkey's Collector ID have few distinct values in a
    small export but are the tool's bookkeeping: listed for the Data page, not proposed as filters."""
    import tests.real_exports as rx
    from gapcore.io.load import SourceFile, load_study

    for export, segments, left in (
            (rx.qualtrics_import_ids, ("Q5",), "StartDate, EndDate, Status, Progress, Finished"),
            (rx.surveymonkey, ("Which branch do you use?",), "Collector ID, Start Date, End Date")):
        name, data = export()
        result = load_study([SourceFile(name, data)], accept_proposal=True)
        assert result.study.segments == segments
        listed = next(p for p in result.report.problems if p.key == "segments_left_out")
        assert listed.values["columns"] == left


def test_a_dimension_set_on_one_level_of_an_item_is_set_on_every_level():
    """Perception block P1…P2 given "staff" in the grid: their importance rows I1…I2 follow, and no stale
    dimension on an importance row undoes it; the block tool does the same."""
    mapping = ColumnMapping((ColumnSpec("customers", "q1", "P", 1, "tangibles"), ColumnSpec("customers", "q2", "P", 2,
                                                                                             "tangibles"),
                             ColumnSpec("customers", "i1", "I", 1, "tangibles"), ColumnSpec("customers", "i2", "I", 2,
                                                                                             "tangibles")))
    profile = pd.DataFrame({"table": "customers", "column": ["q1", "q2", "i1", "i2"], "text": "", "samples": "",
                            "kind": "whole", "low": 1.0, "high": 5.0})
    rows = grid(mapping, profile)
    rows.loc[rows["column"].isin(["q1", "q2"]), "dimension"] = "staff"
    edited = from_grid(rows, mapping)
    assert [(s.column, s.dimension) for s in edited.specs] == [("q1", "staff"), ("q2", "staff"), ("i1", "staff"),
                                                                ("i2", "staff")]
    assert edited.instrument.dimensions == ("staff",)
    blocks = number_in_order(mapping, ["q1", "q2"], "P", profile, dimension="premises")
    assert {s.dimension for s in blocks.specs} == {"premises"}


def test_setting_a_block_keeps_the_reverse_flags_of_the_others_and_its_editor_starts_from_what_rows_share():
    """A reverse flag belongs to its column: setting another block leaves it (the block tool used to drop
    the instrument, and with it every flag the analyst had ticked)."""
    mapping = number_in_order(BASE, ["a", "b", "c"], "P", dimension="care")
    flagged = number_in_order(mapping, ["b"], "P", start=2, reverse=True)
    assert [item.reverse for item in flagged.instrument.items] == [False, True, False]
    again = number_in_order(flagged, ["c"], "P", start=3, dimension="pace")
    assert [(i.number, i.dimension, i.reverse) for i in again.instrument.items] == [
        (1, "care", False), (2, "care", True), (3, "pace", False)]
    rows = grid(again, PROFILE)
    assert common_setting(rows, ["b", "a"]) == {"role": "P", "start": None, "dimension": "care", "reverse": None}
    assert common_setting(rows, ["b", "c"])["start"] == 2  # numbered one after another from 2
    kept = number_in_order(again, ["c", "a"], "P", start=None, reverse=True)  # numbers kept, both flagged
    assert [(i.number, i.reverse) for i in kept.instrument.items] == [(1, True), (2, True), (3, True)]
    assert common_setting(rows, ["c"]) == {"role": "P", "start": 3, "dimension": "pace", "reverse": False}
    assert common_setting(rows, ["a", "overall"]) == {"role": None, "start": None, "dimension": None, "reverse": False}
    assert common_setting(rows, ["overall"])["start"] == 1  # nothing numbered yet: from 1
    assert common_setting(rows, []) == {"role": None, "start": None, "dimension": None, "reverse": None}
    with pytest.raises(GapcoreError) as twice:  # a number taken by another column is refused, naming both
        number_in_order(again, ["overall"], "P", start=1)
    assert twice.value.problem.values["other"] in ("a", "overall")
