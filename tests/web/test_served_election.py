"""An election's whole life on its server (issue 13, point 2): from an empty directory to a
published record, every step taken from the command line of the person who takes it (the
officials, three guardians on their own machines, the credential authority), voters
casting over HTTP, each step out of order refused with the step to take, and the public
event log verified with the record (V20)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from cli.kit import (
    as_guardian,
    authority_env,
    choices_for,
    guardian_create,
    mailmerge,
    ok,
    refused,
    secret,
    voter_id,
    write_manifest,
    write_roll,
)
from suffrage.core import SeededRandom
from suffrage.protocol.ballot import encrypt_ballot
from suffrage.protocol.credentials import Credential
from suffrage.record.codec import ballot_to_json
from suffrage.service.election_files import read_context
from suffrage.verify.record import verify_record
from web.serving import free_port, start

VOTERS = 6


def token(election: Path, name: str, role: str) -> str:
    output = ok(["election", "token", "--election", election, "--name", name,
                 "--role", role]).output  # fmt: skip
    return str(output.strip().splitlines()[-1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, dict[str, str]]]:
    """A server on a directory that does not exist yet, and the tokens of everyone."""
    election = tmp_path / "server"
    tokens = {"admin": token(election, "official", "admin"),
              "authority": token(election, "authority", "authority")}  # fmt: skip
    for i in (1, 2, 3):
        tokens[f"guardian-{i}"] = token(election, f"guardian-{i}", "guardian")
    port = free_port()
    server = start(election, port)
    try:
        yield tmp_path, f"http://127.0.0.1:{port}", tokens
    finally:
        server.terminate()
        server.wait()


def state(url: str) -> dict[str, Any]:
    answer: dict[str, Any] = httpx.get(f"{url}/api/election").json()
    return answer


def as_admin(url: str, tokens: dict[str, str], *args: str | Path) -> list[str | Path]:
    return [*args, "--server", url, "--token", tokens["admin"]]


def cast(url: str, context_dir: Path, code: str, number: int) -> httpx.Response:
    """A voter's device: the ballot encrypted with the context the server publishes."""
    context = read_context(context_dir)
    credential = Credential.from_code(code, election_id=context.election_id)
    style = context.style_of(credential.public)
    assert style is not None
    ballot, _ = encrypt_ballot(context, style_id=style, choices=choices_for(style, number),
                               credential=credential, rng=SeededRandom(number))  # fmt: skip
    return httpx.post(f"{url}/api/ballots", json={"ballot": ballot_to_json(ballot)})


def fetch(url: str, out: Path, *what: str) -> None:
    ok(["guardian", "fetch", *what, "--server", url, "--out", out])


