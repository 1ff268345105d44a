"""Nothing acknowledged is ever lost (issue 13, point 8): the server is killed with SIGKILL
in the middle of a load, ten times in a row, and restarted each time; every ballot it
acknowledged is on the board at the place it was acknowledged, and the board verifies."""

from __future__ import annotations

import json
import os
import queue
import signal
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from suffrage.core import SeededRandom
from suffrage.protocol.ballot import encrypt_ballot, style_contests
from suffrage.protocol.credentials import Credential
from suffrage.record.codec import ballot_to_json
from suffrage.record.files import write_record
from suffrage.service.demo_election import make_demo_election
from suffrage.service.election_files import read_context
from suffrage.storage.board import BulletinBoard
from suffrage.verify.record import verify_record
from web.serving import free_port, start  # tests/ is on sys.path

ROUNDS = 10
VOTERS = 1200
SENDERS = 4


def test_acknowledged_ballots_survive_sigkill_ten_times(tmp_path: Path) -> None:
    election = tmp_path / "election"
    rng = SeededRandom(77)
    codes = make_demo_election(election, voters=VOTERS, now=datetime.now(UTC), rng=rng)
    context = read_context(election)
    pending: queue.Queue[bytes] = queue.Queue()
    for code, style in codes:
        credential = Credential.from_code(code, election_id=context.election_id)
        choices = {c.contest_id: [0] * len(c.options) for c in style_contests(context, style)}
        ballot, _ = encrypt_ballot(
            context, style_id=style, choices=choices, credential=credential, rng=rng
        )
        pending.put(json.dumps({"ballot": ballot_to_json(ballot)}).encode())
    acknowledged: dict[str, tuple[int, str]] = {}
    lock = threading.Lock()

    def send(port: int, stop: threading.Event) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            while not stop.is_set():
                try:
                    data = pending.get_nowait()
                except queue.Empty:
                    return
                try:
                    response = client.post("/api/ballots", content=data)
                except httpx.HTTPError:
                    pending.put(data)  # no answer: sent again after the restart
                    continue
                assert response.status_code == 200, response.text
                ack = response.json()
                ballot_id = json.loads(data)["ballot"]["ballot_id"]
                with lock:
                    first = acknowledged.setdefault(
                        ballot_id, (ack["sequence"], ack["tracking_code"])
                    )
                assert first == (ack["sequence"], ack["tracking_code"]), "one place per ballot"

    port = free_port()
    per_round = []
    for _ in range(ROUNDS):
        process = start(election, port)
        stop = threading.Event()
        senders = [threading.Thread(target=send, args=(port, stop)) for _ in range(SENDERS)]
        for sender in senders:
            sender.start()
        time.sleep(0.4)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        stop.set()
        for sender in senders:
            sender.join()
        per_round.append(len(acknowledged))
    assert per_round[-1] < VOTERS, f"the load must last all {ROUNDS} rounds: {per_round}"
    assert len(set(per_round)) == ROUNDS, f"every round acknowledges ballots: {per_round}"
    process = start(election, port)
    stop = threading.Event()
    send(port, stop)  # the rest, with the server left running
    process.terminate()
    process.wait()
    assert pending.empty()
    assert len(acknowledged) == VOTERS
    board = BulletinBoard(context, f"sqlite:///{election / 'board.db'}")
    try:
        stored = {e.ballot.ballot_id: (e.sequence, e.tracking_code.hex()) for e in board.entries()}
        record = tmp_path / "record"
        write_record(record, context=context, entries=board.entries())
    finally:
        board.close()
    assert stored == acknowledged
    report = verify_record(record)
    missing = {"tally.json", "decryption.json", "results.json"}  # no tally yet
    assert all(f.split(":")[0] in missing for f in report.checks["V1"].messages)
    for check in ("V5", "V6", "V7", "V8", "V9", "V10", "V11", "V13", "V18"):
        assert not report.checks[check].messages, (check, report.checks[check].messages[:3])
