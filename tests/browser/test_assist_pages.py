"""The registry's pages in Debian's Chromium (issue 19 point 7; spec/assistance.md#10): axe-core
finds 0 WCAG 2.2 A/AA violations on every page in all six languages (Arabic right to left),
served by ``suffrage serve --assist-db`` with the page's Content-Security-Policy enforced;
the skip link shows on the first Tab; every target is at least 44 px high; at 640 px wide
(1280 px at 200 % zoom) and on a phone nothing is cut off sideways. Screenshots of a request's
page, in English on a desktop and in Arabic on a phone, go to /tmp/shots/ for a person to
look at (STYLE.md habit 17).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from browser.assist_kit import PASSWORD, page_problems, sign_in
from browser.chromium import (
    DEFAULT_VIEWPORT,
    PHONE_VIEWPORT,
    focused_class,
    watch,
)
from suffrage.assistance.demo import load_demo
from suffrage.assistance.service import Registry
from suffrage.assistance.storage import Store
from suffrage.i18n import LANGUAGES
from web.serving import free_port, start

SHOTS = Path("/tmp/shots")
PAGES = (
    "/assist/requests",
    "/assist/requests/EA-2026-0001",
    "/assist/activities",
    "/assist/roster",
    "/assist/experts?do=search&skill=voter+education",
    "/assist/experts?do=match&skills=legal+framework",  # the purpose missing: an error shown
    "/assist/documents?q=registration",
    "/assist/documents/1",  # the demo's first document, in English
    "/assist/reports",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``suffrage serve`` on a new election with the demo registry under /assist."""
    base = tmp_path_factory.mktemp("assist-pages")
    url = f"sqlite:///{base / 'assistance.db'}"
    registry = Registry(Store(url))
    load_demo(registry, focal_name="demo-focal-point", password=PASSWORD)
    focal = registry.authenticate("demo-focal-point", PASSWORD)
    registry.publish_report(focal, date(2026, 1, 1), date(2026, 6, 30))
    first = registry.show_document(focal, 1)
    assert first.document.language == "en", "the demo's first document is no longer English"
    registry.store.close()
    (base / "election").mkdir()
    port = free_port()
    process = start(base / "election", port, "--assist-db", url)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait()


