"""Cells built chunk by chunk equal cells built from every respondent at once, and the cell keys are
those of a pandas group-by over the segment columns."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from gapcore.cells import GRID, build_cells
from gapcore.io.load import SourceFile, load_study
from gapcore.scores import respondent_scores
from tests.conftest import DATA


@pytest.mark.parametrize("use_weight", [True, False])
def test_chunked_cells_equal_cells_from_all_respondents(demo_study, use_weight):
    whole = build_cells(demo_study, use_weight=use_weight, chunk_rows=10**9)
    chunked = build_cells(demo_study, use_weight=use_weight, chunk_rows=37)  # many uneven chunks
    assert whole.variables == chunked.variables
    pd.testing.assert_frame_equal(whole.keys, chunked.keys)
    np.testing.assert_allclose(chunked.moments, whole.moments, rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(chunked.rows, whole.rows)
    np.testing.assert_allclose(chunked.weight_sums, whole.weight_sums, rtol=1e-12)
    assert set(chunked.histograms) == set(whole.histograms)
    for name, hist in whole.histograms.items():
        other = chunked.histograms[name]
        for field in ("values", "cell", "index", "count"):
            np.testing.assert_array_equal(getattr(other, field), getattr(hist, field), err_msg=f"{name} {field}")
    for name, block in whole.blocks.items():
        np.testing.assert_allclose(chunked.blocks[name].products, block.products, rtol=1e-12, err_msg=name)
        np.testing.assert_array_equal(chunked.blocks[name].n, block.n)


def test_cell_keys_and_histograms_match_pandas(demo_study):
    cells = build_cells(demo_study, use_weight=False, chunk_rows=50)
    segments = list(demo_study.segments)
    frame = demo_study.customers[segments].astype(object)
    sizes = frame.groupby(segments, dropna=False, sort=True, observed=True).size()
    expected = [tuple(None if pd.isna(v) else str(v) for v in key) for key in sizes.index]
    assert [tuple(row) for row in cells.keys.itertuples(index=False)] == expected
    np.testing.assert_array_equal(cells.rows, sizes.to_numpy())
    # the counts of gap values in the first cell, straight from the respondents
    first = (frame[segments].apply(tuple, axis=1) == sizes.index[0]).to_numpy()
    gap = respondent_scores(demo_study, use_weight=False).values["G:tangibles"][first]
    values, counts = np.unique(np.rint(gap[~np.isnan(gap)] * GRID) / GRID, return_counts=True)
    hist = cells.histograms["G:tangibles"]
    mask = np.zeros(len(cells.keys), dtype=bool)
    mask[0] = True
    got = hist.counts(mask)
    np.testing.assert_array_equal(got[got > 0], counts)
    np.testing.assert_allclose(hist.values[got > 0], values)


def test_cell_keys_of_many_high_cardinality_segments():
    """Four segment columns of 60,000 distinct values each would overflow a 64-bit mixed-radix key;
    cells are still one per distinct combination, sorted by value with missing last."""
    from gapcore.cells import _cell_codes

    rng = np.random.default_rng(1)
    n = 200
    frame = pd.DataFrame({f"s{i}": pd.Categorical(rng.integers(0, 3, n).astype(str),
                                                  categories=[str(v) for v in range(60_000)])
                          for i in range(4)})
    frame.loc[5, "s2"] = np.nan
    codes, keys = _cell_codes(frame)
    text = frame.astype(object).where(frame.notna(), None)
    expected = text.groupby(list(frame.columns), dropna=False, sort=True).size()
    assert [tuple(None if pd.isna(v) else v for v in k) for k in expected.index] == \
        [tuple(row) for row in keys.itertuples(index=False)]
    rebuilt = keys.iloc[codes].reset_index(drop=True)
    pd.testing.assert_frame_equal(rebuilt, text.reset_index(drop=True).astype(object), check_dtype=False)


def _with_holes(study):
    """The demo with 15 % of answers missing (dimension scores hit the half rule), respondents without a
    valid weight, and a missing segment value."""
    frame = study.customers.copy()
    rng = np.random.default_rng(3)
    for column in [c for c in frame.columns if c[0] in "EP" and c[1:].isdigit()]:
        frame.loc[rng.random(len(frame)) < 0.15, column] = np.nan
    frame.loc[:40, "weight"] = np.nan
    frame.loc[:3, "branch"] = np.nan
    return dataclasses.replace(study, customers=frame)


def _perception_only():
    frame = pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig")
    keep = ["branch", "channel", "weight", *[f"P{k}" for k in range(1, 23)], "satisfaction"]
    return load_study([SourceFile("perf.csv", frame[keep].to_csv(index=False).encode())]).study


@pytest.mark.parametrize("use_weight", [True, False])
@pytest.mark.parametrize("variant", ["demo", "holes", "perception only"])
def test_value_tables_equal_row_by_row_scores(demo_study, variant, use_weight):
    """Item variables counted from (cell, E, P) tables equal the moments and value counts of the
    respondents' own item scores, summed row by row."""
    from gapcore.cells import _whole_answers

    study = {"demo": demo_study, "holes": _with_holes(demo_study),
             "perception only": _perception_only()}[variant]
    assert _whole_answers(study) is not None  # the tables are used, not the reference path
    fast = build_cells(study, use_weight=use_weight, chunk_rows=400)
    slow = build_cells(study, use_weight=use_weight, chunk_rows=400, value_tables=False)
    assert set(fast.variables) == set(slow.variables)
    assert any(v.endswith(":1") for v in fast.variables)
    for name in slow.variables:
        np.testing.assert_allclose(fast.moments[:, fast.index(name)], slow.moments[:, slow.index(name)],
                                   rtol=1e-12, atol=1e-9, err_msg=name)
    assert set(fast.histograms) == set(slow.histograms)
    for name, hist in slow.histograms.items():
        for field in ("values", "cell", "index", "count"):
            np.testing.assert_array_equal(getattr(fast.histograms[name], field), getattr(hist, field),
                                          err_msg=f"{name} {field}")


