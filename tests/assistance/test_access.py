"""Roles, authentication and the access log (spec/assistance.md#6)."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from sqlalchemy import select

from assistance.kit import PASSWORD, World, a_request
from suffrage.assistance.access import (
    NotAuthenticated,
    NotPermitted,
    hash_password,
    password_matches,
)
from suffrage.assistance.coordination import Activity
from suffrage.assistance.domain import Decision, Entity, Kind, Outcome, Phase
from suffrage.assistance.roster import Expert, Need, Region
from suffrage.assistance.storage import tokens, users


def _expert(name: str = "Expert One") -> Expert:
    return Expert(
        name=name,
        skills=("voter registration",),
        languages=("en", "ne"),
        regions=(Region.ASIA_PACIFIC,),
        availability=((date(2026, 1, 1), date(2026, 12, 31)),),
        joined_on=date(2025, 5, 1),
        gender="woman",
    )


def test_a_liaison_sees_only_its_own_states_requests(w: World) -> None:
    mine = w.registry.new_request(w.staff, a_request("NPL")).reference
    other = w.registry.new_request(w.staff, a_request("BOL")).reference
    assert w.registry.show_request(w.liaison, mine).reference == mine
    with pytest.raises(
        NotPermitted,
        match=r"Nepal Liaison \(member_state_liaison for NPL\) may view only NPL's requests",
    ):
        w.registry.show_request(w.liaison, other)
    assert [c.reference for c in w.registry.list_requests(w.liaison)] == [mine]
    assert len(w.registry.list_requests(w.staff)) == 2


def test_public_sees_nothing_personal_and_no_requests(w: World) -> None:
    w.registry.add_expert(w.staff, _expert())
    ref = w.registry.new_request(w.staff, a_request()).reference
    with pytest.raises(
        NotPermitted,
        match=r"Anyone \(public\) may not view requests; the public role may: "
        r"view the roster's figures",
    ):
        w.registry.show_request(w.public, ref)
    with pytest.raises(NotPermitted, match="may not read experts' personal data"):
        w.registry.search_experts(w.public, skill="voter registration")
    with pytest.raises(NotPermitted):
        w.registry.match_experts(w.public, Need(skills=("voter registration",)), "x")
    figures = w.registry.roster_figures(w.public, date(2026, 6, 1))
    assert figures.total == 1
    assert figures.by_dimension["gender"] == {"woman": None}  # 1 < 5: suppressed


def test_refusals_name_the_role_and_what_it_may_do(w: World) -> None:
    ref = w.registry.new_request(w.staff, a_request()).reference
    w.registry.plan_assessment(
        w.staff, ref, starts=date(2026, 3, 1), ends=date(2026, 3, 2), team=[]
    )
    with pytest.raises(
        NotPermitted,
        match=r"Ead Officer \(ead_staff\) may not decide on requests; the ead_staff role may: "
        r"record requests; view requests; plan needs assessments",
    ):
        w.registry.decide(w.staff, ref, Decision(outcome=Outcome.DECLINE, reasons="r"))
    with pytest.raises(NotPermitted, match=r"may record only UNDP's activities, not OHCHR's"):
        w.registry.add_activity(
            w.undp,
            Activity(
                entity=Entity.OHCHR,
                country="NPL",
                phase=Phase.PRE_ELECTORAL,
                kind=Kind.TECHNICAL_ASSISTANCE,
                starts=date(2026, 1, 1),
                ends=date(2026, 2, 1),
                title="x",
            ),
        )
    with pytest.raises(NotPermitted, match="may not manage users"):
        w.registry.add_user(w.staff, w.public, None)


def test_every_read_of_personal_data_is_logged(w: World) -> None:
    one = w.registry.add_expert(w.staff, _expert("Expert One"))
    w.registry.add_expert(
        w.staff,
        Expert(
            **{
                **{k: getattr(_expert(), k) for k in Expert.__slots__},
                "name": "Expert Two",
                "skills": ("logistics",),
            }
        ),
    )
    found = w.registry.search_experts(w.staff, skill="voter registration")
    assert [e.name for e in found] == ["Expert One"]
    matched = w.registry.match_experts(
        w.focal, Need(skills=("voter registration",), languages=("ne",)), "EA-2026-0001"
    )
    assert [m.expert.name for m in matched] == ["Expert One"]
    log = w.registry.access_log(w.focal)
    assert [(r["actor"], r["expert_id"], r["what"]) for r in log] == [
        ("Ead Officer", one.expert_id, "search skill=voter registration language=None region=None"),
        ("Focal Point", one.expert_id, "match for EA-2026-0001"),
    ]
    assert all(r["at"].startswith("2026-03-02T") for r in log)


def test_passwords_are_salted_scrypt_and_checked(w: World) -> None:
    assert w.registry.authenticate("Ead Officer", PASSWORD).name == "Ead Officer"
    with pytest.raises(NotAuthenticated, match="unknown user or wrong password"):
        w.registry.authenticate("Ead Officer", PASSWORD + "!")
    with pytest.raises(NotAuthenticated):
        w.registry.authenticate("Nobody", PASSWORD)
    with pytest.raises(NotAuthenticated):
        w.registry.authenticate("Anyone", PASSWORD)  # no password: token only
    with w.registry.store.engine.connect() as conn:
        stored = conn.execute(
            select(users.c.password).where(users.c.name == "Ead Officer")
        ).scalar_one()
    assert stored.startswith("scrypt$16384$8$1$")
    assert PASSWORD not in stored
    assert hash_password(PASSWORD) != hash_password(PASSWORD)  # a fresh salt each time
    assert password_matches(PASSWORD, stored)
    assert not password_matches("x" * 12, stored)
    assert not password_matches(PASSWORD, "garbage")


def test_tokens_are_stored_as_digests(w: World) -> None:
    token = w.registry.issue_token(w.undp, "ci")
    assert w.registry.authenticate_token(token).name == "Undp Adviser"
    with pytest.raises(NotAuthenticated, match="unknown token"):
        w.registry.authenticate_token(token[:-1] + ("A" if token[-1] != "A" else "B"))
    with w.registry.store.engine.connect() as conn:
        digests = list(conn.execute(select(tokens.c.digest)).scalars())
    assert digests == [hashlib.sha256(token.encode()).hexdigest()]
