"""The registry's remaining records on the pages (issue 19; spec/assistance.md#12.4), on
SQLite and PostgreSQL: an activity (on an under-way request's page and on the activities
page), an expert on the roster, a user and a token. Each form succeeds for a role that may
use it and the record is read back through the service; each refusal (a missing field, a bad
date, an unknown phase, a wrong role, no CSRF token, another State's request for a liaison)
gets its status, with its error at its field, and nothing is stored; the token shown once
authenticates. The demo: EA-2026-0001 (Nepal) under way, pre-electoral; 0005 received; four
activities in Nepal, UNDP's and DPO's overlapping."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from suffrage.assistance import storage as db
from suffrage.assistance.access import NotAuthenticated, Role
from suffrage.assistance.domain import Entity, Kind, Phase
from suffrage.assistance.service import Registry
from web.assist_kit import focal_user, sign_in


def _at_field(answer: str, field: str, message: str) -> None:
    """The refusal is at ``field`` (tied to it) and in the focused summary, linked to it."""
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', answer)
    assert summary, "no error summary"
    assert "autofocus" in summary.group(0)
    assert f'href="#{field}"' in summary.group(0)
    assert message in summary.group(0)
    assert f'id="{field}-error"' in answer
    tied = re.search(rf'id="{field}"[^>]*aria-describedby="([^"]*)"', answer)
    assert tied, f"the field {field} is not tied to its error"
    assert f"{field}-error" in tied.group(1).split()


def _activities(registry: Registry) -> list[tuple[str, str, str]]:
    found, _ = registry.list_activities(focal_user(registry))
    return [(a.entity.value, a.title, a.starts.isoformat()) for a in found]


# -- activities --------------------------------------------------------------------------

RIGHTS = {
    "activity_entity": "OHCHR",
    "activity_phase": "pre_electoral",
    "activity_kind": "technical_assistance",
    "activity_starts": "2026-06-01",
    "activity_ends": "2026-09-30",
    "activity_title": "Rights monitoring of the registration drive",
}


def test_staff_record_an_activity_on_a_request_and_its_overlap_shows_at_once(
    client: TestClient, registry: Registry
) -> None:
    token = sign_in(client, "demo-ead")
    page = client.get("/assist/requests/EA-2026-0001").text
    assert 'action="/assist/requests/EA-2026-0001/activity"' in page
    answer = client.post("/assist/requests/EA-2026-0001/activity", data={"csrf": token, **RIGHTS})
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert re.fullmatch(r"/assist/requests/EA-2026-0001\?recorded=\d+", location)
    found, _ = registry.list_activities(focal_user(registry), "NPL")
    made = found[-1]
    case = registry.show_request(focal_user(registry), "EA-2026-0001")
    assert (made.entity, made.phase, made.kind) == (
        Entity.OHCHR,
        Phase.PRE_ELECTORAL,
        Kind.TECHNICAL_ASSISTANCE,
    )
    assert (made.title, made.request_id, made.starts) == (
        RIGHTS["activity_title"],
        case.request_id,
        date(2026, 6, 1),
    )
    assert location.endswith(f"={made.activity_id}")
    after = client.get(location).text
    notice = re.search(r'<div class="notice" role="status">.*?</div>', after)
    assert notice, "no notice of the activity recorded"
    assert "Overlaps with other entities" in notice.group(0)
    assert "UNDP and OHCHR overlap from" in notice.group(0)
    entry = registry.request_history(focal_user(registry), "EA-2026-0001")
    assert len(entry) > 0
    assert registry.check_history(focal_user(registry)) > 0  # the chain and its rows hold


def test_an_implementing_entity_records_its_own_activity_on_the_activities_page(
    client: TestClient, registry: Registry
) -> None:
    token = sign_in(client, "demo-undp")
    page = client.get("/assist/activities").text
    entity = re.search(r'<select id="activity_entity"[^>]*>(.*?)</select>', page)
    assert entity
    assert re.findall(r'value="([^"]*)"', entity.group(1)) == ["UNDP"]  # its own only
    values = {
        **RIGHTS,
        "activity_entity": "UNDP",
        "activity_country": "Nepal",  # a name, as the field's list offers it
        "activity_phase": "electoral",
        "activity_title": "Polling-station logistics",
    }
    answer = client.post("/assist/activities", data={"csrf": token, **values})
    assert answer.status_code == 303, answer.text
    assert re.fullmatch(r"/assist/activities\?recorded=\d+", answer.headers["location"])
    found, _ = registry.list_activities(focal_user(registry), "NPL")
    assert (found[-1].entity, found[-1].title, found[-1].request_id) == (
        Entity.UNDP,
        "Polling-station logistics",
        None,
    )
    after = client.get(answer.headers["location"]).text
    assert "Activity " in after
    assert "Polling-station logistics" in after


@pytest.mark.parametrize(
    ("name", "values", "status"),
    [
        ("demo-undp", {**RIGHTS}, 403),  # another entity's activity (OHCHR)
        ("demo-liaison-npl", {**RIGHTS}, 403),  # its own State's request, but no recording
    ],
)
def test_a_role_that_may_not_record_the_activity_gets_403_and_nothing_is_stored(
    client: TestClient, registry: Registry, name: str, values: dict[str, str], status: int
) -> None:
    before = _activities(registry)
    token = sign_in(client, name)
    answer = client.post("/assist/requests/EA-2026-0001/activity", data={"csrf": token, **values})
    assert answer.status_code == status, answer.text[:500]
    assert "may" in answer.text  # the service's message: what the role may do
    assert _activities(registry) == before


def test_a_liaison_posting_an_activity_to_another_states_request_gets_404(
    client: TestClient, registry: Registry
) -> None:
    other = next(
        c.reference
        for c in registry.list_requests(focal_user(registry))
        if c.request.country != "NPL"
    )
    before = _activities(registry)
    token = sign_in(client, "demo-liaison-npl")
    answer = client.post(f"/assist/requests/{other}/activity", data={"csrf": token, **RIGHTS})
    assert answer.status_code == 404
    assert f"no request &#x27;{other}&#x27;" in answer.text  # as for one that does not exist
    assert _activities(registry) == before


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"activity_title": " "}, "activity_title", "Give the activity a title."),
        ({"activity_starts": "2026-13-01"}, "activity_starts", "Enter the first day"),
        ({"activity_ends": "2026-05-01"}, "activity_ends", "not before the first"),
        ({"activity_phase": "campaign"}, "activity_phase", "Choose a phase"),
        ({"activity_kind": ""}, "activity_kind", "Choose the kind of assistance."),
        ({"activity_entity": "NATO"}, "activity_entity", "Choose the implementing entity."),
    ],
)
def test_a_bad_activity_is_refused_at_its_field_and_nothing_is_stored(
    client: TestClient, registry: Registry, change: dict[str, str], field: str, message: str
) -> None:
    before = _activities(registry)
    token = sign_in(client, "demo-focal-point")
    values = {**RIGHTS, **change}
    answer = client.post("/assist/requests/EA-2026-0001/activity", data={"csrf": token, **values})
    assert answer.status_code == 400
    _at_field(answer.text, field, message)
    assert 'value="Rights monitoring of the registration drive"' in answer.text or (
        field == "activity_title"
    )  # the values sent are shown again
    assert _activities(registry) == before


def test_an_activity_for_an_unknown_request_is_refused_at_that_field(
    client: TestClient, registry: Registry
) -> None:
    before = _activities(registry)
    token = sign_in(client, "demo-ead")
    values = {**RIGHTS, "activity_country": "NPL", "activity_request": "EA-2026-9999"}
    answer = client.post("/assist/activities", data={"csrf": token, **values})
    assert answer.status_code == 400
    _at_field(answer.text, "activity_request", "Check the request")
    assert _activities(registry) == before


def test_a_request_not_under_way_offers_no_activity_form_and_refuses_one(
    client: TestClient, registry: Registry
) -> None:
    before = _activities(registry)
    token = sign_in(client, "demo-ead")
    page = client.get("/assist/requests/EA-2026-0005").text  # received: nothing decided
    assert "/activity" not in page
    answer = client.post("/assist/requests/EA-2026-0005/activity", data={"csrf": token, **RIGHTS})
    assert answer.status_code == 400
    assert 'href="#w-activity"' in answer.text or "activities belong to" in answer.text
    assert _activities(registry) == before


def test_an_activity_without_the_csrf_token_gets_403_and_the_public_signs_in_first(
    client: TestClient, registry: Registry
) -> None:
    before = _activities(registry)
    public = client.post("/assist/activities", data={"csrf": "x", **RIGHTS})
    assert public.status_code == 403  # no session: no form is taken
    sign_in(client, "demo-ead")
    answer = client.post("/assist/requests/EA-2026-0001/activity", data=RIGHTS)
    assert answer.status_code == 403
    assert "Form refused" in answer.text
    assert _activities(registry) == before


# -- experts ------------------------------------------------------------------------------

EXPERT = {
    "expert_name": "Amina Fictional-Okafor",
    "expert_skills": "voter registration\nlegal framework",
    "expert_languages": "fr, en",
    "expert_regions_africa": "yes",
    "expert_regions_arab_states": "yes",
    "expert_availability": "2027-01-04 2027-06-30",
    "expert_joined_on": "2026-12-01",
    "expert_gender": "woman",
    "expert_disability": "",
}


def _roster_size(registry: Registry) -> int:
    return registry.roster_figures(focal_user(registry), date(2100, 1, 1)).total


def test_staff_add_an_expert_by_post_and_see_the_record_without_self_descriptions(
    client: TestClient, registry: Registry
) -> None:
    token = sign_in(client, "demo-ead")
    form = client.get("/assist/experts").text
    assert '<form method="post" action="/assist/experts"' in form
    # the voluntary answers: marked so, "prefer not to say" chosen, who sees them said
    assert re.search(r'id="expert_gender-"[^>]*checked', form)
    assert re.search(r'id="expert_disability-"[^>]*checked', form)
    assert "Voluntary self-description" in form
    assert "only the roster's public figures count them" in form.replace("&#x27;", "'")
    size = _roster_size(registry)
    answer = client.post("/assist/experts", data={"csrf": token, **EXPERT})
    assert answer.status_code == 303, answer.text[:500]
    location = answer.headers["location"]
    assert re.fullmatch(r"/assist/experts\?added=\d+", location)  # a number, nothing personal
    assert _roster_size(registry) == size + 1
    made = registry.search_experts(focal_user(registry), skill="legal framework", language="fr")
    mine = [e for e in made if e.name == EXPERT["expert_name"]]
    assert len(mine) == 1
    expert = mine[0]
    assert (expert.skills, expert.languages) == (
        ("voter registration", "legal framework"),
        ("fr", "en"),
    )
    assert [r.value for r in expert.regions] == ["africa", "arab_states"]
    assert expert.availability == ((date(2027, 1, 4), date(2027, 6, 30)),)
    assert (expert.gender, expert.disability, expert.joined_on) == (
        "woman",
        None,
        date(2026, 12, 1),
    )
    logged = len(registry.access_log(focal_user(registry)))
    after = client.get(location).text
    assert EXPERT["expert_name"] in after
    assert "woman" not in after.split("<main", 1)[1].split('<h2 id="search"', 1)[0]
    assert len(registry.access_log(focal_user(registry))) == logged + 1  # that read is logged


@pytest.mark.parametrize("name", ["demo-undp", "demo-liaison-npl"])
def test_a_role_that_may_not_add_experts_gets_403_and_nothing_is_stored(
    client: TestClient, registry: Registry, name: str
) -> None:
    size = _roster_size(registry)
    token = sign_in(client, name)
    answer = client.post("/assist/experts", data={"csrf": token, **EXPERT})
    assert answer.status_code == 403
    assert _roster_size(registry) == size
    assert client.get("/assist/experts?added=1").status_code == 403  # nor read one back


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"expert_name": ""}, "expert_name", "Enter the expert's name."),
        ({"expert_skills": "\n"}, "expert_skills", "Name at least one skill."),
        ({"expert_languages": "French"}, "expert_languages", "at least one language code"),
        ({"expert_availability": "2027-01-04"}, "expert_availability", "two dates"),
        ({"expert_availability": "2027-06-30 2027-01-04"}, "expert_availability", "two dates"),
        ({"expert_joined_on": "1 Dec 2026"}, "expert_joined_on", "Enter the date"),
        ({"expert_gender": "unknown"}, "expert_gender", "Choose one answer"),
    ],
)
def test_a_bad_expert_is_refused_at_its_field_and_nothing_is_stored(
    client: TestClient, registry: Registry, change: dict[str, str], field: str, message: str
) -> None:
    size = _roster_size(registry)
    token = sign_in(client, "demo-focal-point")
    answer = client.post("/assist/experts", data={"csrf": token, **EXPERT, **change})
    assert answer.status_code == 400
    _at_field(answer.text.replace("&#x27;", "'"), field, message)
    if field != "expert_name":
        assert 'value="Amina Fictional-Okafor"' in answer.text  # kept to correct
    assert _roster_size(registry) == size


def test_an_expert_without_the_csrf_token_gets_403(client: TestClient, registry: Registry) -> None:
    size = _roster_size(registry)
    sign_in(client, "demo-ead")
    assert client.post("/assist/experts", data=EXPERT).status_code == 403
    assert _roster_size(registry) == size


# -- users and tokens ---------------------------------------------------------------------


def _users(registry: Registry) -> list[tuple[str, str, str | None, str | None]]:
    return [
        (u.name, u.role.value, u.entity, u.state) for u in registry.list_users(focal_user(registry))
    ]


def _token_count(registry: Registry) -> int:
    with registry.store.engine.connect() as conn:
        return db.count(conn, db.tokens)


def test_the_focal_point_lists_the_users_without_any_secret(
    client: TestClient, registry: Registry
) -> None:
    sign_in(client, "demo-focal-point")
    page = client.get("/assist/users")
    assert page.status_code == 200
    assert 'href="/assist/users"' in page.text  # in the navigation
    for name, role, scope in (
        ("demo-undp", "implementing entity", "UNDP"),
        ("demo-liaison-npl", "Member State liaison", "Nepal (NPL)"),
    ):
        row = re.search(rf"<tr><td[^>]*><bdi>{name}</bdi>.*?</tr>", page.text)
        assert row, name
        assert role in row.group(0)
        assert scope in row.group(0)
    assert "scrypt$" not in page.text
    assert not re.search(r"[0-9a-f]{64}", page.text)  # no digest


@pytest.mark.parametrize("name", ["demo-ead", "demo-undp", "demo-liaison-npl"])
def test_other_roles_get_403_on_the_users_page_and_see_no_link(
    client: TestClient, registry: Registry, name: str
) -> None:
    before = _users(registry)
    token = sign_in(client, name)
    assert 'href="/assist/users"' not in client.get("/assist/roster").text
    assert client.get("/assist/users").status_code == 403
    values = {"user_name": "x", "user_role": "ead_staff"}
    assert client.post("/assist/users", data={"csrf": token, **values}).status_code == 403
    assert client.post("/assist/users/2/token", data={"csrf": token}).status_code == 403
    assert _users(registry) == before


def test_the_public_is_sent_tosign_in(client: TestClient) -> None:
    answer = client.get("/assist/users")
    assert (answer.status_code, answer.headers["location"]) == (
        303,
        "/assist/login?next=/assist/users",
    )


def test_the_focal_point_adds_a_user_with_a_password(
    client: TestClient, registry: Registry
) -> None:
    token = sign_in(client, "demo-focal-point")
    values = {
        "user_name": "Fiji Liaison",
        "user_role": "member_state_liaison",
        "user_state": "fji",
        "user_entity": "UNDP",  # not asked for this role: ignored
        "user_password": "a long enough secret",
        "user_password_again": "a long enough secret",
    }
    answer = client.post("/assist/users", data={"csrf": token, **values})
    assert answer.status_code == 303, answer.text[:500]
    assert re.fullmatch(r"/assist/users\?added=\d+", answer.headers["location"])
    assert ("Fiji Liaison", "member_state_liaison", None, "FJI") in _users(registry)
    user = registry.authenticate("Fiji Liaison", "a long enough secret")
    assert (user.role, user.state) == (Role.MEMBER_STATE_LIAISON, "FJI")
    assert "Fiji Liaison" in client.get(answer.headers["location"]).text


def test_a_token_only_account_and_its_token_shown_once(
    client: TestClient, registry: Registry
) -> None:
    token = sign_in(client, "demo-focal-point")
    values = {"user_name": "ci robot", "user_role": "ead_staff"}
    answer = client.post("/assist/users", data={"csrf": token, **values})
    assert answer.status_code == 303, answer.text[:500]
    with pytest.raises(NotAuthenticated, match="unknown user or wrong password"):
        registry.authenticate("ci robot", "")
    robot = next(u for u in registry.list_users(focal_user(registry)) if u.name == "ci robot")
    issued = client.post(f"/assist/users/{robot.user_id}/token", data={"csrf": token})
    assert issued.status_code == 200
    assert issued.headers["cache-control"] == "no-store"
    assert "location" not in issued.headers
    assert "It will not be shown again" in issued.text
    shown = re.search(r'<code class="hash" id="token" dir="ltr">([^<]+)</code>', issued.text)
    assert shown, "the token is not on the page"
    assert registry.authenticate_token(shown.group(1)) == robot
    assert shown.group(1) not in client.get("/assist/users").text  # once
    with registry.store.engine.connect() as conn:
        entry = list(db.history_entries(conn))[-1]
    subject = f"user:{robot.user_id}"  # the history names the focal point and the user
    assert (entry.action, entry.actor, entry.subject) == (
        "token issued",
        "demo-focal-point",
        subject,
    )
    assert "token" not in str(entry.details).replace("token issued", "")  # no token in it
    assert registry.check_history(focal_user(registry)) > 0


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"user_name": " ", "user_role": "ead_staff"}, "user_name", "Enter a user name"),
        ({"user_name": "demo-ead", "user_role": "ead_staff"}, "user_name", "already exists"),
        ({"user_name": "n"}, "user_role", "Choose a role."),
        (
            {"user_name": "n", "user_role": "implementing_entity"},
            "user_entity",
            "Choose the user's entity.",
        ),
        (
            {"user_name": "n", "user_role": "implementing_entity", "user_entity": "NATO"},
            "user_entity",
            "is not one of EAD",
        ),
        (
            {"user_name": "n", "user_role": "member_state_liaison", "user_state": "Atlantis"},
            "user_state",
            "three-letter code",
        ),
        (
            {"user_name": "n", "user_role": "ead_staff", "user_password": "short"},
            "user_password_again",
            "Type the same password twice.",
        ),
        (
            {
                "user_name": "n",
                "user_role": "ead_staff",
                "user_password": "short",
                "user_password_again": "short",
            },
            "user_password",
            "at least 12 characters",
        ),
    ],
)
def test_a_bad_user_is_refused_at_its_field_and_nothing_is_stored(
    client: TestClient, registry: Registry, values: dict[str, str], field: str, message: str
) -> None:
    before = _users(registry)
    token = sign_in(client, "demo-focal-point")
    answer = client.post("/assist/users", data={"csrf": token, **values})
    assert answer.status_code == 400
    _at_field(answer.text.replace("&#x27;", "'"), field, message)
    assert 'value="short"' not in answer.text  # a password is never sent back
    assert _users(registry) == before


def test_users_and_tokens_without_the_csrf_token_get_403(
    client: TestClient, registry: Registry
) -> None:
    before, tokens = _users(registry), _token_count(registry)
    sign_in(client, "demo-focal-point")
    values = {"user_name": "x", "user_role": "ead_staff"}
    assert client.post("/assist/users", data=values).status_code == 403
    assert client.post("/assist/users/2/token", data={"csrf": "forged"}).status_code == 403
    assert (_users(registry), _token_count(registry)) == (before, tokens)


def test_a_token_for_no_such_user_is_404(client: TestClient, registry: Registry) -> None:
    tokens = _token_count(registry)
    token = sign_in(client, "demo-focal-point")
    assert client.post("/assist/users/999/token", data={"csrf": token}).status_code == 404
    assert _token_count(registry) == tokens
