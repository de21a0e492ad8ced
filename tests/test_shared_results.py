"""The demo study's results are kept once for every session; an upload's never leave its session."""

from __future__ import annotations

import threading

from tests.conftest import FIXTURES
from tests.test_app import app, charts_sent, count_calls, uploaded
from ui import keys, state


def test_a_result_asked_for_by_many_sessions_at_once_is_computed_once():
    shared = state.KeptResults({}, state.SHARED_FACTOR)
    computed: list[int] = []
    release = threading.Event()

    def compute() -> list[int]:
        computed.append(1)
        release.wait(timeout=30)
        return [len(computed)]

    answers: list[object] = []
    threads = [threading.Thread(target=lambda: answers.append(shared.get("b", ("k",), compute, keep=2)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    # whatever the interleaving, one computation: later callers find the value or wait for the first
    assert computed == [1]
    assert len(answers) == 8 and all(answer is answers[0] for answer in answers)
    assert shared.computing == {}


def test_the_shared_results_keep_four_sessions_worth_per_bucket_the_newest_first():
    shared = state.KeptResults({}, state.SHARED_FACTOR)
    for k in range(12):
        shared.get("b", (k,), lambda k=k: k, keep=2)
    assert list(shared.buckets["b"]) == [(k,) for k in range(4, 12)]  # 2 x SHARED_FACTOR = 8, the oldest dropped
    shared.get("b", (4,), lambda: -1, keep=2)  # a hit: no computation, and 4 becomes the newest
    assert list(shared.buckets["b"])[-1] == (4,) and shared.buckets["b"][(4,)] == 4


def test_two_sessions_on_the_demo_share_one_analysis(monkeypatch):
    state.shared_results.clear()
    calls: list[str] = []
    count_calls(monkeypatch, calls, "analyze", state)
    first = app("pages/3_Dimensions.py").run()
    second = app("pages/3_Dimensions.py").run()
    assert not first.exception and not second.exception
    assert calls == ["analyze"]  # the second session's page was drawn from the first's analysis
    assert charts_sent(first) == charts_sent(second) and charts_sent(first)


def test_an_upload_s_results_stay_in_its_session():
    at = uploaded("고객설문_2026.csv", (FIXTURES / "good" / "korean_questions_cp949.csv").read_bytes())
    upload_key = at.session_state["sg_store"].data["sg_study"].key
    shared = state.shared_results()
    before = {bucket: list(cache) for bucket, cache in shared.buckets.items()}
    for page in ("pages/3_Dimensions.py", "pages/4_Gap_model.py", "pages/6_Segments.py"):
        at.switch_page(page).run()
        assert not at.exception
    held = at.session_state["sg_store"].data
    assert held[keys.READING_CACHE] and held[keys.CHART_CACHE] and held[keys.LAST_ANALYSIS]
    assert all(key[0] == upload_key for key in held[keys.LAST_ANALYSIS])
    assert {bucket: list(cache) for bucket, cache in shared.buckets.items()} == before
