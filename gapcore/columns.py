"""Column detection: which column of which table holds what.

Headers are recognised in the forms analysts use (``E1``, ``E_1``, ``e01``, ``Q1_E``, ``Q1E``,
``exp1``, ``expectation_1``, ``기대1``, ``期望1``, whole question texts ending in a role marker such as
``3-1. … (기대 설문)``), and likewise for the other levels. What is ambiguous is reported with its
candidates and left unmapped: detection never guesses. The result is a :class:`ColumnMapping`, which
can be saved to JSON/YAML and applied again.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import yaml

from gapcore.errors import GapcoreError
from gapcore.instrument import Instrument
from gapcore.report import Problem

#: Item levels: the letter used in canonical column names, and every prefix recognised for it.
LEVEL_ALIASES: Mapping[str, tuple[str, ...]] = {
    "E": ("e", "exp", "expect", "expected", "expectation", "expectations", "기대", "기대치", "期望", "期待"),
    "P": ("p", "perc", "perception", "perceptions", "perf", "performance", "인식", "인지", "지각", "성과",
          "感知", "实际", "實際", "认知"),
    "A": ("a", "adq", "adequate", "adequacy", "minimum", "최소", "적정", "최소허용", "最低", "适当"),
    "I": ("i", "imp", "importance", "중요", "중요도", "重要", "重要性"),
    "M": ("m", "mgmt", "mgr", "management", "manager", "경영", "경영진", "관리자", "管理", "管理层", "经营"),
    "S": ("s", "std", "standard", "standards", "기준", "표준", "标准"),
    "D": ("d", "del", "dlv", "delivery", "delivered", "전달", "제공", "交付", "提供"),
    "C": ("c", "comm", "communication", "promise", "promised", "약속", "홍보", "承诺", "宣传"),
}
CUSTOMER_LEVELS = ("E", "P", "A", "I")
#: Which item level each provider table holds.
PROVIDER_LEVEL: Mapping[str, str] = {
    "management": "M", "standards": "S", "delivery": "D", "communications": "C",
}
TABLES = ("customers", "management", "standards", "delivery", "communications", "items")

#: Non-item roles and the header words that name them.
ROLE_ALIASES: Mapping[str, tuple[str, ...]] = {
    "satisfaction": ("satisfaction", "satisfied", "csat", "overall satisfaction", "sat", "만족", "만족도",
                     "전반적 만족", "满意", "满意度", "總體滿意度"),
    "retention": ("retention", "retained", "retain", "churn", "churned", "repurchase", "continue",
                  "재이용", "재구매", "유지", "이탈", "留存", "流失", "继续使用", "复购"),
    "recommend": ("recommend", "recommendation", "nps", "ltr", "likelihood to recommend", "추천", "추천의향",
                  "推荐", "推荐意愿"),
    "weight": ("weight", "wt", "wgt", "sampling weight", "가중치", "가중값", "权重", "加权"),
    "id": ("id", "respondent", "respondent id", "resp id", "responseid", "response id", "응답자",
           "응답자id", "응답자 번호", "번호", "编号", "受访者", "受访者编号", "样本编号"),
    "wave": ("wave", "round", "period", "date", "survey date", "year", "quarter", "차수", "조사차수",
             "조사일", "날짜", "일자", "연도", "분기", "波次", "轮次", "日期", "调查日期", "年份", "季度"),
}
_ROLE_ORDER = ("weight", "id", "wave", "satisfaction", "retention", "recommend")

_SEP = r"[\s_\-\.:#]*"
_QUESTION = r"(?:q|item|문항|문|题|题目|題)?"
_MAX_SEGMENT_VALUES = 50


def _norm(header: object) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(header)).strip().lower().split())


def _alias_pattern(aliases: Iterable[str]) -> str:
    return "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))


_CODE_PATTERNS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    level: (
        re.compile(rf"^(?:{_alias_pattern(al)}){_SEP}0*(\d{{1,3}})$"),
        re.compile(rf"^{_QUESTION}{_SEP}0*(\d{{1,3}}){_SEP}(?:{_alias_pattern(al)})$"),
    )
    for level, al in LEVEL_ALIASES.items()
}
_BARE_ITEM = re.compile(rf"^{_QUESTION}{_SEP}0*(\d{{1,3}})$")
_MARKER = re.compile(r"[\(\[（【<〈]\s*([^\)\]）】>〉]+?)\s*[\)\]）】>〉]\s*$")
_MARKER_SUFFIXES = re.compile(r"\s*(설문|문항|점수|수준|survey|score|rating|level|问卷|题|得分|分数|水平)$")
_LEADING_NUMBERS = re.compile(r"^\s*[a-z]*\s*(\d{1,3})(?:\s*[-_.]\s*(\d{1,3}))?")
_POINTS = re.compile(r"^w[\s_\-]*([a-z가-힣一-鿿][\w가-힣一-鿿 ]*)$")


def _marker_level(norm: str, levels: Sequence[str]) -> str | None:
    match = _MARKER.search(norm)
    if not match:
        return None
    word = _MARKER_SUFFIXES.sub("", match.group(1).strip())
    for level in levels:
        if word in LEVEL_ALIASES[level] and len(word) > 1:
            return level
    return None


def code_level(header: object, levels: Sequence[str]) -> tuple[str, int] | None:
    """(level, item number) for a header in one of the code forms, else ``None``."""
    norm = _norm(header).replace(" ", "")
    for level in levels:
        for pattern in _CODE_PATTERNS[level]:
            match = pattern.match(norm)
            if match:
                return level, int(match.group(1))
    return None


def header_level(header: object, levels: Sequence[str]) -> str | None:
    """The item level a header names, in code form or as a question text with a role marker."""
    coded = code_level(header, levels)
    return coded[0] if coded else _marker_level(_norm(header), levels)


def detect_header_score(cells: Sequence[object]) -> int:
    """How many cells of a candidate header row name a known column: used to find the header row."""
    levels = tuple(LEVEL_ALIASES)
    score = 0
    for cell in cells:
        norm = _norm(cell)
        known = norm and (code_level(cell, levels) or _marker_level(norm, levels) or _named_role(norm)
                          or norm in ROLE_ALIASES["id"])
        score += bool(known)
    return score


@dataclass(frozen=True)
class ColumnSpec:
    """One column's role. ``name`` is its canonical name in the loaded study."""

    table: str
    column: str
    role: str  # an item level letter (E P A I M S D C), or satisfaction/retention/recommend/weight/
    #           points/id/wave/segment/ignore
    item: int | None = None
    dimension: str | None = None

    @property
    def name(self) -> str:
        if self.role in LEVEL_ALIASES:
            return f"{self.role}{self.item}"
        if self.role == "points":
            return f"W_{self.dimension}"
        if self.role in ("segment", "ignore"):
            if self.column in _CANONICAL_NAMES or re.fullmatch(r"[EPAIMSDC]\d+|W_.*", str(self.column)):
                return f"{self.column} ({self.role})"  # never shadows the canonical column of a role
            return str(self.column)
        return self.role


