"""Overlapping activities, expert matching and the suppression of small groups (pure rules,
and the overlap warning through the service on both databases)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from assistance.kit import World
from suffrage.assistance.coordination import Activity, overlaps
from suffrage.assistance.domain import Entity, Kind, Phase
from suffrage.assistance.roster import Expert, Need, Region, figures, match

D = date


def _activity(entity: Entity, starts: date, ends: date, **changes: object) -> Activity:
    base = Activity(
        entity=entity,
        country="NPL",
        phase=Phase.PRE_ELECTORAL,
        kind=Kind.TECHNICAL_ASSISTANCE,
        starts=starts,
        ends=ends,
        title=f"{entity.value} voter-registration support",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_overlaps_need_different_entities_same_country_phase_kind_and_shared_days() -> None:
    undp = _activity(Entity.UNDP, D(2026, 1, 1), D(2026, 3, 31))
    dpo = _activity(Entity.DPO, D(2026, 3, 31), D(2026, 6, 30))  # one shared day
    assert [(o.starts, o.ends) for o in overlaps([undp, dpo])] == [(D(2026, 3, 31), D(2026, 3, 31))]
    assert (
        overlaps([undp, _activity(Entity.UNDP, D(2026, 2, 1), D(2026, 2, 2))]) == []
    )  # same entity
    assert (
        overlaps([undp, _activity(Entity.DPO, D(2026, 4, 1), D(2026, 5, 1))]) == []
    )  # no shared day
    assert overlaps([undp, replace(dpo, country="BOL")]) == []
    assert overlaps([undp, replace(dpo, phase=Phase.ELECTORAL)]) == []
    assert overlaps([undp, replace(dpo, kind=Kind.ELECTION_SITUATION_ROOM)]) == []
    text = overlaps([undp, dpo])[0].describe()
    assert text.startswith("UNDP 'UNDP voter-registration support' and DPO ")
    assert "technical_assistance in NPL" in text


def test_the_service_warns_of_an_overlap_and_shows_every_entity(w: World) -> None:
    _, none = w.registry.add_activity(w.undp, _activity(Entity.UNDP, D(2026, 1, 1), D(2026, 3, 31)))
    assert none == []
    _, found = w.registry.add_activity(
        w.staff, _activity(Entity.OHCHR, D(2026, 2, 1), D(2026, 2, 28))
    )
    assert [(o.first.entity, o.second.entity) for o in found] == [(Entity.UNDP, Entity.OHCHR)]
    listed, pairs = w.registry.list_activities(w.undp)  # UNDP sees OHCHR's activity too
    assert {a.entity for a in listed} == {Entity.UNDP, Entity.OHCHR}
    assert len(pairs) == 1


def _expert(name: str, **changes: object) -> Expert:
    base = Expert(
        name=name,
        skills=("voter registration", "logistics"),
        languages=("fr", "en"),
        regions=(Region.AFRICA,),
        availability=((D(2026, 1, 1), D(2026, 6, 30)),),
        joined_on=D(2025, 1, 1),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_matching_filters_ranks_and_gives_reasons() -> None:
    experts = [
        _expert("Bea", skills=("voter registration",)),
        _expert("Ana"),
        _expert("Cid", languages=("es",)),  # no French
        _expert("Dee", availability=((D(2026, 3, 1), D(2026, 12, 31)),)),  # not from the start
        _expert("Eve", skills=("boundary delimitation",)),  # no skill asked
        _expert("Fay", regions=(Region.ASIA_PACIFIC,)),
    ]
    need = Need(
        skills=("Voter registration", "logistics"),
        languages=("fr",),
        region=Region.AFRICA,
        window=(D(2026, 2, 1), D(2026, 4, 30)),
    )
    found = match(experts, need)
    assert [(m.expert.name, m.score) for m in found] == [("Ana", 9), ("Fay", 8), ("Bea", 6)]
    assert found[0].reasons == (
        "skills: logistics, voter registration (2 of 2)",
        "speaks fr",
        "available 2026-01-01 to 2026-06-30, covering the need",
        "has worked in region africa",
    )


def test_groups_under_five_are_suppressed_with_a_second_cell_where_needed() -> None:
    roster = (
        [_expert(f"W{i}", gender="woman") for i in range(7)]
        + [_expert(f"M{i}", gender="man") for i in range(6)]
        + [_expert("N1", gender="non-binary")]
        + [_expert(f"X{i}", disability="yes", joined_on=D(2026, 5, 1)) for i in range(5)]
    )
    before = figures(roster, D(2026, 1, 1))
    assert before.total == 14
    # one group under 5 alone would be found by subtraction: the next smallest is hidden too
    assert before.by_dimension["gender"] == {"man": None, "non-binary": None, "woman": 7}
    assert before.by_dimension["disability"] == {"not stated": 14}
    after = figures(roster, D(2026, 6, 1))  # over time: the later experts are counted
    assert after.total == 19
    assert after.by_dimension["gender"] == {
        "man": 6,
        "non-binary": None,
        "not stated": None,
        "woman": 7,
    }
    assert after.by_dimension["disability"] == {"not stated": 14, "yes": 5}


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_every_count_under_five_is_hidden(count: int) -> None:
    roster = [_expert(f"A{i}", gender="a") for i in range(count)] + [
        _expert(f"B{i}", gender="b") for i in range(9)
    ]
    assert figures(roster, D(2026, 1, 1)).by_dimension["gender"] == {"a": None, "b": None}
