"""What the registry's page tests share (spec/assistance.md#12): the demo's password, the
pages' clock, a client on the assist router, and signing in through the login form."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient

from suffrage.assistance.access import User
from suffrage.assistance.service import Registry
from suffrage.web.assist import assist_router

__all__ = ["NOW", "PASSWORD", "assist_client", "focal_user", "page_csrf", "sign_in"]

PASSWORD = "demo password 2026"
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def assist_client(registry: Registry, base_url: str = "http://testserver") -> TestClient:
    """A client on the registry's pages alone, redirects not followed (tests check them)."""
    app = FastAPI()
    app.include_router(assist_router(registry, secret=b"k" * 32, clock=lambda: NOW))
    return TestClient(app, base_url=base_url, follow_redirects=False)


def focal_user(registry: Registry) -> User:
    return registry.authenticate("demo-focal-point", PASSWORD)


def page_csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Sign in through the form; the new session's CSRF token."""
    form = client.get("/assist/login")
    answer = client.post(
        "/assist/login", data={"csrf": page_csrf(form.text), "name": name, "password": password}
    )
    assert answer.status_code == 303, answer.text
    return page_csrf(client.get("/assist/roster").text)
