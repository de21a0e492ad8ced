"""Sufficient statistics per segment cell, so that any filter is a sum over cells.

A *cell* is one combination of values of every segment column. For each cell and variable we keep
the moments of ``gapcore.stats`` (n, Σw, Σw², Σwx, Σwx², Σw²x, Σw²x²), counts of each distinct value
of the gap and perception variables (for Wilcoxon and Kruskal-Wallis), and, per dimension, the
cross-products of its items over complete rows (for Cronbach's alpha). A filter selects cells; its
statistics are sums over the selected cells, identical to computing on the filtered rows.

In detail: `CellStats`: moments, value histograms and item cross-products per segment cell, built 250,000
respondents at a time (each chunk is scored, summed into the cells and dropped), so memory does not grow with n
beyond the items themselves. Cell codes come from the segment categoricals' codes, not from the strings. When every
E and P answer is a whole number (stored `Int8`), each item's E, P and gap moments and value counts come from one
table of (cell, E answer, P answer) counts (`_item_tables`: one pass per item instead of one per variable and
statistic); `value_tables=False` scores items row by row, the reference the tests compare the tables with.
`cross_products=False` (the app) leaves alpha's item cross-products to `item_cross_products`, a second pass made
when reliability is first read (`analysis.Prepared.cross_products`), so the first chart after an upload does not
wait for them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gapcore.filters import rows_kept
from gapcore.instrument import Instrument
from gapcore.io.study import Study
from gapcore.scores import level_blocks, respondent_scores, respondent_weights

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
    blocks: Mapping[str, CrossProducts] | None  # "E:tangibles" → item cross-products; None: not built
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
                chunk_rows: int = CHUNK_ROWS, value_tables: bool = True, cross_products: bool = True) -> CellStats:
    """Sufficient statistics of every variable per cell of the study's segment columns.

    Respondents are scored chunk by chunk and each chunk's sums are added into the cells, so the
    result equals scoring everyone at once while memory holds only one chunk of scores. When every
    item is answered in whole numbers (``io.answers.Answers``) the item variables come from one
    table of (cell, E answer, P answer) counts per item instead of a pass per variable and statistic;
    ``value_tables=False`` scores every item row by row (the reference the tests compare with).
    ``cross_products=False`` leaves the item cross-products (alpha) to ``item_cross_products``, a
    second pass when reliability is first asked for: the first chart does not wait for them."""
    columns = list(study.segments if segments is None else segments)
    codes, keys = _cell_codes(study.customers[columns])
    cells = len(keys)
    answers = _whole_answers(study) if value_tables else None
    if answers is not None and cells * (answers.high - answers.low + 2) ** 2 > _MAX_DENSE:
        answers = None  # a wide scale in many cells: the tables would outgrow the rows they count
    sums: dict[str, np.ndarray] = {}
    counts: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    blocks: dict[str, CrossProducts] = {}
    weight_sums = np.zeros((cells, 2))
    weighted = False
    for rows, frame, (level_columns, level_arrays) in _chunks(study, len(codes), chunk_rows):
        scores = respondent_scores(study, use_weight=use_weight, rows=rows, items=answers is None,
                                   blocks=(level_columns, level_arrays))
        part = codes[rows]
        w = scores.weights
        weighted = w is not None
        excluded = scores.excluded if scores.excluded is not None else False
        chunk: dict[str, np.ndarray] = {}
        if answers is not None:
            chunk.update(_item_tables(frame, answers, part, cells, w, excluded, counts))
        for name, values in scores.values.items():
            chunk[name] = _moments_by_cell(values, w, part, cells)
            if _is_ranked(name):
                counts.setdefault(name, []).append(_value_counts(values, part, cells))
        for name, moments in chunk.items():
            sums[name] = sums[name] + moments if name in sums else moments
        if cross_products:
            _add_blocks(blocks, _blocks(level_columns, level_arrays, study.instrument, part, cells, excluded))
        wv = np.ones(len(part)) if w is None else w
        weight_sums += np.column_stack([np.bincount(part, weights=wv, minlength=cells),
                                        np.bincount(part, weights=wv * wv, minlength=cells)])
    variables = tuple(sums)  # the first chunk's order
    moments = np.stack([sums[name] for name in variables], axis=1) if variables else np.zeros((cells, 0, 7))
    histograms = {name: _histogram(parts) for name, parts in counts.items()}
    rows_per_cell = np.bincount(codes, minlength=cells).astype(float)
    return CellStats(keys, variables, moments, histograms, blocks if cross_products else None, weighted,
                     rows_per_cell, weight_sums)


def _chunks(study: Study, rows: int, chunk_rows: int) -> Iterator[tuple[slice, pd.DataFrame, tuple[
        dict[str, list[str]], dict[str, np.ndarray]]]]:
    """The customer rows a chunk at a time: (rows, their frame, their ``level_blocks``)."""
    for start in range(0, max(rows, 1), chunk_rows):
        part = slice(start, start + chunk_rows)
        frame = study.customers.iloc[part]
        yield part, frame, level_blocks(frame, study.instrument.numbers)


def item_cross_products(study: Study, cells: CellStats, *, chunk_rows: int = CHUNK_ROWS) -> dict[str, CrossProducts]:
    """The item cross-products of ``cells`` (built with ``cross_products=False``): the same sums as
    ``build_cells`` would have made, from a pass over the items alone."""
    codes, _ = _cell_codes(study.customers[list(cells.keys.columns)])
    blocks: dict[str, CrossProducts] = {}
    for rows, frame, (level_columns, level_arrays) in _chunks(study, len(codes), chunk_rows):
        _, excluded = respondent_weights(study, frame, use_weight=cells.weighted)
        _add_blocks(blocks, _blocks(level_columns, level_arrays, study.instrument, codes[rows], len(cells.keys),
                                    False if excluded is None else excluded))
    return blocks


def _add_blocks(total: dict[str, CrossProducts], chunk: Mapping[str, CrossProducts]) -> None:
    for name, block in chunk.items():
        total[name] = block if name not in total else CrossProducts(
            block.columns, total[name].n + block.n, total[name].sums + block.sums,
            total[name].products + block.products)


@dataclass(frozen=True)
class WholeAnswers:
    """The items counted from value tables: per item number its (E, P) columns (E is None in a
    perception-only study), and the range of the answers."""

    items: Mapping[int, tuple[str | None, str]]
    low: int
    high: int


def _whole_answers(study: Study) -> WholeAnswers | None:
    """The value-table plan when every E and P answer is stored as a whole number, else None."""
    paired = study.paired
    frame = study.customers
    items: dict[int, tuple[str | None, str]] = {}
    for k in study.instrument.numbers:
        e, p = f"E{k}", f"P{k}"
        if p in frame and (e in frame or not paired):
            items[k] = (e if paired else None, p)
    columns = [c for pair in items.values() for c in pair if c is not None]
    if not columns or any(not pd.api.types.is_integer_dtype(frame[c].dtype) for c in columns):
        return None
    lows = [frame[c].min() for c in columns]
    highs = [frame[c].max() for c in columns]
    answered = [(lo, hi) for lo, hi in zip(lows, highs, strict=True) if not pd.isna(lo)]
    if not answered:
        return None
    return WholeAnswers(items, int(min(lo for lo, _ in answered)), int(max(hi for _, hi in answered)))


def _codes(column: pd.Series, low: int, missing: int, excluded: np.ndarray | bool) -> np.ndarray:
    """Answers as 0..span−1 (answer − low), ``missing`` where unanswered or the respondent is left out."""
    values = column.to_numpy(dtype=np.int64, na_value=low + missing)
    out = values - low
    if isinstance(excluded, np.ndarray):
        out[excluded] = missing
    return out


def _table_moments(table: np.ndarray, weights1: np.ndarray, weights2: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Moments (cells × 7) of a variable taking value ``x[v]`` in bin v of per-cell tables of counts,
    Σw and Σw² (cells × bins)."""
    return np.column_stack([table.sum(axis=1), weights1.sum(axis=1), weights2.sum(axis=1), weights1 @ x,
                            weights1 @ (x * x), weights2 @ x, weights2 @ (x * x)])


