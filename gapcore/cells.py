"""Sufficient statistics per segment cell, so that any filter is a sum over cells.

A *cell* is one combination of values of every segment column. For each cell and variable we keep
the moments of ``gapcore.stats`` (n, Σw, Σw², Σwx, Σwx², Σw²x, Σw²x²), counts of each distinct value
of the gap and perception variables (for Wilcoxon and Kruskal-Wallis), and, per dimension, the
cross-products of its items over complete rows (for Cronbach's alpha). A filter selects cells; its
statistics are sums over the selected cells, identical to computing on the filtered rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gapcore.scores import RespondentScores
from gapcore.study import Study

#: Histogram resolution: dimension scores are means of up to 7 items on each side, so every gap is a
#: multiple of 1/420 (the least common multiple of 1..7). Values are stored on that grid.
GRID = 420
_MAX_DENSE = 40_000_000


@dataclass(frozen=True)
class Histogram:
    """Counts of each distinct value per cell, in long form (cell, value index, count)."""

    values: np.ndarray  # distinct values (float)
    cell: np.ndarray
    index: np.ndarray
    count: np.ndarray

    def counts(self, cell_mask: np.ndarray) -> np.ndarray:
        keep = cell_mask[self.cell]
        return np.bincount(self.index[keep], weights=self.count[keep], minlength=len(self.values))

    def counts_by_group(self, cell_group: np.ndarray, groups: int) -> np.ndarray:
        """Counts per group (rows) for cells mapped to groups (−1 = left out)."""
        group = cell_group[self.cell]
        keep = group >= 0
        flat = group[keep] * len(self.values) + self.index[keep]
        return np.bincount(flat, weights=self.count[keep], minlength=groups * len(self.values)).reshape(
            groups, len(self.values))


@dataclass(frozen=True)
class CrossProducts:
    """Per cell, over rows answering every item of a block: n, Σx_i and Σx_i·x_j."""

    columns: tuple[str, ...]
    n: np.ndarray  # cells
    sums: np.ndarray  # cells × k
    products: np.ndarray  # cells × k × k


@dataclass(frozen=True)
class CellStats:
    keys: pd.DataFrame  # one row per cell: the segment values (strings, NaN for missing)
    variables: tuple[str, ...]
    moments: np.ndarray  # cells × variables × 7
    histograms: Mapping[str, Histogram]
    blocks: Mapping[str, CrossProducts]  # "E:tangibles" → item cross-products
    weighted: bool
    rows: np.ndarray  # respondents per cell
    weight_sums: np.ndarray  # cells × (Σw, Σw²) over respondents (w = 1 unweighted)

    def index(self, variable: str) -> int:
        return self.variables.index(variable)

    def mask(self, filters: Mapping[str, Sequence[str]]) -> np.ndarray:
        """Cells kept by a filter: every filtered column must take one of its listed values."""
        keep = np.ones(len(self.keys), dtype=bool)
        for column, values in filters.items():
            if column not in self.keys.columns:
                raise KeyError(column)
            keep &= self.keys[column].isin([str(v) for v in values]).to_numpy()
        return keep

    def total(self, cell_mask: np.ndarray) -> np.ndarray:
        """Moments of every variable over the selected cells: variables × 7."""
        return self.moments[cell_mask].sum(axis=0)


def _cell_codes(segments: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    if segments.shape[1] == 0:
        return np.zeros(len(segments), dtype=np.int64), pd.DataFrame(index=[0])
    as_text = segments.astype(object).where(segments.notna(), None)
    grouped = as_text.groupby(list(segments.columns), dropna=False, sort=True, observed=True)
    codes = grouped.ngroup().to_numpy()
    keys = grouped.size().reset_index().drop(columns=0).astype(object)
    keys = keys.map(lambda v: None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
    return codes, keys


def _histogram(x: np.ndarray, codes: np.ndarray, cells: int) -> Histogram:
    ok = ~np.isnan(x)
    q = np.rint(x[ok] * GRID).astype(np.int64)
    c = codes[ok]
    if q.size == 0:
        empty = np.array([], dtype=np.int64)
        return Histogram(np.array([]), empty, empty, empty)
    low, high = int(q.min()), int(q.max())
    bins = high - low + 1
    if cells * bins <= _MAX_DENSE:
        dense = np.bincount(c * bins + (q - low), minlength=cells * bins)
        flat = np.flatnonzero(dense)
        cell, offset, count = flat // bins, flat % bins, dense[flat]
    else:
        flat, count = np.unique(c * bins + (q - low), return_counts=True)
        cell, offset = flat // bins, flat % bins
    used, index = np.unique(offset, return_inverse=True)
    return Histogram((used + low) / GRID, cell, index, count)


def build_cells(study: Study, scores: RespondentScores, *, segments: Sequence[str] | None = None) -> CellStats:
    """Sufficient statistics of every variable per cell of the study's segment columns."""
    columns = list(study.segments if segments is None else segments)
    codes, keys = _cell_codes(study.customers[columns])
    cells = len(keys)
    values = scores.values
    w = scores.weights
    variables = tuple(values.columns)
    out = np.zeros((cells, len(variables), 7))
    for j, name in enumerate(variables):
        x = values[name].to_numpy(dtype=float)
        ok = ~np.isnan(x)
        c = codes[ok]
        xv = x[ok]
        out[:, j, 0] = np.bincount(c, minlength=cells)
        if w is None:
            out[:, j, 1] = out[:, j, 2] = out[:, j, 0]
            out[:, j, 3] = out[:, j, 5] = np.bincount(c, weights=xv, minlength=cells)
            out[:, j, 4] = out[:, j, 6] = np.bincount(c, weights=xv * xv, minlength=cells)
        else:
            wv = w[ok]
            wx = wv * xv
            out[:, j, 1] = np.bincount(c, weights=wv, minlength=cells)
            out[:, j, 2] = np.bincount(c, weights=wv * wv, minlength=cells)
            out[:, j, 3] = np.bincount(c, weights=wx, minlength=cells)
            out[:, j, 4] = np.bincount(c, weights=wx * xv, minlength=cells)
            out[:, j, 5] = np.bincount(c, weights=wx * wv, minlength=cells)
            out[:, j, 6] = np.bincount(c, weights=wx * wv * xv, minlength=cells)
    histograms = {
        name: _histogram(values[name].to_numpy(dtype=float), codes, cells)
        for name in variables if name.startswith(("G:", "P:")) and not name.endswith(":overall")
    }
    blocks = _blocks(study, codes, cells, w is not None and scores.values.isna().all(axis=1).to_numpy())
    rows = np.bincount(codes, minlength=cells).astype(float)
    wv = np.ones(len(codes)) if w is None else w
    weight_sums = np.column_stack([np.bincount(codes, weights=wv, minlength=cells),
                                   np.bincount(codes, weights=wv * wv, minlength=cells)])
    return CellStats(keys, variables, out, histograms, blocks, w is not None, rows, weight_sums)


