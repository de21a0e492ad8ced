"""Spreadsheets: .xlsx read by openpyxl (read-only, formulas as their cached values), .xls and .ods by
calamine in a child process under an address-space ceiling; each sheet becomes a raw table.
"""

from __future__ import annotations

import io
import pickle
import subprocess
import sys
import warnings
import zipfile
import zlib

import pandas as pd

from gapcore.errors import GapcoreError
from gapcore.io.readers.archive import OLE2, check_zip, is_encrypted, scan_parts
from gapcore.io.readers.layouts import HEADER_SCAN_ROWS, locate_header
from gapcore.io.readers.raw import DEFAULT_LIMITS, Limits, RawTable


def read_xlsx(data: bytes, file: str, *, header_row: int | None = None,
              limits: Limits = DEFAULT_LIMITS) -> list[RawTable]:
    """Every non-empty sheet of a workbook (values as last computed by Excel)."""
    import openpyxl  # deferred: only workbooks need it

    archive = check_zip(data, file, limits)
    try:
        has_formulas = scan_parts(archive, file, limits, len(data))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise GapcoreError("xlsx_corrupt", file=file) from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken packages
        raise GapcoreError("xlsx_corrupt", file=file) from exc
    tables = []
    try:
        for sheet in book.worksheets:
            try:  # read-only sheets are parsed while iterating: a broken part fails here
                rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            except Exception as exc:
                raise GapcoreError("xlsx_corrupt", file=file) from exc
            table = sheet_table(file, sheet.title, rows, header_row=header_row, limits=limits,
                                has_formulas=has_formulas)
            if table is not None:
                tables.append(table)
    finally:
        book.close()
    return tables


def sheet_table(file: str, sheet: str, rows: list[list[object]], *, header_row: int | None, limits: Limits,
                has_formulas: bool = False) -> RawTable | None:
    """One sheet's cells (rows of values, ``None`` for an empty cell) as a ``RawTable``: its header row
    found below any title rows and its question rows taken apart, every limit checked; ``None`` for a sheet
    with nothing in it. Every spreadsheet reader ends here, so a sheet reads alike whatever wrote it."""
    while rows and all(v is None or str(v).strip() == "" for v in rows[-1]):
        rows.pop()
    if not rows:
        return None
    width = max(len(r) for r in rows)
    if width > limits.max_columns:
        raise GapcoreError("too_many_columns", file=file, sheet=sheet, count=width, limit=limits.max_columns)
    cells = [[("" if v is None else str(v)) for v in r] for r in rows[:HEADER_SCAN_ROWS + 2]]
    try:
        layout = locate_header(cells, header_row)
    except GapcoreError as exc:
        raise GapcoreError("header_row_missing", file=file, sheet=sheet, row=exc.problem.row) from exc
    header, names, duplicates = layout.index, layout.names, layout.duplicates
    names += [f"column_{j + 1}" for j in range(len(names), width)]
    body = [r + [None] * (width - len(r)) for r in rows[header + layout.rows:]]
    frame = pd.DataFrame(body, columns=names, dtype=object)
    for name in names:
        long_cells = frame[name].map(lambda v: isinstance(v, str) and len(v) > limits.max_cell_chars)
        if long_cells.any():
            raise GapcoreError("cell_too_long", file=file, sheet=sheet, column=name,
                               row=header + 1 + layout.rows + int(long_cells.to_numpy().argmax()))
    return RawTable(file, sheet, frame, header + 1, None, None, layout.texts,
                    duplicates=tuple(n for _, n in duplicates), has_formulas=has_formulas,
                    header_rows=layout.rows, export_shape=layout.shape)


# Runs in a child interpreter with a memory ceiling: calamine builds each sheet as one dense range, so a
# small legacy or OpenDocument file that names a far corner cell (or repeats a column a million times)
# would claim gigabytes. Bytes come in on stdin, every sheet's rows go back pickled; nothing touches disk.
_CALAMINE_CHILD = """
import io, pickle, resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
import python_calamine
data = sys.stdin.buffer.read()
try:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        if sheet.width > int(sys.argv[2]):
            pickle.dump(("too_many_columns", (name, sheet.width)), sys.stdout.buffer)
            sys.exit(0)
        rows = []
        for row in sheet.iter_rows():  # each row without its empty tail: a far corner cell costs one row
            end = len(row)
            while end and row[end - 1] == "":
                end -= 1
            rows.append(list(row[:end]))
        del sheet
        sheets.append((name, rows))
except MemoryError:
    pickle.dump(("error", "the file asks for more memory than a survey can need"), sys.stdout.buffer)
    sys.exit(0)
except Exception as exc:
    pickle.dump(("error", str(exc)[:200]), sys.stdout.buffer)
    sys.exit(0)
pickle.dump(("ok", sheets), sys.stdout.buffer)
"""


def _calamine_value(value: object) -> object:
    """A calamine cell as openpyxl gives it: empty is ``None``, a whole number stored as a float an ``int``."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_spreadsheet(data: bytes, file: str, *, header_row: int | None = None, limits: Limits = DEFAULT_LIMITS,
                     timeout: float = 300) -> list[RawTable]:
    """Every non-empty sheet of a legacy Excel workbook (``.xls``, BIFF in any code page) or an OpenDocument
    spreadsheet (``.ods``), read by calamine in a child interpreter under ``limits.max_spreadsheet_memory``
    (an ``.ods`` package is checked as an ``.xlsx`` is, before anything unpacks it)."""
    if data[:8] == OLE2 and is_encrypted(data):
        raise GapcoreError("xlsx_encrypted", file=file)
    if data[:8] != OLE2:
        archive = check_zip(data, file, limits, required="content.xml")
        try:
            scan_parts(archive, file, limits)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise GapcoreError("spreadsheet_unreadable", file=file, detail="damaged package") from exc
    try:
        child = subprocess.run([sys.executable, "-c", _CALAMINE_CHILD, str(limits.max_spreadsheet_memory),
                                str(limits.max_columns)], input=data, capture_output=True, timeout=timeout,
                               check=False)
    except subprocess.TimeoutExpired as exc:
        raise GapcoreError("spreadsheet_unreadable", file=file, detail="reading took too long") from exc
    if child.returncode != 0 or not child.stdout:
        raise GapcoreError("spreadsheet_unreadable", file=file, detail="the reader stopped on this file")
    status, payload = pickle.loads(child.stdout)  # our own child's output, never user bytes
    if status == "too_many_columns":
        raise GapcoreError("too_many_columns", file=file, sheet=payload[0], count=payload[1],
                           limit=limits.max_columns)
    if status != "ok":
        raise GapcoreError("spreadsheet_unreadable", file=file, detail=payload)
    tables = []
    for name, rows in payload:
        table = sheet_table(file, name, [[_calamine_value(v) for v in row] for row in rows],
                            header_row=header_row, limits=limits)
        if table is not None:
            tables.append(table)
    return tables


#: The first part of an OpenDocument spreadsheet names its type, uncompressed (ODF 1.2, section 3.3).
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
