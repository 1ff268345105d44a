"""The workflow's forms on a request's page (issue 19: staff work in the browser;
spec/assistance.md#12.1), on SQLite and PostgreSQL: each step succeeds for a role that may
take it and writes its history entry; a role that may not gets 403 and nothing is written; a
bad value is refused at its field (and in the error summary) and nothing is written; a form
without the session's CSRF token gets 403. The demo's requests: EA-2026-0001 under way
(pre-electoral), 0002 assessed, 0003 closed, 0004 assessment planned, 0005 received."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from suffrage.assistance.domain import Decision, Outcome, Phase, State
from suffrage.assistance.service import Registry
from web.assist_kit import focal_user, page_csrf, sign_in


def _post(client: TestClient, reference: str, step: str, values: dict[str, str]) -> str:
    """Post the step's form with the page's token; the answer's text, checked 303 by callers."""
    page = client.get(f"/assist/requests/{reference}")
    assert page.status_code == 200
    answer = client.post(
        f"/assist/requests/{reference}/{step}", data={"csrf": page_csrf(page.text), **values}
    )
    return f"{answer.status_code}\n{answer.headers.get('location', '')}\n{answer.text}"


def _written(registry: Registry, reference: str) -> tuple[str, int]:
    """The request's state and how many history entries it has."""
    focal = focal_user(registry)
    case = registry.show_request(focal, reference)
    return case.state.value, len(registry.request_history(focal, reference))


def _last(registry: Registry, reference: str) -> tuple[str, str]:
    entry = registry.request_history(focal_user(registry), reference)[-1]
    return entry.action, entry.actor


def _ok(answer: str, reference: str) -> None:
    status, location, _ = answer.split("\n", 2)
    assert (status, location) == ("303", f"/assist/requests/{reference}"), answer[:2000]


ASSESSMENT = {
    "findings": "The commission asked for help with its voter register.",
    **{f"met_{c}": "yes" for c in ("adequate_time", "free_and_fair_conditions")},
    "met_reporting_provisions": "no",
    "why_adequate_time": "ten months to polling day",
    "why_free_and_fair_conditions": "parties campaign freely",
    "why_reporting_provisions": "no reporting line agreed yet",
}


# -- each step, for a role that may take it ------------------------------------------------


def test_staff_plan_the_assessment_of_a_received_request(
    client: TestClient, registry: Registry
) -> None:
    sign_in(client, "demo-ead")
    page = client.get("/assist/requests/EA-2026-0005").text
    assert "Plan the needs assessment" in page
    assert "Record the needs assessment" not in page  # only the step the state allows
    values = {"starts": "2026-05-04", "ends": "2026-05-15", "team": "EAD officer\nUNDP adviser"}
    _ok(_post(client, "EA-2026-0005", "plan", values), "EA-2026-0005")
    assert _written(registry, "EA-2026-0005")[0] == State.ASSESSMENT_PLANNED.value
    assert _last(registry, "EA-2026-0005") == ("assessment planned", "demo-ead")
    case = registry.show_request(focal_user(registry), "EA-2026-0005")
    assert case.plan == {
        "starts": "2026-05-04",
        "ends": "2026-05-15",
        "team": ["EAD officer", "UNDP adviser"],
    }


def test_staff_record_the_assessment_with_each_para_5_condition(
    client: TestClient, registry: Registry
) -> None:
    sign_in(client, "demo-ead")
    _ok(_post(client, "EA-2026-0004", "assess", ASSESSMENT), "EA-2026-0004")
    case = registry.show_request(focal_user(registry), "EA-2026-0004")
    assert case.state is State.ASSESSED
    assert case.assessment is not None
    assert [c.value for c in case.assessment.unmet()] == ["reporting_provisions"]
    assert _last(registry, "EA-2026-0004") == ("assessment recorded", "demo-ead")


def test_the_focal_point_decides_and_staff_start_the_assistance(
    client: TestClient, registry: Registry
) -> None:
    sign_in(client, "demo-focal-point")
    values = {"outcome": "assist", "reasons": "needs established", "conditions": ""}
    _ok(_post(client, "EA-2026-0002", "decide", values), "EA-2026-0002")
    assert _last(registry, "EA-2026-0002") == ("decided", "demo-focal-point")
    page = client.get("/assist/requests/EA-2026-0002").text
    assert "Start the assistance" in page
    assert "Close the request" not in page  # a decision to assist starts; a decline closes
    _ok(_post(client, "EA-2026-0002", "start", {"phase": "electoral"}), "EA-2026-0002")
    case = registry.show_request(focal_user(registry), "EA-2026-0002")
    assert (case.state, case.phase) == (State.UNDER_WAY, Phase.ELECTORAL)
    assert _last(registry, "EA-2026-0002") == ("assistance started", "demo-focal-point")


