"""The analysis of one study under one filter: every table the pages, exports and CLI show.

``prepare`` computes respondent scores and per-cell sufficient statistics once per study (and weight
setting); ``analyze`` turns them into tables for any filter by adding up cells, so a segment switch
costs a few array sums. Every figure carries its n; gaps are P − E (negative = shortfall).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gapcore.cells import CellStats, build_cells
from gapcore.filters import Filters, normalize_filters
from gapcore.gaps import Chain, build_chains, provider_item_means
from gapcore.reliability import reliability_tables
from gapcore.stats import SUMMARY_FIELDS, Summary, no_variation, summarize_many, wilcoxon_from_counts
from gapcore.study import Study

QUADRANTS = {  # (high importance, high performance) → label
    (True, False): "concentrate_here",
    (True, True): "keep_up_the_good_work",
    (False, False): "low_priority",
    (False, True): "possible_overkill",
}


@dataclass(frozen=True)
class Prepared:
    """What ``analyze`` needs, computed once per study and weight setting."""

    study: Study
    cells: CellStats

    @property
    def weighted(self) -> bool:
        return self.cells.weighted


def prepare(study: Study, *, use_weight: bool = True) -> Prepared:
    return Prepared(study, build_cells(study, use_weight=use_weight))


@dataclass(frozen=True)
class Analysis:
    filters: Mapping[str, tuple[str, ...]]
    n: int
    n_eff: float
    weighted: bool
    min_cell: int
    suppressed: bool
    items: pd.DataFrame
    dimensions: pd.DataFrame
    overall: pd.DataFrame
    zone: pd.DataFrame
    reliability: pd.DataFrame
    reliability_items: pd.DataFrame
    importance_performance: pd.DataFrame
    chain: Chain | None
    chain_by_dimension: Mapping[str, Chain] = field(default_factory=dict)
    chain_by_item: Mapping[int, Chain] = field(default_factory=dict)
    provider_n: Mapping[str, int] = field(default_factory=dict)


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


def _measure_table(prepared: Prepared, mask: np.ndarray, total: _Summaries, keys: Sequence[object],
                   key_name: str, min_cell: int) -> pd.DataFrame:
    cells = prepared.cells
    rows = []
    for key in keys:
        e = total.get(f"E:{key}")
        p = total.get(f"P:{key}")
        g = total.get(f"G:{key}")
        base = g if g is not None else p
        row: dict[str, object] = {key_name: key}
        row["E"] = e.mean if e else np.nan
        row["P"] = p.mean if p else np.nan
        row["gap"] = g.mean if g else np.nan
        row.update({k: v for k, v in _row(base).items() if k != "mean"})
        flat = no_variation(base)
        row["wilcoxon_p"] = _wilcoxon(cells, mask, f"G:{key}") if g is not None and not flat else np.nan
        row["effect_size"] = (g.mean / g.sd) if g is not None and g.sd and g.sd > 0 else np.nan
        row["no_variation"] = flat
        row["suppressed"] = bool(base is None or base.n < min_cell)
        rows.append(row)
    frame = pd.DataFrame(rows)
    numeric = [c for c in frame.columns if c not in (key_name, "suppressed", "no_variation")]
    frame.loc[frame["suppressed"], numeric] = np.nan
    return frame


def analyze(prepared: Prepared, filters: Filters | None = None, *, min_cell: int = 5, level: float = 0.95,
            ipa_grid: str = "mean", derived_importance: Mapping[str, float] | None = None) -> Analysis:
    """All tables for the respondents kept by ``filters`` (segment column → allowed values)."""
    study = prepared.study
    cells = prepared.cells
    clean = normalize_filters(study, filters)
    mask = cells.mask(clean)
    total = _Summaries(cells, cells.total(mask), level)
    inst = study.instrument
    n = int(cells.rows[mask].sum())
    w, w2 = cells.weight_sums[mask].sum(axis=0)
    n_eff = float(w * w / w2) if w2 > 0 else 0.0
    suppressed = n < min_cell

    dims = _measure_table(prepared, mask, total, inst.dimensions, "dimension", min_cell)
    items = _measure_table(prepared, mask, total, inst.numbers, "item", min_cell)
    items.insert(1, "dimension_of", [inst.dimension_of(k) for k in inst.numbers])
    items = items.rename(columns={"dimension_of": "dimension"})
    if suppressed:
        dims = dims.iloc[0:0]
        items = items.iloc[0:0]

    blocks = {}
    for name, block in cells.blocks.items():
        blocks[name] = (block.columns, float(block.n[mask].sum()), block.sums[mask].sum(axis=0),
                        block.products[mask].sum(axis=0))
    reliability, reliability_items = reliability_tables(blocks)
    reliability = reliability[reliability["n"] >= min_cell].reset_index(drop=True)
    if not dims.empty:
        for measure in ("E", "P"):
            alphas = reliability[reliability["measure"] == measure].set_index("dimension")["alpha"]
            dims[f"alpha_{measure}"] = dims["dimension"].map(alphas)

    overall = _overall(total, dims, min_cell) if not suppressed else pd.DataFrame(
        columns=["measure", "value", "ci_low", "ci_high", "n"])
    zone = _zone(total, inst, min_cell) if not suppressed else pd.DataFrame()
    ipa = _importance_performance(cells, total, inst, dims, study, ipa_grid, derived_importance) \
        if not suppressed else pd.DataFrame()

    chain, by_dim, by_item = (None, {}, {})
    provider_n: dict[str, int] = {}
    if not suppressed and not dims.empty:
        provider_means, scope, provider_n = provider_item_means(study, clean)
        chain, by_dim, by_item = build_chains(inst, items.set_index("item")[["E", "P"]],
                                              dims.set_index("dimension")[["E", "P"]], provider_means, scope)
    return Analysis(clean, n, n_eff, prepared.weighted, min_cell, suppressed, items, dims, overall, zone,
                    reliability, reliability_items, ipa, chain, by_dim, by_item, provider_n)


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
    return pd.DataFrame(rows, columns=["measure", "value", "ci_low", "ci_high", "n"])


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
    return pd.DataFrame(rows, columns=["level", "key", "A", "E", "P", "MSA", "MSS", "zone"])


def _importance_performance(cells: CellStats, total: _Summaries, inst, dims: pd.DataFrame, study: Study,
                            grid: str, derived: Mapping[str, float] | None) -> pd.DataFrame:
    """Importance against perception per dimension, with the four quadrants (grid at the means, or the
    perception grid at the scale midpoint)."""
    columns = ["dimension", "importance", "performance", "quadrant", "source"]
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
