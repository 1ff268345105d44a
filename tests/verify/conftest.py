"""Fixtures of the verifier tests: one small election, run once, copied for each test."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from suffrage.core import SeededRandom
from suffrage.protocol.manifest import load_sample_manifest
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
