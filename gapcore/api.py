"""ServiceGap from Python: one call per question an analyst asks, each taking a study (or files, or
DataFrames) and returning tidy tables that show themselves in a notebook — with the same charts the app
draws. ``import gapcore`` reaches these functions without importing them (:mod:`gapcore` loads this module
when one is first used), so the import costs no more than pandas.

>>> import gapcore
>>> study = gapcore.demo()
>>> gapcore.analyze(study, filters={"branch": ["Busan"]}).n
268

In detail: the public API `gapcore` exports (PEP 562: `gapcore/__init__.py` imports nothing until a name is first
used, so `import gapcore` costs less than `import pandas` — `bench/import_cost.py`): `load` (paths, bytes,
DataFrames — as Parquet —, a mapping file; raises `GapcoreError` with the app's message, warnings on
`Study.report`), `analyze` / `drivers` / `compare` (the study's cells prepared once per study and weight setting,
the four most recent kept), `report` (the CLI's `report`), `demo`. `StudyAnalysis` and `StudyDriverModel` are the
statistics layer's classes with chart methods (`radar`, `waterfall`, `chart`) that return the story's charts — the
pages' — which the statistics layer cannot import.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from gapcore.analysis import Analysis, Prepared, prepare
from gapcore.analysis import analyze as analyze_prepared
from gapcore.defaults import MIN_CELL
from gapcore.driver_model import BOOTSTRAP, DriverModel, fit_drivers
from gapcore.errors import GapcoreError
from gapcore.filters import Filters
from gapcore.io.bundled import demo_result
from gapcore.io.load import SourceFile, load_study
from gapcore.io.mapping import ColumnMapping, na_setting, parse_scale
from gapcore.io.scale import Scale
from gapcore.io.study import LoadResult, Study
from gapcore.segments import SegmentComparison, compare_segments

if TYPE_CHECKING:  # Altair is imported when a chart is first drawn, not with the library
    import altair as alt

#: What ``gapcore.load`` reads: a path, a file's bytes (named, or sniffed), or a table already in memory.
Source = str | Path | bytes | tuple[str, bytes] | pd.DataFrame | SourceFile


def load(*sources: Source, mapping: ColumnMapping | str | Path | None = None,
         scale: tuple[float, float] | str | None = None, na: Sequence[float | str] | str | None = None,
         header_row: int | None = None, encoding: str | None = None, sheet: str | None = None,
         accept_proposal: bool = False) -> Study:
    """Read a study as the app reads it: survey files (CSV, Excel, SPSS, ODS, Parquet), their bytes, or
    pandas DataFrames. Raises :class:`~gapcore.GapcoreError` with the message the app shows when nothing can
    be computed; warnings and notes are on ``study.report``.

    ``mapping``: a mapping file the Data page downloaded (or a ``ColumnMapping``); ``scale``: ``(1, 5)`` or
    ``"1-5"``; ``na``: "not applicable" codes (``()`` or ``"none"`` reads none, ``None`` detects them, as the
    Data page's field and ``--na`` read them: ``"0, 99, N/A"``); ``sheet``: the
    sheet that holds the respondents; ``accept_proposal``: take the rating columns detection proposes as
    perception items (otherwise an unmarked file stops with the proposal, as the app asks first).

    >>> gapcore.load(pd.DataFrame({"P1": [4, 5, 3], "P2": [3, 4, 4]}), accept_proposal=True).n
    3
    """
    if isinstance(mapping, (str, Path)):
        mapping = ColumnMapping.loads(Path(mapping).read_bytes(), file=Path(mapping).name)
    if isinstance(na, str):
        na = na_setting(na)
    result = load_study([_source_file(s, k) for k, s in enumerate(sources, start=1)], mapping=mapping,
                        scale=_scale(scale), na=na, header_row=header_row, encoding=encoding, sheet=sheet,
                        accept_proposal=accept_proposal)
    return _study_of(result)


def demo() -> Study:
    """The demo study the app opens on: 1,500 bank-branch customers, SERVQUAL's 22 items, five branches."""
    return _study_of(demo_result())


def analyze(study: Study, filters: Filters | None = None, *, weights: bool = True,
            min_cell: int = MIN_CELL) -> StudyAnalysis:
    """Every table of the gap model for the respondents ``filters`` keeps (``{"branch": ["Busan"]}``):
    ``.dimensions``, ``.items``, ``.outcomes``, ``.overall``, ``.chain``, … (see :class:`Analysis`); charts
    with ``.radar()`` and ``.waterfall()``. The study's cells are computed once per study and weight
    setting, so a second filter costs a sum over cells."""
    plain = analyze_prepared(_prepared(study, weights), filters, min_cell=min_cell)
    return StudyAnalysis(**{f.name: getattr(plain, f.name) for f in fields(plain)})


def drivers(study: Study, outcome: str = "satisfaction", *, model: str | None = None,
            filters: Filters | None = None, weights: bool = True, controls: Sequence[str] = (),
            bootstrap: int = BOOTSTRAP) -> StudyDriverModel:
    """Which dimensions move an outcome (``satisfaction``, ``retention``, ``recommend``): coefficients,
    fit and each dimension's share (Shapley and Johnson) in ``.coefficients``, ``.fit``, ``.importance``;
    ``model`` is ``"servqual"`` (gaps) or ``"servperf"`` (perceptions; the default without expectations);
    the chart with ``.chart()``."""
    fitted = fit_drivers(study, outcome, predictors=model, filters=filters, use_weight=weights,
                         controls=controls, bootstrap=bootstrap)
    return StudyDriverModel(**{f.name: getattr(fitted, f.name) for f in fields(fitted)}, study=study)


def compare(study: Study, by: str, filters: Filters | None = None, *, weights: bool = True,
            min_cell: int = MIN_CELL) -> SegmentComparison:
    """The values of one segment column compared per dimension (``.cells``: mean and CI per value, with
    letters for the values that differ; ``.tests``: Welch's F and Kruskal–Wallis; ``.pairwise``: Holm- and
    FDR-adjusted pairs). ``by`` must be one of ``study.segments``."""
    if by not in study.segments:
        raise GapcoreError("unknown_segment", column=by, segments=", ".join(study.segments))
    return compare_segments(_prepared(study, weights), by, filters, min_cell=min_cell)


def report(study: Study, path: str | Path, *, format: str | None = None, lang: str = "en",
           filters: Filters | None = None, segment: str | None = None, weights: bool = True,
           min_cell: int = MIN_CELL) -> Path:
    """Write the deck (``.pptx``), the workbook (``.xlsx``) or the HTML report the app exports, in ``lang``
    (``en``, ``ko``, ``zh``); the format follows the file's suffix unless given. Returns the path."""
    from gapcore.present.exports import export_story
    from gapcore.present.story import report_story

    path = Path(path)
    kind = (format or path.suffix.lstrip(".")).lower()
    if kind not in ("pptx", "xlsx", "html"):
        raise GapcoreError("cli_choice", value=kind, option="format", choices="pptx, xlsx, html")
    story = report_story(_prepared(study, weights), filters, lang=lang, min_cell=min_cell, segment=segment)
    path.write_bytes(export_story(story, kind))
    return path


@dataclass(frozen=True, repr=False)
class StudyAnalysis(Analysis):
    """An :class:`Analysis` that draws its own charts, the ones the app's pages draw."""

    def radar(self, lang: str = "en") -> alt.TopLevelMixin:
        """Expectation and perception by dimension (perception alone in a perception-only study)."""
        from gapcore.present.slides import radar_slide

        return radar_slide(self.prepared.study, self, lang).chart

    def waterfall(self, lang: str = "en") -> alt.TopLevelMixin:
        """The gap chain from expectation to perception; raises when the study has no expectations."""
        from gapcore.present.slides import waterfall_slide

        slide = waterfall_slide(self.prepared.study, self, lang)
        if slide is None:
            raise GapcoreError("api_needs_expectations", view="waterfall")
        return slide.chart


@dataclass(frozen=True, repr=False)
class StudyDriverModel(DriverModel):
    """A :class:`DriverModel` that draws its own chart, the Drivers page's."""

    study: Study | None = field(default=None, compare=False)

    def chart(self, lang: str = "en") -> alt.TopLevelMixin:
        """Coefficients (with their CIs) beside each dimension's share of the explained variance."""
        import altair as alt

        from gapcore.present.slides import driver_charts

        assert self.study is not None
        coefficients, importance = driver_charts(self.study, self, lang)
        return alt.hconcat(coefficients, importance)


def _study_of(result: LoadResult) -> Study:
    """The study a load gives, with its report; the first error as an exception when there is none."""
    if result.study is None:
        raise GapcoreError.of(result.report.errors[0]) if result.report.errors else GapcoreError("no_customer_table")
    return replace(result.study, report=result.report)


def _source_file(source: Source, position: int) -> SourceFile:
    if isinstance(source, SourceFile):
        return source
    if isinstance(source, pd.DataFrame):  # as Parquet: names and types kept as they are
        buffer = io.BytesIO()
        source.to_parquet(buffer, index=False)
        return SourceFile(f"table{position}.parquet", buffer.getvalue())
    if isinstance(source, tuple):
        return SourceFile(str(source[0]), bytes(source[1]))
    if isinstance(source, bytes):
        return SourceFile(f"file{position}{_suffix(source)}", source)
    path = Path(source)
    return SourceFile(path.name, path.read_bytes())


def _suffix(data: bytes) -> str:
    """A file's kind from its first bytes, for bytes given without a name."""
    for magic, suffix in ((b"PK", ".xlsx"), (b"\xd0\xcf\x11\xe0", ".xls"), (b"$FL", ".sav"), (b"PAR1", ".parquet")):
        if data.startswith(magic):
            return suffix
    return ".csv"


def _scale(scale: tuple[float, float] | str | Scale | None) -> Scale | None:
    if scale is None or isinstance(scale, Scale):
        return scale
    low, high = parse_scale(scale)
    return Scale(low, high)


_PREPARED: list[tuple[Study, bool, Prepared]] = []  # the most recent first (each holds sums per cell)
_PREPARED_KEPT = 4
_PREPARED_LOCK = threading.Lock()


def _prepared(study: Study, weights: bool) -> Prepared:
    """The study's cells, computed once per study and weight setting (the four most recent are kept)."""
    with _PREPARED_LOCK:
        for kept_study, kept_weights, prepared in _PREPARED:
            if kept_study is study and kept_weights == weights:
                return prepared
    prepared = prepare(study, use_weight=weights)
    with _PREPARED_LOCK:
        _PREPARED.insert(0, (study, weights, prepared))
        del _PREPARED[_PREPARED_KEPT:]
    return prepared


__all__ = ["Source", "StudyAnalysis", "StudyDriverModel", "analyze", "compare", "demo", "drivers", "load", "report"]
