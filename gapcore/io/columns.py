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
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import yaml

from gapcore.errors import GapcoreError
from gapcore.instrument import Instrument, Item, instrument_from_table
from gapcore.io.scale import BINARY_LABELS, LADDER_WORDS, MISSING_LABELS, is_answer_label, normalize_label
from gapcore.io.segment_setup import SegmentSetup
from gapcore.problems import Problem

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

#: Non-item roles and the header words that name them.
ROLE_ALIASES: Mapping[str, tuple[str, ...]] = {
    "satisfaction": ("satisfaction", "satisfied", "csat", "overall satisfaction", "sat", "만족", "만족도",
                     "전반적 만족", "满意", "满意度", "總體滿意度",
                     # pt, es, fr, de, vi, ja, id
                     "satisfação", "satisfacao", "satisfacción", "satisfaccion", "zufriedenheit", "hài lòng",
                     "mức độ hài lòng", "満足", "満足度", "kepuasan"),
    "retention": ("retention", "retained", "retain", "churn", "churned", "repurchase", "continue",
                  "재이용", "재구매", "유지", "이탈", "留存", "流失", "继续使用", "复购",
                  "retención", "retencion", "retenção", "seguirá siendo cliente",
                  "kundenbindung", "fidélisation"),
    "recommend": ("recommend", "recommendation", "nps", "ltr", "likelihood to recommend", "추천", "추천의향",
                  "推荐", "推荐意愿", "recomendaria", "recomendaría", "recomendar", "recomendação",
                  "recommanderiez", "recommander", "weiterempfehlen", "weiterempfehlung", "empfehlen",
                  "giới thiệu", "おすすめ", "勧め", "薦め", "rekomendasi", "merekomendasikan"),
    "weight": ("weight", "wt", "wgt", "sampling weight", "가중치", "가중값", "权重", "加权"),
    "id": ("id", "respondent", "respondent id", "resp id", "responseid", "response id", "응답자",
           "응답자id", "응답자 번호", "번호", "编号", "受访者", "受访者编号", "样本编号"),
    "wave": ("wave", "round", "period", "date", "survey date", "year", "quarter", "차수", "조사차수",
             "조사일", "날짜", "일자", "연도", "분기", "波次", "轮次", "日期", "调查日期", "年份", "季度"),
}
_ROLE_ORDER = ("weight", "id", "wave", "satisfaction", "retention", "recommend")

_SEP = r"[\s_\-\.:#]*"
_QUESTION = r"(?:q|item|문항|문|题|题目|題)?"
MAX_SEGMENT_VALUES = 50


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


_ANY_MARKER = re.compile(r"[\(\[（【]\s*([^\)\]）】\(\[（【]{1,24}?)\s*[\)\]）】]")
_LEADING_MARKER = re.compile(r"^\s*([^\s\-:–—|]{1,16})\s*[-:–—|]")


def text_level(text: str, levels: Sequence[str]) -> str | None:
    """The item level a question text names anywhere: "… (Expectations) - Modern equipment" (SurveyMonkey
    matrix), "Perception - The staff are friendly" (Qualtrics), "…(기대 설문)"."""
    norm = _norm(text)
    words = [_MARKER_SUFFIXES.sub("", w.strip()) for w in _ANY_MARKER.findall(norm)]
    leading = _LEADING_MARKER.match(norm)
    if leading:
        words.append(leading.group(1))
    for word in words:
        for level in levels:
            if len(word) > 1 and word in LEVEL_ALIASES[level]:
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


_LETTER_NUMBER = re.compile(r"^([a-z])[-_.]?(\d{1,2})$")
#: Letters that name item levels (E P A I) and provider levels (M S D C); any other letter is a block's.
_LEVEL_LETTERS = frozenset("epaimsdc")


def block_codes(columns: Iterable[object]) -> dict[str, str]:
    """Headers that are block codes, a letter and a number per block (A1…A5, B1…B4, C1…C3 — how many Korean
    and Chinese survey files code their questionnaire), each with its block's letter: three letters or more
    in order from A (a questionnaire's parts; a survey tool's own V/t/f/p codes are not), at least one that is
    no level's, each with two numbers or more. Such codes are questions, not levels, so
    "A1" is no adequate level and "C1" no communications table. Empty when the headers are not so coded."""
    found = {}
    for column in columns:
        match = _LETTER_NUMBER.match(_norm(column).replace(" ", ""))
        if match:
            found[str(column)] = match.group(1)
    letters = Counter(found.values())
    blocks = {letter for letter, count in letters.items() if count >= 2}
    in_order = blocks == set("abcdefghijklmnopqrstuvwxyz"[:len(blocks)])  # a questionnaire's parts: A, B, C, …
    if len(blocks) < 3 or not in_order or blocks <= _LEVEL_LETTERS:
        return {}
    return {column: letter.upper() for column, letter in found.items() if letter in blocks}