def _blocks(study: Study, codes: np.ndarray, cells: int, excluded: np.ndarray | bool) -> dict[str, CrossProducts]:
    """Item cross-products per dimension and level (E, P, gap) over complete rows, unweighted."""
    frame = study.customers
    inst = study.instrument
    blocks: dict[str, CrossProducts] = {}
    for dim in inst.dimensions:
        numbers = inst.items_of(dim)
        for level in ("E", "P", "G"):
            if level == "G":
                if not all(f"E{k}" in frame and f"P{k}" in frame for k in numbers):
                    continue
                x = np.column_stack([frame[f"P{k}"].to_numpy(dtype=float) - frame[f"E{k}"].to_numpy(dtype=float)
                                     for k in numbers])
            else:
                if not all(f"{level}{k}" in frame for k in numbers):
                    continue
                x = frame[[f"{level}{k}" for k in numbers]].to_numpy(dtype=float)
            complete = ~np.isnan(x).any(axis=1)
            if isinstance(excluded, np.ndarray):
                complete &= ~excluded
            c = codes[complete]
            xc = x[complete]
            k = len(numbers)
            sums = np.column_stack([np.bincount(c, weights=xc[:, i], minlength=cells) for i in range(k)])
            products = np.zeros((cells, k, k))
            for i in range(k):
                for j in range(i, k):
                    products[:, i, j] = products[:, j, i] = np.bincount(c, weights=xc[:, i] * xc[:, j],
                                                                        minlength=cells)
            blocks[f"{level}:{dim}"] = CrossProducts(tuple(f"{level}{n}" for n in numbers),
                                                     np.bincount(c, minlength=cells).astype(float), sums, products)
    return blocks
