"""The validation report: every problem a load found, with where it is.

A load never stops at the first problem (see ``gapcore.io.load``). Each problem is a :class:`Problem`
with a severity, a location (file, sheet, row, column) and a message key that ``gapcore.messages``
renders in English, Korean or Chinese. The UI decides what blocks; the library only records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

Severity = Literal["error", "warning", "info"]

REPORT_COLUMNS = ("severity", "file", "sheet", "row", "column", "key", "values")


@dataclass(frozen=True)
class Problem:
    """One finding of a load. ``row`` is the 1-based row number as the user sees it in the file."""

    severity: Severity
    key: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    values: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "key": self.key,
            "values": dict(self.values),
        }


@dataclass(frozen=True)
class ValidationReport:
    """An ordered, immutable collection of problems."""

    problems: tuple[Problem, ...] = ()

    @classmethod
    def of(cls, problems: Iterable[Problem]) -> ValidationReport:
        return cls(tuple(problems))

    def __len__(self) -> int:
        return len(self.problems)

    def __iter__(self):
        return iter(self.problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.problems)

    def message_keys(self) -> list[str]:
        return [p.key for p in self.problems]

    def find(self, key: str) -> list[Problem]:
        return [p for p in self.problems if p.key == key]

    def to_frame(self, lang: str | None = None) -> pd.DataFrame:
        """One row per problem, columns :data:`REPORT_COLUMNS` (message keys and values); with ``lang``, the
        messages as the app words them: ``severity, where, what, todo``."""
        if lang is None:
            return pd.DataFrame([p.as_dict() for p in self.problems], columns=list(REPORT_COLUMNS))
        from gapcore.messages import render, where  # the words live one module up, beside their catalogue

        rows = [(p.severity, where(p, lang), *render(p, lang)) for p in self.problems]  # each problem worded once
        return pd.DataFrame(rows, columns=["severity", "where", "what", "todo"])

    def __repr__(self) -> str:
        counts = {s: sum(p.severity == s for p in self.problems) for s in ("error", "warning", "info")}
        return f"ValidationReport({', '.join(f'{n} {s}s' for s, n in counts.items())})"

    def _repr_html_(self) -> str:
        """A notebook's view: the messages in English, as the app words them."""
        return self.to_frame("en").to_html(index=False)
