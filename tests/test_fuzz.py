"""Fuzzing: generated and mutated files of every format go through the loader and the analysis; nothing
escapes but ``GapcoreError`` and memory stays bounded.

The number of files comes from ``FUZZ_EXAMPLES`` (default 300, a CI-friendly profile); ``make fuzz``
runs 10,000 (7,000 mutated + 3,000 generated).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gapcore.analysis import analyze, prepare
from gapcore.errors import GapcoreError
from gapcore.io.load import SourceFile, load_study
from gapcore.segments import compare_segments
from tests.conftest import DATA, FIXTURES

TOTAL = int(os.environ.get("FUZZ_EXAMPLES", "300"))
MUTATED, GENERATED = int(TOTAL * 0.7), TOTAL - int(TOTAL * 0.7)
RSS_HEADROOM = 1024**3  # a single small file may never grow the process by more than this

SEEDS = {p.name: p.read_bytes() for p in [DATA / "demo_customers.csv", *sorted((FIXTURES / "good").iterdir()),
                                          *(FIXTURES / "bad" / n for n in ("formulas.xlsx", "out_of_range.sav",
                                                                             "out_of_range.parquet"))]}
SEEDS["demo_customers.csv"] = SEEDS["demo_customers.csv"][:80_000]  # 700 rows: enough structure, fast


def _rss() -> int:
    """Current resident memory of this process (Linux), in bytes."""
    pages = Path("/proc/self/statm").read_text().split()[1]
    return int(pages) * os.sysconf("SC_PAGE_SIZE")


@pytest.fixture(scope="module")
def baseline_rss() -> int:
    return _rss()


def _through_everything(files: list[SourceFile], baseline: int) -> None:
    """Load (which never raises), then analyse whatever loaded; only GapcoreError may escape."""
    result = load_study(files)
    assert result.study is not None or result.report.has_errors
    if result.study is not None:
        try:
            prepared = prepare(result.study, use_weight=True)
            analyze(prepared, {}, min_cell=3)
            if result.study.segments:
                compare_segments(prepared, result.study.segments[0], {}, min_cell=3)
        except GapcoreError:
            pass
    assert _rss() - baseline < RSS_HEADROOM


MUTATIONS = ("flip", "cut", "insert", "splice", "repeat", "truncate")


@settings(max_examples=max(1, MUTATED), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(sorted(SEEDS)), data=st.data())
def test_mutated_files_never_escape(name, data, baseline_rss):
    body = bytearray(SEEDS[name])
    for _ in range(data.draw(st.integers(1, 6), label="mutations")):
        kind = data.draw(st.sampled_from(MUTATIONS))
        at = data.draw(st.integers(0, max(0, len(body) - 1)))
        if kind == "flip" and body:
            body[at] = data.draw(st.integers(0, 255))
        elif kind == "cut":
            del body[at: at + data.draw(st.integers(1, 4000))]
        elif kind == "insert":
            body[at:at] = data.draw(st.binary(min_size=1, max_size=256))
        elif kind == "splice":  # a piece of another file (encodings and formats mixed)
            other = SEEDS[data.draw(st.sampled_from(sorted(SEEDS)))]
            start = data.draw(st.integers(0, max(0, len(other) - 1)))
            body[at:at] = other[start: start + data.draw(st.integers(1, 4000))]
        elif kind == "repeat" and body:
            chunk = body[at: at + data.draw(st.integers(1, 200))]
            body[at:at] = chunk * data.draw(st.integers(2, 50))
        else:
            del body[at:]
    _through_everything([SourceFile(name, bytes(body))], baseline_rss)


CELLS = st.one_of(
    st.integers(-3, 12), st.floats(allow_nan=True, allow_infinity=True, width=32),
    st.sampled_from(["", " ", "NA", "n/a", "모름", "不知道", "매우 그렇다", "非常同意", "Strongly agree", "=1+1",
                     "@SUM(A1)", "-", "3,5", "4.0", "１", "五", "\t", "\"", "'", "0x10", "1e308"]),
    st.text(max_size=20),
)
HEADERS = st.sampled_from(["E1", "E2", "P1", "P2", "E3", "P3", "exp_1", "perc_1", "기대1", "인식1", "期望1", "感知1",
                           "branch", "지점", "网点", "wave", "차수", "weight", "가중치", "satisfaction", "만족도",
                           "retention", "recommend", "id", "W_TAN", "A1", "I1", "M1", "", "E1", "Unnamed: 3"])


@st.composite
def tables(draw: st.DrawFn) -> SourceFile:
    columns = draw(st.lists(HEADERS, min_size=1, max_size=14))
    rows = draw(st.integers(0, 30))
    data = [[draw(CELLS) for _ in columns] for _ in range(rows)]
    frame = pd.DataFrame(data, columns=columns, dtype=object)
    fmt = draw(st.sampled_from(["csv", "csv", "tsv", "xlsx", "parquet"]))
    if fmt == "xlsx":
        buffer = io.BytesIO()
        safe = frame.map(lambda v: v if not isinstance(v, float) or np.isfinite(v) else None)
        safe.columns = [c or "blank" for c in safe.columns]
        safe.to_excel(buffer, index=False, sheet_name=draw(st.sampled_from(["customers", "고객", "Sheet1"])))
        return SourceFile("gen.xlsx", buffer.getvalue())
    if fmt == "parquet":
        frame.columns = [f"{c or 'blank'}" + ("" if i == list(frame.columns).index(c) else f"_{i}")
                         for i, c in enumerate(frame.columns)]  # Parquet needs unique names
        return SourceFile("gen.parquet", frame.astype(str).to_parquet())
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp949", "gb18030", "utf-16"]))
    title = draw(st.sampled_from(["", "고객 만족도 조사 2026\n", "Survey export\n\n"]))
    text = title + frame.to_csv(index=False, sep="\t" if fmt == "tsv" else ",")
    return SourceFile(f"gen.{fmt}", text.encode(encoding, errors="replace"))


@settings(max_examples=max(1, GENERATED), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(files=st.lists(tables(), min_size=1, max_size=2))
def test_generated_files_never_escape(files, baseline_rss):
    _through_everything([SourceFile(f"{i}_{f.name}", f.data) for i, f in enumerate(files)], baseline_rss)
