"""The browser tests' own tools, on real pages: Debian's Chromium loads the election server's
pages with no request to another origin, axe-core checks them for WCAG 2.2 A and AA (and
does fail a page that breaks it, under the booth's Content-Security-Policy, which stays
enforced), and screenshots are taken at a desktop's and a phone's size."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from browser.chromium import (
    PHONE_VIEWPORT,
    axe_results,
    axe_violations,
    other_origin_requests,
    save_screenshot,
    serve_directory,
    watch,
)

PAGES = Path(__file__).resolve().parent / "pages"
CSP = "default-src 'self'"


def described(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + "; ".join(f"{n['target']} {n['html']}" for n in v["nodes"])
        for v in violations
    )


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", header[16:24])
    return width, height


@pytest.mark.parametrize("path", ["/", "/docs"])
def test_the_servers_pages_load_from_the_server_alone(
    page: Page, election_server: str, path: str
) -> None:
    log = watch(page)
    answer = page.goto(election_server + path)
    assert answer is not None
    assert answer.ok, answer.status
    page.wait_for_load_state("networkidle")
    assert log.requests, "no request recorded"
    assert other_origin_requests(log.requests, election_server) == []
    # The server has no /favicon.ico (reported); Chromium asks for it by itself.
    errors = [e for e in log.console_errors if not e.endswith("/favicon.ico]")]
    assert errors == []
    assert log.page_errors == []


def test_axe_finds_no_wcag_violation_on_the_home_page(page: Page, election_server: str) -> None:
    page.goto(election_server + "/")
    result = axe_results(page)
    assert result["testEngine"]["name"] == "axe-core"
    assert result["passes"], "axe-core ran no check that passed"
    violations = axe_violations(page)
    assert violations == [], described(violations)


def test_axe_finds_no_wcag_violation_on_the_api_page(page: Page, election_server: str) -> None:
    page.goto(election_server + "/docs")
    violations = axe_violations(page)
    assert violations == [], described(violations)


def test_axe_fails_a_page_that_breaks_wcag_under_a_strict_csp(page: Page) -> None:
    with serve_directory(PAGES, {"Content-Security-Policy": CSP}) as origin:
        log = watch(page)
        page.goto(origin + "/violations.html")
        page.wait_for_load_state("networkidle")
        found = {v["id"]: v for v in axe_violations(page)}
    assert {"image-alt", "color-contrast"} <= set(found), described(list(found.values()))
    assert found["image-alt"]["nodes"][0]["target"] == ["img"]
    assert 'class="faint"' in found["color-contrast"]["nodes"][0]["html"]
    # The policy held while axe ran: the page's inline script was refused.
    assert page.title() == "Known violations"
    assert any("Content Security Policy" in error for error in log.console_errors)
    assert other_origin_requests(log.requests, origin) == []


def test_screenshots_of_the_home_page_at_a_desktops_and_a_phones_size(
    page: Page, browser: Browser, election_server: str
) -> None:
    page.goto(election_server + "/")
    desktop = save_screenshot(page, "home-1280x800", full_page=False)
    assert png_size(desktop) == (1280, 800)

    context = browser.new_context(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        phone.goto(election_server + "/")
        shot = save_screenshot(phone, "home-390x844", full_page=False)
    finally:
        context.close()
    assert png_size(shot) == (390, 844)
