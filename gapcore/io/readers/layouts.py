"""Survey tools' layouts: where the header row is (title rows above it), the question-text rows Qualtrics
and SurveyMonkey write under their codes (and Qualtrics' ImportId row), and header names made unique.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from gapcore.errors import GapcoreError
from gapcore.io.headers import code_level, detect_header_score
from gapcore.io.scale import is_answer_label

HEADER_SCAN_ROWS = 30


def find_header_row(rows: list[list[str]]) -> int:
    """Index of the header among the first rows: the row with the most recognised column names."""
    best, best_score = 0, 0
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = detect_header_score(row)
        if score > best_score:
            best, best_score = index, score
    if best_score == 0:
        for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):  # first row filled at least half
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
