"""CSV, TSV and text exports: the delimiter sniffed, the header located, the rows parsed by pyarrow with
every cell kept as text until the loader reads it; ragged rows and over-long cells are refused with their row.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from gapcore.errors import GapcoreError
from gapcore.io.headers import header_level
from gapcore.io.readers.encoding import SAMPLE_BYTES, decode_mixed, detect_encoding, normalize_encoding
from gapcore.io.readers.layouts import HEADER_SCAN_ROWS, locate_header
from gapcore.io.readers.raw import DEFAULT_LIMITS, Limits, RawTable

#: The delimiters a CSV is sniffed for (in this order), by the names the Data page offers them under.
OFFERED_DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t", "bar": "|"}


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    best, best_score = ",", -1.0
    for delim in OFFERED_DELIMITERS.values():
        try:
            counts = [len(next(csv.reader([ln], delimiter=delim))) for ln in lines]
        except csv.Error:  # a "field" over the csv module's size limit: not this delimiter
            continue
        if not counts or max(counts) < 2:
            continue
        # most common field count, weighted by how many lines share it
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode) * mode
        if score > best_score:
            best, best_score = delim, score
    return best


def read_csv(data: bytes, file: str, *, encoding: str | None = None, delimiter: str | None = None,
             header_row: int | None = None, limits: Limits = DEFAULT_LIMITS) -> RawTable:
    """A CSV/TSV file of any delimiter and common encoding, title rows above the header allowed."""
    if re.search(rb"\S", data) is None:
        raise GapcoreError("empty_file", file=file)
    if b"\x00" in data[:SAMPLE_BYTES] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GapcoreError("not_text", file=file)
    enc = normalize_encoding(encoding) if encoding else detect_encoding(data, file)
    if enc in ("utf-8", "utf-8-sig"):
        # Already validated (or to be validated by the parser, when the user chose the encoding):
        # decode only the head, which is all the header search needs.
        text = data[: SAMPLE_BYTES].decode("utf-8", errors="ignore")
        payload = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        utf8_rows: tuple[int, ...] = ()
    else:
        text, utf8_rows = decode_mixed(data, enc, file)
        payload = text.encode("utf-8")
    try:
        table = _parse_csv(payload, text, enc, file, delimiter=delimiter, header_row=header_row, limits=limits)
    except csv.Error as exc:
        raise GapcoreError("csv_unreadable", file=file, detail=str(exc)[:200]) from exc
    return replace(table, utf8_rows=utf8_rows) if utf8_rows else table


def _parse_csv(payload: bytes, text: str, enc: str, file: str, *, delimiter: str | None,
               header_row: int | None, limits: Limits) -> RawTable:
    """Parse UTF-8 ``payload`` with pyarrow; ``text`` is (at least) the decoded head of the file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    head_text = text[:SAMPLE_BYTES]
    delim = delimiter or _sniff_delimiter(head_text)
    # Parsed as CSV, not split into lines, so a question text with a line break inside quotes stays one
    # cell; ``lines_read`` remembers how many physical lines each row took (pyarrow skips lines).
    rows, lines_read = _head_rows(head_text, delim)
    if not rows:
        raise GapcoreError("empty_file", file=file)
    try:
        layout = locate_header(rows, header_row)
    except GapcoreError as exc:
        raise GapcoreError("header_row_missing", file=file, row=exc.problem.row) from exc
    header, names, duplicates = layout.index, layout.names, layout.duplicates
    if len(names) > limits.max_columns:
        raise GapcoreError("too_many_columns", file=file, count=len(names), limit=limits.max_columns)
    if len(names) < 2:
        raise GapcoreError("single_column", file=file, row=header + 1, delimiter=delim)
    # Item columns are read straight into float32 (compact, no second pass); a column holding text
    # labels fails that conversion and is read again as text, to be mapped through the label table.
    numeric = {name: pa.float32() for name in names if header_level(name, "EPAIMSDC")}
    # Line breaks inside quoted cells (comments) force pyarrow onto a slower serial path, so they are
    # allowed only on a second try: a quoted line break splits its row, which the fast parse reports
    # as a row with too few columns (the two halves can never both have the header's width).
    newlines_in_values = False
    for _attempt in range(len(numeric) + 2):
        try:
            table = pacsv.read_csv(
                io.BytesIO(payload),
                read_options=pacsv.ReadOptions(skip_rows=lines_read[header + layout.rows - 1], column_names=names,
                                               block_size=16 * 1024**2),
                parse_options=pacsv.ParseOptions(delimiter=delim, newlines_in_values=newlines_in_values),
                convert_options=pacsv.ConvertOptions(column_types=numeric, strings_can_be_null=True,
                                                     quoted_strings_can_be_null=True),
            )
            break
        except pa.ArrowInvalid as exc:
            message = str(exc)
            failed = re.search(r"In CSV column #(\d+): CSV conversion error to float", message)
            if failed and names[int(failed.group(1))] in numeric:
                numeric.pop(names[int(failed.group(1))])
                continue
            match = re.search(r"Expected (\d+) columns, got (\d+)", message)
            if match and not newlines_in_values and b'"' in payload:
                newlines_in_values = True
                continue
            if match:
                row = _ragged_row(payload.decode("utf-8", errors="replace"), delim, len(names),
                                  header + layout.rows - 1)
                raise GapcoreError("ragged_rows", file=file, row=row,
                                   expected=int(match.group(1)), found=int(match.group(2))) from exc
            raise GapcoreError("csv_unreadable", file=file, detail=message.splitlines()[0][:200]) from exc
    _check_cell_lengths(table, names, file, header + layout.rows - 1, limits)
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    return RawTable(file, None, frame, header + 1, enc, delim, layout.texts,
                    duplicates=tuple(n for _, n in duplicates), header_rows=layout.rows, export_shape=layout.shape)


def _head_rows(head_text: str, delim: str) -> tuple[list[list[str]], list[int]]:
    """The first rows parsed as CSV, and how many physical lines each took (quoted line breaks)."""
    reader = csv.reader(io.StringIO(head_text, newline=""), delimiter=delim)
    rows: list[list[str]] = []
    lines_read: list[int] = []
    for row in reader:
        rows.append(row)
        lines_read.append(reader.line_num)
        if len(rows) >= HEADER_SCAN_ROWS + 2:
            break
    return rows, lines_read


def _check_cell_lengths(table: pa.Table, names: list[str], file: str, header: int, limits: Limits) -> None:
    """Refuse a text cell longer than Excel allows (a pasted document, or a file that is not a survey)."""
    for index, name in enumerate(names):
        column = table.column(index)
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            continue
        lengths = pc.utf8_length(column)
        longest = pc.max(lengths).as_py()
        if longest is not None and longest > limits.max_cell_chars:
            row = pc.index(lengths, longest).as_py()
            raise GapcoreError("cell_too_long", file=file, column=name, row=header + 2 + row)


def _ragged_row(text: str, delim: str, width: int, header: int) -> int | None:
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delim), start=1):
        if number > header + 1 and row and len(row) != width:
            return number
    return None