def test_staff_advance_the_phase_then_close_with_the_final_report(
    client: TestClient, registry: Registry
) -> None:
    sign_in(client, "demo-ead")
    page = client.get("/assist/requests/EA-2026-0001").text
    assert 'id="phase-pre_electoral"' not in page  # only later phases are offered
    assert 'id="phase-electoral"' in page
    _ok(_post(client, "EA-2026-0001", "advance", {"phase": "post_electoral"}), "EA-2026-0001")
    assert _last(registry, "EA-2026-0001") == ("phase advanced", "demo-ead")
    page = client.get("/assist/requests/EA-2026-0001").text
    assert "Move to a later phase" not in page  # post-electoral is the last phase
    report = "Assistance delivered; lessons recorded."
    _ok(_post(client, "EA-2026-0001", "close", {"final_report": report}), "EA-2026-0001")
    case = registry.show_request(focal_user(registry), "EA-2026-0001")
    assert (case.state, case.final_report) == (State.CLOSED, report)
    assert _last(registry, "EA-2026-0001") == ("closed", "demo-ead")
    assert "Next step" not in client.get("/assist/requests/EA-2026-0001").text


def test_a_declined_request_is_offered_only_its_closing(
    client: TestClient, registry: Registry
) -> None:
    decline = Decision(outcome=Outcome.DECLINE, reasons="conditions not met")
    registry.decide(focal_user(registry), "EA-2026-0002", decline)
    sign_in(client, "demo-ead")
    page = client.get("/assist/requests/EA-2026-0002").text
    assert "Close the request" in page
    assert "Start the assistance" not in page


# -- refusals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reference", "step", "values"),
    [
        ("demo-ead", "EA-2026-0002", "decide", {"outcome": "assist", "reasons": "r"}),
        ("demo-undp", "EA-2026-0005", "plan", {"starts": "2026-05-04", "ends": "2026-05-05"}),
        ("demo-dpo", "EA-2026-0001", "close", {"final_report": "done"}),
    ],
)
def test_a_role_that_may_not_take_the_step_gets_403_and_nothing_is_written(
    client: TestClient,
    registry: Registry,
    name: str,
    reference: str,
    step: str,
    values: dict[str, str],
) -> None:
    before = _written(registry, reference)
    sign_in(client, name)
    page = client.get(f"/assist/requests/{reference}").text
    assert f"/{step}" not in page  # the form is not offered to this role
    answer = _post(client, reference, step, {**values, "team": "someone"})
    assert answer.startswith("403\n"), answer[:500]
    assert _written(registry, reference) == before


def test_a_liaison_posting_to_another_states_request_gets_404(
    client: TestClient, registry: Registry
) -> None:
    before = _written(registry, "EA-2026-0004")
    sign_in(client, "demo-liaison-npl")
    token = page_csrf(client.get("/assist/requests").text)
    answer = client.post("/assist/requests/EA-2026-0004/assess", data={"csrf": token, **ASSESSMENT})
    assert answer.status_code == 404
    assert _written(registry, "EA-2026-0004") == before


