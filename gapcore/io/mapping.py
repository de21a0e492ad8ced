"""The column mapping: what each column of each table holds (``ColumnSpec``), with the study's reading
settings, as the v2 mapping file (JSON or YAML) the Data page downloads and the command line reads; and
how a mapping given by the analyst overrides what detection found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import yaml

from gapcore.errors import GapcoreError
from gapcore.instrument import Instrument, instrument_from_table
from gapcore.io.headers import LEVEL_ALIASES, OUTCOMES, ROLES
from gapcore.io.segment_setup import SegmentSetup


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


_CANONICAL_NAMES = frozenset({"id", "weight", "wave", *OUTCOMES})


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


def apply_mapping(table: str, mapping: ColumnMapping, detected: list[ColumnSpec]) -> list[ColumnSpec]:
    """Overlay a user mapping on detected roles: the mapping wins for every column it names."""
    chosen = {s.column: s for s in mapping.for_table(table)}
    return [chosen.get(spec.column, spec) for spec in detected]
