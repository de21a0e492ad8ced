"""Reading raw files into tables of cells, safely.

Each reader turns the bytes of one uploaded file into one or more :class:`RawTable` objects: the
cells as found, the header row located, nothing interpreted yet. Size limits are checked before any
parsing (an XLSX is checked for its uncompressed size and entry count before it is opened). Every
failure is a :class:`~gapcore.errors.GapcoreError` with a message key and a location.
"""

from __future__ import annotations

import codecs
import csv
import io
import pickle
import posixpath
import re
import subprocess
import sys
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import PurePath

import charset_normalizer
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from gapcore.errors import GapcoreError
from gapcore.io.columns import code_level, detect_header_score, header_level
from gapcore.io.scale import is_answer_label


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


DEFAULT_LIMITS = Limits()

ENCODING_ALIASES = {
    "euc_kr": "cp949", "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "cp949": "cp949", "uhc": "cp949",
    "gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "gb18030": "gb18030",
    "big5": "big5", "big5hkscs": "big5", "cp950": "big5",
    "shift_jis": "cp932", "cp932": "cp932", "sjis": "cp932",
    "latin_1": "cp1252", "iso8859_1": "cp1252", "cp1252": "cp1252", "latin-1": "cp1252",
    "utf_8": "utf-8", "utf-8": "utf-8", "ascii": "utf-8", "utf_8_sig": "utf-8-sig",
}
_SAMPLE_BYTES = 256 * 1024
_HEADER_SCAN_ROWS = 30


def normalize_encoding(name: str) -> str:
    key = name.strip().lower().replace(" ", "")
    return ENCODING_ALIASES.get(key, ENCODING_ALIASES.get(key.replace("-", "_"), key))


