"""gapcore: the SERVQUAL service-quality gap model as a pure-Python library (no UI).

Naming contract, stated once: gap = later level − earlier level on the chain E → M → S → D → P,
so gap 5 = P − E and a negative gap is a shortfall.
"""

from gapcore.errors import GapcoreError
from gapcore.io.load import SourceFile, load_paths, load_study
from gapcore.io.study import LoadResult, Study
from gapcore.problems import Problem, ValidationReport

__all__ = ["GapcoreError", "LoadResult", "Problem", "SourceFile", "Study", "ValidationReport", "load_paths",
           "load_study"]
