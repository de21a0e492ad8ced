"""Where a study's rows live when they are not an upload: a Parquet file, a folder or glob of Parquet files
(hive partitions such as ``wave=2026Q3/`` become columns), a CSV too large to upload, a table of a DuckDB
database — all read by DuckDB, embedded, with no server — or a table or Parquet path through Spark.

A ``Source`` runs statements written in DuckDB's dialect; for Spark they are transpiled by sqlglot
(``sqlglot.transpile(..., read="duckdb", write="spark")``), the same way they would reach Trino, Postgres,
BigQuery or Snowflake. Nothing here loads rows into pandas but the sample the mapping is read from
(``sample``; a CSV's first megabyte, ``head``, read by the upload's own CSV reader so that a survey tool's extra
header rows are found, and skipped by DuckDB). Every failure (no such file, no such table, an engine error) is
a ``GapcoreError`` naming the source.

Source texts: ``data/waves/`` (a folder of Parquet files), ``data/*.parquet``, ``responses.parquet``,
``big.csv``, ``responses.duckdb::survey`` (or ``responses.duckdb`` with ``table``), ``spark:warehouse.cx_survey``
(a table of the Spark session), ``spark:data/waves/`` (Parquet through Spark).
"""

from __future__ import annotations

import csv
import glob
import hashlib
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from gapcore.errors import GapcoreError
from gapcore.io.readers.delimited import read_csv
from gapcore.io.readers.encoding import detect_encoding

HEAD_BYTES = 1 << 20  # a CSV's first megabyte: its encoding, its layout and the loader's sample
SAMPLE_ROWS = 5_000  # rows the mapping is read from (detection, as on an upload)
_NUMBER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                 "UBIGINT", "FLOAT", "DOUBLE", "DECIMAL", "REAL", "BOOLEAN", "INT", "LONG", "SHORT", "BYTE")


