"""The status report on electoral assistance in Debian's Chromium (spec/assistance.md#11):
axe-core finds no WCAG 2.2 A/AA violation in English and Arabic (right to left), nothing
loads from anywhere, nothing overflows a phone's width but the tables' own scrolling regions,
and screenshots are saved for a person to look at: /tmp/shots/status-report-{en,ar}-*.png."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from assistance.status_kit import END, START, build
from browser.chromium import PHONE_VIEWPORT, axe_violations, serve_directory, watch
from suffrage.assistance.status_render import report_html

SHOTS = Path("/tmp/shots")
CSP = "default-src 'none'; style-src 'unsafe-inline'"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-built registry's report for the first quarter of 2026, in en and ar."""
    out = tmp_path_factory.mktemp("status")
    hand = build(f"sqlite:///{out / 'assistance.db'}")
    try:
        report = hand.registry.status_report(hand.staff, START, END)
    finally:
        hand.registry.store.close()
    for language in ("en", "ar"):
        (out / f"{language}.html").write_text(report_html(report, language), encoding="utf-8")
    return out


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_status_report_is_accessible_and_self_contained(
    page: Page, site: Path, language: str, device: str
) -> None:
    if device == "phone":
        page.set_viewport_size(PHONE_VIEWPORT)
    log = watch(page)
    with serve_directory(site, {"Content-Security-Policy": CSP}) as base:
        page.goto(f"{base}/{language}.html")
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"status-report-{language}-{device}.png"), full_page=True)
        page.locator("#impartiality-h").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"status-report-{language}-{device}-impartiality.png"))
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        direction = page.evaluate("() => document.documentElement.dir")
    assert violations == [], "\n".join(f"{v['id']}: {v['help']}: {v['nodes']}" for v in violations)
    assert log.console_errors == []
    assert log.page_errors == []
    assert overflow <= 0, f"the page is {overflow}px wider than the {device} screen"
    assert direction == ("rtl" if language == "ar" else "ltr")