@pytest.mark.parametrize(
    ("reference", "step", "values", "field", "message"),
    [
        (
            "EA-2026-0005",
            "plan",
            {"starts": "2026-05-15", "ends": "2026-05-04", "team": "EAD officer"},
            "ends",
            "Enter an end date not before the start.",
        ),
        (
            "EA-2026-0005",
            "plan",
            {"starts": "15/05/2026", "ends": "", "team": "x"},
            "starts",
            "Enter the start date.",
        ),
        (
            "EA-2026-0005",
            "plan",
            {"starts": "2026-05-04", "ends": "2026-05-05", "team": " "},
            "team",
            "Name at least one member",
        ),
        (
            "EA-2026-0004",
            "assess",
            {**ASSESSMENT, "why_adequate_time": " "},
            "conditions",
            "Answer each condition",
        ),
        (
            "EA-2026-0004",
            "assess",
            {**ASSESSMENT, "findings": ""},
            "findings",
            "Write the assessment",
        ),
        (
            "EA-2026-0002",
            "decide",
            {"outcome": "assist", "reasons": " "},
            "reasons",
            "Give the decision",
        ),
        (
            "EA-2026-0002",
            "decide",
            {"outcome": "maybe", "reasons": "r"},
            "outcome",
            "Choose an outcome",
        ),
        (
            "EA-2026-0002",
            "decide",
            {"outcome": "assist_with_conditions", "reasons": "r"},
            "conditions",
            "Say how each unmet condition will be met.",
        ),
        (
            "EA-2026-0001",
            "advance",
            {"phase": "pre_electoral"},
            "",
            "state does not allow this step.",
        ),
        (
            "EA-2026-0001",
            "close",
            {"final_report": "  "},
            "final_report",
            "Write the final report.",
        ),
    ],
)
def test_a_bad_value_is_refused_at_its_field_and_nothing_is_written(
    client: TestClient,
    registry: Registry,
    reference: str,
    step: str,
    values: dict[str, str],
    field: str,
    message: str,
) -> None:
    before = _written(registry, reference)
    sign_in(client, "demo-focal-point")
    answer = _post(client, reference, step, values)
    assert answer.startswith("400\n"), answer[:500]
    assert message in answer
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', answer)
    assert summary, "no error summary"
    assert "autofocus" in summary.group(0)
    target = field or f"step-{step}"
    assert f'href="#{target}"' in summary.group(0)
    assert answer.index("error-summary") < answer.index("<h2>The request</h2>")  # at the top
    if field:
        assert f'id="{field}-error"' in answer
        tied = re.search(rf'id="{field}"[^>]*aria-describedby="([^"]*)"[^>]*>', answer)
        assert tied, f"the field {field} is not tied to its error"
        assert f"{field}-error" in tied.group(1).split()
        assert 'aria-invalid="true"' in tied.group(0)
    assert _written(registry, reference) == before
    for name, value in values.items():  # what was sent is shown again to correct
        if name not in {"outcome", "phase"} and value.strip() and "met_" not in name:
            assert value in answer or value.replace("'", "&#x27;") in answer


def test_a_step_the_state_does_not_allow_is_refused_in_the_summary(
    client: TestClient, registry: Registry
) -> None:
    before = _written(registry, "EA-2026-0003")  # closed
    sign_in(client, "demo-ead")
    values = {"starts": "2026-05-04", "ends": "2026-05-05", "team": "x"}
    answer = _post(client, "EA-2026-0003", "plan", values)
    assert answer.startswith("400\n")
    assert "cannot go to assessment_planned" in answer
    assert _written(registry, "EA-2026-0003") == before


@pytest.mark.parametrize("token", ["", "forged-token"])
def test_a_step_without_the_sessions_csrf_token_gets_403(
    client: TestClient, registry: Registry, token: str
) -> None:
    before = _written(registry, "EA-2026-0005")
    sign_in(client, "demo-ead")
    values = {"csrf": token, "starts": "2026-05-04", "ends": "2026-05-05", "team": "x"}
    answer = client.post("/assist/requests/EA-2026-0005/plan", data=values)
    assert answer.status_code == 403
    assert "Form refused" in answer.text
    assert _written(registry, "EA-2026-0005") == before


def test_the_public_cannot_take_a_step(client: TestClient, registry: Registry) -> None:
    before = _written(registry, "EA-2026-0005")
    token = page_csrf(client.get("/assist/login").text)
    values = {"csrf": token, "starts": "2026-05-04", "ends": "2026-05-05", "team": "x"}
    answer = client.post("/assist/requests/EA-2026-0005/plan", data=values)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/assist/login")
    assert _written(registry, "EA-2026-0005") == before


def test_an_unknown_step_is_404(client: TestClient, registry: Registry) -> None:
    sign_in(client, "demo-ead")
    answer = _post(client, "EA-2026-0005", "approve", {})
    assert answer.startswith("404\n")


# -- a new request ---------------------------------------------------------------------

NEW = {
    "authority": "member_state",
    "country": "NER",
    "received_on": "2026-11-30",
    "elections": "presidential election 2027\nlegislative elections 2027",
    "kind_technical_assistance": "yes",
    "kind_election_situation_room": "yes",
}


