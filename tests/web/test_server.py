"""The election server through HTTP (issue 13): casting, acknowledgements, refusals in the
client's language, the public board, lookups by tracking code, the feed and the record."""

from __future__ import annotations

import io
import json
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from suffrage.core import SeededRandom
from suffrage.core.elgamal import Ciphertext, encrypt
from suffrage.protocol.ballot import EncryptedBallot, encrypt_ballot, style_contests
from suffrage.protocol.board import check_signed_head
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.credentials import Credential
from suffrage.record.codec import ballot_to_json, reveal_to_json, signed_head_from_json
from suffrage.service.demo_election import make_demo_election
from suffrage.service.lifecycle import ElectionLife
from suffrage.service.online import OnlineElection
from suffrage.web.app import ServerLimits, create_app
from verify.forge import resign  # tests/ is on sys.path

NOW = datetime.fromisoformat("2026-12-05T12:00:00+00:00")


@dataclass
class Server:
    client: TestClient
    online: OnlineElection
    context: ElectionContext
    voters: list[tuple[Credential, str]]
    clock: list[datetime]


@pytest.fixture
def server(tmp_path: Path, board_url: str) -> Iterator[Server]:
    directory = tmp_path / "election"
    codes = make_demo_election(
        directory, voters=6, now=NOW, rng=SeededRandom(41), database=board_url
    )
    clock = [NOW]
    life = ElectionLife(directory, database=board_url, clock=lambda: clock[0], rng=SeededRandom(42))
    online = OnlineElection(directory, database=board_url, clock=lambda: clock[0])
    voters = [
        (Credential.from_code(code, election_id=online.context.election_id), style)
        for code, style in codes
    ]
    limits = ServerLimits(credential_burst=4, per_credential_per_minute=1)
    with TestClient(create_app(life, limits=limits)) as client:
        yield Server(client, online, online.context, voters, clock)
    online.close()
    life.close()


def ballot_of(server: Server, voter: int, seed: int, style: str | None = None) -> EncryptedBallot:
    credential, bound = server.voters[voter]
    style = style or bound
    choices = {c.contest_id: [0] * len(c.options) for c in style_contests(server.context, style)}
    first = next(iter(choices))
    choices[first][seed % len(choices[first])] = 1
    ballot, _ = encrypt_ballot(
        server.context, style_id=style, choices=choices, credential=credential,
        rng=SeededRandom(seed),
    )  # fmt: skip
    return ballot


def body(ballot: EncryptedBallot, **extra: Any) -> bytes:
    return json.dumps({"ballot": ballot_to_json(ballot), **extra}).encode()


def post(server: Server, data: bytes, language: str = "en") -> Any:
    return server.client.post("/api/ballots", content=data, headers={"Accept-Language": language})


def refused(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code, error
    return error


def test_a_ballot_is_acknowledged_after_the_commit_and_found_by_its_code(server: Server) -> None:
    response = post(server, body(ballot_of(server, 0, 1)))
    assert response.status_code == 200, response.text
    ack = response.json()
    assert ack["sequence"] == 1
    assert ack["repeated"] is False
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){4}", ack["display_code"])
    signed = signed_head_from_json(ack["signed_head"], "signed_head")
    assert (signed.size, signed.head.hex()) == (1, ack["tracking_code"])
    check_signed_head(server.context, signed)
    current = signed_head_from_json(server.client.get("/api/board/head").json(), "head")
    check_signed_head(server.context, current)
    assert current.head == signed.head
    assert len(server.online.board) == 1
    found = server.client.get(f"/api/entries/{ack['display_code'].lower().replace('-', ' ')}")
    assert found.status_code == 200
    assert found.json()["counted"] is True
    revote = post(server, body(ballot_of(server, 0, 2))).json()
    first = server.client.get(f"/api/entries/{ack['display_code']}").json()
    assert first["superseded_by"] == revote["sequence"] == 2
    assert first["counted"] is False
    assert server.client.get(f"/api/entries/{ack['tracking_code']}").status_code == 200


def test_the_same_ballot_posted_again_gets_the_same_acknowledgement(server: Server) -> None:
    data = body(ballot_of(server, 1, 3))
    first = post(server, data).json()
    again = post(server, data).json()
    assert again["repeated"] is True
    for ack in (first, again):
        check_signed_head(server.context, signed_head_from_json(ack["signed_head"], "head"))
        del ack["signed_head"]["signature"]  # a fresh signature on the same statement
    assert again == {**first, "repeated": True}
    assert len(server.online.board) == 1