def detect_encoding(data: bytes, file: str = "") -> str:
    """Encoding of a text file: BOM first, then strict UTF-8, then charset-normalizer.

    A file that is valid UTF-8 up to some row and not after it mixes encodings (rows pasted from
    another export): that is reported at the row, not papered over by a guess.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    bad_at = _first_invalid_utf8(data)
    if bad_at is None:
        return "utf-8"
    # Text before the first invalid byte that is real UTF-8 (Hangul and CJK take three bytes) means the
    # file mixes encodings. Two-byte CP949/GB18030 pairs can pass for UTF-8 by chance ("타" is C5 B8),
    # so a prefix with only such characters is not taken as proof.
    if re.search(r"[\u0800-\uffff]", data[:bad_at].decode("utf-8", errors="ignore")):
        raise GapcoreError("decode_error", file=file, row=data.count(b"\n", 0, bad_at) + 1, encoding="utf-8")
    sample = data[bad_at: bad_at + _SAMPLE_BYTES]
    for start, end in reversed(_utf8_lines(sample, "")):  # UTF-8 rows pasted in would skew the guess
        sample = sample[:start] + sample[end:]
    # Survey files are mostly ASCII digits and delimiters; judging only the non-ASCII runs (headers,
    # labels, segment names) keeps the detector from settling on a single-byte code page.
    # Whole cells, not byte runs: Big5 and Shift-JIS trail bytes can be ASCII letters.
    cells = re.findall(rb"[^,;|\t\r\n]*[\x80-\xff][^,;|\t\r\n]*", sample)
    matches = charset_normalizer.from_bytes(b"\n".join(cells), cp_isolation=list(LEGACY_ENCODINGS))
    if not matches:
        return "cp1252"
    # Short texts leave several code pages equally clean; then EUC-style bytes (all in A1–FE) point
    # to CP949/GB18030, anything else to Shift-JIS/Big5.
    euc_style = re.search(rb"[\x80-\xa0\xff]", b"".join(cells)) is None
    order = _EUC_FIRST if euc_style else _SJIS_FIRST
    best = min(matches, key=lambda m: (round(m.chaos, 2), order.index(normalize_encoding(m.encoding))))
    return normalize_encoding(best.encoding)


def _first_invalid_utf8(data: bytes, chunk: int = 8 * 1024**2) -> int | None:
    """Offset of the first byte that is not valid UTF-8, checked in chunks (no full-size copy); an
    all-ASCII file (most exports) is valid without decoding."""
    if data.isascii():
        return None
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    for offset in range(0, len(data), chunk):
        try:
            decoder.decode(view[offset: offset + chunk], final=offset + chunk >= len(data))
        except UnicodeDecodeError as exc:
            return max(0, offset + exc.start - len(decoder.getstate()[0]))
    return None


#: The legacy encodings a CSV that is not UTF-8 is tried in; the Data page offers them by name after UTF-8.
LEGACY_ENCODINGS = ("cp949", "gb18030", "big5", "cp932", "cp1252")
OFFERED_ENCODINGS = ("utf-8", *LEGACY_ENCODINGS)
#: The file kinds ``read_file`` reads, by extension: what the Data page's uploader accepts.
FILE_TYPES = ("csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods", "sav", "zsav", "parquet")
_EUC_FIRST = ("cp949", "gb18030", "big5", "cp932", "cp1252")
_SJIS_FIRST = ("cp932", "big5", "gb18030", "cp949", "cp1252")


_UTF8_WIDE = re.compile(rb"[\xe0-\xef][\x80-\xbf][\x80-\xbf]")  # a UTF-8 Hangul/CJK character


def _utf8_lines(data: bytes, encoding: str) -> list[tuple[int, int]]:
    """Lines (start, end byte offsets) of a file in ``encoding`` that are UTF-8 instead: rows pasted
    from another export. Such a line is valid UTF-8 with Hangul or CJK in it, which text in a legacy
    code page almost never is (CP949/GB18030 lead bytes are not followed by UTF-8 continuation pairs)."""
    if encoding in ("utf-8", "utf-8-sig", "utf-16"):
        return []
    found: dict[int, int] = {}
    for match in _UTF8_WIDE.finditer(data):
        start = data.rfind(b"\n", 0, match.start()) + 1
        if start in found:
            continue
        end = data.find(b"\n", match.end())
        end = len(data) if end < 0 else end
        try:
            data[start:end].decode("utf-8")
        except UnicodeDecodeError:
            found[start] = -1
            continue
        found[start] = end
    return [(start, end) for start, end in found.items() if end >= 0]


def _decode_mixed(data: bytes, encoding: str, file: str) -> tuple[str, tuple[int, ...]]:
    """The text of a file in ``encoding``, with the lines that are UTF-8 (see ``_utf8_lines``) decoded
    as UTF-8 rather than garbled; and the file rows of those lines, to be reported."""
    lines = _utf8_lines(data, encoding)
    if not lines:
        return _decode(data, encoding, file), ()
    parts, last = [], 0
    for start, end in lines:
        parts.append(_decode(data[last:start], encoding, file))
        parts.append(data[start:end].decode("utf-8"))
        last = end
    parts.append(_decode(data[last:], encoding, file))
    return "".join(parts), tuple(data.count(b"\n", 0, start) + 1 for start, _ in lines)


def _decode(data: bytes, encoding: str, file: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        raise GapcoreError("decode_error", file=file, row=row, encoding=encoding) from exc
    except LookupError as exc:
        raise GapcoreError("unknown_encoding", file=file, encoding=encoding) from exc


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    best, best_score = ",", -1.0
    for delim in (",", ";", "\t", "|"):
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


def find_header_row(rows: list[list[str]]) -> int:
    """Index of the header among the first rows: the row with the most recognised column names."""
    best, best_score = 0, 0
    for index, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        score = detect_header_score(row)
        if score > best_score:
            best, best_score = index, score
    if best_score == 0:
        for index, row in enumerate(rows[:_HEADER_SCAN_ROWS]):  # first row filled at least half
            filled = sum(1 for c in row if str(c).strip())
            if row and filled >= max(2, len(row) // 2):
                return index
    return best


def _question_texts(rows: list[list[str]], header: int, names: list[str]) -> dict[str, str]:
    """Question texts in the row above a coded header (two-row headers)."""
    if header == 0:
        return {}
    above = rows[header - 1]
    texts = {name: str(above[j]).strip() for j, name in enumerate(names)
             if j < len(above) and str(above[j]).strip() and not code_level(above[j], "EPAIMSDC")}
    return texts if len(texts) >= max(2, len(names) // 2) else {}


_IMPORT_ID = re.compile(r"""^\{\s*["']?importid["']?\s*:""", re.IGNORECASE)
_DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_RESPONSE_WORDS = frozenset({"response", "open-ended response", "other (please specify)", "응답", "回答"})


def _cell(row: list[object], j: int) -> str:
    value = row[j] if j < len(row) else None
    return "" if value is None else str(value).strip()


def _is_data_cell(text: str) -> bool:
    """A cell that reads as an answer: a number, a date, or an answer label."""
    if not text:
        return False
    try:
        float(text.replace(",", ""))
        return True
    except ValueError:
        return bool(_DATE_LIKE.match(text)) or is_answer_label(text)


def _is_question_text_row(row: list[object], data: list[list[object]], width: int) -> bool:
    """A row under the header that holds text where the rows below hold answers: the question texts
    of a Qualtrics export (codes in row 1, texts in row 2). Never a respondent."""
    answer_columns = text_cells = 0
    for j in range(width):
        column = [c for c in (_cell(d, j) for d in data) if c]
        if not column or sum(map(_is_data_cell, column)) < 0.8 * len(column):
            continue
        answer_columns += 1
        cell = _cell(row, j)
        text_cells += bool(cell) and not _is_data_cell(cell)
    return answer_columns >= 2 and text_cells >= max(2, answer_columns / 2)


@dataclass(frozen=True)
class HeaderLayout:
    """Where the header is and what it says: its first row (0-based), how many rows it takes, the
    column names, the question texts found in extra header rows, and the export it looks like."""

    index: int
    rows: int
    names: list[str]
    duplicates: list[tuple[int, str]]
    texts: dict[str, str]
    shape: str | None


def locate_header(rows: list[list[object]], header_row: int | None = None) -> HeaderLayout:
    """Find the header among the first rows, and the header rows under it that survey tools add:

    - Qualtrics: codes, then the question texts, then (newer exports) ``{"ImportId": …}`` cells;
    - SurveyMonkey: the question (a matrix question once, over blank cells), then one row naming each
      answer option or matrix row ("Response", "Clean facilities", …).

    Those rows become question texts and column names, never respondents."""
    index = header_row - 1 if header_row else find_header_row(rows)
    if index >= len(rows):
        raise GapcoreError("header_row_missing", row=index + 1)
    head = list(rows[index])
    width = max([len(head), *(len(r) for r in rows[index + 1: index + 4])])
    head += [None] * (width - len(head))
    below = rows[index + 1:]
    texts: dict[str, str] = {}
    extra = 0
    shape = None
    raw_names = _surveymonkey_names(head, below, width)
    if raw_names is not None:
        extra, shape = 1, "surveymonkey"
    names, duplicates = unique_names(raw_names if raw_names is not None else head)
    if shape is None and below:
        qualtrics = _qualtrics_rows(below, names, width)
        if qualtrics is not None:
            texts, extra = qualtrics
            shape = "qualtrics"
    if shape == "surveymonkey":
        texts = {name: name for name in names}
    if not texts:
        texts = _question_texts([[_cell(r, j) for j in range(width)] for r in rows], index, names)
    if shape is None and _cell(head, 0).lower() in ("timestamp", "타임스탬프", "时间戳", "提交时间"):
        shape = "google_forms"
    return HeaderLayout(index, 1 + extra, names, duplicates, texts, shape)


def _surveymonkey_names(head: list[object], below: list[list[object]], width: int) -> list[object] | None:
    """SurveyMonkey's second header row names each answer option or matrix row under a question written
    once over blank cells: the column names as "Question - Option"; ``None`` when the rows are not so."""
    blank = [j for j in range(width) if not _cell(head, j)]
    if not below or not (blank or any(_cell(below[0], j).lower() in _RESPONSE_WORDS for j in range(width))):
        return None
    filled = [_cell(below[0], j) for j in range(width)]
    if (not all(filled[j] for j in blank) or not any(filled)
            or any(_is_data_cell(c) for c in filled if c.lower() not in _RESPONSE_WORDS)):
        return None
    question = ""
    spans: list[str] = []
    for j in range(width):
        question = _cell(head, j) or question
        spans.append(question)
    names: list[object] = []
    for option, question in zip(filled, spans, strict=True):
        wide = spans.count(question) > 1 and bool(question)
        if option and option.lower() not in _RESPONSE_WORDS and (wide or not question):
            names.append(f"{question} - {option}" if question else option)
        else:
            names.append(question or option)
    return names


def _qualtrics_rows(below: list[list[object]], names: list[str], width: int) -> tuple[dict[str, str], int] | None:
    """Qualtrics' question-text row under the codes (and the ``ImportId`` row under it in newer exports):
    the question texts and how many rows they take; ``None`` when the first row below is data."""
    import_rows = [k for k, r in enumerate(below[:2])
                   if sum(bool(_IMPORT_ID.match(_cell(r, j))) for j in range(width))
                   >= max(1, sum(bool(_cell(r, j)) for j in range(width)) // 2)]
    data = [r for k, r in enumerate(below[:32]) if k not in import_rows][1:]
    if not _is_question_text_row(below[0], data, width):
        return None
    texts = {name: _cell(below[0], j) for j, name in enumerate(names) if _cell(below[0], j)}
    return texts, 2 if import_rows == [1] else 1


def unique_names(names: list[object]) -> tuple[list[str], list[tuple[int, str]]]:
    """Header cells as unique strings; blank cells named by position. Also returns duplicates."""
    result: list[str] = []
    duplicates: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for j, raw in enumerate(names):
        name = "" if raw is None or (isinstance(raw, float) and pd.isna(raw)) else str(raw).strip()
        name = unicodedata.normalize("NFC", name) or f"column_{j + 1}"
        if name in seen:
            duplicates.append((j, name))
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        seen.setdefault(name, 1)
        result.append(name)
    return result, duplicates


def read_csv(data: bytes, file: str, *, encoding: str | None = None, delimiter: str | None = None,
             header_row: int | None = None, limits: Limits = DEFAULT_LIMITS) -> RawTable:
    """A CSV/TSV file of any delimiter and common encoding, title rows above the header allowed."""
    if re.search(rb"\S", data) is None:
        raise GapcoreError("empty_file", file=file)
    if b"\x00" in data[:_SAMPLE_BYTES] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GapcoreError("not_text", file=file)
    enc = normalize_encoding(encoding) if encoding else detect_encoding(data, file)
    if enc in ("utf-8", "utf-8-sig"):
        # Already validated (or to be validated by the parser, when the user chose the encoding):
        # decode only the head, which is all the header search needs.
        text = data[: _SAMPLE_BYTES].decode("utf-8", errors="ignore")
        payload = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        utf8_rows: tuple[int, ...] = ()
    else:
        text, utf8_rows = _decode_mixed(data, enc, file)
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
    head_text = text[:_SAMPLE_BYTES]
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
        if len(rows) >= _HEADER_SCAN_ROWS + 2:
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


#: The signature of an OLE2 compound file: a legacy Excel workbook (.xls), or an encrypted .xlsx inside one.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _is_encrypted(data: bytes) -> bool:
    """An OLE2 file that wraps an encrypted Office package (a password-protected .xlsx)."""
    return "EncryptionInfo".encode("utf-16-le") in data[:1024 * 1024] or b"EncryptedPackage" in data


def _check_zip(data: bytes, file: str, limits: Limits, *, required: str = "xl/workbook.xml") -> zipfile.ZipFile:
    """The package's size, entry count and compression ratio within ``limits`` before anything unpacks it,
    and its ``required`` part there (a workbook's, or an OpenDocument spreadsheet's ``content.xml``)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise GapcoreError("xlsx_corrupt", file=file) from exc
    if len(infos) > limits.max_xlsx_entries:
        raise GapcoreError("xlsx_too_many_entries", file=file, count=len(infos), limit=limits.max_xlsx_entries)
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > limits.max_xlsx_uncompressed_bytes or total / packed > limits.max_xlsx_ratio:
        raise GapcoreError("xlsx_too_large_uncompressed", file=file, size_mb=round(total / 1024**2, 1),
                           limit_mb=round(limits.max_xlsx_uncompressed_bytes / 1024**2, 1))
    names = {i.filename for i in infos}
    if required not in names:
        raise GapcoreError("xlsx_corrupt", file=file)
    return archive


_XML_DECLARATIONS = tuple(marker.encode(enc) for marker in ("<!DOCTYPE", "<!ENTITY")
                          for enc in ("utf-8", "utf-16-le", "utf-16-be"))


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


_SCAN_CHUNK = 1024 * 1024
_SMALL_PART = 1024 * 1024  # a part this small cannot hurt, whatever its compression
_EBCDIC_XML = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC, which libxml2 detects


def _could_be_xml(first: bytes) -> bool:
    """Whether a part beginning with ``first`` could be read by an XML parser at all: XML begins with "<"
    after white space and a byte order mark, in UTF-8, -16 or -32 (NUL bytes between); a picture (PNG,
    JPEG, GIF, EMF), an OLE blob or any other binary part does not, whatever it is named or points to it."""
    text = first.replace(b"\x00", b"").lstrip(b" \t\r\n\xef\xbb\xbf\xff\xfe")
    return not first or text.startswith(b"<") or first.startswith(_EBCDIC_XML)


_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>")
_ATTRIBUTE = re.compile(rb'\b(Type|Target)\s*=\s*"([^"]*)"')
_WORKBOOK_TYPES = re.compile(rb'<Override\b[^>]*PartName="([^"]+)"[^>]*ContentType="[^"]*(?:sheet|template)'
                             rb'(?:\.macroEnabled)?\.main\+xml"')


def _streamed_sheets(archive: zipfile.ZipFile, file: str) -> set[str]:
    """The parts the XML reader reads row by row: worksheets the workbook's relationships name and no other
    relationship names too. Every other part is held whole. A workbook that is not at ``xl/workbook.xml``
    (where every spreadsheet program puts it; the reader would follow the content types elsewhere) is refused."""
    types = b""
    if "[Content_Types].xml" in archive.namelist():
        with archive.open("[Content_Types].xml") as part:  # its size is checked later: never read past 1 MB here
            types = part.read(_SMALL_PART)
    if any(part != b"/xl/workbook.xml" for part in _WORKBOOK_TYPES.findall(types)):
        raise GapcoreError("xlsx_corrupt", file=file)
    try:
        info = archive.getinfo("xl/_rels/workbook.xml.rels")
    except KeyError:
        return set()
    if info.file_size > _SMALL_PART:
        return set()
    sheets, other = set(), set()
    for element in _RELATIONSHIP.findall(archive.read(info)):
        attributes = dict(_ATTRIBUTE.findall(element))
        target = attributes.get(b"Target", b"").decode("utf-8", "replace")
        part = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target))
        (sheets if attributes.get(b"Type", b"").endswith(b"/worksheet") else other).add(part)
    return sheets - other


def _check_held_part(info: zipfile.ZipInfo, size: int, file: str, limits: Limits) -> None:
    """A part held whole may not unpack past the held-part allowance for a file of ``size`` bytes."""
    allowed = limits.held_part_factor * size + limits.held_part_budget
    if info.file_size > allowed:
        raise GapcoreError("xlsx_part_too_large", file=file, part=info.filename,
                           size_mb=round(info.file_size / 1024**2, 1), limit_mb=round(allowed / 1024**2, 1))


def _scan_parts(archive: zipfile.ZipFile, file: str, limits: Limits, held_size: int | None = None) -> bool:
    """One pass over the package's parts before any XML parser sees them, each read in chunks (never whole):
    refuse a part compressed beyond ``limits.max_xlsx_ratio`` on its own (a gigabyte of spaces hidden beside
    random bytes kept the whole archive's ratio low), document type declarations in any part an XML parser
    could read, whatever its name (entity expansion, "billion laughs"; Excel never writes them), and sheets
    declaring more columns than allowed; a part held whole past its allowance (a 1 MB file whose shared strings
    unpack to 60 MB, under the ratio, cost 74 MB), for a file of ``held_size`` bytes (``None``: the package is
    read in a child under its own memory ceiling); report whether any cell holds a formula."""
    has_formulas = False
    streamed = _streamed_sheets(archive, file) if held_size is not None else set()
    for info in archive.infolist():
        if info.file_size > _SMALL_PART and info.file_size / max(1, info.compress_size) > limits.max_xlsx_ratio:
            raise GapcoreError("xlsx_part_ratio", file=file, part=info.filename,
                               ratio=round(info.file_size / max(1, info.compress_size)))
        if info.is_dir():
            continue
        sheet = info.filename.startswith("xl/worksheets/sheet")
        tail = b""
        with archive.open(info) as part:
            first = True
            while chunk := part.read(_SCAN_CHUNK):
                if first and not _could_be_xml(chunk[:64]):
                    break  # a picture or a binary blob: no XML parser reads past its first byte
                if first and held_size is not None and info.filename not in streamed:
                    _check_held_part(info, held_size, file, limits)
                body = tail + chunk
                if any(marker in body for marker in _XML_DECLARATIONS):
                    raise GapcoreError("xlsx_xml_entities", file=file, part=info.filename)
                if sheet:
                    has_formulas = has_formulas or re.search(rb"<f[ >]", body) is not None
                    if first:
                        _check_declared_columns(body[:4096], file, limits)
                first, tail = False, body[-32:]  # a marker cut by the chunk's end is whole in the next
    return has_formulas


def _check_declared_columns(head: bytes, file: str, limits: Limits) -> None:
    declared = re.search(rb'<dimension ref="[A-Za-z]+\d+:([A-Za-z]+)\d+"', head)
    if declared and _column_number(declared.group(1)) > limits.max_columns:
        raise GapcoreError("too_many_columns", file=file, count=_column_number(declared.group(1)),
                           limit=limits.max_columns)


def read_xlsx(data: bytes, file: str, *, header_row: int | None = None,
              limits: Limits = DEFAULT_LIMITS) -> list[RawTable]:
    """Every non-empty sheet of a workbook (values as last computed by Excel)."""
    import openpyxl  # deferred: only workbooks need it

    archive = _check_zip(data, file, limits)
    try:
        has_formulas = _scan_parts(archive, file, limits, len(data))
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
    cells = [[("" if v is None else str(v)) for v in r] for r in rows[:_HEADER_SCAN_ROWS + 2]]
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
    if data[:8] == OLE2 and _is_encrypted(data):
        raise GapcoreError("xlsx_encrypted", file=file)
    if data[:8] != OLE2:
        archive = _check_zip(data, file, limits, required="content.xml")
        try:
            _scan_parts(archive, file, limits)
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


# Runs in a child interpreter: ReadStat (C) can crash on a damaged file. Bytes come in on stdin and
# the parsed frame goes back pickled on stdout; nothing touches the disk.
_SAV_CHILD = """
import io, pickle, sys
import pyreadstat
data = sys.stdin.buffer.read()
try:
    frame, meta = pyreadstat.read_sav(io.BytesIO(data), user_missing=False)
except Exception as exc:
    pickle.dump(("error", str(exc)[:200]), sys.stdout.buffer)
    sys.exit(0)
labels = {col: {float(k): str(v) for k, v in meta.variable_value_labels.get(col, {}).items()}
          for col in frame.columns if meta.variable_value_labels.get(col)}
texts = {c: l for c, l in zip(meta.column_names, meta.column_labels or []) if l}
pickle.dump(("ok", (frame, labels, texts, meta.file_encoding)), sys.stdout.buffer)
"""


def read_sav(data: bytes, file: str, *, timeout: float = 300) -> RawTable:
    """An SPSS ``.sav``/``.zsav``: numeric codes kept, value and variable labels carried alongside.

    Parsed in a separate interpreter (bytes through a pipe, never a file), so a file that crashes the
    C reader costs one child process and becomes a message instead of taking the server down.
    """
    try:
        child = subprocess.run([sys.executable, "-c", _SAV_CHILD], input=data, capture_output=True,
                               timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        raise GapcoreError("sav_unreadable", file=file, detail="reading took too long") from exc
    if child.returncode != 0 or not child.stdout:
        raise GapcoreError("sav_unreadable", file=file, detail="the SPSS reader stopped on this file")
    status, payload = pickle.loads(child.stdout)  # our own child's output, never user bytes
    if status != "ok":
        raise GapcoreError("sav_unreadable", file=file, detail=payload)
    frame, value_labels, texts, encoding = payload
    return RawTable(file, None, frame, 1, encoding, None, texts, value_labels)


#: Parquet integers become pandas' nullable integers: a 1–7 answer stays one byte (plus a byte of
#: mask) instead of pandas' default float64 for an integer column with a missing value.
_NULLABLE_INTEGERS = {
    pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(), pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype(),
    pa.uint32(): pd.UInt32Dtype(), pa.uint64(): pd.UInt64Dtype(),
}


def read_parquet(data: bytes, file: str) -> RawTable:
    """Read column by column: each column is decoded, checked and converted to pandas before the next
    is read, so a 10-million-row file never exists twice in memory (Arrow and pandas) at once."""
    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
        names = parquet.schema_arrow.names
        index_columns = {c for c in (parquet.schema_arrow.pandas_metadata or {}).get("index_columns", [])
                         if isinstance(c, str)}
        if len(set(names)) != len(names):  # duplicate names cannot be read one by one
            table = parquet.read()
            table.validate(full=True)
            frame = table.to_pandas(types_mapper=_NULLABLE_INTEGERS.get, ignore_metadata=True)
        else:
            columns: dict[str, pd.Series] = {}
            for name in names:
                if name in index_columns:
                    continue
                table = parquet.read(columns=[name])
                table.validate(full=True)  # e.g. text that is not UTF-8 would otherwise fail later, anywhere
                columns[name] = table.to_pandas(types_mapper=_NULLABLE_INTEGERS.get, ignore_metadata=True,
                                                self_destruct=True)[name]
            frame = pd.DataFrame(columns, copy=False)
    except Exception as exc:  # a damaged file fails anywhere in pyarrow, with many exception types
        raise GapcoreError("parquet_unreadable", file=file, detail=str(exc)[:200]) from exc
    return RawTable(file, None, frame, 1)


#: The first part of an OpenDocument spreadsheet names its type, uncompressed (ODF 1.2, section 3.3).
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def read_file(name: str, data: bytes, *, encoding: str | None = None, delimiter: str | None = None,
              header_row: int | None = None, limits: Limits = DEFAULT_LIMITS) -> list[RawTable]:
    """Dispatch on the file's content first and its extension second."""
    if len(data) > limits.max_file_bytes:
        raise GapcoreError("file_too_large", file=name, size_mb=round(len(data) / 1024**2, 1),
                           limit_mb=round(limits.max_file_bytes / 1024**2, 1))
    if not data:
        raise GapcoreError("empty_file", file=name)
    suffix = PurePath(name).suffix.lower()
    if data[:8] == OLE2:  # a legacy workbook, or an encrypted .xlsx (read_spreadsheet says which)
        return read_spreadsheet(data, name, header_row=header_row, limits=limits)
    if data.startswith(b"PK\x03\x04") and (suffix == ".ods" or _ODS_MIMETYPE in data[:100]):
        return read_spreadsheet(data, name, header_row=header_row, limits=limits)
    if data.startswith(b"PK\x03\x04") or suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data, name, header_row=header_row, limits=limits)
    if data.startswith(b"$FL2") or data.startswith(b"$FL3") or suffix in (".sav", ".zsav"):
        return [read_sav(data, name)]
    if data.startswith(b"PAR1") or suffix == ".parquet":
        return [read_parquet(data, name)]
    if suffix in (".xls", ".ods"):  # neither a workbook nor a package: a web page or text saved under the name
        raise GapcoreError("xls_legacy", file=name)
    return [read_csv(data, name, encoding=encoding, delimiter=delimiter, header_row=header_row, limits=limits)]
