"""The published ballot vectors (tests/vectors/ballots.json, spec/protocol.md#11-14).

They are regenerated here and compared byte for byte; the booth's JavaScript reproduces them
(web/booth/test/vectors.test.mjs, run by tests/booth/test_js_crypto.py).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from suffrage.errors import InvalidInput
from suffrage.protocol.ballot_check import check_ballot, check_spoiled_ballot
from suffrage.protocol.credentials import normalise_credential
from suffrage.record.codec import ballot_from_json, reveal_from_json

VECTORS = Path(__file__).parent
DATA: dict[str, Any] = json.loads((VECTORS / "ballots.json").read_text())
REASONS = {"check": "check character", "length": "characters, got", "character": "alphabet"}


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_ballot_vectors", VECTORS / "make_ballot_vectors.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vectors_are_reproduced_byte_for_byte() -> None:
    made = _generator().make()
    assert (
        json.dumps(made, indent=1, sort_keys=True) + "\n" == (VECTORS / "ballots.json").read_text()
    )


@pytest.mark.parametrize("case", DATA["refused_codes"], ids=lambda c: c["typed"])
def test_refused_codes_are_refused_for_their_reason(case: dict[str, str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalise_credential(case["typed"])
    assert caught.value.field == "credential"
    assert REASONS[case["problem"]] in caught.value.reason


def test_the_vector_ballots_pass_the_checker() -> None:
    context, _ = _generator().election()
    for vector in DATA["ballots"]:
        ballot = ballot_from_json(vector["ballot"], "ballot")
        check_ballot(context, ballot)
        check_spoiled_ballot(context, ballot, reveal_from_json(vector["reveal"], "reveal"))
        data = bytes.fromhex(vector["ballot_hash_transcript"])
        assert hashlib.sha512(data).hexdigest() == vector["ballot_hash"]
