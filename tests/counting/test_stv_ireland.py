"""The Irish STV count (Electoral Act 1992 Part XIX) on worked examples built by hand from
the Act, step by step (spec/counting.md#stv-ireland), and its invariants on the real STV
elections."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from suffrage.counting.ballots import Profile, make_ballot
from suffrage.counting.readers import parse_blt
from suffrage.counting.stv_ireland import NON_TRANSFERABLE, count_stv_ireland, draw_papers


def profile(names: str, lines: Sequence[tuple[int, str]], seats: int) -> Profile:
    """Ballot lines ``(papers, "ABC")`` in filing order: A first, then B, then C."""
    made = tuple(make_ballot([[names.index(c)] for c in prefs], weight=w) for w, prefs in lines)
    return Profile(candidates=tuple(names), ballots=made, seats=seats)


# Example 1 (spec/counting.md#stv-ireland-example-1): 49 papers, 3 seats, quota 13.
FIRST = [
    (5, "ACD"), (4, "ADF"), (3, "AEF"), (2, "AB"), (4, "A"),
    (14, "BC"), (4, "CD"), (4, "DC"), (1, "EF"), (1, "ED"), (6, "FD"), (1, "GE"),
]  # fmt: skip
# Example 2 (#stv-ireland-example-2): 22 papers, 3 seats, quota 6.
SECOND = [(4, "ABC"), (4, "ABD"), (3, "A"), (2, "BE"), (4, "C"), (4, "D"), (1, "E")]


def figures(values: object, names: str) -> tuple[int, ...]:
    assert isinstance(values, dict)
    return tuple(values[n] for n in (*names, NON_TRANSFERABLE))


def stages_of(lines: Sequence[tuple[int, str]], names: str, seed: int = 0) -> list[object]:
    result = count_stv_ireland(profile(names, lines, 3), seed=seed)
    return [dict(stage.values) for stage in result.trail.stages]


def test_quota_and_first_count() -> None:
    result = count_stv_ireland(profile("ABCDEFG", FIRST, 3))
    assert (result.options["valid"], result.options["quota"]) == (49, 13)  # s. 120(1)
    first = result.trail.stages[0]
    assert figures(dict(first.values), "ABCDEFG") == (18, 14, 4, 4, 2, 6, 1, 0)
    assert first.events == ("quota 13 of 49 valid papers (s. 120(1))", "elected A", "elected B")


def test_a_first_count_surplus_examines_all_papers_in_proportion() -> None:
    # A's 18 papers: 5 next for C, 4 for D, 3 for E, 2 for B (elected, so passed over: "A B"
    # has no further choice) and 4 plumpers: 12 transferable > surplus 5. Shares 5 x 5/12 =
    # 2 r1, 4 x 5/12 = 1 r8, 3 x 5/12 = 1 r3: one paper short, to D (largest remainder 8).
    result = count_stv_ireland(profile("ABCDEFG", FIRST, 3))
    count = result.trail.stages[1]
    assert count.kind == "surplus"
    assert count.events == (
        "surplus of A (5): all papers (elected on the first count), 18 papers, "
        "12 transferable, 6 non-transferable (s. 121)",
        "2 of 5 papers to C",
        "2 of 4 papers to D",
        "1 of 3 papers to E",
    )
    assert figures(dict(count.values), "ABCDEFG") == (13, 14, 6, 6, 3, 6, 1, 0)


def test_a_surplus_that_can_change_nothing_is_deferred() -> None:
    # Count 3: B's surplus of 1 could not elect (6 + 1 < 13), bring G (1) level with E (3)
    # nor take G above a quarter of the quota (3.25); G and E (1 + 3 + 1 < 6) go together.
    count = count_stv_ireland(profile("ABCDEFG", FIRST, 3)).trail.stages[2]
    assert count.kind == "exclusion"
    assert count.events == (
        "surpluses (1) deferred: they can change nothing (s. 121)",
        "excluded together: their votes and the surpluses cannot reach the next",
        "excluded G, E",
        "3 papers transferred, 1 non-transferable",
    )
    assert figures(dict(count.values), "ABCDEFG") == (13, 14, 6, 7, 0, 8, 0, 1)


def test_the_deferred_surplus_moves_once_it_can_matter_and_ties_look_at_earlier_counts() -> None:
    result = count_stv_ireland(profile("ABCDEFG", FIRST, 3))
    fourth, fifth = result.trail.stages[3:5]
    # B's surplus can now bring C (6) level with D (7): transferred, all 14 papers examined.
    assert fourth.kind == "surplus"
    assert fourth.events[-1] == "1 of 14 papers to C"
    assert figures(dict(fourth.values), "ABCDEFG") == (13, 13, 7, 7, 0, 8, 0, 1)
    # C and D tie at 7; at count 3 C had 6, D 7: C is excluded; D reaches the quota.
    assert fifth.events[:2] == ("tie for exclusion broken by stage 3 totals", "excluded C")
    assert figures(dict(fifth.values), "ABCDEFG") == (13, 13, 0, 13, 0, 8, 0, 2)
    assert result.elected == ("A", "B", "D")


def test_a_surplus_from_a_transfer_examines_only_the_last_parcel() -> None:
    # Count 2: A (11, quota 6) passes 5 of the 8 papers marked A B to B by the draw; B
    # (2 + 5 = 7) is elected. Count 3: only those 5 papers (the last parcel) are examined,
    # never B's own "B E" papers, so E gets nothing from B.
    counts = stages_of(SECOND, "ABCDE", seed=0)
    assert figures(counts[0], "ABCDE") == (11, 2, 4, 4, 1, 0)
    assert figures(counts[1], "ABCDE") == (6, 7, 4, 4, 1, 0)
    assert figures(counts[2], "ABCDE") == (6, 6, 5, 4, 1, 0)
    result = count_stv_ireland(profile("ABCDE", SECOND, 3), seed=0)
    assert result.trail.stages[2].events == (
        "surplus of B (1): the last parcel, 5 papers, 5 transferable, 0 non-transferable (s. 121)",
        "1 of 3 papers to C",
        "0 of 2 papers to D",
    )


def test_the_draw_decides_which_papers_move_and_is_reproducible_from_the_seed() -> None:
    # Seed 0 draws places 1, 2, 4, 6, 7 of A's eight "A B" papers: three A B C, two A B D;
    # the one paper of B's surplus goes to C (remainder 3 of 5 against 2). Seed 1 draws
    # places 2, 3, 5, 6, 7: two A B C, three A B D, so D gets it and the third seat.
    zero = count_stv_ireland(profile("ABCDE", SECOND, 3), seed=0)
    one = count_stv_ireland(profile("ABCDE", SECOND, 3), seed=1)
    assert zero.trail.lots[0] == (
        "count 2: drew 5 of the 8 papers of B's sub-parcel of A's surplus: places 1, 2, 4, 6, 7"
    )
    assert one.trail.lots[0] == (
        "count 2: drew 5 of the 8 papers of B's sub-parcel of A's surplus: places 2, 3, 5, 6, 7"
    )
    assert zero.elected == ("A", "B", "C")
    assert one.elected == ("A", "B", "D")
    assert count_stv_ireland(profile("ABCDE", SECOND, 3), seed=1).trail == one.trail
    # Count 4: E (1, a plumper) is excluded; then two continue for one seat and the lower
    # with no surplus left cannot catch up: s. 124(1A).
    assert zero.trail.notes[-1] == "deemed elected without the quota (s. 124(1A)): C"


def test_draw_papers_is_a_fixed_function_of_seed_and_label() -> None:
    papers = list(range(100, 120))
    first = draw_papers(papers, 7, seed=5, label="count 2|A|B")
    assert first == draw_papers(papers, 7, seed=5, label="count 2|A|B")
    assert first == sorted(first)
    assert len(set(first)) == 7
    assert set(first) <= set(papers)
    assert first != draw_papers(papers, 7, seed=6, label="count 2|A|B")
    assert first != draw_papers(papers, 7, seed=5, label="count 3|A|B")
    assert draw_papers(papers, 20, seed=5, label="x") == papers
    assert draw_papers(papers, 0, seed=5, label="x") == []


def test_equal_fractions_and_equal_candidates_go_to_lot() -> None:
    # 16 papers, 2 seats, quota 6: A's surplus of 3 over 4 transferable papers, 2 for B and
    # 2 for C, is 1.5 each: equal remainders, so the lot of s. 118 decides who gets the
    # extra paper, and with it the second seat.
    lines = [(2, "AB"), (2, "AC"), (5, "A"), (2, "B"), (2, "C"), (3, "D")]
    winners = set()
    for seed in range(8):
        result = count_stv_ireland(profile("ABCD", lines, 2), seed=seed)
        assert result.trail.stages[1].events[1].startswith("equal fractions, order drawn by lot")
        winners.add(result.elected)
    assert winners == {("A", "B"), ("A", "C")}


def test_real_elections_conserve_papers(election_data: Path) -> None:
    files = sorted((election_data / "stv_scotland_2017" / "ballots").glob("*.blt"))
    files += sorted((election_data / "stv_glasgow_2007" / "blt").glob("*.blt"))
    assert len(files) > 300
    for file in files:
        data = parse_blt(file.read_text(encoding="utf-8"), source=file.name)
        result = count_stv_ireland(data, seed=1)
        assert len(result.elected) == len(set(result.elected)) == data.seats, file.name
        for stage in result.trail.stages:
            assert sum(stage.values.values()) == result.options["valid"], (file.name, stage)
