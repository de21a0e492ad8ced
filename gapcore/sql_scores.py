"""Every respondent variable of ``gapcore.scores``, written as an SQL expression over a canonical table.

The rows of a study that lives in a warehouse never reach pandas: each variable ``scores`` computes per
respondent (items, dimension scores under the half-of-items rule, gaps, A/I/MSA, importance points, the
overall SERVQUAL, weighted SERVQUAL and SERVPERF, outcomes) is an expression here, over columns named as
``gapcore`` names them (``E1``…, ``P1``…, ``W_<code>``, outcomes). Variables carry the names of
``scores`` (``E:3``, ``G:reliability``, ``SQ:overall``), so the cells built from them are the cells
``gapcore.cells`` builds. The SQL is DuckDB's dialect restricted to what every engine has (CASE, COALESCE,
CAST … AS DOUBLE, arithmetic); ``gapcore.io.sources`` transpiles it (sqlglot) for Spark and others.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gapcore.instrument import Instrument


def quoted(name: str) -> str:
    """An identifier, quoted (DuckDB's dialect; sqlglot writes each engine's own quotes)."""
    return '"' + str(name).replace('"', '""') + '"'


def _mean_if_half(values: Sequence[str]) -> str:
    """Mean of the non-NULL values, NULL when fewer than half are answered (``scores.dimension_score``)."""
    answered = " + ".join(f"(CASE WHEN {v} IS NULL THEN 0 ELSE 1 END)" for v in values)
    total = " + ".join(f"COALESCE({v}, 0)" for v in values)
    return f"(CASE WHEN 2 * ({answered}) >= {len(values)} THEN ({total}) / ({answered}) END)"


@dataclass(frozen=True)
class ScoredColumns:
    """The table's design as the SQL sees it: which canonical columns exist."""

    instrument: Instrument
    columns: frozenset[str]
    outcomes: tuple[str, ...]

    def has(self, level: str, number: int) -> bool:
        return f"{level}{number}" in self.columns

    def levels(self) -> set[str]:
        return {level for level in "EPAI" if any(self.has(level, k) for k in self.instrument.numbers)}

    @property
    def paired(self) -> bool:
        """Expectations and perceptions both present (``Study.paired``)."""
        return {"E", "P"} <= self.levels()


def item(name: str) -> str:
    """A canonical item column as DOUBLE (stored as small integers, floats or doubles)."""
    return f"CAST({quoted(name)} AS DOUBLE)"


def dimension_scores(design: ScoredColumns) -> dict[str, str]:
    """Per dimension (position i) and level, its score as ``scores.dimension_levels`` defines it, named
    ``sg_<level>_<i>``: in a paired study E and P count an item only where both are answered."""
    inst, out = design.instrument, {}
    for i, dim in enumerate(inst.dimensions):
        numbers = inst.items_of(dim)
        present = {level: [k for k in numbers if design.has(level, k)] for level in "EPAI"}
        if design.paired and present["E"] and present["P"]:
            both = [k for k in numbers if k in present["E"] and k in present["P"]]
            pair = {k: f"{quoted(f'E{k}')} IS NOT NULL AND {quoted(f'P{k}')} IS NOT NULL" for k in both}
            for level in "EP":
                out[f"sg_{level}_{i}"] = _mean_if_half(
                    [f"(CASE WHEN {pair[k]} THEN {item(f'{level}{k}')} END)" for k in both])
        for level in "EPAI":
            if f"sg_{level}_{i}" in out or not present[level] or (design.paired and level in "EP"):
                continue
            out[f"sg_{level}_{i}"] = _mean_if_half([item(f"{level}{k}") for k in present[level]])
    return out


def variables(design: ScoredColumns) -> dict[str, str]:
    """Each respondent variable (named as in ``scores``) as an expression over the canonical columns and
    the dimension scores of ``dimension_scores``; NULL where ``scores`` gives NaN."""
    out = _item_variables(design)
    out.update(_dimension_variables(design))
    inst = design.instrument
    for dim in inst.dimensions:
        points = f"W_{inst.points_code(dim)}"
        if points in design.columns:
            out[f"W:{dim}"] = item(points)
    out.update(_overall(design, out, dimension_scores(design)))
    for outcome in design.outcomes:
        out[f"Y:{outcome}"] = item(outcome)
    return out