_CANONICAL_NAMES = frozenset({"id", "weight", "wave", "satisfaction", "retention", "recommend"})


@dataclass(frozen=True)
class ColumnMapping:
    specs: tuple[ColumnSpec, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)

    def for_table(self, table: str) -> tuple[ColumnSpec, ...]:
        return tuple(s for s in self.specs if s.table == table)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [(s.table, s.column, s.role, s.item, s.dimension, s.name) for s in self.specs],
            columns=["table", "column", "role", "item", "dimension", "name"],
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "servicegap_mapping": 1,
            **dict(self.meta),
            "columns": [
                {k: v for k, v in (("table", s.table), ("column", s.column), ("role", s.role),
                                   ("item", s.item), ("dimension", s.dimension)) if v is not None}
                for s in self.specs
            ],
        }

    def dumps(self, fmt: str = "json") -> str:
        data = self.to_dict()
        if fmt == "yaml":
            return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        return json.dumps(data, ensure_ascii=False, indent=2)

    @classmethod
    def loads(cls, text: str | bytes, *, file: str | None = None) -> ColumnMapping:
        """Read a mapping saved by :meth:`dumps` (JSON or YAML)."""
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise GapcoreError("mapping_invalid", file=file, detail="not UTF-8") from exc
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise GapcoreError("mapping_invalid", file=file, detail=str(exc).splitlines()[0]) from exc
        if not isinstance(data, dict) or not isinstance(data.get("columns"), list):
            raise GapcoreError("mapping_invalid", file=file, detail="no 'columns' list")
        specs = []
        for index, entry in enumerate(data["columns"], start=1):
            try:
                role = str(entry["role"])
                if role not in (*LEVEL_ALIASES, "points", "segment", "ignore", *ROLE_ALIASES):
                    raise ValueError(role)
                item = entry.get("item")
                spec = ColumnSpec(str(entry["table"]), str(entry["column"]), role,
                                  None if item is None else int(item), entry.get("dimension"))
                if role in LEVEL_ALIASES and spec.item is None:
                    raise ValueError("item")
            except (KeyError, TypeError, ValueError) as exc:
                raise GapcoreError("mapping_invalid", file=file, row=index,
                                   detail=f"entry {index}: {exc}") from exc
            specs.append(spec)
        meta = {k: v for k, v in data.items() if k not in ("columns", "servicegap_mapping")}
        return cls(tuple(specs), meta)


