"""The instrument: which items a study asks and which dimension each belongs to.

Default: the 22-item SERVQUAL of the 1991 revision (tangibles 1–4, reliability 5–9, responsiveness
10–13, assurance 14–17, empathy 18–22). A study may bring its own ``items`` table with columns
``code, dimension, text_en, text_ko, text_zh, reverse``. Item columns in the data are named by the
item number (``E<k>``, ``P<k>``, …), so an item's identity is its number ``k``.

In detail: `Instrument`/`Item`; the default 22-item SERVQUAL; custom instruments from an `items` table — the
template's, or a legend or codebook whose headers say the same (`ITEMS_HEADER_ALIASES`: "Code", "Category",
"Description"; "번호", "영역", "문항").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from gapcore.errors import GapcoreError

#: Dimension keys of the default instrument, in order, and the code used by ``W_*`` importance points.
DEFAULT_DIMENSIONS: tuple[str, ...] = ("tangibles", "reliability", "responsiveness", "assurance", "empathy")
POINTS_CODES: MappingProxyType[str, str] = MappingProxyType(
    {"tangibles": "TAN", "reliability": "REL", "responsiveness": "RES", "assurance": "ASS", "empathy": "EMP"}
)


@dataclass(frozen=True)
class Item:
    number: int
    dimension: str
    text_en: str = ""
    text_ko: str = ""
    text_zh: str = ""
    reverse: bool = False

    def text(self, lang: str) -> str:
        return getattr(self, f"text_{lang}", "") or self.text_en or f"#{self.number}"


@dataclass(frozen=True)
class Instrument:
    """Items in order; dimensions in order of first appearance."""

    items: tuple[Item, ...]
    name: str = "custom"
    _by_number: dict[int, Item] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_number", {it.number: it for it in self.items})

    @property
    def dimensions(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(it.dimension for it in self.items))

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(it.number for it in self.items)

    def item(self, number: int) -> Item:
        return self._by_number[number]

    def has(self, number: int) -> bool:
        return number in self._by_number

    def items_of(self, dimension: str) -> tuple[int, ...]:
        return tuple(it.number for it in self.items if it.dimension == dimension)

    def dimension_of(self, number: int) -> str:
        return self._by_number[number].dimension

    def asked(self, numbers: Iterable[int]) -> Instrument:
        """The instrument narrowed to the items a study asks (its own order kept); a dimension with
        none of them is left out. The same instrument when every item is asked."""
        kept = set(numbers)
        if kept >= set(self._by_number):
            return self
        return Instrument(tuple(it for it in self.items if it.number in kept), name=self.name)

    def points_code(self, dimension: str) -> str:
        """The suffix of the ``W_*`` column holding this dimension's importance points."""
        return POINTS_CODES.get(dimension, dimension.upper())

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "code": [it.number for it in self.items],
                "dimension": [it.dimension for it in self.items],
                "text_en": [it.text_en for it in self.items],
                "text_ko": [it.text_ko for it in self.items],
                "text_zh": [it.text_zh for it in self.items],
                "reverse": [it.reverse for it in self.items],
            }
        )


_SERVQUAL_TEXTS: tuple[tuple[str, str, str, str], ...] = (
    ("tangibles", "Modern-looking equipment", "최신 장비를 갖추고 있다", "设备现代化"),
    ("tangibles", "Visually appealing physical facilities", "시설이 보기 좋다", "有形设施美观"),
    ("tangibles", "Employees are neat in appearance", "직원의 복장과 용모가 단정하다", "员工衣着整洁"),
    ("tangibles", "Materials (pamphlets, statements) are visually appealing",
     "안내 자료가 보기 좋게 만들어져 있다", "宣传资料美观"),
    ("reliability", "Does what it promises by the promised time", "약속한 시간까지 약속한 일을 한다",
     "在承诺的时间内完成承诺的事"),
    ("reliability", "Shows sincere interest in solving a customer's problem",
     "고객 문제 해결에 진심으로 관심을 보인다", "真诚地帮助顾客解决问题"),
    ("reliability", "Performs the service right the first time", "처음부터 서비스를 제대로 제공한다",
     "第一次就把服务做对"),
    ("reliability", "Provides its services at the time it promises", "약속한 시점에 서비스를 제공한다",
     "在承诺的时间提供服务"),
    ("reliability", "Insists on error-free records", "기록을 오류 없이 관리한다", "坚持记录准确无误"),
    ("responsiveness", "Tells customers exactly when services will be performed",
     "서비스 제공 시점을 정확히 알려 준다", "告诉顾客服务的确切时间"),
    ("responsiveness", "Gives prompt service", "신속하게 서비스를 제공한다", "提供及时的服务"),
    ("responsiveness", "Employees are always willing to help", "직원이 언제나 기꺼이 돕는다",
     "员工总是乐于帮助顾客"),
    ("responsiveness", "Employees are never too busy to respond", "직원이 바쁘다고 요청을 미루지 않는다",
     "员工不会因为太忙而不回应顾客"),
    ("assurance", "Employees' behaviour instils confidence", "직원의 행동이 신뢰를 준다",
     "员工的行为让人信任"),
    ("assurance", "Customers feel safe in their transactions", "거래할 때 안심할 수 있다", "顾客在交易时感到放心"),
    ("assurance", "Employees are consistently courteous", "직원이 한결같이 친절하다", "员工始终彬彬有礼"),
    ("assurance", "Employees have the knowledge to answer questions", "직원이 질문에 답할 지식을 갖추고 있다",
     "员工有足够的知识回答问题"),
    ("empathy", "Gives customers individual attention", "고객 한 사람 한 사람에게 관심을 기울인다",
     "给予顾客个别的关注"),
    ("empathy", "Operating hours convenient to all customers", "영업시간이 고객에게 편리하다",
     "营业时间方便所有顾客"),
    ("empathy", "Employees give customers personal attention", "직원이 고객을 개인적으로 세심하게 챙긴다",
     "员工给予顾客个性化的关心"),
    ("empathy", "Has the customer's best interests at heart", "고객의 이익을 가장 우선으로 생각한다",
     "把顾客的利益放在心上"),
    ("empathy", "Employees understand customers' specific needs", "직원이 고객의 구체적인 요구를 이해한다",
     "员工了解顾客的具体需求"),
)

