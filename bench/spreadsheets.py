"""Spreadsheet readers side by side: the same survey as .xlsx read by openpyxl (``read_xlsx``, what the app
uses for .xlsx) and by calamine (``read_spreadsheet``, what it uses for .xls and .ods), and as .xls and
.ods by calamine, in the same run. Prints the best of ``--repeat`` wall times per reader, and the ratio
to openpyxl's on the same workbook.

    python bench/spreadsheets.py [--rows 20000] [--repeat 3]
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import best_of, options  # noqa: E402
from gapcore.io.readers.workbooks import read_spreadsheet, read_xlsx  # noqa: E402


def survey(rows: int) -> pd.DataFrame:
    """A perception-only survey: a segment, 22 items on 1-7 with 3 % missing, two outcomes."""
    rng = np.random.default_rng(7)
    items = rng.integers(1, 8, size=(rows, 22)).astype(float)
    items[rng.random(items.shape) < 0.03] = np.nan
    frame = pd.DataFrame(items, columns=[f"P{k}" for k in range(1, 23)])
    frame.insert(0, "branch", rng.choice(["Seoul", "Busan", "Daegu", "Incheon"], rows))
    frame["satisfaction"] = rng.integers(1, 8, rows)
    frame["recommend"] = rng.integers(0, 11, rows)
    return frame


def xls_bytes(frame: pd.DataFrame) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("data")
    for j, name in enumerate(frame.columns):
        sheet.write(0, j, name)
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        for j, value in enumerate(row):
            if not (isinstance(value, float) and np.isnan(value)):
                sheet.write(i, j, value.item() if hasattr(value, "item") else value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def written(frame: pd.DataFrame, engine: str) -> bytes:
    out = io.BytesIO()
    frame.to_excel(out, engine=engine, index=False, sheet_name="data")
    return out.getvalue()


def best(read, data: bytes, name: str, repeat: int) -> float:
    assert read(data, name)[0].frame.shape[0] > 0
    return best_of(repeat, lambda: read(data, name))


def main() -> None:
    args = options(__doc__, rows=20_000, repeat=3)
    frame = survey(args.rows)
    xlsx = written(frame, "openpyxl")
    baseline = best(read_xlsx, xlsx, "survey.xlsx", args.repeat)
    rows = [("xlsx", "openpyxl (read_xlsx)", len(xlsx), baseline),
            ("xlsx", "calamine (read_spreadsheet)", len(xlsx), best(read_spreadsheet_xlsx, xlsx, "survey.xlsx",
                                                                     args.repeat))]
    if args.rows < 65_536:  # the .xls format's row limit
        xls = xls_bytes(frame)
        rows.append(("xls", "calamine (read_spreadsheet)", len(xls), best(read_spreadsheet, xls, "survey.xls",
                                                                            args.repeat)))
    ods = written(frame, "odf")
    rows.append(("ods", "calamine (read_spreadsheet)", len(ods), best(read_spreadsheet, ods, "survey.ods",
                                                                        args.repeat)))
    print(f"{args.rows:,} respondents x {frame.shape[1]} columns, best of {args.repeat}")
    print(f"{'file':<5} {'reader':<30} {'size':>9} {'seconds':>8} {'vs openpyxl xlsx':>17}")
    for kind, reader, size, seconds in rows:
        print(f"{kind:<5} {reader:<30} {size / 1024:>7.0f}KB {seconds:>8.2f} {seconds / baseline:>16.2f}x")


def read_spreadsheet_xlsx(data: bytes, name: str):
    """calamine on an .xlsx, the way ``read_spreadsheet`` reads an .ods: the package checks, then the child."""
    import pickle
    import subprocess

    from gapcore.io.readers import archive, workbooks

    limits = archive.Limits()
    archive.scan_parts(archive.check_zip(data, name, limits), name, limits)
    child = subprocess.run([sys.executable, "-c", workbooks._CALAMINE_CHILD, str(limits.max_spreadsheet_memory),
                            str(limits.max_columns)], input=data, capture_output=True, check=True)
    status, sheets = pickle.loads(child.stdout)
    assert status == "ok"
    return [workbooks.sheet_table(name, sheet, [[workbooks._calamine_value(v) for v in row] for row in rows],
                                header_row=None, limits=limits) for sheet, rows in sheets]


if __name__ == "__main__":
    main()
