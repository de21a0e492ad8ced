"""The Data page's mapping edits, as pure functions on a mapping (checked by hand on small cases)."""

from __future__ import annotations

import pandas as pd
import pytest

from gapcore.errors import GapcoreError
from gapcore.io.columns import ColumnMapping, ColumnSpec
from gapcore.io.mapping_edit import (
    dimensions_of,
    from_grid,
    grid,
    matches,
    number_in_order,
    rename_dimension,
    set_outcome,
)

BASE = ColumnMapping((ColumnSpec("customers", "a", "ignore"), ColumnSpec("customers", "b", "ignore"),
                      ColumnSpec("customers", "c", "ignore"), ColumnSpec("customers", "overall", "segment"),
                      ColumnSpec("customers", "other", "satisfaction")), scale=(1, 5), na=(99.0,))


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
    profile = pd.DataFrame({"table": "customers", "column": ["a", "b", "c", "overall", "other"],
                            "text": ["Clean?", "", "", "Overall?", ""], "samples": "", "kind": "whole",
                            "low": 1.0, "high": 5.0})
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