SERVQUAL_22 = Instrument(
    tuple(Item(k, dim, en, ko, zh) for k, (dim, en, ko, zh) in enumerate(_SERVQUAL_TEXTS, start=1)),
    name="servqual22",
)

_TRUE = {"1", "true", "yes", "y", "x", "예", "네", "是", "reverse", "r", "역", "反"}
_FALSE = {"", "0", "false", "no", "n", "아니오", "否", "nan", "none"}


def _flag_text(value: object) -> str:
    """A yes/no cell as text; 1.0 and 0.0 as 1 and 0 (a column of 1s and blanks is read as numbers)."""
    text = str(value).strip().lower()
    return text.removesuffix(".0") if text in ("1.0", "0.0") else text


def item_number(code: object) -> int | None:
    """The item number a code ends with (``P7``, ``Q07``, ``7``), else ``None``."""
    match = re.search(r"(\d+)\s*$", str(code).strip())
    return int(match.group(1)) if match else None


def _dimension_key(name: object) -> str:
    """Formula-safe snake_case key for a dimension name; non-ASCII names are kept as written."""
    text = re.sub(r"\s+", "_", str(name).strip())
    return text.lower() if text.isascii() else text


#: Header words of an items table besides the template's own (``code``, ``dimension``, ``text_<lang>``): how
#: a study's legend or codebook sheet names the same things.
ITEMS_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code", "item code", "variable", "no", "no.", "number", "#", "코드", "번호", "문항번호", "변수",
             "编号", "题号", "代码", "变量"),
    "dimension": ("dimension", "category", "factor", "construct", "domain", "차원", "요인", "영역", "구분",
                  "维度", "因子", "类别", "类别名称"),
    "text": ("text", "question", "statement", "description", "wording", "label", "문항", "질문", "내용",
             "문항 내용", "题目", "问题", "内容", "题项内容"),
}


def items_columns(headers: Iterable[object]) -> dict[str, object]:
    """The items-table roles its headers take (``code``, ``dimension``, ``text_en`` … ``reverse``, and a
    plain ``text`` for a legend's one wording column), the template's names first, then their aliases."""
    lowered = {str(c).strip().lower(): c for c in headers}
    found = {name: lowered[name] for name in ("code", "dimension", "text_en", "text_ko", "text_zh", "reverse")
             if name in lowered}
    for role, aliases in ITEMS_HEADER_ALIASES.items():
        match = next((lowered[a] for a in aliases if a in lowered), None)
        if role not in found and match is not None and match not in found.values():
            found[role] = match
    return found


def instrument_from_table(table: pd.DataFrame, *, file: str | None = None,
                          sheet: str | None = None) -> Instrument:
    """Build a custom instrument from an ``items`` table (the template's, or a legend or codebook sheet whose
    headers say the same, ``ITEMS_HEADER_ALIASES``); raise :class:`GapcoreError` when unusable."""
    columns = items_columns(table.columns)
    for required in ("code", "dimension"):
        if required not in columns:
            raise GapcoreError("items_missing_column", file=file, sheet=sheet, column=required)
    items: list[Item] = []
    seen: set[int] = set()
    for position, (_, row) in enumerate(table.iterrows()):
        excel_row = position + 2  # header is row 1
        raw_code = row[columns["code"]]
        if pd.isna(raw_code) or str(raw_code).strip() == "":
            continue
        number = item_number(raw_code)
        if number is None:
            raise GapcoreError("items_bad_code", file=file, sheet=sheet, row=excel_row, column="code",
                               value=str(raw_code))
        if number in seen:
            raise GapcoreError("items_duplicate_code", file=file, sheet=sheet, row=excel_row,
                               column="code", value=str(raw_code))
        dimension = row[columns["dimension"]]
        if pd.isna(dimension) or str(dimension).strip() == "":
            raise GapcoreError("items_missing_dimension", file=file, sheet=sheet, row=excel_row,
                               column="dimension")
        reverse_raw = _flag_text(row[columns["reverse"]]) if "reverse" in columns else ""
        if reverse_raw not in _TRUE | _FALSE:
            raise GapcoreError("items_bad_reverse", file=file, sheet=sheet, row=excel_row,
                               column="reverse", value=reverse_raw)

        def text(lang: str, row: pd.Series = row) -> str:
            col = columns.get(f"text_{lang}", columns.get("text"))
            value = row[col] if col is not None else ""
            return "" if pd.isna(value) else str(value).strip()

        seen.add(number)
        items.append(Item(number, _dimension_key(dimension), text("en"), text("ko"), text("zh"),
                          reverse_raw in _TRUE))
    if not items:
        raise GapcoreError("items_empty", file=file, sheet=sheet)
    if tuple(items) == SERVQUAL_22.items:
        return SERVQUAL_22
    return Instrument(tuple(items))
