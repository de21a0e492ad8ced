"""Cells built chunk by chunk equal cells built from every respondent at once, and the cell keys are
those of a pandas group-by over the segment columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gapcore.cells import GRID, build_cells
from gapcore.scores import respondent_scores


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