_NA_FLAG = re.compile(r"^(?:na|n/a|notapplicable|not applicable|해당없음|不适用)[\s_.\-]?(\d{1,3})$")


def na_flag_item(header: object) -> int | None:
    """The item a "not applicable" flag column stands for (``NA7``, ``N/A_7``, ``해당없음7``), else ``None``:
    a 1 there makes that respondent's answers to item 7 missing (``load``), and the column is no segment."""
    match = _NA_FLAG.match(_norm(header))
    return int(match.group(1)) if match else None


def header_level(header: object, levels: Sequence[str]) -> str | None:
    """The item level a header names, in code form or as a question text with a role marker."""
    coded = code_level(header, levels)
    return coded[0] if coded else _marker_level(_norm(header), levels)


#: Header names of an ``items`` table (the template's items sheet) and of survey tools' own columns:
#: they name a header row as surely as ``E1`` does.
KNOWN_HEADERS: frozenset[str] = frozenset({
    "code", "dimension", "text_en", "text_ko", "text_zh", "reverse", "text",
    "timestamp", "start date", "end date", "startdate", "enddate", "recordeddate", "responseid",
    "respondent id", "collector id", "ip address", "ipaddress", "email address", "status", "progress",
    "finished", "duration (in seconds)", "타임스탬프", "时间戳", "提交时间",
})


def detect_header_score(cells: Sequence[object]) -> int:
    """How many cells of a candidate header row name a known column: used to find the header row.

    An answer label ("Satisfied", "매우 그렇다", "yes") is never a column name, however much it looks
    like one: a data row full of such labels must not outscore the real header."""
    levels = tuple(LEVEL_ALIASES)
    score = 0
    for cell in cells:
        norm = _norm(cell)
        if not norm or is_answer_label(norm):
            continue
        known = (norm in KNOWN_HEADERS or code_level(cell, levels) or _marker_level(norm, levels)
                 or _named_role(norm) or norm in ROLE_ALIASES["id"])
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


MAPPING_VERSION = 2


