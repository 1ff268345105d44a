"""Turnout by group in the service layer: the authority's count, the demo's, publishing.

An in-process election (some voters abstain, some vote twice) gives a real board; the
credential authority's file is rebuilt from its codes with the simulated groups, and
:func:`turnout_of` must find exactly who voted, as the demo record says.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from suffrage.core import SeededRandom
from suffrage.errors import InvalidInput
from suffrage.protocol.board import counted_entries
from suffrage.protocol.credentials import Credential
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.protocol.turnout import tabulate_turnout, turnout_to_json
from suffrage.record.canonical import canonical_bytes
from suffrage.service.authority import AuthorityFile
from suffrage.service.election import ElectionRun, run_election, simulated_groups
from suffrage.service.publish import publish
from suffrage.service.roll import Voter
from suffrage.service.turnout import turnout_of, write_turnout

VOTERS = 40


@pytest.fixture(scope="module")
def election() -> ElectionRun:
    run = run_election(
        load_sample_manifest(), voters=VOTERS, rng=SeededRandom(11), out=None, abstention=30
    )
    assert run.revotes >= 1
    assert 0 < run.tally.counted < VOTERS
    return run


def _authority(run: ElectionRun) -> AuthorityFile:
    voters = tuple(
        Voter(
            voter_id=f"V-{n}",
            style_id="north",
            language="en",
            groups=tuple(sorted(simulated_groups(code).items())),
        )
        for n, code in enumerate(run.credentials)
    )
    return AuthorityFile(
        election_id=run.context.election_id, voters=voters, codes=tuple(run.credentials)
    )


def test_the_authority_finds_exactly_who_voted(election: ElectionRun) -> None:
    voted = {e.ballot.credential.to_bytes() for e in counted_entries(election.entries)}
    by_hand = [
        (
            simulated_groups(code),
            Credential.from_code(code, election_id=election.context.election_id).public.to_bytes()
            in voted,
        )
        for code in election.credentials
    ]
    counted = [e.sequence for e in counted_entries(election.entries)]
    for threshold in (1, 5, 10):
        found = turnout_of(_authority(election), election.entries, counted, threshold=threshold)
        assert found == tabulate_turnout(by_hand, threshold=threshold)
        assert (found.eligible, found.voted) == (VOTERS, election.tally.counted)
    assert election.turnout == turnout_of(_authority(election), election.entries, counted)


def test_a_counted_entry_missing_from_the_board_is_refused(election: ElectionRun) -> None:
    with pytest.raises(InvalidInput, match="has no entry 9999, which the tally counted"):
        turnout_of(_authority(election), election.entries, [9999])


def test_the_demo_groups_come_from_the_code_alone() -> None:
    assert simulated_groups("AAAA") == simulated_groups("AAAA")
    values = [simulated_groups(str(n)) for n in range(400)]
    assert {v["sex"] for v in values} == {"female", "male", ""}
    assert {v["assistance"] for v in values} == {"yes", "no"}


def test_publishing_copies_turnout_and_refuses_one_of_another_tally(
    election: ElectionRun, tmp_path: Path
) -> None:
    directory = tmp_path / "election"
    directory.mkdir()
    assert election.turnout is not None
    write_turnout(directory / "turnout.json", election.turnout)
    out = tmp_path / "record"
    publish(out, context=election.context, entries=election.entries, tally=election.tally,
            partials=election.partials, turnout_from=directory)  # fmt: skip
    assert (out / "turnout.json").read_bytes() == (directory / "turnout.json").read_bytes()
    wrong = turnout_to_json(election.turnout) | {"voted": election.tally.counted + 1}
    (directory / "turnout.json").write_bytes(canonical_bytes(wrong) + b"\n")
    with pytest.raises(InvalidInput, match="run `suffrage election turnout --force` again"):
        publish(tmp_path / "other", context=election.context, entries=election.entries,
                tally=election.tally, partials=election.partials,
                turnout_from=directory)  # fmt: skip
    assert not (tmp_path / "other" / "results.json").exists()


def test_write_turnout_never_replaces_without_force(election: ElectionRun, tmp_path: Path) -> None:
    assert election.turnout is not None
    path = tmp_path / "turnout.json"
    write_turnout(path, election.turnout)
    with pytest.raises(InvalidInput, match="already exists"):
        write_turnout(path, election.turnout)
    write_turnout(path, election.turnout, force=True)
    assert json.loads(path.read_bytes())["format"] == "suffrage/turnout/1"
