"""The demo study loads whole, with the mapping and values the generator wrote."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gapcore.instrument import SERVQUAL_22
from gapcore.io.load import load_paths
from gapcore.io.scale import Scale
from tests.conftest import DATA


def test_demo_workbook_loads_every_table(demo_study):
    assert demo_study.n == 1500
    assert demo_study.scale == Scale(1, 7)
    assert demo_study.instrument is SERVQUAL_22
    assert set(demo_study.providers) == {"management", "standards", "delivery", "communications"}
    assert demo_study.segments == ("branch", "channel", "customer_type", "age_band", "wave")
    assert demo_study.outcomes == ("satisfaction", "retention", "recommend")
    assert demo_study.retention_kind == "binary"
    assert demo_study.items("E") == [f"E{k}" for k in range(1, 23)]
    assert demo_study.items("A") == [f"A{k}" for k in range(1, 23)]
    assert demo_study.items("M", demo_study.providers["management"]) == [f"M{k}" for k in range(1, 23)]


def test_demo_values_match_the_sheet_cell_for_cell(demo_study):
    sheet = pd.read_excel(DATA / "demo_study.xlsx", sheet_name="customers")
    for column in ("E1", "P22", "A7", "satisfaction", "W_REL"):
        np.testing.assert_array_equal(demo_study.customers[column].to_numpy(dtype=float),
                                      sheet[column].to_numpy(dtype=float))
    assert (demo_study.customers["retention"] == (sheet["retention"] == "yes")).all()
    assert demo_study.customers["branch"].astype(str).tolist() == sheet["branch"].tolist()


def test_demo_csv_loads_same_customers_as_workbook(demo_study):
    result = load_paths([DATA / "demo_customers.csv"])
    assert not result.report.has_errors
    csv_study = result.study
    assert csv_study.sources[0].encoding == "utf-8-sig"
    assert csv_study.sources[0].delimiter == ","
    items = demo_study.items("E") + demo_study.items("P")
    pd.testing.assert_frame_equal(csv_study.customers[items], demo_study.customers[items])


def test_template_is_recognised_but_has_no_answers():
    result = load_paths([DATA / "template.xlsx"])
    assert result.study is None
    assert result.report.message_keys()[-1] == "no_rows"
    assert "unknown_table" not in result.report


def test_an_items_sheet_that_restates_servqual_is_the_study_s_word_not_an_assumption():
    """The demo's items sheet lists SERVQUAL's 22 statements: read as its instrument, said once, and never
    called "SERVQUAL assumed" (the warning whose way out is "use the study's own instrument")."""
    from gapcore.io.bundled import demo_result

    assert demo_result().report.message_keys() == ["custom_instrument"]
