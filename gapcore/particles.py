"""Korean particles that agree with the word before them: 이/가, 은/는, 을/를, 과/와, 으로/로.

The Korean catalogue writes a particle after a placeholder in both forms, "{outcome}이(가)"; once the
text is filled in, each is resolved from the last sound of what precedes it: a Hangul syllable's final
consonant, a digit's Korean reading (1 일, 3 삼, …), an English word's last letter (…l, …m, …n end in a
consonant when read in Korean). Closing quotes and brackets are looked through ("갭 2(서비스 기준)이").
Where the sound cannot be told (a Chinese character, a symbol), both forms stay, as Korean writers do.

In detail: the catalogue writes `{x}이(가)`, `particles.fill`
formats the template and resolves each two-form particle from the last sound of the text before it (Hangul final
consonant, digit reading, English last letter; both forms stay when it cannot be told), never rewriting a value.
`t` and `messages.render` fill Korean through it.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping

_PARTICLES = {"이(가)": ("이", "가"), "은(는)": ("은", "는"), "을(를)": ("을", "를"), "과(와)": ("과", "와"),
              "와(과)": ("과", "와"), "(으)로": ("으로", "로")}
_PATTERN = re.compile("|".join(re.escape(p) for p in _PARTICLES))
_LOOK_THROUGH = "'\"’”)]）」』》 "
_DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ", "9": ""}
_RIEUL = 8  # index of ㄹ among the final consonants


def final_consonant(text: str) -> str | None:
    """The final consonant of the last sound of ``text`` ("" when it ends in a vowel, "ㄹ", or "x" for
    any other consonant); ``None`` when it cannot be told."""
    stripped = text.rstrip(_LOOK_THROUGH)
    if not stripped:
        return None
    last = stripped[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - ord("가")) % 28
        return "" if final == 0 else "ㄹ" if final == _RIEUL else "x"
    if last in _DIGIT_FINAL:
        return {"ㄹ": "ㄹ", "": ""}.get(_DIGIT_FINAL[last], "x")
    if last.isascii() and last.isalpha():
        return {"l": "ㄹ", "m": "x", "n": "x"}.get(last.lower(), "")
    return None


def fill(template: str, values: Mapping[str, object]) -> str:
    """``template.format_map(values)`` with the template's two-form particles resolved. Only the
    template's own text is changed: a value (a file's header, an answer) is never rewritten, even when it
    happens to contain "이(가)"."""
    formatter = string.Formatter()
    out: list[str] = []
    for literal, field, spec, conversion in formatter.parse(template):
        out.append(_resolve(literal, "".join(out)))
        if field is not None:
            value, _ = formatter.get_field(field, (), values)
            out.append(formatter.format_field(formatter.convert_field(value, conversion), spec or ""))
    return "".join(out)


def _resolve(text: str, before: str = "") -> str:
    """Every two-form particle in ``text`` replaced by the form its preceding word takes."""
    def choose(match: re.Match[str]) -> str:
        particle = match.group(0)
        final = final_consonant(before + text[:match.start()])
        if final is None:
            return particle
        with_consonant, with_vowel = _PARTICLES[particle]
        if particle == "(으)로":
            return with_vowel if final in ("", "ㄹ") else with_consonant
        return with_consonant if final else with_vowel

    return _PATTERN.sub(choose, text)