def _requests(registry: Registry) -> int:
    return len(registry.list_requests(focal_user(registry)))


def _post_new(client: TestClient, values: dict[str, str]) -> str:
    page = client.get("/assist/requests")
    assert page.status_code == 200
    answer = client.post("/assist/requests", data={"csrf": page_csrf(page.text), **values})
    return f"{answer.status_code}\n{answer.headers.get('location', '')}\n{answer.text}"


def test_staff_record_a_new_request_in_the_browser(client: TestClient, registry: Registry) -> None:
    sign_in(client, "demo-ead")
    assert "Record a new request" in client.get("/assist/requests").text
    _ok(_post_new(client, NEW), "EA-2026-0006")
    case = registry.show_request(focal_user(registry), "EA-2026-0006")
    assert (case.state, case.request.country) == (State.RECEIVED, "NER")
    assert case.request.elections == ("presidential election 2027", "legislative elections 2027")
    assert [k.value for k in case.request.kinds] == [
        "technical_assistance",
        "election_situation_room",
    ]
    assert _last(registry, "EA-2026-0006") == ("request received", "demo-ead")


def test_a_mandated_request_names_its_resolution(client: TestClient, registry: Registry) -> None:
    sign_in(client, "demo-focal-point")
    values = {
        **NEW,
        "authority": "security_council",
        "mandate": "S/RES/2999 (2026)",
        "kind_election_observation": "yes",
    }
    _ok(_post_new(client, values), "EA-2026-0006")
    case = registry.show_request(focal_user(registry), "EA-2026-0006")
    assert case.request.mandate == "S/RES/2999 (2026)"


@pytest.mark.parametrize("name", ["demo-undp", "demo-liaison-npl"])
def test_a_role_that_may_not_record_a_request_gets_403_and_nothing_is_written(
    client: TestClient, registry: Registry, name: str
) -> None:
    before = _requests(registry)
    sign_in(client, name)
    assert "Record a new request" not in client.get("/assist/requests").text
    assert _post_new(client, NEW).startswith("403\n")
    assert _requests(registry) == before


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({**NEW, "authority": ""}, "authority", "Choose who asks."),
        ({**NEW, "country": "Atlantis"}, "country", "three-letter code"),
        ({**NEW, "received_on": "30.11.2026"}, "received_on", "Enter the date"),
        ({**NEW, "elections": " \n "}, "elections", "Name at least one election."),
        ({k: v for k, v in NEW.items() if not k.startswith("kind_")}, "kinds", "Choose a kind"),
        ({**NEW, "kind_certification": "yes"}, "kinds", "only on a Security Council"),
        ({**NEW, "authority": "general_assembly"}, "mandate", "Name the resolution"),
    ],
)
def test_a_bad_new_request_is_refused_at_its_field_and_nothing_is_written(
    client: TestClient, registry: Registry, values: dict[str, str], field: str, message: str
) -> None:
    before = _requests(registry)
    sign_in(client, "demo-ead")
    answer = _post_new(client, values)
    assert answer.startswith("400\n"), answer[:500]
    assert message in answer
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', answer)
    assert summary, "no error summary"
    assert f'href="#{field}"' in summary.group(0)
    tied = re.search(rf'id="{field}"[^>]*aria-describedby="([^"]*)"[^>]*>', answer)
    assert tied, f"the field {field} is not tied to its error"
    assert f"{field}-error" in tied.group(1).split()
    assert _requests(registry) == before


def test_a_new_request_without_the_csrf_token_gets_403(
    client: TestClient, registry: Registry
) -> None:
    before = _requests(registry)
    sign_in(client, "demo-ead")
    assert client.post("/assist/requests", data=NEW).status_code == 403
    assert _requests(registry) == before


# -- a document attached -----------------------------------------------------------------

DOCUMENT = {
    "kind": "lesson_learned",
    "language": "fr",
    "title": "Leçons de la formation des agents d'inscription",
    "author": "EAD",
    "dated": "2026-11-20",
    "body": "Les formations en district éloigné doivent commencer six mois avant le scrutin.",
}


def _attached(registry: Registry, reference: str) -> list[dict[str, object]]:
    entries = registry.request_history(focal_user(registry), reference)
    return [dict(e.details) for e in entries if e.action == "document attached"]