def test_a_spoiled_ballot_is_published_with_its_reveal(server: Server) -> None:
    credential, style = server.voters[2]
    choices = {c.contest_id: [0] * len(c.options) for c in style_contests(server.context, style)}
    ballot, secrets = encrypt_ballot(
        server.context, style_id=style, choices=choices, credential=credential,
        rng=SeededRandom(5),
    )  # fmt: skip
    ack = post(server, body(ballot, reveal=reveal_to_json(secrets))).json()
    assert ack["state"] == "spoiled"
    entry = server.client.get(f"/api/entries/{ack['display_code']}").json()
    assert entry["counted"] is False
    assert "reveal" in entry["entry"]


def test_copies_are_refused_verbatim_or_re_randomised(server: Server) -> None:
    original = ballot_of(server, 0, 7)
    assert post(server, body(original)).status_code == 200
    credential, _ = server.voters[0]
    replayed = resign(server.context, replace(original, ballot_id="ab" * 16), credential,
                      SeededRandom(8))  # fmt: skip
    error = refused(post(server, body(replayed)), 409, "copied_ballot")
    assert "reuses a ciphertext of entry 1" in error["detail"]
    thief, _ = server.voters[2]
    stolen = resign(
        server.context,
        replace(original, ballot_id="cd" * 16, credential=thief.public),
        thief,
        SeededRandom(9),
    )
    refused(post(server, body(stolen)), 422, "invalid_ballot")
    zero = encrypt(0, SeededRandom(10).scalar(), server.context.joint_key)
    contests = tuple(
        replace(c, selections=tuple(
            replace(s, ciphertext=Ciphertext(alpha=s.ciphertext.alpha + zero.alpha,
                                             beta=s.ciphertext.beta + zero.beta))
            for s in c.selections))
        for c in original.contests
    )  # fmt: skip
    rerandomised = resign(
        server.context,
        replace(original, ballot_id="ef" * 16, credential=thief.public, contests=contests),
        thief,
        SeededRandom(11),
    )
    refused(post(server, body(rerandomised)), 422, "invalid_ballot")
    assert len(server.online.board) == 1


def test_refusals_name_their_reason_in_the_clients_language(server: Server) -> None:
    other = "south" if server.voters[0][1] == "north" else "north"
    error = refused(post(server, body(ballot_of(server, 0, 12, other)), "fr-CH, en;q=0.5"),
                    403, "wrong_ballot_style")  # fmt: skip
    assert error["message"] == "Ce bulletin n'est pas celui du district de l'électeur."
    assert "its credential is bound to style" in error["detail"]
    server.clock[0] = NOW + timedelta(days=2)
    error = refused(post(server, body(ballot_of(server, 1, 13)), "ar"), 403,
                    "outside_voting_window")  # fmt: skip
    assert error["message"] == "التصويت غير مفتوح في هذا الوقت."
    assert "voting is closed: it closed at" in error["detail"]
    server.clock[0] = NOW
    stranger = Credential.from_code("00000-00000-00000-00000-0", election_id="x")
    ballot = resign(server.context, replace(ballot_of(server, 1, 14), credential=stranger.public),
                    stranger, SeededRandom(15))  # fmt: skip
    refused(post(server, body(ballot), "zh"), 403, "not_eligible")
    assert len(server.online.board) == 0


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"{", 400, "malformed_request"),
        (b"[]", 400, "malformed_request"),
        (b'{"ballot": 1}', 400, "malformed_request"),
        (b'{"ballot": {}, "ballot": {}}', 400, "malformed_request"),
        (b'{"ballot": {}, "extra": 1}', 400, "malformed_request"),
        (b"\xff\xfe", 400, "malformed_request"),
        (b'{"a": ' + b"[" * 100 + b"]" * 100 + b"}", 400, "malformed_request"),
        (b" " * (300 * 1024), 413, "too_large"),
    ],
    ids=[
        "truncated",
        "array",
        "wrong-type",
        "duplicate-key",
        "unknown-key",
        "not-utf8",
        "too-deep",
        "huge",
    ],
)
def test_malformed_posts_get_a_json_error_and_write_nothing(
    server: Server, data: bytes, status: int, code: str
) -> None:
    refused(post(server, data), status, code)
    assert len(server.online.board) == 0


def test_a_field_of_the_wrong_kind_is_named(server: Server) -> None:
    document = json.loads(body(ballot_of(server, 0, 16)))
    document["ballot"]["credential"] = "zz" * 32
    error = refused(post(server, json.dumps(document).encode()), 400, "malformed_request")
    assert error["field"] == "ballot.credential"


