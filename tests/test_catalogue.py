"""The text catalogues (gapcore/locales/<lang>.json): complete, unambiguous and consistent."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from gapcore.catalogue import LANGUAGE_NAMES, LOCALES, catalogue, read_catalogue
from gapcore.i18n import METHOD, TEXT, t
from gapcore.messages import MESSAGES
from tests.conftest import ROOT

LANGS = list(LANGUAGE_NAMES)
CODE = [*(ROOT / "gapcore").rglob("*.py"), *(ROOT / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py"),
        ROOT / "app.py"]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def calls(function: str) -> list[ast.Call]:
    """Every call of ``function`` (by name or attribute) in the app's and library's code."""
    found = []
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                if name == function and node.args:
                    found.append(node.args[0] if function == "t" else node.args[1] if len(node.args) > 1
                                 and function == "Problem" else node.args[0])
    return found


def key_patterns(function: str) -> list[str]:
    """Literal keys as themselves; f-string keys (``f"role_{r}"``) as regular expressions."""
    out = []
    for arg in calls(function):
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            out.append(re.escape(arg.value))
        elif isinstance(arg, ast.JoinedStr):
            out.append("".join(re.escape(v.value) if isinstance(v, ast.Constant) else ".+" for v in arg.values))
    return out


def test_every_file_has_the_same_keys_in_each_section():
    en = catalogue("en")
    for lang in LANGS[1:]:
        other = catalogue(lang)
        for section in ("labels", "problems", "where"):
            assert set(other[section]) == set(en[section]), (lang, section)
        assert other["method"] and other["cell_count"]


def test_no_key_is_given_twice(tmp_path):
    for lang in LANGS:
        read_catalogue(LOCALES / f"{lang}.json")  # raises on a duplicate
    doubled = tmp_path / "xx.json"
    doubled.write_text('{"labels": {"a": "1", "a": "2"}}', encoding="utf-8")
    with pytest.raises(ValueError, match="keys given twice: a"):
        read_catalogue(doubled)


def test_placeholders_agree_across_languages():
    for key, entry in TEXT.items():
        assert len({frozenset(placeholders(entry[lang])) for lang in LANGS}) == 1, key
        assert all(entry[lang].strip() for lang in LANGS), key
    for key, entry in MESSAGES.items():
        for part in (0, 1):
            assert len({frozenset(placeholders(entry[lang][part])) for lang in LANGS}) == 1, (key, part)
        assert all(entry[lang][0] for lang in LANGS), key
    assert set(METHOD) == set(LANGS)


def test_every_label_the_code_asks_for_exists():
    patterns = key_patterns("t")
    assert len(patterns) > 250
    missing = [p for p in patterns if not any(re.fullmatch(p, key) for key in TEXT)]
    assert missing == []


def test_every_problem_the_code_raises_has_a_message():
    patterns = key_patterns("Problem") + key_patterns("GapcoreError")
    assert len(patterns) > 80
    missing = [p for p in patterns if not any(re.fullmatch(p, key) for key in MESSAGES)]
    assert missing == []


def test_a_missing_label_raises_under_test():
    with pytest.raises(KeyError, match="no label 'no_such_label'"):
        t("no_such_label", "ko")


def test_the_catalogues_are_plain_json_a_translator_can_open():
    assert sorted(p.name for p in Path(LOCALES).glob("*.json")) == ["en.json", "ko.json", "zh.json"]
