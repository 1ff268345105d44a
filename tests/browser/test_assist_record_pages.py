"""The records' forms in Debian's Chromium (issue 19 points 6 and 7; spec/assistance.md#12.4):
record an activity (a request's page, the activities page), add an expert, add a user, and the
page that shows a new token once, the users' access (a token revoked, a user suspended, a
suspension refused for want of a reason) and a user's own tokens page. axe-core finds 0 WCAG
2.2 A/AA violations on each, as offered (with the notice of a record just made) and refused
(the form sent empty: the error summary takes the focus, one field is marked), in all six
languages; each target is at least 44 px high. Screenshots, English on a desktop and Arabic
on a phone, go to tests/browser/screenshots/ for a person to look at (STYLE.md habit 17).
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
from suffrage.assistance.access import Role, User
from suffrage.assistance.coordination import Activity
from suffrage.assistance.demo import load_demo
from suffrage.assistance.domain import Entity, Kind, Phase
from suffrage.assistance.roster import Expert, Region
from suffrage.assistance.service import Registry
from suffrage.assistance.storage import Store
from suffrage.i18n import LANGUAGES
from web.serving import free_port, start

SHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int]]]:
    """``suffrage serve`` on the demo registry, with one activity (overlapping UNDP's), one
    expert and one user just recorded; the ids of those three."""
    base = tmp_path_factory.mktemp("assist-records")
    url = f"sqlite:///{base / 'assistance.db'}"
    registry = Registry(Store(url))
    load_demo(registry, focal_name="demo-focal-point", password=PASSWORD)
    focal = registry.authenticate("demo-focal-point", PASSWORD)
    rights = Activity(
        entity=Entity.OHCHR,
        country="NPL",
        phase=Phase.PRE_ELECTORAL,
        kind=Kind.TECHNICAL_ASSISTANCE,
        starts=date(2026, 6, 1),
        ends=date(2026, 9, 30),
        title="Rights monitoring of the registration drive",
    )
    activity, found = registry.add_activity(focal, rights, "EA-2026-0001")
    assert found, "the activity no longer overlaps UNDP's: the notice shows no flag"
    expert = registry.add_expert(
        focal,
        Expert(
            name="Amina Fictional-Okafor",
            skills=("voter registration",),
            languages=("fr", "ar"),
            regions=(Region.AFRICA,),
            availability=((date(2027, 1, 4), date(2027, 6, 30)),),
            joined_on=date(2026, 12, 1),
        ),
    )
    user = registry.add_user(focal, User(name="ci robot", role=Role.EAD_STAFF), None)
    ids = {"activity": activity.activity_id or 0, "expert": expert.expert_id or 0}
    ids["user"] = user.user_id or 0
    # access withdrawn (spec/assistance.md#6.1): a live and a revoked token, a suspended user
    registry.issue_token_for(focal, ids["user"], "ci pipeline")
    registry.issue_token_for(focal, ids["user"], "old laptop")
    registry.revoke_token(focal, registry.user_access(focal)[-1].tokens[-1].token_id)
    registry.issue_token(focal, "focal point's laptop")
    dpo = next(u for u in registry.list_users(focal) if u.name == "demo-dpo")
    registry.suspend_user(focal, dpo.user_id or 0, "Left the division on 30 November")
    registry.store.close()
    (base / "election").mkdir()
    port = free_port()
    process = start(base / "election", port, "--assist-db", url)
    try:
        yield f"http://127.0.0.1:{port}", ids
    finally:
        process.terminate()
        process.wait()


def _forms(ids: dict[str, int]) -> tuple[tuple[str, str, str], ...]:
    """Each form: the page that offers it (with the notice of a record just made), the
    form's action, the field an empty form is refused at."""
    return (
        (
            f"/assist/requests/EA-2026-0001?recorded={ids['activity']}",
            "/assist/requests/EA-2026-0001/activity",
            "activity_entity",
        ),
        (f"/assist/activities?recorded={ids['activity']}", "/assist/activities", "activity_entity"),
        (f"/assist/experts?added={ids['expert']}", "/assist/experts", "expert_name"),
        (f"/assist/users?added={ids['user']}", "/assist/users", "user_role"),
    )


def _send_empty(page: Page, action: str) -> None:
    page.locator(f'form[method="post"][action="{action}"] button[type="submit"]').click()
    page.wait_for_load_state()


def test_each_records_form_passes_axe_offered_and_refused_in_all_six_languages(
    browser: Browser, server: tuple[str, dict[str, int]]
) -> None:
    base, ids = server
    context = browser.new_context(viewport=DEFAULT_VIEWPORT)
    page = context.new_page()
    log = watch(page)
    problems: list[str] = []
    try:
        sign_in(page, base)
        for language in LANGUAGES:
            for path, action, field in _forms(ids):
                page.goto(f"{base}{path}&lang={language}")
                assert page.locator('[role="status"]').count() == 1, f"{path}: no notice"
                problems += page_problems(page, f"{path} [{language}]")
                _send_empty(page, action)
                where = f"{action} refused [{language}]"
                assert page.locator(".error-summary").count() == 1, where
                focused = focused_class(page, "error-summary")
                assert focused == "error-summary", f"{where}: focus {focused!r}"
                invalid = page.locator('[aria-invalid="true"]')
                assert invalid.count() == 1, where
                assert invalid.first.get_attribute("id") == field, where
                problems += page_problems(page, where)
            suspend = f"/assist/users/{ids['user']}/suspend"  # on the users page, refused
            _send_empty(page, suspend)
            assert focused_class(page, "error-summary") == "error-summary", suspend
            invalid = page.locator('[aria-invalid="true"]')
            assert invalid.first.get_attribute("id") == f"suspend_reason_{ids['user']}"
            problems += page_problems(page, f"{suspend} refused [{language}]")
            page.locator(f'form[action="/assist/users/{ids["user"]}/token"] button').click()
            page.wait_for_load_state()
            assert page.locator("#token").count() == 1, f"no token shown [{language}]"
            problems += page_problems(page, f"token page [{language}]")
            page.goto(f"{base}/assist/tokens?lang={language}")
            problems += page_problems(page, f"own tokens page [{language}]")
    finally:
        context.close()
    assert problems == []
    refused = "the server responded with a status of 400 (Bad Request)"  # the refusals sent
    assert [e for e in log.console_errors if refused not in e] == []
    assert log.page_errors == []


@pytest.mark.parametrize(
    ("language", "viewport", "suffix"),
    [("en", DEFAULT_VIEWPORT, "en-desktop"), ("ar", PHONE_VIEWPORT, "ar-phone")],
)
def test_the_records_pages_fit_their_screen_and_are_saved(
    browser: Browser, server: tuple[str, dict[str, int]], language: str, viewport: Any, suffix: str
) -> None:
    """Each form refused (the summary at the top, the error at its field), the activity
    recorded with its overlap, and the token page: nothing scrolls sideways."""
    base, ids = server
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    SHOTS.mkdir(exist_ok=True)
    shots = []
    try:
        sign_in(page, base)
        for (path, action, _), name in zip(
            _forms(ids), ("request-activity", "activities", "expert", "users"), strict=True
        ):
            page.goto(f"{base}{path}&lang={language}")
            if name == "request-activity":
                shots.append((f"assist-recorded-{suffix}", page.screenshot(full_page=True)))
            _send_empty(page, action)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{name} scrolls sideways ({width} px)"
            shots.append((f"assist-{name}-error-{suffix}", page.screenshot(full_page=True)))
        page.goto(f"{base}/assist/users?lang={language}")
        _send_empty(page, f"/assist/users/{ids['user']}/suspend")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the users page scrolls sideways ({width} px)"
        shots.append((f"assist-access-error-{suffix}", page.screenshot(full_page=True)))
        page.locator(f'form[action="/assist/users/{ids["user"]}/token"] button').click()
        page.wait_for_load_state()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the token page scrolls sideways ({width} px)"
        shots.append((f"assist-token-{suffix}", page.screenshot(full_page=True)))
        page.goto(f"{base}/assist/tokens?lang={language}")
        shots.append((f"assist-own-tokens-{suffix}", page.screenshot(full_page=True)))
    finally:
        context.close()
    for name, png in shots:
        (SHOTS / f"{name}.png").write_bytes(png)
        assert len(png) > 10_000
