"""Parquet files: integer columns kept as pandas' nullable integers (one byte per 1-7 answer, not a
float64); nested columns (lists, structs, maps) as the JSON text of each value, so that the loader reads them
as the text they are (reported where a number is expected) instead of failing on values it cannot compare.
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from gapcore.errors import GapcoreError
from gapcore.io.readers.raw import RawTable

#: Parquet integers become pandas' nullable integers: a 1–7 answer stays one byte (plus a byte of
#: mask) instead of pandas' default float64 for an integer column with a missing value.
_NULLABLE_INTEGERS = {
    pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
    pa.int64(): pd.Int64Dtype(), pa.uint8(): pd.UInt8Dtype(), pa.uint16(): pd.UInt16Dtype(),
    pa.uint32(): pd.UInt32Dtype(), pa.uint64(): pd.UInt64Dtype(),
}


def read_parquet(data: bytes, file: str) -> RawTable:
    """Read column by column: each column is decoded, checked and converted to pandas before the next
    is read, so a 10-million-row file never exists twice in memory (Arrow and pandas) at once."""
    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
        names = parquet.schema_arrow.names
        index_columns = {c for c in (parquet.schema_arrow.pandas_metadata or {}).get("index_columns", [])
                         if isinstance(c, str)}
        if len(set(names)) != len(names):  # duplicate names cannot be read one by one
            table = parquet.read()
            table.validate(full=True)
            frame = _text_where_nested(table).to_pandas(types_mapper=_NULLABLE_INTEGERS.get, ignore_metadata=True)
        else:
            columns: dict[str, pd.Series] = {}
            for name in names:
                if name in index_columns:
                    continue
                table = parquet.read(columns=[name])
                table.validate(full=True)  # e.g. text that is not UTF-8 would otherwise fail later, anywhere
                columns[name] = _text_where_nested(table).to_pandas(
                    types_mapper=_NULLABLE_INTEGERS.get, ignore_metadata=True, self_destruct=True)[name]
            frame = pd.DataFrame(columns, copy=False)
    except Exception as exc:  # a damaged file fails anywhere in pyarrow, with many exception types
        raise GapcoreError("parquet_unreadable", file=file, detail=str(exc)[:200]) from exc
    return RawTable(file, None, frame, 1)


def _text_where_nested(table: pa.Table) -> pa.Table:
    """Each nested column (list, struct, map) as the JSON text of its values."""
    for i, column in enumerate(table.schema):
        if pa.types.is_nested(column.type):
            texts = [None if v is None else json.dumps(v, ensure_ascii=False, default=str)
                     for v in table.column(i).to_pylist()]
            table = table.set_column(i, column.name, pa.array(texts, pa.string()))
    return table
