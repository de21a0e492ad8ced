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

from gapcore.filters import rows_kept
from gapcore.instrument import Instrument
from gapcore.io.study import Study
from gapcore.scores import respondent_scores

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
        return rows_kept(self.keys, filters)

    def total(self, cell_mask: np.ndarray) -> np.ndarray:
        """Moments of every variable over the selected cells: variables × 7."""
        return self.moments[cell_mask].sum(axis=0)


def _moments_by_cell(x: np.ndarray, w: np.ndarray | None, codes: np.ndarray, cells: int) -> np.ndarray:
    """Moments (cells × 7) of one variable. NaN is zeroed rather than masked: a full-length bincount
    is several times faster than indexing out the missing rows."""
    answered = ~np.isnan(x)
    x0 = np.where(answered, x, 0.0)

    def total(weights: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=weights, minlength=cells)

    n = total(answered.astype(float))
    if w is None:
        sx, sxx = total(x0), total(x0 * x0)
        return np.column_stack([n, n, n, sx, sxx, sx, sxx])
    wa = np.where(answered, w, 0.0)
    wx = wa * x0
    return np.column_stack([n, total(wa), total(wa * wa), total(wx), total(wx * x0), total(wx * wa),
                            total(wx * wa * x0)])


def _segment_codes(series: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Codes 0..k−1 of a segment column's values in text order, k for a missing value, and the texts.

    Segment columns are categoricals (``load``), so this is a remap of their codes, not a pass over
    ten million strings; other columns are made categorical first."""
    values = series if isinstance(series.dtype, pd.CategoricalDtype) else series.astype("category")
    texts = [str(v) for v in values.cat.categories]
    unique_texts = sorted(set(texts))
    position = {text: i for i, text in enumerate(unique_texts)}
    rank = np.array([position[t] for t in texts] + [len(unique_texts)], dtype=np.int64)
    return rank[values.cat.codes.to_numpy()], unique_texts  # code −1 (missing) picks the last entry


def _cell_codes(segments: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Per respondent its cell (0..cells−1) and the cells' segment values, sorted by value, missing last."""
    if segments.shape[1] == 0:
        return np.zeros(len(segments), dtype=np.int64), pd.DataFrame(index=[0])
    combined = np.zeros(len(segments), dtype=np.int64)
    bound = 1  # combined < bound
    columns: list[tuple[np.ndarray, list[str]]] = []
    for column in segments.columns:
        codes, texts = _segment_codes(segments[column])
        if bound * (len(texts) + 1) >= 2**62:  # renumber (order kept) before the key could overflow
            combined = np.unique(combined, return_inverse=True)[1].astype(np.int64)
            bound = int(combined.max()) + 1
        combined = combined * (len(texts) + 1) + codes
        bound *= len(texts) + 1
        columns.append((codes, texts))
    _, first, cell = np.unique(combined, return_index=True, return_inverse=True)
    keys = {column: [texts[c] if c < len(texts) else None for c in codes[first]]
            for column, (codes, texts) in zip(segments.columns, columns, strict=True)}
    return cell.astype(np.int64), pd.DataFrame(keys, dtype=object)


def _value_counts(x: np.ndarray, codes: np.ndarray, cells: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cell, value on the grid, count) of one variable's answered values, ordered by cell then value."""
    ok = ~np.isnan(x)
    q = np.rint(x[ok] * GRID).astype(np.int64)
    c = codes[ok]
    if q.size == 0:
        empty = np.array([], dtype=np.int64)
        return empty, empty, empty
    low, high = int(q.min()), int(q.max())
    bins = high - low + 1
    if cells * bins <= _MAX_DENSE:
        dense = np.bincount(c * bins + (q - low), minlength=cells * bins)
        flat = np.flatnonzero(dense)
        count = dense[flat]
    else:
        flat, count = np.unique(c * bins + (q - low), return_counts=True)
    return flat // bins, flat % bins + low, count.astype(np.int64)


def _histogram(parts: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]]) -> Histogram:
    """One histogram from the value counts of several chunks of respondents."""
    cell = np.concatenate([p[0] for p in parts])
    q = np.concatenate([p[1] for p in parts])
    count = np.concatenate([p[2] for p in parts])
    if q.size == 0:
        empty = np.array([], dtype=np.int64)
        return Histogram(np.array([]), empty, empty, empty)
    low = int(q.min())
    bins = int(q.max()) - low + 1
    keys, inverse = np.unique(cell * bins + (q - low), return_inverse=True)
    total = np.bincount(inverse, weights=count).astype(np.int64)
    used, index = np.unique(keys % bins, return_inverse=True)
    return Histogram((used + low) / GRID, keys // bins, index, total)


#: Respondents scored at once: the scores of a chunk (~100 float64 variables) are summed into the
#: cells and dropped, so memory does not grow with the number of respondents.
CHUNK_ROWS = 250_000


def _is_ranked(name: str) -> bool:
    return name.startswith(("G:", "P:")) and not name.endswith(":overall")


def build_cells(study: Study, *, use_weight: bool = True, segments: Sequence[str] | None = None,
                chunk_rows: int = CHUNK_ROWS) -> CellStats:
    """Sufficient statistics of every variable per cell of the study's segment columns.

    Respondents are scored chunk by chunk and each chunk's sums are added into the cells, so the
    result equals scoring everyone at once while memory holds only one chunk of scores."""
    columns = list(study.segments if segments is None else segments)
    codes, keys = _cell_codes(study.customers[columns])
    cells = len(keys)
    variables: tuple[str, ...] = ()
    moments = np.zeros((cells, 0, 7))
    counts: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    blocks: dict[str, CrossProducts] = {}
    weight_sums = np.zeros((cells, 2))
    weighted = False
    for start in range(0, max(len(codes), 1), chunk_rows):
        rows = slice(start, start + chunk_rows)
        scores = respondent_scores(study, use_weight=use_weight, rows=rows)
        part = codes[rows]
        if not variables:
            variables = tuple(scores.values)
            moments = np.zeros((cells, len(variables), 7))
            weighted = scores.weights is not None
        w = scores.weights
        for j, name in enumerate(variables):
            moments[:, j] += _moments_by_cell(scores.values[name], w, part, cells)
            if _is_ranked(name):
                counts.setdefault(name, []).append(_value_counts(scores.values[name], part, cells))
        excluded = scores.excluded if scores.excluded is not None else False
        for name, block in _blocks(study.customers.iloc[rows], study.instrument, part, cells, excluded).items():
            blocks[name] = block if name not in blocks else CrossProducts(
                block.columns, blocks[name].n + block.n, blocks[name].sums + block.sums,
                blocks[name].products + block.products)
        wv = np.ones(len(part)) if w is None else w
        weight_sums += np.column_stack([np.bincount(part, weights=wv, minlength=cells),
                                        np.bincount(part, weights=wv * wv, minlength=cells)])
    histograms = {name: _histogram(parts) for name, parts in counts.items()}
    rows_per_cell = np.bincount(codes, minlength=cells).astype(float)
    return CellStats(keys, variables, moments, histograms, blocks, weighted, rows_per_cell, weight_sums)


def _blocks(frame: pd.DataFrame, inst: Instrument, codes: np.ndarray, cells: int,
            excluded: np.ndarray | bool) -> dict[str, CrossProducts]:
    """Item cross-products per dimension and level (E, P, gap) over complete rows, unweighted."""
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
            xc = np.where(complete[:, None], x, 0.0)
            weight = complete.astype(float)
            k = len(numbers)

            def total(values: np.ndarray) -> np.ndarray:
                return np.bincount(codes, weights=values, minlength=cells)

            products = np.zeros((cells, k, k))
            for i in range(k):
                for j in range(i, k):
                    products[:, i, j] = products[:, j, i] = total(xc[:, i] * xc[:, j])
            sums = np.column_stack([total(xc[:, i]) for i in range(k)])
            blocks[f"{level}:{dim}"] = CrossProducts(tuple(f"{level}{n}" for n in numbers), total(weight), sums,
                                                     products)
    return blocks
