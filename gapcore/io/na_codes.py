""""Not applicable" codes: the high codes (97, 98, 99, 999, 9999) a survey tool writes for "don't
know" or "does not apply", detected where they stand apart from the answers, and flag columns that mark an
item not applicable; both turned into missing answers and counted for the report.

In detail: `NA7` = 1 makes item 7's answers missing at every level (`headers.na_flag_item`; such a column is never
a segment).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from gapcore.io.answers import Answers, Converted
from gapcore.io.headers import CUSTOMER_LEVELS, na_flag_item
from gapcore.io.readers.raw import RawTable
from gapcore.problems import Problem

_NA_HIGH_CODES = (97.0, 98.0, 99.0, 999.0, 9999.0)


def shorten(columns: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(str(c) for c in columns[:limit])
    return shown + (f" (+{len(columns) - limit})" if len(columns) > limit else "")


def codes_text(codes: Iterable[float | str]) -> str:
    return ", ".join(str(int(c)) if isinstance(c, float) and c.is_integer() else str(c) for c in codes)


def detect_na_codes(converted: Mapping[str, Mapping[str, Answers]]) -> tuple[float, ...]:
    """"Not applicable" codes among the customers' item answers: 97–99/999 always; 9 when no other answer
    is above 7 and 8 is never used; 0 when no other answer is above 7 (no 0–5 or 0–7 scale exists, and a
    0–10 scale would reach 8–10). The scale then follows the answers that remain."""
    counts: dict[float, int] = {}
    for answers in converted.get("customers", {}).values():
        uniques, n = answers.distinct
        for value, count in zip(uniques.tolist(), n.tolist(), strict=True):
            counts[value] = counts.get(value, 0) + count
    if not counts:
        return ()
    codes = [c for c in _NA_HIGH_CODES if c in counts]
    rest = [v for v in counts if v not in codes]
    if 9.0 in rest and 8.0 not in rest and max((v for v in rest if v != 9.0), default=10) <= 7:
        codes.append(9.0)
        rest.remove(9.0)
    if 0.0 in rest and 1.0 in rest and max(rest) <= 7:
        codes.append(0.0)
    return tuple(sorted(codes))


def apply_na_flags(converted: Converted, raw: RawTable, problems: list[Problem]) -> None:
    """Columns that flag an item "not applicable" (``NA7`` = 1): that respondent's answers to the item, at
    every level, are missing — never averaged in whatever was typed beside them. Said, with the count."""
    flagged = 0
    for column in raw.frame.columns:
        item = na_flag_item(column)
        if item is None:
            continue
        flags = pd.to_numeric(raw.frame[column], errors="coerce")
        if not flags.dropna().isin([0, 1]).all():
            continue
        hit = (flags == 1).to_numpy()
        customers = converted.get("customers", {})
        for name in (f"{level}{item}" for level in CUSTOMER_LEVELS):
            if name in customers and hit.any():
                flagged += int((hit & customers[name].answered()).sum())
                customers[name] = customers[name].without(hit)
    if flagged:
        problems.append(Problem("info", "na_flags_applied", **raw.place, values={"count": flagged}))


def apply_na(converted: Converted, codes: set[float], tables: Sequence[str]) -> dict[str, int]:
    """Answers equal to a "not applicable" code become missing; how many, per item column."""
    counted: dict[str, int] = {}
    if not codes:
        return counted
    for table in tables:
        for name, answers in list(converted.get(table, {}).items()):
            hit = answers.equal_to(codes)
            if hit.any():
                counted[f"{table}.{name}"] = int(hit.sum())
                converted[table][name] = answers.without(hit)
    return counted
