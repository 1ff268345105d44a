"""A realistic, fictional sample for ``suffrage assist demo`` (spec/assistance.md#8).

The requesting States are real Member States, but every request, finding, decision, activity,
person and figure here is invented for the demonstration: none describes real UN assistance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from suffrage.assistance.access import Role, User
from suffrage.assistance.coordination import Activity
from suffrage.assistance.domain import (
    Assessment,
    Authority,
    Condition,
    Decision,
    Entity,
    Kind,
    Outcome,
    Phase,
    Request,
)
from suffrage.assistance.memory_demo import load_corrections, load_documents
from suffrage.assistance.roster import Expert, Region
from suffrage.assistance.service import Registry

__all__ = ["DEMO_NOTICE", "DemoSummary", "load_demo"]

DEMO_NOTICE = (
    "Fictional sample: the requesting States are real Member States, but every request, "
    "finding, decision, activity, person and figure in it is invented."
)

_D = date
_FIRST = (
    "Amina",
    "Bruno",
    "Chen",
    "Daria",
    "Elif",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jun",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Omar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sami",
    "Tala",
    "Umar",
    "Vera",
    "Wen",
    "Ximena",
)
_LAST = (
    "Okafor",
    "Lindqvist",
    "Haddad",
    "Moreau",
    "Petrova",
    "Santos",
    "Nakamura",
    "Mensah",
    "Aziz",
    "Kowalski",
    "Ferreira",
    "Ibrahim",
)
_SKILLS = (
    "voter registration",
    "electoral logistics",
    "electoral dispute resolution",
    "boundary delimitation",
    "voter education",
    "gender and elections",
    "election security",
    "results management",
    "legal framework",
)
_LANGUAGES = (
    ("en", "fr"),
    ("es", "en"),
    ("ar", "fr"),
    ("ru", "en"),
    ("zh", "en"),
    ("en", "ne"),
    ("fr", "pt"),
    ("en", "sw"),
)
_GENDERS = ("woman", "man", "woman", "man", "woman", None, "man", "woman", "non-binary", "man")


@dataclass(frozen=True, slots=True)
class DemoSummary:
    users: tuple[User, ...]
    references: tuple[str, ...]
    activities: int
    overlaps: int
    experts: int
    documents: int = 0


def _assessment(time_ok: bool) -> Assessment:
    return Assessment(
        findings="The electoral management body is established and staffed; the legal "
        "framework is in force; voter registration needs an update before polling day.",
        conditions={
            Condition.ADEQUATE_TIME: (
                time_ok,
                "ten months before polling day"
                if time_ok
                else "four months before polling day, too short for an update of the register",
            ),
            Condition.FREE_AND_FAIR_CONDITIONS: (True, "parties register and campaign freely"),
            Condition.REPORTING_PROVISIONS: (True, "quarterly reports to the focal point agreed"),
        },
    )


def _users(registry: Registry, focal: User, password: str) -> tuple[User, ...]:
    wanted = [
        User(name="demo-ead", role=Role.EAD_STAFF),
        User(name="demo-undp", role=Role.IMPLEMENTING_ENTITY, entity="UNDP"),
        User(name="demo-dpo", role=Role.IMPLEMENTING_ENTITY, entity="DPO"),
        User(name="demo-liaison-npl", role=Role.MEMBER_STATE_LIAISON, state="NPL"),
        User(name="demo-public", role=Role.PUBLIC),
    ]
    return (focal, *(registry.add_user(focal, u, password) for u in wanted))


class _Calendar:
    """The demo's clock: each step is dated on the day the sample says it happened, so that
    the history, and the impartiality view computed from it, show a realistic timeline
    rather than every step at the second the demo ran."""

    def __init__(self) -> None:
        self.today = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        self.tick = 0

    def on(self, day: date) -> None:
        self.today, self.tick = datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC), 0

    def __call__(self) -> datetime:
        self.tick += 1  # a second apart within a day, so that entries keep their order
        return self.today.replace(second=self.tick % 60, minute=self.tick // 60)


@contextmanager
def _dated(registry: Registry, calendar: _Calendar) -> Iterator[None]:
    saved: Callable[[], datetime] = registry.clock
    registry.clock = calendar
    try:
        yield
    finally:
        registry.clock = saved


def _requests(registry: Registry, focal: User, ead: User, calendar: _Calendar) -> tuple[str, ...]:
    def new(country: str, received: date, election: str, *kinds: Kind) -> str:
        request = Request(
            authority=Authority.MEMBER_STATE,
            country=country,
            received_on=received,
            elections=(election,),
            kinds=kinds,
        )
        calendar.on(received)
        return registry.new_request(ead, request).reference

    npl = new("NPL", _D(2026, 1, 12), "federal parliament 2027", Kind.TECHNICAL_ASSISTANCE)
    bol = new(
        "BOL",
        _D(2026, 2, 3),
        "subnational elections 2026",
        Kind.TECHNICAL_ASSISTANCE,
        Kind.ELECTION_SITUATION_ROOM,
    )
    mwi = new("MWI", _D(2026, 2, 20), "local government by-elections", Kind.EXPERT_PANEL)
    tun = new("TUN", _D(2026, 3, 5), "municipal elections", Kind.TECHNICAL_ASSISTANCE)
    fji = new("FJI", _D(2026, 3, 18), "general election", Kind.SUPPORT_TO_INTERNATIONAL_OBSERVERS)
    calendar.on(_D(2026, 3, 25))
    for ref in (npl, bol, mwi, tun):
        registry.plan_assessment(
            ead,
            ref,
            starts=_D(2026, 4, 6),
            ends=_D(2026, 4, 17),
            team=["EAD political affairs officer", "UNDP electoral adviser"],
        )
    calendar.on(_D(2026, 4, 24))
    for ref in (npl, bol, mwi):
        registry.record_assessment(ead, ref, _assessment(time_ok=ref != mwi))
    calendar.on(_D(2026, 5, 8))
    registry.decide(
        focal,
        npl,
        Decision(outcome=Outcome.ASSIST, reasons="needs established; every para. 5 condition met"),
    )
    registry.decide(
        focal,
        mwi,
        Decision(
            outcome=Outcome.DECLINE,
            reasons="too little time before polling day for an effective panel",
        ),
    )
    calendar.on(_D(2026, 6, 1))
    registry.start(ead, npl, Phase.PRE_ELECTORAL)
    calendar.on(_D(2026, 6, 3))
    registry.close(ead, mwi, "Declined after assessment; the State was informed in writing.")
    return npl, bol, mwi, tun, fji


_ACTIVITIES = (
    ("undp", Entity.UNDP, Kind.TECHNICAL_ASSISTANCE, _D(2026, 6, 1), _D(2026, 12, 31),
     "Voter register update: training of registration officers"),
    ("dpo", Entity.DPO, Kind.TECHNICAL_ASSISTANCE, _D(2026, 11, 1), _D(2027, 1, 31),
     "Registration officers' training in remote districts"),
    ("ead", Entity.OHCHR, Kind.TECHNICAL_ASSISTANCE, _D(2026, 4, 1), _D(2026, 5, 20),
     "Human-rights review of the electoral legal framework"),
    ("undp", Entity.UNDP, Kind.ELECTION_SITUATION_ROOM, _D(2027, 1, 10), _D(2027, 3, 1),
     "Support to the civil-society election situation room"),
)  # fmt: skip
"""Nepal's pre-electoral activities: UNDP's and DPO's trainings overlap in November and
December (the duplication the demo shows)."""


def _activities(registry: Registry, by: dict[str, User]) -> tuple[int, int]:
    found = 0
    for who, entity, kind, starts, ends, title in _ACTIVITIES:
        activity = Activity(entity=entity, country="NPL", phase=Phase.PRE_ELECTORAL, kind=kind,
                            starts=starts, ends=ends, title=title)  # fmt: skip
        found += len(registry.add_activity(by[who], activity)[1])
    return len(_ACTIVITIES), found


def _experts(registry: Registry, ead: User) -> int:
    regions = tuple(Region)
    for i in range(24):
        skills = (_SKILLS[i % len(_SKILLS)], _SKILLS[(i * 5 + 2) % len(_SKILLS)])
        start = _D(2026, 1 + i % 6, 1)
        expert = Expert(
            name=f"{_FIRST[i]} {_LAST[i % len(_LAST)]}",
            skills=tuple(sorted(set(skills))),
            languages=_LANGUAGES[i % len(_LANGUAGES)],
            regions=(regions[i % len(regions)], regions[(i + 2) % len(regions)]),
            availability=((start, _D(start.year, start.month + 6, 28)),),
            joined_on=_D(2023 + i % 4, 1 + i % 12, 1),
            gender=_GENDERS[i % len(_GENDERS)],
            disability="yes" if i % 7 == 3 else ("no" if i % 3 else None),
        )
        registry.add_expert(ead, expert)
    return 24


def load_demo(registry: Registry, *, focal_name: str, password: str) -> DemoSummary:
    """Fill an empty registry: users of each role (all with ``password``), five requests at
    different stages, activities of three entities (one overlap), 24 experts, and documents
    in five languages (spec/assistance.md#10), one of them in two versions and one whose
    publication was withdrawn."""
    calendar = _Calendar()
    with _dated(registry, calendar):
        focal = registry.bootstrap(focal_name, password)
        users = _users(registry, focal, password)
        ead, undp, dpo = users[1], users[2], users[3]
        references = _requests(registry, focal, ead, calendar)
        calendar.on(_D(2026, 6, 10))
        activities, found = _activities(registry, {"ead": ead, "undp": undp, "dpo": dpo})
        calendar.on(_D(2026, 6, 12))
        experts = _experts(registry, ead)
        calendar.on(_D(2026, 10, 1))
        numbers = load_documents(registry, ead, references)
        calendar.on(_D(2026, 10, 15))
        documents = len(numbers) + load_corrections(registry, ead, references, numbers)
    return DemoSummary(
        users=users,
        references=references,
        activities=activities,
        overlaps=found,
        experts=experts,
        documents=documents,
    )
