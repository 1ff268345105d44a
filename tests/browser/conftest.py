"""Fixtures for the tests that run pages in Debian's Chromium (see browser/chromium.py): one
browser for the session, a fresh context and page for each test, and an election server
(``suffrage serve`` on a demo election) for the session."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from browser.chromium import DEFAULT_VIEWPORT, chromium_executable, launch_chromium
from suffrage.core import SeededRandom
from suffrage.service.demo_election import make_demo_election
from web.serving import free_port, start


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Debian Chromium, for the whole session."""
    try:
        chromium_executable()
    except RuntimeError as missing:
        pytest.fail(str(missing), pytrace=False)
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a new browser context (no cookies or storage from another test), 1280x800,
    with every page's Content-Security-Policy enforced (no ``bypass_csp``)."""
    context = browser.new_context(viewport=DEFAULT_VIEWPORT)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(scope="session")
def election_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``suffrage serve`` on a demo election open now (4 voters), in its own process;
    yields its base URL, ``http://127.0.0.1:PORT``."""
    directory: Path = tmp_path_factory.mktemp("browser") / "election"
    make_demo_election(directory, voters=4, now=datetime.now(UTC), rng=SeededRandom(11))
    port = free_port()
    server = start(directory, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()
