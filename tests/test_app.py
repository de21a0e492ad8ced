"""The Streamlit app under AppTest: every page, three languages, uploads, filters, bad files."""

from __future__ import annotations

import json
import re
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from gapcore.analysis import analyze, prepare
from gapcore.i18n import LANGUAGES, t
from gapcore.io.load import SourceFile, load_study
from gapcore.messages import render as render_problem
from gapcore.present.story import build_story
from tests.conftest import FIXTURES, ROOT
from ui.state import UPLOAD_LIMITS

PAGES = ["app.py", "pages/1_Data.py", "pages/2_Method.py", "pages/3_Dimensions.py", "pages/4_Gap_model.py",
         "pages/5_Drivers.py", "pages/6_Segments.py", "pages/7_Report.py", "pages/8_Present.py"]


def app(page: str = "app.py", **query: str) -> AppTest:
    """The app from its entry point (page links resolve against it), then on ``page``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    if page != "app.py":
        at.switch_page(page)
    return at


def uploaded(name: str, data: bytes, mime: str = "text/csv") -> AppTest:
    """A session on the Data page that has uploaded one file (and run once more)."""
    at = app("pages/1_Data.py").run()
    at.file_uploader(key="w_upload").upload(name, data, mime)
    return at.run()


def count_calls(monkeypatch, calls: list, name: str, *modules, note=None) -> None:
    """``name`` in each of ``modules`` (the first holds the original) replaced by a wrapper that appends to
    ``calls`` — ``note(args)``, else the name — and calls the original."""
    original = getattr(modules[0], name)

    def counted(*args, **kwargs):
        calls.append(note(args) if note else name)
        return original(*args, **kwargs)

    for module in modules:
        monkeypatch.setattr(module, name, counted)


def charts_sent(at: AppTest) -> list[bytes]:
    """Each chart as the page sent it: its spec and its datasets."""
    return [element.proto.SerializeToString() for element in at.get("vega_lite_chart")]


def unescaped(markdown: str) -> str:
    """A Markdown source as its reader sees it: the escapes of ``ui.plain.as_text`` undone."""
    return re.sub(r"\\(.)", r"\1", markdown)


def texts(at: AppTest) -> str:
    """The page's text as a reader sees it: Markdown sources with their escapes (ui.plain) undone."""
    parts = [m.value for m in at.markdown] + [h.value for h in at.title] + [h.value for h in at.subheader]
    parts += [c.value for c in at.caption]
    return unescaped("\n".join(str(p) for p in parts))


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_every_language(page, lang):
    at = app(page, lang=lang).run()
    assert not at.exception
    assert not at.error
    body = texts(at)
    if lang == "ko":
        assert "응답자" in body or "갭" in body
    if lang == "zh":
        assert "受访者" in body or "差距" in body


def test_home_shows_the_demo_figures():
    at = app().run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Respondents"] == "1,500"
    assert metrics["Largest shortfall"] == "Reliability"
    dimensions = app("pages/3_Dimensions.py").run()  # the radar's reading names the same dimension
    assert any(c.value.startswith("The largest shortfall is in Reliability") for c in dimensions.caption)
    assert float(metrics["Service quality (P − E, all dimensions)"]) < -0.5


def test_cp949_korean_upload_with_korean_file_name():
    at = app("pages/1_Data.py", lang="ko").run()
    data = (FIXTURES / "good" / "korean_questions_cp949.csv").read_bytes()
    at.file_uploader(key="w_upload").upload("고객설문_2026.csv", data, "text/csv")
    at.run()
    assert not at.exception and not at.error
    study = at.session_state["sg_store"].data["sg_study"].study
    assert study.n == 120 and study.segments == ("지점",)
    assert study.sources[0].encoding == "cp949"
    assert any("120명" in s.value for s in at.success)
    assert at.sidebar.multiselect(key="w_f_지점").options[0] in {"광주", "대구", "부산", "서울", "인천"}


