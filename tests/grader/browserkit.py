"""Headless Chromium for the tests that open a page: Debian's chromium, driven by Playwright.

Not a test module: test_class_report.py and test_service_pages.py import it, each making its own
module-scoped `browser` fixture of `headless_chromium()`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# As root in a container: no sandbox, and nothing that reaches the network in the background.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def headless_chromium() -> Iterator[Any]:
    """Yield Playwright's Browser on Debian's chromium, with a fresh profile, and close it after;
    skip the test with the reason when chromium or Playwright is not installed."""
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed (pip install 'matgrade[browser]')"
    )
    with sync_api.sync_playwright() as driver:
        opened = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        yield opened
        opened.close()
