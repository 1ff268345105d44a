"""Access withdrawn and given back on the pages (spec/assistance.md#12.4 and #6.1), on SQLite
and PostgreSQL: the focal point suspends a user (a reason required) and reinstates them, and
revokes a token; a user revokes their own. A suspended user's open session ends at once,
their sign-in gets the wrong password's answer (401) and their token 401; a revoked token
401. Each refusal gets its status, its error at its field or at the user's section with the
focused summary, and nothing is stored. The lists never show a token or its digest."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from suffrage.assistance import storage as db
from suffrage.assistance.access_tables import suspensions, token_revocations
from suffrage.assistance.service import Registry
from web.assist_kit import PASSWORD, assist_client, focal_user, page_csrf, sign_in


def _id(registry: Registry, name: str) -> int:
    found = next(u for u in registry.list_users(focal_user(registry)) if u.name == name)
    return found.user_id or 0


def _stored(registry: Registry) -> tuple[int, int, int]:
    """The history's length and the revocation and suspension rows: what a refusal keeps."""
    with registry.store.engine.connect() as conn:
        return (
            db.count(conn, db.history),
            db.count(conn, token_revocations),
            db.count(conn, suspensions),
        )


def _plain(html: str) -> str:
    """The text of some HTML, without its tags."""
    return re.sub(r"<[^>]+>", "", html)


def _summary(answer: str) -> str:
    found = re.search(r'<div class="error-summary"[^>]*>.*?</div>', answer)
    assert found, "no error summary"
    assert "autofocus" in found.group(0)
    return found.group(0).replace("&#x27;", "'")


def test_a_suspended_users_session_sign_in_and_token_end_and_reinstating_restores_them(
    client: TestClient, registry: Registry
) -> None:
    ead = _id(registry, "demo-ead")
    robot_token = registry.issue_token(registry.authenticate("demo-ead", PASSWORD), "ci")
    with assist_client(registry) as other:  # demo-ead signed in elsewhere
        sign_in(other, "demo-ead")
        assert other.get("/assist/requests").status_code == 200
        csrf = sign_in(client, "demo-focal-point")
        answer = client.post(
            f"/assist/users/{ead}/suspend", data={"csrf": csrf, "reason": "left the division"}
        )
        assert answer.status_code == 303, answer.text[:500]
        assert answer.headers["location"] == f"/assist/users?suspended={ead}"
        page = client.get(answer.headers["location"]).text
        assert 'role="status"' in page
        assert "User suspended" in page
        section = re.search(rf'<section [^>]*id="access-{ead}".*?</section>', page)
        assert section, "no section for demo-ead"
        moment = r"\d{4}-\d\d-\d\d \d\d:\d\d UTC"
        assert re.search(rf"Suspended since {moment} by demo-focal-point", _plain(section.group(0)))
        assert "left the division" in section.group(0)
        assert f'action="/assist/users/{ead}/reinstate"' in section.group(0)
        assert f'action="/assist/users/{ead}/suspend"' not in page
        # the open session ended at once: the pages treat it as the public's
        gone = other.get("/assist/requests")
        assert (gone.status_code, gone.headers["location"]) == (
            303,
            "/assist/login?next=/assist/requests",
        )
        login = other.get("/assist/login")
        wrong = other.post(
            "/assist/login",
            data={"csrf": page_csrf(login.text), "name": "demo-ead", "password": "x"},
        )
        right = other.post(
            "/assist/login",
            data={"csrf": page_csrf(login.text), "name": "demo-ead", "password": PASSWORD},
        )
        assert right.status_code == wrong.status_code == 401
        assert _flash(right.text) == _flash(wrong.text)  # a stranger learns nothing
        bearer = {"authorization": f"Bearer {robot_token}"}
        refused = other.get("/assist/requests", headers=bearer)
        assert refused.status_code == 401
        assert "suspended" in refused.text
        back = client.post(f"/assist/users/{ead}/reinstate", data={"csrf": csrf})
        assert (back.status_code, back.headers["location"]) == (
            303,
            f"/assist/users?reinstated={ead}",
        )
        assert "User reinstated" in client.get(back.headers["location"]).text
        assert other.get("/assist/requests", headers=bearer).status_code == 200
        sign_in(other, "demo-ead")
    with registry.store.engine.connect() as conn:
        actions = [e.action for e in db.history_entries(conn)][-2:]
    assert actions == ["user suspended", "user reinstated"]
    assert registry.check_history(focal_user(registry)) > 0


