"""The booth's JavaScript cryptography against the Python reference (spec/protocol.md#11-14).

(a) The Node test runner passes (web/booth/test: tests/vectors/proofs.json and ballots.json
byte for byte, refusals of bad input). (b) Ballots made by the JavaScript module under Node
pass the Python checker and are accepted by a bulletin board, a spoiled one with its reveal.
(c) With the seeded source, the JavaScript ballot is Python's ``encrypt_ballot`` byte for
byte. (d) Forged JavaScript ballots are refused by the board with their reason. (e) The same
for a ballot with a ranked contest (spec #13.1-13.4): checked, accepted, cast and spoiled,
Python's byte for byte, and a ranking outside ``0..m`` refused with its field and reason.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from suffrage.core import SeededRandom
from suffrage.core.group import ORDER
from suffrage.errors import IneligibleBallot, InvalidBallot, VerificationFailed
from suffrage.protocol.ballot import (
    RankedContestCiphertexts,
    ballot_digest,
    encrypt_ballot,
    style_contests,
)
from suffrage.protocol.ballot_check import check_ballot, check_spoiled_ballot
from suffrage.protocol.board import EntryState, chain_start, display_code, tracking_code
from suffrage.protocol.context import ElectionContext, make_context
from suffrage.protocol.credentials import Credential, CredentialKey, generate_credential
from suffrage.protocol.manifest import Manifest, load_sample_manifest, manifest_to_dict
from suffrage.record.canonical import canonical_bytes
from suffrage.record.codec import ballot_from_json, ballot_to_json, reveal_from_json, reveal_to_json
from suffrage.record.files import election_to_json
from suffrage.service.election import homomorphic_only, key_ceremony
from suffrage.storage.board import BulletinBoard

ROOT = Path(__file__).resolve().parents[2]
BOOTH = ROOT / "web" / "booth"
NODE_NEEDED = (20, 19)
CHOICES = {
    "mayor": [0, 1, 0, 0],
    "city-council": [0, 0, 1, 0, 0],
    "school-board-north": [1, 0, 0, 1, 0],
    "participatory-budget": [1, 1, 0, 1],
    "charter-assembly": [1, 0],
}
"""A filled-in ballot of style ``north``: 20 selections, 8 of them marked."""
RANKED = "north-district-council"
RANKED_CHOICES = {**CHOICES, RANKED: [3, 1, 6, 0, 0, 0]}
"""The same ballot with the sample manifest's ranked contest of style ``north`` (6 options):
its options 3, 1 and 6 ranked first to third, no fourth to sixth preference."""


def node() -> str:
    """The Node.js the booth's tests run on: 20.19 or later, or the test fails saying why."""
    path = shutil.which("node")
    if path is None:
        pytest.fail("Node.js is not installed (no `node` on PATH): the booth needs Node 20.19+")
    version = subprocess.run([path, "--version"], capture_output=True, text=True, check=True)
    found = re.fullmatch(r"v(\d+)\.(\d+)\.\d+\s*", version.stdout)
    if found is None or (int(found[1]), int(found[2])) < NODE_NEEDED:
        pytest.fail(f"Node.js 20.19 or later is needed for the booth; {path} is {version.stdout}")
    return path