def test_item_table_by_hand():
    """Three respondents in one cell: E1 = 1, 2, –; P1 = 3, 2, 5. Only the first two pair up."""
    from gapcore.cells import WholeAnswers, _item_tables

    frame = pd.DataFrame({"E1": pd.array([1, 2, None], dtype="Int8"), "P1": pd.array([3, 2, 5], dtype="Int8")})
    counts: dict = {}
    out = _item_tables(frame, WholeAnswers({1: ("E1", "P1")}, 1, 7), np.zeros(3, dtype=np.int64), 1, None,
                       False, counts)
    # n, Σw, Σw², Σwx, Σwx², Σw²x, Σw²x² with w = 1
    np.testing.assert_array_equal(out["E:1"][0], [2, 2, 2, 3, 5, 3, 5])
    np.testing.assert_array_equal(out["P:1"][0], [2, 2, 2, 5, 13, 5, 13])
    np.testing.assert_array_equal(out["G:1"][0], [2, 2, 2, 2, 4, 2, 4])
    cell, value, count = counts["G:1"][0]
    assert list(value / GRID) == [0, 2] and list(count) == [1, 1] and list(cell) == [0, 0]
    cell, value, count = counts["P:1"][0]
    assert list(value / GRID) == [2, 3] and list(count) == [1, 1]


@pytest.mark.parametrize("use_weight", [True, False])
def test_cross_products_on_first_use_equal_those_built_with_the_cells(demo_study, use_weight):
    """Alpha's cross-products left for later (the app) equal those built in the cells' own pass, also with
    respondents left out for want of a weight; the reliability tables read the same."""
    from gapcore.analysis import analyze, prepare

    study = _with_holes(demo_study)
    eager = prepare(study, use_weight=use_weight)
    lazy = prepare(study, use_weight=use_weight, cross_products=False)
    assert lazy.cells.blocks is None and eager.cells.blocks is not None
    assert set(lazy.cross_products) == set(eager.cells.blocks)
    for name, block in eager.cells.blocks.items():
        np.testing.assert_array_equal(lazy.cross_products[name].n, block.n, err_msg=name)
        np.testing.assert_allclose(lazy.cross_products[name].products, block.products, rtol=1e-12, err_msg=name)
        np.testing.assert_allclose(lazy.cross_products[name].sums, block.sums, rtol=1e-12, err_msg=name)
    if use_weight:  # the 41 respondents without a weight are not in the weighted cross-products
        assert eager.cells.blocks["E:tangibles"].n.sum() < prepare(study, use_weight=False).cells.blocks[
            "E:tangibles"].n.sum()
    filters = {"branch": ["Seoul", "Busan"]}
    pd.testing.assert_frame_equal(analyze(lazy, filters).reliability, analyze(eager, filters).reliability)
    pd.testing.assert_frame_equal(analyze(lazy, filters).reliability_items, analyze(eager, filters).reliability_items)


def test_too_many_cells_for_value_tables_falls_back_to_rows(demo_study, monkeypatch):
    """Tables of cells × answers² that would outgrow the rows are not built: the row-by-row path gives
    the same statistics."""
    import gapcore.cells as cells_module

    reference = build_cells(demo_study, use_weight=True)
    calls = []

    def tables(*args, **kwargs):
        calls.append((args, kwargs))
        return {}

    monkeypatch.setattr(cells_module, "_item_tables", tables)
    monkeypatch.setattr(cells_module, "_MAX_DENSE", 10)
    fallback = build_cells(demo_study, use_weight=True)
    assert not calls  # the tables were not used
    for name in reference.variables:
        np.testing.assert_allclose(fallback.moments[:, fallback.index(name)],
                                   reference.moments[:, reference.index(name)], rtol=1e-12, atol=1e-9, err_msg=name)


@pytest.mark.parametrize("export", ["hospital", "qualtrics_legacy", "surveymonkey", "google_forms", "patient_labels",
                                    "korean_kiosk", "spss_unmarked", "chinese_labels"])
def test_value_tables_on_survey_tool_exports(export):
    """Exports shaped as Qualtrics, SurveyMonkey, Google Forms and SPSS write them (labels, two header rows,
    Korean and Chinese headers): the value tables are used, and agree with the row-by-row path."""
    from gapcore.cells import _whole_answers
    from tests import real_exports

    name, data = getattr(real_exports, export)()
    study = load_study([SourceFile(name, data)], accept_proposal=True).study
    assert study is not None and _whole_answers(study) is not None
    fast, slow = build_cells(study, use_weight=False), build_cells(study, use_weight=False, value_tables=False)
    assert set(fast.variables) == set(slow.variables)
    for name in slow.variables:
        np.testing.assert_allclose(fast.moments[:, fast.index(name)], slow.moments[:, slow.index(name)],
                                   rtol=1e-12, atol=1e-12, err_msg=name)
    for name, hist in slow.histograms.items():
        np.testing.assert_array_equal(fast.histograms[name].count, hist.count, err_msg=name)
        np.testing.assert_array_equal(fast.histograms[name].values, hist.values, err_msg=name)
