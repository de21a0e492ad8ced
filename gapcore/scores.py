"""Respondent-level scores: the numbers every mean, CI and test is computed from.

Per respondent and dimension: expectation, perception and gap 5 (P − E) are the means of the items
answered in that dimension; fewer than half the items answered gives no score. Items and dimensions
are *paired*: an item counts for a respondent only where both its E and P are answered, and a
dimension's E, P and gap are means over the same paired items, so a respondent's dimension gap is
the mean of their item gaps and the mean gap is exactly mean P − mean E. A perception-only study (SERVPERF) has P alone.

Variables are named ``<measure>:<key>``: ``E:tangibles``, ``G:5`` (gap of item 5), ``MSA:empathy``,
``SQ:overall`` (unweighted SERVQUAL), ``WSQ:overall`` (weighted SERVQUAL), ``PF:overall`` (SERVPERF).

In detail: respondent-level variables (for all respondents or a slice of rows): dimension scores
(`dimension_levels`: over the items answered in both E and P, half-of-items rule on those, so a dimension gap is
the mean of the item gaps), paired E/P/gap, MSA, overall SERVQUAL/SERVPERF, importance-weighted SERVQUAL. The
drivers' predictors and the SQL of `sql_scores.py` use the same rule (tests compare them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gapcore.instrument import Instrument
from gapcore.io.study import Study


@dataclass(frozen=True)
class RespondentScores:
    """Per variable, one float64 value per respondent (NaN = no score), in the customer table's order.

    A plain mapping of arrays rather than a DataFrame: a frame would copy every column into one block.
    """

    values: Mapping[str, np.ndarray]
    weights: np.ndarray | None
    excluded: np.ndarray | None = None  # respondents left out (no valid weight)


def dimension_score(items: np.ndarray) -> np.ndarray:
    """Mean of answered items per row, NaN where fewer than half of the items were answered."""
    missing = np.isnan(items)
    answered = items.shape[1] - missing.sum(axis=1)
    total = np.where(missing, 0.0, items).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = total / answered
    score[answered * 2 < items.shape[1]] = np.nan
    return score


def _block(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """The columns as one float64 block (NaN = unanswered), column-major. Filled column by column:
    pandas' own ``to_numpy`` on a frame of one-byte answer columns interleaves them 7× slower."""
    block = np.empty((len(columns), len(frame)))
    for j, column in enumerate(columns):
        block[j] = frame[column].to_numpy(dtype=float, na_value=np.nan)
    return block.T


def level_blocks(frame: pd.DataFrame, numbers: Sequence[int],
                 levels: str = "EPAI") -> tuple[dict[str, list[str]], dict[str, np.ndarray]]:
    """Each level's item columns present in ``frame`` (in instrument order) and, for the levels that
    have any, one float64 block of them: every score below is computed from these blocks."""
    columns = {level: [f"{level}{k}" for k in numbers if f"{level}{k}" in frame] for level in levels}
    return columns, {level: _block(frame, cols) for level, cols in columns.items() if cols}


def dimension_levels(columns: Mapping[str, list[str]], blocks: Mapping[str, np.ndarray],
                     numbers: Sequence[int], *, paired: bool) -> dict[str, np.ndarray]:
    """One dimension's per-respondent score for each level that has items in it.

    In a paired study (E and P), E and P count an item only where the respondent answered both, and
    the half-of-items rule applies to those paired items: E, P and their gap are means over the same
    items, so a respondent's dimension gap is the mean of their item gaps (GAP_MODEL.md).
    """
    wanted = set(numbers)
    present = {level: [j for j, c in enumerate(cols) if int(c[1:]) in wanted]
               for level, cols in columns.items() if level in blocks}
    scored: dict[str, np.ndarray] = {}
    if paired and present.get("E") and present.get("P"):
        e_at = {int(columns["E"][j][1:]): j for j in present["E"]}
        p_at = {int(columns["P"][j][1:]): j for j in present["P"]}
        both = [k for k in numbers if k in e_at and k in p_at]
        e = blocks["E"][:, [e_at[k] for k in both]]
        p = blocks["P"][:, [p_at[k] for k in both]]
        unpaired = np.isnan(e) | np.isnan(p)
        scored["E"] = dimension_score(np.where(unpaired, np.nan, e))
        scored["P"] = dimension_score(np.where(unpaired, np.nan, p))
    for level in ("E", "P", "A", "I"):
        if level not in scored and present.get(level):
            if paired and level in "EP":
                continue  # one side only: nothing pairs in this dimension
            scored[level] = dimension_score(blocks[level][:, present[level]])
    return scored


def respondent_scores(study: Study, *, use_weight: bool = True, rows: slice | None = None, items: bool = True,
                      blocks: tuple[Mapping[str, list[str]], Mapping[str, np.ndarray]] | None = None
                      ) -> RespondentScores:
    """Every respondent-level variable of the study's customer table (or of a slice of its rows:
    ``gapcore.cells`` scores large studies a chunk at a time). ``items=False`` leaves out the items'
    E, P and gap (``cells`` counts them from value tables); ``blocks``: ``level_blocks`` of those rows,
    when the caller already has them."""
    frame = study.customers if rows is None else study.customers.iloc[rows]
    inst = study.instrument
    paired = study.paired
    columns, blocks = level_blocks(frame, inst.numbers) if blocks is None else blocks
    out = _item_variables(columns, blocks, inst.numbers, paired, gaps=items)
    out.update(_dimension_variables(columns, blocks, inst, paired))
    for dim in inst.dimensions:
        column = f"W_{inst.points_code(dim)}"
        if column in frame:
            out[f"W:{dim}"] = frame[column].to_numpy(dtype=float)
    out.update(_overall_variables(study, frame, out))
    for outcome in study.outcomes:
        out[f"Y:{outcome}"] = frame[outcome].to_numpy(dtype=float)

    weight, excluded = respondent_weights(study, frame, use_weight=use_weight)
    if excluded is not None and excluded.any():
        out = {k: np.where(excluded, np.nan, v) for k, v in out.items()}
    return RespondentScores(out, weight, excluded)


