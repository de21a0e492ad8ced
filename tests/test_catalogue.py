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


@pytest.mark.parametrize(("template", "value", "expected"), [
    ("{x}이(가) 오른다", "만족도", "만족도가 오른다"),           # vowel ending
    ("{x}이(가) 오른다", "재이용 의향", "재이용 의향이 오른다"),  # ㅇ final
    ("{x}을(를) 본다", "갭 2(서비스 기준)", "갭 2(서비스 기준)을 본다"),  # through the bracket: 준 (ㄴ)
    ("{x}을(를) 본다", "갭 1(고객 이해)", "갭 1(고객 이해)를 본다"),
    ("{x}(으)로 넘어오며", "2026-H1", "2026-H1로 넘어오며"),   # 일: ㄹ takes 로
    ("{x}(으)로 넘어오며", "3차", "3차로 넘어오며"),
    ("{x}(으)로 간다", "부산", "부산으로 간다"),
    ("{x}(으)로 간다", "서울", "서울로 간다"),
    ("'{x}'은(는) 숫자가 아닙니다.", "7", "'7'은 숫자가 아닙니다."),  # 칠: a consonant
    ("'{x}'은(는) 숫자가 아닙니다.", "5", "'5'는 숫자가 아닙니다."),
    ("{x}과(와) 비교", "Seoul", "Seoul과 비교"),
    ("{x}이(가) 없다", "满意度", "满意度이(가) 없다"),          # a Chinese word: both forms stay
    ("'{x}'이(가) 두 번", "A이(가)", "'A이(가)'가 두 번"),      # the value itself is never rewritten
])
def test_korean_particles_agree_with_the_word_before_them(template, value, expected):
    from gapcore.particles import fill

    assert fill(template, {"x": value}) == expected


def test_no_korean_text_shows_a_two_form_particle_after_a_korean_word():
    """Every Korean label and problem, filled with Korean words, reads without "이(가)"-style forms."""
    from gapcore.messages import render
    from gapcore.problems import Problem

    class Word(str):
        def __format__(self, spec: str) -> str:  # a word in every placeholder, whatever its number format
            return str(self)

    dual = re.compile(r"이\(가\)|은\(는\)|을\(를\)|과\(와\)|와\(과\)|\(으\)로")
    for key, entry in TEXT.items():
        names = placeholders(entry.get("ko", ""))
        filled = t(key, "ko", **{n: Word("만족도") for n in names}) if names else t(key, "ko")
        assert not dual.search(filled), (key, filled)
    for key, entry in MESSAGES.items():
        names = placeholders(entry.get("ko", ("", ""))[0]) | placeholders(entry.get("ko", ("", ""))[1])
        problem = Problem(key=key, severity="error", values={n: Word("만족도") for n in names})
        assert not dual.search(" ".join(render(problem, "ko"))), key


def test_role_codes_reach_messages_in_the_readers_words():
    from gapcore.messages import render
    from gapcore.problems import Problem

    problem = Problem(key="outcome_chosen", severity="warning",
                      values={"role": "satisfaction", "column": "Q12 전반적 만족", "others": "Q3"})
    what, _ = render(problem, "ko")
    assert what.startswith("만족도를 언급하는 질문이 여러 개라 전반적 질문인 'Q12 전반적 만족'을 결과 변수로")
    assert "satisfaction" not in what
    assert render(Problem(key="drivers_not_converged", severity="error", values={"outcome": "retention"}),
                  "zh")[0].startswith(t("role_retention", "zh"))