def _named_role(norm: str) -> str | None:
    compact = norm.replace("_", " ").replace("-", " ")
    for role in _ROLE_ORDER:
        for alias in ROLE_ALIASES[role]:
            if compact == alias:
                return role
    for role in ("satisfaction", "retention", "recommend"):
        for alias in ROLE_ALIASES[role]:
            if len(alias) >= 2 and alias not in ("sat", "ltr") and alias in compact:
                return role
    return None


def _points_dimension(norm: str, instrument: Instrument) -> str | None:
    match = _POINTS.match(norm.replace(" ", "_"))
    if not match:
        return None
    code = match.group(1).strip("_ ").upper()
    for dim in instrument.dimensions:
        if code in (instrument.points_code(dim), dim.upper()):
            return dim
    return None


def _numbers_by_marker(rows: list[tuple[str, str]]) -> dict[str, int] | None:
    """Item numbers for question-text headers: the first number if distinct, else the last."""
    firsts, lasts = [], []
    for _, norm in rows:
        match = _LEADING_NUMBERS.match(norm)
        firsts.append(int(match.group(1)) if match else None)
        lasts.append(int(match.group(2) or match.group(1)) if match else None)
    for candidate in (firsts, lasts):
        if None not in candidate and len(set(candidate)) == len(candidate):
            return {col: n for (col, _), n in zip(rows, candidate, strict=True)}
    return None