@dataclass(frozen=True)
class ColumnMapping:
    """Everything needed to read a study again exactly as it was read: each column's role, item number
    and dimension, the instrument (dimensions, item texts, reverse flags), the answer scale, the
    "not applicable" codes, the header row, the encoding and delimiter, and the answer-label table.

    Saved as one JSON or YAML file (:meth:`dumps`, documented in the README) and applied again with
    :meth:`loads`; settings left ``None`` are detected from the file."""

    specs: tuple[ColumnSpec, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int | None = None
    scale: tuple[int, int] | None = None
    na: tuple[float | str, ...] | None = None  # None: detect; () : no codes
    labels: tuple[tuple[str, float], ...] | None = None
    instrument: Instrument | None = None
    texts: Mapping[tuple[str, str], str] = field(default_factory=dict, compare=False)  # (table, column) → text
    #: segment column → its display names and merged values (``gapcore.io.segment_setup``)
    segments: Mapping[str, SegmentSetup] = field(default_factory=dict)

    def label_table(self) -> pd.DataFrame | None:
        """The answer-label table the mapping carries (``label``, ``value``), else ``None``."""
        return pd.DataFrame(list(self.labels), columns=["label", "value"]) if self.labels else None

    def for_table(self, table: str) -> tuple[ColumnSpec, ...]:
        return tuple(s for s in self.specs if s.table == table)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [(s.table, s.column, s.role, s.item, s.dimension, s.name) for s in self.specs],
            columns=["table", "column", "role", "item", "dimension", "name"],
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"servicegap_mapping": MAPPING_VERSION, **dict(self.meta)}
        for key in ("encoding", "delimiter", "header_row"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.scale is not None:
            data["scale"] = list(self.scale)
        if self.na is not None:
            data["na"] = list(self.na)
        if self.labels is not None:
            data["labels"] = [{"label": label, "value": value} for label, value in self.labels]
        if self.instrument is not None:
            data["instrument"] = [
                {"item": it.number, "dimension": it.dimension,
                 **({"text": it.text_en} if it.text_en == it.text_ko == it.text_zh and it.text_en else
                    {f"text_{lang}": getattr(it, f"text_{lang}") for lang in ("en", "ko", "zh")
                     if getattr(it, f"text_{lang}")}),
                 **({"reverse": True} if it.reverse else {})}
                for it in self.instrument.items]
        if any(not s.empty for s in self.segments.values()):
            data["segments"] = {c: s.to_dict() for c, s in self.segments.items() if not s.empty}
        data["columns"] = [
            {k: v for k, v in (("table", s.table), ("column", s.column), ("role", s.role), ("item", s.item),
                               ("dimension", s.dimension), ("text", self.texts.get((s.table, s.column))))
             if v is not None}
            for s in self.specs
        ]
        return data

    def dumps(self, fmt: str = "json") -> str:
        data = self.to_dict()
        if fmt == "yaml":
            return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        return json.dumps(data, ensure_ascii=False, indent=2)

    @classmethod
    def loads(cls, text: str | bytes, *, file: str | None = None) -> ColumnMapping:
        """Read a mapping saved by :meth:`dumps` (JSON or YAML; version 1 files, columns only, too)."""
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
        specs, texts = [], {}
        for index, entry in enumerate(data["columns"], start=1):
            try:
                role = str(entry["role"])
                if role not in ROLES:
                    raise ValueError(f"role '{role}'")
                item = entry.get("item")
                dimension = entry.get("dimension")
                spec = ColumnSpec(str(entry["table"]), str(entry["column"]), role,
                                  None if item is None else int(item),
                                  None if dimension in (None, "") else str(dimension))
                if role in LEVEL_ALIASES and spec.item is None:
                    raise ValueError("item number missing")
            except (KeyError, TypeError, ValueError) as exc:
                raise GapcoreError("mapping_invalid", file=file, row=index,
                                   detail=f"column entry {index}: {exc}") from exc
            specs.append(spec)
            if entry.get("text"):
                texts[(spec.table, spec.column)] = str(entry["text"])
        try:
            settings = _settings_from_dict(data)
        except (KeyError, TypeError, ValueError) as exc:
            raise GapcoreError("mapping_invalid", file=file, detail=str(exc)) from exc
        meta = {k: v for k, v in data.items() if k not in ("columns", "servicegap_mapping", "segments", *_SETTINGS)}
        try:
            segments = {str(c): SegmentSetup.from_dict(s) for c, s in (data.get("segments") or {}).items()}
        except (AttributeError, TypeError) as exc:
            raise GapcoreError("mapping_invalid", file=file, detail=f"segments: {exc}") from exc
        return cls(tuple(specs), meta, texts=texts, segments=segments, **settings)


_SETTINGS = ("encoding", "delimiter", "header_row", "scale", "na", "labels", "instrument")
#: The outcomes a study can measure, in the order every page, export and the command line list them.
OUTCOMES: tuple[str, ...] = ("satisfaction", "retention", "recommend")
#: Every role a column can have, as the mapping file and the app name them.
ROLES: tuple[str, ...] = (*LEVEL_ALIASES, *OUTCOMES, "weight", "points", "wave", "segment", "id", "ignore")


def parse_scale(value: object) -> tuple[int, int]:
    """A scale given as ``[low, high]`` or ``"low-high"``: whole numbers, 0 <= low < high <= 100."""
    parts = value if isinstance(value, (list, tuple)) else re.split(r"\s*[-–~,]\s*", str(value).strip())
    if len(parts) != 2:
        raise ValueError(f"scale '{value}': give it as LOW-HIGH, e.g. 1-7")
    low, high = (int(float(p)) for p in parts)
    if not 0 <= low < high <= 100:
        raise ValueError(f"scale '{value}': LOW must be below HIGH, both between 0 and 100")
    return low, high


def parse_na(values: object) -> tuple[float | str, ...]:
    """"Not applicable" codes: numbers (0, 9, 99) and texts ("N/A", "해당 없음"), from a list or ``"0,99"``."""
    items = values if isinstance(values, (list, tuple)) else [v for v in str(values).split(",") if v.strip()]
    codes: list[float | str] = []
    for item in items:
        text = str(item).strip()
        try:
            codes.append(float(text))
        except ValueError:
            if text:
                codes.append(text)
    return tuple(codes)


def na_setting(text: str | None) -> tuple[float | str, ...] | None:
    """The "not applicable" setting as typed, one rule for the Data page and the command line: nothing
    (empty) detects the codes, ``none`` reads none, anything else lists them (``0, 99, N/A``)."""
    if text is None or not text.strip():
        return None
    return () if text.strip().lower() == "none" else parse_na(text)


def _settings_from_dict(data: Mapping[str, Any]) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for key in ("encoding", "delimiter"):
        if data.get(key) not in (None, ""):
            settings[key] = str(data[key])
    if data.get("header_row") not in (None, "", 0):
        row = int(data["header_row"])
        if row < 1:
            raise ValueError(f"header_row {row}: rows count from 1")
        settings["header_row"] = row
    if data.get("scale") is not None:
        settings["scale"] = parse_scale(data["scale"])
    if data.get("na") is not None:
        settings["na"] = parse_na(data["na"])
    if data.get("labels") is not None:
        settings["labels"] = tuple((str(e["label"]), float(e["value"])) for e in data["labels"])
    if data.get("instrument") is not None:
        rows = [{"code": e["item"], "dimension": e["dimension"], "reverse": bool(e.get("reverse", False)),
                 **{f"text_{lang}": e.get(f"text_{lang}", e.get("text", "")) for lang in ("en", "ko", "zh")}}
                for e in data["instrument"]]
        settings["instrument"] = instrument_from_table(pd.DataFrame(rows), file="mapping")
    return settings


def _named_role(norm: str) -> str | None:
    compact = norm.replace("_", " ").replace("-", " ")
    for role in _ROLE_ORDER:
        for alias in ROLE_ALIASES[role]:
            if compact == alias:
                return role
    for role in OUTCOMES:
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
    texts: Mapping[str, str] | None = None,
) -> tuple[list[ColumnSpec], list[Problem]]:
    """Propose a role for every column of one table, with the problems found on the way.

    ``texts`` are the question texts the file gives for its columns (a second header row, SPSS
    variable labels): a coded column (``V1``) whose text names a role ("ResponseID") takes that role,
    and a one-letter code (``p01``) whose question says nothing of perceptions, in a study without the
    matching expectation block, is not taken as an item on its code alone (it is proposed instead)."""
    texts = texts or {}
    problems: list[Problem] = []
    where = {"file": file, "sheet": sheet}
    specs, item_candidates, marker_rows, bare_items = _first_pass(table, frame, instrument, texts)
    for level, rows in marker_rows.items():
        numbers = _numbers_by_marker(rows)
        if numbers is None:
            numbers = {col: n for n, (col, _) in enumerate(rows, start=1)}
            problems.append(Problem("warning", "items_numbered_by_position", **where,
                                    values={"level": level, "count": len(rows)}))
        for col, number in numbers.items():
            item_candidates[(level, number)].append(col)
    if table != "customers" and not item_candidates and bare_items:
        for col, number in bare_items:
            item_candidates[(PROVIDER_LEVEL[table], number)].append(col)
    _unconfirm_one_letter_codes(item_candidates, texts, problems, where)
    specs.update(_item_specs(table, item_candidates, instrument, problems, where))
    _settle_repeated_roles(table, frame, specs, texts, problems, where)

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