def respondent_weights(study: Study, frame: pd.DataFrame, *, use_weight: bool) -> tuple[np.ndarray | None,
                                                                                      np.ndarray | None]:
    """The sampling weight of each of ``frame``'s respondents (0 where missing) and who is left out: a
    respondent without a valid weight is left out of weighted figures (reported at load). ``(None,
    None)`` when figures are unweighted."""
    if not (use_weight and study.has_weight):
        return None, None
    weight = frame["weight"].to_numpy(dtype=float)
    excluded = np.isnan(weight)
    return np.nan_to_num(weight, nan=0.0), excluded


def _item_variables(columns: Mapping[str, list[str]], blocks: Mapping[str, np.ndarray], numbers: Sequence[int],
                    paired: bool, *, gaps: bool = True) -> dict[str, np.ndarray]:
    """Per item: paired E, P and gap (both answered), else P alone in a perception-only study (left out
    with ``gaps=False``); A, I, MSA."""
    item = {f"{level}{k}": blocks[level][:, j] for level, cols in columns.items() for j, k in
            enumerate(int(c[1:]) for c in cols)}
    out: dict[str, np.ndarray] = {}
    for number in numbers:
        e = item.get(f"E{number}")
        p = item.get(f"P{number}")
        if gaps and e is not None and p is not None:
            gap = p - e  # NaN unless both answered
            unpaired = np.isnan(gap)
            out[f"E:{number}"] = np.where(unpaired, np.nan, e)
            out[f"P:{number}"] = np.where(unpaired, np.nan, p)
            out[f"G:{number}"] = gap
        elif gaps and p is not None and not paired:
            out[f"P:{number}"] = p
        for level in ("A", "I"):
            if f"{level}{number}" in item:
                out[f"{level}:{number}"] = item[f"{level}{number}"]
        if f"A{number}" in item and p is not None:
            out[f"MSA:{number}"] = p - out[f"A:{number}"]
    return out


def _dimension_variables(columns: Mapping[str, list[str]], blocks: Mapping[str, np.ndarray], inst: Instrument,
                         paired: bool) -> dict[str, np.ndarray]:
    """Per dimension (``dimension_levels``' rule): E, P and gap, or P alone; A, I and MSA."""
    out: dict[str, np.ndarray] = {}
    for dim in inst.dimensions:
        scored = dimension_levels(columns, blocks, inst.items_of(dim), paired=paired)
        if "E" in scored and "P" in scored:
            out[f"E:{dim}"] = scored["E"]
            out[f"P:{dim}"] = scored["P"]
            out[f"G:{dim}"] = scored["P"] - scored["E"]
        elif "P" in scored and not paired:
            out[f"P:{dim}"] = scored["P"]
        for level in ("A", "I"):
            if level in scored:
                out[f"{level}:{dim}"] = scored[level]
        if "A" in scored and "P" in scored:
            out[f"MSA:{dim}"] = scored["P"] - scored["A"]
    return out


def _overall_variables(study: Study, frame: pd.DataFrame, out: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Overall scores of the respondents with every dimension scored (the CIs of the overall figures):
    SERVQUAL (mean gap), importance-weighted SERVQUAL, SERVPERF (mean perception)."""
    dims = study.instrument.dimensions
    gaps = [out[f"G:{d}"] for d in dims if f"G:{d}" in out]
    perceptions = [out[f"P:{d}"] for d in dims if f"P:{d}" in out]
    overall: dict[str, np.ndarray] = {}
    if gaps and len(gaps) == len(dims):
        overall["SQ:overall"] = np.mean(np.column_stack(gaps), axis=1)
        weights = importance_weights(study, frame)
        if weights is not None:
            overall["WSQ:overall"] = (np.column_stack(gaps) * weights).sum(axis=1)
    if perceptions and len(perceptions) == len(dims):
        overall["PF:overall"] = np.mean(np.column_stack(perceptions), axis=1)
    return overall


def importance_weights(study: Study, frame: pd.DataFrame | None = None) -> np.ndarray | None:
    """Per respondent, each dimension's share of importance (rows sum to 1), from ``W_*`` points or
    else from the mean of the dimension's ``I<k>`` items; ``None`` when neither exists. ``frame``:
    some rows of the customer table (all of them by default)."""
    frame = study.customers if frame is None else frame
    inst = study.instrument
    dims = inst.dimensions
    points = [f"W_{inst.points_code(d)}" for d in dims]
    if all(p in frame for p in points):
        raw = frame[points].to_numpy(dtype=float)
    elif all(any(f"I{k}" in frame for k in inst.items_of(d)) for d in dims):
        raw = np.column_stack([
            dimension_score(_block(frame, [f"I{k}" for k in inst.items_of(d) if f"I{k}" in frame]))
            for d in dims
        ])
    else:
        return None
    total = raw.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = raw / total
    shares[~np.isfinite(shares).all(axis=1) | (total[:, 0] <= 0)] = np.nan
    return shares
