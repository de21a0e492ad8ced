"""The one exception type gapcore raises on purpose.

Every failure a user can cause (a file that cannot be read, a setting that makes no sense) is a
:class:`GapcoreError` carrying a :class:`~gapcore.problems.Problem`: a message key plus where it
happened. Anything else escaping gapcore is a bug.
"""

from __future__ import annotations

from typing import Any

from gapcore.problems import Problem


class GapcoreError(Exception):
    """A user-facing failure with a message key and a location."""

    def __init__(
        self,
        key: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        **values: Any,
    ) -> None:
        self.problem = Problem("error", key, file, sheet, row, column, values)
        super().__init__(key)

    @classmethod
    def of(cls, problem: Problem) -> GapcoreError:
        """The exception for a problem a report holds (a load that could not compute, raised to a script)."""
        return cls(problem.key, file=problem.file, sheet=problem.sheet, row=problem.row, column=problem.column,
                   **problem.values)

    def __str__(self) -> str:
        """The message the app shows, in English, with where and what to do (``messages.render_line``)."""
        from gapcore.messages import render_line  # the words live one module up, beside their catalogue

        return render_line(self.problem, "en")

    @property
    def key(self) -> str:
        return self.problem.key