def test_an_election_lives_its_whole_life_on_its_server(
    served: tuple[Path, str, dict[str, str]],
) -> None:
    base, url, tokens = served
    watching = ok(["monitor", url, "--once"])
    assert "a new election (none): 0 events, 0 entries checked" in watching.output
    assert state(url)["state"] == "none"
    assert "draft the election" in state(url)["next_step"]
    line = refused(as_admin(url, tokens, "election", "ceremony", "start"))
    assert "wrong_state" in line
    assert "next: draft the election" in line

    # The officials draft the election, and may replace its manifest until the ceremony.
    manifest = write_manifest(base / "manifest.yaml")
    line = refused(["election", "draft", manifest, "--guardians", "3", "--threshold", "2",
                    "--server", url, "--token", tokens["guardian-1"]])  # fmt: skip
    assert "unauthorized" in line
    ok(as_admin(url, tokens, "election", "draft", manifest, "--guardians", "3",
                "--threshold", "2"))  # fmt: skip
    text = manifest.read_text("utf-8")
    manifest.write_text(text.replace("Sample", "Sample (final)", 1), "utf-8")
    ok(as_admin(url, tokens, "election", "draft", manifest, "--replace"))
    assert state(url)["state"] == "draft"
    ok(as_admin(url, tokens, "election", "ceremony", "start"))
    line = refused(as_admin(url, tokens, "election", "draft", manifest, "--replace"))
    assert "replacing the manifest is not a step of an election in state 'key-ceremony'" in line
    assert "next: guardian(s) 1, 2, 3 post their public file" in line
    line = refused(as_admin(url, tokens, "election", "ceremony", "complete"))
    assert "guardian(s) 1, 2, 3 post their public file" in line

    # Each guardian, on a machine of its own, makes its key and passes its files through
    # the server's mailbox.
    for i in (1, 2, 3):
        machine = base / f"machine-{i}"
        fetch(url, machine / "from-server", "--manifest")
        ok(guardian_create(machine / "from-server" / "manifest.json", base, i))
        ok(["guardian", "post", machine / f"guardian-{i}.public.json", "--server", url,
            "--token", tokens[f"guardian-{i}"]])  # fmt: skip
    for i in (1, 2, 3):
        machine = base / f"machine-{i}"
        fetch(url, machine / "publics", "guardian-*.public.json")
        ok(["guardian", "shares", "--secret", secret(base, i), "--publics", machine / "publics",
            "--out", machine / "outbox", *as_guardian(base, i)])  # fmt: skip
        ok(["guardian", "post", *sorted((machine / "outbox").iterdir()), "--server", url,
            "--token", tokens[f"guardian-{i}"]])  # fmt: skip
    for i in (1, 2, 3):
        machine = base / f"machine-{i}"
        fetch(url, machine / "shares", f"share-*-to-{i}.json")
        ok(["guardian", "receive", "--secret", secret(base, i), "--publics", machine / "publics",
            "--shares", machine / "shares", *as_guardian(base, i)])  # fmt: skip
    ok(as_admin(url, tokens, "election", "ceremony", "complete"))
    line = refused(as_admin(url, tokens, "election", "open"))
    assert "next: the credential authority publishes the credential list" in line

    # The credential authority publishes the list and keeps the roll and the codes sealed.
    authority_copy = base / "authority-copy"
    ok(["election", "create", "--server", url, "--token", tokens["authority"], "--roll",
        write_roll(base / "roll.csv", VOTERS), "--out", authority_copy, "--authority",
        base / "authority"], env=authority_env())  # fmt: skip
    ok(["election", "letters", "--election", authority_copy, "--authority",
        base / "authority", "--out", base / "letters"], env=authority_env())  # fmt: skip
    codes = {r["voter_id"]: r["credential_code"] for r in mailmerge(base / "letters")}
    early = cast(url, authority_copy, codes[voter_id(0)], 0)
    assert early.status_code == 409
    assert "next: open voting" in early.json()["error"]["detail"]

    # Voting opens; voters cast from their devices; the officials close.
    ok(as_admin(url, tokens, "election", "open"))
    voting = base / "voting"
    voting.mkdir()
    (voting / "context.json").write_bytes(httpx.get(f"{url}/api/context").content)
    for n in range(VOTERS):
        answer = cast(url, voting, codes[voter_id(n)], n)
        assert answer.status_code == 200, answer.text
    line = refused(as_admin(url, tokens, "election", "open"))
    assert "opening voting is not a step of an election in state 'open'" in line
    ok(as_admin(url, tokens, "election", "close", "--close-early"))
    late = cast(url, voting, codes[voter_id(1)], 99)
    assert late.status_code in (403, 409), late.text
    assert state(url)["state"] == "tallied"

    # Two guardians decrypt on their own machines; the officials publish.
    line = refused(as_admin(url, tokens, "election", "publish", "--out", base / "record"))
    assert "0 guardian(s) decrypted" in line
    for i in (1, 3):
        machine = base / f"machine-{i}"
        fetch(url, machine / "election", "--election", "none-of-the-mailbox")
        out = machine / f"partial-{i}.json"
        ok(["guardian", "decrypt", "--secret", secret(base, i), "--election",
            machine / "election", "--out", out, "--yes", *as_guardian(base, i)])  # fmt: skip
        ok(["guardian", "post", out, "--server", url, "--token", tokens[f"guardian-{i}"]])
    published = ok(as_admin(url, tokens, "election", "publish", "--out", base / "record"))
    assert "record written to" in published.output
    watching = ok(["monitor", url, "--exit-on-alarm"])  # from the first event to the record
    assert f"(published): 23 events, {VOTERS} entries checked" in watching.output
    assert "the published record passes every check of the verifier" in watching.output
    report = verify_record(base / "record")
    assert report.passed, report.failed_checks()
    assert report.checks["V20"].checked == len(
        httpx.get(f"{url}/api/events", params={"limit": 1000}).json()["events"]
    )

    # The public log holds every step, in order, with who took it.
    events = httpx.get(f"{url}/api/events", params={"limit": 1000}).json()["events"]
    kinds = [e["kind"] for e in events]
    assert kinds[:3] == ["drafted", "manifest-replaced", "ceremony-started"]
    assert kinds[3:15] == ["guardian-file"] * 12  # 3 public files, 9 shares
    assert kinds[15:] == ["ceremony-completed", "credentials-published", "opened", "closed",
                          "tallied", "guardian-file", "guardian-file", "published"]  # fmt: skip
    assert {e["actor"] for e in events} == {"admin", "guardian", "authority"}
    record_events = (base / "record" / "events.jsonl").read_text().splitlines()
    assert [json.loads(line)["hash"] for line in record_events] == [e["hash"] for e in events]
    results = httpx.get(f"{url}/api/results")
    assert results.content == (base / "record" / "results.json").read_bytes()

    # The results page: the report for people, under a policy that lets only its own style in.
    page = httpx.get(f"{url}/results", params={"lang": "fr"})
    assert page.status_code == 200, page.text
    assert '<html lang="fr" dir="ltr">' in page.text
    style = re.search(r"<style>(.*?)</style>", page.text, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style[1].encode()).digest()).decode()
    policy = page.headers["content-security-policy"]
    assert policy.startswith(f"default-src 'none'; style-src 'sha256-{digest}';")
    assert "script" not in page.text.lower().replace("description", "")
    foreign = httpx.get(f"{url}/results", params={"lang": "de"})
    assert foreign.status_code == 400, foreign.text
    assert foreign.json()["error"]["field"] == "lang"
    assert "'de'" in foreign.json()["error"]["detail"]
    assert state(url)["state"] == "published"
