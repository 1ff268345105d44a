"""The registry's pages through HTTP (issue 19 points 6 and 7; spec/assistance.md#12):
sign-in and sign-out, sessions and CSRF, what each role may see, a liaison kept to its own
State (404 for another's request), expert reads logged, the language switcher."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistance.kit import demo_registry  # tests/ is on sys.path
from suffrage.assistance import storage as db
from suffrage.assistance.service import Registry
from suffrage.i18n import LANGUAGES
from suffrage.service.lifecycle import ElectionLife
from suffrage.web.app import create_app
from suffrage.web.assist import assist_router
from suffrage.web.assist_session import COOKIE
from web.assist_kit import NOW, PASSWORD, assist_client, page_csrf, sign_in


@pytest.fixture(params=["sqlite", "postgresql"])
def registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Registry]:
    """The demo registry (one user of each role, five requests, activities, 24 experts)."""
    made = demo_registry(request, tmp_path_factory, PASSWORD)
    focal = made.authenticate("demo-focal-point", PASSWORD)
    made.publish_report(focal, date(2026, 1, 1), date(2026, 6, 30))
    yield made
    made.store.close()


def test_signing_in_sets_a_signed_http_only_strict_cookie_and_opens_the_requests(
    client: TestClient,
) -> None:
    form = client.get("/assist/login")
    assert form.status_code == 200
    answer = client.post(
        "/assist/login",
        data={"csrf": page_csrf(form.text), "name": "demo-ead", "password": PASSWORD},
    )
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "path=/assist" in cookie
    assert "secure" not in cookie  # over http; see the https test
    home = client.get("/assist/")
    assert home.headers["location"] == "/assist/requests"
    page = client.get("/assist/requests").text
    for reference in ("EA-2026-0001", "EA-2026-0002", "EA-2026-0005"):
        assert reference in page
    assert "Signed in as demo-ead, EAD staff" in page


def test_over_https_the_session_cookie_is_secure(registry: Registry) -> None:
    with assist_client(registry, "https://testserver") as client:
        answer = client.get("/assist/login")
        assert "secure" in answer.headers["set-cookie"].lower()


def test_a_wrong_password_is_refused_with_the_error_tied_to_the_field(client: TestClient) -> None:
    form = client.get("/assist/login")
    answer = client.post(
        "/assist/login",
        data={"csrf": page_csrf(form.text), "name": "demo-ead", "password": "not the password"},
    )
    assert answer.status_code == 401
    assert "Unknown user or wrong password." in answer.text
    assert 'aria-describedby="password-error" aria-invalid="true"' in answer.text
    assert client.get("/assist/requests").status_code == 303  # still not signed in


@pytest.mark.parametrize("token", ["", "forged-token"])
def test_a_form_without_the_sessions_csrf_token_is_refused(client: TestClient, token: str) -> None:
    client.get("/assist/login")  # a session, with its token
    answer = client.post(
        "/assist/login", data={"csrf": token, "name": "demo-ead", "password": PASSWORD}
    )
    assert answer.status_code == 403
    assert "Form refused" in answer.text
    assert client.get("/assist/requests").status_code == 303


def test_a_post_with_no_session_at_all_is_refused(registry: Registry) -> None:
    """A cross-site form sends no cookie (SameSite=Strict): a fresh session has no token yet."""
    with assist_client(registry) as client:
        token = page_csrf(client.get("/assist/login").text)
    with assist_client(registry) as other:
        answer = other.post(
            "/assist/login", data={"csrf": token, "name": "demo-ead", "password": PASSWORD}
        )
    assert answer.status_code == 403


def test_signing_in_starts_a_new_session_with_a_new_csrf_token(client: TestClient) -> None:
    before = page_csrf(client.get("/assist/login").text)
    sign_in(client, "demo-ead")
    after = page_csrf(client.get("/assist/requests").text)
    assert after != before


def test_signing_out_needs_the_token_then_ends_the_session(client: TestClient) -> None:
    sign_in(client, "demo-ead")
    page = client.get("/assist/requests")
    refused = client.post("/assist/logout", data={"csrf": "wrong"})
    assert refused.status_code == 403
    assert client.get("/assist/requests").status_code == 200  # still signed in
    answer = client.post("/assist/logout", data={"csrf": page_csrf(page.text)})
    assert answer.status_code == 303
    assert f'{COOKIE}=""' in answer.headers["set-cookie"]
    again = client.get("/assist/requests")
    assert again.status_code == 303
    assert again.headers["location"] == "/assist/login?next=/assist/requests"


def test_a_copy_of_the_cookie_is_worth_nothing_after_sign_out(
    client: TestClient, registry: Registry
) -> None:
    sign_in(client, "demo-ead")
    copied = client.cookies[COOKIE]
    elsewhere = TestClient(client.app, follow_redirects=False)  # the same user, another browser
    sign_in(elsewhere, "demo-ead")
    page = client.get("/assist/requests")
    assert client.post("/assist/logout", data={"csrf": page_csrf(page.text)}).status_code == 303
    thief = TestClient(client.app, follow_redirects=False)
    thief.cookies.set(COOKIE, copied, path="/assist")
    answer = thief.get("/assist/requests")
    assert answer.status_code == 303  # the public: sign in first
    assert answer.headers["location"] == "/assist/login?next=/assist/requests"
    assert elsewhere.get("/assist/requests").status_code == 200  # only that session ended
    body = copied.rpartition(".")[0]
    secret = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))["s"]
    with registry.store.engine.connect() as conn:  # the registry keeps only a digest
        stored = [r["digest"] for r in db.rows(conn, db.sessions)]
    assert secret not in stored
    assert len(stored) == 2


def test_a_tampered_session_cookie_is_no_session(client: TestClient) -> None:
    sign_in(client, "demo-ead")
    value = client.cookies[COOKIE]
    body, _, mac = value.rpartition(".")
    client.cookies.set(COOKIE, body + "." + mac[:-2] + ("AA" if mac[-2:] != "AA" else "BB"))
    assert client.get("/assist/requests").status_code == 303


def test_a_liaison_sees_only_its_states_requests_and_gets_404_for_anothers(
    client: TestClient,
) -> None:
    sign_in(client, "demo-liaison-npl")
    listed = client.get("/assist/requests").text
    assert "EA-2026-0001" in listed  # Nepal's
    assert "EA-2026-0002" not in listed  # Bolivia's
    own = client.get("/assist/requests/EA-2026-0001")
    assert own.status_code == 200
    assert "NPL" in own.text
    other = client.get("/assist/requests/EA-2026-0002")
    missing = client.get("/assist/requests/EA-2026-9999")
    assert other.status_code == missing.status_code == 404
    assert "no request &#x27;EA-2026-0002&#x27;" in other.text
    assert other.text.replace("0002", "9999") == missing.text  # the same answer
    assert "BOL" not in other.text


def test_the_public_sees_the_figures_but_no_request(client: TestClient) -> None:
    roster = client.get("/assist/roster")
    assert roster.status_code == 200
    assert "fewer than 5" in roster.text
    assert "Okafor" not in roster.text  # no individual
    refused = client.get("/assist/requests")
    assert refused.status_code == 303
    sign_in(client, "demo-public")
    assert client.get("/assist/").headers["location"] == "/assist/roster"
    assert client.get("/assist/requests").status_code == 403
    assert client.get("/assist/requests/EA-2026-0001").status_code == 403


def test_an_implementing_entity_sees_activities_but_not_the_experts(client: TestClient) -> None:
    sign_in(client, "demo-undp")
    page = client.get("/assist/activities")
    assert page.status_code == 200
    assert page.text.count('class="flag"') == 2  # UNDP's and DPO's trainings, flagged
    assert "UNDP and DPO overlap from 2026-11-01 to 2026-12-31" in re.sub(r"<[^>]+>", "", page.text)
    refused = client.get("/assist/experts")
    assert refused.status_code == 403
    assert "may not read experts" in refused.text


def test_the_request_page_shows_the_history_with_hashes_and_the_chains_check(
    client: TestClient, registry: Registry
) -> None:
    sign_in(client, "demo-ead")
    page = client.get("/assist/requests/EA-2026-0001").text
    staff = registry.authenticate("demo-ead", PASSWORD)
    entries = registry.request_history(staff, "EA-2026-0001")
    for entry in entries:
        assert entry.hash.hex() in page
    total = registry.check_history(staff)
    assert f"The chain holds: {total} entries checked." in page
    assert "adequate time" in page  # the para. 5 conditions, each answered
    assert "Activities in Nepal" in page
    assert page.count('class="flag"') == 2


def test_an_expert_search_logs_the_read_of_every_expert_shown(
    client: TestClient, registry: Registry
) -> None:
    sign_in(client, "demo-ead")
    staff = registry.authenticate("demo-ead", PASSWORD)
    before = len(registry.access_log(staff))
    page = client.get("/assist/experts", params={"do": "search", "skill": "voter education"})
    assert page.status_code == 200
    log = registry.access_log(staff)[before:]
    assert log, "the search found nobody: the test shows nothing"
    assert {row["actor"] for row in log} == {"demo-ead"}
    assert all("skill=voter education" in row["what"] for row in log)
    assert f"Experts found: {len(log)}" in page.text
    results = page.text.split('<h2 id="search">')[0]  # the add form below offers the words
    assert "woman" not in results  # self-descriptions never shown one by one


def test_a_match_without_its_purpose_is_refused_at_the_field_and_reads_nothing(
    client: TestClient, registry: Registry
) -> None:
    sign_in(client, "demo-focal-point")
    focal = registry.authenticate("demo-focal-point", PASSWORD)
    before = len(registry.access_log(focal))
    page = client.get("/assist/experts", params={"do": "match", "skills": "legal framework"})
    assert 'id="purpose-error"' in page.text
    assert 'aria-describedby="purpose-error" aria-invalid="true"' in page.text
    assert len(registry.access_log(focal)) == before
    done = client.get(
        "/assist/experts",
        params={"do": "match", "skills": "legal framework", "purpose": "assessment NPL"},
    )
    assert "skills: legal framework (1 of 1)" in done.text
    assert all(r["what"] == "match for assessment NPL" for r in registry.access_log(focal)[before:])


def test_a_bad_region_is_refused_by_name(client: TestClient) -> None:
    sign_in(client, "demo-ead")
    page = client.get("/assist/experts", params={"do": "search", "region": "atlantis"})
    assert page.status_code == 400
    assert "&#x27;atlantis&#x27; is not one of africa" in page.text


def test_an_api_token_is_accepted_as_bearer(client: TestClient, registry: Registry) -> None:
    staff = registry.authenticate("demo-ead", PASSWORD)
    token = registry.issue_token(staff, "web test")
    page = client.get("/assist/requests", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200
    assert "EA-2026-0003" in page.text
    assert "set-cookie" not in page.headers  # no session for a token
    wrong = client.get("/assist/requests", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_carries_its_language_and_direction(client: TestClient, language: str) -> None:
    page = client.get("/assist/roster", params={"lang": language})
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page.text
    assert "suffrage_assist_lang=" + language in page.headers["set-cookie"]
    kept = client.get("/assist/login")  # the cookie keeps the choice
    assert f'<html lang="{language}"' in kept.text


def test_pages_carry_the_security_headers(client: TestClient) -> None:
    page = client.get("/assist/login")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["cache-control"] == "no-store"
    css = client.get("/assist/static/assist.css")
    assert css.headers["content-type"].startswith("text/css")


def test_the_next_page_after_sign_in_stays_on_this_site(client: TestClient) -> None:
    form = client.get("/assist/login", params={"next": "//evil.example/"})
    assert 'name="next" value=""' in form.text
    answer = client.post(
        "/assist/login",
        data={
            "csrf": page_csrf(form.text),
            "name": "demo-ead",
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert answer.headers["location"] == "/assist/"


def test_the_election_server_mounts_the_pages_when_given_them(
    tmp_path: Path, registry: Registry
) -> None:
    (tmp_path / "election").mkdir()
    life = ElectionLife(tmp_path / "election", clock=lambda: NOW, new=True)
    try:
        app = create_app(life, assist=assist_router(registry, clock=lambda: NOW))
        with TestClient(app) as client:
            assert client.get("/assist/roster").status_code == 200
        bare = create_app(life)
        with TestClient(bare) as client:
            assert client.get("/assist/roster").status_code == 404
    finally:
        life.close()


def test_the_public_finds_only_published_documents(client: TestClient) -> None:
    found = client.get("/assist/documents", params={"q": "登记"})
    assert found.status_code == 200
    assert "选民登记培训的经验教训" in found.text
    assert "<mark>" in found.text
    hidden = client.get("/assist/documents", params={"q": "registration"})
    assert "Documents found: 0" in hidden.text


def test_staff_find_every_document_and_open_it_checked_against_the_history(
    client: TestClient,
) -> None:
    sign_in(client, "demo-ead")
    found = client.get("/assist/documents", params={"q": "registration", "language": "en"})
    assert "Needs assessment mission: findings" in found.text
    link = re.search(r'href="(/assist/documents/\d+)">(?:<bdi[^>]*>)?Needs assessment', found.text)
    assert link
    page = client.get(link.group(1))
    assert page.status_code == 200
    assert "The text matches the digest the history recorded when it was attached." in page.text
    assert 'lang="en" dir="ltr" class="document"' in page.text
    request = client.get("/assist/requests/EA-2026-0001")
    assert f'href="{link.group(1)}"' in request.text  # listed among the documents attached
    assert '<bdi lang="zh">选民登记培训的经验教训</bdi>' in request.text  # in its own language
    wrong = client.get("/assist/documents", params={"q": "x", "kind": "novel"})
    assert wrong.status_code == 400


def test_anyone_reads_the_published_reports_in_each_form(client: TestClient) -> None:
    listed = client.get("/assist/reports")
    assert listed.status_code == 200
    assert "2026-01-01" in listed.text
    assert 'href="/assist/reports/1/pdf?lang=en"' in listed.text
    page = client.get("/assist/reports/1/html", params={"lang": "ar"})
    assert page.status_code == 200
    assert '<html lang="ar" dir="rtl">' in page.text
    assert "style-src 'sha256-" in page.headers["content-security-policy"]
    figures = client.get("/assist/reports/1/json")
    assert figures.headers["content-type"] == "application/json"
    assert json.loads(figures.content)
    assert client.get("/assist/reports/1/docx").status_code == 400
    assert client.get("/assist/reports/99/html").status_code == 404


def test_serve_refuses_an_assist_database_that_holds_no_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from suffrage.cli.main import app

    monkeypatch.delenv("SUFFRAGE_SERVE_ASSIST_DB", raising=False)
    missing = tmp_path / "none.db"
    result = CliRunner().invoke(
        app, ["serve", str(tmp_path / "election"), "--assist-db", f"sqlite:///{missing}"]
    )
    assert result.exit_code == 2
    assert "no assistance registry at" in result.output
    assert not missing.exists()
    assert not (tmp_path / "election").exists()  # refused before anything is made


FOLDER = resources.files("suffrage.assistance").joinpath("i18n")


def test_the_web_catalog_has_the_same_keys_in_every_language_none_empty() -> None:
    english = json.loads(FOLDER.joinpath("web.en.json").read_text("utf-8"))
    for language in LANGUAGES:
        strings = json.loads(FOLDER.joinpath(f"web.{language}.json").read_text("utf-8"))
        assert set(strings) == set(english), f"web.{language}.json keys differ from English"
        assert [k for k, v in strings.items() if not v.strip()] == []
        for key, text in strings.items():
            wanted = set(re.findall(r"\{(\w+)\}", english[key]))
            assert set(re.findall(r"\{(\w+)\}", text)) == wanted, f"web.{language}: {key}"
