"""The header vocabulary: every way analysts and survey tools name a level (``E1``, ``Q1_E``, ``exp1``,
``기대1``, ``期望1``, a question text ending in ``(기대 설문)``), a role (satisfaction, weight, wave, ...), a
block code or a "not applicable" flag column, and how header-like a row of cells is. Only names: what a
column holds is decided in ``gapcore.io.columns``.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from gapcore.io.scale import is_answer_label

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


OUTCOMES: tuple[str, ...] = ("satisfaction", "retention", "recommend")
ROLE_ORDER = ("weight", "id", "wave", *OUTCOMES)


_SEP = r"[\s_\-\.:#]*"


_QUESTION = r"(?:q|item|문항|문|题|题目|題)?"


def normalized_header(header: object) -> str:
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


BARE_ITEM = re.compile(rf"^{_QUESTION}{_SEP}0*(\d{{1,3}})$")


_MARKER = re.compile(r"[\(\[（【<〈]\s*([^\)\]）】>〉]+?)\s*[\)\]）】>〉]\s*$")


_MARKER_SUFFIXES = re.compile(r"\s*(설문|문항|점수|수준|survey|score|rating|level|问卷|题|得分|分数|水平)$")


LEADING_NUMBERS = re.compile(r"^\s*[a-z]*\s*(\d{1,3})(?:\s*[-_.]\s*(\d{1,3}))?")


POINTS = re.compile(r"^w[\s_\-]*([a-z가-힣一-鿿][\w가-힣一-鿿 ]*)$")


def marker_level(norm: str, levels: Sequence[str]) -> str | None:
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
    norm = normalized_header(text)
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
    norm = normalized_header(header).replace(" ", "")
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
        match = _LETTER_NUMBER.match(normalized_header(column).replace(" ", ""))
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
    match = _NA_FLAG.match(normalized_header(header))
    return int(match.group(1)) if match else None


def header_level(header: object, levels: Sequence[str]) -> str | None:
    """The item level a header names, in code form or as a question text with a role marker."""
    coded = code_level(header, levels)
    return coded[0] if coded else marker_level(normalized_header(header), levels)


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
        norm = normalized_header(cell)
        if not norm or is_answer_label(norm):
            continue
        known = (norm in KNOWN_HEADERS or code_level(cell, levels) or marker_level(norm, levels)
                 or named_role(norm) or norm in ROLE_ALIASES["id"])
        score += bool(known)
    return score


#: The outcomes a study can measure, in the order every page, export and the command line list them.


#: Every role a column can have, as the mapping file and the app name them.
ROLES: tuple[str, ...] = (*LEVEL_ALIASES, *OUTCOMES, "weight", "points", "wave", "segment", "id", "ignore")


def named_role(norm: str) -> str | None:
    compact = norm.replace("_", " ").replace("-", " ")
    for role in ROLE_ORDER:
        for alias in ROLE_ALIASES[role]:
            if compact == alias:
                return role
    for role in OUTCOMES:
        for alias in ROLE_ALIASES[role]:
            if len(alias) >= 2 and alias not in ("sat", "ltr") and alias in compact:
                return role
    return None
