"""Reading raw files into tables of cells, safely.

Each reader turns the bytes of one uploaded file into one or more :class:`RawTable` objects: the cells as
found, the header row located, nothing interpreted yet. ``read_file`` picks the reader by the file's first
bytes, then its extension; each kind of file has its module (``delimited``, ``workbooks`` with the checks of
``archive``, ``spss``, ``parquet``), beside ``encoding`` and the survey tools' ``layouts``. Size limits are
checked before any parsing (an XLSX part by part before it is opened). Every failure is a
:class:`~gapcore.errors.GapcoreError` with a message key and a location.

In detail: bytes → `RawTable`: CSV/TSV (encoding detection with charset-normalizer; rows that are UTF-8 inside a
legacy-encoded file are decoded as UTF-8 and listed in `RawTable.utf8_rows`, reported as `mixed_encoding_rows`;
delimiter sniffing, pyarrow parse), XLSX (zip size/entry/ratio checks, then one pass over every part, each read in
1 MiB chunks, refusing a part compressed past the ratio on its own — padding hidden beside random bytes —,
DOCTYPE/ENTITY declarations in any part that could be XML by its first bytes whatever its name (`_could_be_xml`: a
sheet stored as `.png` is scanned, a real picture is not), a part the reader holds whole — all but the worksheets
the workbook's relationships name, `_streamed_sheets` — unpacking past `Limits.held_part_factor` × the file +
`held_part_budget`, and sheets declaring more columns than allowed, all before openpyxl parses anything), legacy
`.xls` (BIFF, any code page) and OpenDocument `.ods` through calamine (`read_spreadsheet`: in a child interpreter
under `Limits.max_spreadsheet_memory`, bytes through a pipe; an `.ods` package gets the `.xlsx` checks first),
every sheet of every workbook made a table by one function (`sheet_table`), SPSS via pyreadstat (value/variable
labels kept), Parquet (read one column at a time; integers become pandas' nullable integers, not float64). Finds
the header row below title rows (answer labels never count as column names) and the header rows survey tools add
under it (`locate_header`: Qualtrics question-text and ImportId rows, SurveyMonkey option rows), which become
question texts, never respondents; keeps question texts of two-row headers. `Limits` holds every size limit (file
bytes, files and bytes read together — checked by `load_study` before any parse —, unpacked bytes, parts, columns,
characters per cell — CSV and XLSX alike).
"""

from __future__ import annotations

from pathlib import PurePath

from gapcore.errors import GapcoreError
from gapcore.io.readers.archive import OLE2
from gapcore.io.readers.delimited import OFFERED_DELIMITERS, read_csv
from gapcore.io.readers.encoding import OFFERED_ENCODINGS
from gapcore.io.readers.parquet import read_parquet
from gapcore.io.readers.raw import DEFAULT_LIMITS, Limits, RawTable
from gapcore.io.readers.spss import read_sav
from gapcore.io.readers.workbooks import ODS_MIMETYPE, read_spreadsheet, read_xlsx

__all__ = ["DEFAULT_LIMITS", "FILE_TYPES", "OFFERED_DELIMITERS", "OFFERED_ENCODINGS", "Limits", "RawTable", "read_file"]

#: The file kinds ``read_file`` reads, by extension: what the Data page's uploader accepts.
FILE_TYPES = ("csv", "tsv", "txt", "xlsx", "xlsm", "xls", "ods", "sav", "zsav", "parquet")


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
    if data.startswith(b"PK\x03\x04") and (suffix == ".ods" or ODS_MIMETYPE in data[:100]):
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
