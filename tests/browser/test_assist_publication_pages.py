"""The publication pages in Debian's Chromium (spec/assistance.md#12.5): a document's page
with its staff forms (publish, attach a new version, withdraw) and its versions, a form
refused with its error at its field and the summary focused, the published reports page
with the focal point's forms, and the notice at a withdrawn publication's own address: axe
finds 0 WCAG 2.2 A/AA violations in all six languages (Arabic right to left), every target
is at least 44 px high, and the pages do not scroll sideways on a phone. Screenshots go to
tests/browser/screenshots/ (English on a desktop, Arabic on a phone).

The registry before serving: the demo; document 11, a new version of the published
document 3 (published with it); document 2 withdrawn; report 1 published, report 2
published and withdrawn.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from browser.assist_kit import PASSWORD, page_problems, sign_in
from browser.chromium import (
    DEFAULT_VIEWPORT,
    PHONE_VIEWPORT,
    focused_class,
    save_screenshot,
)
from suffrage.assistance.demo import load_demo
from suffrage.assistance.service import Registry
from suffrage.assistance.storage import Store
from suffrage.i18n import LANGUAGES
from web.serving import free_port, start

WITHDRAWN = "Counted twice in the training figures."


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("assist-publications")
    url = f"sqlite:///{base / 'assistance.db'}"
    registry = Registry(Store(url))
    load_demo(registry, focal_name="demo-focal-point", password=PASSWORD)
    focal = registry.authenticate("demo-focal-point", PASSWORD)
    old = registry.show_document(focal, 3)
    fixed = replace(
        old.document,
        title=old.document.title + " (version corrigée)",
        body=old.document.body + "\n\nCorrection : les sessions régionales ont duré trois jours.",
    )
    corrected = registry.attach_document(focal, old.reference, fixed, supersedes=3)
    assert corrected.document_id == 11, "the demo no longer has ten documents"
    registry.withdraw_document(focal, 2, WITHDRAWN)
    registry.publish_report(focal, date(2026, 1, 1), date(2026, 6, 30))
    registry.publish_report(focal, date(2026, 1, 1), date(2026, 3, 31))
    registry.withdraw_report(focal, 2, "The period was cut short by mistake.")
    registry.store.close()
    (base / "election").mkdir()
    port = free_port()
    process = start(base / "election", port, "--assist-db", url)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait()


def _refused(page: Page, form: str, where: str) -> list[str]:
    """Send ``form`` empty: refused at its one field, the summary focused."""
    page.locator(f"form#{form} button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").count() == 1, where
    assert focused_class(page, "error-summary") == "error-summary", where
    assert page.locator('[aria-invalid="true"]').count() == 1, where
    return page_problems(page, where)


def test_the_publication_pages_pass_axe_in_all_six_languages(browser: Browser, server: str) -> None:
    staff = browser.new_context(viewport=DEFAULT_VIEWPORT)
    public = browser.new_context(viewport=DEFAULT_VIEWPORT)
    page, anyone = staff.new_page(), public.new_page()
    problems: list[str] = []
    try:
        sign_in(page, server)
        for language in LANGUAGES:
            page.goto(f"{server}/assist/documents/1?lang={language}")  # publish, new version
            assert page.locator("form#publish").count() == 1
            assert page.locator("form#version").count() == 1
            problems += page_problems(page, f"document 1 [{language}]")
            page.goto(f"{server}/assist/documents/11")  # version 2: versions, withdraw
            assert page.locator("form#withdraw").count() == 1
            assert page.locator("#versions").count() == 1
            problems += page_problems(page, f"document 11 [{language}]")
            problems += _refused(page, "withdraw", f"document 11 withdraw refused [{language}]")
            page.goto(f"{server}/assist/documents/3")  # superseded: the notice
            assert page.locator(".notice.superseded").count() == 1
            problems += page_problems(page, f"document 3 [{language}]")
            page.goto(f"{server}/assist/reports")
            assert page.locator("form#report").count() == 1
            assert page.locator("form#withdraw-1").count() == 1
            problems += page_problems(page, f"reports [{language}]")
            problems += _refused(page, "withdraw-1", f"report withdraw refused [{language}]")
            for path in ("/assist/documents/2", "/assist/reports/2/html"):
                answer = anyone.goto(f"{server}{path}?lang={language}")
                assert answer is not None
                assert answer.status == 410, path
                assert anyone.locator(".notice.withdrawn").count() == 1
                direction = "rtl" if language == "ar" else "ltr"
                assert anyone.evaluate("document.documentElement.dir") == direction
                problems += page_problems(anyone, f"{path} withdrawn [{language}]")
    finally:
        staff.close()
        public.close()
    assert problems == []


@pytest.mark.parametrize(
    ("language", "viewport", "name"),
    [
        ("en", DEFAULT_VIEWPORT, "assist-document-version-en-desktop"),
        ("ar", PHONE_VIEWPORT, "assist-document-version-ar-phone"),
    ],
)
def test_the_document_and_reports_pages_fit_and_are_saved(
    browser: Browser, server: str, language: str, viewport: Any, name: str
) -> None:
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    try:
        sign_in(page, server)
        for path, shot in (
            ("/assist/documents/11", name),
            ("/assist/reports", name.replace("document-version", "reports")),
        ):
            page.goto(f"{server}{path}?lang={language}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{path} scrolls sideways ({width} px)"
            assert save_screenshot(page, shot).stat().st_size > 10_000
        context.clear_cookies()
        page.goto(f"{server}/assist/documents/2?lang={language}")
        save_screenshot(page, name.replace("document-version", "withdrawn"))
    finally:
        context.close()
