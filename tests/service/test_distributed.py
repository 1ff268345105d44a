"""Verification on a local Dask cluster gives the same report as one process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from suffrage.core import SeededRandom
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.record.canonical import canonical_bytes
from suffrage.service.distributed import dask_chunk_mapper
from suffrage.service.election import run_election
from suffrage.verify.record import verify_record


@pytest.fixture(scope="module")
def record(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dask") / "record"
    run_election(load_sample_manifest(), voters=10, rng=SeededRandom("dask"), out=out)
    return out


def _tampered(record: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "tampered"
    shutil.copytree(record, copy)
    lines = (copy / "ballots.jsonl").read_bytes().splitlines()
    entry = json.loads(lines[4])
    selection = entry["ballot"]["contests"][0]["selections"][0]
    selection["ciphertext"]["alpha"], selection["ciphertext"]["beta"] = (
        selection["ciphertext"]["beta"],
        selection["ciphertext"]["alpha"],
    )
    lines[4] = canonical_bytes(entry)
    del lines[7]
    (copy / "ballots.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    return copy


def test_dask_report_equals_single_process(record: Path, tmp_path: Path) -> None:
    tampered = _tampered(record, tmp_path)
    with dask_chunk_mapper(record, workers=2) as on_dask:
        clean = verify_record(record, map_chunks=on_dask, chunk_size=3)
    with dask_chunk_mapper(tampered, workers=2) as on_dask:
        bad = verify_record(tampered, map_chunks=on_dask, chunk_size=3)
    assert clean.passed
    assert clean.to_json() == verify_record(record, chunk_size=3).to_json()
    assert clean.to_json() == verify_record(record, chunk_size=1000).to_json()
    assert not bad.passed
    assert {"V9", "V11", "V14"} <= set(bad.failed_checks())
    assert bad.to_json() == verify_record(tampered, chunk_size=3).to_json()
    assert bad.to_json() == verify_record(tampered, chunk_size=1000).to_json()


def test_workers_or_scheduler_not_both(record: Path) -> None:
    with (
        pytest.raises(ValueError, match="either"),
        dask_chunk_mapper(record, workers=1, scheduler="tcp://127.0.0.1:1"),
    ):
        pass
