"""Property tests: any valid study, written any supported way, loads back identically; mutated bytes
never make the loader raise anything but its own error type."""

from __future__ import annotations

import contextlib
import io

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gapcore.errors import GapcoreError
from gapcore.io.load import SourceFile, load_study
from gapcore.io.readers import read_file
from gapcore.io.scale import Scale
from tests.conftest import DATA, FIXTURES

SEGMENT_VALUES = {
    "utf-8": ["Seoul", "서울", "北京", "Zürich"],
    "utf-8-sig": ["Seoul", "서울", "北京", "Zürich"],
    "cp949": ["서울", "부산", "Seoul"],
    "gb18030": ["北京", "上海", "深圳"],
    "big5": ["台北", "高雄", "台中"],
    "cp932": ["東京", "大阪", "なごや"],
    "cp1252": ["Zürich", "Genève", "Köln"],
}


@st.composite
def studies(draw: st.DrawFn) -> tuple[pd.DataFrame, str, str, str, Scale]:
    encoding = draw(st.sampled_from(sorted(SEGMENT_VALUES)))
    fmt = draw(st.sampled_from(["csv", "csv", "xlsx", "parquet"]))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    scale = draw(st.sampled_from([Scale(1, 5), Scale(1, 7), Scale(1, 10), Scale(0, 10)]))
    # Encodings are told apart by their text; a file whose only non-ASCII text is one short word is
    # ambiguous (부산 in CP949 is valid GB18030 too) and is what the encoding override is for. So every
    # segment value appears at least twice, as in any real export.
    n = draw(st.integers(min_value=8, max_value=25))
    items = draw(st.integers(min_value=1, max_value=22))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    words = SEGMENT_VALUES[encoding]
    frame = pd.DataFrame({"branch": [words[i % len(words)] for i in range(n)]})
    for level in "EP":
        for k in range(1, items + 1):
            values = rng.integers(scale.low, scale.high + 1, n).astype(float)
            values[rng.random(n) < 0.1] = np.nan
            # What makes the scale knowable from the answers, placed after the missing answers so
            # none can erase it: both ends of the scale occur (a 0-10 study without a 0 is, rightly,
            # read as 1-10), and every column has an answer.
            if level == "E" and k == 1:
                values[0] = scale.low
            values[1] = scale.high
            frame[f"{level}{k}"] = values
    return frame, encoding, fmt, delimiter, scale


def _write(frame: pd.DataFrame, encoding: str, fmt: str, delimiter: str) -> SourceFile:
    if fmt == "xlsx":
        buffer = io.BytesIO()
        frame.to_excel(buffer, index=False, sheet_name="customers")
        return SourceFile("s.xlsx", buffer.getvalue())
    if fmt == "parquet":
        return SourceFile("s.parquet", frame.to_parquet(index=False))
    text = frame.to_csv(index=False, sep=delimiter, lineterminator="\r\n" if delimiter == ";" else "\n")
    return SourceFile("s.csv", text.encode(encoding))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(studies())
def test_written_study_loads_back_identically(case):
    frame, encoding, fmt, delimiter, scale = case
    result = load_study([_write(frame, encoding, fmt, delimiter)])
    study = result.study
    assert study is not None, result.report.message_keys()
    assert not result.report.has_errors
    assert study.scale == scale
    assert study.customers["branch"].astype(str).tolist() == frame["branch"].tolist()
    for column in frame.columns[1:]:
        np.testing.assert_array_equal(study.customers[column].to_numpy(dtype=float), frame[column].to_numpy())
    if fmt == "csv":
        assert study.sources[0].delimiter == delimiter


SEEDS = [DATA / "demo_customers.csv", FIXTURES / "good" / "title_rows.xlsx", FIXTURES / "good" / "labels.sav",
         FIXTURES / "good" / "korean_questions_cp949.csv", FIXTURES / "good" / "customers.parquet"]
SEED_BYTES = {p.name: p.read_bytes()[:60_000] if p.suffix == ".csv" else p.read_bytes() for p in SEEDS}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(SEED_BYTES)), data=st.data())
def test_mutated_bytes_raise_only_gapcore_errors(name, data):
    original = bytearray(SEED_BYTES[name])
    for _ in range(data.draw(st.integers(1, 8))):
        kind = data.draw(st.sampled_from(["flip", "cut", "insert"]))
        at = data.draw(st.integers(0, max(0, len(original) - 1)))
        if kind == "flip" and original:
            original[at] = data.draw(st.integers(0, 255))
        elif kind == "cut":
            del original[at: at + data.draw(st.integers(1, 2000))]
        else:
            original[at:at] = data.draw(st.binary(min_size=1, max_size=64))
    with contextlib.suppress(GapcoreError):
        read_file(name, bytes(original))
    result = load_study([SourceFile(name, bytes(original))])  # never raises
    assert result.study is not None or result.report.has_errors
