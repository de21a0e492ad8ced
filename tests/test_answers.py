"""The loader's answer columns (``gapcore.io.answers``): every step on the one-byte form gives what the
same step computed on the float answers gives (NumPy on float32, the reference)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gapcore.io.answers import Answers

answer = st.one_of(st.integers(-127, 127).map(float), st.sampled_from([np.nan, 0.0, 9.0, 99.0]))
columns = arrays(np.float32, st.integers(0, 60), elements=answer)
codes = st.lists(st.sampled_from([0.0, 9.0, 99.0, 999.0, 2.5, -3.0, 127.0]), max_size=3)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return np.array_equal(a, b, equal_nan=True)


def test_whole_answers_are_one_byte_each_and_read_back_exactly() -> None:
    values = np.array([1, 7, np.nan, -127, 127, 0], dtype=np.float32)
    answers = Answers.of(values)
    assert answers.whole and answers.values.dtype == np.int8
    assert _same(answers.as_float(), values)
    stored = answers.stored()
    assert stored.dtype == "Int8"
    assert stored.to_numpy(dtype=float, na_value=np.nan).tolist()[:2] == [1.0, 7.0]
    assert pd.isna(stored[2])


@pytest.mark.parametrize("values", [[1, 2.5], [1, 999], [1, -128], [1, np.inf], [200, np.nan]])
def test_a_fraction_or_a_code_beyond_a_byte_keeps_the_floats(values: list[float]) -> None:
    answers = Answers.of(np.array(values, dtype=np.float32))
    assert not answers.whole
    assert _same(answers.stored(), np.array(values, dtype=np.float32))


def test_an_unanswered_column_is_whole_with_no_answers() -> None:
    answers = Answers.of(np.full(4, np.nan, dtype=np.float32))
    assert answers.whole and answers.answered().sum() == 0
    values, counts = answers.distinct
    assert values.size == 0 and counts.size == 0


def test_distinct_counts_negative_answers_in_order() -> None:
    answers = Answers.of(np.array([-2, 3, -2, 0, np.nan, -127, 3, 3], dtype=np.float32))
    values, counts = answers.distinct
    assert values.tolist() == [-127.0, -2.0, 0.0, 3.0]
    assert counts.tolist() == [1, 2, 1, 3]


def test_reversing_on_a_wide_scale_leaves_the_byte_when_it_would_overflow() -> None:
    answers = Answers.of(np.array([0, 10, np.nan], dtype=np.float32))
    flipped = answers.reversed(0, 200)
    assert not flipped.whole
    assert _same(flipped.as_float(), np.array([200, 190, np.nan], dtype=np.float32))
    assert _same(answers.reversed(1, 10.5).as_float(), np.array([11.5, 1.5, np.nan], dtype=np.float32))


@given(columns, codes, st.sampled_from([(1, 5), (1, 7), (0, 10), (-3, 3)]))
def test_every_step_equals_the_float_reference(values: np.ndarray, na: list[float], scale: tuple[int, int]) -> None:
    answers = Answers.of(values)
    assert answers.whole == bool(np.all(np.isnan(values) | (np.rint(values) == values) & (np.abs(values) <= 127)))
    assert _same(answers.as_float(), values)

    reference_values, reference_counts = np.unique(values[~np.isnan(values)], return_counts=True)
    distinct, counts = answers.distinct
    assert distinct.tolist() == reference_values.astype(float).tolist()
    assert counts.tolist() == reference_counts.tolist()

    hit = answers.equal_to(na)
    assert hit.tolist() == np.isin(values, np.asarray(na, dtype=np.float32)).tolist()
    after_na = answers.without(hit)
    assert _same(after_na.as_float(), np.where(hit, np.nan, values))

    low, high = scale
    out = after_na.outside(low, high)
    reference = after_na.as_float()
    assert out.tolist() == (~np.isnan(reference) & ((reference < low) | (reference > high))).tolist()
    checked = after_na.without(out)
    assert _same(checked.reversed(low, high).as_float(), np.float32(low + high) - checked.as_float())
