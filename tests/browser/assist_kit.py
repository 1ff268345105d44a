"""What the registry's browser tests share (spec/assistance.md#12): signing in through the
login form, and the problems a page must not have (axe-core's WCAG 2.2 A/AA violations, and
targets under 44 px high)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from browser.chromium import axe_violations

__all__ = ["PASSWORD", "page_problems", "sign_in"]

PASSWORD = "demo password 2026"


def sign_in(page: Page, base: str, name: str = "demo-focal-point") -> None:
    page.goto(f"{base}/assist/login?lang=en")
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/assist/requests")


def page_problems(page: Page, where: str) -> list[str]:
    """Each axe-core violation, and each link, button or field under 44 px high (WCAG 2.2
    2.5.5 at AAA, which the pages meet), named with ``where``."""
    found = [f"{where}: {v['id']} {v['help']} {v['nodes'][:2]}" for v in axe_violations(page)]
    small: list[dict[str, Any]] = page.evaluate(
        """() => [...document.querySelectorAll('a, button, input, select')]
            .filter(e => e.type !== 'hidden')
            .map(e => ({html: e.outerHTML.slice(0, 80), h: e.getBoundingClientRect().height}))
            .filter(e => e.h < 44)"""
    )
    return found + [f"{where}: target under 44 px: {s}" for s in small]
