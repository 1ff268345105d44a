"""Benchmark of the booth in Debian's Chromium: encrypting a ballot on the voter's device, the
size of the booth's JavaScript, and the first contentful paint (issue 14, point 7).

Run: ``.venv/bin/python bench/booth.py [--runs 20]`` after ``make booth``. A demo election
(the sample manifest's ``north`` ballot style: five contests, 20 selections) is served by
``suffrage serve`` on loopback; Chromium (headless, Debian's package) opens the booth, a
voter marks one option per contest and encrypts the ballot ``--runs`` times (going back to
the review in between, as a voter who changes their mind does), and the booth's own
``performance.measure("booth:encrypt")`` gives each encryption with its proofs and
signature. Figures are printed with the targets (150 ms, 150 KB gzipped, 1 s), never
asserted.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser.chromium import launch_chromium  # noqa: E402
from suffrage.core import OsRandom  # noqa: E402
from suffrage.service.demo_election import make_demo_election  # noqa: E402
from suffrage.web.booth import BOOTH_FILES  # noqa: E402
from web.serving import free_port, start  # noqa: E402

TARGET_ENCRYPT_MS, TARGET_KB, TARGET_PAINT_MS = 150.0, 150.0, 1000.0


PAINT = """new Promise((resolve) => new PerformanceObserver((list) => {
    const paint = list.getEntriesByName("first-contentful-paint")[0];
    if (paint) resolve(paint.startTime);
}).observe({ type: "paint", buffered: true }))"""


def first_paints(browser: Browser, url: str, loads: int = 5) -> list[float]:
    """The first contentful paint of ``loads`` fresh loads of the booth (no cache)."""
    paints = []
    for _ in range(loads):
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        paints.append(float(page.evaluate(PAINT)))
        context.close()
    return paints


def encryptions(page: Page, url: str, code: str, runs: int) -> tuple[int, list[float]]:
    """A voter marks one option per contest and encrypts ``runs`` times; the number of
    selections and each encryption's duration (ms)."""
    page.goto(url)
    page.get_by_role("button", name="English").click()
    page.get_by_label("Credential code").fill(code)
    page.get_by_role("button", name="Continue").click()
    selections = 0
    while True:
        page.locator("fieldset legend h1").wait_for()
        selections += page.locator(".option").count()
        page.locator(".option label").first.click()
        review = page.get_by_role("button", name="Review my choices")
        if review.count():
            review.click()
            break
        page.get_by_role("button", name="Next").click()
    for _ in range(runs):
        page.get_by_role("button", name="Encrypt my ballot").click()
        page.get_by_role("button", name="Change my choices").click()
    times = page.evaluate("performance.getEntriesByName('booth:encrypt').map((e) => e.duration)")
    return selections, [float(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    script = (BOOTH_FILES / "booth.js").read_bytes()
    gzipped = len(gzip.compress(script, compresslevel=9)) / 1024
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch) / "election"
        codes = make_demo_election(directory, voters=2, now=datetime.now(UTC), rng=OsRandom())
        code = next(c for c, style in codes if style == "north")
        port = free_port()
        server = start(directory, port)
        url = f"http://127.0.0.1:{port}/booth"
        try:
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                paints = first_paints(browser, url)
                selections, times = encryptions(browser.new_context().new_page(), url, code, runs)
                browser.close()
        finally:
            server.terminate()
            server.wait()
    encrypt = statistics.median(times)
    paint = statistics.median(paints)
    print(f"booth in Chromium ({len(times)} encryptions of a ballot of {selections} selections)")
    print(
        f"  encrypt + prove + sign: median {encrypt:6.1f} ms (min {min(times):.1f}, max "
        f"{max(times):.1f}; the first {times[0]:.1f})  target {TARGET_ENCRYPT_MS:.0f} ms: "
        f"{encrypt / TARGET_ENCRYPT_MS:.2f}x"
    )
    print(
        f"  booth.js: {len(script) / 1024:.1f} KB, {gzipped:.1f} KB gzipped  target "
        f"{TARGET_KB:.0f} KB: {gzipped / TARGET_KB:.2f}x"
    )
    print(
        f"  first contentful paint: median {paint:.0f} ms of {len(paints)} loads  target "
        f"{TARGET_PAINT_MS:.0f} ms: {paint / TARGET_PAINT_MS:.2f}x"
    )


if __name__ == "__main__":
    main()
