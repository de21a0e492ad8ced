"""The checks of a load: unreadable and off-scale cells (counted, with the first rows), blank rows,
items nobody answered, respondents who answered no item, and items that run against their dimension
(a reverse-worded item left unreversed).

In detail: one problem per column and kind, with the count and first rows; a customer table without one valid
answer is one error (`no_valid_answers`); rows that answer no item (formula leftovers, an ID dragged down) are left
out, counted and located (`rows_without_answers`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from gapcore.instrument import Instrument
from gapcore.io.answers import Answers, Converted
from gapcore.io.conversion import FIRST_ROWS, report_cells
from gapcore.io.headers import LEVEL_ALIASES
from gapcore.io.identify import Mapped
from gapcore.io.readers.raw import RawTable
from gapcore.io.scale import (
    Scale,
)
from gapcore.problems import Problem
from gapcore.reliability import item_statistics

_ANSWER_FAULTS = ("non_numeric_answer", "out_of_range_answer", "item_all_missing")


def no_valid_answers(problems: list[Problem], raw: RawTable, scale: Scale) -> list[Problem]:
    """A customer table in which no item has a single valid answer: one error that sums up why,
    in place of a warning per column."""
    faults = [p for p in problems if p.key in _ANSWER_FAULTS and p.file == raw.file and p.sheet == raw.sheet]
    def cells(key: str) -> int:
        return sum(int(p.values.get("cells", 1)) for p in faults if p.key == key)
    examples = list(dict.fromkeys(f"'{p.values['value']}'" for p in faults if "value" in p.values))[:4]
    kept = [p for p in problems if p not in faults]
    return [*kept, Problem("error", "no_valid_answers", **raw.place, values={
        "not_numbers": cells("non_numeric_answer"), "out_of_range": cells("out_of_range_answer"),
        "scale": f"{scale.low:g}–{scale.high:g}", "examples": ", ".join(examples) or "-"})]


def check_raw(raw: RawTable, problems: list[Problem]) -> None:
    where = raw.place
    for name in raw.duplicates:
        problems.append(Problem("warning", "duplicate_column", column=name, **where))
    if raw.has_formulas:
        problems.append(Problem("warning", "formulas_present", **where))
    if raw.utf8_rows:
        rows = ", ".join(map(str, raw.utf8_rows[:10])) + (" …" if len(raw.utf8_rows) > 10 else "")
        problems.append(Problem("warning", "mixed_encoding_rows", row=raw.utf8_rows[0], **where, values={
            "count": len(raw.utf8_rows), "rows": rows, "encoding": raw.encoding}))
    if raw.question_texts and raw.header_row > 1:
        problems.append(Problem("info", "two_row_header", row=raw.header_row, **where))
    elif raw.header_row > 1:
        problems.append(Problem("info", "header_below_title", row=raw.header_row, **where))


def drop_blank_rows(raw: RawTable, problems: list[Problem]) -> RawTable:
    """Skip rows with no cell filled (Excel and CSV exports often end with a few)."""
    frame = raw.frame
    if frame.empty:
        return raw
    blank = frame.isna().all(axis=1).to_numpy()
    if blank.any():
        problems.append(Problem("info", "blank_rows_dropped", **raw.place, values={"count": int(blank.sum())}))
        return RawTable(raw.file, raw.sheet, frame[~blank], raw.header_row, raw.encoding,
                        raw.delimiter, raw.question_texts, raw.value_labels, raw.duplicates, raw.has_formulas)
    return raw


def answer_range(converted: Mapping[str, Mapping[str, Answers]]) -> tuple[float | None, float | None]:
    """Lowest and highest answer between 0 and 10 (plausible scale points), for scale detection."""
    low, high = np.inf, -np.inf
    for cols in converted.values():
        for answers in cols.values():
            values, _ = answers.distinct
            plausible = values[(values >= 0) & (values <= 10)]
            if plausible.size:
                low, high = min(low, float(plausible[0])), max(high, float(plausible[-1]))
    return (low if np.isfinite(low) else None), (high if np.isfinite(high) else None)


def check_answers(mapped: Mapped, converted: Converted, scale: Scale, instrument: Instrument,
                  problems: list[Problem]) -> int:
    """Answers outside the scale become missing (and are reported), reverse-worded items are reversed;
    returns the number of valid customer answers."""
    valid_answers = 0
    for table, (raw, specs) in mapped.items():
        for spec in specs:
            if spec.role not in LEVEL_ALIASES:
                continue
            answers = converted[table][spec.name]
            out = answers.outside(scale.low, scale.high)
            if out.any():
                index = raw.frame.index[out]
                report_cells(pd.Series(answers.values[out].astype(float), index=index), raw, spec.column,
                             "out_of_range_answer", problems)
                answers = answers.without(out)
            answered = int(answers.answered().sum())
            if table == "customers":
                valid_answers += answered
            if answered == 0:
                problems.append(Problem("warning", "item_all_missing", column=spec.column, **raw.place))
            if instrument.has(spec.item or -1) and instrument.item(spec.item).reverse:
                answers = answers.reversed(scale.low, scale.high)
            converted[table][spec.name] = answers
    return valid_answers


def without_unanswered(customers: pd.DataFrame, items: list[str], raw: RawTable,
                       problems: list[Problem]) -> pd.DataFrame:
    """Rows that answer no item at all (formula leftovers dragged down a sheet, an ID column filled past the
    last respondent) are no respondents: left out, counted and located, never averaged in as n."""
    if not items:
        return customers
    answered = np.zeros(len(customers), dtype=bool)
    for item in items:  # a column at a time: no respondents × items frame of flags
        answered |= customers[item].notna().to_numpy()
    if answered.all() or not answered.any():
        return customers
    empty = np.flatnonzero(~answered)
    problems.append(Problem("info", "rows_without_answers", **raw.place, values={
        "count": len(empty), "rows": ", ".join(str(raw.file_row(int(i))) for i in empty[:FIRST_ROWS])
        + (" …" if len(empty) > FIRST_ROWS else "")}))
    return customers.loc[answered].reset_index(drop=True)


def items_asked(customers: pd.DataFrame, level: str) -> set[int]:
    """The numbers of the items the customers table has a ``level`` column for (``E3``, ``P12``)."""
    return {int(c[1:]) for c in customers.columns if re.fullmatch(rf"{level}\d+", c)}


def check_study(customers: pd.DataFrame, providers: Mapping[str, pd.DataFrame], instrument: Instrument,
                raw: RawTable, problems: list[Problem]) -> None:
    where = raw.place
    e_items, p_items = items_asked(customers, "E"), items_asked(customers, "P")
    if p_items and not e_items:
        problems.append(Problem("info", "perception_only", **where))
    unpaired = sorted(e_items ^ p_items) if e_items and p_items else []
    if unpaired:
        problems.append(Problem("warning", "item_unpaired", **where,
                                values={"items": ", ".join(map(str, unpaired))}))
    absent = [k for k in instrument.numbers if k not in e_items | p_items]
    if absent:
        problems.append(Problem("warning", "item_absent", **where, values={
            "items": number_ranges(absent), "count": len(instrument.numbers) - len(absent)}))
    if len(customers) < 2:
        problems.append(Problem("warning", "too_few_respondents", **where, values={"n": len(customers)}))
    for table, frame in providers.items():
        if frame.empty or not any(re.fullmatch(r"[MSDC]\d+", str(c)) for c in frame.columns):
            problems.append(Problem("warning", "provider_without_items", values={"table": table}))


_CHECK_ROWS = 20_000  # the item-rest check reads the first rows: a data check, not a figure


def flag_negative_items(customers: pd.DataFrame, instrument: Instrument, raw: RawTable, sources: Mapping[str, str],
                        problems: list[Problem]) -> None:
    """Items that correlate negatively with the rest of their dimension: a reverse-worded item not
    flagged as reversed, or a block that belongs elsewhere (a "p01…" block that is not perceptions)."""
    head = customers.head(_CHECK_ROWS)
    for level in ("P", "E"):
        for dimension in instrument.dimensions:
            columns = [f"{level}{k}" for k in instrument.items_of(dimension) if f"{level}{k}" in head.columns]
            if len(columns) < 3:
                continue
            complete = head[columns].astype("float64").dropna()
            if len(complete) < 10:
                continue
            rest_r, _ = item_statistics(np.cov(complete.to_numpy(), rowvar=False))
            negative = [c for c, r in zip(columns, rest_r, strict=True) if np.isfinite(r) and r < 0]
            if negative:
                problems.append(Problem("warning", "item_negative_correlation", **raw.place, values={
                    "dimension": dimension, "items": ", ".join(sources.get(c, c) for c in negative)}))


def number_ranges(numbers: Sequence[int]) -> str:
    """Item numbers as runs: 1, 3–5, 9."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