def test_staff_attach_a_document_to_a_request(client: TestClient, registry: Registry) -> None:
    sign_in(client, "demo-ead")
    assert "Attach a document" in client.get("/assist/requests/EA-2026-0001").text
    before = len(_attached(registry, "EA-2026-0001"))
    long_text = {**DOCUMENT, "body": DOCUMENT["body"] + " formation" * 3000}  # > 8 KiB sent
    _ok(_post(client, "EA-2026-0001", "attach", long_text), "EA-2026-0001")
    found = _attached(registry, "EA-2026-0001")
    assert len(found) == before + 1
    assert (found[-1]["title"], found[-1]["language"]) == (DOCUMENT["title"], "fr")
    assert _last(registry, "EA-2026-0001") == ("document attached", "demo-ead")
    filed = registry.show_document(focal_user(registry), int(str(found[-1]["document"])))
    assert filed.document.published is False  # publishing stays its own step


@pytest.mark.parametrize(
    ("name", "values", "status"),
    [
        ("demo-undp", {**DOCUMENT, "kind": "assessment_report"}, "403"),  # not an entity's
        ("demo-liaison-npl", DOCUMENT, "403"),  # its own State's request, no attaching
    ],
)
def test_a_role_that_may_not_attach_gets_refused_and_nothing_is_written(
    client: TestClient, registry: Registry, name: str, values: dict[str, str], status: str
) -> None:
    before = _attached(registry, "EA-2026-0001")
    sign_in(client, name)
    answer = _post(client, "EA-2026-0001", "attach", values)
    assert answer.startswith(f"{status}\n"), answer[:500]
    assert _attached(registry, "EA-2026-0001") == before


@pytest.mark.parametrize(
    ("reference", "values", "field", "message"),
    [
        ("EA-2026-0005", {**DOCUMENT, "kind": "final_report"}, "kind", "Choose a kind"),
        ("EA-2026-0001", {**DOCUMENT, "kind": ""}, "kind", "Choose a kind"),
        ("EA-2026-0001", {**DOCUMENT, "language": "de"}, "language", "Choose the document"),
        ("EA-2026-0001", {**DOCUMENT, "title": " "}, "title", "Enter a title."),
        ("EA-2026-0001", {**DOCUMENT, "author": ""}, "author", "Enter the author."),
        ("EA-2026-0001", {**DOCUMENT, "dated": "20/11/2026"}, "dated", "Enter the document"),
        ("EA-2026-0001", {**DOCUMENT, "body": "… — …"}, "body", "holds no word"),
    ],
)
def test_a_bad_document_is_refused_at_its_field_and_nothing_is_written(
    client: TestClient,
    registry: Registry,
    reference: str,
    values: dict[str, str],
    field: str,
    message: str,
) -> None:
    before = _attached(registry, reference)
    sign_in(client, "demo-ead")
    answer = _post(client, reference, "attach", values)
    assert answer.startswith("400\n"), answer[:500]
    assert message in answer.replace("&#x27;", "'")
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', answer)
    assert summary, "no error summary"
    assert f'href="#{field}"' in summary.group(0)
    tied = re.search(rf'id="{field}"[^>]*aria-describedby="([^"]*)"[^>]*>', answer)
    assert tied, f"the field {field} is not tied to its error"
    assert _attached(registry, reference) == before


def test_a_document_without_the_csrf_token_gets_403(client: TestClient, registry: Registry) -> None:
    before = _attached(registry, "EA-2026-0001")
    sign_in(client, "demo-ead")
    answer = client.post("/assist/requests/EA-2026-0001/attach", data=DOCUMENT)
    assert answer.status_code == 403
    assert _attached(registry, "EA-2026-0001") == before


def test_a_country_is_typed_by_its_name_and_shown_by_name_in_the_pages_language(
    client: TestClient, registry: Registry
) -> None:
    sign_in(client, "demo-ead")
    form = client.get("/assist/requests?lang=fr").text
    assert '<option value="NER">Niger</option>' in form  # the list the browser suggests from
    _ok(_post_new(client, {**NEW, "country": "népal"}), "EA-2026-0006")
    assert registry.show_request(focal_user(registry), "EA-2026-0006").request.country == "NPL"
    assert "Népal (NPL)" in client.get("/assist/requests/EA-2026-0006").text
    assert "尼泊尔 (NPL)" in client.get("/assist/requests/EA-2026-0006?lang=zh").text
