"""Fixtures of the verifier tests: one small election, run once, copied for each test."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from suffrage.core import SeededRandom
from suffrage.protocol.manifest import Manifest, load_sample_manifest
from suffrage.service.election import ElectionRun, run_election

VOTERS = 12
SEED = 17
"""With this seed the 12 voters leave 14 entries: one spoiled ballot and one re-vote."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Election:
    """A finished election: what ran in process, and where its pristine record lies."""

    run: ElectionRun
    record: Path


@pytest.fixture(scope="session")
def election(tmp_path_factory: pytest.TempPathFactory) -> Election:
    """One small election of the sample manifest, written once for the whole session."""
    out = tmp_path_factory.mktemp("election") / "record"
    run = run_election(load_sample_manifest(), voters=VOTERS, rng=SeededRandom(SEED), out=out)
    assert run.spoiled >= 1, "the seed must give a spoiled ballot"
    assert run.revotes >= 1, "the seed must give a re-vote"
    return Election(run=run, record=out)


@pytest.fixture
def record(election: Election, tmp_path: Path) -> Path:
    """A fresh copy of the election's record, for one test to mutate."""
    copy = tmp_path / "record"
    shutil.copytree(election.record, copy)
    return copy


def plain_manifest(keep: Sequence[str] = ()) -> Manifest:
    """The sample manifest without its ranked contests (but those in ``keep``): ballots the
    kernel's batch path takes (it never takes a ballot holding a ranked contest)."""
    manifest = load_sample_manifest()
    gone = {c.contest_id for c in manifest.contests if not c.is_homomorphic} - set(keep)
    return replace(
        manifest,
        contests=tuple(c for c in manifest.contests if c.contest_id not in gone),
        ballot_styles=tuple(
            replace(s, contest_ids=tuple(c for c in s.contest_ids if c not in gone))
            for s in manifest.ballot_styles
        ),
    )


@pytest.fixture(scope="session")
def plain_election(tmp_path_factory: pytest.TempPathFactory) -> Election:
    """The small election of :func:`election` without ranked contests."""
    out = tmp_path_factory.mktemp("plain") / "record"
    run = run_election(plain_manifest(), voters=VOTERS, rng=SeededRandom(SEED), out=out)
    return Election(run=run, record=out)
