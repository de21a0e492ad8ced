"""The engine path: the cells DuckDB computes from a study's canonical rows (``warehouse.engine_cells``) are the
cells ``build_cells`` computes in memory — every moment, every value count, every alpha cross-product, the
respondents and weight sums of every cell — and the statements are plain enough to run on a second engine."""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3

import duckdb
import numpy as np
import pandas as pd
import pytest
import sqlglot

from gapcore.cells import CellStats, build_cells
from gapcore.warehouse import cell_queries, engine_cells


def assert_same_cells(got: CellStats, expected: CellStats) -> None:
    assert set(got.variables) == set(expected.variables)
    assert got.weighted == expected.weighted
    keys = expected.keys.astype(object).where(expected.keys.notna(), None)
    pd.testing.assert_frame_equal(got.keys, keys, check_dtype=False)
    np.testing.assert_array_equal(got.rows, expected.rows)
    np.testing.assert_allclose(got.weight_sums, expected.weight_sums, rtol=1e-12)
    for variable in expected.variables:
        np.testing.assert_allclose(got.moments[:, got.index(variable)], expected.moments[:, expected.index(variable)],
                                   rtol=1e-11, atol=1e-9, err_msg=variable)
    assert set(got.histograms) == set(expected.histograms)
    for name, hist in expected.histograms.items():
        mine = got.histograms[name]
        np.testing.assert_array_equal(mine.values, hist.values, err_msg=name)
        for field in ("cell", "index", "count"):
            np.testing.assert_array_equal(getattr(mine, field), getattr(hist, field), err_msg=f"{name} {field}")
    assert set(got.blocks or {}) == set(expected.blocks or {})
    for name, block in (expected.blocks or {}).items():
        mine = got.blocks[name]
        assert mine.columns == block.columns
        np.testing.assert_array_equal(mine.n, block.n)
        np.testing.assert_allclose(mine.sums, block.sums, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(mine.products, block.products, rtol=1e-12, atol=1e-9)


def _duckdb_cells(study, use_weight: bool) -> CellStats:
    frame = study.customers
    with duckdb.connect() as connection:
        connection.register("customers", frame)
        queries = cell_queries("customers", study.instrument, list(frame.columns), study.segments,
                               weight="weight" if use_weight and study.has_weight else None, outcomes=study.outcomes)
        return engine_cells(lambda sql: connection.execute(sql).df(), queries)


def _harder(study):
    """Missing answers (the half-of-items rule bites), respondents without a valid weight, a missing segment value."""
    frame = study.customers.copy()
    rng = np.random.default_rng(3)
    for column in [c for c in frame.columns if c[0] in "EPA" and c[1:].isdigit()]:
        frame[column] = frame[column].astype(float)
        frame.loc[rng.random(len(frame)) < 0.15, column] = np.nan
    frame.loc[:40, "weight"] = np.nan
    frame["branch"] = frame["branch"].astype(object)
    frame.loc[:3, "branch"] = None
    frame["branch"] = frame["branch"].astype("category")
    return dataclasses.replace(study, customers=frame)


def _perception_only(study):
    frame = study.customers.drop(columns=[c for c in study.customers.columns if c[0] in "EA" and c[1:].isdigit()])
    return dataclasses.replace(study, customers=frame)


@pytest.mark.parametrize("use_weight", [False, True])
@pytest.mark.parametrize("variant", ["demo", "harder", "perception_only"])
def test_engine_cells_are_the_cells_in_memory(demo_study, variant, use_weight):
    study = {"demo": lambda s: s, "harder": _harder, "perception_only": _perception_only}[variant](demo_study)
    expected = build_cells(study, use_weight=use_weight)
    got = _duckdb_cells(study, use_weight)
    assert_same_cells(got, expected)
    if variant == "demo":  # the variables and the alpha blocks this compares are those of a full SERVQUAL study
        assert {"G:reliability", "SQ:overall", "WSQ:overall", "MSA:3", "W:tangibles", "Y:retention"} \
            <= set(got.variables)
        assert len(got.blocks) == 15 and len(got.histograms) == 54
    if variant == "perception_only":
        assert not any(v.startswith(("E:", "G:")) for v in got.variables) and "PF:overall" in got.variables


def test_value_counts_by_cell_texts_equal_those_by_cell_position(demo_study, monkeypatch):
    """Past ``MAX_LISTED_CELLS`` the value counts are grouped by the segments' texts: the same histograms."""
    study = _harder(demo_study)
    listed = _duckdb_cells(study, True)
    monkeypatch.setattr("gapcore.warehouse.MAX_LISTED_CELLS", 0)
    assert_same_cells(_duckdb_cells(study, True), build_cells(study, use_weight=True))
    assert listed.histograms.keys() == build_cells(study, use_weight=True).histograms.keys()


def test_the_totals_statement_runs_on_sqlite(demo_study):
    """A second engine (Python's own SQLite, which has no GROUPING SETS) gives the same moments from the same text."""
    study = demo_study
    queries = cell_queries("customers", study.instrument, list(study.customers.columns), study.segments,
                           weight="weight", outcomes=study.outcomes, cross_products=False)
    table = study.customers.copy()
    for column in study.segments:
        table[column] = table[column].astype(object).where(table[column].notna(), None)
    with contextlib.closing(sqlite3.connect(":memory:")) as connection:
        table.to_sql("customers", connection, index=False)
        frame = pd.read_sql_query(queries.totals, connection)
    expected = build_cells(study, use_weight=True)
    segments = len(study.segments)
    by_key = {tuple(row[:segments]): np.asarray(row[segments:], dtype=float)
              for row in frame.itertuples(index=False, name=None)}
    for i, key in enumerate(expected.keys.itertuples(index=False, name=None)):
        row = np.nan_to_num(by_key[tuple(None if pd.isna(v) else str(v) for v in key)])
        assert row[0] == expected.rows[i]
        got = row[3:].reshape(len(queries.variables), 7)
        np.testing.assert_allclose(got, expected.moments[i, [expected.index(v) for v in queries.variables]],
                                   rtol=1e-10, atol=1e-9, err_msg=str(key))


def test_the_statements_transpile_for_spark(demo_study):
    """sqlglot writes both statements in Spark's dialect: identifiers in backticks, nothing DuckDB-only left."""
    study = demo_study
    queries = cell_queries("customers", study.instrument, list(study.customers.columns), study.segments,
                           weight="weight", outcomes=study.outcomes)
    for statement in (queries.totals, queries.values):
        spark = sqlglot.transpile(statement, read="duckdb", write="spark")[0]
        assert '"' not in spark and "`E1`" in spark and "GROUP BY" in spark
        assert sqlglot.parse_one(spark, read="spark") is not None
    assert "GROUPING SETS" in sqlglot.transpile(queries.values, read="duckdb", write="spark")[0]
