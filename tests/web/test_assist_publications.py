"""The publication forms (spec/assistance.md#12.5), on SQLite and PostgreSQL: on a
document's page, staff publish it, attach a new version, withdraw its publication; on the
reports page the focal point publishes a period's report and withdraws one. Each success
redirects (303) and writes its history entry; a bad value is refused at its field and in the
summary, and nothing is written; a role that may not gets 403 (the public: sign-in); no CSRF
token, 403. A withdrawn publication's own address answers 410 with when and why.

The demo's documents: 1 (English assessment, EA-2026-0001, not published), 2 and 3
(published lessons of EA-2026-0001)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from suffrage.assistance.service import Registry
from web.assist_kit import focal_user, page_csrf, sign_in

VERSION = {
    "title": "Needs assessment mission: findings (corrected)",
    "language": "en",
    "author": "EAD",
    "dated": "2026-11-30",
    "body": "The corrected findings: the voter register is seven months out of date.",
}


def _post(
    client: TestClient, page: str, action: str, values: dict[str, str]
) -> tuple[int, str, str]:
    token = page_csrf(client.get(page).text)
    answer = client.post(action, data={"csrf": token, **values})
    return answer.status_code, answer.headers.get("location", ""), answer.text


def _entries(registry: Registry) -> int:
    return registry.check_history(focal_user(registry))


def _refused_at(text: str, ident: str, message: str) -> None:
    """The refusal is at field ``ident`` (tied to its error) and in the summary."""
    assert message in text.replace("&#x27;", "'").replace("&quot;", '"'), text[:3000]
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', text)
    assert summary, "no error summary"
    assert f'href="#{ident}"' in summary.group(0)
    tied = re.search(
        rf'id="{ident}"[^>]*aria-describedby="{ident}-error" aria-invalid="true"', text
    )
    assert tied, f"the field {ident} is not tied to its error"


# -- a document's page ---------------------------------------------------------------------


def test_staff_publish_a_document_from_its_page(client: TestClient, registry: Registry) -> None:
    sign_in(client, "demo-ead")
    page = client.get("/assist/documents/1").text
    assert "Publish this document" in page
    assert "Withdraw the publication" not in page  # not published: nothing to withdraw
    before = _entries(registry)
    assert _post(client, "/assist/documents/1", "/assist/documents/1/publish", {})[:2] == (
        303,
        "/assist/documents/1",
    )
    assert registry.show_document(focal_user(registry), 1).document.published
    assert _entries(registry) == before + 1
    page = client.get("/assist/documents/1").text
    assert "Publish this document" not in page
    assert "Withdraw the publication" in page


def test_staff_attach_a_new_version_from_the_page(client: TestClient, registry: Registry) -> None:
    sign_in(client, "demo-ead")
    status, location, _ = _post(
        client, "/assist/documents/1", "/assist/documents/1/version", VERSION
    )
    assert (status, location) == (303, "/assist/documents/11")
    new = client.get("/assist/documents/11").text
    assert "<dt>Version</dt><dd>2 of 2</dd>" in new
    assert "seven months out of date" in new
    old = client.get("/assist/documents/1").text
    assert "A later version supersedes this one." in old
    assert 'href="/assist/documents/11"' in old
    assert "Attach a new version" not in old  # only the current version takes one
    filed = registry.show_document(focal_user(registry), 11)
    assert (filed.document.kind.value, filed.document.title) == (
        "assessment_report",
        VERSION["title"],
    )
    entry = registry.request_history(focal_user(registry), "EA-2026-0001")[-1]
    assert (entry.action, entry.details["supersedes"], entry.details["version"]) == (
        "document attached",
        1,
        2,
    )


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({**VERSION, "title": " "}, "title", "Give the title"),
        ({**VERSION, "language": "de"}, "language", "Choose the language of the new version"),
        ({**VERSION, "author": ""}, "author", "Give the author"),
        ({**VERSION, "dated": "30/11/2026"}, "dated", "Give the document’s date"),
        ({**VERSION, "body": "… — …"}, "body", "holds no word"),
    ],
)
def test_a_bad_version_is_refused_at_its_field_and_nothing_is_written(
    client: TestClient, registry: Registry, values: dict[str, str], field: str, message: str
) -> None:
    sign_in(client, "demo-ead")
    before = _entries(registry)
    status, _, text = _post(client, "/assist/documents/1", "/assist/documents/1/version", values)
    assert status == 400
    _refused_at(text, f"version-{field}", message)
    assert _entries(registry) == before


def test_a_version_of_a_superseded_version_is_refused(
    client: TestClient, registry: Registry
) -> None:
    sign_in(client, "demo-ead")
    token = page_csrf(client.get("/assist/documents/1").text)
    assert (
        client.post("/assist/documents/1/version", data={"csrf": token, **VERSION}).status_code
        == 303
    )
    before = _entries(registry)
    answer = client.post("/assist/documents/1/version", data={"csrf": token, **VERSION})
    assert answer.status_code == 400
    assert "already superseded by document 11" in answer.text
    assert 'href="#version"' in answer.text  # the summary links to the form
    assert _entries(registry) == before


def test_staff_withdraw_a_publication_and_the_public_reads_why(
    client: TestClient, registry: Registry
) -> None:
    public = client.get("/assist/documents/2")
    assert public.status_code == 200
    sign_in(client, "demo-ead")
    before = _entries(registry)
    status, _, text = _post(
        client, "/assist/documents/2", "/assist/documents/2/withdraw", {"reason": "  "}
    )
    assert status == 400
    _refused_at(text, "withdraw-reason", "Say why the publication is withdrawn.")
    assert _entries(registry) == before
    reason = "The training figures were counted twice."
    assert _post(client, "/assist/documents/2", "/assist/documents/2/withdraw", {"reason": reason})[
        :2
    ] == (303, "/assist/documents/2")
    assert _entries(registry) == before + 1
    staff = client.get("/assist/documents/2").text
    assert "withdrawn on" in staff
    assert "Withdrawn by demo-ead." in staff
    client.cookies.clear()
    gone = client.get("/assist/documents/2")
    assert gone.status_code == 410
    assert "This document was published, then withdrawn on" in gone.text
    withdrawal = registry.document_standing(focal_user(registry), 2).withdrawal
    assert withdrawal is not None
    assert f'dir="ltr">{withdrawal.on}</span>' in gone.text
    assert reason in gone.text
    assert "选民登记" not in gone.text  # the text is not shown
    found = client.get("/assist/documents", params={"q": "选民登记"}).text
    assert "/assist/documents/2" not in found


@pytest.mark.parametrize(("name", "status"), [("demo-undp", 403), ("demo-liaison-npl", 403)])
def test_a_role_that_may_not_publish_or_withdraw_is_refused(
    client: TestClient, registry: Registry, name: str, status: int
) -> None:
    sign_in(client, name)
    before = _entries(registry)
    page = client.get("/assist/documents/2").text
    assert "Withdraw the publication" not in page
    token = page_csrf(page)
    for action, values in (("withdraw", {"reason": "x"}), ("publish", {})):
        answer = client.post(f"/assist/documents/1/{action}", data={"csrf": token, **values})
        assert answer.status_code in (status, 404), answer.text[:300]
        answer = client.post(f"/assist/documents/2/{action}", data={"csrf": token, **values})
        assert answer.status_code == status
    assert _entries(registry) == before


def test_the_public_is_sent_to_sign_in_and_a_form_without_its_token_gets_403(
    client: TestClient, registry: Registry
) -> None:
    before = _entries(registry)
    token = page_csrf(client.get("/assist/login").text)  # the public's session has a token too
    answer = client.post("/assist/documents/2/withdraw", data={"csrf": token, "reason": "x"})
    assert (answer.status_code, answer.headers["location"]) == (
        303,
        "/assist/login?next=/assist/documents/2/withdraw",
    )
    sign_in(client, "demo-ead")
    for action in ("publish", "version", "withdraw"):
        answer = client.post(f"/assist/documents/1/{action}", data={**VERSION, "reason": "x"})
        assert answer.status_code == 403
    assert (
        client.post("/assist/reports", data={"from": "2026-01-01", "to": "2026-06-30"}).status_code
        == 403
    )
    assert _entries(registry) == before


# -- the reports page ------------------------------------------------------------------------


def test_the_focal_point_publishes_and_withdraws_a_report(
    client: TestClient, registry: Registry
) -> None:
    sign_in(client, "demo-focal-point")
    assert "Publish a status report" in client.get("/assist/reports").text
    before = _entries(registry)
    status, _, text = _post(
        client, "/assist/reports", "/assist/reports", {"from": "2026-07-01", "to": "2026-06-30"}
    )
    assert status == 400
    _refused_at(text, "report-to", "not before the first")
    status, _, text = _post(
        client, "/assist/reports", "/assist/reports", {"from": "", "to": "2026-06-30"}
    )
    assert status == 400
    _refused_at(text, "report-from", "Give the first day of the period")
    assert _entries(registry) == before
    assert _post(
        client, "/assist/reports", "/assist/reports", {"from": "2026-01-01", "to": "2026-06-30"}
    )[:2] == (303, "/assist/reports")
    assert _entries(registry) == before + 1
    [report] = registry.published(focal_user(registry))
    page = client.get("/assist/reports").text
    assert f'action="/assist/reports/{report.report_id}/withdraw"' in page
    status, _, text = _post(
        client, "/assist/reports", f"/assist/reports/{report.report_id}/withdraw", {"reason": ""}
    )
    assert status == 400
    _refused_at(text, f"reason-{report.report_id}", "Say why the publication is withdrawn.")
    reason = "Two requests were counted twice."
    assert _post(
        client,
        "/assist/reports",
        f"/assist/reports/{report.report_id}/withdraw",
        {"reason": reason},
    )[:2] == (303, "/assist/reports")
    assert _entries(registry) == before + 2
    assert "Withdrawn on" in client.get("/assist/reports").text  # staff see it, marked
    assert registry.check_published(focal_user(registry)) == 1
    client.cookies.clear()
    listed = client.get("/assist/reports").text
    assert f"/assist/reports/{report.report_id}/html" not in listed
    for form in ("html", "json"):
        gone = client.get(f"/assist/reports/{report.report_id}/{form}")
        assert gone.status_code == 410
        assert "This status report was published, then withdrawn on" in gone.text
        assert reason in gone.text


@pytest.mark.parametrize("name", ["demo-ead", "demo-undp"])
def test_only_the_focal_point_publishes_or_withdraws_reports(
    client: TestClient, registry: Registry, name: str
) -> None:
    report = registry.publish_report(focal_user(registry), *_period())
    sign_in(client, name)
    page = client.get("/assist/reports").text
    assert "Publish a status report" not in page
    token = page_csrf(page)
    before = _entries(registry)
    answer = client.post(
        "/assist/reports", data={"csrf": token, "from": "2026-01-01", "to": "2026-06-30"}
    )
    assert answer.status_code == 403
    answer = client.post(
        f"/assist/reports/{report.report_id}/withdraw", data={"csrf": token, "reason": "x"}
    )
    assert answer.status_code == 403
    assert "only the focal point" in answer.text
    assert _entries(registry) == before


def _period() -> tuple[object, object]:
    from datetime import date

    return date(2026, 1, 1), date(2026, 6, 30)
