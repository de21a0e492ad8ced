"""Many users at once: ten browser sessions upload ten different studies at the same time, and each
sees only its own respondents and branch names."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.e2e.test_browser import wait_ready

pytestmark = pytest.mark.e2e
SESSIONS = 10


def study_csv(index: int) -> bytes:
    """A small study of its own: 30 + index respondents in branches named after the session."""
    rng = np.random.default_rng(index)
    n = 30 + index
    frame = pd.DataFrame({"branch": [f"S{index}-{'AB'[i % 2]}" for i in range(n)]})
    for level in "EP":
        for k in range(1, 23):
            frame[f"{level}{k}"] = rng.integers(1, 8, n)
    return frame.to_csv(index=False).encode("utf-8")


def test_ten_concurrent_sessions_each_see_only_their_own_study(browser, server, tmp_path):
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(SESSIONS)]
    pages = [c.new_page() for c in contexts]
    try:
        for page in pages:
            page.set_default_timeout(120_000)
            page.goto(f"{server}/Data")
        for page in pages:
            wait_ready(page)
        files = []
        for index in range(SESSIONS):
            path = tmp_path / f"study_{index}.csv"
            path.write_bytes(study_csv(index))
            files.append(path)
        # all ten uploads are in flight before any is waited for
        for page, path in zip(pages, files, strict=True):
            page.locator('[data-testid="stFileUploader"]').first.locator(
                '[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
        for index, page in enumerate(pages):
            expect(page.get_by_text(f"Loaded {30 + index} respondents.")).to_be_visible(timeout=120_000)
        for index, page in enumerate(pages):
            page.locator('[data-testid="stSidebar"]').get_by_role("link", name="Home").click()
            wait_ready(page)
            metric = page.locator('[data-testid="stMetric"]').first
            expect(metric).to_contain_text(f"{30 + index}", timeout=60_000)
            page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
            # the list opens after the click returns: read it once its options are drawn, not before
            expect(page.get_by_role("option", name=f"S{index}-A")).to_be_visible(timeout=60_000)
            options = [o for o in page.get_by_role("option").all_inner_texts() if o != "Select all"]
            page.keyboard.press("Escape")
            assert sorted(options) == [f"S{index}-A", f"S{index}-B"], (index, options)
            text = page.locator('[data-testid="stMain"]').inner_text()
            others = [f"S{j}-" for j in range(SESSIONS) if j != index]
            assert not any(o in text for o in others)
    finally:
        for context in contexts:
            context.close()
