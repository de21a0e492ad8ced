"""The DuckDB path: per-cell moments computed by SQL over a Parquet file or a DuckDB table equal the
pandas path's (``build_cells``) for every shared variable and cell."""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3

import duckdb
import numpy as np
import pandas as pd
import pytest

from gapcore.cells import build_cells
from gapcore.warehouse import cell_moments, moments_query, parquet_cell_moments


def _pandas_cells(study, use_weight):
    return build_cells(study, use_weight=use_weight)


def _compare(study, warehouse, use_weight):
    cells = _pandas_cells(study, use_weight)
    shared = [v for v in warehouse.variables if v in cells.variables]
    assert len(shared) == len(warehouse.variables)  # every SQL variable exists on the pandas side
    assert {"G:reliability", "SQ:overall", "E:8", "Y:satisfaction"} <= set(shared)
    key = list(cells.keys.columns)
    left = cells.keys.astype(object).map(lambda v: None if pd.isna(v) else v).apply(tuple, axis=1).tolist()
    right = warehouse.keys[key].apply(tuple, axis=1).tolist()
    assert sorted(left, key=str) == sorted(right, key=str)  # the same cells
    order = [right.index(k) for k in left]
    np.testing.assert_array_equal(warehouse.rows[order], cells.rows)
    for variable in shared:
        expected = cells.moments[:, cells.index(variable)]
        got = warehouse.moments[order, warehouse.variables.index(variable)]
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-9, err_msg=variable)


@pytest.fixture(scope="module")
def parquet_path(demo_study, tmp_path_factory):
    path = tmp_path_factory.mktemp("warehouse") / "customers.parquet"
    demo_study.customers.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("use_weight", [False, True])
def test_parquet_moments_equal_the_pandas_path(demo_study, parquet_path, use_weight):
    warehouse = parquet_cell_moments(str(parquet_path), demo_study.instrument, demo_study.segments,
                                     weight="weight" if use_weight else None, outcomes=demo_study.outcomes)
    _compare(demo_study, warehouse, use_weight)


def test_duckdb_table_with_missing_answers_and_bad_weights(demo_study, tmp_path):
    frame = demo_study.customers.copy()
    rng = np.random.default_rng(3)
    for column in [c for c in frame.columns if c[0] in "EP" and c[1:].isdigit()]:
        frame.loc[rng.random(len(frame)) < 0.15, column] = np.nan  # dimension scores hit the half rule
    frame.loc[:40, "weight"] = np.nan  # respondents without a valid weight
    frame.loc[:3, "branch"] = np.nan  # a missing segment value is a cell of its own
    study = dataclasses.replace(demo_study, customers=frame)
    with duckdb.connect(str(tmp_path / "study.duckdb")) as connection:
        connection.register("frame_view", frame)
        connection.execute("CREATE TABLE customers AS SELECT * FROM frame_view")
        connection.unregister("frame_view")
        warehouse = cell_moments(connection, "customers", study.instrument, study.segments, weight="weight",
                                 outcomes=study.outcomes)
    _compare(study, warehouse, True)


def test_the_statement_is_plain_sql_and_runs_on_sqlite(demo_study):
    """The same text on a second engine (Python's own SQLite) gives the same moments as pandas."""
    study = demo_study
    sql, variables = moments_query("customers", study.instrument, list(study.customers.columns), study.segments,
                                   weight="weight", outcomes=study.outcomes)
    assert "read_parquet" not in sql and "::" not in sql and "FILTER" not in sql
    table = study.customers.copy()
    for column in study.segments:
        table[column] = table[column].astype(object).where(table[column].notna(), None)
    with contextlib.closing(sqlite3.connect(":memory:")) as connection:
        table.to_sql("customers", connection, index=False)
        rows = connection.execute(sql).fetchall()
    cells = _pandas_cells(study, True)
    segments = len(study.segments)
    assert len(rows) == len(cells.keys)
    keys = [tuple(None if pd.isna(v) else str(v) for v in key) for key in cells.keys.itertuples(index=False)]
    by_key = {tuple(row[:segments]): row for row in rows}
    for i, key in enumerate(keys):
        row = by_key[key]
        assert row[segments] == cells.rows[i]
        got = np.array([0.0 if v is None else v for v in row[segments + 1:]]).reshape(len(variables), 7)
        expected = cells.moments[i, [cells.index(v) for v in variables]]
        np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-9, err_msg=str(key))