def test_bad_upload_keeps_the_study_already_loaded():
    at = app("pages/1_Data.py").run()
    good = (FIXTURES / "good" / "chinese_gb18030.tsv").read_bytes()
    at.file_uploader(key="w_upload").upload("stores.tsv", good, "text/tab-separated-values")
    at.run()
    before = at.session_state["sg_store"].data["sg_study"]
    assert before.study.n == 120
    at.file_uploader(key="w_upload").set_value(("broken.xlsx", (FIXTURES / "bad" / "truncated.xlsx").read_bytes(),
                                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    at.run()
    assert not at.exception
    assert at.session_state["sg_store"].data["sg_study"] is before
    assert any("already loaded is kept" in e.value for e in at.error)
    frame = at.dataframe[0].value
    assert "broken.xlsx" in frame.iloc[0, 1]


def test_filters_survive_a_page_switch_and_go_into_the_url():
    at = app().run()
    at.sidebar.multiselect(key="w_f_branch").set_value(["Busan"])
    at.run()
    assert at.session_state["sg_filters"] == {"branch": ["Busan"]}
    assert at.query_params["f.branch"] in ("Busan", ["Busan"])
    assert {m.label: m.value for m in at.metric}["Respondents"] == "268"
    at.switch_page("pages/2_Method.py").run()
    assert not at.exception
    assert at.sidebar.multiselect(key="w_f_branch").value == ["Busan"]
    at.switch_page("app.py").run()
    assert {m.label: m.value for m in at.metric}["Respondents"] == "268"


def test_shared_link_sets_language_and_filters():
    at = app(lang="zh", **{"f.branch": "Daegu,Busan", "f.wave": "2026-H1"}).run()
    assert not at.exception
    assert at.session_state["sg_filters"] == {"branch": ["Daegu", "Busan"], "wave": ["2026-H1"]}
    assert at.sidebar.selectbox(key="w_lang").value == "zh"


def test_small_selection_is_held_back_on_home():
    at = app(**{"f.branch": "Gwangju", "f.wave": "2025-H1", "f.channel": "phone", "f.age_band": "60+",
                "f.customer_type": "business"}).run()
    assert not at.exception
    assert any("held back" in w.value for w in at.warning)


def test_editing_the_answer_labels_reads_the_files_again():
    at = app("pages/1_Data.py").run()
    frame = (FIXTURES / "bad" / "unknown_label.csv").read_bytes()
    at.file_uploader(key="w_upload").upload("labels.csv", frame, "text/csv")
    at.run()
    study = at.session_state["sg_store"].data["sg_study"].study
    assert study.customers["E7"].isna().sum() == 1  # "very good" is not a known label
    assert at.expander[-1].label == "Answer labels"  # the editor is offered for uploads
    edited = pd.concat([study.answer_labels, pd.DataFrame([{"label": "very good", "value": 6.0}])])
    # AppTest cannot type into a data editor; the page passes the edited table to the same call.
    result = load_study(list(at.session_state["sg_store"].data["sg_study"].files), labels=edited)
    assert result.study.customers.loc[5, "E7"] == 6.0
    assert "non_numeric_answer" not in result.report.message_keys()


def test_custom_six_dimension_instrument_with_long_korean_names():
    import io

    import numpy as np

    rng = np.random.default_rng(4)
    dims = ["직원의 전문성과 친절함", "대기 시간과 처리 속도", "디지털 채널 편의성", "상품 설명의 정확성",
            "지점 환경과 시설", "사후 관리와 불만 처리"]
    items = pd.DataFrame({"code": range(1, 19), "dimension": [d for d in dims for _ in range(3)],
                          "text_ko": [f"문항 {k}" for k in range(1, 19)], "reverse": 0})
    rows = 80
    customers = pd.DataFrame({"지점": rng.choice(["서울", "부산"], rows)})
    for level, base in (("E", 6.0), ("P", 4.8)):
        for k in range(1, 19):
            customers[f"{level}{k}"] = np.clip(np.rint(base + rng.normal(0, 0.8, rows)), 1, 7)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        customers.to_excel(writer, sheet_name="고객", index=False)
        items.to_excel(writer, sheet_name="문항", index=False)
    at = app("pages/1_Data.py", lang="ko").run()
    at.file_uploader(key="w_upload").upload("맞춤_설문.xlsx", buffer.getvalue(),
                                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    at.run()
    study = at.session_state["sg_store"].data["sg_study"].study
    assert study.instrument.dimensions == tuple(d.replace(" ", "_") for d in dims)  # formula-safe keys
    for page in ("pages/3_Dimensions.py", "pages/4_Gap_model.py", "pages/5_Drivers.py", "app.py"):
        at.switch_page(page).run()
        assert not at.exception and not at.error, page


def test_segments_page_heatmap_reading_letters_and_tracking():
    at = app("pages/6_Segments.py").run()
    assert not at.exception and not at.error
    body = texts(at)
    assert "Tangibles differs most across branch: from Busan (-1.18) to Seoul (-0.14)" in body
    assert "Holm-corrected" in body
    assert "From 2025-H2 to 2026-H1, Responsiveness moved most: +0.31" in body
    at = app("pages/6_Segments.py", **{"f.wave": "2026-H1"}).run()
    assert any("wave column is filtered" in i.value for i in at.info)


def test_segments_page_holds_back_small_values():
    at = app("pages/6_Segments.py", min_cell="250").run()  # Daegu (211) and Gwangju (235) are under 250
    assert not at.exception
    assert "held back" in texts(at)
    assert "Daegu" not in texts(at).split("Values that share")[0].split("differs most")[1]


def test_pages_say_what_the_deck_says():
    """The readings of the Gap model, Drivers and Segments pages are the story's (deck, HTML) readings."""
    study = load_study([SourceFile("demo_study.xlsx", (ROOT / "data" / "demo_study.xlsx").read_bytes())]).study
    story = build_story(prepare(study), {}, lang="en", min_cell=5, fit_model=True)
    readings = {s.key: s.reading for s in story.slides}
    # Daegu's managers misjudge expectations (the demo's design): its gap 1 is the extreme branch value
    assert "Among branch values, Daegu has the largest gap 1 (knowledge) (-1.35" in readings["waterfall"]
    daegu = analyze(prepare(study), {"branch": ["Daegu"]}).chain
    assert f"{next(s.value for s in daegu.steps if s.name == 'gap1'):.2f}" == "-1.35"
    gap_page = texts(app("pages/4_Gap_model.py").run())
    assert readings["waterfall"].split(". Among")[0] in gap_page
    assert "Among branch values, Daegu has the largest gap 1" in gap_page
    segments_page = texts(app("pages/6_Segments.py").run())
    assert readings["heatmap"] in segments_page and readings["consistency"] in segments_page
    drivers_page = texts(app("pages/5_Drivers.py").run())
    assert readings["drivers"] in drivers_page


def test_drivers_model_tables_are_drawn_only_when_opened():
    """The ordinal model (the slowest part of a fit) runs only when its expander is opened."""
    at = app("pages/5_Drivers.py").run()
    assert "Ordinal logit (satisfaction levels)" not in texts(at) and len(at.dataframe) == 1  # the fit table
    at.session_state["w_drv_tables"] = True
    at.run()
    assert not at.exception and "Ordinal logit (satisfaction levels)" in texts(at)
    ordinal = at.dataframe[-1].value.set_index("term")
    assert ordinal["coefficient"].idxmax() == "Reliability"  # the demo's strongest driver
    assert ordinal.loc["Reliability", "odds ratio"] == pytest.approx(
        np.exp(ordinal.loc["Reliability", "coefficient"]), abs=1e-3)
    assert ordinal.loc["Reliability", "p"] == "< .001"


def test_presentation_view_steps_through_the_slides():
    at = app("pages/8_Present.py", lang="ko").run()
    assert not at.exception
    assert "차원별 기대와 인식" in texts(at)
    # radar, items, waterfall, drivers, heatmap, consistency, tracking, actions
    assert "1 / 8" in texts(at) and at.button(key="w_present_prev").disabled
    at.button(key="w_present_next").click().run()
    assert "문항별 기대와 인식" in texts(at) and "2 / 8" in texts(at)
    assert not at.button(key="w_present_prev").disabled  # the states follow the frame shown, not the one before
    for frame in range(3, 9):
        assert not at.button(key="w_present_next").disabled
        at.button(key="w_present_next").click().run()
        assert not at.exception and f"{frame} / 8" in texts(at), frame
        if frame == 4:  # the drivers' two panels side by side, each as tall as the projector's stage leaves
            spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
            assert [panel["height"] for panel in spec["hconcat"]] == [330, 330]
    assert "8 / 8" in texts(at) and "개선 방향" in texts(at)
    assert at.button(key="w_present_next").disabled
    at.button(key="w_present_prev").click().run()
    assert "7 / 8" in texts(at)


def test_report_page_lists_the_slides_and_the_tables():
    at = app("pages/7_Report.py", lang="zh").run()
    assert not at.exception and not at.error
    body = texts(at)
    assert "报告内容" in body and "改进措施" in body
    assert at.selectbox(key="w_rep_table").value == "dimensions"
    at.selectbox(key="w_rep_table").set_value("tracking").run()
    assert not at.exception
    assert list(at.dataframe[0].value.columns)[:3] == ["dimension", "wave", "order"]


@pytest.fixture
def fresh_limiter(monkeypatch):
    """A server-wide failure count of its own, so that gate tests do not wait on each other."""
    from ui import access

    limiter = access.FailureLimiter()
    monkeypatch.setattr(access, "LIMITER", limiter)
    return limiter


@pytest.mark.usefixtures("fresh_limiter")
def test_password_gate_admits_only_the_right_password():
    at = app()
    at.secrets["servicegap"] = {"password": "s3cret-암호"}
    at.run()
    assert not at.exception
    assert not at.metric  # nothing of the study before signing in
    at.text_input(key="w_password").input("wrong")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["That password is not right; ask your administrator for it."]
    assert not at.metric
    at.text_input(key="w_password").input("s3cret-암호")
    at.button[0].click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Respondents"] == "1,500"


@pytest.mark.usefixtures("fresh_limiter")
def test_wrong_passwords_are_counted_across_sessions():
    """Five free tries per address for the whole server: a new session (a reload) gets none back, and
    during the wait even the right password is not checked."""
    for _ in range(5):  # five sessions, one wrong try each
        at = app(lang="ko")
        at.secrets["servicegap"] = {"password": "x"}
        at.run()
        at.text_input(key="w_password").input("y")
        at.button[0].click().run()
    assert any("2초 뒤부터 다시 확인합니다" in e.value for e in at.error)
    at = app()
    at.secrets["servicegap"] = {"password": "x"}
    at.run()
    at.text_input(key="w_password").input("x")
    at.button[0].click().run()
    assert not at.metric and any("next try is checked in" in e.value for e in at.error)


def test_the_limiter_doubles_the_wait_per_address_and_server_wide():
    from ui.access import FailureLimiter

    now = [0.0]
    limiter = FailureLimiter(free=3, server_free=6, base=2.0, longest=60.0, window=600.0, clock=lambda: now[0])
    for _ in range(3):
        limiter.failed("a")
    assert limiter.wait_left("a") == 2.0 and limiter.wait_left("b") == 0.0  # 3 free, then 2 s
    limiter.failed("a")
    assert limiter.wait_left("a") == 4.0  # doubled
    now[0] = 3.0
    assert limiter.wait_left("a") == 1.0
    for _ in range(2):
        limiter.failed("b")  # six failures on the server: everyone waits 2 s from the last
    assert limiter.wait_left("c") == 2.0
    for _ in range(10):
        limiter.failed("a")
    assert limiter.wait_left("a") == 60.0  # capped
    now[0] = 700.0  # the window has passed
    assert limiter.wait_left("a") == 0.0 and limiter.wait_left("c") == 0.0
    limiter.failed("a")
    limiter.succeeded("a")
    assert limiter.wait_left("a") == 0.0


def test_an_unverified_email_is_not_admitted():
    from ui.access import identity_allowed

    settings = {"allowed_domains": ["example.com"]}
    assert identity_allowed({"email": "kim@example.com", "email_verified": True}, settings)
    assert not identity_allowed({"email": "kim@example.com", "email_verified": False}, settings)
    assert not identity_allowed({"email": "kim@example.com"}, settings)  # no claim: not verified
    assert identity_allowed({"email": "kim@example.com"}, {**settings, "require_verified_email": False})
    assert not identity_allowed({"email": "kim@other.org", "email_verified": True}, settings)


def test_oidc_login_is_asked_for_and_the_allow_list_is_applied():
    from ui.access import email_allowed, password_matches

    at = app()
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "c",
                          "client_id": "i", "client_secret": "s",
                          "server_metadata_url": "https://example.com/.well-known/openid-configuration"}
    at.secrets["servicegap"] = {"allowed_domains": ["example.com"]}
    at.run()
    assert not at.exception
    assert at.button(key="w_login").label == "Sign in" and not at.metric
    assert email_allowed("Kim@Example.com", (), ["example.com"])
    assert email_allowed("a@other.org", ["A@other.org"], ())
    assert not email_allowed("a@example.com.evil.org", (), ["example.com"])
    assert not email_allowed("a@example.com", (), ())  # no allow-list: nobody
    assert not email_allowed(None, ["a@b.c"], ())
    assert password_matches("é", "é") and not password_matches("é", "e")


def test_every_file_of_the_bad_corpus_is_a_message_never_a_traceback():
    at = app("pages/1_Data.py").run()
    files = sorted((FIXTURES / "bad").iterdir())
    assert len(files) >= 50
    for path in files:
        at.file_uploader(key="w_upload").set_value((path.name, path.read_bytes(), "application/octet-stream"))
        at.run()
        assert not at.exception, path.name  # the page guard re-raises under test: a fallback is an exception
        # The file's own first message, computed by gapcore, is what the page shows (not a generic one).
        report = load_study([SourceFile(path.name, path.read_bytes())], limits=UPLOAD_LIMITS).report
        if not len(report):  # bad only under smaller limits (oversized.csv): within the app's, it loads
            assert [s.value for s in at.success] and not at.error, path.name
            continue
        first, _ = render_problem((report.errors or report.problems)[0], "en")
        shown = [e.value for e in at.error] + [w.value for w in at.warning] + [texts(at)]
        shown += [" ".join(map(str, d.value.to_numpy().ravel())) for d in at.dataframe]
        plain = unescaped("\n".join(shown))
        assert first in plain, (path.name, first)
        assert "Traceback" not in plain and "Something went wrong" not in plain, path.name


def test_a_session_store_is_released_after_the_reconnect_window_unless_the_session_returns():
    from ui.state import SessionStore

    class Timer:
        """A timer fired by the test: ``fire()`` runs it unless it was cancelled."""

        made: ClassVar[list[Timer]] = []

        def __init__(self, seconds: float, function) -> None:
            self.seconds, self.function, self.cancelled, self.daemon = seconds, function, False, False
            Timer.made.append(self)

        def start(self) -> None:
            pass

        def cancel(self) -> None:
            self.cancelled = True

        def fire(self) -> None:
            if not self.cancelled:
                self.function()

    gone = SessionStore({"sg_study": object()}, clock=Timer)
    gone.release_after(120.0)
    back = SessionStore({"sg_study": object()}, clock=Timer)
    back.release_after(120.0)
    back.connected()  # the browser reconnected within the window
    assert [timer.seconds for timer in Timer.made] == [120.0, 120.0] and "sg_study" in gone.data
    for timer in Timer.made:  # the window closes
        timer.fire()
    assert gone.data == {} and "sg_study" in back.data


def _version(at: AppTest) -> int:
    return at.session_state["sg_working_mapping"][2]


def test_a_file_detection_cannot_map_reaches_a_six_dimension_analysis_by_clicks():
    """Hospital codes Q1…Q13 with nothing saying what they are: every column is shown, blocks are set
    by clicks into a six-dimension instrument with an N/A code, and the next upload opens mapped."""
    from tests import real_exports as rx

    at = app("pages/1_Data.py").run()
    name, data = rx.hospital()
    at.file_uploader(key="w_upload").upload(name, data, "text/csv")
    at.run()
    assert not at.exception
    assert "sg_study" not in at.session_state["sg_store"].data  # nothing computed yet
    assert not at.error  # a question, not a failure
    assert any("look like rating questions" in w.value and "confirm them" in w.value for w in at.warning)
    assert any("Map the columns of hospital.csv" in unescaped(h.value) for h in at.header)
    blocks = [("access", [1, 2]), ("comfort", [3, 4]), ("care", [5, 6]), ("information", [7, 8]),
              ("discharge", [9, 10]), ("cost", [11, 12, 13])]
    for dimension, numbers in blocks:
        version = _version(at)
        at.multiselect(key=f"w_bulk_columns_{version}").set_value([f"Q{k}" for k in numbers])
        at.selectbox(key=f"w_bulk_role_{version}").set_value("P")
        at.number_input(key=f"w_bulk_start_{version}").set_value(numbers[0])
        at.text_input(key=f"w_bulk_dimension_{version}").set_value(dimension).run()
        at.button(key=f"w_bulk_apply_{version}").click().run()
        assert not at.exception
    version = _version(at)  # rename one dimension, as an instrument editor does
    at.selectbox(key=f"w_dim_old_{version}").set_value("comfort")
    at.text_input(key=f"w_dim_new_{version}").set_value("ward comfort").run()
    at.button(key=f"w_dim_apply_{version}").click().run()
    at.text_input(key="w_na").set_value("99")
    at.button(key="w_apply").click().run()
    assert not at.exception and not at.error
    study = at.session_state["sg_store"].data["sg_study"].study
    assert study.n == 200 and len(study.items("P")) == 13
    assert study.instrument.dimensions == ("access", "ward comfort", "care", "information", "discharge", "cost")
    assert study.mapping.na == (99.0,)
    saved = study.mapping.dumps("json")
    assert '"dimension": "discharge"' in saved and '"na": [\n    99.0\n  ]' in saved
    # the next wave, with the same columns, opens mapped
    at.file_uploader(key="w_upload").upload("hospital_wave2.csv", data, "text/csv")
    at.run()
    assert not at.exception
    assert any("previous upload" in i.value for i in at.info)
    again = at.session_state["sg_store"].data["sg_study"].study
    assert again.instrument.dimensions == study.instrument.dimensions
    at.switch_page("pages/3_Dimensions.py").run()
    assert not at.exception and not at.error


def test_proposed_items_are_confirmed_with_one_click_and_the_outcome_is_picked_from_a_list():
    from tests import real_exports as rx

    at = app("pages/1_Data.py", lang="ko").run()
    name, data = rx.google_forms()
    at.file_uploader(key="w_upload").upload(name, data, "text/csv")
    at.run()
    at.switch_page("app.py").run()  # every other page says the upload is waiting, and shows the old study
    assert any("waiting for" in i.value or "열 지정이 끝나지 않았습니다" in i.value for i in at.info)
    assert at.session_state["sg_store"].data.get("sg_study") is None
    at.switch_page("pages/1_Data.py").run()
    version = _version(at)
    picker = at.selectbox(key=f"w_outcome_satisfaction_{version}")
    assert picker.value == "Overall, how satisfied are you with our service?"
    at.button(key="w_confirm").click().run()
    assert not at.exception
    study = at.session_state["sg_store"].data["sg_study"].study
    assert study.n == 80 and len(study.items("P")) == 5 and study.outcomes == ("satisfaction", "recommend")


def test_a_legacy_korean_xls_is_uploaded_confirmed_and_drawn():
    """The .xls an office saved by hand: the uploader takes it, its data sheet is said to be the one read, one
    click confirms the proposed questions, and the Dimensions page draws its perceptions."""
    from tests import real_exports as rx

    at = app("pages/1_Data.py", lang="ko").run()
    name, data = rx.legacy_xls_korean()
    at.file_uploader(key="w_upload").upload(name, data, "application/vnd.ms-excel")
    at.run()
    assert not at.exception
    assert any("조사결과" in w.value and "120" in w.value for w in at.warning)  # the sheet read, said
    at.button(key="w_confirm").click().run()
    study = at.session_state["sg_store"].data["sg_study"].study
    assert (study.n, len(study.items("P")), study.mapping.na) == (120, 8, (9.0,))
    at.switch_page("pages/3_Dimensions.py").run()
    assert not at.exception and not at.error
    assert at.get("vega_lite_chart")


def test_servqual_assumed_is_said_above_the_mapping_and_one_click_reads_the_study_s_own_instrument():
    from tests import real_exports as rx

    at = app("pages/1_Data.py", lang="zh").run()
    name, data = rx.open_document_survey()
    at.file_uploader(key="w_upload").upload(name, data, "application/vnd.oasis.opendocument.spreadsheet")
    at.run()
    assert at.session_state["sg_store"].data["sg_study"].study.instrument.dimensions == ("tangibles", "reliability")
    said = [w.value for w in at.warning if "SERVQUAL" in w.value]
    assert len(said) == 1 and "1–6" in said[0]
    at.button(key="w_own_instrument").click().run()
    assert not at.exception
    study = at.session_state["sg_store"].data["sg_study"].study
    assert study.instrument.dimensions == ("service",) and study.n == 90
    assert not [w for w in at.warning if "SERVQUAL" in w.value]


def test_a_mapping_that_cannot_be_read_says_why_beside_the_control_that_asked():
    """Free-text comments mapped as items by a mapping file: no answer can be read, so the read stops, and
    the reason with what to do shows at once under the mapping controls, not after another upload."""
    from gapcore.io.mapping import ColumnMapping, ColumnSpec

    rows = [["toimipiste", "Palvelu oli nopeaa", "Henkilökunta oli ystävällistä", "Tilat olivat siistit"]]
    rows += [[f"T{i % 3}", f"kommentti {i}", f"huomio {i}", f"palaute {i}"] for i in range(40)]
    data = "\n".join(",".join(r) for r in rows).encode("utf-8")
    at = app("pages/1_Data.py", lang="en").run()
    at.file_uploader(key="w_upload").upload("kysely.csv", data, "text/csv")
    at.run()
    assert at.session_state["sg_store"].data.get("sg_study") is None
    mapping = ColumnMapping(specs=tuple(ColumnSpec("customers", c, "P", k) for k, c in enumerate(rows[0][1:], 1)))
    at.file_uploader(key="w_mapping_up").upload("mapping.json", mapping.dumps("json").encode(), "application/json")
    at.run()
    assert not at.exception
    said = [e.value for e in at.error]
    from gapcore.problems import Problem

    reason = render_problem(Problem("error", "no_valid_answers"), "en")[0][:40]
    assert any(reason in unescaped(e) for e in said), said


def test_answer_words_of_no_known_ladder_are_shown_in_order_turned_round_and_read():
    from tests import real_exports as rx

    at = app("pages/1_Data.py", lang="ko").run()
    name, data = rx.finnish_words()
    at.file_uploader(key="w_upload").upload(name, data, "text/csv")
    at.run()
    assert at.session_state["sg_store"].data.get("sg_study") is None
    ladder = [frame for frame in at.dataframe if t("col_label", "ko") in frame.value.columns]
    assert ladder[0].value[t("col_label", "ko")].tolist() == list(rx.FINNISH_LADDER)
    at.button(key="w_ladder_turn").click().run()
    ladder = [frame for frame in at.dataframe if t("col_label", "ko") in frame.value.columns]
    assert ladder[0].value[t("col_label", "ko")].tolist() == list(rx.FINNISH_LADDER[::-1])
    at.button(key="w_ladder_turn").click().run()
    at.button(key="w_ladder_use").click().run()
    assert not at.exception
    study = at.session_state["sg_store"].data["sg_study"].study
    _, rungs = rx.finnish_frame()
    np.testing.assert_allclose(study.customers[[f"P{k}" for k in range(1, 7)]].astype(float).mean(),
                               rungs.mean(axis=0), rtol=1e-12)


def test_the_sheet_picker_reads_the_sheet_the_analyst_picks():
    from tests import real_exports as rx

    at = app("pages/1_Data.py", lang="en").run()
    name, data = rx.two_waves()
    at.file_uploader(key="w_upload").upload(name, data, "application/vnd.ms-excel")
    at.run()
    at.button(key="w_confirm").click().run()
    assert at.session_state["sg_store"].data["sg_study"].study.n == 120
    picker = at.selectbox(key="w_sheet")
    assert picker.options == [t("sheet_auto", "en"), "2024", "2025"]
    picker.select("2024").run()  # read again at once, with the mapping just confirmed (same columns)
    assert not at.exception
    study = at.session_state["sg_store"].data["sg_study"].study
    assert study.n == 80 and study.sources[0].sheet == "2024"


def test_the_label_table_is_there_before_anything_loads_and_a_word_added_there_is_read():
    """English agreement answers with one word of the study's own ("Completely agree"): the upload waits,
    the label table is on the page already, and the word added there makes every answer readable."""
    from gapcore.io.scale import labels_for

    ladder = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree", "Completely agree"]
    rows = [["branch", "Staff were polite", "The wait was short", "The room was clean"]]
    rows += [[f"B{i % 2}", ladder[i % 6], ladder[(i + 1) % 6], ladder[(i + 2) % 6]] for i in range(60)]
    data = "\n".join(",".join(r) for r in rows).encode("utf-8")
    at = app("pages/1_Data.py", lang="en").run()
    at.file_uploader(key="w_upload").upload("survey.csv", data, "text/csv")
    at.run()
    assert at.session_state["sg_store"].data.get("sg_study") is None
    table = at.data_editor(key="w_labels")
    assert table.value["label"].tolist() == labels_for(ladder)["label"].tolist()
    at.session_state["w_labels"] = {"edited_rows": {}, "added_rows": [{"label": "Completely agree", "value": 6.0}],
                                    "deleted_rows": []}
    at.button(key="w_apply_labels").click().run()
    assert not at.exception
    at.button(key="w_confirm").click().run()
    study = at.session_state["sg_store"].data["sg_study"].study
    assert study.scale.high >= 6 and float(study.customers["P1"].astype(float).max()) == 6.0


def test_a_waiting_upload_s_mapping_goes_when_its_file_goes_and_stays_on_a_return_to_the_page():
    from tests import real_exports as rx

    at = app("pages/1_Data.py", lang="en").run()
    at.file_uploader(key="w_upload").upload(*rx.hospital(), "text/csv")
    at.run()
    assert at.session_state["sg_store"].data.get("sg_pending") is not None
    at.switch_page("pages/2_Method.py").run()
    at.switch_page("pages/1_Data.py").run()  # back: the uploader is empty, the mapping still waits
    assert at.session_state["sg_store"].data.get("sg_pending") is not None and at.data_editor
    at.switch_page("pages/1_Data.py").run()
    at.file_uploader(key="w_upload").upload(*rx.hospital(), "text/csv")
    at.run()
    at.file_uploader(key="w_upload").clear().run()  # the analyst takes the file out
    assert not at.exception
    assert at.session_state["sg_store"].data.get("sg_pending") is None and not at.data_editor
    assert at.session_state["sg_store"].data.get("sg_study") is None  # the demo, as before the upload


@pytest.mark.parametrize("page", PAGES[2:])
def test_every_page_works_on_a_confirmed_perception_only_study(page):
    from tests import real_exports as rx

    at = app("pages/1_Data.py").run()
    at.file_uploader(key="w_upload").upload(*rx.hospital(), "text/csv")
    at.run()
    at.button(key="w_confirm").click().run()
    assert at.session_state["sg_store"].data["sg_study"].study.n == 200
    at.switch_page(page).run()
    assert not at.exception
    assert not [e.value for e in at.error]


def test_every_download_of_data_goes_through_the_formula_safe_writers():
    """No page writes a table with pandas' own writers, which leave '=cmd|…' cells live in Excel."""
    sources = [*(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py"), ROOT / "app.py"]
    offenders = [p.name for p in sources if ".to_csv(" in p.read_text(encoding="utf-8")
                 or ".to_excel(" in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_a_corrected_file_with_the_same_name_and_size_is_read_again():
    frame = pd.read_csv(ROOT / "data" / "demo_customers.csv", encoding="utf-8-sig").head(60)
    first = frame.to_csv(index=False).encode("utf-8")
    corrected = frame.assign(P1=8 - frame["P1"]).to_csv(index=False).encode("utf-8")
    assert len(first) == len(corrected) and first != corrected
    at = app("pages/1_Data.py").run()
    at.file_uploader(key="w_upload").set_value(("wave.csv", first, "text/csv"))
    at.run()
    before = at.session_state["sg_store"].data["sg_study"].study.customers["P1"].to_numpy(dtype=float)
    at.file_uploader(key="w_upload").set_value(("wave.csv", corrected, "text/csv"))
    at.run()
    after = at.session_state["sg_store"].data["sg_study"].study.customers["P1"].to_numpy(dtype=float)
    np.testing.assert_array_equal(after, 8 - before)


def test_every_session_key_is_declared_in_ui_keys():
    """No page or ui module writes a session key of its own: each ``sg_*`` string is in ui/keys.py."""
    from ui import keys

    declared = {v for k, v in vars(keys).items() if k.isupper()}
    sources = [*(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py"), ROOT / "app.py"]
    used = {m for p in sources if p.name != "keys.py" for m in re.findall(r"[\"'](sg_[a-z_]+)[\"']", p.read_text())}
    assert used - declared <= {"sg_password_form", "sg_admit", "sg_browser"}  # a form's key and the guard's cookies
    assert len(declared) == len([k for k in vars(keys) if k.isupper()])  # no two names share a key


def test_gap_model_with_customer_answers_alone_claims_only_gap_5():
    """A customer file alone: the page names gap 5 as what was measured, proposes no action for gaps 1–4,
    and offers a template for each of the four provider tables (in the page's language)."""
    customers = (ROOT / "data" / "demo_customers.csv").read_bytes()
    at = app("pages/1_Data.py", lang="zh").run()
    at.file_uploader(key="w_upload").set_value(("kiosk.csv", customers, "text/csv"))
    at.run()
    at.switch_page("pages/4_Gap_model.py").run()
    assert not at.exception
    shown = texts(at)
    assert t("actions_none_measured", "zh") in shown and t("only_customers", "zh") in [i.value for i in at.info]
    assert "差距1（认知） + 差距2（标准）" not in shown  # never the "largest step" of nothing measured
    for line in t("actions_gap3", "zh").split("\n"):
        assert line.removeprefix("- ") not in shown
    labels = [b.proto.label for b in at.get("download_button") if b.proto.id and "w_tpl_" in b.proto.id]
    assert labels == [t("provider_template", "zh", table=t(f"table_{name}", "zh"))
                      for name in ("management", "standards", "delivery", "communications")]


def test_each_page_reads_and_writes_its_choices_in_the_url():
    """A link's page choices open the page on them; a choice made goes back into the URL, a default
    choice is left out of it; filters and language stay."""
    at = app("pages/6_Segments.py", lang="ko", by="channel").run()
    assert at.selectbox(key="w_seg_column").value == "channel"
    at.selectbox(key="w_seg_column").set_value("branch").run()  # the default: out of the URL
    assert "by" not in at.query_params and at.query_params["lang"] == "ko"
    at = app("pages/3_Dimensions.py", compare="channel", layout="overlay", values="app,phone").run()
    assert at.selectbox(key="w_dim_compare").value == "channel"
    assert at.radio(key="w_dim_layout").value == "overlay"
    assert at.multiselect(key="w_dim_values_channel").value == ["app", "phone"]
    at = app("pages/5_Drivers.py", outcome="retention", close="empathy", by="1.5").run()
    assert at.selectbox(key="w_drv_outcome").value == "retention"
    assert at.selectbox(key="w_drv_dim").value == "empathy" and at.slider(key="w_drv_amount").value == 1.5
    at.slider(key="w_drv_amount").set_value(0.8).run()
    assert at.query_params["by"] == "0.8" and at.query_params["outcome"] == "retention"
    at = app("pages/8_Present.py", slide="3").run()
    assert "3 / 8" in texts(at)
    at = app("pages/4_Gap_model.py", **{"f.branch": "Busan", "by": "branch", "value": "Daegu"}).run()
    assert at.selectbox(key="w_gap_value_branch").value == "Daegu"
    assert at.query_params["f.branch"] == "Busan" and at.query_params["value"] == "Daegu"


@pytest.mark.parametrize("page", ["pages/1_Data.py", "pages/3_Dimensions.py", "pages/5_Drivers.py",
                                  "pages/6_Segments.py", "pages/7_Report.py"])
def test_choice_widgets_speak_the_users_language(page):
    """Streamlit's own placeholder ("Choose an option") and "Select all" entry are English: every choice
    widget gets a placeholder in the page's language, and no "Select all" outside English."""
    at = app(page, lang="zh").run()
    widgets = [*at.selectbox, *at.multiselect]
    assert len(widgets) >= 2
    for widget in widgets:
        assert widget.proto.placeholder in (t("choose", "zh"), t("filter_all", "zh"), t("none", "zh")), widget.label
    assert all(m.proto.select_all == 0 for m in at.multiselect)


def test_every_panel_says_what_it_is_computed_on():
    """With branch = Busan, the branch heatmap shows every branch and says the branch filter does not
    apply to it; the tracking panel says it is computed on Busan."""
    at = app("pages/6_Segments.py", **{"f.branch": "Busan", "f.channel": "app"}).run()
    captions = [c.value for c in at.caption]
    compared = t("scope_filtered", "en", filters="channel = app") + " " + t("scope_compared", "en", column="branch")
    assert sum(unescaped(c) == compared for c in captions) == 2  # the heatmap and the consistency panel
    assert t("scope_filtered", "en", filters="branch = Busan; channel = app") in [unescaped(c) for c in captions]
    at = app("pages/3_Dimensions.py").run()
    assert t("scope_filtered", "en", filters=t("filters_none", "en")) in [unescaped(c.value) for c in at.caption]


def test_segments_are_chosen_and_named_on_the_data_page():
    """On the Data page a segment is dropped from the sidebar and another renamed in Korean; the sidebar,
    the Segments page's picker and the mapping download follow."""
    customers = (ROOT / "data" / "demo_customers.csv").read_bytes()
    at = app("pages/1_Data.py", lang="ko").run()
    at.file_uploader(key="w_upload").set_value(("survey.csv", customers, "text/csv"))
    at.run()
    assert at.multiselect(key="w_seg_columns").value == ["branch", "channel", "customer_type", "age_band"]
    at.multiselect(key="w_seg_columns").set_value(["branch", "channel", "age_band"]).run()
    at.button(key="w_seg_apply").click().run()
    assert not at.exception
    assert [m.key for m in at.sidebar.multiselect] == ["w_f_branch", "w_f_channel", "w_f_age_band", "w_f_wave"]
    at.selectbox(key="w_seg_setup").set_value("branch").run()
    at.text_input(key="w_seg_name_ko_branch").set_value("지점").run()
    at.button(key="w_seg_setup_apply").click().run()
    assert not at.exception
    assert at.sidebar.multiselect(key="w_f_branch").label == "지점"
    mapping = at.session_state["sg_store"].data["sg_study"].study.mapping
    assert mapping.segments["branch"].names == {"ko": "지점"}
    at.switch_page("pages/6_Segments.py").run()
    assert texts(at).count("지점") >= 2  # the heatmap title and its reading name the segment in Korean


@pytest.mark.parametrize(("computation", "page", "column"), [
    ("by_segment_value", "pages/4_Gap_model.py", "branch"),
    ("track_waves", "pages/6_Segments.py", "wave"),
])
def test_the_segment_chains_and_the_waves_are_computed_once_for_the_page_and_the_report(monkeypatch, computation,
                                                                                        page, column):
    """The Gap model page's segment panel and the report's segment sentence read the same analyses of every
    branch; the Segments page's tracking panel and the report's tracking slide and tables read one tracking:
    computed once per setting, not once per page."""
    import gapcore.present.story as story
    import ui.state

    calls = []
    count_calls(monkeypatch, calls, computation, ui.state, story, note=lambda args: args[1])
    at = app(page).run()
    assert not at.exception and calls == [column]
    at.switch_page("pages/7_Report.py").run()
    assert not at.exception and calls == [column]


def test_the_segment_comparison_is_computed_once_for_the_page_and_the_report_and_kept_for_recent_filters(
        monkeypatch):
    """The Segments page and the report's heatmap and consistency slides compare the same branches: one
    computation per setting; going back to a filter seen a moment ago computes nothing again."""
    import gapcore.present.story as story
    import ui.state

    calls = []
    count_calls(monkeypatch, calls, "compare_segments", ui.state, story,
                note=lambda args: (args[1], tuple(sorted((args[2] or {}).get("channel", ())))))
    at = app("pages/6_Segments.py").run()
    assert not at.exception and calls == [("branch", ())]
    at.switch_page("pages/7_Report.py").run()
    assert not at.exception and calls == [("branch", ())]
    at.multiselect(key="w_f_channel").set_value(["app"]).run()
    assert not at.exception and calls == [("branch", ()), ("branch", ("app",))]
    at.multiselect(key="w_f_channel").set_value([]).run()
    at.switch_page("pages/6_Segments.py").run()
    assert not at.exception and calls == [("branch", ()), ("branch", ("app",))]


def test_a_filtered_segment_is_set_against_the_company_under_the_other_filters_on_the_page_and_in_the_report(
        demo_study):
    """With Seoul and Busan picked in the branch filter, the branches are still compared with the company under
    the other filters (here: everyone), on the Gap model page and in the report's waterfall reading alike."""
    prepared = prepare(demo_study)
    worst = analyze(prepared, {}).chain.worst_step  # the company: no filter left once branch is set aside
    branch_steps = {}
    for branch in ("Seoul", "Busan", "Incheon", "Daegu", "Gwangju"):
        steps = analyze(prepared, {"branch": [branch]}).chain.steps
        branch_steps[branch] = next(s.value for s in steps if s.name == worst.name)
    extreme = min(branch_steps, key=branch_steps.get)
    expected = (f"company {worst.value:+.2f}", f"{extreme} has the largest", f"({branch_steps[extreme]:+.2f},")

    story = build_story(prepared, {"branch": ["Seoul", "Busan"]}, segment="branch", fit_model=False)
    waterfall = next(s for s in story.slides if s.key == "waterfall")
    assert all(part in waterfall.reading for part in expected), waterfall.reading
    filtered_company = analyze(prepared, {"branch": ["Seoul", "Busan"]}).chain.worst_step.value
    assert f"company {filtered_company:+.2f}" not in waterfall.reading

    at = app("pages/4_Gap_model.py").run()
    at.sidebar.multiselect(key="w_f_branch").set_value(["Seoul", "Busan"]).run()
    assert not at.exception
    sentence = next(m.value for m in at.markdown if "has the largest" in unescaped(str(m.value)))
    assert all(part in unescaped(sentence) for part in expected), sentence


BLAS_THREADS = """
import ctypes, glob, os, sys
import serve  # noqa: F401
import numpy
lib = glob.glob(os.path.join(os.path.dirname(numpy.__file__), "..", "numpy.libs", "*openblas*"))[0]
print(os.environ["OPENBLAS_NUM_THREADS"], ctypes.CDLL(lib).scipy_openblas_get_num_threads64_())
"""


@pytest.mark.parametrize(("given", "expected"), [(None, "1 1"), ("3", "3")])
def test_the_served_app_runs_blas_on_one_thread_unless_the_operator_says_otherwise(given, expected):
    """serve.py sets one BLAS thread before numpy is first imported (OpenBLAS reads the setting then): on
    a click's small matrices a second thread only spins. An operator's own setting is kept."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    if given:
        env["OPENBLAS_NUM_THREADS"] = given
    out = subprocess.run([sys.executable, "-c", BLAS_THREADS], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert " ".join(out if given is None else out[:1]) == expected


def test_a_return_to_a_recent_filter_draws_the_slides_charts_without_building_them(monkeypatch):
    """The Segments page's heatmap, consistency and tracking charts are kept by what they are drawn from: a
    change of filter builds them, a return to the filter before draws the kept ones, the same specs."""
    import gapcore.present.segment_slides as segment_slides

    built = []
    for name in ("heatmap_chart", "consistency_chart", "tracking_chart"):
        count_calls(monkeypatch, built, name, segment_slides)

    at = app("pages/6_Segments.py").run()
    assert not at.exception and sorted(built) == ["consistency_chart", "heatmap_chart", "tracking_chart"]
    first = charts_sent(at)
    assert len(first) == 3
    at.multiselect(key="w_f_channel").set_value(["app"]).run()
    assert not at.exception and len(built) == 6
    assert charts_sent(at) != first  # other figures under the filter
    at.multiselect(key="w_f_channel").set_value([]).run()
    assert not at.exception and len(built) == 6
    assert charts_sent(at) == first


@pytest.mark.parametrize(("page", "module", "builder"), [
    ("pages/3_Dimensions.py", "gapcore.present.charts", "ipa_chart"),
    ("pages/4_Gap_model.py", "gapcore.present.slides", "waterfall_grid"),
])
def test_a_return_to_a_recent_filter_draws_the_pages_other_charts_without_building_them(monkeypatch, page, module,
                                                                                        builder):
    """Charts that are not slides — the importance-performance chart, the per-dimension waterfalls — are kept
    by what they are drawn from too: a change of filter builds them, a return draws the kept ones, as sent."""
    import importlib

    built = []
    count_calls(monkeypatch, built, builder, importlib.import_module(module))

    at = app(page).run()
    charts = len(built)  # Gap model: the waterfalls per dimension, and the company beside a segment
    assert not at.exception and charts >= 1
    first = charts_sent(at)
    at.multiselect(key="w_f_channel").set_value(["app"]).run()
    assert not at.exception and len(built) == 2 * charts
    assert charts_sent(at) != first
    at.multiselect(key="w_f_channel").set_value([]).run()
    assert not at.exception and len(built) == 2 * charts
    assert charts_sent(at) == first


def test_a_return_to_a_recent_filter_shows_the_segments_readings_without_building_them(monkeypatch):
    """The Segments page's slides and tables are kept with the analysis they read: a return to a recent filter
    builds none of them, while another language or another minimum cell size builds them again, worded and
    held back as that setting says."""
    import gapcore.present.segment_slides as segment_slides
    import gapcore.present.story as story
    import gapcore.present.tables as tables

    built = []
    for name in ("heatmap_slide", "consistency_slide", "tracking_slide"):
        count_calls(monkeypatch, built, name, segment_slides, story)
    for name in ("segment_tests_table", "consistency_table", "wave_changes_table"):
        count_calls(monkeypatch, built, name, tables)

    def shown(at) -> list[bytes]:
        return [*charts_sent(at), *(frame.proto.SerializeToString() for frame in at.dataframe)]

    at = app("pages/6_Segments.py").run()
    per_setting = len(built)
    assert not at.exception and per_setting == 6
    first = shown(at)
    at.multiselect(key="w_f_channel").set_value(["app"]).run()
    assert len(built) == 2 * per_setting
    at.multiselect(key="w_f_channel").set_value([]).run()
    assert not at.exception and len(built) == 2 * per_setting and shown(at) == first
    at.sidebar.selectbox(key="w_lang").set_value("ko").run()
    assert not at.exception and len(built) == 3 * per_setting
    headers = [str(frame.value.columns[0]) for frame in at.dataframe]
    assert headers and set(headers) <= {"차원", "세그먼트", "차수", "조사 차수"} and "차원" in headers, headers
    at.sidebar.number_input(key="w_min_cell").set_value(400).run()  # most values held back: fewer readings
    assert not at.exception and len(built) > 3 * per_setting and "heatmap_slide" in built[3 * per_setting:]


@pytest.mark.parametrize(("path", "base", "guarded"), [
    ("/media/abc.csv", "", True), ("/_stcore/upload_file/s/f", "", True), ("/static/media/font.woff2", "", False),
    ("/app/media/abc.csv", "app", True), ("/app/static/media/font.woff2", "app", False), ("/media/x", "app", False),
    ("/Data", "", False)])
def test_the_guard_matches_its_endpoints_from_the_start_of_the_path(path, base, guarded):
    from ui.guard import guarded_path

    assert guarded_path(path, base) is guarded


FORWARDED = """
import asyncio
import serve  # noqa: F401
import uvicorn
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware
seen = {}
async def app(scope, receive, send):
    seen["client"] = scope["client"][0]
config = uvicorn.Config(app)
scope = {"type": "http", "scheme": "http", "client": ("127.0.0.1", 5000),
         "headers": [(b"x-forwarded-for", b"10.9.9.9")]}
asyncio.run(ProxyHeadersMiddleware(app, trusted_hosts=config.forwarded_allow_ips)(scope, None, None))
print(seen["client"])
"""


@pytest.mark.parametrize(("given", "client"), [(None, "127.0.0.1"), ("127.0.0.1", "10.9.9.9")])
def test_a_forwarded_address_is_believed_only_from_a_proxy_the_operator_names(given, client):
    """The password limiter counts tries per client address: as served, a request from this machine that
    says "X-Forwarded-For: 10.9.9.9" is still 127.0.0.1 (each new header value bought five new tries), unless
    the operator names its proxy in FORWARDED_ALLOW_IPS."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "FORWARDED_ALLOW_IPS"}
    if given:
        env["FORWARDED_ALLOW_IPS"] = given
    out = subprocess.run([sys.executable, "-c", FORWARDED], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == [client]


@pytest.mark.parametrize(("header", "host"), [
    ("127.0.0.1:8611", "127.0.0.1"), ("LocalHost", "localhost"), ("[::1]:8501", "::1"),
    ("servicegap.example.com", "servicegap.example.com"), ("127.0.0.1:8611@evil.example", None),
    ("evil.example/127.0.0.1", None), ("127.0.0.1:8611:80", None), ("", None)])
def test_a_host_header_names_one_host_or_none(header, host):
    """allowed_hosts compares the host a Host header names; a header that is not one host and a port names
    none, so "127.0.0.1:8611@evil.example" no longer passes as 127.0.0.1."""
    from ui.guard import host_name

    assert host_name(header) == host


@pytest.mark.parametrize("lang", ["en", "ko", "zh"])
def test_streamlits_own_words_on_the_data_page_are_the_users(lang):
    """The uploaders' button and note (Streamlit's English, no parameter for them) are drawn in the
    catalogue's words, and an empty cell of the mapping grid is empty, not "None"."""
    from tests import real_exports as rx
    from ui.uploader import css_string

    at = app("pages/1_Data.py", lang=lang).run()
    at.file_uploader(key="w_upload").upload(*rx.hospital(), "text/csv")
    at.run()
    style = "\n".join(h.proto.body for h in at.get("html"))
    for key in ("w_upload", "w_mapping_up"):
        assert f".st-key-{key} " in style
    assert f"content: {css_string(t('uploader_button', lang))};" in style
    assert f"content: {css_string(t('uploader_note', lang, mb=200))};" in style
    editors = list(at.data_editor)
    assert editors and all(e.proto.HasField("placeholder") and e.proto.placeholder == "" for e in editors)


def test_catalogue_text_is_quoted_as_a_css_string():
    from ui.uploader import css_string

    assert css_string('또는 "여기" \\ 끝') == '"또는 \\"여기\\" \\\\ 끝"'
    assert css_string("a\nb</style>") == '"a\\a b\\3c /style>"'


def test_a_link_names_filter_values_in_the_command_line_s_syntax():
    """Quoted values in a link read as the command line reads them; the URL writes them back quoted."""
    at = app(**{"f.branch": '"Daegu", Busan'}).run()
    assert not at.exception
    assert at.session_state["sg_filters"] == {"branch": ["Daegu", "Busan"]}
    assert at.query_params["f.branch"] in ("Daegu,Busan", ["Daegu,Busan"])


def test_a_link_with_a_value_the_data_never_takes_keeps_the_rest_and_says_so():
    at = app(**{"f.branch": "Busan,Atlantis", "f.nope": "x"}).run()
    assert not at.exception
    assert at.session_state["sg_filters"] == {"branch": ["Busan"]}
    assert {m.label: m.value for m in at.metric}["Respondents"] == "268"
    said = " ".join(w.value for w in at.warning)
    assert "branch=Atlantis" in unescaped(said) and "nope=x" in unescaped(said)
