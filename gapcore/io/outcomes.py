"""The respondent columns other than the items: outcomes (satisfaction, retention, recommendation),
sampling weights and segments, each read into numbers or categories with its own checks (a weight or an
outcome of an impossible magnitude is refused before any sum of squares).

In detail: an outcome or importance point beyond ±1e6 is refused (`value_too_large`), so no sum of squares
overflows.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from gapcore.io.conversion import map_distinct, report_cells, sav_codes, to_numbers
from gapcore.io.mapping import ColumnSpec
from gapcore.io.readers.raw import RawTable
from gapcore.io.scale import (
    BINARY_LABELS,
    normalize_label,
)
from gapcore.problems import Problem

MAX_WEIGHT = 1e6  # a sampling weight above this is a data error (and would overflow weighted sums of squares)


MAX_MAGNITUDE = 1e6  # no outcome or importance point is this large: a data error, refused before any sum of squares


def outcome_values(raw: RawTable, spec: ColumnSpec, lookup: Mapping[str, float], problems: list[Problem]
                   ) -> np.ndarray:
    """Satisfaction (a number, an answer label, or two words) or a 0–10 recommendation."""
    source = raw.frame[spec.column]
    values = sav_codes(raw, spec.column, source)
    if values is None and spec.role == "satisfaction":
        values = _two_valued_satisfaction(source)
    if values is None:
        values = to_numbers(source, lookup, raw, spec.column, problems, kind="outcome")
    values = within_magnitude(values, raw, spec.column, problems)
    if spec.role == "recommend":
        out = ~np.isnan(values) & ((values < 0) | (values > 10))
        if out.any():
            report_cells(pd.Series(values[out], index=raw.frame.index[out]), raw, spec.column,
                         "out_of_range_recommend", problems)
            values = np.where(out, np.nan, values)
    return values


def within_magnitude(values: np.ndarray, raw: RawTable, column: str, problems: list[Problem]) -> np.ndarray:
    """Numbers no outcome or point can be (beyond ±``MAX_MAGNITUDE``, or infinite): reported and dropped,
    so no sum of squares overflows (a fuzzed 1e154 did)."""
    values = np.asarray(values, dtype=float)
    bad = ~np.isnan(values) & ~(np.abs(values) <= MAX_MAGNITUDE)
    if bad.any():
        report_cells(pd.Series(values[bad], index=raw.frame.index[bad]), raw, column, "value_too_large", problems)
        values = np.where(bad, np.nan, values)
    return values


def weight_values(raw: RawTable, column: str, problems: list[Problem]) -> np.ndarray:
    """Sampling weights; a weight that is missing, not positive or absurdly large is reported and dropped."""
    source = raw.frame[column]
    values = to_numbers(source, {}, raw, column, problems, kind="weight")
    bad = ~np.isfinite(values) | (values <= 0) | (values > MAX_WEIGHT)
    if bad.any():
        report_cells(pd.Series(source.to_numpy()[bad], index=raw.frame.index[bad], dtype=object).fillna(""), raw,
                     column, "invalid_weight", problems)
        values = np.where(bad, np.nan, values)
    return values


def check_points(customers: pd.DataFrame, raw: RawTable, problems: list[Problem]) -> None:
    """Importance points (``W_*``) should add up to 100 for each respondent."""
    points = [c for c in customers.columns if c.startswith("W_") and pd.api.types.is_numeric_dtype(customers[c])]
    if points:
        total = customers[points].sum(axis=1, min_count=1)
        off = total.notna() & ((total - 100).abs() > 1)
        if off.any():
            report_cells(total[off].round(2), raw, ", ".join(points), "points_not_100", problems)


_SATISFIED = {normalize_label(t): v for t, v in (
    ("satisfied", 1.0), ("neutral or dissatisfied", 0.0), ("dissatisfied", 0.0), ("not satisfied", 0.0),
    ("unsatisfied", 0.0), ("만족", 1.0), ("불만족", 0.0), ("满意", 1.0), ("不满意", 0.0))}


def satisfaction_words(distinct: Sequence[str]) -> list[float] | None:
    """1 / 0 for each of a satisfaction column's distinct (stripped) texts when it is answered in two words
    ("satisfied" / "neutral or dissatisfied"), else ``None`` (the upload's and the engine's one rule)."""
    mapped = [_SATISFIED.get(normalize_label(v)) for v in distinct]
    return None if not 1 <= len(mapped) <= 2 or any(m is None for m in mapped) else mapped


def _two_valued_satisfaction(source: pd.Series) -> np.ndarray | None:
    """A satisfaction question answered in two words ("satisfied" / "neutral or dissatisfied"): 1 / 0."""
    if pd.api.types.is_numeric_dtype(source.dtype):
        return None
    codes, uniques = map_distinct(source.astype("string").str.strip(), str)
    mapped = satisfaction_words(uniques)
    if mapped is None:
        return None
    binary = np.asarray(mapped, dtype=float)
    return np.where(codes >= 0, binary[np.maximum(codes, 0)], np.nan)


def _segment_name(value: object, labels: Mapping[float, str] | None) -> str:
    if labels and isinstance(value, (int, float, np.number)) and float(value) in labels:
        return labels[float(value)]
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return unicodedata.normalize("NFC", str(value).strip())


def segment_categories(raw: RawTable, column: str, source: pd.Series) -> pd.Categorical:
    """Segment values as text categories (SPSS value labels applied), converted once per distinct value."""
    labels = raw.value_labels.get(column)
    codes, names = map_distinct(source, lambda v: _segment_name(v, labels))
    categories = pd.Index(names, dtype=object).unique()
    remap = categories.get_indexer(names) if names else np.array([], dtype=int)
    new_codes = np.where(codes >= 0, remap[codes] if len(remap) else -1, -1)
    return pd.Categorical.from_codes(new_codes, categories=categories)


def retention_values(raw: RawTable, column: str, source: pd.Series, lookup: Mapping[str, float],
                     problems: list[Problem]) -> tuple[np.ndarray, str]:
    """Observed retention (kept 1 / lost 0) or a stated intention on a scale; the kind says which."""
    labels = raw.value_labels.get(column) or {}

    def as_binary(value: object) -> float:
        if isinstance(value, (int, float, np.number)) and float(value) in labels:
            value = labels[float(value)]
        return BINARY_LABELS.get(normalize_label(value), np.nan)

    codes, mapped = map_distinct(source, as_binary)
    if all(not np.isnan(v) for v in mapped):
        binary = np.asarray(mapped, dtype=float)
        return np.where(codes >= 0, binary[codes] if len(binary) else np.nan, np.nan), "binary"
    numeric = pd.to_numeric(source, errors="coerce")
    if numeric.notna().sum() > 0.5 * source.notna().sum() and numeric.nunique() > 2:
        return to_numbers(source, lookup, raw, column, problems, kind="outcome"), "scale"
    binary = np.asarray(mapped, dtype=float)
    values = np.where(codes >= 0, binary[codes], np.nan)
    text = source.astype("string").str.strip()
    bad = pd.Series((codes >= 0) & np.isnan(values), index=source.index) & (text != "")
    report_cells(text[bad], raw, column, "non_binary_retention", problems)
    return values, "binary"