#: Segments proposed at most (a real export has dozens of few-answer columns: a sidebar of 111 filters)
MAX_PROPOSED_SEGMENTS = 8
_SEGMENT_NAME = re.compile(
    r"branch|store|shop|outlet|region|area|city|country|channel|gender|sex|\bage|wave|round|segment|type|group|"
    r"tier|grade|department|team|지점|매장|점포|지역|채널|성별|연령|나이|유형|등급|차수|부서|门店|分店|网点|地区|区域|城市|"
    r"渠道|性别|年龄|类型|等级|批次|部门")


#: Columns survey tools add for their own bookkeeping (Qualtrics, SurveyMonkey, Google Forms), by header or
#: by the question text a coded header (V7) carries: never proposed as segments (they can still be chosen)
_BOOKKEEPING = re.compile(
    r"^(start ?date|end ?date|recorded ?date|date ?modified|status|progress|finished|duration.*|ip ?address|"
    r"response ?id|response ?set|external ?(data ?)?reference|distribution ?channel|user ?language|"
    r"location ?(latitude|longitude)|recipient ?(first ?name|last ?name|email)|collector ?id|respondent ?id|"
    r"timestamp|name|email( ?address)?)$")


def _is_bookkeeping(column: str, text: str) -> bool:
    return any(_BOOKKEEPING.match(_norm(value).replace("_", " ").strip()) for value in (str(column), text) if value)


def proposed_segments(specs: list[ColumnSpec], frame: pd.DataFrame, texts: Mapping[str, str],
                       problems: list[Problem], where: Mapping[str, str | None]) -> list[ColumnSpec]:
    """At most ``MAX_PROPOSED_SEGMENTS`` segments, proposed in order of likelihood: a header that names a
    grouping (branch, 연령, 渠道), then text answers before numbers (a rating block has few distinct
    numbers too), then file order; a survey tool's own bookkeeping (StartDate, Status, Collector ID) is not
    proposed. The rest are left unused and listed, to be chosen on the Data page. Applied to detected
    customer columns once their items are settled (a rating block is not a segment)."""
    segments = [s for s in specs if s.role == "segment"]
    bookkeeping = {s.column for s in segments if _is_bookkeeping(s.column, texts.get(s.column, ""))}
    if len(segments) <= MAX_PROPOSED_SEGMENTS and not bookkeeping:
        return specs

    def rank(spec: ColumnSpec) -> tuple[int, int]:
        named = _SEGMENT_NAME.search(_norm(f"{spec.column} {texts.get(spec.column, '')}")) is not None
        numbers = pd.to_numeric(frame[spec.column].dropna().astype(str), errors="coerce").notna().mean() > 0.9
        return (0 if named else 1, 1 if numbers else 0)

    candidates = [s for s in segments if s.column not in bookkeeping]
    kept = {s.column for s in sorted(candidates, key=rank)[:MAX_PROPOSED_SEGMENTS]}  # sorted is stable: file order
    left = [str(s.column) for s in segments if s.column not in kept]
    problems.append(Problem("info", "segments_left_out", **where, values={
        "count": len(left), "kept": ", ".join(str(s.column) for s in segments if s.column in kept),
        "columns": ", ".join(left[:12])
        + (" …" if len(left) > 12 else "")}))
    return [replace(s, role="ignore") if s.role == "segment" and s.column not in kept else s for s in specs]


