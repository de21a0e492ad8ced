"""What every reader returns and is held to: the raw table of one sheet or file (cells as found, where
the header was, how it was read) and the size limits checked before any parsing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class Limits:
    """Size limits; all configurable (the app reads them from its config)."""

    max_file_bytes: int = 200 * 1024**2
    max_files: int = 10  # files read together (a study is a workbook or a handful of files)
    max_total_bytes: int = 400 * 1024**2  # all files read together
    max_xlsx_uncompressed_bytes: int = 1024**3
    max_xlsx_entries: int = 10_000
    max_xlsx_ratio: float = 200.0
    # A workbook part the XML reader holds whole (shared strings, styles: all but the sheets, read row by row)
    # may unpack to at most this many times the file plus ``held_part_budget`` bytes.
    held_part_factor: float = 4.0
    held_part_budget: int = 32 * 1024**2
    max_columns: int = 5_000
    max_cell_chars: int = 32_767
    max_spreadsheet_memory: int = 3 * 1024**3  # address space of the child that reads an .xls or .ods


@dataclass(frozen=True)
class RawTable:
    """One table of one file: header names, the data below the header, and how it was read."""

    file: str
    sheet: str | None
    frame: pd.DataFrame
    header_row: int  # 1-based row of the header in the file or sheet
    encoding: str | None = None
    delimiter: str | None = None
    question_texts: dict[str, str] = field(default_factory=dict)
    value_labels: dict[str, dict[float, str]] = field(default_factory=dict)
    duplicates: tuple[str, ...] = ()  # header names that occurred more than once
    has_formulas: bool = False
    header_rows: int = 1  # rows the header takes: 2-3 for Qualtrics and SurveyMonkey exports
    export_shape: str | None = None  # "qualtrics", "surveymonkey", "google_forms" when recognised
    utf8_rows: tuple[int, ...] = ()  # file rows that were UTF-8 inside a file in another encoding

    def file_row(self, position: int) -> int:
        """The 1-based row a user sees in the file for the data row at ``position``."""
        return self.header_row + self.header_rows + position

    @property
    def place(self) -> dict[str, str | None]:
        """Where the table is, as a problem names it: its file and sheet."""
        return {"file": self.file, "sheet": self.sheet}


DEFAULT_LIMITS = Limits()
