"""Cells to numbers: numeric cells as they are, answer words through the label table, "don't know"
markers as missing, SPSS value codes kept; every cell that cannot be read is reported with its rows (the
first few, and how many), never silently dropped.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from gapcore.io.readers.raw import RawTable
from gapcore.io.scale import MISSING_LABELS, normalize_label
from gapcore.problems import Problem


def text_values(series: pd.Series) -> pd.Series:
    """Non-empty cells that are not numbers, as stripped strings."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.iloc[0:0]
    as_text = series.dropna().astype(str).str.strip()
    as_text = as_text[as_text != ""]
    numeric = pd.to_numeric(as_text, errors="coerce")
    return as_text[numeric.isna()]


def to_numbers(series: pd.Series, lookup: Mapping[str, float], raw: RawTable, column: str,
               problems: list[Problem], *, kind: str = "answer") -> np.ndarray:
    """Numbers from numeric cells, text labels and missing markers; every unreadable cell reported."""
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.astype(float).to_numpy()
    if pd.api.types.is_numeric_dtype(series.dtype):
        dtype = series.dtype if series.dtype in (np.float32, np.float64) else float
        return series.to_numpy(dtype=dtype, na_value=np.nan)
    text = series.astype("string").str.strip()
    values = pd.to_numeric(text, errors="coerce").astype(float)
    pending = values.isna() & text.notna() & (text != "")
    if pending.any():
        codes, mapped = map_distinct(text[pending], lambda t: label_value(t, lookup))
        found = np.asarray([np.nan if m is None else m for m in mapped], dtype=float)
        values[pending] = found[codes]
        unknown = np.asarray([m is None for m in mapped], dtype=bool)[codes]
        report_cells(text[pending][unknown], raw, column, f"non_numeric_{kind}", problems)
    return values.to_numpy(dtype=float)


def label_value(text: str, lookup: Mapping[str, float]) -> float | None:
    """An answer word's number: from the label table, NaN for a "don't know" marker, ``None`` when unknown."""
    label = normalize_label(text)
    return lookup.get(label, np.nan if label in MISSING_LABELS else None)


def sav_codes(raw: RawTable, column: str, series: pd.Series) -> np.ndarray | None:
    """SPSS answers: numeric codes, with codes labelled 'don't know'/'n/a' set missing."""
    labels = raw.value_labels.get(column)
    if not labels or not pd.api.types.is_numeric_dtype(series.dtype):
        return None
    values = series.to_numpy(dtype=float, na_value=np.nan).copy()
    for code, label in labels.items():
        if normalize_label(label) in MISSING_LABELS:
            values[values == code] = np.nan
    return values


def map_distinct(source: pd.Series, convert) -> tuple[np.ndarray, list[object]]:
    """Apply ``convert`` once per distinct value: (codes, converted distinct values); -1 is missing."""
    codes, uniques = pd.factorize(source, use_na_sentinel=True)
    return codes, [convert(v) for v in uniques]


FIRST_ROWS = 5  # rows listed in a grouped cell problem


def report_cells(bad: pd.Series, raw: RawTable, column: str, key: str, problems: list[Problem]) -> None:
    """One problem per column and kind of fault: the first bad cell's value, how many cells, and the
    first rows (a file with a bad column gives one line, not one per cell)."""
    if bad.empty:
        return
    rows = [raw.file_row(int(index)) for index in bad.index[:FIRST_ROWS]]
    head = bad.head(1000).map(lambda v: f"{v:g}" if isinstance(v, float) else v)
    first = str(head.iloc[0])[:80]
    if len(bad) == 1:
        problems.append(Problem("warning", key, row=rows[0], column=column, values={"value": first},
                                **raw.place))
        return
    examples = list(dict.fromkeys(str(v)[:40] for v in head))[:3]
    problems.append(Problem("warning", key, column=column, **raw.place, values={
        "value": first, "cells": len(bad), "rows": ", ".join(map(str, rows)) + (" …" if len(bad) > len(rows) else ""),
        "examples": ", ".join(f"'{v}'" for v in examples)}))
