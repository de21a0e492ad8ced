"""Answer scales and the text labels survey tools export instead of numbers.

A study's item columns share one Likert scale. :func:`detect_scale` picks the smallest common scale
that holds every observed answer (1–5, 1–7, 1–9, 1–10, 0–10); the user can override it. Text answers
("Strongly agree", "매우 그렇다", "非常同意") are mapped through a label table the user can edit;
"not applicable" / "don't know" answers are missing, never zero.

In detail: `Scale`, scale detection, the editable answer-label table (the agreement ladder in EN/KO/ZH and in
Portuguese, Spanish, French, German, Vietnamese, Japanese and Indonesian, plus satisfaction and quality ladders
when two of their words are in the answers; labels compared without case, width, non-breaking spaces or trailing
punctuation), missing-answer labels, yes/no labels in the same languages; `guess_ladder`: answer words of no known
ladder (any language) ordered from the respondents alone — spectral seriation of their co-occurrence within
respondents, the top put where answers crowd — which the loader offers (`LoadResult.ladder`,
`answer_ladder_guessed`) and computes nothing on until the Data page's ladder panel confirms, turns or renumbers it
(`ladder_labels`), `is_answer_label` (a cell that reads as an answer, never a column name).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Scale:
    low: int
    high: int

    @property
    def midpoint(self) -> float:
        return (self.low + self.high) / 2

    @property
    def points(self) -> int:
        return self.high - self.low + 1

    def flip(self, values: pd.Series) -> pd.Series:
        """Reverse-code answers: low becomes high."""
        return self.low + self.high - values

    def as_list(self) -> list[int]:
        return [self.low, self.high]

    def as_tuple(self) -> tuple[int, int]:
        return (self.low, self.high)


SUPPORTED_SCALES: tuple[Scale, ...] = (Scale(1, 5), Scale(1, 7), Scale(1, 9), Scale(1, 10), Scale(0, 10))
DEFAULT_SCALE = Scale(1, 7)


def detect_scale(low: float | None, high: float | None) -> Scale | None:
    """The smallest supported scale holding ``[low, high]``; the default when nothing was answered."""
    if low is None or high is None or np.isnan(low) or np.isnan(high):
        return DEFAULT_SCALE
    for scale in SUPPORTED_SCALES:
        if scale.low <= low and high <= scale.high:
            return scale
    return None


def normalize_label(text: object) -> str:
    """Case-, width- and space-insensitive form of an answer label: non-breaking and other Unicode spaces
    are spaces, runs of spaces one, and trailing punctuation ("Concordo.", "Agree!") dropped."""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower()
    words = " ".join(folded.replace("_", " ").split())
    return words.rstrip(".,;:!?。、！？") or words


#: Answers that mean "no answer": missing, never a number.
MISSING_LABELS: frozenset[str] = frozenset(
    normalize_label(t)
    for t in (
        "n/a", "na", "not applicable", "don't know", "dont know", "do not know", "dk", "no answer",
        "prefer not to say", "refused", "-", ".", "해당 없음", "해당없음", "모름", "잘 모르겠다", "무응답",
        "모르겠음", "不适用", "不知道", "不清楚", "拒答", "无", "不適用",
        # pt, es, fr, de, vi, ja, id
        "não sei", "não se aplica", "não aplicável", "no sé", "no sabe", "no aplica", "no corresponde",
        "je ne sais pas", "ne sais pas", "sans objet", "non applicable", "weiß nicht", "keine angabe",
        "nicht zutreffend", "trifft nicht zu", "không biết", "không áp dụng", "わからない", "分からない",
        "該当なし", "無回答", "tidak tahu", "tidak berlaku",
    )
)

#: The agreement ladder in the languages survey files come in besides English, Korean and Chinese: each
#: rung's words in Portuguese, Spanish, French, German, Vietnamese, Japanese and Indonesian.
_AGREE_WORLD = (
    ("discordo totalmente", "discordo fortemente", "totalmente en desacuerdo", "muy en desacuerdo",
     "pas du tout d'accord", "tout à fait en désaccord", "fortement en désaccord", "stimme überhaupt nicht zu",
     "stimme gar nicht zu", "hoàn toàn không đồng ý", "rất không đồng ý", "まったくそう思わない", "全くそう思わない",
     "全然そう思わない", "sangat tidak setuju"),
    ("discordo", "discordo parcialmente", "en desacuerdo", "pas d'accord", "plutôt pas d'accord",
     "stimme nicht zu", "stimme eher nicht zu", "không đồng ý", "そう思わない", "あまりそう思わない", "tidak setuju"),
    ("nem concordo nem discordo", "indiferente", "neutro", "ni de acuerdo ni en desacuerdo",
     "ni d'accord ni pas d'accord", "neutre", "weder noch", "teils teils", "trung lập", "bình thường",
     "どちらともいえない", "どちらとも言えない", "どちらでもない", "netral", "ragu-ragu", "biasa saja"),
    ("concordo", "concordo parcialmente", "de acuerdo", "d'accord", "plutôt d'accord", "stimme zu",
     "stimme eher zu", "đồng ý", "そう思う", "ややそう思う", "setuju"),
    ("concordo totalmente", "concordo fortemente", "totalmente de acuerdo", "muy de acuerdo",
     "tout à fait d'accord", "stimme voll zu", "stimme voll und ganz zu", "stimme völlig zu", "hoàn toàn đồng ý",
     "rất đồng ý", "とてもそう思う", "強くそう思う", "非常にそう思う", "sangat setuju"),
)
_AGREE_5 = tuple((*rung, *world) for rung, world in zip((
    ("strongly disagree", "전혀 그렇지 않다", "非常不同意", "전혀 아니다", "完全不同意"),
    ("disagree", "그렇지 않다", "不同意", "아니다"),
    ("neutral", "neither agree nor disagree", "보통이다", "보통", "一般", "中立", "既不同意也不反对"),
    ("agree", "그렇다", "同意"),
    ("strongly agree", "매우 그렇다", "非常同意", "完全同意"),
), _AGREE_WORLD, strict=True))
_AGREE_7 = (
    ("strongly disagree", "전혀 그렇지 않다", "非常不同意", "完全不同意", *_AGREE_WORLD[0]),
    ("disagree", "그렇지 않다", "不同意"),
    ("somewhat disagree", "slightly disagree", "약간 그렇지 않다", "다소 그렇지 않다", "有点不同意", "比较不同意"),
    ("neutral", "neither agree nor disagree", "보통이다", "보통", "一般", "中立", "既不同意也不反对"),
    ("somewhat agree", "slightly agree", "약간 그렇다", "다소 그렇다", "有点同意", "比较同意"),
    ("agree", "그렇다", "同意"),
    ("strongly agree", "매우 그렇다", "非常同意", "完全同意", *_AGREE_WORLD[4]),
)
_SEVEN_ONLY = frozenset(normalize_label(t) for t in (*_AGREE_7[2], *_AGREE_7[4]))


def default_labels(points: int = 7) -> pd.DataFrame:
    """The editable label table: ``label`` → ``value`` for a 5- or 7-point agreement scale."""
    ladder = _AGREE_5 if points == 5 else _AGREE_7
    rows = [(label, value) for value, labels in enumerate(ladder, start=1) for label in labels]
    return pd.DataFrame(rows, columns=["label", "value"])


#: Other ladders survey tools export, on five points: added to the table when the answers use them.
_SATISFIED_5 = (
    ("very dissatisfied", "매우 불만족", "非常不满意"),
    ("dissatisfied", "somewhat dissatisfied", "불만족", "不满意"),
    ("neither satisfied nor dissatisfied", "somewhat satisfied", "보통", "一般"),
    ("satisfied", "만족", "满意"),
    ("very satisfied", "매우 만족", "非常满意"),
)
_QUALITY_5 = (
    ("very poor", "terrible", "매우 나쁨", "很差"),
    ("poor", "bad", "나쁨", "差"),
    ("fair", "okay", "ok", "average", "보통", "一般"),
    ("good", "좋음", "好"),
    ("very good", "great", "excellent", "매우 좋음", "很好"),
)


def labels_for(observed: Iterable[str]) -> pd.DataFrame:
    """The label table for the answers seen: the 7-point agreement table when any observed label only
    exists on seven points, else the 5-point one; plus the 5-point satisfaction and quality ladders
    ("Satisfied", "Good") when the answers use two or more of their words. Every row can be edited on
    the Data page."""
    seen = {normalize_label(t) for t in observed}
    table = default_labels(7 if seen & _SEVEN_ONLY else 5)
    known = set(table["label"].map(normalize_label))
    extra = []
    for ladder in (_SATISFIED_5, _QUALITY_5):
        words = {normalize_label(w) for rung in ladder for w in rung}
        if len(seen & words) >= 2 and seen & words - known:  # a ladder in use, not one stray word
            extra += [(label, value) for value, rung in enumerate(ladder, start=1) for label in rung
                      if normalize_label(label) not in known]
            known |= words
    if not extra:
        return table
    return pd.concat([table, pd.DataFrame(extra, columns=["label", "value"])], ignore_index=True)


def label_lookup(labels: pd.DataFrame) -> Mapping[str, float]:
    return {normalize_label(lab): float(val) for lab, val in zip(labels["label"], labels["value"], strict=True)}


_YES = ("1", "1.0", "yes", "y", "true", "t", "retained", "retain", "kept", "stay", "stayed", "renewed",
        "예", "네", "유지", "재구매", "是", "留存", "保留", "继续", "續約", "续约",
        "sim", "sí", "si", "oui", "ja", "có", "はい", "ya")  # pt, es, fr, de, vi, ja, id
_NO = ("0", "0.0", "no", "n", "false", "f", "churned", "churn", "lost", "left", "cancelled", "canceled",
       "아니오", "아니요", "이탈", "해지", "否", "流失", "取消",
       "não", "nao", "non", "nein", "không", "いいえ", "tidak")
BINARY_LABELS: Mapping[str, float] = {
    **{normalize_label(t): 1.0 for t in _YES},
    **{normalize_label(t): 0.0 for t in _NO},
}

#: Words survey tools write as answers on satisfaction, quality and frequency scales.
_OTHER_ANSWERS = (
    "very satisfied", "satisfied", "somewhat satisfied", "neither satisfied nor dissatisfied",
    "somewhat dissatisfied", "dissatisfied", "very dissatisfied", "neutral or dissatisfied", "not satisfied",
    "excellent", "very good", "good", "great", "okay", "ok", "fair", "poor", "very poor", "bad", "terrible",
    "always", "often", "sometimes", "rarely", "never", "very likely", "likely", "unlikely", "very unlikely",
    "매우 만족", "만족", "보통", "불만족", "매우 불만족", "非常满意", "满意", "不满意", "非常不满意",
)
ANSWER_LABELS: frozenset[str] = frozenset(
    normalize_label(t) for t in (*(lab for ladder in (_AGREE_5, _AGREE_7) for rung in ladder for lab in rung),
                                 *_OTHER_ANSWERS, *_YES, *_NO)
) | MISSING_LABELS


def is_answer_label(text: object) -> bool:
    """Whether a cell reads as an answer a respondent gave (a label, yes/no, "n/a"), not a column name."""
    return normalize_label(text) in ANSWER_LABELS


#: A block of answer words is a rating ladder when it has this many words (a 3- to 11-point scale).
LADDER_WORDS = range(3, 12)


def guess_ladder(answers: pd.DataFrame) -> tuple[str, ...]:
    """The order of a battery's answer words in any language, from the respondents alone.

    Answers to one battery correlate, so the words one respondent gives across its questions lie near each
    other on the scale: ordering the words by the Fiedler vector of their co-occurrence within respondents
    (spectral seriation, Atkins, Boman & Hendrickson 1998) recovers the ladder up to its direction. Which
    end is high cannot be read from co-occurrence; satisfaction answers lean positive, so the end the
    answers crowd towards is taken as the top — a guess the analyst confirms or turns round on the Data page.
    ``answers``: the battery's columns (text; "don't know" words are left out). Words as first written."""
    shown: dict[str, str] = {}
    for value in pd.unique(answers.to_numpy().ravel()):
        if isinstance(value, str) and value.strip() and normalize_label(value) not in MISSING_LABELS:
            shown.setdefault(normalize_label(value), " ".join(value.split()))
    keys = sorted(shown)
    if len(keys) < 2:
        return tuple(shown[k] for k in keys)
    position = {k: j for j, k in enumerate(keys)}
    counts = np.zeros((len(answers), len(keys)))
    for column in answers.columns:
        codes = answers[column].map(lambda v: position.get(normalize_label(v), -1) if isinstance(v, str) else -1)
        rows = np.flatnonzero(codes.to_numpy() >= 0)
        np.add.at(counts, (rows, codes.to_numpy()[rows]), 1.0)
    together = counts.T @ counts
    np.fill_diagonal(together, 0.0)
    used = np.sqrt(np.maximum(counts.sum(axis=0), 1.0))
    similarity = together / np.outer(used, used)
    laplacian = np.diag(similarity.sum(axis=1)) - similarity
    fiedler = np.linalg.eigh(laplacian)[1][:, 1]
    order = [keys[j] for j in np.argsort(fiedler, kind="stable")]
    frequency = counts.sum(axis=0)[[position[k] for k in order]]
    if float(np.dot(frequency, np.arange(len(order)))) < frequency.sum() * (len(order) - 1) / 2:
        order.reverse()  # the answers crowd at the start: that end is the top
    return tuple(shown[k] for k in order)


def ladder_labels(ladder: Sequence[str], observed: Iterable[str], values: Sequence[float] | None = None
                  ) -> pd.DataFrame:
    """The label table for the answers seen (``labels_for``) with a confirmed ladder added: its words
    1, 2, … in the order given, lowest first, or the ``values`` the analyst gave them."""
    table = labels_for(observed)
    numbers = [float(v) for v in values] if values is not None else [float(k) for k in range(1, len(ladder) + 1)]
    rows = pd.DataFrame({"label": list(ladder), "value": numbers})
    known = set(table["label"].map(normalize_label))
    rows = rows[~rows["label"].map(normalize_label).isin(known)]
    return pd.concat([table, rows], ignore_index=True)
