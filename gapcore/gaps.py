"""The gap chain E → M → S → D → P and its steps, gaps 1–4, with gap 5 as the total.

Each gap is one step of the chain (gap 1 = M − E, gap 2 = S − M, gap 3 = D − S, gap 4 = P − D), so
gap 5 = P − E = gap 1 + gap 2 + gap 3 + gap 4 exactly. A missing level is never invented: the steps
around it merge into one, labelled as merged (no standards table: "gap2+3" from M to D). Gap 4 is also
measured as the promise check D − C where a communications table exists.

Provider tables are linked to customer segments through shared columns: a filter on ``branch`` keeps
the management rows of that branch when the management table has a ``branch`` column, and counts the
table company-wide (and says so) when it does not.

In detail: the chain E → M → S → D → P, merged steps, promise check (`Chain.worst_step`: the one definition of the
largest shortfall); the company's chain averages the dimensions the study measured (a dimension none of whose items
were asked has no chain); `ProviderTable` (a provider table's answers and linking columns, read once per study by
`prepare`) and `provider_item_means` linking provider tables to segments; `linked_segments`.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gapcore.filters import kept
from gapcore.instrument import Instrument
from gapcore.io.study import Study

LEVELS = ("E", "M", "S", "D", "P")
PROVIDER_OF_LEVEL = {"M": "management", "S": "standards", "D": "delivery", "C": "communications"}


@dataclass(frozen=True)
class ChainStep:
    name: str  # "gap1" … "gap4", or "gap2+3" for a merged step
    start: str
    end: str
    value: float
    merged: bool

    @property
    def missing_tables(self) -> tuple[str, ...]:
        """The provider tables whose levels lie inside this step: adding them tells its gaps apart."""
        inside = LEVELS[LEVELS.index(self.start) + 1:LEVELS.index(self.end)]
        return tuple(PROVIDER_OF_LEVEL[level] for level in inside)


@dataclass(frozen=True)
class Chain:
    levels: Mapping[str, float | None]
    steps: tuple[ChainStep, ...]
    gap4_promise: float | None = None  # D − C
    scope: Mapping[str, str] = field(default_factory=dict)  # table → "all" | "segment" | "company" | "empty"

    @property
    def gap5(self) -> float | None:
        e, p = self.levels.get("E"), self.levels.get("P")
        return None if e is None or p is None else p - e

    @property
    def worst_step(self) -> ChainStep:
        """The step with the largest shortfall (the most negative): the one definition every view uses."""
        return min(self.steps, key=lambda s: s.value)

    @property
    def measured_steps(self) -> tuple[ChainStep, ...]:
        """The steps measured on their own. None with customer answers alone: gap 5 is then the one gap
        the data measures, and the single step E → P says nothing about where it comes from."""
        return tuple(s for s in self.steps if not s.merged)

    @property
    def missing_tables(self) -> tuple[str, ...]:
        """Provider tables this chain has no level from, in chain order (communications: no promise check)."""
        missing = [PROVIDER_OF_LEVEL[level] for level in ("M", "S", "D") if self.levels.get(level) is None]
        return (*missing, *(("communications",) if self.gap4_promise is None else ()))


def chain_from_levels(levels: Mapping[str, float | None], *, promise: float | None = None,
                      scope: Mapping[str, str] | None = None) -> Chain:
    """Steps between the levels that exist, in chain order; missing levels merge their neighbours."""
    present = [lv for lv in LEVELS if levels.get(lv) is not None and not np.isnan(levels[lv])]
    steps = []
    for start, end in itertools.pairwise(present):
        first = LEVELS.index(start) + 1
        last = LEVELS.index(end)
        numbers = list(range(first, last + 1))
        name = "gap" + "+".join(str(n) for n in numbers)
        steps.append(ChainStep(name, start, end, float(levels[end] - levels[start]), len(numbers) > 1))
    clean = {lv: (None if levels.get(lv) is None or np.isnan(levels[lv]) else float(levels[lv])) for lv in LEVELS}
    return Chain(clean, tuple(steps), promise, dict(scope or {}))


@dataclass(frozen=True)
class ProviderTable:
    """One provider table as the chains read it, prepared once per study: the item answers of its level
    as a float array and its columns as text (for linking to customer segments)."""

    name: str
    level: str
    numbers: tuple[int, ...]
    answers: np.ndarray = field(repr=False)  # rows × numbers
    columns: Mapping[str, np.ndarray] = field(repr=False)  # column → values as text

    def rows_kept(self, filters: Mapping[str, Sequence[str]]) -> tuple[np.ndarray | None, str]:
        """Rows matching the customer filter on the columns the table shares (``None``: all rows), and how
        the table was linked: ``all`` (no filter), ``company`` (no shared column), ``segment`` or ``empty``."""
        if not filters:
            return None, "all"
        shared = [c for c in filters if c in self.columns]
        if not shared:
            return None, "company"
        keep = np.ones(len(self.answers), dtype=bool)
        for column in shared:
            keep &= kept(self.columns[column], filters[column])
        return keep, ("segment" if keep.any() else "empty")


def provider_tables(study: Study) -> tuple[ProviderTable, ...]:
    """The study's provider tables, read once for every chain computed from them."""
    tables = []
    for level, table_name in PROVIDER_OF_LEVEL.items():
        table = study.providers.get(table_name)
        if table is None:
            continue
        numbers = tuple(k for k in study.instrument.numbers if f"{level}{k}" in table.columns)
        answers = table[[f"{level}{k}" for k in numbers]].to_numpy(dtype=float)
        other = [c for c in table.columns if not (isinstance(c, str) and c[:1] == level and c[1:].isdigit())]
        columns = {c: table[c].astype(str).to_numpy(dtype=object) for c in other}
        tables.append(ProviderTable(table_name, level, numbers, answers, columns))
    return tuple(tables)


