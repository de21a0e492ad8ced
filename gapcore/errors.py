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
        super().__init__(f"{key} file={file} sheet={sheet} row={row} column={column} {values}")

    @property
    def key(self) -> str:
        return self.problem.key