def _flash(page: str) -> str:
    found = re.search(r'<div role="alert" class="error-summary"><p>(.*?)</p>', page)
    assert found, "no message on the sign-in page"
    return found.group(1)


def test_a_suspension_without_a_reason_is_refused_at_its_field(
    client: TestClient, registry: Registry
) -> None:
    before, ead = _stored(registry), _id(registry, "demo-ead")
    csrf = sign_in(client, "demo-focal-point")
    answer = client.post(f"/assist/users/{ead}/suspend", data={"csrf": csrf, "reason": "  "})
    assert answer.status_code == 400
    field = f"suspend_reason_{ead}"
    summary = _summary(answer.text)
    assert f'href="#{field}"' in summary
    assert "Give the reason for the suspension." in summary
    assert "a suspension gives its reason" in summary
    assert f'id="{field}-error"' in answer.text
    tied = re.search(rf'id="{field}"[^>]*aria-describedby="([^"]*)"', answer.text)
    assert tied
    assert f"{field}-error" in tied.group(1).split()
    assert answer.text.count('aria-invalid="true"') == 1
    assert _stored(registry) == before


def test_the_focal_point_cannot_suspend_themself_and_a_repeat_is_refused(
    client: TestClient, registry: Registry
) -> None:
    focal = _id(registry, "demo-focal-point")
    before = _stored(registry)
    csrf = sign_in(client, "demo-focal-point")
    page = client.get("/assist/users").text
    assert f'action="/assist/users/{focal}/suspend"' not in page  # not offered
    assert "You cannot suspend yourself" in page
    answer = client.post(f"/assist/users/{focal}/suspend", data={"csrf": csrf, "reason": "bye"})
    assert answer.status_code == 400
    summary = _summary(answer.text)
    assert f'href="#access-{focal}"' in summary
    assert "may not suspend themself" in summary
    assert _stored(registry) == before
    ead = _id(registry, "demo-ead")
    answer = client.post(f"/assist/users/{ead}/reinstate", data={"csrf": csrf})
    assert answer.status_code == 400
    assert "demo-ead is not suspended" in _summary(answer.text)
    assert (
        client.post("/assist/users/999/suspend", data={"csrf": csrf, "reason": "x"}).status_code
        == 404
    )
    assert _stored(registry) == before


def test_the_focal_point_revokes_a_token_listed_without_its_secret(
    client: TestClient, registry: Registry
) -> None:
    csrf = sign_in(client, "demo-focal-point")
    undp = _id(registry, "demo-undp")
    issued = client.post(f"/assist/users/{undp}/token", data={"csrf": csrf})
    shown = re.search(r'id="token" dir="ltr">([^<]+)</code>', issued.text)
    assert shown
    token = shown.group(1)
    page = client.get("/assist/users").text
    assert token not in page
    assert not re.search(r"[0-9a-f]{64}", page)
    section = re.search(rf'<section [^>]*id="access-{undp}".*?</section>', page)
    assert section
    assert "issued on the pages by demo-focal-point" in section.group(0)
    number = re.search(r'action="/assist/tokens/(\d+)/revoke"', section.group(0))
    assert number
    answer = client.post(f"/assist/tokens/{number.group(1)}/revoke", data={"csrf": csrf})
    assert (answer.status_code, answer.headers["location"]) == (
        303,
        f"/assist/users?revoked={number.group(1)}",
    )
    page = client.get(answer.headers["location"]).text
    assert "revoked: it is refused from now on" in page
    moment = r"\d{4}-\d\d-\d\d \d\d:\d\d UTC"
    assert re.search(rf"Revoked {moment} by demo-focal-point", _plain(page))
    assert f'action="/assist/tokens/{number.group(1)}/revoke"' not in page
    refused = client.get("/assist/roster", headers={"authorization": f"Bearer {token}"})
    assert refused.status_code == 401
    assert re.search(r"this token was revoked on \d{4}-\d\d-\d\d<", refused.text)
    before = _stored(registry)
    again = client.post(f"/assist/tokens/{number.group(1)}/revoke", data={"csrf": csrf})
    assert again.status_code == 400
    summary = _summary(again.text)
    assert f'href="#access-{undp}"' in summary
    assert "already revoked" in summary
    assert _stored(registry) == before
    with registry.store.engine.connect() as conn:
        entry = list(db.history_entries(conn))[-1]
    assert (entry.action, entry.subject) == ("token revoked", f"user:{undp}")
    assert token not in str(entry.details)