def _first_pass(table: str, frame: pd.DataFrame, instrument: Instrument, texts: Mapping[str, str]
                ) -> tuple[dict[str, ColumnSpec], dict[tuple[str, int], list[str]], dict[str, list[tuple[str, str]]],
                           list[tuple[str, int]]]:
    """Each column on its own: an item code (``E1``), a role marker in its name or question (to be
    numbered with its block), importance points, a named role, or a bare number (provider tables)."""
    levels = CUSTOMER_LEVELS if table == "customers" else (PROVIDER_LEVEL[table],)
    item_candidates: dict[tuple[str, int], list[str]] = defaultdict(list)
    marker_rows: dict[str, list[tuple[str, str]]] = defaultdict(list)
    specs: dict[str, ColumnSpec] = {}
    bare_items: list[tuple[str, int]] = []
    blocks = block_codes(frame.columns)
    for column in frame.columns:
        norm = _norm(column)
        if table == "customers" and na_flag_item(column) is not None:
            specs[column] = ColumnSpec(table, column, "ignore")  # an item's not-applicable flag (load applies it)
            continue
        coded = code_level(column, levels) if column not in blocks else None
        if coded:
            item_candidates[coded].append(column)
            continue
        marker = _marker_level(norm, levels) or (text_level(texts[column], levels) if texts.get(column) else None)
        if marker:
            marker_rows[marker].append((column, norm))
            continue
        dim = _points_dimension(norm, instrument) if table == "customers" else None
        role = "points" if dim else _role_of(table, column, norm, texts)
        if role:
            specs[column] = ColumnSpec(table, column, role, dimension=instrument.points_code(dim) if dim else None)
            continue
        bare = _BARE_ITEM.match(norm.replace(" ", ""))
        if table != "customers" and bare:
            bare_items.append((column, int(bare.group(1))))
    return specs, item_candidates, marker_rows, bare_items


def _role_of(table: str, column: str, norm: str, texts: Mapping[str, str]) -> str | None:
    """A named role from the column's name, or from its question when the name is a bare code (``V1``)."""
    role = _named_role(norm) if table == "customers" else None
    if role is None and norm in ROLE_ALIASES["id"]:
        role = "id"
    text = _norm(texts.get(column, ""))
    if role is None and text and _BARE_CODE.match(norm.replace(" ", "")):
        role = ("id" if text.replace(" ", "") in _ID_TEXTS
                else _named_role(text) if table == "customers" and len(text) <= 40 else None)
    return role


