"""Where the served app spends a filter change, page by page: the server (``serve.py``, pinned to one core) is
sampled by py-spy while a protocol-level session (``bench.crowd.Session``) changes the branch filter to settings
no session has asked for (new: every page gets its own subsets of the five branches, so no page finds what another
computed) and back to the last ones (returns).

Each sample is charged to the innermost frame of ours or of a library we call into: ``gapcore`` outside
``present`` (the statistics of the new setting), ``gapcore.present`` (chart frames, tables, readings), Altair
(specs), ``ui``/``pages`` (our page code), Streamlit (elements, Arrow, the script runner); pandas or numpy under one
of them count for it. The figures are milliseconds of the server's CPU per change (py-spy's samples at ``--rate``),
to set beside ``bench/floor.py``'s floor of the same page.

Run: ``.venv/bin/python bench/served_profile.py [--changes 4] [--rate 500] [--pages Dimensions Present]``.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.crowd import Session, warm_up
from bench.pyspy import PY_SPY, innermost, raw_stacks
from bench.rerun import BRANCHES
from bench.served import start_served

PAGES = ("Home", "Dimensions", "Gap_model", "Drivers", "Segments", "Report", "Present")
# innermost first: the first frame whose file matches names what the sample is charged to (py-spy writes a file
# as its module path: ``fn (gapcore/cells.py:12)``; a page as its file name: ``fn (3_Dimensions.py:40)``)
PARTS = (("statistics (gapcore)", re.compile(r"\(gapcore/(?!present/)")),
         ("charts, tables, words (gapcore.present)", re.compile(r"\(gapcore/present/")),
         ("Altair specs", re.compile(r"\(altair/")),
         ("our page code (ui, pages)", re.compile(r"\((ui/|app\.py|\d_\w+\.py)")),
         ("Streamlit", re.compile(r"\(streamlit/")))
OTHER = "other (server loop)"
PAGE_FRAME = re.compile(r"\((app\.py|\d_\w+\.py):")


def part_of(frames: list[str]) -> tuple[str, str]:
    """The part a stack is charged to, and the page's line that leads there (``dimensions_page
    (3_Dimensions.py:61)``), if a page's."""
    found = innermost(frames, PARTS)
    if found is None:
        return OTHER, ""
    name, depth = found
    lines = [f for f in frames[:depth + 1] if PAGE_FRAME.search(f)]
    return name, lines[-1] if lines else ""


def sampled(pid: int, rate: int, work) -> collections.Counter:
    """Run ``work()`` while py-spy samples ``pid``; the samples per (part, calling frame of ours)."""
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "profile.txt"
        spy = subprocess.Popen([PY_SPY, "record", "-p", str(pid), "-r", str(rate), "-f", "raw", "-o", str(raw),
                                "--nonblocking"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.5)  # py-spy attached
        work()
        time.sleep(0.5)
        spy.send_signal(2)
        spy.wait(timeout=60)
        counts: collections.Counter = collections.Counter()
        for frames, count in raw_stacks(raw):
            counts[part_of(frames)] += count
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--changes", type=int, default=4)
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--pages", nargs="*", default=list(PAGES))
    parser.add_argument("--callers", type=int, default=0, help="also the N page calls that cost most, per part")
    args = parser.parse_args()
    os.sched_setaffinity(0, set(range(1, os.cpu_count() or 2)) or {0})
    subsets = [list(c) for k in (1, 2, 3, 4) for c in itertools.combinations(BRANCHES, k)]
    random.Random(0).shuffle(subsets)
    if len(subsets) < args.changes * len(args.pages):  # 30 subsets of the five branches
        raise SystemExit(f"at most {len(subsets)} new settings in all")
    server, url = start_served(pin=True)
    try:
        warm_up(url)
        print(f"server CPU per filter change, ms (py-spy at {args.rate} Hz; {args.changes} changes each)")
        for k, page in enumerate(args.pages):
            session = Session(url)
            session.open()
            address = "" if page == "Home" else page  # the protocol names the entry page by no name
            session.act("page switch", address)
            settings = subsets[k * args.changes:(k + 1) * args.changes]

            def visit(chosen: list[list[str]], session: Session = session, address: str = address) -> None:
                for branches in chosen:
                    session.branches = branches
                    session.act("setting", address)
                    time.sleep(0.3)

            new = sampled(server.pid, args.rate, partial(visit, settings))
            back = sampled(server.pid, args.rate, partial(visit, settings[::-1]))
            session.close()
            if session.errors:
                raise SystemExit(f"{page}: {session.errors}")
            for label, counts in (("new", new), ("return", back)):
                ms: collections.Counter = collections.Counter()
                for (part, _), n in counts.items():
                    ms[part] += n * 1000 / args.rate / args.changes
                print(f"{page} {label}: {sum(ms.values()):.0f} ms — " + ", ".join(
                    f"{part} {value:.1f}" for part, value in ms.most_common()))
                for (part, caller), n in counts.most_common(args.callers):
                    print(f"    {n * 1000 / args.rate / args.changes:5.1f} ms  {part} ← {caller or '-'}")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