def test_a_user_revokes_their_own_token_on_their_tokens_page(
    client: TestClient, registry: Registry
) -> None:
    ead = registry.authenticate("demo-ead", PASSWORD)
    mine = registry.issue_token(ead, "laptop")
    csrf = sign_in(client, "demo-ead")
    page = client.get("/assist/tokens")
    assert page.status_code == 200
    assert "laptop" in page.text
    assert mine not in page.text
    number = re.search(r'action="/assist/tokens/(\d+)/revoke"', page.text)
    assert number
    answer = client.post(f"/assist/tokens/{number.group(1)}/revoke", data={"csrf": csrf})
    assert (answer.status_code, answer.headers["location"]) == (
        303,
        f"/assist/tokens?revoked={number.group(1)}",
    )
    assert "Token revoked" in client.get(answer.headers["location"]).text
    again = client.post(f"/assist/tokens/{number.group(1)}/revoke", data={"csrf": csrf})
    assert again.status_code == 400
    assert "already revoked" in _summary(again.text)
    assert (
        client.get("/assist/roster", headers={"authorization": f"Bearer {mine}"}).status_code == 401
    )


@pytest.mark.parametrize("name", ["demo-ead", "demo-undp", "demo-liaison-npl"])
def test_other_roles_get_403_and_nothing_is_stored(
    client: TestClient, registry: Registry, name: str
) -> None:
    focal = focal_user(registry)
    registry.issue_token(focal, "focal's own")
    with registry.store.engine.connect() as conn:
        theirs = db.one(conn, db.tokens, label="focal's own")
    assert theirs is not None
    before, ead = _stored(registry), _id(registry, "demo-dpo")
    csrf = sign_in(client, name)
    reason = {"csrf": csrf, "reason": "x"}
    assert client.post(f"/assist/users/{ead}/suspend", data=reason).status_code == 403
    assert client.post(f"/assist/users/{ead}/reinstate", data={"csrf": csrf}).status_code == 403
    answer = client.post(f"/assist/tokens/{theirs['id']}/revoke", data={"csrf": csrf})
    assert answer.status_code == 403
    assert "may revoke only their own tokens" in answer.text
    assert _stored(registry) == before


def test_without_the_csrf_token_403_and_the_public_signs_in_first(
    client: TestClient, registry: Registry
) -> None:
    registry.issue_token(focal_user(registry), "x")
    before, ead = _stored(registry), _id(registry, "demo-ead")
    answer = client.get("/assist/tokens")
    assert (answer.status_code, answer.headers["location"]) == (
        303,
        "/assist/login?next=/assist/tokens",
    )
    sign_in(client, "demo-focal-point")
    forged = {"csrf": "forged", "reason": "x"}
    assert client.post(f"/assist/users/{ead}/suspend", data=forged).status_code == 403
    assert client.post(f"/assist/users/{ead}/reinstate", data=forged).status_code == 403
    assert client.post("/assist/tokens/1/revoke", data=forged).status_code == 403
    assert _stored(registry) == before
