"""User-facing messages for every problem key, in English, Korean and Chinese.

The texts are in the ``problems`` section of ``gapcore/locales/<lang>.json``; each entry is
(what is wrong, what to do). Placeholders are filled from the problem's ``values``;
the location (file, sheet, row, column) is rendered separately by :func:`where`. The app and the CLI
both render problems through :func:`render`, so a message reads the same everywhere.

In detail: renders every problem (key + values) as (what is wrong, what to do) in EN/KO/ZH, plus its location; a
problem standing for many cells gets their count and first rows; `grouped`: problems that say the same thing in
several places as one message naming each place (the Data page's list).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gapcore.catalogue import catalogue, section
from gapcore.i18n import TEXT, t
from gapcore.particles import fill
from gapcore.problems import Problem

LANGUAGES = ("en", "ko", "zh")

MESSAGES: Mapping[str, Mapping[str, tuple[str, str]]] = {
    key: {lang: (what, todo) for lang, (what, todo) in entry.items()} for key, entry in section("problems").items()}
CELL_COUNT_WORDS: Mapping[str, str] = {lang: catalogue(lang)["cell_count"] for lang in LANGUAGES}
WHERE_WORDS: Mapping[str, Mapping[str, str]] = {lang: catalogue(lang)["where"] for lang in LANGUAGES}


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _entry(key: str, lang: str) -> tuple[str, str]:
    entry = MESSAGES.get(key)
    if entry is None:
        return (key, "")
    return entry.get(lang) or entry["en"]


def where(problem: Problem, lang: str = "en") -> str:
    """The location as a short phrase: 'file a.csv, sheet customers, row 12, column E3'."""
    words = WHERE_WORDS.get(lang, WHERE_WORDS["en"])
    parts = [words[f].format(getattr(problem, f)) for f in ("file", "sheet", "row", "column")
             if getattr(problem, f) not in (None, "")]
    return words["sep"].join(parts)


def render(problem: Problem, lang: str = "en") -> tuple[str, str]:
    """(what is wrong, what to do) for a problem, in the given language."""
    what, todo = _entry(problem.key, lang)
    values: dict[str, Any] = _Defaults(
        {f: getattr(problem, f) for f in ("file", "sheet", "row", "column") if getattr(problem, f) is not None}
    )
    values.update(problem.values)
    for name in ("role", "outcome"):  # a role's code ("satisfaction") in the reader's words
        if isinstance(values.get(name), str) and f"role_{values[name]}" in TEXT:
            values[name] = t(f"role_{values[name]}", lang)
    fill_in = fill if lang == "ko" else str.format_map
    what = fill_in(what, values)
    if int(problem.values.get("cells", 1)) > 1:  # one problem standing for many cells of a column
        what += fill_in(CELL_COUNT_WORDS.get(lang, CELL_COUNT_WORDS["en"]), values)
    return what, fill_in(todo, values)


def render_line(problem: Problem, lang: str = "en") -> str:
    """One line for a console: severity, where, what, what to do."""
    what, todo = render(problem, lang)
    location = where(problem, lang)
    return " ".join(part for part in (f"[{problem.severity}]", f"{location}:" if location else "", what, todo)
                    if part)


def grouped(problems: Iterable[Problem], lang: str = "en") -> list[tuple[str, str, str]]:
    """Problems as a page lists them: (severity, where, what and what to do), one entry for problems that
    say the same thing in several places (each sheet skipped, each column of one kind), their places joined
    — so every message names where it applies and none is repeated. In order of first appearance."""
    entries: dict[tuple[str, str], list[str]] = {}
    for problem in problems:
        what, todo = render(problem, lang)
        places = entries.setdefault((problem.severity, f"{what} {todo}".strip()), [])
        place = where(problem, lang)
        if place and place not in places:
            places.append(place)
    separator = "; " if lang == "en" else " · "
    return [(severity, separator.join(places), text) for (severity, text), places in entries.items()]
