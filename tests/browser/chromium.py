"""Helpers for the tests that run pages in a real browser: Debian's Chromium
(/usr/bin/chromium, installed by ``make setup``/``make test``) driven by Playwright's sync
API, with no downloaded browser; axe-core (web/booth's devDependency, from npm) for the
WCAG checks; screenshots; and a local HTTP server for pages made by the tests.

axe-core and the Content-Security-Policy: ``page.add_script_tag(path=...)`` puts the file's
text into an inline ``<script>``, which a policy of ``default-src 'self'`` (the booth's)
blocks. Playwright's ``bypass_csp=True`` would let it through, but only by switching the
policy off for the whole browser context: the page under test would then run inline scripts
and apply inline styles that a voter's browser refuses, so a test could pass on a page that
is broken (or laid out differently) for real. :func:`axe_violations` instead evaluates
axe's source through the DevTools protocol (``page.evaluate``), which the page's policy does
not govern: the policy stays enforced for everything the page itself does, and axe checks
the page exactly as a voter's browser renders it.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, ViewportSize

__all__ = [
    "AXE_SOURCE",
    "CHROMIUM_ARGS",
    "DEFAULT_VIEWPORT",
    "PHONE_VIEWPORT",
    "SCREENSHOTS",
    "WCAG_TAGS",
    "PageLog",
    "axe_results",
    "axe_violations",
    "chromium_executable",
    "launch_chromium",
    "other_origin_requests",
    "save_screenshot",
    "serve_directory",
    "watch",
]

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = ROOT / "web" / "booth" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
"""Where :func:`save_screenshot` writes (ignored by git)."""

WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
"""axe-core's rule tags for WCAG 2.0, 2.1 and 2.2, levels A and AA."""

DEFAULT_VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
PHONE_VIEWPORT: ViewportSize = {"width": 390, "height": 844}

CHROMIUM_ARGS = (
    # As root (CI runs as root) Chromium refuses to start with its sandbox.
    "--no-sandbox",
    # No connection to anything but the pages under test (the machine has no network):
    # Playwright already adds --disable-background-networking, --disable-component-update
    # and --disable-sync.
    "--disable-quic",
    "--disable-gpu",
)


def chromium_executable() -> str:
    """Debian's Chromium, or a failure that says how to install it."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file():
        raise RuntimeError(
            "Chromium not found (no `chromium` on PATH, no /usr/bin/chromium): the browser "
            "tests drive Debian's chromium package, which `make setup` and `make test` "
            "install when it is missing (apt-get install chromium)"
        )
    return path


def launch_chromium(playwright: Playwright) -> Browser:
    """A headless Debian Chromium (never a browser downloaded by ``playwright install``)."""
    return playwright.chromium.launch(
        executable_path=chromium_executable(), args=list(CHROMIUM_ARGS), headless=True
    )


def _inject_axe(page: Page) -> None:
    if not AXE_SOURCE.is_file():
        raise RuntimeError(
            f"{AXE_SOURCE} not found: `make setup` installs web/booth's npm packages (npm ci)"
        )
    if page.evaluate("() => typeof window.axe === 'undefined'"):
        # Evaluated through the DevTools protocol: not subject to the page's CSP (see above).
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8") + "\n;undefined")


def axe_results(page: Page, *, tags: Sequence[str] = WCAG_TAGS) -> dict[str, Any]:
    """axe-core's whole result on ``page`` as it is now, with only the rules of ``tags``
    (``violations``, ``passes``, ``incomplete``, ``inapplicable``, ...)."""
    _inject_axe(page)
    result: dict[str, Any] = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return JSON.parse(JSON.stringify(r));
        }""",
        list(tags),
    )
    return result


def _summary(rule: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": rule["id"],
        "impact": rule.get("impact"),
        "help": rule["help"],
        "helpUrl": rule.get("helpUrl"),
        "nodes": [
            {
                "target": node["target"],
                "html": node.get("html", ""),
                "failureSummary": node.get("failureSummary", ""),
            }
            for node in rule["nodes"]
        ],
    }


def axe_violations(page: Page, *, tags: Sequence[str] = WCAG_TAGS) -> list[dict[str, Any]]:
    """The WCAG violations axe-core finds on ``page``: each rule's ``id``, ``impact``,
    ``help``, ``helpUrl`` and its failing ``nodes`` (``target`` selectors, ``html``,
    ``failureSummary``). Fails if axe found nothing to check at all (it did not run)."""
    result = axe_results(page, tags=tags)
    assert result.get("passes") or result.get("violations"), "axe-core checked nothing"
    return [_summary(rule) for rule in result["violations"]]


def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """``page`` as a PNG in tests/browser/screenshots/NAME.png (for a person to look at)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@dataclass
class PageLog:
    """What a page did: every request's URL, the console's errors (a blocked script or
    style, a failed load, ...; each followed by ``[URL]`` where the browser gives one),
    and the uncaught exceptions. Chromium's own request for ``/favicon.ico`` is no
    request event, but its failure is a console error."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


def watch(page: Page) -> PageLog:
    """Record from now on every request ``page`` makes, and its errors."""
    log = PageLog()

    def on_request(request: Request) -> None:
        log.requests.append(request.url)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url")
            log.console_errors.append(f"{message.text} [{where}]" if where else message.text)

    def on_page_error(error: Exception) -> None:
        log.page_errors.append(str(error))

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    return log


def other_origin_requests(urls: Sequence[str], origin: str) -> list[str]:
    """The URLs that are not on ``origin`` (scheme, host and port, e.g.
    ``http://127.0.0.1:8123``)."""
    allowed = urlsplit(origin)
    return [
        url
        for url in urls
        if (urlsplit(url).scheme, urlsplit(url).netloc) != (allowed.scheme, allowed.netloc)
    ]


class _Handler(http.server.SimpleHTTPRequestHandler):
    extra_headers: Mapping[str, str] = {}

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_directory(directory: Path, headers: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve ``directory`` over HTTP on a free loopback port, each answer with ``headers``
    (e.g. a Content-Security-Policy); yields the base URL, ``http://127.0.0.1:PORT``."""
    handler = type("Handler", (_Handler,), {"extra_headers": dict(headers or {})})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def focused_class(page: Page, expected: str, timeout_ms: int = 5000) -> str:
    """The class of the element that has the focus, once it is ``expected`` or after
    ``timeout_ms``: Chromium moves the focus to an ``autofocus`` element during its
    rendering steps, a little after the load event, later on a busy machine. Polled from
    here with ``page.evaluate``: ``wait_for_function`` evaluates a string in the page, which
    the pages' Content-Security-Policy (no 'unsafe-eval') refuses."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        found = str(page.evaluate("document.activeElement ? document.activeElement.className : ''"))
        if found == expected or time.monotonic() > deadline:
            return found
        page.wait_for_timeout(50)
