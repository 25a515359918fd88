"""Issue 12, item 6: a deep link is the first request a fresh server gets, and it works.

Each case starts its own ``streamlit run`` (a fresh process, so Streamlit's legacy
``pages/`` discovery answers the first request) and opens a page other than the
default one directly in Chromium.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest

from test_app import ROOT, build_sample_store
from test_browser import CHROMIUM, CHROMIUM_ARGS, free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_sample_store(tmp_path_factory.mktemp("deep") / "samples.duckdb")


@pytest.mark.parametrize("path,marker", [("sources", "Documents ("), ("events", "events match the filters"),
                                         ("quality", "Unresolved dates")])
def test_6_deep_link_on_a_fresh_server_opens_that_page_in_its_frame(store, tmp_path, path, marker):
    from playwright.sync_api import sync_playwright

    port = free_port()
    log = open(tmp_path / "streamlit.log", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env={**os.environ, "TIMELINE_DB": str(store)}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                    break
            except OSError:
                assert proc.poll() is None and time.time() < deadline, "streamlit did not start"
                time.sleep(0.3)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.set_default_timeout(120_000)
            page.goto(f"{url}/{path}")  # the server's very first request
            page.get_by_text(marker).first.wait_for()
            page.wait_for_selector('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')
            time.sleep(1.5)  # a "Page not found" dialog would be up by now
            body = page.inner_text("body")
            assert "Page not found" not in body
            assert page.url.rstrip("/").endswith(f"/{path}")
            assert not page.locator('[data-testid="stException"]').count()
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
