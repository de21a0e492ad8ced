"""The eight kinds of real file of the "real studies as they are" issue, walked as a new user walks them in
the app: upload, confirm what is proposed, open the Dimensions page. Each reaches its chart of perceptions
in at most ten clicks, and the item means drawn are the file's own, read back by an independent reader."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from tests import real_exports as rx
from tests.test_app import app

MOST_CLICKS = 10
PICK_A_FILE = 2  # the uploader's button, then the file in the browser's dialog


def _csv_means(data: bytes, columns: list[str], encoding: str = "utf-8") -> np.ndarray:
    frame = pd.read_csv(io.BytesIO(data), encoding=encoding, dtype=str)
    return frame[columns].astype(float).mean().to_numpy()


def google_forms(data: bytes) -> np.ndarray:
    return _csv_means(data, list(rx.GOOGLE_ITEMS))


def forms_grid(data: bytes) -> np.ndarray:
    frame = pd.read_csv(io.BytesIO(data), dtype=str)
    return _csv_means(data, [c for c in frame.columns if c.endswith("]")])


def korean_block_codes(data: bytes) -> np.ndarray:
    codes = [f"{letter}{k}" for letter, count in (("A", 4), ("B", 5), ("C", 3), ("D", 3)) for k in range(1, count + 1)]
    return _csv_means(data, codes, encoding="cp949")


def spss_spanish(data: bytes) -> np.ndarray:
    import tempfile
    from pathlib import Path

    import pyreadstat

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.sav"
        path.write_bytes(data)
        frame, _ = pyreadstat.read_sav(str(path))
    return frame[[f"Q{k}" for k in range(1, 7)]].mean().to_numpy()


def library_workbook(data: bytes) -> np.ndarray:
    import openpyxl

    rows = list(openpyxl.load_workbook(io.BytesIO(data), read_only=True)["Data"].iter_rows(min_row=2, values_only=True))
    perf = np.array([r[2:29] for r in rows], dtype=float)
    flags = np.array([r[56:83] for r in rows], dtype=float)  # 1 = not applicable: the answer does not count
    return np.nanmean(np.where(flags == 1, np.nan, perf), axis=0)


def portuguese_words(_data: bytes) -> np.ndarray:
    return np.nanmean(rx.portuguese_values(), axis=0)  # the rungs the words were written from


def several_sheets(data: bytes) -> np.ndarray:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True)["Data"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[2] is not None]
    return np.array([r[2:] for r in rows], dtype=float).mean(axis=0)


def legacy_xls_korean(data: bytes) -> np.ndarray:
    import xlrd

    sheet = xlrd.open_workbook(file_contents=data).sheet_by_name("조사결과")
    answers = np.array([sheet.row_values(r)[3:3 + len(rx.AGENCY_TEXTS)] for r in range(3, sheet.nrows)], dtype=float)
    return np.nanmean(np.where(answers == 9, np.nan, answers), axis=0)  # 9 = 모름 (don't know)


FILES = {kind: expected for kind, expected in globals().items() if hasattr(rx, kind) and callable(expected)
         and kind[0] != "_"}


def _item_means_drawn(at) -> pd.Series:
    """The perception per item the Dimensions page draws (its items chart's data), by item number."""
    chart = next(c for c in at.get("vega_lite_chart") if "Perception per item" in c.proto.spec)
    table = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()
    numbers = table["item_label"].map(lambda label: int(re.match(r"(\d+)\.", label).group(1)))
    return pd.Series(table["P"].to_numpy(), index=numbers).sort_index()


def test_the_eight_kinds_of_file_are_all_walked():
    assert sorted(FILES) == sorted(["google_forms", "forms_grid", "korean_block_codes", "spss_spanish",
                                    "library_workbook", "portuguese_words", "several_sheets", "legacy_xls_korean"])


@pytest.mark.parametrize("kind", sorted(FILES))
def test_each_kind_of_real_file_reaches_its_own_figures_in_a_few_clicks(kind):
    name, data = getattr(rx, kind)()
    at = app("pages/1_Data.py", lang="en").run()
    at.file_uploader(key="w_upload").upload(name, data, "application/octet-stream")
    at.run()
    clicks = PICK_A_FILE
    assert not at.exception and not at.error
    if at.session_state["sg_store"].data.get("sg_study") is None:  # proposed, waiting for the analyst's word
        at.button(key="w_confirm").click().run()
        clicks += 1
    assert not at.exception and not at.error
    study = at.session_state["sg_store"].data["sg_study"].study
    assert study.perception_only  # every one of them is
    at.switch_page("pages/3_Dimensions.py").run()
    clicks += 1
    assert not at.exception and not at.error
    drawn = _item_means_drawn(at)
    expected = FILES[kind](data)
    assert drawn.index.tolist() == list(range(1, len(expected) + 1))
    np.testing.assert_allclose(drawn.to_numpy(), expected, rtol=1e-12)
    assert clicks <= MOST_CLICKS