def _item_tables(frame: pd.DataFrame, answers: WholeAnswers, codes: np.ndarray, cells: int, w: np.ndarray | None,
                 excluded: np.ndarray | bool,
                 counts: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]]) -> dict[str, np.ndarray]:
    """Moments of E:k, P:k and G:k (cells × 7) from one (cell, E, P) table per item, and their value
    counts appended to ``counts``. As in ``scores``, an item counts where both E and P are answered."""
    span = answers.high - answers.low + 1
    side = span + 1  # code ``span`` = unanswered
    value = np.arange(span) + answers.low
    e_value, p_value = np.repeat(value, span), np.tile(value, span)  # the (E, P) bins, E-major
    gap = np.arange(-(span - 1), span)  # P − E, in the order of its bins
    out: dict[str, np.ndarray] = {}
    for k, (e_column, p_column) in answers.items.items():
        p = _codes(frame[p_column], answers.low, span, excluded)
        if e_column is None:
            key, shape = codes * side + p, (side,)
        else:
            key = (codes * side + _codes(frame[e_column], answers.low, span, excluded)) * side + p
            shape = (side, side)
        size = cells * side ** len(shape)
        table = np.bincount(key, minlength=size).astype(float)
        w1 = table if w is None else np.bincount(key, weights=w, minlength=size)
        w2 = table if w is None else np.bincount(key, weights=w * w, minlength=size)
        if e_column is None:
            t, t1, t2 = (a.reshape(cells, side)[:, :span] for a in (table, w1, w2))
            out[f"P:{k}"] = _table_moments(t, t1, t2, value.astype(float))
            counts.setdefault(f"P:{k}", []).append(_table_counts(t, value))
            continue
        t, t1, t2 = (a.reshape(cells, side, side)[:, :span, :span].reshape(cells, span * span) for a in (table, w1, w2))
        out[f"E:{k}"] = _table_moments(t, t1, t2, e_value.astype(float))
        out[f"P:{k}"] = _table_moments(t, t1, t2, p_value.astype(float))
        out[f"G:{k}"] = _table_moments(t, t1, t2, (p_value - e_value).astype(float))
        by_p = t.reshape(cells, span, span).sum(axis=1)
        counts.setdefault(f"P:{k}", []).append(_table_counts(by_p, value))
        by_gap = np.zeros((cells, len(gap)))
        np.add.at(by_gap, (slice(None), p_value - e_value + span - 1), t)
        counts.setdefault(f"G:{k}", []).append(_table_counts(by_gap, gap))
    return out


