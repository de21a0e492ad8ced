"""The text catalogues: one JSON file per language in ``gapcore/locales/`` (``en.json``, ``ko.json``,
``zh.json``), the format translators work in. Each holds

- ``labels``: key → text of the app, the deck and the reports (``str.format`` placeholders);
- ``problems``: message key → [what is wrong, what to do] (``gapcore.messages``);
- ``where``: the words of a location (file, sheet, row, column); ``cell_count``: the suffix of a
  problem that stands for many cells;
- ``method``: the Method page, as Markdown lines.

A key given twice in one file is an error at load (JSON would silently keep the last one).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

LOCALES = Path(__file__).resolve().parent / "locales"
LANGUAGE_NAMES: Mapping[str, str] = {"en": "English", "ko": "한국어", "zh": "中文"}


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise ValueError(f"keys given twice: {', '.join(twice)}")
    return dict(pairs)


def read_catalogue(path: Path) -> dict[str, Any]:
    """One language's catalogue file, refusing a key given twice."""
    try:
        return json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicates)
    except ValueError as exc:
        raise ValueError(f"{path.name}: {exc}") from exc


@cache
def catalogue(lang: str) -> Mapping[str, Any]:
    """The catalogue of ``lang`` (read once per process; the files ship with the code)."""
    return read_catalogue(LOCALES / f"{lang}.json")


def section(name: str) -> dict[str, dict[str, Any]]:
    """One section across languages, keyed first by entry: ``{key: {lang: value}}``."""
    out: dict[str, dict[str, Any]] = {}
    for lang in LANGUAGE_NAMES:
        for key, value in catalogue(lang)[name].items():
            out.setdefault(key, {})[lang] = value
    return out