@dataclass(frozen=True)
class Source:
    """One dataset an engine can read: its relation (DuckDB's dialect), columns and their types, a version
    that changes when the data does, and the engine's runner."""

    text: str
    engine: str  # "duckdb" or "spark"
    relation: str
    types: dict[str, str]  # column → the engine's type name
    version: str
    runner: Callable[[str], pd.DataFrame] = field(repr=False, compare=False)
    #: a CSV's first megabyte, the loader's sample (``gapcore.connected``): read as an upload, layout and all
    head: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.types)

    def numeric(self, column: str) -> bool:
        """The column holds numbers (an answer column stored as text is not read in the engine)."""
        return self.types[column].upper().split("(")[0] in _NUMBER_TYPES

    def run(self, sql: str) -> pd.DataFrame:
        """The result of one statement (DuckDB's dialect); an engine error is a message naming the source."""
        try:
            return self.runner(sql)
        except GapcoreError:
            raise
        except Exception as error:
            raise GapcoreError("source_engine_error", file=self.text, detail=_first_line(error)) from error

    def sample(self, rows: int = SAMPLE_ROWS) -> pd.DataFrame:
        """The first ``rows`` rows, for reading the mapping as an upload of them would be read."""
        return self.run(f"SELECT * FROM {self.relation} LIMIT {int(rows)}")


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:300]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _files_version(paths: list[str]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        stat = Path(path).stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def open_source(text: str, table: str | None = None) -> Source:
    """The source a text names (see the module's docstring); ``table``: a table of a DuckDB database."""
    text = str(text).strip()
    if text.startswith("spark:"):
        return _spark_source(text, text[len("spark:"):], table)
    location, _, named = text.partition("::")
    table = named or table
    path = Path(location)
    if table is not None:
        if not path.is_file():
            raise GapcoreError("source_not_found", file=text)
        return _duckdb_source(text, location, table)
    if path.is_dir():
        files = glob.glob(str(path / "**" / "*.parquet"), recursive=True)
        if not files:
            raise GapcoreError("source_no_parquet", file=text)
        pattern = str(path / "**" / "*.parquet")
        return _duckdb_source(text, None, f"read_parquet({_literal(pattern)}, hive_partitioning = true, "
                                           f"union_by_name = true)", files)
    if any(ch in location for ch in "*?["):
        files = glob.glob(location, recursive=True)
        if not files:
            raise GapcoreError("source_not_found", file=text)
        return _duckdb_source(text, None, f"read_parquet({_literal(location)}, hive_partitioning = true, "
                                           f"union_by_name = true)", files)
    if not path.is_file():
        raise GapcoreError("source_not_found", file=text)
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return _duckdb_source(text, None, f"read_parquet({_literal(location)})", [location])
    if suffix in (".csv", ".tsv", ".txt"):
        return _csv_source(text, path, location)
    raise GapcoreError("source_unknown_kind", file=text)


def _csv_source(text: str, path: Path, location: str) -> Source:
    """A CSV read by DuckDB from where its data begins: its first megabyte is read as an upload reads it (the
    header among title rows, the question-text and ImportId rows Qualtrics and SurveyMonkey write under it, names
    made unique), and DuckDB skips those lines and takes those names; the loader reads the mapping from that
    same megabyte (``Source.head``), so a survey tool's export maps as its upload does."""
    head = _utf8_head(text, path)
    try:
        raw = read_csv(head, path.name)
    except GapcoreError:  # the head does not read as a table: DuckDB's own reading, and its message if any
        return _duckdb_source(text, None, f"read_csv({_literal(location)}, header = true)", [location])
    records = raw.header_row - 1 + raw.header_rows
    lines = csv.reader(io.StringIO(head.decode(raw.encoding or "utf-8"), newline=""), delimiter=raw.delimiter or ",")
    for _ in zip(range(records), lines, strict=False):
        pass
    names = ", ".join(_literal(str(name)) for name in raw.frame.columns)
    relation = (f"read_csv({_literal(location)}, header = false, skip = {lines.line_num}, names = [{names}], "
                f"delim = {_literal(raw.delimiter or ',')})")
    return replace(_duckdb_source(text, None, relation, [location]), head=head)


def _utf8_head(text: str, path: Path) -> bytes:
    """The CSV's first megabyte up to its last line break. DuckDB reads CSV as UTF-8: a CP949, GB18030 or other
    legacy CSV (this megabyte tells, as on an upload) is refused with its encoding named, rather than failing on
    line 1 with the engine's words."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    cut = head.rfind(b"\n")
    head = head[: cut + 1] if cut > 0 else head
    encoding = detect_encoding(head, path.name)
    if encoding not in ("utf-8", "utf-8-sig"):
        raise GapcoreError("source_csv_encoding", file=text, encoding=encoding)
    return head


def _duckdb_source(text: str, database: str | None, relation_or_table: str, files: list[str] | None = None) -> Source:
    import duckdb

    try:
        connection = duckdb.connect(database, read_only=True) if database else duckdb.connect()
    except Exception as error:
        raise GapcoreError("source_engine_error", file=text, detail=_first_line(error)) from error
    connection.execute("SET enable_progress_bar = false")  # it would write into the caller's output
    if database:
        tables = {row[0] for row in connection.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if relation_or_table not in tables:
            connection.close()
            raise GapcoreError("source_table_missing", file=text, table=relation_or_table,
                               tables=", ".join(sorted(tables)[:12]) or "—")
        relation = '"' + relation_or_table.replace('"', '""') + '"'
        version = _files_version([database]) + ":" + relation_or_table
    else:
        relation = relation_or_table
        version = _files_version(files or [])

    lock = threading.Lock()  # one statement at a time on the connection (the app's sessions share a source)

    def run(sql: str) -> pd.DataFrame:
        with lock:
            return connection.execute(sql).df()

    try:
        described = run(f"DESCRIBE SELECT * FROM {relation}")
    except Exception as error:
        connection.close()
        raise GapcoreError("source_engine_error", file=text, detail=_first_line(error)) from error
    types = dict(zip(described["column_name"].astype(str), described["column_type"].astype(str), strict=True))
    return Source(text, "duckdb", relation, types, version, run)


def spark_session():
    """The Spark session of this process (local mode when none runs: ``local[2]``)."""
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master("local[2]").appName("servicegap")
            .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate())


def _spark_source(text: str, name: str, table: str | None) -> Source:
    import sqlglot

    try:
        spark = spark_session()
        frame = spark.read.parquet(name) if Path(name).exists() else spark.table(table or name)
    except Exception as error:
        raise GapcoreError("source_engine_error", file=text, detail=_first_line(error)) from error
    view = "sg_" + hashlib.sha256(text.encode()).hexdigest()[:12]
    frame.createOrReplaceTempView(view)
    types = {f.name: f.dataType.simpleString().upper().replace("STRING", "VARCHAR") for f in frame.schema.fields}

    def run(sql: str) -> pd.DataFrame:
        return spark.sql(sqlglot.transpile(sql, read="duckdb", write="spark")[0]).toPandas()

    return Source(text, "spark", view, types, text, run)
