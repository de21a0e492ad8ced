"""The app on a connected dataset (``[servicegap.sources]`` in the secrets): opened by name on the Data page,
its figures those of an upload of the same rows, its cells computed once for every session, a failing source a
message that keeps the study loaded before."""

from __future__ import annotations

import pandas as pd
import pytest

import gapcore.connected
import ui.state
from tests.test_app import app, count_calls, texts
from tests.test_connected import DATA, write_waves


@pytest.fixture(scope="module")
def waves(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lake") / "waves"
    upload = write_waves(pd.read_csv(DATA / "demo_customers.csv", encoding="utf-8-sig"), folder)
    return folder, upload


def connected_app(folder, page: str = "pages/1_Data.py", lang: str = "en", **extra):
    at = app(page, lang=lang)
    at.secrets["servicegap"] = {"sources": {"cx": {"source": str(folder), "label": "CX waves <b>lake</b>",
                                                   "mapping": str(DATA / "demo_segments.yaml")}, **extra}}
    return at


def opened(at):
    at.run()
    at.button(key="w_connected_open").click().run()
    return at


def tables(at) -> list[pd.DataFrame]:
    return [frame.value for frame in at.dataframe]


@pytest.fixture(autouse=True)
def fresh_connected_caches():
    ui.state._connected_study.clear()
    ui.state.connected_prepared.clear()
    yield


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_a_connected_dataset_opens_by_name_and_reads_as_an_upload(waves, lang):
    folder, upload = waves
    at = opened(connected_app(folder, lang=lang))
    assert not at.exception and not at.error
    assert at.selectbox(key="w_connected").options == ["CX waves <b>lake</b>"]  # the label as text
    assert "CX waves <b>lake</b>" in texts(at) and "1,500" in texts(at)  # the sidebar names it, as text
    assert len(at.info) == 1  # where its mapping comes from, instead of the editors
    at.switch_page("pages/3_Dimensions.py").run()
    assert not at.exception and not at.error
    connected = tables(at)
    other = app("pages/1_Data.py", lang=lang).run()
    other.file_uploader(key="w_upload").upload("waves.parquet", upload.read_bytes(), "application/octet-stream")
    other.run().switch_page("pages/3_Dimensions.py").run()
    assert len(connected) == 4 and connected[1].shape == (22, 10)
    for mine, theirs in zip(connected, tables(other), strict=True):
        pd.testing.assert_frame_equal(mine, theirs)


def test_a_second_session_gets_the_cells_without_recomputing(waves, monkeypatch):
    folder, _ = waves
    calls: list = []
    count_calls(monkeypatch, calls, "prepare_connected", gapcore.connected, ui.state)
    count_calls(monkeypatch, calls, "open_study", gapcore.connected, ui.state)
    for _ in range(2):
        at = opened(connected_app(folder))
        assert not at.exception and not at.error
    assert calls == ["open_study", "prepare_connected"]


def test_a_failing_source_is_a_message_and_the_study_stays(waves, tmp_path):
    folder, _ = waves
    at = connected_app(folder, gone={"source": str(tmp_path / "nowhere"), "label": "Gone"})
    at = opened(at)  # the first, good source
    assert not at.error
    at.selectbox(key="w_connected").set_value("gone").run()
    at.button(key="w_connected_open").click().run()
    assert not at.exception
    assert any("Gone" in e.value and "does not exist" in e.value for e in at.error)
    at.switch_page("pages/3_Dimensions.py").run()
    assert not at.exception and not at.error
    assert "CX waves <b>lake</b>" in texts(at)  # still the dataset opened before


def test_no_secrets_no_panel():
    at = app("pages/1_Data.py").run()
    assert not any(s.key == "w_connected" for s in at.selectbox)


@pytest.mark.parametrize("page", ["app.py", "pages/2_Method.py", "pages/4_Gap_model.py", "pages/5_Drivers.py",
                                  "pages/6_Segments.py", "pages/7_Report.py", "pages/8_Present.py"])
def test_every_page_works_on_a_connected_dataset(waves, page):
    """Every page draws from the engine's cells, and the Drivers page from the engine's sums."""
    folder, _ = waves
    at = opened(connected_app(folder))
    at.switch_page(page).run()
    assert not at.exception and not at.error


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_drivers_page_shows_the_upload_s_model_once_for_every_session(waves, lang, monkeypatch):
    """The coefficients table of a connected dataset equals the upload's; a second session gets the model the
    first one fitted (the operator's dataset: its results are shared like its cells)."""
    import gapcore.engine_drivers

    folder, upload = waves
    calls: list[str] = []
    count_calls(monkeypatch, calls, "fit_engine_drivers", gapcore.engine_drivers, note=lambda a: a[2])
    pages = []
    for _ in range(2):
        at = opened(connected_app(folder, lang=lang))
        at.switch_page("pages/5_Drivers.py").run()
        assert not at.exception and not at.error
        pages.append(tables(at))
    assert calls == ["satisfaction", "satisfaction"]  # the first session's gaps and perceptions models; none after
    other = app("pages/1_Data.py", lang=lang).run()
    other.file_uploader(key="w_upload").upload("waves.parquet", upload.read_bytes(), "application/octet-stream")
    other.run().switch_page("pages/5_Drivers.py").run()
    assert not other.exception and not other.error
    assert len(pages[0]) == len(tables(other)) >= 1
    pd.testing.assert_frame_equal(pages[0][0], tables(other)[0], check_exact=False, rtol=1e-8)


def test_no_server_path_reaches_the_page(waves):
    """The operator's paths stay on the server: the tables read and the checks name the dataset's label."""
    folder, _ = waves
    at = opened(connected_app(folder))
    shown = texts(at) + "".join(frame.value.to_csv() for frame in at.dataframe)
    assert str(folder) not in shown and str(folder.parent) not in shown
    assert "CX waves <b>lake</b>" in at.dataframe[0].value.to_csv()


def test_the_sample_a_connected_model_s_intervals_come_from_is_said_on_the_drivers_page(waves, monkeypatch):
    """Past the sample's size (500 here, 20,000 served), the page says under the model's reading how many of the
    respondents the intervals, the ordinal model and what-if come from."""
    import gapcore.engine_drivers

    monkeypatch.setattr(gapcore.engine_drivers, "SAMPLE_ROWS", 500)
    folder, _ = waves
    at = opened(connected_app(folder))
    at.switch_page("pages/5_Drivers.py").run()
    assert not at.exception and not at.error
    assert any("random sample of 500 of the 1,500 respondents (seed 0)" in c.value.replace("\\", "")  # as text
               for c in at.caption), \
        [c.value for c in at.caption]
