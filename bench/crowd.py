"""A workshop on one server: N sessions that speak Streamlit's own websocket protocol (as a browser does,
without rendering: the measurement is the server's) tour the served app at once.

Each session opens the app (Home), goes to Dimensions, changes the branch filter five times (one or two
branches picked at random, seeded per session), visits the
Gap model, Drivers and Segments pages, steps through the presentation with Next five times and opens the
Report, with a think time between actions (uniform 0.5-1.5 x ``--think`` seconds, seeded). For each
action it records the time from sending it to the run's ``script_finished`` message, and counts errors
(an exception element, a lost connection, no finish within 60 s). Before the crowd, one session alone
takes the same tour while the server's CPU time is read around each action: the CPU per action kind
(a new session's first page, a page switch, a filter change, a button). The server is ``serve.py``
(the guard on) started with ``streamlit run``; ``--pin`` keeps it on CPU 0 and the clients on the others.

Run: ``.venv/bin/python bench/crowd.py --sessions 30 --think 10 --pin [--app DIR] [--defaults]`` (prints the
BENCHMARKS.md rows): ``--app`` runs the same calibration and crowds on an older tree first (a ``git worktree``), the
baseline in the same run; ``--defaults`` also calibrates with Streamlit's own defaults.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.served import ROOT, cpu_seconds, rss_mb, start_served
from bench.timing import stopwatch

FINISH_TIMEOUT = 60.0
TOUR = (("first page", ""), ("page switch", "Dimensions"), *(("filter change", "Dimensions"),) * 5,
        ("page switch", "Gap_model"), ("page switch", "Drivers"), ("page switch", "Segments"),
        ("page switch", "Present"), *(("button", "Present"),) * 5, ("page switch", "Report"))


@dataclass
class Session:
    """One protocol-level visitor: its socket, the widget ids it has seen, its timings and errors."""

    url: str
    widgets: dict[str, str] = field(default_factory=dict)  # widget key -> id, as the server named them
    options: list[str] = field(default_factory=list)  # the branch filter's options
    branches: list[str] | None = None  # the branches chosen last: kept on every later run, as a browser keeps them
    choices: random.Random = field(default_factory=lambda: random.Random(0))  # which branches this visitor picks
    timings: list[tuple[str, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    socket: ClientConnection | None = None

    def open(self) -> None:
        self.socket = connect(self.url.replace("http://", "ws://") + "/_stcore/stream", legacy=True,
                              subprotocols=["streamlit"], open_timeout=30, max_size=None, ping_interval=None)

    def act(self, kind: str, page: str) -> None:
        message = BackMsg()
        state = message.rerun_script
        state.page_name = page
        if kind == "filter change" and self.options:
            self.branches = self.choices.sample(self.options, self.choices.choice((1, 1, 2)))
        if self.branches is not None and "w_f_branch" in self.widgets:
            widget = state.widget_states.widgets.add()
            widget.id = self.widgets["w_f_branch"]
            widget.string_array_value.data.extend(self.branches)
        if kind == "button" and "w_present_next" in self.widgets:
            widget = state.widget_states.widgets.add()
            widget.id = self.widgets["w_present_next"]
            widget.trigger_value = True
        try:
            with stopwatch() as lap:
                self.socket.send(message.SerializeToString())
                self._until_finished()
        except Exception as exc:  # a lost connection or a run that never finished: counted, the tour goes on
            self.errors.append(f"{kind} {page}: {type(exc).__name__}")
            return
        self.timings.append((kind, lap.seconds))

    def _until_finished(self) -> None:
        deadline = time.monotonic() + FINISH_TIMEOUT
        while True:
            payload = self.socket.recv(timeout=max(0.1, deadline - time.monotonic()))
            message = ForwardMsg.FromString(payload)
            kind = message.WhichOneof("type")
            if kind == "script_finished":
                return
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                self._note(message.delta.new_element)

    def _note(self, element) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.errors.append(f"exception: {element.exception.message[:80]}")
        widget = getattr(element, kind, None)
        widget_id = getattr(widget, "id", "") if widget is not None else ""
        for key in ("w_f_branch", "w_present_next"):
            if widget_id.endswith(key):
                self.widgets[key] = widget_id
                if key == "w_f_branch":
                    self.options = list(widget.options)

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()


def tour(session: Session, think: float, seed: int, start: threading.Barrier | None) -> None:
    rng = random.Random(seed)
    if start is not None:
        start.wait()
    try:
        session.open()
    except Exception as exc:
        session.errors.append(f"connect: {type(exc).__name__}")
        return
    for kind, page in TOUR:
        session.act(kind, page)
        time.sleep(think * rng.uniform(0.5, 1.5))
    session.close()


def cpu_by_kind(url: str, pid: int) -> dict[str, float]:
    """One session alone: the server's CPU seconds around each action, averaged per kind."""
    session = Session(url)
    session.open()
    spent: dict[str, list[float]] = {}
    for kind, page in TOUR:
        time.sleep(0.5)  # let the previous run's follow-up work settle
        before = cpu_seconds(pid)
        session.act(kind, page)
        time.sleep(0.3)
        spent.setdefault(kind, []).append(cpu_seconds(pid) - before)
    session.close()
    return {kind: statistics.mean(values) for kind, values in spent.items()}


