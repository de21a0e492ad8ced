"""gapcore: the SERVQUAL service-quality gap model as a pure-Python library (no UI).

>>> import gapcore
>>> study = gapcore.demo()                        # or gapcore.load("survey.xlsx")
>>> result = gapcore.analyze(study, filters={"branch": ["Busan"]})
>>> table = result.dimensions                     # a tidy DataFrame; result.radar() draws the app's chart

The functions (``load``, ``analyze``, ``drivers``, ``compare``, ``report``, ``demo``) live in
:mod:`gapcore.api` and are imported when first used, so ``import gapcore`` costs no more than pandas.

Naming contract, stated once: gap = later level − earlier level on the chain E → M → S → D → P,
so gap 5 = P − E and a negative gap is a shortfall.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the names below are, for readers and type checkers; imported on first use
    from gapcore.analysis import Analysis
    from gapcore.api import StudyAnalysis, StudyDriverModel, analyze, compare, demo, drivers, load, report
    from gapcore.driver_model import DriverModel
    from gapcore.errors import GapcoreError
    from gapcore.io.load import SourceFile, load_paths, load_study
    from gapcore.io.study import LoadResult, Study
    from gapcore.problems import Problem, ValidationReport
    from gapcore.segments import SegmentComparison

_HOMES = {
    "load": "gapcore.api", "analyze": "gapcore.api", "drivers": "gapcore.api", "compare": "gapcore.api",
    "report": "gapcore.api", "demo": "gapcore.api", "StudyAnalysis": "gapcore.api",
    "StudyDriverModel": "gapcore.api", "Analysis": "gapcore.analysis", "DriverModel": "gapcore.driver_model",
    "SegmentComparison": "gapcore.segments", "GapcoreError": "gapcore.errors", "SourceFile": "gapcore.io.load",
    "load_paths": "gapcore.io.load", "load_study": "gapcore.io.load", "LoadResult": "gapcore.io.study",
    "Study": "gapcore.io.study", "Problem": "gapcore.problems", "ValidationReport": "gapcore.problems",
}

__all__ = ["Analysis", "DriverModel", "GapcoreError", "LoadResult", "Problem", "SegmentComparison", "SourceFile",
           "Study", "StudyAnalysis", "StudyDriverModel", "ValidationReport", "analyze", "compare", "demo", "drivers",
           "load", "load_paths", "load_study", "report"]


assert sorted(__all__) == sorted(_HOMES)


def __getattr__(name: str) -> Any:
    """A public name, imported from its module the first time it is asked for (PEP 562)."""
    if name not in _HOMES:
        raise AttributeError(f"module 'gapcore' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))
