"""What the assistance tests share: a registry on SQLite or PostgreSQL, a fixed clock, users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from suffrage.assistance.access import Role, User
from suffrage.assistance.demo import load_demo
from suffrage.assistance.domain import (
    Assessment,
    Authority,
    Condition,
    Kind,
    Request,
)
from suffrage.assistance.service import Registry
from suffrage.assistance.storage import Store

PASSWORD = "correct horse battery staple"


class Clock:
    """A clock that moves one minute each time it is read."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@dataclass
class World:
    registry: Registry
    focal: User
    staff: User
    undp: User
    liaison: User
    public: User


def world(url: str) -> World:
    registry = Registry(Store(url), Clock())
    focal = registry.bootstrap("Focal Point", PASSWORD)
    add = registry.add_user
    return World(
        registry=registry,
        focal=focal,
        staff=add(focal, User(name="Ead Officer", role=Role.EAD_STAFF), PASSWORD),
        undp=add(
            focal, User(name="Undp Adviser", role=Role.IMPLEMENTING_ENTITY, entity="UNDP"), PASSWORD
        ),
        liaison=add(
            focal, User(name="Nepal Liaison", role=Role.MEMBER_STATE_LIAISON, state="NPL"), PASSWORD
        ),
        public=add(focal, User(name="Anyone", role=Role.PUBLIC), None),
    )


def a_request(
    country: str = "NPL", kinds: tuple[Kind, ...] = (Kind.TECHNICAL_ASSISTANCE,)
) -> Request:
    return Request(
        authority=Authority.MEMBER_STATE,
        country=country,
        received_on=date(2026, 2, 1),
        elections=("general election 2027",),
        kinds=kinds,
    )


def an_assessment(*, all_met: bool = True) -> Assessment:
    return Assessment(
        findings="The commission is in place; the calendar is tight but workable.",
        conditions={
            Condition.ADEQUATE_TIME: (all_met, "eleven months before polling day"),
            Condition.FREE_AND_FAIR_CONDITIONS: (True, "parties campaign freely"),
            Condition.REPORTING_PROVISIONS: (True, "quarterly reports agreed"),
        },
    )


def demo_registry(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, password: str
) -> Registry:
    """The demo registry (one user of each role, all with ``password``) on a fresh SQLite
    file or PostgreSQL database, as ``request.param`` says."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('assist') / 'assistance.db'}"
    else:
        url = str(request.getfixturevalue("postgres").new_database())
    made = Registry(Store(url), Clock())
    load_demo(made, focal_name="demo-focal-point", password=password)
    return made