def run_js(tool: str, request: dict[str, Any]) -> Any:
    """Run ``web/booth/tools/<tool>`` on ``request``; its JSON answer."""
    done = subprocess.run(
        [node(), str(BOOTH / "tools" / tool)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stderr == "", done.stderr
    return json.loads(done.stdout)


@dataclass(frozen=True, slots=True)
class Election:
    context: ElectionContext
    manifest: dict[str, Any]
    election: dict[str, Any]
    north: str
    """The credential code of a voter of style ``north``."""


@pytest.fixture(scope="module")
def election() -> Election:
    return make_election(homomorphic_only(load_sample_manifest()), SeededRandom("booth-js"))


@pytest.fixture(scope="module")
def ranked_election() -> Election:
    """The whole sample manifest, its ranked contests kept (as tests/protocol/test_mixnet.py)."""
    return make_election(load_sample_manifest(), SeededRandom("booth-js-ranked"))


def make_election(manifest: Manifest, rng: SeededRandom) -> Election:
    """An election of ``manifest`` with 3 guardians (2 to decrypt) and a voter per style."""
    secrets, _, _ = key_ceremony(manifest, guardians=3, threshold=2, rng=rng)
    codes = {style: generate_credential(rng) for style in ("north", "south")}
    context = make_context(
        manifest=manifest,
        threshold=2,
        guardians=[s.public for s in secrets],
        credentials=[
            CredentialKey(Credential.from_code(code, election_id=manifest.election_id).public, s)
            for s, code in codes.items()
        ],
    )
    return Election(context, manifest_to_dict(manifest), election_to_json(context), codes["north"])


@pytest.fixture
def board(election: Election, tmp_path: Path) -> Iterator[BulletinBoard]:
    with BulletinBoard(
        election.context, f"sqlite:///{tmp_path / 'board.db'}", rng=SeededRandom("board")
    ) as board:
        yield board


@pytest.fixture
def ranked_board(ranked_election: Election, tmp_path: Path) -> Iterator[BulletinBoard]:
    with BulletinBoard(
        ranked_election.context, f"sqlite:///{tmp_path / 'board.db'}", rng=SeededRandom("board")
    ) as board:
        yield board


def encrypt_js(election: Election, **changes: Any) -> dict[str, Any]:
    request = {
        "manifest": election.manifest,
        "election": election.election,
        "style": "north",
        "choices": CHOICES,
        "code": election.north,
        **changes,
    }
    answer: dict[str, Any] = run_js("encrypt.mjs", request)
    assert "error" not in answer, answer
    return answer


def cast(board: BulletinBoard, ballot: dict[str, Any], reveal: Any = None) -> Any:
    return board.cast(
        ballot_from_json(ballot, "ballot"),
        at=board.context.manifest.start_time,
        reveal=None if reveal is None else reveal_from_json(reveal, "reveal"),
    )


def test_node_tests_pass() -> None:
    """(a) Every test of web/booth/test passes under Node."""
    done = subprocess.run(
        [node(), "--test", "web/booth/test/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"node --test failed:\n{done.stdout}\n{done.stderr}"
    assert re.search(r"^# fail 0$", done.stdout, re.MULTILINE), done.stdout
    passed = re.search(r"^# pass (\d+)$", done.stdout, re.MULTILINE)
    assert passed is not None
    assert int(passed[1]) >= 30, done.stdout


def test_js_ballots_are_checked_and_accepted(election: Election, board: BulletinBoard) -> None:
    """(b) A cast and a spoiled JavaScript ballot pass V7-V10, V18 and V13 and go on the board."""
    context = election.context
    made = encrypt_js(election)
    ballot = ballot_from_json(made["ballot"], "ballot")
    check_ballot(context, ballot)
    digest = ballot_digest(context, ballot)
    assert made["ballot_hash"] == digest.hex()
    assert made["fingerprint"] == display_code(digest)
    assert sum(len(c.selections) for c in ballot.contests) == 20

    entry = cast(board, made["ballot"])
    assert (entry.sequence, entry.state) == (1, EntryState.CAST)
    first = tracking_code(
        context, previous=chain_start(context), sequence=1, state=EntryState.CAST, ballot=ballot
    )
    assert entry.tracking_code == first

    spoiled = encrypt_js(election)
    secrets = reveal_from_json(spoiled["reveal"], "reveal")
    check_spoiled_ballot(context, ballot_from_json(spoiled["ballot"], "ballot"), secrets)
    assert {c: list(v) for c, v in secrets.values.items()} == CHOICES
    entry = cast(board, spoiled["ballot"], spoiled["reveal"])
    assert (entry.sequence, entry.state) == (2, EntryState.SPOILED)
    assert [e.ballot.ballot_id for e in board.entries()] == [
        made["ballot"]["ballot_id"],
        spoiled["ballot"]["ballot_id"],
    ]
    assert made["ballot"]["ballot_id"] != spoiled["ballot"]["ballot_id"]


@pytest.mark.parametrize("seed", ["00", "6a732d626f6f7468"])
def test_seeded_js_ballot_is_pythons_byte_for_byte(election: Election, seed: str) -> None:
    """(c) The same seeded source gives the same ballot and reveal in both languages."""
    made = encrypt_js(election, seed=seed, code=election.north.lower().replace("-", " "))
    ballot, secrets = encrypt_ballot(
        election.context,
        style_id="north",
        choices=CHOICES,
        credential=Credential.from_code(election.north, election_id=election.context.election_id),
        rng=SeededRandom(bytes.fromhex(seed)),
    )
    assert canonical_bytes(made["ballot"]) == canonical_bytes(ballot_to_json(ballot))
    assert canonical_bytes(made["reveal"]) == canonical_bytes(reveal_to_json(secrets))


def test_refusals_reach_the_caller_with_field_and_reason(election: Election) -> None:
    request = {
        "manifest": election.manifest,
        "election": election.election,
        "style": "north",
        "code": election.north,
    }
    too_many = run_js("encrypt.mjs", {**request, "choices": {**CHOICES, "mayor": [1, 1, 0, 0]}})
    assert too_many == {
        "error": {
            "name": "InvalidBallot",
            "field": "choices.mayor",
            "reason": "2 selections, more than the limit 1",
        }
    }
    wrong = election.north[:-1] + ("0" if election.north[-1] != "0" else "1")
    refused = run_js("encrypt.mjs", {**request, "choices": CHOICES, "code": wrong})
    assert refused["error"]["name"] == "CredentialCodeError"
    assert refused["error"]["field"] == "credential"
    assert "check character" in refused["error"]["reason"]


def test_a_selection_encrypting_two_is_refused(election: Election, board: BulletinBoard) -> None:
    """(d) Selection 'mayor' option 1 encrypts 2, its proofs simulated, re-signed: V9."""
    honest = encrypt_js(election)
    option = election.manifest["contests"][0]["options"][0]["option_id"]
    forged = run_js(
        "forge.mjs",
        {
            "action": "selection",
            "manifest": election.manifest,
            "election": election.election,
            "ballot": honest["ballot"],
            "code": election.north,
            "contest": "mayor",
            "option": option,
            "value": 2,
            "limit": 1,
        },
    )
    assert (
        forged["contests"][0]["selections"][0] != honest["ballot"]["contests"][0]["selections"][0]
    )
    with pytest.raises(InvalidBallot) as caught:
        cast(board, forged)
    assert type(caught.value) is InvalidBallot
    assert caught.value.field == "ballot (V9)"
    assert caught.value.reason == (
        f"contest mayor, option {option}: the branch challenges do not add up to the challenge"
    )
    assert len(board) == 0


def test_a_ballot_of_another_style_is_refused(election: Election, board: BulletinBoard) -> None:
    """(d) A north voter's credential signing a south ballot: V18."""
    south = {c.contest_id: [0] * len(c.options) for c in style_contests(election.context, "south")}
    made = encrypt_js(election, style="south", choices=south)
    with pytest.raises(VerificationFailed) as checked:
        check_ballot(election.context, ballot_from_json(made["ballot"], "ballot"))
    assert checked.value.check == "V18"
    with pytest.raises(IneligibleBallot) as caught:
        cast(board, made["ballot"])
    assert caught.value.field == "ballot (V18)"
    assert caught.value.reason == (
        "the ballot is of style 'south', but its credential is bound to style 'north'"
    )
    assert len(board) == 0


def _moved(hex_scalar: str) -> str:
    value = (int.from_bytes(bytes.fromhex(hex_scalar), "little") + 1) % ORDER
    return value.to_bytes(32, "little").hex()


def test_a_tampered_challenge_is_refused(election: Election, board: BulletinBoard) -> None:
    """(d) One branch challenge plus one: V8 as it stands, V9 once signed again."""
    honest = encrypt_js(election)
    tampered = json.loads(json.dumps(honest["ballot"]))
    proof = tampered["contests"][1]["selections"][2]["proof"]
    proof["challenges"][0] = _moved(proof["challenges"][0])
    with pytest.raises(InvalidBallot) as unsigned:
        cast(board, tampered)
    assert unsigned.value.field == "ballot (V8)"
    assert unsigned.value.reason.startswith("signature: ")

    resigned = run_js(
        "forge.mjs",
        {
            "action": "resign",
            "manifest": election.manifest,
            "election": election.election,
            "ballot": tampered,
            "code": election.north,
        },
    )
    assert resigned["signature"] != tampered["signature"]
    contest = tampered["contests"][1]
    where = f"contest {contest['contest_id']}, option {contest['selections'][2]['option_id']}"
    with pytest.raises(InvalidBallot) as caught:
        cast(board, resigned)
    assert caught.value.field == "ballot (V9)"
    assert caught.value.reason == f"{where}: the branch challenges do not add up to the challenge"
    assert len(board) == 0


def test_js_ranked_ballots_are_checked_and_accepted(
    ranked_election: Election, ranked_board: BulletinBoard
) -> None:
    """(e) A cast and a spoiled JavaScript ballot with a ranked contest pass V7-V10, V18,
    V22 and V13 and go on a board whose manifest keeps the ranked contest."""
    context = ranked_election.context
    made = encrypt_js(ranked_election, choices=RANKED_CHOICES)
    ballot = ballot_from_json(made["ballot"], "ballot")
    check_ballot(context, ballot)
    assert made["ballot_hash"] == ballot_digest(context, ballot).hex()
    ranked = [c for c in ballot.contests if isinstance(c, RankedContestCiphertexts)]
    assert [(c.contest_id, len(c.ranks)) for c in ranked] == [(RANKED, 6)]
    entry = cast(ranked_board, made["ballot"])
    assert (entry.sequence, entry.state) == (1, EntryState.CAST)

    spoiled = encrypt_js(ranked_election, choices=RANKED_CHOICES)
    secrets = reveal_from_json(spoiled["reveal"], "reveal")
    check_spoiled_ballot(context, ballot_from_json(spoiled["ballot"], "ballot"), secrets)
    assert {c: list(v) for c, v in secrets.values.items()} == RANKED_CHOICES
    entry = cast(ranked_board, spoiled["ballot"], spoiled["reveal"])
    assert (entry.sequence, entry.state) == (2, EntryState.SPOILED)


@pytest.mark.parametrize(
    ("seed", "ranking"), [("00", [3, 1, 6, 0, 0, 0]), ("72616e6b6564", [0, 2, 0, 2, 6, 0])]
)
def test_seeded_js_ranked_ballot_is_pythons_byte_for_byte(
    ranked_election: Election, seed: str, ranking: list[int]
) -> None:
    """(e) A skipped rank and a repeated option included: the counting rule's business."""
    choices = {**CHOICES, RANKED: ranking}
    made = encrypt_js(ranked_election, seed=seed, choices=choices)
    context = ranked_election.context
    ballot, secrets = encrypt_ballot(
        context,
        style_id="north",
        choices=choices,
        credential=Credential.from_code(ranked_election.north, election_id=context.election_id),
        rng=SeededRandom(bytes.fromhex(seed)),
    )
    assert canonical_bytes(made["ballot"]) == canonical_bytes(ballot_to_json(ballot))
    assert canonical_bytes(made["reveal"]) == canonical_bytes(reveal_to_json(secrets))
    assert made["ballot_hash"] == ballot_digest(context, ballot).hex()


@pytest.mark.parametrize(
    ("ranking", "reason"),
    [
        ([3, 1, 7, 0, 0, 0], "rank 3: 7 is not 0 (no option) or an option's 1..6"),
        ([3, -1, 0, 0, 0, 0], "rank 2: -1 is not 0 (no option) or an option's 1..6"),
        ([3, 1], "expected 6 ranks, got 2"),
    ],
)
def test_a_js_ranking_out_of_range_is_refused(
    ranked_election: Election, ranking: list[int], reason: str
) -> None:
    """(e) The booth refuses what Python's ``encrypt_ballot`` refuses, in the same words."""
    choices = {**CHOICES, RANKED: ranking}
    request = {
        "manifest": ranked_election.manifest,
        "election": ranked_election.election,
        "style": "north",
        "code": ranked_election.north,
        "choices": choices,
    }
    field = f"choices.{RANKED}"
    assert run_js("encrypt.mjs", request) == {
        "error": {"name": "InvalidBallot", "field": field, "reason": reason}
    }
    credential = Credential.from_code(
        ranked_election.north, election_id=ranked_election.context.election_id
    )
    with pytest.raises(InvalidBallot) as caught:
        encrypt_ballot(
            ranked_election.context,
            style_id="north",
            choices=choices,
            credential=credential,
            rng=SeededRandom("refused"),
        )
    assert (caught.value.field, caught.value.reason) == (field, reason)
