"""Text encodings: UTF-8 first, then the legacy encodings Korean, Chinese and Japanese tools still write
(CP949, GB18030, Big5, CP932) and CP1252, detected from the bytes; a file that mixes UTF-8 rows into a
legacy encoding (a CP949 export appended to by hand) is decoded row by row and the rows are named.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from gapcore.errors import GapcoreError

ENCODING_ALIASES = {
    "euc_kr": "cp949", "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "cp949": "cp949", "uhc": "cp949",
    "gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "gb18030": "gb18030",
    "big5": "big5", "big5hkscs": "big5", "cp950": "big5",
    "shift_jis": "cp932", "cp932": "cp932", "sjis": "cp932",
    "latin_1": "cp1252", "iso8859_1": "cp1252", "cp1252": "cp1252", "latin-1": "cp1252",
    "utf_8": "utf-8", "utf-8": "utf-8", "ascii": "utf-8", "utf_8_sig": "utf-8-sig",
}


SAMPLE_BYTES = 256 * 1024


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
    sample = data[bad_at: bad_at + SAMPLE_BYTES]
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


def decode_mixed(data: bytes, encoding: str, file: str) -> tuple[str, tuple[int, ...]]:
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
