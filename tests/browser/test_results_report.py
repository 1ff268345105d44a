"""The HTML results report in Debian's Chromium: axe-core finds no WCAG 2.2 A/AA violation
at a desktop's and a phone's size, in English, Arabic (right to left) and Chinese; the page
loads nothing from anywhere (served with ``default-src 'none'`` but inline style and
images); nothing overflows the phone's width but the tables' own scrolling regions; and the
screenshots are saved for a person to look at (tests/browser/screenshots/results-*.png,
linked from the README)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from browser.chromium import PHONE_VIEWPORT, axe_violations, save_screenshot, serve_directory, watch
from suffrage.core import SeededRandom
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.reports.html import results_html
from suffrage.reports.results import load_results
from suffrage.service.election import run_election

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of one small election, in three languages, as files to serve."""
    out = tmp_path_factory.mktemp("results")
    record = out / "record"
    run_election(load_sample_manifest(), voters=12, rng=SeededRandom(26), out=record)
    site = out / "site"
    site.mkdir()
    for language in ("en", "ar", "zh"):
        html = results_html(load_results(record, language=language))
        (site / f"{language}.html").write_text(html, encoding="utf-8")
    return site


def _described(violations: list[dict[str, object]]) -> str:
    return "\n".join(f"{v['id']}: {v['help']}: {v['nodes']}" for v in violations)


@pytest.mark.parametrize("language", ["en", "ar", "zh"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_results_page_is_accessible_and_self_contained(
    page: Page, pages: Path, language: str, device: str
) -> None:
    if device == "phone":
        page.set_viewport_size(PHONE_VIEWPORT)
    log = watch(page)
    with serve_directory(pages, {"Content-Security-Policy": CSP}) as base:
        page.goto(f"{base}/{language}.html")
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page)
        save_screenshot(page, f"results-{language}-{device}")
        page.locator("#contests h3").first.scroll_into_view_if_needed()
        save_screenshot(page, f"results-{language}-{device}-contest", full_page=False)
        page.locator("section.contest h4").last.scroll_into_view_if_needed()
        save_screenshot(page, f"results-{language}-{device}-ranked", full_page=False)
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    assert violations == [], _described(violations)
    assert log.console_errors == []
    assert log.page_errors == []
    assert overflow <= 0, f"the page is {overflow}px wider than the {device} screen"
    direction = page.evaluate("() => document.documentElement.dir")
    assert direction == ("rtl" if language == "ar" else "ltr")


def test_the_page_names_winners_in_words_and_embeds_a_titled_chart_per_contest(
    page: Page, pages: Path
) -> None:
    with serve_directory(pages) as base:
        page.goto(f"{base}/en.html")
        charts = page.locator("figure.chart svg")
        assert charts.count() == 7  # five homomorphic contests, the IRV and the STV
        assert charts.first.locator("title").count() == 1
        ids = page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)")
        assert len(ids) == len(set(ids)), "duplicate ids in the page"
        council = page.locator("section.contest", has_text="City council")
        assert council.locator("tr.won").count() == 5  # the lists that won a seat (seed 26)
        text = council.inner_text()
    assert "Threshold: 5.00% of the valid votes" in text
    assert "lot among" in text
    assert "Seed " in text
    with serve_directory(pages) as base:
        page.goto(f"{base}/en.html")
        stv = page.locator("section.contest", has_text="North district council")
        assert stv.locator("table").count() == 2  # first preferences, then the stages
        assert stv.locator("tr.won").count() == 6  # three elected, in each table
        text = stv.inner_text()
    assert "The count, round by round" in text
    assert "Excluded at stage" in text
