"""Observers' monitors (issue 13, point 6): every event of the log and every entry checked
as it arrives, an alarm at once for a bad entry, an event out of order, a changed or
vanished event or entry, and a server that shows two monitors two different boards under
its signature."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, update
from typer.testing import CliRunner

from suffrage.cli.main import app as cli
from suffrage.core import SeededRandom
from suffrage.protocol.ballot import EncryptedBallot, encrypt_ballot, style_contests
from suffrage.protocol.board import BoardEntry, EntryState, tracking_code
from suffrage.protocol.credentials import Credential
from suffrage.protocol.event_log import event_hash
from suffrage.record.canonical import canonical_bytes
from suffrage.record.codec import ballot_to_json, entry_to_json
from suffrage.service.demo_election import make_demo_election
from suffrage.service.lifecycle import ElectionLife
from suffrage.service.monitor import Monitor
from suffrage.service.online import OnlineElection
from suffrage.storage.board import entries_table
from suffrage.storage.event_log import events_table
from suffrage.web.app import ServerLimits, create_app
from verify.forge import simulated_ballot  # tests/ is on sys.path
from web.serving import free_port, start  # the server as a process

LIMITS = ServerLimits(per_address=1e6, address_burst=10**6, credential_burst=100)


@dataclass
class Site:
    online: OnlineElection
    client: TestClient
    voters: list[tuple[Credential, str]]


def open_site(election: Path, url: str) -> Site:
    """The election served from the database ``url`` (a copy of its own)."""
    clock = lambda: datetime.now(UTC)  # noqa: E731
    online = OnlineElection(election, database=url, clock=clock, rng=SeededRandom(5))
    life = ElectionLife(election, database=url, clock=clock, rng=SeededRandom(6))
    client = TestClient(create_app(life, limits=LIMITS))
    return Site(online, client, [])


def copy_of(election: Path, tmp_path: Path, name: str) -> str:
    """A copy of the election's database (its log and its board as they are now)."""
    shutil.copyfile(election / "board.db", tmp_path / name)
    return f"sqlite:///{tmp_path / name}"


@pytest.fixture
def election(tmp_path: Path) -> tuple[Path, list[tuple[str, str]]]:
    directory = tmp_path / "election"
    codes = make_demo_election(directory, voters=8, now=datetime.now(UTC), rng=SeededRandom(9))
    return directory, codes


@pytest.fixture
def site(election: tuple[Path, list[tuple[str, str]]], tmp_path: Path) -> Iterator[Site]:
    directory, codes = election
    s = open_site(directory, copy_of(directory, tmp_path, "one.db"))
    s.voters = [
        (Credential.from_code(c, election_id=s.online.context.election_id), style)
        for c, style in codes
    ]
    yield s
    s.client.close()
    s.online.close()


def cast(site: Site, voter: int, seed: int) -> dict[str, object]:
    credential, style = site.voters[voter]
    context = site.online.context
    choices = {c.contest_id: [0] * len(c.options) for c in style_contests(context, style)}
    ballot, _ = encrypt_ballot(
        context, style_id=style, choices=choices, credential=credential, rng=SeededRandom(seed)
    )
    response = site.client.post("/api/ballots", json={"ballot": ballot_to_json(ballot)})
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


def smuggle(site: Site, ballot: EncryptedBallot) -> int:
    """Put ``ballot`` on the board behind the server's back, properly chained."""
    board = site.online.board
    size, head = board.last()
    code = tracking_code(
        site.online.context, previous=head, sequence=size + 1, state=EntryState.CAST,
        ballot=ballot,
    )  # fmt: skip
    entry = BoardEntry(sequence=size + 1, state=EntryState.CAST, ballot=ballot, tracking_code=code)
    with board.engine.begin() as conn:
        conn.execute(
            entries_table.insert().values(
                sequence=size + 1, ballot_id=ballot.ballot_id, state="cast", tracking_code=code,
                short_code=code[:10], credential=ballot.credential.to_bytes(),
                document=canonical_bytes(entry_to_json(entry)),
            )
        )  # fmt: skip
    return size + 1


def test_an_honest_board_raises_no_alarm(site: Site) -> None:
    watcher = Monitor(site.client, SeededRandom(1))
    assert watcher.step() == []
    for n in range(5):
        cast(site, n, 10 + n)
    assert watcher.step() == []
    assert watcher.seen == 5
    assert watcher.heads[-1].size == 5
    cast(site, 0, 20)
    assert watcher.step() == []
    assert watcher.seen == 6


def test_an_entry_that_does_not_check_raises_an_alarm_naming_it(site: Site) -> None:
    watcher = Monitor(site.client, SeededRandom(2))
    cast(site, 0, 30)
    credential, _ = site.voters[2]  # a voter of the north, whose ballot the forgery is
    forged = simulated_ballot(site.online.context, credential, [2, 0, 0, 0], SeededRandom(31))
    number = smuggle(site, forged)
    alarms = watcher.step()
    assert [(a.kind, a.entry, a.check) for a in alarms] == [("check", number, "V9")]
    assert "challenge" in alarms[0].reason
    assert alarms[0].line().startswith(f"ALARM check entry {number} (V9): ")


