"""What each uploaded column holds, for the person mapping it: header, question text, sample values,
range and type, and the role detection proposed.

Computed on the first rows only (``PROFILE_ROWS``), because it is for reading, not for figures.

In detail: computed on the first 20,000 rows.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from gapcore.io.mapping import ColumnSpec
from gapcore.io.readers.raw import RawTable

PROFILE_ROWS = 20_000
PROFILE_COLUMNS = ("table", "column", "text", "kind", "low", "high", "distinct", "samples", "role", "item",
                   "dimension")


def _kind(present: pd.Series, uniques: list[object]) -> tuple[str, float | None, float | None]:
    """The column's type and range, judged on its distinct values (one conversion per value, not per row)."""
    if not uniques:
        return "empty", None, None
    if pd.api.types.is_datetime64_any_dtype(present.dtype):
        return "date", None, None
    if pd.api.types.is_numeric_dtype(present.dtype) and not pd.api.types.is_bool_dtype(present.dtype):
        numbers = pd.Series(uniques, dtype=float)
    else:
        numbers = pd.to_numeric(pd.Series([str(v).strip().replace(",", "") for v in uniques]), errors="coerce")
        if numbers.notna().mean() < 0.95:
            return "text", None, None
        numbers = numbers.dropna()
    whole = bool((numbers == numbers.round()).all())
    return ("whole" if whole else "number"), float(numbers.min()), float(numbers.max())


def column_profile(tables: Iterable[tuple[str, RawTable, list[ColumnSpec]]]) -> pd.DataFrame:
    """One row per column: ``PROFILE_COLUMNS``. ``kind`` is "whole" (whole numbers), "number", "text",
    "date" or "empty"; ``samples`` the first distinct values, as text."""
    rows = []
    for table, raw, specs in tables:
        head = raw.frame.head(PROFILE_ROWS)
        by_column = {s.column: s for s in specs}
        for column in head.columns:
            present = head[column].dropna()
            uniques = [v for v in pd.unique(present) if str(v).strip() != ""]
            kind, low, high = _kind(present, uniques)
            spec = by_column.get(column)
            rows.append({
                "table": table, "column": str(column), "text": raw.question_texts.get(column, ""), "kind": kind,
                "low": low, "high": high, "distinct": len(uniques),
                "samples": " · ".join(str(v).strip()[:30] for v in uniques[:4]),
                "role": spec.role if spec else "ignore", "item": spec.item if spec else None,
                "dimension": spec.dimension if spec else None,
            })
    return pd.DataFrame(rows, columns=list(PROFILE_COLUMNS))


def texts_of(tables: Iterable[tuple[str, RawTable]]) -> dict[tuple[str, str], str]:
    """(table, column) → the file's own question text, for the mapping file."""
    return {(table, str(c)): text for table, raw in tables for c, text in raw.question_texts.items() if text}

