"""What each uploaded column holds, for the person mapping it: header, question text, sample values,
range and type, and the role detection proposed.

Computed on the first rows only (``PROFILE_ROWS``), because it is for reading, not for figures."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from gapcore.columns import ColumnSpec
from gapcore.readers import RawTable

PROFILE_ROWS = 20_000
PROFILE_COLUMNS = ("table", "column", "text", "kind", "low", "high", "distinct", "samples", "role", "item",
                   "dimension")


def _kind(series: pd.Series) -> tuple[str, float | None, float | None]:
    present = series.dropna()
    if present.empty:
        return "empty", None, None
    numbers = pd.to_numeric(present.astype(str).str.strip().str.replace(",", ""), errors="coerce") \
        if not pd.api.types.is_numeric_dtype(present.dtype) else present.astype(float)
    if numbers.notna().mean() >= 0.95:
        numbers = numbers.dropna()
        whole = bool((numbers == numbers.round()).all())
        return ("whole" if whole else "number"), float(numbers.min()), float(numbers.max())
    if pd.api.types.is_datetime64_any_dtype(present.dtype):
        return "date", None, None
    return "text", None, None


def column_profile(tables: Iterable[tuple[str, RawTable, list[ColumnSpec]]]) -> pd.DataFrame:
    """One row per column: ``PROFILE_COLUMNS``. ``kind`` is "whole" (whole numbers), "number", "text",
    "date" or "empty"; ``samples`` the first distinct values, as text."""
    rows = []
    for table, raw, specs in tables:
        head = raw.frame.head(PROFILE_ROWS)
        by_column = {s.column: s for s in specs}
        for column in head.columns:
            series = head[column]
            kind, low, high = _kind(series)
            distinct = series.dropna().astype(str).str.strip()
            distinct = distinct[distinct != ""].unique()
            spec = by_column.get(column)
            rows.append({
                "table": table, "column": str(column), "text": raw.question_texts.get(column, ""), "kind": kind,
                "low": low, "high": high, "distinct": len(distinct),
                "samples": " · ".join(str(v)[:30] for v in distinct[:4]),
                "role": spec.role if spec else "ignore", "item": spec.item if spec else None,
                "dimension": spec.dimension if spec else None,
            })
    return pd.DataFrame(rows, columns=list(PROFILE_COLUMNS))


def texts_of(tables: Iterable[tuple[str, RawTable]]) -> dict[tuple[str, str], str]:
    """(table, column) → the file's own question text, for the mapping file."""
    return {(table, str(c)): text for table, raw in tables for c, text in raw.question_texts.items() if text}