def _item_variables(design: ScoredColumns) -> dict[str, str]:
    """Per item: paired E, P and gap, else P alone in a perception-only study; A, I, MSA (``scores``)."""
    out: dict[str, str] = {}
    for k in design.instrument.numbers:
        e, p = f"E{k}", f"P{k}"
        if design.has("E", k) and design.has("P", k):
            both = f"{quoted(e)} IS NOT NULL AND {quoted(p)} IS NOT NULL"
            out[f"E:{k}"] = f"(CASE WHEN {both} THEN {item(e)} END)"
            out[f"P:{k}"] = f"(CASE WHEN {both} THEN {item(p)} END)"
            out[f"G:{k}"] = f"({item(p)} - {item(e)})"
        elif design.has("P", k) and not design.paired:
            out[f"P:{k}"] = item(p)
        for level in "AI":
            if design.has(level, k):
                out[f"{level}:{k}"] = item(f"{level}{k}")
        if design.has("A", k) and design.has("P", k):
            out[f"MSA:{k}"] = f"({item(p)} - {item(f'A{k}')})"
    return out


def _dimension_variables(design: ScoredColumns) -> dict[str, str]:
    """Per dimension: E, P and gap, or P alone; A, I and MSA, over the scores of ``dimension_scores``."""
    scored, out = dimension_scores(design), {}
    for i, dim in enumerate(design.instrument.dimensions):
        e, p, a, imp = (f"sg_{level}_{i}" for level in "EPAI")
        if e in scored and p in scored:
            out[f"E:{dim}"], out[f"P:{dim}"], out[f"G:{dim}"] = e, p, f"({p} - {e})"
        elif p in scored and not design.paired:
            out[f"P:{dim}"] = p
        if a in scored:
            out[f"A:{dim}"] = a
        if imp in scored:
            out[f"I:{dim}"] = imp
        if a in scored and p in scored:
            out[f"MSA:{dim}"] = f"({p} - {a})"
    return out


def _overall(design: ScoredColumns, out: dict[str, str], scored: dict[str, str]) -> dict[str, str]:
    """SERVQUAL (mean gap), importance-weighted SERVQUAL and SERVPERF of respondents with every dimension
    scored (``scores._overall_variables``)."""
    dims = design.instrument.dimensions
    gaps = [out[f"G:{d}"] for d in dims if f"G:{d}" in out]
    perceptions = [out[f"P:{d}"] for d in dims if f"P:{d}" in out]
    overall: dict[str, str] = {}
    if gaps and len(gaps) == len(dims):
        overall["SQ:overall"] = f"(({' + '.join(gaps)}) / {len(gaps)})"
        shares = _importance(design, scored)
        if shares is not None:
            total = "(" + " + ".join(shares) + ")"
            terms = " + ".join(f"{g} * ({s} / {total})" for g, s in zip(gaps, shares, strict=True))
            overall["WSQ:overall"] = f"(CASE WHEN {total} > 0 THEN {terms} END)"
    if perceptions and len(perceptions) == len(dims):
        overall["PF:overall"] = f"(({' + '.join(perceptions)}) / {len(perceptions)})"
    return overall


def _importance(design: ScoredColumns, scored: dict[str, str]) -> list[str] | None:
    """Each dimension's raw importance (``scores.importance_weights``): its ``W_*`` points, else the
    mean of its I items; ``None`` when neither covers every dimension."""
    inst = design.instrument
    points = [f"W_{inst.points_code(d)}" for d in inst.dimensions]
    if all(p in design.columns for p in points):
        return [item(p) for p in points]
    importance = [f"sg_I_{i}" for i in range(len(inst.dimensions))]
    if all(name in scored for name in importance):
        return importance
    return None


def is_ranked(name: str) -> bool:
    """Variables whose values are counted per cell (rank tests, medians): ``cells._is_ranked``."""
    return name.startswith(("G:", "P:")) and not name.endswith(":overall")


def cross_product_blocks(design: ScoredColumns) -> dict[str, tuple[tuple[str, ...], list[str]]]:
    """Alpha's blocks (``cells._blocks``): per dimension and level E, P, G whose every item column
    exists, the item names and each item's value expression (G: P − E)."""
    inst, blocks = design.instrument, {}
    for dim in inst.dimensions:
        numbers = inst.items_of(dim)
        for level in ("E", "P", "G"):
            sides = ("E", "P") if level == "G" else (level,)
            if not all(design.has(side, k) for side in sides for k in numbers):
                continue
            values = [f"({item(f'P{k}')} - {item(f'E{k}')})" if level == "G" else item(f"{level}{k}")
                      for k in numbers]
            blocks[f"{level}:{dim}"] = (tuple(f"{level}{k}" for k in numbers), values)
    return blocks
