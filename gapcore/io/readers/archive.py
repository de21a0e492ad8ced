"""XLSX safety, before openpyxl opens anything: the zip's entries, sizes and compression ratios checked
part by part, streamed in chunks (a padded part cannot cost the server its memory), DOCTYPE and ENTITY
declarations refused in any part an XML parser could follow, encrypted workbooks said.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from gapcore.errors import GapcoreError
from gapcore.io.readers.raw import Limits

#: The signature of an OLE2 compound file: a legacy Excel workbook (.xls), or an encrypted .xlsx inside one.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def is_encrypted(data: bytes) -> bool:
    """An OLE2 file that wraps an encrypted Office package (a password-protected .xlsx)."""
    return "EncryptionInfo".encode("utf-16-le") in data[:1024 * 1024] or b"EncryptedPackage" in data


def check_zip(data: bytes, file: str, limits: Limits, *, required: str = "xl/workbook.xml") -> zipfile.ZipFile:
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


def scan_parts(archive: zipfile.ZipFile, file: str, limits: Limits, held_size: int | None = None) -> bool:
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