def detect_columns(
    table: str,
    frame: pd.DataFrame,
    instrument: Instrument,
    *,
    file: str | None = None,
    sheet: str | None = None,
) -> tuple[list[ColumnSpec], list[Problem]]:
    """Propose a role for every column of one table, with the problems found on the way."""
    problems: list[Problem] = []
    levels = CUSTOMER_LEVELS if table == "customers" else (PROVIDER_LEVEL[table],)
    where = {"file": file, "sheet": sheet}
    item_candidates: dict[tuple[str, int], list[str]] = defaultdict(list)
    marker_rows: dict[str, list[tuple[str, str]]] = defaultdict(list)
    specs: dict[str, ColumnSpec] = {}
    bare_items: list[tuple[str, int]] = []

    for column in frame.columns:
        norm = _norm(column)
        coded = code_level(column, levels)
        if coded:
            item_candidates[coded].append(column)
            continue
        marker = _marker_level(norm, levels)
        if marker:
            marker_rows[marker].append((column, norm))
            continue
        dim = _points_dimension(norm, instrument) if table == "customers" else None
        if dim:
            specs[column] = ColumnSpec(table, column, "points", dimension=instrument.points_code(dim))
            continue
        role = _named_role(norm) if table == "customers" else None
        if role is None and _norm(column) in ROLE_ALIASES["id"]:
            role = "id"
        if role:
            specs[column] = ColumnSpec(table, column, role)
            continue
        bare = _BARE_ITEM.match(norm.replace(" ", ""))
        if table != "customers" and bare:
            bare_items.append((column, int(bare.group(1))))

    for level, rows in marker_rows.items():
        numbers = _numbers_by_marker(rows)
        if numbers is None:
            numbers = {col: n for n, (col, _) in enumerate(rows, start=1)}
            problems.append(Problem("warning", "items_numbered_by_position", **where,
                                    values={"level": level, "count": len(rows)}))
        for col, number in numbers.items():
            item_candidates[(level, number)].append(col)

    if table != "customers" and not item_candidates and bare_items:
        level = PROVIDER_LEVEL[table]
        for col, number in bare_items:
            item_candidates[(level, number)].append(col)

    # Optional blocks (adequate, importance) count only when they cover at least half the instrument.
    by_level: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    for (level, number), cols in item_candidates.items():
        by_level[level].append((number, cols))
    half = max(1, (len(instrument.items) + 1) // 2)
    for level, entries in by_level.items():
        in_instrument = [(n, cols) for n, cols in entries if instrument.has(n)]
        if level in ("A", "I") and len(in_instrument) < half:
            problems.append(Problem("info", "partial_item_block", **where, values={
                "level": level, "found": len(in_instrument), "expected": len(instrument.items),
                "columns": ", ".join(c for _, cols in entries for c in cols)}))
            continue
        for number, cols in sorted(entries):
            if not instrument.has(number):
                for col in cols:
                    problems.append(Problem("info", "item_not_in_instrument", column=col, **where,
                                            values={"item": number}))
                continue
            if len(cols) > 1:
                problems.append(Problem("warning", "ambiguous_item_column", **where, values={
                    "level": level, "item": number, "candidates": ", ".join(map(str, cols))}))
                continue
            specs[cols[0]] = ColumnSpec(table, cols[0], level, number)

    used_roles: dict[str, list[str]] = defaultdict(list)
    for spec in specs.values():
        if spec.role in ROLE_ALIASES:
            used_roles[spec.role].append(spec.column)
    for role, cols in used_roles.items():
        if len(cols) > 1:
            problems.append(Problem("warning", "ambiguous_role_column", **where,
                                    values={"role": role, "candidates": ", ".join(cols)}))
            for col in cols:
                specs.pop(col)

    item_like = {c for cols in item_candidates.values() for c in cols}
    result = []
    for column in frame.columns:
        if column in specs:
            result.append(specs[column])
        elif column in item_like:  # ambiguous, outside the instrument, or a partial block
            result.append(ColumnSpec(table, column, "ignore"))
        else:
            result.append(ColumnSpec(table, column, _other_role(frame[column])))
    return result, problems


def _other_role(values: pd.Series) -> str:
    """A column with no named role is a segment when it has a few distinct values, else ignored."""
    distinct = values.dropna().nunique()
    return "segment" if 1 <= distinct <= _MAX_SEGMENT_VALUES else "ignore"


def apply_mapping(
    table: str, frame: pd.DataFrame, mapping: ColumnMapping, detected: list[ColumnSpec]
) -> list[ColumnSpec]:
    """Overlay a user mapping on detected roles: the mapping wins for every column it names."""
    chosen = {s.column: s for s in mapping.for_table(table)}
    return [chosen.get(spec.column, spec) for spec in detected]