def crowd(url: str, sessions: int, think: float) -> tuple[list[tuple[str, float]], list[str], float]:
    start = threading.Barrier(sessions)
    visitors = [Session(url, choices=random.Random(1000 + k)) for k in range(sessions)]
    threads = [threading.Thread(target=tour, args=(v, think, k, start)) for k, v in enumerate(visitors)]
    with stopwatch() as lap:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return ([t for v in visitors for t in v.timings], [e for v in visitors for e in v.errors],
            lap.seconds)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


BASELINE = ("--runner.postScriptGC", "true", "--server.fileWatcherType", "auto")  # Streamlit's own defaults


def warm_up(url: str) -> None:
    """The demo study loaded and the libraries imported once, as on a workshop's server before it starts."""
    warm = Session(url, choices=random.Random(-1))
    warm.open()
    for kind, page in TOUR:
        warm.act(kind, page)
    warm.close()


def calibrate(pin: bool, options: tuple[str, ...], label: str, app: Path = ROOT) -> None:
    """One session's tour on a fresh server started with ``options``: CPU per action kind, and memory."""
    server, url = start_served(pin=pin, options=options, app=app)
    try:
        warm_up(url)
        cpu = cpu_by_kind(url, server.pid)
        print(f"{label}: server CPU per action, one session alone:",
              ", ".join(f"{kind} {seconds * 1000:.0f} ms" for kind, seconds in cpu.items()),
              f"(first page / filter change = {cpu['first page'] / cpu['filter change']:.1f}x);"
              f" resident {rss_mb(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 30, 50])
    parser.add_argument("--think", type=float, default=10.0)
    parser.add_argument("--pin", action="store_true")
    parser.add_argument("--app", type=Path, help="an older tree whose crowds run first, as the baseline")
    parser.add_argument("--defaults", action="store_true", help="also calibrate with Streamlit's defaults")
    args = parser.parse_args()
    if args.pin:
        os.sched_setaffinity(0, set(range(1, os.cpu_count() or 2)) or {0})
    if args.defaults:
        calibrate(args.pin, BASELINE, "baseline (Streamlit's GC after every run, file watcher)")
    for app in ([args.app.resolve()] if args.app else []) + [ROOT]:
        calibrate(args.pin, (), f"{app}: as configured (.streamlit/config.toml)", app)
        crowds(app, args.sessions, args.think, args.pin)


def crowds(app: Path, sessions: list[int], think: float, pin: bool) -> None:
    """The crowds of ``sessions`` one after another on one server of ``app``, warmed up by one tour."""
    server, url = start_served(pin=pin, app=app)
    try:
        warm_up(url)
        print(f"{app}:")
        print("| sessions | actions | p50 | p95 | max | errors | wall |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for count in sessions:
            timings, errors, wall = crowd(url, count, think)
            seconds = [s for _, s in timings]
            print(f"| {count} | {len(seconds)} | {percentile(seconds, 0.5):.2f} s | {percentile(seconds, 0.95):.2f} s "
                  f"| {max(seconds):.2f} s | {len(errors)} | {wall:.0f} s |")
            by_kind = {}
            for kind, value in timings:
                by_kind.setdefault(kind, []).append(value)
            print("   " + "; ".join(f"{kind}: p50 {percentile(v, 0.5):.2f} s, p95 {percentile(v, 0.95):.2f} s"
                                    for kind, v in by_kind.items()))
            if errors:
                print("   errors:", sorted(set(errors))[:5])
        print(f"resident after the crowd: {rss_mb(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