def provider_item_means(tables: Sequence[ProviderTable], filters: Mapping[str, Sequence[str]]
                        ) -> tuple[dict[str, dict[int, float]], dict[str, str], dict[str, int]]:
    """Per provider level (M, S, D, C): item number → mean over the linked rows; scope and n per table."""
    means: dict[str, dict[int, float]] = {}
    scope: dict[str, str] = {}
    counts: dict[str, int] = {}
    for table in tables:
        keep, scope[table.name] = table.rows_kept(filters)
        block = table.answers if keep is None else table.answers[keep]
        counts[table.name] = len(block)
        answered = (~np.isnan(block)).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            column_means = np.nansum(block, axis=0) / answered
        item_means = {k: float(m) for k, m, a in zip(table.numbers, column_means, answered, strict=True) if a > 0}
        if item_means:
            means[table.level] = item_means
    return means, scope, counts


def dimension_level(item_means: Mapping[int, float], instrument: Instrument, dimension: str) -> float | None:
    """Provider level of a dimension: the mean of its item means (items the table has)."""
    values = [item_means[k] for k in instrument.items_of(dimension) if k in item_means]
    return float(np.mean(values)) if values else None


def build_chains(instrument: Instrument, customer_items: pd.DataFrame, customer_dims: pd.DataFrame,
                 provider_means: Mapping[str, Mapping[int, float]], scope: Mapping[str, str]
                 ) -> tuple[Chain | None, dict[str, Chain], dict[int, Chain]]:
    """Overall, per-dimension and per-item chains. ``customer_*`` frames are indexed by dimension / item
    and carry columns ``E`` and ``P``; no chain without both. A dimension without both (none of its items
    asked, or held back) has no chain and stays out of the overall one, which averages the others."""
    if customer_dims.empty or "E" not in customer_dims or customer_dims["E"].isna().all():
        return None, {}, {}

    def promise(levels: Mapping[str, float | None], c: float | None) -> float | None:
        d = levels.get("D")
        return None if d is None or c is None else float(d - c)

    item_e, item_p = customer_items["E"].to_dict(), customer_items["P"].to_dict()
    dim_e, dim_p = customer_dims["E"].to_dict(), customer_dims["P"].to_dict()
    by_item: dict[int, Chain] = {}
    for number in customer_items.index:
        levels = {"E": item_e[number], "P": item_p[number]}
        for level in ("M", "S", "D"):
            levels[level] = provider_means.get(level, {}).get(number)
        c = provider_means.get("C", {}).get(number)
        by_item[int(number)] = chain_from_levels(levels, promise=promise(levels, c), scope=scope)
    by_dim: dict[str, Chain] = {}
    for dim in customer_dims.index:
        levels = {"E": dim_e[dim], "P": dim_p[dim]}
        for level in ("M", "S", "D"):
            levels[level] = dimension_level(provider_means.get(level, {}), instrument, dim)
        c = dimension_level(provider_means.get("C", {}), instrument, dim)
        chain = chain_from_levels(levels, promise=promise(levels, c), scope=scope)
        if chain.levels["E"] is not None and chain.levels["P"] is not None:  # a dimension the study measures
            by_dim[dim] = chain
    overall_levels: dict[str, float | None] = {}
    for level in LEVELS:
        values = [ch.levels.get(level) for ch in by_dim.values()]
        overall_levels[level] = None if any(v is None for v in values) or not values else float(np.mean(values))
    promises = [ch.gap4_promise for ch in by_dim.values()]
    overall_promise = None if any(p is None for p in promises) or not promises else float(np.mean(promises))
    return chain_from_levels(overall_levels, promise=overall_promise, scope=scope), by_dim, by_item


def chain_as_dict(chain: Chain | None) -> dict[str, object] | None:
    if chain is None:
        return None
    return {
        "levels": dict(chain.levels),
        "steps": [{"name": s.name, "from": s.start, "to": s.end, "value": s.value, "merged": s.merged}
                  for s in chain.steps],
        "gap5": chain.gap5,
        "gap4_promise": chain.gap4_promise,
        "scope": dict(chain.scope),
    }


def linked_segments(study: Study) -> list[str]:
    """Segment columns that provider tables also carry, so a segment's own chain can be drawn."""
    return [c for c in study.segments if any(c in table.columns for table in study.providers.values())]
