"""Shared fixtures: paths, the demo study loaded once per session; the Hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from gapcore.io.load import load_paths
from gapcore.io.study import Study

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# `make test` (and so CI) draws the same examples on every machine: derandomized, no example database
# carried between runs. `make fuzz` sets HYPOTHESIS_PROFILE=explore to draw new examples each run.
# A page that fails shows a generic message to users; under test it also re-raises (AppTest's
# `exception`, the browser's stException), so no test can pass on the fallback. The e2e server inherits it.
os.environ["SERVICEGAP_RAISE"] = "1"

settings.register_profile("deterministic", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


@pytest.fixture(scope="session")
def demo_study() -> Study:
    result = load_paths([DATA / "demo_study.xlsx"])
    assert result.study is not None, result.report.to_frame()
    return result.study


@pytest.fixture(autouse=True)
def no_shared_results_from_an_earlier_test():
    """Every AppTest starts on a server that has computed nothing: the demo's results kept for every
    session (``ui.state.shared_results``) would otherwise carry one test's computations into the next,
    and a test counting computations would pass or fail by the order tests run in."""
    import sys

    if "ui.state" in sys.modules:
        sys.modules["ui.state"].shared_results.clear()
    yield