def test_a_changed_or_vanished_entry_raises_an_alarm(site: Site) -> None:
    watcher = Monitor(site.client, SeededRandom(3))
    for n in range(3):
        cast(site, n, 40 + n)
    assert watcher.step() == []
    board = site.online.board
    with board.engine.begin() as conn:
        row = conn.execute(
            entries_table.select().where(entries_table.c.sequence == 1)
        ).one()  # fmt: skip
        document = json.loads(row.document)
        document["ballot"]["ballot_id"] = "00" * 16
        conn.execute(
            update(entries_table)
            .where(entries_table.c.sequence == 1)
            .values(document=canonical_bytes(document))
        )
        conn.execute(delete(entries_table).where(entries_table.c.sequence == 3))
    alarms = watcher.step()
    assert ("changed", 1) in [(a.kind, a.entry) for a in alarms]
    assert ("changed", 3) in [(a.kind, a.entry) for a in alarms]
    assert any("disappeared" in a.reason for a in alarms)


def test_a_server_that_shows_two_boards_is_caught_by_two_monitors(
    election: tuple[Path, list[tuple[str, str]]], tmp_path: Path
) -> None:
    directory, _ = election
    one = open_site(directory, copy_of(directory, tmp_path, "shown-to-alice.db"))
    two = open_site(directory, copy_of(directory, tmp_path, "shown-to-bob.db"))
    context = one.online.context
    one.voters = two.voters = [
        (Credential.from_code(c, election_id=context.election_id), s) for c, s in election[1]
    ]
    try:
        alice, bob = Monitor(one.client, SeededRandom(4)), Monitor(two.client, SeededRandom(5))
        cast(one, 0, 50)
        cast(two, 0, 50)  # the same voter, the same choice...
        cast(one, 1, 51)
        cast(two, 2, 52)  # ...but then a different ballot on each board
        assert alice.step() == []
        assert bob.step() == []
        found = alice.compare(bob.heads) + bob.compare(alice.heads)
        assert {a.kind for a in found} == {"equivocation"}
        assert len(found) == 2
        assert "signed by the server" in found[0].reason
    finally:
        for s in (one, two):
            s.client.close()
            s.online.close()


def test_the_monitor_command_follows_a_running_server(
    election: tuple[Path, list[tuple[str, str]]], tmp_path: Path
) -> None:
    directory, codes = election
    port = free_port()
    server = start(directory, port)
    try:
        url = f"http://127.0.0.1:{port}"
        result = CliRunner().invoke(cli, ["monitor", url, "--once", "--heads-out",
                                          str(tmp_path / "heads.json")])  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "0 entries checked" in result.output
        heads = json.loads((tmp_path / "heads.json").read_text())
        assert heads[0]["size"] == 0
        site = open_site(directory, f"sqlite:///{directory / 'board.db'}")
        online = site.online
        site.voters = [(Credential.from_code(c, election_id=online.context.election_id), s)
                       for c, s in codes]  # fmt: skip
        credential, _ = site.voters[2]
        smuggle(site, simulated_ballot(online.context, credential, [2, 0, 0, 0],
                                       SeededRandom(61)))  # fmt: skip
        site.client.close()
        online.close()
        result = CliRunner().invoke(cli, ["monitor", url, "--exit-on-alarm"])
        assert result.exit_code == 1, result.output
        assert "ALARM check entry 1 (V9)" in result.stderr
    finally:
        server.terminate()
        server.wait()
    assert isinstance(server, subprocess.Popen)


def test_the_log_is_followed_and_an_event_changed_or_out_of_order_raises_an_alarm(
    site: Site, tmp_path: Path
) -> None:
    watcher = Monitor(site.client, SeededRandom(7))
    assert watcher.step() == []
    assert watcher.life.state.value == "open"
    assert len(watcher.event_hashes) == 8  # drafted, ceremony, 3 public files, ..., opened
    assert watcher.context is not None
    engine = site.online.board.engine
    with engine.begin() as conn:  # the server rewrites when the ceremony started
        row = conn.execute(events_table.select().where(events_table.c.sequence == 2)).one()
        document = json.loads(row.document)
        document["at"] = "2020-01-01T00:00:00Z"
        conn.execute(update(events_table).where(events_table.c.sequence == 2)
                     .values(document=canonical_bytes(document)))  # fmt: skip
    alarms = watcher.step()
    assert [(a.kind, a.event) for a in alarms] == [("changed", 2)]
    assert alarms[0].line().startswith("ALARM changed event 2: ")
    last = site.client.get("/api/events", params={"after": 7}).json()["events"][0]
    body = {"base_hash": last["body"]["base_hash"]}
    previous = bytes.fromhex(last["hash"])
    again = {"sequence": 9, "kind": "opened", "at": last["at"], "actor": "admin", "body": body,
             "previous": last["hash"], "hash": event_hash(previous=previous, sequence=9,
             kind="opened", at=last["at"], actor="admin", body=body).hex()}  # fmt: skip
    with engine.begin() as conn:  # a second opening, well chained: not a step of 'open'
        conn.execute(events_table.insert().values(
            sequence=9, kind="opened", hash=bytes.fromhex(again["hash"]),
            document=canonical_bytes(again)))  # fmt: skip
    alarms = watcher.step()
    assert ("check", 9, "V20") in [(a.kind, a.event, a.check) for a in alarms]
    assert any("not a step of an election in state 'open'" in a.reason for a in alarms)