def _item_specs(table: str, item_candidates: Mapping[tuple[str, int], list[str]], instrument: Instrument,
                problems: list[Problem], where: Mapping[str, str | None]) -> dict[str, ColumnSpec]:
    """Item columns of the instrument, one per level and number; optional blocks (adequate, importance)
    count only when they cover at least half the instrument; two candidates for one item are asked."""
    by_level: dict[str, list[tuple[int, list[str]]]] = defaultdict(list)
    for (level, number), cols in item_candidates.items():
        by_level[level].append((number, cols))
    half = max(1, (len(instrument.items) + 1) // 2)
    specs: dict[str, ColumnSpec] = {}
    for level, entries in by_level.items():
        in_instrument = [(n, cols) for n, cols in entries if instrument.has(n)]
        if level in ("A", "I") and len(in_instrument) < half:
            problems.append(Problem("info", "partial_item_block", **where, values={
                "level": level, "found": len(in_instrument), "expected": len(instrument.items),
                "columns": ", ".join(c for _, cols in entries for c in cols)}))
            continue
        for number, cols in sorted(entries):
            if not instrument.has(number):
                problems.extend(Problem("info", "item_not_in_instrument", column=col, **where, values={"item": number})
                                for col in cols)
            elif len(cols) > 1:
                problems.append(Problem("warning", "ambiguous_item_column", **where, values={
                    "level": level, "item": number, "candidates": ", ".join(map(str, cols))}))
            else:
                specs[cols[0]] = ColumnSpec(table, cols[0], level, number)
    return specs


def _settle_repeated_roles(table: str, frame: pd.DataFrame, specs: dict[str, ColumnSpec], texts: Mapping[str, str],
                           problems: list[Problem], where: Mapping[str, str | None]) -> None:
    """A role named by several columns: the overall outcome question is told from per-attribute ones that
    mention the same word; otherwise the columns are left unmapped and the user is asked."""
    used_roles: dict[str, list[str]] = defaultdict(list)
    for spec in specs.values():
        if spec.role in ROLE_ALIASES:
            used_roles[spec.role].append(spec.column)
    for role, cols in used_roles.items():
        if len(cols) < 2:
            continue
        overall = _overall_question(cols, texts)
        if overall and role in OUTCOMES:
            for col in cols:
                if col != overall[0]:
                    specs[col] = ColumnSpec(table, col, _other_role(frame[col]))
            problems.append(Problem("info", "outcome_chosen", **where, values={
                "role": role, "column": overall[0], "others": ", ".join(c for c in cols if c != overall[0])}))
        else:
            problems.append(Problem("warning", "ambiguous_role_column", **where,
                                    values={"role": role, "candidates": ", ".join(cols)}))
            for col in cols:
                specs.pop(col)


def _other_role(values: pd.Series) -> str:
    """A column with no named role is a segment when it has a few distinct values, else ignored."""
    distinct = values.dropna().nunique()
    return "segment" if 1 <= distinct <= MAX_SEGMENT_VALUES else "ignore"


_BARE_CODE = re.compile(r"^[a-z]{0,3}[_\-\.]?\d{1,3}([_\-\.]\d{1,3})?$")
_ID_TEXTS = frozenset({"responseid", "respondentid", "respondent", "id", "responseno", "응답자id", "응답자번호"})
_ONE_LETTER_CODE = re.compile(r"^[a-z][_\-\.]?0*\d{1,3}$")
_OVERALL = re.compile(r"overall|in general|all in all|total|전반|전체|종합|총체|总体|整体|總體|综合|總的"
                      r"|geral|global|en general|insgesamt|gesamt|tổng thể|nói chung|全体|総合|keseluruhan")
_NUMBERED = re.compile(r"^\s*(q\s*)?\d{1,3}\s*[-_.)]")


#: A Google Forms grid answer: "Question [Row]"; a numbered block item: "Q1_2", "1-2.", "문1-2", "問1-2".
_GRID_ROW = re.compile(r"^(?P<block>.*\S)\s*\[(?P<row>[^\]]+)\]\s*$")
_BLOCK_ITEM = re.compile(r"^\s*(?P<block>(?:q|문|問|question)?\s*\d{1,3})\s*[-_.]\s*\d{1,3}(?!\d)", re.IGNORECASE)


def question_wording(text: str) -> str:
    """An item as respondents read it: the matrix row of "Question - Row" exports (Qualtrics,
    SurveyMonkey) and of "Question [Row]" (Google Forms grids), without the role marker ("(기대 설문)",
    "[Expectation]")."""
    wording = str(text).strip()
    grid_row = _GRID_ROW.match(wording)
    if grid_row and not _marker_level(_norm(grid_row.group("row")), tuple(LEVEL_ALIASES)):  # Forms: "Q [Row]"
        return grid_row.group("row").strip()
    if " - " in wording and wording.rsplit(" - ", 1)[1].strip():
        wording = wording.rsplit(" - ", 1)[1].strip()
    cleaned = re.sub(r"\s*[\(\[（【<〈][^\)\]）】>〉]*[\)\]）】>〉]\s*$", "", wording)
    wording = cleaned if _marker_level(_norm(wording), tuple(LEVEL_ALIASES)) and cleaned else wording
    return re.sub(r"^\s*(?:q\s*)?\d{1,3}(?:\s*[-_.]\s*\d{1,3})?\s*[.)]\s+", "", wording, flags=re.IGNORECASE) or wording


#: The one dimension given to items that came with none: the user names the real ones.
PROPOSED_DIMENSION = "service"


def item_wording(number: int, specs: Sequence[ColumnSpec], texts: Mapping[str, str]) -> str:
    """An item's own wording in the file: its perception question's text, else its expectation's (a
    column header that is a whole question counts as its text; a code such as ``E1`` does not)."""
    for level in ("P", "E", "A", "I"):
        for spec in specs:
            if spec.role == level and spec.item == number:
                text = texts.get(spec.column) or ("" if code_level(spec.column, CUSTOMER_LEVELS) else str(spec.column))
                if text:
                    return question_wording(text)
    return ""


def instrument_from_specs(specs: Sequence[ColumnSpec], texts: Mapping[str, str], *, default: Instrument,
                          reverse: Collection[int] = ()) -> Instrument | None:
    """The study's own instrument, when the mapping gives customer item columns a dimension or marks
    items reversed: each item's dimension (the first one given for its number, else ``default``'s, else
    ``PROPOSED_DIMENSION``), its reverse flag, and its wording (the file's, else ``default``'s).
    ``None`` when the mapping only restates ``default``."""
    items = sorted({s.item for s in specs if s.role in CUSTOMER_LEVELS and s.item is not None})
    given: dict[int, str] = {}
    for spec in specs:
        if spec.role in CUSTOMER_LEVELS and spec.item is not None and spec.dimension:
            given.setdefault(spec.item, str(spec.dimension))
    if not items or (not reverse and all(default.has(k) and default.dimension_of(k) == given.get(k, "")
                                         for k in items)) or not (given or reverse):
        return None
    rows = []
    for number in items:
        bank = default.item(number) if default.has(number) else None
        own = item_wording(number, specs, texts)
        wording = (own, own, own) if own else (bank.text_en, bank.text_ko, bank.text_zh) if bank else ("", "", "")
        dimension = given.get(number) or (bank.dimension if bank else PROPOSED_DIMENSION)
        rows.append(Item(number, dimension, *wording, number in reverse))
    return Instrument(tuple(rows))


def _overall_question(columns: Sequence[str], texts: Mapping[str, str]) -> list[str]:
    """The one overall question among several naming the same outcome: the one that says so
    ("overall", "전반적", "总体"), else the one standing outside the numbered item blocks; ``[]`` when
    that does not single one out (then the user picks)."""
    said = [c for c in columns if _OVERALL.search(_norm(f"{c} {texts.get(c, '')}"))]
    if len(said) == 1:
        return said
    apart = [c for c in columns if not (_NUMBERED.match(_norm(c)) or _BARE_CODE.match(_norm(c).replace(" ", "")))]
    return apart if len(apart) == 1 else []


def _unconfirm_one_letter_codes(candidates: dict[tuple[str, int], list[str]], texts: Mapping[str, str],
                                problems: list[Problem], where: Mapping[str, str | None]) -> None:
    """Drop a block recognised only by one-letter codes (``p01``…) when the file's own question texts
    say nothing of that level and its counterpart block is absent: ``p`` may as well mean "PII". The
    columns go back to the pool that is proposed to the user, texts shown."""
    levels = {level for level, _ in candidates}
    for level in ("E", "P"):
        counterpart = "P" if level == "E" else "E"
        if level not in levels or counterpart in levels:
            continue
        cols = [c for (lev, _), cs in candidates.items() if lev == level for c in cs]
        weak = [c for c in cols if _ONE_LETTER_CODE.match(_norm(c).replace(" ", "")) and texts.get(c)
                and not _mentions_level(texts[c], level)]
        if weak and len(weak) == len(cols):
            for key in [k for k in candidates if k[0] == level]:
                del candidates[key]
            problems.append(Problem("warning", "items_unconfirmed", **where, values={
                "level": level, "columns": ", ".join(weak[:12]) + (" …" if len(weak) > 12 else "")}))


def _mentions_level(text: str, level: str) -> bool:
    norm = _norm(text)
    return _marker_level(norm, (level,)) is not None or any(
        len(alias) > 3 and alias in norm for alias in LEVEL_ALIASES[level])


def propose_items(frame: pd.DataFrame, specs: Sequence[ColumnSpec],
                  value_labels: Mapping[str, Mapping[float, str]] | None = None) -> list[str]:
    """Columns that look like rating questions with no expectation/perception marker (``Q1``…``Qn``,
    plain attribute names, whole questions): the largest group of columns answered as whole numbers
    from 0 to 10 with the same highest answer. Offered to the user as perception items, never taken
    on detection alone. Value-labelled codes (SPSS) whose labels are not the rating battery's — age bands,
    income bands, gender — are categories, never items (``categorical_columns``)."""
    named = {s.column for s in specs if s.role not in ("segment", "ignore")}
    categories = categorical_columns(value_labels or {})
    blocks = block_codes(frame.columns)
    groups: dict[int | str, list[str]] = defaultdict(list)
    for column in frame.columns:
        coded = code_level(column, tuple(LEVEL_ALIASES)) if column not in blocks else None
        if column in named or column in categories or coded:
            continue
        if _rated_in_words(frame[column]):
            groups["labels"].append(column)
            continue
        words = _answer_words(frame[column])
        if words is not None:  # words of no known ladder: a battery shares its set of words
            groups[words].append(column)
            continue
        values = _numeric_answers(frame[column])
        if values is None or values.nunique() < 2:
            continue
        groups[int(values.max())].append(column)
    best = max(groups.values(), key=len, default=[])
    return best if len(best) >= 3 else []


def proposed_dimensions(columns: Sequence[str], texts: Mapping[str, str]) -> dict[str, str]:
    """Each proposed item's dimension as the file marks its blocks: the question of a Google Forms grid
    ("How was our staff? [Speed]"), else the block number of numbered items whose numbering restarts
    ("Q1_1", "Q1_2", "Q2_1"). Every column must show its block, and there must be two blocks or more;
    otherwise every item is in ``PROPOSED_DIMENSION``, for the analyst to split. Block codes (A1…, B1…)
    name their block by their letter."""
    lettered = block_codes(columns)
    if len(lettered) == len(columns) and len(set(lettered.values())) >= 2:
        return lettered
    for pattern in (_GRID_ROW, _BLOCK_ITEM):
        blocks = {}
        for column in columns:
            match = pattern.match(str(column)) or pattern.match(str(texts.get(column, "")))
            if match is None:
                break
            blocks[column] = " ".join(match.group("block").split())
        if len(blocks) == len(columns) and len(set(blocks.values())) >= 2:
            return blocks
    return {column: PROPOSED_DIMENSION for column in columns}


def categorical_columns(value_labels: Mapping[str, Mapping[float, str]]) -> set[str]:
    """The value-labelled columns that hold categories rather than ratings. A rating battery labels its
    columns alike (three or more share one set of labels, in any language); a labelled column outside it
    is a category (age band, income band, gender, region). With no battery, a column is a category unless
    every label reads as a rating answer ("Agree", "매우 그렇다", "Concordo")."""
    signatures = {column: frozenset(normalize_label(v) for v in labels.values())
                  for column, labels in value_labels.items() if labels}
    shared = Counter(signatures.values())
    battery = max((sig for sig, count in shared.items() if count >= 3), key=shared.get, default=None)
    if battery is not None:
        return {column for column, sig in signatures.items() if sig != battery}
    return {column for column, sig in signatures.items() if not all(is_answer_label(label) for label in sig)}


def _answer_words(series: pd.Series) -> frozenset[str] | None:
    """The set of words a column is answered in, when it is a rating ladder's size (``LADDER_WORDS``) and
    none is a number: answers in a language no built-in ladder knows ("Täysin samaa mieltä")."""
    if pd.api.types.is_numeric_dtype(series.dtype):
        return None
    words = {normalize_label(v) for v in pd.unique(series.dropna().head(20_000)) if str(v).strip()}
    words -= MISSING_LABELS
    if len(words) not in LADDER_WORDS or any(pd.notna(pd.to_numeric(w, errors="coerce")) for w in words):
        return None
    return frozenset(words)


def _rated_in_words(series: pd.Series) -> bool:
    """A column answered in rating words ("Satisfied", "Good", "매우 그렇다"), not yes/no."""
    if pd.api.types.is_numeric_dtype(series.dtype):
        return False
    words = {str(v).strip() for v in pd.unique(series.dropna().head(20_000)) if str(v).strip()}
    return len(words) >= 3 and all(is_answer_label(w) for w in words) and not all(
        normalize_label(w) in BINARY_LABELS for w in words)


def _numeric_answers(series: pd.Series) -> pd.Series | None:
    """The answers of a column when (nearly) all are whole numbers between 0 and 10, else ``None``."""
    present = series.dropna()
    if present.empty:
        return None
    if pd.api.types.is_numeric_dtype(present.dtype) and not pd.api.types.is_bool_dtype(present.dtype):
        numbers = present.astype(float)
    else:
        text = present.astype(str).str.strip()
        text = text[(text != "") & ~text.map(is_answer_label).astype(bool) | text.str.fullmatch(r"\d+(\.0)?")]
        numbers = pd.to_numeric(text, errors="coerce")
        if numbers.isna().mean() > 0.05:
            return None
        numbers = numbers.dropna()
    if numbers.empty:
        return None
    numbers = numbers[numbers < 90]  # 99/999 are "not applicable" codes, read as such later
    if numbers.empty or numbers.min() < 0 or numbers.max() > 10 or not (numbers == numbers.round()).all():
        return None
    return numbers


def apply_mapping(table: str, mapping: ColumnMapping, detected: list[ColumnSpec]) -> list[ColumnSpec]:
    """Overlay a user mapping on detected roles: the mapping wins for every column it names."""
    chosen = {s.column: s for s in mapping.for_table(table)}
    return [chosen.get(spec.column, spec) for spec in detected]
