"""The published ranked ballot vectors (tests/vectors/ranked_ballot.json, spec/protocol.md#13):
regenerated and compared byte for byte, and checked by the reference checker (V7-V10, V18,
V22, and V13 on each reveal), for the booth's JavaScript to reproduce later."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

from suffrage.protocol.ballot import RankedContestCiphertexts
from suffrage.protocol.ballot_check import check_ballot, check_spoiled_ballot
from suffrage.record.codec import ballot_from_json, reveal_from_json

VECTORS = Path(__file__).parent
DATA: dict[str, Any] = json.loads((VECTORS / "ranked_ballot.json").read_text())


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_ranked_vectors", VECTORS / "make_ranked_vectors.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vectors_are_reproduced_byte_for_byte() -> None:
    made = _generator().make()
    assert (
        json.dumps(made, indent=1, sort_keys=True) + "\n"
        == (VECTORS / "ranked_ballot.json").read_text()
    )


def test_the_vector_ballots_pass_the_checker() -> None:
    context, _ = _generator().election()
    for vector in DATA["ballots"]:
        ballot = ballot_from_json(vector["ballot"], "ballot")
        ranked = [c for c in ballot.contests if isinstance(c, RankedContestCiphertexts)]
        assert [len(c.ranks) for c in ranked] == [3]
        check_ballot(context, ballot)
        check_spoiled_ballot(context, ballot, reveal_from_json(vector["reveal"], "reveal"))
        data = bytes.fromhex(vector["ballot_hash_transcript"])
        assert hashlib.sha512(data).hexdigest() == vector["ballot_hash"]
    for rank in DATA["rank_contexts"]:
        digest = hashlib.sha512(bytes.fromhex(rank["transcript"])).hexdigest()
        assert digest == rank["context"]
