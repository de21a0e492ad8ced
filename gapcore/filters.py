"""Segment filters: which respondents a view is about — one definition for every table.

A filter maps segment columns to the values kept (``{"branch": ["Busan"]}``). It is checked once
(:func:`normalize_filters`: a column that is not a segment, or a value the column never takes, is a
user error — a shared link cannot smuggle text in as a filter value), then applied the same way to
customer rows (drivers), to cells of sufficient statistics (analysis) and to provider tables (gaps).
Values are compared as text, as they appear in the sidebar and the URL.

In detail: segment filters, one definition: `values_text` / `values_of`, the one text syntax of several values in
links and on the command line (commas; a value with a comma quoted as in CSV); `normalize_filters` (a column that
is not a segment, or a value it never takes, is a user error), `kept` (the one comparison: values as text among the
allowed ones) used by `rows_kept` for customer rows (drivers) and cells (analysis) and by `gaps.ProviderTable` for
provider tables, `segment_values`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from gapcore.errors import GapcoreError
from gapcore.io.study import Study

Filters = Mapping[str, Sequence[str]]


def segment_values(study: Study, column: str) -> tuple[str, ...]:
    """The values a segment column takes, as text, sorted."""
    series = study.customers[column]
    values = series.cat.categories if isinstance(series.dtype, pd.CategoricalDtype) else series.dropna().unique()
    return tuple(sorted({str(v) for v in values}))


def values_text(values: Iterable[object]) -> str:
    """Several values as one text, the one syntax of links (``f.branch=…``) and the command line
    (``--filter branch=…``): separated by commas, a value that holds a comma or a quote quoted as in CSV
    (``Busan,"Seoul, Gangnam"``), so every segment value can be named."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([str(v) for v in values])
    return out.getvalue()


def values_of(text: str) -> list[str]:
    """The values a text names (the inverse of ``values_text``); spaces around a value and empty ones dropped."""
    row = next(csv.reader([text], skipinitialspace=True), [])
    return [value.strip() for value in row if value.strip()]


def checked_filters(study: Study, filters: Filters | None) -> tuple[dict[str, tuple[str, ...]], list[tuple[str, str]]]:
    """The one rule for filters: ``(kept, refused)`` — the values of segment columns the data takes, as text
    ({column: values}), and every (column, value) that is not (a column that is no segment, or a value its
    column never takes: a stale or crafted link). The app drops and says the refused; scripts raise."""
    kept_values: dict[str, tuple[str, ...]] = {}
    refused: list[tuple[str, str]] = []
    for column, values in (filters or {}).items():
        vals = tuple(dict.fromkeys(str(v) for v in ([values] if isinstance(values, str) else values)))
        known = set(segment_values(study, column)) if column in study.segments else set()
        refused += [(column, v) for v in vals if v not in known]
        if [v for v in vals if v in known]:
            kept_values[column] = tuple(v for v in vals if v in known)
    return kept_values, refused


def normalize_filters(study: Study, filters: Filters | None) -> dict[str, tuple[str, ...]]:
    """Filters as {segment column: values as text}; an unknown column or value is a user error."""
    clean, refused = checked_filters(study, filters)
    if refused:
        column, value = refused[0]
        if column not in study.segments:
            raise GapcoreError("unknown_segment", column=column, segments=", ".join(study.segments))
        known = segment_values(study, column)
        raise GapcoreError("unknown_segment_value", column=column, value=value[:80],
                           values=", ".join(sorted(known)[:12]))
    return clean


def kept(values: np.ndarray, allowed: Sequence[str]) -> np.ndarray:
    """Which ``values`` (text) are among the ``allowed`` ones: the one comparison every filter makes."""
    return np.isin(values, [str(v) for v in allowed])


def rows_kept(table: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Rows of ``table`` whose filtered columns take one of the kept values (a missing value is never kept)."""
    keep = np.ones(len(table), dtype=bool)
    for column, values in filters.items():
        if column not in table.columns:
            raise GapcoreError("unknown_segment", column=column, segments=", ".join(map(str, table.columns)))
        codes, uniques = pd.factorize(table[column])  # each distinct value compared once; missing: code -1
        allowed = kept(np.asarray([str(u) for u in uniques], dtype=object), values)
        keep &= np.append(allowed, False)[codes]
    return keep
