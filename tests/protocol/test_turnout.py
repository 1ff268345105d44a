"""Turnout by group: counting and the suppression rule (spec/protocol.md#turnout-by-group).

Hypothesis draws rolls (group columns, values, who voted) and thresholds; whatever it draws,
every published figure is the true one, no published figure counts fewer voters than the
threshold, and no hidden figure can be recovered by subtraction from the totals. The
verifier's rule (V21, :func:`turnout_problems`) is the independent judge of the producer.
"""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suffrage.protocol.turnout import (
    NOT_STATED,
    TURNOUT_FORMAT,
    GroupCell,
    count_groups,
    suppress_cells,
    tabulate_turnout,
    turnout_to_json,
)
from suffrage.verify.turnout import turnout_problems

Voter = tuple[Mapping[str, str], bool]

VALUES = st.sampled_from(["a", "b", "c", "d", "e", ""])
voters_strategy = st.lists(
    st.tuples(
        st.fixed_dictionaries(
            {"sex": st.sampled_from(["f", "m", ""]), "band": VALUES},
            optional={"assist": st.sampled_from(["yes", "no"])},
        ),
        st.booleans(),
    ),
    min_size=1,
    max_size=120,
)


def _true_counts(voters: list[Voter]) -> dict[str, dict[str, tuple[int, int]]]:
    """An independent count: per column, per value, (eligible, voted)."""
    names = {n for groups, _ in voters for n in groups}
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for name in names:
        for groups, voted in voters:
            value = groups.get(name) or NOT_STATED
            e, v = out.setdefault(name, {}).get(value, (0, 0))
            out[name][value] = (e + 1, v + voted)
    return out


@settings(max_examples=300, deadline=None)
@given(voters=voters_strategy, threshold=st.integers(min_value=1, max_value=15))
def test_suppression_publishes_only_true_figures_that_reveal_no_small_cell(
    voters: list[Voter], threshold: int
) -> None:
    turnout = tabulate_turnout(voters, threshold=threshold)
    truth = _true_counts(voters)
    assert turnout.eligible == len(voters)
    assert turnout.voted == sum(v for _, v in voters)
    assert turnout_problems(turnout, credentials=len(voters), counted=turnout.voted) == []
    assert [c.name for c in turnout.groups] == sorted(truth)
    for column in turnout.groups:
        assert [c.value for c in column.cells] == sorted(truth[column.name])
        several = len(column.cells) > 1
        for cell in column.cells:
            e, v = truth[column.name][cell.value]
            assert cell.eligible in (None, e)
            assert cell.voted in (None, v)
            if cell.eligible is None:
                assert cell.voted is None
            if several and e < threshold:
                assert cell.eligible is None
            if several and (v < threshold or e - v < threshold):
                assert cell.voted is None
        for kind in ("eligible", "voted"):
            hidden = sum(getattr(c, kind) is None for c in column.cells)
            assert hidden != 1, (column, kind)


@settings(max_examples=200, deadline=None)
@given(voters=voters_strategy)
def test_with_threshold_one_nothing_is_hidden(voters: list[Voter]) -> None:
    """Threshold 1 hides a voted figure only when a cell's voters all voted or none did
    (eligible - voted or voted is 0), and never an eligible figure."""
    turnout = tabulate_turnout(voters, threshold=1)
    for column in turnout.groups:
        assert all(c.eligible is not None for c in column.cells)


def test_a_worked_example_with_primary_and_complementary_suppression() -> None:
    counts = {
        "sex": {"female": (40, 25), "male": (35, 20), NOT_STATED: (4, 1)},
        "assistance": {"no": (70, 44), "yes": (9, 2)},
        "first_time": {"no": (60, 40), "yes": (19, 6)},
    }
    turnout = suppress_cells(79, 46, counts, threshold=10)
    cells = {c.name: c.cells for c in turnout.groups}
    # "not stated" is small: hidden; its complement is the smallest other eligible (male).
    assert cells["sex"] == (
        GroupCell(value="female", eligible=40, voted=25),
        GroupCell(value="male", eligible=None, voted=None),
        GroupCell(value="not stated", eligible=None, voted=None),
    )
    # Two values, one small: both hidden (the other is the total minus it).
    assert cells["assistance"] == (
        GroupCell(value="no", eligible=None, voted=None),
        GroupCell(value="yes", eligible=None, voted=None),
    )
    # 6 first-time voters voted: that voted figure and its complement are hidden.
    assert cells["first_time"] == (
        GroupCell(value="no", eligible=60, voted=None),
        GroupCell(value="yes", eligible=19, voted=None),
    )


def test_large_cells_are_all_published() -> None:
    counts = {"sex": {"female": (400, 250), "male": (350, 200)}}
    turnout = suppress_cells(750, 450, counts, threshold=10)
    assert turnout.groups[0].cells == (
        GroupCell(value="female", eligible=400, voted=250),
        GroupCell(value="male", eligible=350, voted=200),
    )


def test_a_column_of_one_value_shows_the_overall_figures() -> None:
    """Its figures are the overall ones, which the record publishes anyway."""
    turnout = tabulate_turnout([({"region": "north"}, True)] * 3, threshold=10)
    assert turnout.groups[0].cells == (GroupCell(value="north", eligible=3, voted=3),)
    assert turnout_problems(turnout, credentials=3, counted=3) == []


def test_an_empty_or_missing_value_counts_as_not_stated() -> None:
    eligible, voted, counts = count_groups(
        [({"sex": "f", "age": "18-24"}, True), ({"sex": " "}, False), ({"sex": "f"}, True)]
    )
    assert (eligible, voted) == (3, 2)
    assert counts == {
        "age": {"18-24": (1, 1), NOT_STATED: (2, 1)},
        "sex": {"f": (2, 2), NOT_STATED: (1, 0)},
    }


def test_the_json_is_exactly_the_published_shape() -> None:
    turnout = suppress_cells(30, 20, {"sex": {"m": (12, 9), "f": (18, 11)}}, threshold=2)
    assert turnout_to_json(turnout) == {
        "format": TURNOUT_FORMAT,
        "threshold": 2,
        "eligible": 30,
        "voted": 20,
        "groups": {
            "sex": [
                {"value": "f", "eligible": 18, "voted": 11},
                {"value": "m", "eligible": 12, "voted": 9},
            ]
        },
    }


@pytest.mark.parametrize("threshold", [0, -3])
def test_a_threshold_below_one_is_refused(threshold: int) -> None:
    with pytest.raises(ValueError, match="threshold must be 1 or more"):
        suppress_cells(1, 1, {}, threshold=threshold)
