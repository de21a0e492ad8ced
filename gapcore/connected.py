"""A study whose rows stay where they live (``gapcore.io.sources``): read, checked and summarised by the engine.

``open_study`` reads the source's first rows as an upload of them would be read (detection, or the analyst's v2
mapping file), turns that reading into SQL (``io.engine_reading``), has the engine count what the reading drops
over every row, and returns a ``LoadResult`` whose study holds no rows: its ``customers`` frame has the
canonical columns and, for segments, every value the source takes; ``Study.respondents`` is the count. Its
cells come from ``prepare_connected`` (``warehouse.engine_cells``), so ``analyze``, segments, the story and
the exports work on it as on an upload, and never know where the cells came from.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd

from gapcore.analysis import Prepared
from gapcore.cells import CellStats
from gapcore.gaps import provider_tables
from gapcore.instrument import Instrument
from gapcore.io.engine_reading import EngineReading, engine_reading
from gapcore.io.load import SourceFile, load_study
from gapcore.io.mapping import ColumnMapping
from gapcore.io.scale import Scale
from gapcore.io.sources import SAMPLE_ROWS, Source, open_source
from gapcore.io.study import LoadResult, SourceInfo, Study
from gapcore.problems import Problem, ValidationReport
from gapcore.sql_scores import quoted
from gapcore.warehouse import cell_queries, engine_cells, segment_text

#: Told each step of a long read: its name (``sample``, ``checks``, ``totals``, ``values``) and the respondents
#: it runs over once they are known (the command line's progress bar).
Progress = Callable[[str, int | None], None]


def _quiet(_step: str, _rows: int | None) -> None:
    """No progress shown (a script, the app)."""


#: Problems of the sample's reading that the engine counts again over every row (their counts replace them).
_RECOUNTED = frozenset({"out_of_range_answer", "value_too_large", "out_of_range_recommend", "non_binary_retention",
                        "invalid_weight", "rows_without_answers", "non_numeric_answer", "non_numeric_outcome"})


@dataclass(frozen=True)
class Connection:
    """An opened source with the reading that turns its rows into the canonical customers table."""

    source: Source
    reading: EngineReading


def open_study(text: str, *, table: str | None = None, mapping: ColumnMapping | None = None,
               scale: Scale | None = None, na: tuple[float | str, ...] | None = None,
               instrument: Instrument | None = None, sample_rows: int = SAMPLE_ROWS,
               progress: Progress = _quiet, name: str | None = None) -> tuple[LoadResult, Connection | None]:
    """The study of a source (see the module's docstring) and its connection; ``(result, None)`` when the
    sample cannot be read as a study (the result's report says why, as for an upload). ``name``: what the
    study's tables and messages call the source (the app gives the dataset's label: no server path is shown)."""
    source = open_source(text, table)
    shown = name or text
    progress("sample", None)
    if source.head is not None:  # a CSV: its first megabyte as an upload of it would be read
        sample = source.head
    else:
        buffer = io.BytesIO()
        source.sample(sample_rows).to_parquet(buffer, index=False)
        sample = buffer.getvalue()
    result = load_study([SourceFile(shown, sample)], mapping=mapping, scale=scale, na=na, instrument=instrument)
    if result.study is None:
        return result, None
    study = result.study
    reading = engine_reading(source, study.mapping, study.mapping.instrument or study.instrument, study.scale,
                             study.mapping.na or (), study.retention_kind, study.answer_labels)
    progress("checks", None)
    counts = source.run(reading.checks).iloc[0].to_numpy(dtype=float, na_value=0.0)
    na_answers = sum(int(c) for (key, _), c in zip(reading.check_names, counts[1:], strict=True) if key == "na_code")
    problems = [replace(p, values={**p.values, "count": na_answers}) if p.key == "na_detected" else p
                for p in (study.report or result.report) if p.key not in _RECOUNTED]
    for (key, column), count in zip(reading.check_names, counts[1:], strict=True):
        if count > 0 and key != "na_code":
            problems.append(Problem("warning" if key != "rows_without_answers" else "info", f"source_{key}",
                                    file=shown, column=column or None, values={
                                        "count": int(count), "low": study.scale.low, "high": study.scale.high}))
    report = ValidationReport.of(problems)
    rows = int(counts[0] - counts[-1])
    shell = replace(study, customers=_empty_customers(reading), report=report, respondents=rows,
                    sources=(SourceInfo("customers", shown, None, None, None, 1, rows, len(source.columns)),))
    return replace(result, study=shell, report=report), Connection(source, reading)


def _empty_customers(reading: EngineReading) -> pd.DataFrame:
    """The canonical columns with no rows (float, segments as text categories, filled in by ``with_segments``)."""
    return pd.DataFrame({column: pd.Series([], dtype="category" if column in reading.segments else float)
                         for column in reading.columns})


def connected_cells(connection: Connection, study: Study, *, use_weight: bool = True,
                    cross_products: bool = True, progress: Progress = _quiet) -> CellStats:
    """The study's cells, computed by the engine over every row of the source."""
    columns = connection.reading.columns
    queries = cell_queries(connection.reading.relation, study.instrument, columns, connection.reading.segments,
                           weight="weight" if use_weight and "weight" in columns else None,
                           outcomes=study.outcomes, cross_products=cross_products)
    return engine_cells(connection.source.run, queries, lambda step: progress(step, study.n))


def with_segments(study: Study, cells: CellStats) -> Study:
    """The study whose segment columns know every value the cells hold (filters and pickers read them)."""
    return _with_values(study, {column: {v for v in cells.keys[column] if v is not None}
                                for column in cells.keys.columns})


def _with_values(study: Study, values: dict[str, set]) -> Study:
    customers = study.customers.copy()
    for column, taken in values.items():
        customers[column] = pd.Categorical([], categories=sorted({str(v) for v in taken}))
    return replace(study, customers=customers)


def fitting_study(connection: Connection, study: Study) -> Study:
    """The study a driver model is fitted on without its cells (``drivers --source``): every value of each segment,
    listed by the engine in one scan, and the connection in ``Study.engine``."""
    segments = connection.reading.segments
    if not segments:
        return replace(study, engine=connection)
    keys = ", ".join(f"CAST({quoted(s)} AS VARCHAR) AS s{i}" for i, s in enumerate(segments))
    columns = [f"s{i}" for i in range(len(segments))]
    listed = connection.source.run(
        f"SELECT {', '.join(columns)}, {', '.join(f'GROUPING({c}) AS g{i}' for i, c in enumerate(columns))} FROM "
        f"(SELECT {keys} FROM {connection.reading.relation} AS sg_source) AS sg_keys "
        f"GROUP BY GROUPING SETS ({', '.join(f'({c})' for c in columns)})")
    values = {segment: {v for v, flag in zip(listed[f"s{i}"], listed[f"g{i}"], strict=True)
                        if flag == 0 and segment_text(v) is not None} for i, segment in enumerate(segments)}
    return replace(_with_values(study, values), engine=connection)


def prepare_connected(connection: Connection, study: Study, *, use_weight: bool = True,
                      progress: Progress = _quiet) -> Prepared:
    """``analysis.prepare`` for a connected study: the engine's cells, the study's segment values from them, and
    the connection in ``Study.engine`` (driver models ask the engine for their sums)."""
    cells = connected_cells(connection, study, use_weight=use_weight, progress=progress)
    full = replace(with_segments(study, cells), engine=connection)
    return Prepared(full, cells, provider_tables(full))