def _with_lang(path: str, language: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={language}"


def test_every_page_passes_axe_in_all_six_languages(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport=DEFAULT_VIEWPORT)
    page = context.new_page()
    log = watch(page)
    problems: list[str] = []
    try:
        for language in LANGUAGES:  # the sign-in page, as the public sees it
            page.goto(f"{server}/assist/login?lang={language}")
            problems += page_problems(page, f"login [{language}]")
        page.goto(f"{server}/assist/login?lang=en")
        sign_in(page, server, "demo-ead")
        for language in LANGUAGES:
            for path in PAGES:
                page.goto(server + _with_lang(path, language))
                direction = "rtl" if language == "ar" else "ltr"
                assert page.evaluate("document.documentElement.lang") == language
                assert page.evaluate("document.documentElement.dir") == direction
                problems += page_problems(page, f"{path} [{language}]")
    finally:
        context.close()
    assert problems == []
    assert log.console_errors == []  # the CSP blocked nothing the pages need
    assert log.page_errors == []


def test_the_skip_link_shows_on_the_first_tab_and_leads_to_main(
    browser: Browser, server: str
) -> None:
    context = browser.new_context(viewport=DEFAULT_VIEWPORT)
    page = context.new_page()
    try:
        page.goto(f"{server}/assist/roster?lang=en")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.className")
        assert focused == "skip"
        box = page.locator("a.skip").bounding_box()
        assert box is not None
        assert box["y"] >= 0  # moved on screen when focused
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
    finally:
        context.close()


@pytest.mark.parametrize(
    ("language", "viewport", "name"),
    [
        ("en", DEFAULT_VIEWPORT, "assist-request-en-desktop"),
        ("ar", PHONE_VIEWPORT, "assist-request-ar-phone"),
        ("ar", {"width": 640, "height": 800}, "assist-request-ar-200pct"),
    ],
)
def test_the_request_page_fits_its_screen_and_is_saved_as_a_screenshot(
    browser: Browser, server: str, language: str, viewport: Any, name: str
) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        sign_in(page, server, "demo-ead")
        page.goto(f"{server}/assist/requests/EA-2026-0001?lang={language}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the page scrolls sideways ({width} px)"
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        assert (SHOTS / f"{name}.png").stat().st_size > 10_000
    finally:
        context.close()


STEP_FORMS = (  # the demo's request, and the workflow steps its state offers the focal point
    ("", ("new",)),  # the requests page: a new request
    ("EA-2026-0005", ("plan",)),
    ("EA-2026-0004", ("assess",)),
    ("EA-2026-0002", ("decide",)),
    ("EA-2026-0001", ("advance", "close", "attach")),
)


def _send_empty(page: Page, step: str) -> None:
    """Send the step's form empty: the service refuses it (nothing is written)."""
    action = '[action="/assist/requests"]' if step == "new" else f'[action$="/{step}"]'
    page.locator(f'form[method="post"]{action} button[type="submit"]').click()
    page.wait_for_load_state()


def test_each_workflow_form_passes_axe_empty_and_with_its_error_in_all_six_languages(
    browser: Browser, server: str
) -> None:
    """spec/assistance.md#12.1: each form as offered, then refused with its error tied to
    its field and the error summary focused, in each language; nothing is written (the
    forms are sent empty), so the other tests see the demo unchanged."""
    context = browser.new_context(viewport=DEFAULT_VIEWPORT)
    page = context.new_page()
    log = watch(page)
    problems: list[str] = []
    try:
        page.goto(f"{server}/assist/login?lang=en")
        sign_in(page, server, "demo-focal-point")
        for language in LANGUAGES:
            for reference, steps in STEP_FORMS:
                path = f"/assist/requests/{reference}".rstrip("/")
                page.goto(f"{server}{path}?lang={language}")
                problems += page_problems(page, f"{path} forms [{language}]")
                for step in steps:
                    page.goto(f"{server}{path}")
                    _send_empty(page, step)
                    assert page.locator(".error-summary").count() == 1, f"{step} [{language}]"
                    focused = focused_class(page, "error-summary")
                    assert focused == "error-summary", f"{step} [{language}]: focus {focused!r}"
                    invalid = page.locator('[aria-invalid="true"]').count()
                    assert invalid == 1, f"{step} [{language}]: {invalid} fields marked"
                    problems += page_problems(page, f"{path} {step} error [{language}]")
    finally:
        context.close()
    assert problems == []
    refused = "the server responded with a status of 400 (Bad Request)"  # the refusals sent
    assert [e for e in log.console_errors if refused not in e] == []
    assert log.page_errors == []


@pytest.mark.parametrize(
    ("language", "viewport", "name"),
    [
        ("en", DEFAULT_VIEWPORT, "assist-decide-error-en-desktop"),
        ("ar", PHONE_VIEWPORT, "assist-decide-error-ar-phone"),
    ],
)
def test_the_decide_form_with_an_error_fits_its_screen_and_is_saved(
    browser: Browser, server: str, language: str, viewport: Any, name: str
) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        sign_in(page, server, "demo-focal-point")
        page.goto(f"{server}/assist/requests/EA-2026-0002?lang={language}")
        page.locator("#outcome-assist_with_conditions").check()
        page.locator("#reasons").fill("needs established")
        _send_empty(page, "decide")  # conditions left empty: refused at that field
        assert page.locator("#conditions-error").count() == 1
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the page scrolls sideways ({width} px)"
        page.locator("#step-decide").scroll_into_view_if_needed()
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
        assert (SHOTS / f"{name}.png").stat().st_size > 10_000
    finally:
        context.close()