def test_ballots_of_one_credential_are_rate_limited(server: Server) -> None:
    statuses = [post(server, body(ballot_of(server, 3, 20 + n))).status_code for n in range(6)]
    assert statuses[:4] == [200] * 4
    assert statuses[4:] == [429, 429]
    assert len(server.online.board) == 4


def test_lookups_of_unknown_or_malformed_codes(server: Server) -> None:
    refused(server.client.get("/api/entries/0000-0000-0000-0000-0000"), 404, "not_found")
    refused(server.client.get("/api/entries/not-a-code"), 400, "malformed_request")


def test_the_board_pages_and_the_feed_stream_every_entry(server: Server) -> None:
    acks = [post(server, body(ballot_of(server, n, 30 + n))).json() for n in range(5)]
    page = server.client.get("/api/board", params={"after": 1, "limit": 3}).json()
    assert [e["sequence"] for e in page["entries"]] == [2, 3, 4]
    assert page["next"] == 4
    with server.client.stream("GET", "/api/feed", params={"after": 2, "most": 3}) as response:
        text = "".join(response.iter_text())
    ids = re.findall(r"^id: (\d+)$", text, re.M)
    assert ids == ["3", "4", "5"]
    events = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]
    assert [e["tracking_code"] for e in events] == [a["tracking_code"] for a in acks[2:]]


def test_the_record_so_far_downloads_as_one_archive(server: Server) -> None:
    for n in range(3):
        post(server, body(ballot_of(server, n, 40 + n)))
    archive = server.client.get("/api/record.tar.gz")
    assert archive.status_code == 200
    with tarfile.open(fileobj=io.BytesIO(archive.content), mode="r:gz") as tar:
        names = sorted(tar.getnames())
        ballots = tar.extractfile("record/ballots.jsonl")
        assert ballots is not None
        assert len(ballots.read().splitlines()) == 3
    assert names == [
        "record/ballots.jsonl", "record/credentials.json", "record/election.json",
        "record/events.jsonl", "record/manifest.json",
    ]  # fmt: skip
    refused(server.client.get("/api/results"), 404, "not_found")
    refused(server.client.get("/results"), 404, "not_found")


def test_a_device_reads_the_context_it_encrypts_under(server: Server) -> None:
    """What the booth needs to encrypt (the base hash, the joint key) is the record's own
    election.json, byte for byte as the record will hold it."""
    answer = server.client.get("/api/record/election.json")
    assert answer.status_code == 200
    archive = server.client.get("/api/record.tar.gz")
    with tarfile.open(fileobj=io.BytesIO(archive.content), mode="r:gz") as tar:
        election = tar.extractfile("record/election.json")
        assert election is not None
        assert answer.json() == json.loads(election.read())
    assert answer.json()["base_hash"] == server.context.base_hash.hex()


def test_there_is_no_context_before_the_credential_list(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    life = ElectionLife(tmp_path / "new", clock=lambda: NOW, new=True)
    try:
        with TestClient(create_app(life)) as client:
            error = refused(client.get("/api/record/election.json"), 409, "wrong_state")
            assert "draft" in error["detail"]
    finally:
        life.close()


def test_the_api_is_described_and_its_page_loads_nothing_from_elsewhere(server: Server) -> None:
    spec = server.client.get("/openapi.json").json()
    assert {"/api/ballots", "/api/board", "/api/entries/{code}", "/api/feed"} <= set(spec["paths"])
    page = server.client.get("/docs").text
    assert "/api/ballots" in page
    assert not re.search(r"(src|href)=\"https?://", page)
    assert "sample" in server.client.get("/api/election").json()["election_id"]
    home = server.client.get("/").text
    assert home.startswith('<!DOCTYPE html><html lang="en" dir="ltr">')
    assert 'dir="ltr">' in home.split("<h1", 1)[1], "the title in its own direction"
    assert "Next: close voting" in home


def test_a_ballot_of_another_election_is_refused(server: Server, tmp_path: Path) -> None:
    """Another election's ballot (its signature and proofs bind its own base hash)."""
    codes = make_demo_election(tmp_path / "other", voters=2, now=NOW, rng=SeededRandom(77))
    other = OnlineElection(tmp_path / "other", clock=lambda: NOW)
    try:
        credential = Credential.from_code(codes[0][0], election_id=other.context.election_id)
        choices = {
            c.contest_id: [0] * len(c.options) for c in style_contests(other.context, codes[0][1])
        }
        ballot, _ = encrypt_ballot(other.context, style_id=codes[0][1], choices=choices,
                                   credential=credential, rng=SeededRandom(78))  # fmt: skip
    finally:
        other.close()
    error = refused(post(server, body(ballot)), 403, "not_eligible")
    assert "not on the list" in error["detail"]
    assert len(server.online.board) == 0