def _table_counts(table: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(cell, value on the grid, count) of a cells × values table, as ``_value_counts`` gives them."""
    cell, index = np.nonzero(table)
    return cell.astype(np.int64), value[index].astype(np.int64) * GRID, table[cell, index].astype(np.int64)


def _blocks(columns: Mapping[str, list[str]], arrays: Mapping[str, np.ndarray], inst: Instrument, codes: np.ndarray,
            cells: int, excluded: np.ndarray | bool) -> dict[str, CrossProducts]:
    """Item cross-products per dimension and level (E, P, gap) over complete rows, unweighted, from the
    level blocks of ``scores.level_blocks`` (one float block per level, NaN = unanswered)."""
    blocks: dict[str, CrossProducts] = {}
    at = {level: {int(c[1:]): j for j, c in enumerate(cols)} for level, cols in columns.items() if level in arrays}

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=values, minlength=cells)

    for dim in inst.dimensions:
        numbers = inst.items_of(dim)
        for level in ("E", "P", "G"):
            sides = ("E", "P") if level == "G" else (level,)
            if not all(side in at and all(k in at[side] for k in numbers) for side in sides):
                continue
            picked = [arrays[side][:, [at[side][k] for k in numbers]] for side in sides]
            x = picked[1] - picked[0] if level == "G" else picked[0]
            complete = ~np.isnan(x).any(axis=1)
            if isinstance(excluded, np.ndarray):
                complete &= ~excluded
            xc = np.where(complete[:, None], x, 0.0)
            k = len(numbers)
            products = np.zeros((cells, k, k))
            for i in range(k):
                for j in range(i, k):
                    products[:, i, j] = products[:, j, i] = total(xc[:, i] * xc[:, j])
            sums = np.column_stack([total(xc[:, i]) for i in range(k)])
            blocks[f"{level}:{dim}"] = CrossProducts(tuple(f"{level}{n}" for n in numbers),
                                                     total(complete.astype(float)), sums, products)
    return blocks
