"""The analysis of one study under one filter: every table the pages, exports and CLI show.

``prepare`` computes respondent scores and per-cell sufficient statistics once per study (and weight
setting); ``analyze`` turns them into tables for any filter by adding up cells, so a segment switch
costs a few array sums. Every figure carries its n; gaps are P − E (negative = shortfall).

In detail: `prepare` (cells once per study and weight setting) and `analyze`: a lazy `Analysis` for one filter
whose tables (dimensions, items, overall, zone, reliability, importance-performance, chains — columns documented on
the class) are computed when first read, so a page that needs only the dimension means pays only for those;
suppression under the minimum cell size. A perception-only study's `dimensions` and `items` carry none of
`PAIRED_ONLY_COLUMNS` (no E, gap, t, p, Wilcoxon, effect size: its CI is that of P and nothing is tested against
zero); `outcomes` gives each outcome's mean (a yes/no retention's rate) with its CI. `by_segment_value` (each value
of one segment column, the other filters kept), `company_beside` (the company those values are set against: the
analysis under the other filters), `step_by_value` (one chain step in each value), `importance_performance` (stated
importance, else derived from a driver model).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from gapcore.cells import CellStats, CrossProducts, build_cells, item_cross_products
from gapcore.defaults import CONFIDENCE, MIN_CELL
from gapcore.errors import GapcoreError
from gapcore.filters import Filters, normalize_filters, segment_values
from gapcore.gaps import Chain, ProviderTable, build_chains, provider_item_means, provider_tables
from gapcore.io.study import Study
from gapcore.reliability import reliability_tables
from gapcore.stats import SUMMARY_FIELDS, Summary, no_variation, summarize_many, wilcoxon_from_counts

QUADRANTS = {  # (high importance, high performance) → label
    (True, False): "concentrate_here",
    (True, True): "keep_up_the_good_work",
    (False, False): "low_priority",
    (False, True): "possible_overkill",
}
OVERALL_COLUMNS = ("measure", "value", "ci_low", "ci_high", "n")
ZONE_COLUMNS = ("level", "key", "A", "E", "P", "MSA", "MSS", "zone")
IPA_COLUMNS = ("dimension", "importance", "performance", "quadrant", "source")
OUTCOME_COLUMNS = ("outcome", "kind", "mean", "ci_low", "ci_high", "n")


@dataclass(frozen=True)
class Prepared:
    """What ``analyze`` needs, computed once per study and weight setting."""

    study: Study
    cells: CellStats
    providers: tuple[ProviderTable, ...]  # read once here; chains of every filter use them

    @property
    def weighted(self) -> bool:
        return self.cells.weighted

    @cached_property
    def cross_products(self) -> Mapping[str, CrossProducts]:
        """Item cross-products per cell (alpha): built with the cells, or on first use when they were not."""
        return self.cells.blocks if self.cells.blocks is not None else item_cross_products(self.study, self.cells)


def prepare(study: Study, *, use_weight: bool = True, cross_products: bool = True) -> Prepared:
    """Cells (and provider tables) for ``analyze``. ``cross_products=False``: alpha's item
    cross-products wait until reliability is first asked for (the app: the first chart comes sooner)."""
    if study.respondents is not None:  # its rows stay in the engine (gapcore.connected): never cells of no rows
        raise GapcoreError("study_rows_elsewhere")
    return Prepared(study, build_cells(study, use_weight=use_weight, cross_products=cross_products),
                    provider_tables(study))


@dataclass(frozen=True)
class Analysis:
    """Every table for the respondents one filter keeps, each computed when first asked for.

    Building an ``Analysis`` costs a sum over the selected cells (``n``, ``n_eff``, ``suppressed``); a
    page that reads only ``dimensions`` never pays for reliability, zones or chains. Tables are empty
    (with their columns) when the selection is held back (``suppressed``: fewer than ``min_cell``).

    Tables, one row per …:
    - ``dimensions`` — dimension: ``dimension, E, P, gap`` (P − E), ``n, sd, se, ci_low, ci_high`` of the
      gap (of P without expectations), ``wilcoxon_p`` (signed-rank, gap ≠ 0), ``effect_size`` (gap / sd),
      ``no_variation``, ``suppressed``, ``alpha_E, alpha_P`` (Cronbach); a perception-only study's has
      none of ``PAIRED_ONLY_COLUMNS`` (its CI is that of P, and nothing is tested: nothing is compared);
    - ``items`` — item: ``item, dimension`` and the same measures;
    - ``outcomes`` — outcome: ``outcome, kind`` (``rate`` for yes/no retention, else ``mean``),
      ``mean, ci_low, ci_high, n``;
    - ``overall`` — measure (``unweighted`` SERVQUAL, ``weighted`` by importance points, ``servperf``):
      ``measure, value, ci_low, ci_high, n``;
    - ``zone`` — dimension or item with adequate answers: ``level, key, A, E, P, MSA, MSS, zone``;
    - ``reliability`` — dimension × measure: alpha and its n; ``reliability_items`` — item-rest r and
      alpha if the item were deleted;
    - ``importance_performance`` — dimension: ``importance, performance, quadrant, source`` (grid in
      ``.attrs["grid"]``);
    - ``chain`` (company-wide E → M → S → D → P), ``chain_by_dimension``, ``chain_by_item``, and
      ``provider_n`` (rows of each provider table used).
    """

    prepared: Prepared = field(repr=False)
    filters: Mapping[str, tuple[str, ...]]
    min_cell: int
    level: float = CONFIDENCE
    ipa_grid: str = "mean"

    def __repr__(self) -> str:
        kept = ", ".join(f"{c} = {' / '.join(v)}" for c, v in self.filters.items()) or "everyone"
        held = "; held back: fewer than the minimum cell" if self.suppressed else ""
        return f"Analysis(n={self.n:,} of {self.prepared.study.n:,}, {kept}, min cell {self.min_cell}{held})"

    def _repr_html_(self) -> str:
        """A notebook's view: the summary line and the dimension table."""
        from html import escape

        return f"<p>{escape(repr(self))}</p>{self.dimensions.to_html(index=False, float_format='{:.3f}'.format)}"

    @cached_property
    def mask(self) -> np.ndarray:
        """The segment cells this filter keeps."""
        return self.prepared.cells.mask(self.filters)

    @cached_property
    def n(self) -> int:
        return int(self.prepared.cells.rows[self.mask].sum())

    @cached_property
    def n_eff(self) -> float:
        """Kish's effective sample size (equals ``n`` without weights)."""
        w, w2 = self.prepared.cells.weight_sums[self.mask].sum(axis=0)
        return float(w * w / w2) if w2 > 0 else 0.0

    @property
    def weighted(self) -> bool:
        return self.prepared.weighted

    @property
    def suppressed(self) -> bool:
        return self.n < self.min_cell

    @cached_property
    def _total(self) -> _Summaries:
        cells = self.prepared.cells
        return _Summaries(cells, cells.total(self.mask), self.level)

    @cached_property
    def _reliability_pair(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        mask = self.mask
        blocks = {name: (block.columns, float(block.n[mask].sum()), block.sums[mask].sum(axis=0),
                         block.products[mask].sum(axis=0)) for name, block in self.prepared.cross_products.items()}
        table, by_item = reliability_tables(blocks)
        return table[table["n"] >= self.min_cell].reset_index(drop=True), by_item

    @property
    def reliability(self) -> pd.DataFrame:
        return self._reliability_pair[0]

    @property
    def reliability_items(self) -> pd.DataFrame:
        return self._reliability_pair[1]

    @cached_property
    def _dimension_measures(self) -> pd.DataFrame:
        inst = self.prepared.study.instrument
        dims = _measure_table(self.prepared, self.mask, self._total, inst.dimensions, "dimension", self.min_cell)
        return _design_columns(self.prepared.study, dims.iloc[0:0] if self.suppressed else dims)

    @cached_property
    def dimensions(self) -> pd.DataFrame:
        dims = self._dimension_measures.copy()
        if dims.empty:
            return dims
        reliability = self.reliability
        alpha = {(m, d): a for m, d, a in zip(reliability["measure"].tolist(), reliability["dimension"].tolist(),
                                              reliability["alpha"].tolist(), strict=True)}
        for measure in ("P",) if self.prepared.study.perception_only else ("E", "P"):
            dims[f"alpha_{measure}"] = [alpha.get((measure, d), np.nan) for d in dims["dimension"].tolist()]
        return dims

    @cached_property
    def items(self) -> pd.DataFrame:
        inst = self.prepared.study.instrument
        items = _measure_table(self.prepared, self.mask, self._total, inst.numbers, "item", self.min_cell)
        items.insert(1, "dimension_of", [inst.dimension_of(k) for k in inst.numbers])
        items = items.rename(columns={"dimension_of": "dimension"})
        return _design_columns(self.prepared.study, items.iloc[0:0] if self.suppressed else items)

    @cached_property
    def outcomes(self) -> pd.DataFrame:
        """Each outcome's mean (a binary retention's rate) with its CI: what the dimensions are set beside."""
        if self.suppressed:
            return pd.DataFrame(columns=list(OUTCOME_COLUMNS))
        study = self.prepared.study
        return _outcome_means(self._total, study.outcomes, study.retention_kind, self.min_cell)

    @cached_property
    def overall(self) -> pd.DataFrame:
        if self.suppressed:
            return pd.DataFrame(columns=list(OVERALL_COLUMNS))
        return _overall(self._total, self.dimensions, self.min_cell)

    @cached_property
    def zone(self) -> pd.DataFrame:
        if self.suppressed:
            return pd.DataFrame(columns=list(ZONE_COLUMNS))
        return _zone(self._total, self.prepared.study.instrument, self.min_cell)

    @cached_property
    def importance_performance(self) -> pd.DataFrame:
        if self.suppressed:
            return pd.DataFrame(columns=list(IPA_COLUMNS))
        return _importance_performance(self, None)

    @cached_property
    def _chains(self) -> tuple[Chain | None, Mapping[str, Chain], Mapping[int, Chain], Mapping[str, int]]:
        inst = self.prepared.study.instrument
        if self.suppressed or not inst.dimensions:
            return None, {}, {}, {}
        provider_means, scope, provider_n = provider_item_means(self.prepared.providers, self.filters)
        chain, by_dim, by_item = build_chains(inst, _level_means(self._total, inst.numbers, self.min_cell),
                                              _level_means(self._total, inst.dimensions, self.min_cell),
                                              provider_means, scope)
        return chain, by_dim, by_item, provider_n

    @property
    def chain(self) -> Chain | None:
        return self._chains[0]

    @property
    def chain_by_dimension(self) -> Mapping[str, Chain]:
        return self._chains[1]

    @property
    def chain_by_item(self) -> Mapping[int, Chain]:
        return self._chains[2]

    @property
    def provider_n(self) -> Mapping[str, int]:
        return self._chains[3]


class _Summaries:
    """Summaries of every variable for one filter, computed in one vectorised pass."""

    def __init__(self, cells: CellStats, total: np.ndarray, level: float) -> None:
        self.position = {name: j for j, name in enumerate(cells.variables)}
        self.fields = summarize_many(total, level=level)

    def get(self, name: str) -> Summary | None:
        j = self.position.get(name)
        if j is None:
            return None
        return Summary(int(self.fields["n"][j]), *(float(self.fields[f][j]) for f in SUMMARY_FIELDS[1:]))



def _wilcoxon(cells: CellStats, mask: np.ndarray, name: str) -> float:
    hist = cells.histograms.get(name)
    if hist is None:
        return float("nan")
    return wilcoxon_from_counts(hist.values, hist.counts(mask))[1]


def _row(summary: Summary | None, prefix: str = "") -> dict[str, float]:
    if summary is None:
        return {f"{prefix}{c}": np.nan for c in SUMMARY_FIELDS}
    return {f"{prefix}{c}": getattr(summary, c) for c in SUMMARY_FIELDS}


def _base_summary(total: _Summaries, key: object) -> Summary | None:
    """The summary a key's n, spread and tests are read from: its gaps, or its perceptions when the study
    has no expectations."""
    g = total.get(f"G:{key}")
    return g if g is not None else total.get(f"P:{key}")


def _held_back(base: Summary | None, min_cell: int) -> bool:
    """No figure for fewer respondents than the minimum cell size."""
    return bool(base is None or base.n < min_cell)


def _level_means(total: _Summaries, keys: Sequence[object], min_cell: int) -> pd.DataFrame:
    """E and P means of each key (item number or dimension), NaN where held back: what the gap chain reads,
    the same figures as ``_measure_table``'s without its tests."""
    rows = {}
    for key in keys:
        e, p = total.get(f"E:{key}"), total.get(f"P:{key}")
        held = _held_back(_base_summary(total, key), min_cell)
        rows[key] = (np.nan if held or e is None else e.mean, np.nan if held or p is None else p.mean)
    return pd.DataFrame.from_dict(rows, orient="index", columns=["E", "P"])


def _measure_table(prepared: Prepared, mask: np.ndarray, total: _Summaries, keys: Sequence[object],
                   key_name: str, min_cell: int) -> pd.DataFrame:
    cells = prepared.cells
    rows = []
    for key in keys:
        e = total.get(f"E:{key}")
        p = total.get(f"P:{key}")
        g = total.get(f"G:{key}")
        base = _base_summary(total, key)
        row: dict[str, object] = {key_name: key}
        row["E"] = e.mean if e else np.nan
        row["P"] = p.mean if p else np.nan
        row["gap"] = g.mean if g else np.nan
        row.update({k: v for k, v in _row(base).items() if k != "mean"})
        flat = no_variation(base)
        row["wilcoxon_p"] = _wilcoxon(cells, mask, f"G:{key}") if g is not None and not flat else np.nan
        row["effect_size"] = (g.mean / g.sd) if g is not None and g.sd and g.sd > 0 else np.nan
        suppressed = _held_back(base, min_cell)
        if suppressed:
            row = {k: (v if k == key_name else np.nan) for k, v in row.items()}
        row["no_variation"] = flat
        row["suppressed"] = suppressed
        rows.append(row)
    return pd.DataFrame(rows)


#: The columns of the customer measures that exist only where expectations were asked: a perception-only
#: study's tables have none of them (no E, no gap, and no test where nothing is compared).
PAIRED_ONLY_COLUMNS = ("E", "gap", "t", "p_value", "wilcoxon_p", "effect_size", "alpha_E")


def _design_columns(study: Study, table: pd.DataFrame) -> pd.DataFrame:
    """A measures table as the study's design has it: a perception-only study's without the paired columns."""
    if not study.perception_only:
        return table
    return table.drop(columns=[c for c in PAIRED_ONLY_COLUMNS if c in table.columns])


def _outcome_means(total: _Summaries, outcomes: Sequence[str], retention_kind: str | None,
                   min_cell: int) -> pd.DataFrame:
    """Mean and CI of each outcome (``kind``: ``rate`` for a yes/no retention, else ``mean``)."""
    rows = []
    for outcome in outcomes:
        s = total.get(f"Y:{outcome}")
        if s is None or s.n < min_cell:
            continue
        kind = "rate" if outcome == "retention" and retention_kind == "binary" else "mean"
        rows.append({"outcome": outcome, "kind": kind, "mean": s.mean, "ci_low": s.ci_low, "ci_high": s.ci_high,
                     "n": s.n})
    return pd.DataFrame(rows, columns=list(OUTCOME_COLUMNS))


def analyze(prepared: Prepared, filters: Filters | None = None, *, min_cell: int = MIN_CELL, level: float = CONFIDENCE,
            ipa_grid: str = "mean") -> Analysis:
    """The analysis of the respondents kept by ``filters`` (segment column → allowed values); an unknown
    column or value is a user error. Tables are computed when first read."""
    clean = normalize_filters(prepared.study, filters)
    return Analysis(prepared, clean, min_cell, level, ipa_grid)


def by_segment_value(prepared: Prepared, column: str, filters: Filters | None = None, *, min_cell: int = MIN_CELL,
                     values: Sequence[str] | None = None) -> dict[str, Analysis]:
    """The analysis of each value of one segment column (all its values, or ``values``), the other filters
    kept: what a page compares side by side. Each is lazy, so reading only ``dimensions`` costs only that."""
    base = {k: v for k, v in normalize_filters(prepared.study, filters).items() if k != column}
    chosen = segment_values(prepared.study, column) if values is None else values
    return {str(v): analyze(prepared, {**base, column: [v]}, min_cell=min_cell) for v in chosen}


def company_beside(prepared: Prepared, column: str, filters: Filters | None = None, *, min_cell: int = MIN_CELL,
                   analysis: Analysis | None = None) -> Analysis:
    """The whole company that each value of ``column`` is set against: the analysis under the other filters,
    as ``by_segment_value`` keeps them (``analysis``, the one under every filter, when ``column`` is not one)."""
    clean = normalize_filters(prepared.study, filters)
    if column not in clean and analysis is not None:
        return analysis
    return analyze(prepared, {k: v for k, v in clean.items() if k != column}, min_cell=min_cell)


def step_by_value(by_value: Mapping[str, Analysis], step: str) -> dict[str, float]:
    """The size of one step of the gap chain (``"gap1"``, ``"gap2+3"``, …) in each value that shows it."""
    found = {}
    for value, analysis in by_value.items():
        chain = None if analysis.suppressed else analysis.chain
        match = next((s for s in chain.steps if s.name == step), None) if chain is not None else None
        if match is not None:
            found[value] = match.value
    return found


def importance_performance(analysis: Analysis, derived_importance: Mapping[str, float] | None = None
                           ) -> pd.DataFrame:
    """The importance–performance table: stated importance when the study asked for it, else importance
    derived from a driver model (``drivers.derived_importance``) when one is given, else empty."""
    table = analysis.importance_performance
    if not table.empty or not derived_importance or analysis.suppressed:
        return table
    return _importance_performance(analysis, derived_importance)


def _overall(total: _Summaries, dims: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Unweighted SERVQUAL (mean of dimension gaps), weighted SERVQUAL, SERVPERF (mean of dimension P).

    The unweighted and SERVPERF values are the means of the dimension figures; their CI half-width
    comes from the respondents with every dimension scored (``SQ:overall``/``PF:overall``).
    """
    rows = []
    for measure, variable, column in (("unweighted", "SQ:overall", "gap"), ("weighted", "WSQ:overall", None),
                                      ("servperf", "PF:overall", "P")):
        s = total.get(variable)
        if s is None or s.n < min_cell:
            continue
        if column is None:
            value, low, high = s.mean, s.ci_low, s.ci_high
        else:
            value = float(dims[column].mean())
            half = (s.ci_high - s.ci_low) / 2
            low, high = value - half, value + half
        rows.append({"measure": measure, "value": value, "ci_low": low, "ci_high": high, "n": s.n})
    return pd.DataFrame(rows, columns=list(OVERALL_COLUMNS))


def _zone(total: _Summaries, inst, min_cell: int) -> pd.DataFrame:
    """Zone of tolerance: adequate (A) to desired (E); MSA = P − A, MSS = P − E; where P falls."""
    rows = []
    for kind, keys in (("dimension", inst.dimensions), ("item", inst.numbers)):
        for key in keys:
            a = total.get(f"A:{key}")
            e = total.get(f"E:{key}")
            p = total.get(f"P:{key}")
            msa = total.get(f"MSA:{key}")
            g = total.get(f"G:{key}")
            if a is None or e is None or p is None or a.n < min_cell or e.n < min_cell:
                continue
            position = "below" if p.mean < a.mean else ("above" if p.mean > e.mean else "inside")
            rows.append({"level": kind, "key": key, "A": a.mean, "E": e.mean, "P": p.mean,
                         "MSA": msa.mean if msa else np.nan, "MSS": g.mean if g else np.nan, "zone": position})
    return pd.DataFrame(rows, columns=list(ZONE_COLUMNS))


def _importance_performance(analysis: Analysis, derived: Mapping[str, float] | None) -> pd.DataFrame:
    """Importance against perception per dimension, with the four quadrants (grid at the means, or the
    perception grid at the scale midpoint)."""
    cells, total, dims = analysis.prepared.cells, analysis._total, analysis.dimensions
    study = analysis.prepared.study
    inst, grid = study.instrument, analysis.ipa_grid
    columns = list(IPA_COLUMNS)
    dimensions = list(inst.dimensions)
    if derived:
        importance, source = dict(derived), "derived"
    elif all(f"W:{d}" in cells.variables for d in dimensions):
        importance = {d: total.get(f"W:{d}").mean for d in dimensions}
        source = "stated_points"
    elif all(f"I:{d}" in cells.variables for d in dimensions):
        importance = {d: total.get(f"I:{d}").mean for d in dimensions}
        source = "stated_items"
    else:
        return pd.DataFrame(columns=columns)
    if dims.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame({"dimension": dimensions,
                          "importance": [importance.get(d, np.nan) for d in dimensions],
                          "performance": dims.set_index("dimension").loc[dimensions, "P"].to_numpy()})
    imp_cut = float(frame["importance"].mean())
    perf_cut = float(frame["performance"].mean()) if grid == "mean" else study.scale.midpoint
    frame["quadrant"] = [QUADRANTS[(bool(i >= imp_cut), bool(p >= perf_cut))]
                         for i, p in zip(frame["importance"], frame["performance"], strict=True)]
    frame["source"] = source
    frame.attrs["grid"] = {"importance": imp_cut, "performance": perf_cut}
    return frame
