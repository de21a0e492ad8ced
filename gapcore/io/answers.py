"""One item column's answers as the loader converts and checks them.

Survey answers are small whole numbers, so most columns are kept in one byte per answer (``int8`` with a
missing mask) from the moment they are read as numbers until the study holds them as a nullable ``Int8``
column; a column with a fraction or a code beyond ±127 (999 before it is read as "not applicable") is
kept as ``float32`` with NaN for missing. Every step of the load — counting the distinct answers for the
"not applicable" codes and the scale, making codes missing, dropping answers off the scale, reversing a
reverse-worded item — runs on that form: a count of 256 byte values instead of a sort, and no conversion
back to floats between the steps.

In detail: `Answers` holds it as `int8` with a missing mask when every
answer is a whole number in −127..127, else float32 — and each step on that form (distinct answers and their counts
for "not applicable" codes and the scale, codes made missing, off-scale answers dropped, reverse-coding), with no
float round trip between the steps. Customer answers reach the `Study` in one byte each (nullable `Int8`), else
float32; readers convert with `to_numpy(dtype=float)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

_BYTE_VALUES = 256


@dataclass(frozen=True, eq=False)
class Answers:
    """An item column's answers: ``values`` is ``int8`` (0 where ``missing``) when every answer is a
    whole number in −127..127, else ``float32`` with NaN for missing (``missing`` is then None)."""

    values: np.ndarray
    missing: np.ndarray | None

    @classmethod
    def of(cls, values: np.ndarray) -> Answers:
        """Answers from numbers (NaN = unanswered), in one byte each when every answer allows it."""
        values = np.asarray(values, dtype=np.float32)
        missing = np.isnan(values)
        with np.errstate(invalid="ignore"):  # NaN and out-of-range casts: their bytes are not used
            whole = values.astype(np.int8)
        fits = (whole == values) & (whole != -128)
        fits |= missing
        if not fits.all():
            return cls(values, None)
        np.putmask(whole, missing, 0)
        return cls(whole, missing)

    @property
    def whole(self) -> bool:
        return self.missing is not None

    def answered(self) -> np.ndarray:
        return ~self.missing if self.missing is not None else ~np.isnan(self.values)

    def as_float(self) -> np.ndarray:
        """float32, NaN where unanswered."""
        if self.missing is None:
            return self.values
        out = self.values.astype(np.float32)
        out[self.missing] = np.nan
        return out

    def stored(self) -> np.ndarray | pd.api.extensions.ExtensionArray:
        """The column a study keeps: nullable ``Int8`` (every reader converts with
        ``to_numpy(dtype=float)``, NaN for a missing answer), else the float32 values."""
        if self.missing is None:
            return self.values
        return pd.arrays.IntegerArray(self.values, self.missing)

    @cached_property
    def distinct(self) -> tuple[np.ndarray, np.ndarray]:
        """The distinct answers, ascending, and how many times each was given (counted once: the
        "not applicable" codes and the scale both read them)."""
        if self.missing is None:
            answered = self.values[~np.isnan(self.values)]
            values, counts = np.unique(answered, return_counts=True)
            return values.astype(float), counts
        as_bytes = self.values.view(np.uint8)
        counts = np.bincount(as_bytes, minlength=_BYTE_VALUES)
        counts -= np.bincount(as_bytes[self.missing], minlength=_BYTE_VALUES)
        present = np.flatnonzero(counts)
        values = present.astype(np.int16)
        values[values > 127] -= _BYTE_VALUES  # the byte of −k is 256 − k
        order = np.argsort(values, kind="stable")
        return values[order].astype(float), counts[present][order]

    def outside(self, low: float, high: float) -> np.ndarray:
        """Answers given but off the scale [low, high]."""
        if self.missing is None:
            with np.errstate(invalid="ignore"):
                return ~np.isnan(self.values) & ((self.values < low) | (self.values > high))
        return ~self.missing & ((self.values < low) | (self.values > high))

    def without(self, drop: np.ndarray) -> Answers:
        """These answers with the ``drop`` rows made missing."""
        if self.missing is None:
            return Answers.of(np.where(drop, np.float32(np.nan), self.values))
        return Answers(np.where(drop, np.int8(0), self.values), self.missing | drop)

    def equal_to(self, codes: Iterable[float]) -> np.ndarray:
        """Answers given that equal one of ``codes``."""
        codes = [float(c) for c in codes]
        if self.missing is None:
            return np.isin(self.values, np.asarray(codes, dtype=np.float32))
        table = np.zeros(_BYTE_VALUES, dtype=bool)
        for code in codes:
            if code.is_integer() and -127 <= code <= 127:
                table[int(code) % _BYTE_VALUES] = True
        return table[self.values.view(np.uint8)] & ~self.missing

    def reversed(self, low: float, high: float) -> Answers:
        """Reverse-coded on the scale [low, high]: an answer x becomes low + high − x."""
        if self.missing is None or not float(low + high).is_integer():
            return Answers.of(np.float32(low + high) - self.as_float())
        flipped = int(low + high) - self.values.astype(np.int16)
        np.putmask(flipped, self.missing, 0)
        if flipped.min(initial=0) < -127 or flipped.max(initial=0) > 127:
            return Answers.of(np.float32(low + high) - self.as_float())
        return Answers(flipped.astype(np.int8), self.missing)


Converted = dict[str, dict[str, Answers]]
