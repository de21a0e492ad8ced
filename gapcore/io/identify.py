"""Which table a sheet or file is: recognised by its name (customers, management, ...), by its
columns, or -- for an unnamed file of respondents -- by its answer-like rows. One table per sheet; a sheet
that is none of them is reported, never guessed.

In detail: names in EN/KO/ZH, else columns; with no customer table named, the sheet or file with the most
respondent-like rows (`respondent_rows`: three or more numbers) is taken and said (`customers_by_rows`); `sheet=`
(the Data page's sheet picker, `--sheet`) names it instead; `LoadResult.sheets` lists every sheet read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath

import pandas as pd

from gapcore.instrument import items_columns
from gapcore.io.headers import LEVEL_ALIASES, PROVIDER_LEVEL, block_codes, header_level
from gapcore.io.mapping import ColumnSpec
from gapcore.io.readers.raw import RawTable
from gapcore.problems import Problem

#: Sheet and file names recognised for each table (matched after lower-casing, spaces removed).
TABLE_ALIASES: Mapping[str, tuple[str, ...]] = {
    "notes": ("instructions", "readme", "notes", "안내", "설명", "说明", "填写说明"),
    "items": ("items", "item", "instrument", "questions", "문항", "항목", "설문문항", "题项", "题目", "量表"),
    "management": ("management", "managers", "manager", "mgmt", "경영진", "관리자", "경영", "管理层", "经理",
                   "管理"),
    "standards": ("standards", "standard", "서비스기준", "기준", "표준", "标准", "服务标准"),
    "delivery": ("delivery", "employees", "employee", "staff", "frontline", "audit", "mystery", "전달",
                 "직원", "현장", "미스터리", "交付", "员工", "一线", "神秘顾客"),
    "communications": ("communications", "communication", "promises", "promise", "advertising", "ads",
                       "커뮤니케이션", "광고", "약속", "홍보", "沟通", "宣传", "承诺", "广告"),
    "customers": ("customers", "customer", "survey", "respondents", "responses", "고객", "설문", "응답",
                  "客户", "顾客", "问卷", "受访者"),
}


def _table_from_name(name: str) -> str | None:
    key = re.sub(r"[\s_\-\.]+", "", unicodedata.normalize("NFKC", name).lower())
    for table, aliases in TABLE_ALIASES.items():
        if any(alias in key for alias in aliases):
            return table
    return None


def _items_like(columns: list[object]) -> bool:
    """The template's items sheet (``code`` and ``dimension``), or a legend or codebook like it: a few columns
    naming a code, a dimension and the wording ("Code", "Category", "Description"; "번호", "영역", "문항")."""
    if {"code", "dimension"} <= {str(c).strip().lower() for c in columns}:
        return True
    return len(columns) <= 8 and {"code", "dimension", "text"} <= set(items_columns(columns))


def _table_from_columns(columns: Iterable[object]) -> str | None:
    cols = list(columns)
    if block_codes(cols):  # A1…, B1…, C1…: questions coded by block, no level's table
        return None
    if _items_like(cols):
        return "items"
    counts = {level: sum(1 for c in cols if header_level(c, (level,))) for level in LEVEL_ALIASES}
    if counts["E"] or counts["P"]:
        return "customers"
    for table, level in PROVIDER_LEVEL.items():
        if counts[level]:
            return table
    return None


def identify_table(raw: RawTable, *, only: bool = False) -> str | None:
    """Which table a sheet or file holds.

    A workbook's sheets are named by the analyst, so the sheet name comes first; a file's name is
    often an export name ("survey_questions_2026.csv"), so a file's columns come first. A lone file
    that says nothing about itself is taken as the customer table, so its problems are reported as such.
    """
    if raw.sheet:
        return _table_from_name(raw.sheet) or _table_from_columns(raw.frame.columns) or (
            "customers" if only else None)
    return _table_from_columns(raw.frame.columns) or ("customers" if only else
                                                      _table_from_name(PurePath(raw.file).stem))


def respondent_rows(raw: RawTable) -> int:
    """Rows that look like a respondent's answers: three or more cells that are numbers. A questionnaire,
    a legend or a notes sheet has few or none; a data sheet has one per respondent."""
    if raw.frame.empty:
        return 0
    numbers = pd.DataFrame({j: pd.to_numeric(raw.frame.iloc[:, j].astype("string").str.strip(), errors="coerce")
                            for j in range(raw.frame.shape[1])})
    return int((numbers.notna().sum(axis=1) >= 3).sum())


def _customers_by_rows(unknown: Sequence[RawTable], problems: list[Problem]) -> RawTable | None:
    """When no sheet or file names itself the customer table: the one with the most respondent-like rows,
    said with its count (the others stay skipped, each said); ``None`` when none has any."""
    counts = [respondent_rows(raw) for raw in unknown]
    if not counts or max(counts) == 0:
        return None
    chosen = unknown[counts.index(max(counts))]
    problems.append(Problem("warning", "customers_by_rows", **chosen.place,
                            values={"rows": max(counts), "sheets": len(unknown)}))
    return chosen


def tables_by_name(raws: Sequence[RawTable], problems: list[Problem],
                   sheet: str | None = None) -> dict[str, list[RawTable]]:
    """Which table each sheet or file is; a second table of one kind is named with the one used. With no
    customer table named, the sheet or file with the most respondent-like rows is taken as it; ``sheet``,
    when given, is the customer table whatever the others are named."""
    by_table: dict[str, list[RawTable]] = {}
    unknown: list[RawTable] = []
    named = next((raw for raw in raws if sheet is not None and raw.sheet == sheet), None)
    if sheet is not None and named is None:
        problems.append(Problem("error", "sheet_not_found", values={
            "sheet": sheet, "sheets": ", ".join(str(raw.sheet) for raw in raws if raw.sheet)}))
    for raw in raws:
        table = "customers" if raw is named else identify_table(raw, only=len(raws) == 1)
        if table == "customers" and named is not None and raw is not named:
            table = None  # the analyst said where the respondents are
        if table is None:
            unknown.append(raw)
        elif table != "notes":
            by_table.setdefault(table, []).append(raw)
    chosen = _customers_by_rows(unknown, problems) if "customers" not in by_table else None
    if chosen is not None:
        by_table["customers"] = [chosen]
    problems.extend(Problem("warning", "unknown_table", **raw.place) for raw in unknown if raw is not chosen)
    for table, found in by_table.items():
        for extra in found[1:]:
            problems.append(Problem("warning", "table_twice", file=extra.file, sheet=extra.sheet, values={
                "table": table, "used": found[0].file + (f" / {found[0].sheet}" if found[0].sheet else "")}))
    return by_table


Mapped = dict[str, tuple[RawTable, list[ColumnSpec]]]
