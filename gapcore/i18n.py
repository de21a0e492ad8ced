"""Every label the app shows, in English, Korean and Chinese: ``t(key, lang, **values)``.

The texts live in the per-language catalogues ``gapcore/locales/<lang>.json`` (see
``gapcore.catalogue``); ``make test`` checks that every key used in the code exists in every language,
that no key is given twice, and that each text's placeholders agree across languages. Problem messages
are in the same files and rendered by ``gapcore.messages``.

In detail: `t(key, lang, **values)` over the catalogues' labels, `dimension_label`, `METHOD`; it lives in `gapcore`
(plain data, no Streamlit) because the exports and the CLI speak the same three languages as the app. Driver notes
are `DriverNote`s (key + values) rendered by `readings.note_text` in the reader's language.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from gapcore.catalogue import LANGUAGE_NAMES, catalogue, section
from gapcore.particles import fill
from gapcore.plaintext import visible

LANGUAGES: Mapping[str, str] = LANGUAGE_NAMES
TEXT: Mapping[str, Mapping[str, str]] = section("labels")
METHOD: Mapping[str, str] = {lang: "\n".join(catalogue(lang)["method"]) for lang in LANGUAGES}
STRICT = "SERVICEGAP_RAISE"  # set by the test suite: a missing label is an error, not its key on screen


def t(key: str, lang: str = "en", **values: object) -> str:
    """The label for ``key`` in ``lang`` (English when a language lacks it), formatted with ``values``.
    A key no catalogue has shows as itself to users, and raises under test."""
    entry = TEXT.get(key)
    if entry is None:
        if os.environ.get(STRICT):
            raise KeyError(f"no label {key!r} in gapcore/locales")
        return key
    text = entry.get(lang) or entry["en"]
    if lang == "ko":
        return fill(text, values)
    return text.format(**values) if values else text


def dimension_label(dimension: str, lang: str) -> str:
    """A default dimension's translated name; a custom instrument's dimension as written (hidden direction
    and zero-width characters made visible: it reaches charts, decks and readings)."""
    key = f"dim_{dimension}"
    return t(key, lang) if key in TEXT else visible(dimension.replace("_", " "))
