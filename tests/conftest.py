"""Shared fixtures: paths, the demo study loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from gapcore import load_paths
from gapcore.study import Study

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def demo_study() -> Study:
    result = load_paths([DATA / "demo_study.xlsx"])
    assert result.study is not None, result.report.to_frame()
    return result.study
