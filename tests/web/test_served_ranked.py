"""A ranked council through the election server (issue 17, points 2 and 7): the server's
mixing phase, the guardians mixing and decrypting on their own machines with the server as
their mailbox, and an observer's monitor checking each mix as it is posted.

Twelve voters; after the close the election is in state ``mixing``; guardians 1 and 3 each
fetch the board and the mixes so far, mix, and post (2 = n - k + 1 mixers are needed before
the mixing can close); then they decrypt the tally and the last mix and post both, and the
official publishes through the server. A mix with a wrong count, a non-canonical element, a
proof of the wrong length, or made for another input is refused by the server with its
reason, and so are bad shares; nothing refused is kept. A mix changed on the server's disk
after it was posted is an alarm for a new monitor.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from cli.kit import (
    as_guardian,
    decrypt_args,
    ok,
    ranked_election,
    refused,
    secret,
)
from suffrage.core import SeededRandom
from suffrage.protocol.event_log import LifeState
from suffrage.service.monitor import Alarm, Monitor
from suffrage.verify.record import verify_record
from web.serving import free_port, start

VOTERS = 12


@dataclass
class Served:
    base: Path
    election: Path
    url: str
    admin: str
    guardian: str
    monitor: Monitor
    alarms: list[Alarm] = field(default_factory=list)
    refusals: dict[str, str] = field(default_factory=dict)
    record: Path | None = None


def token(election: Path, name: str, role: str) -> str:
    output = ok(["election", "token", "--election", election, "--name", name, "--role", role])
    return str(output.output.strip().splitlines()[-1])


def put(site: Served, name: str, data: bytes) -> httpx.Response:
    return httpx.put(f"{site.url}/api/mailbox/{name}", content=data, timeout=120,
                     headers={"Authorization": f"Bearer {site.guardian}"})  # fmt: skip


def step(site: Served) -> None:
    site.alarms += site.monitor.step()


def machine(site: Served, index: int) -> Path:
    """Guardian ``index``'s machine, with what the server has now (board, mixes, tally)."""
    where = site.base / f"fetched-{index}"
    shutil.rmtree(where, ignore_errors=True)
    ok(["guardian", "fetch", "--server", site.url, "--out", where, "--election"])
    return where


def mix(site: Served, index: int, where: Path) -> Path:
    out = site.base / f"outbox-{index}"
    ok(["guardian", "mix", "--secret", secret(site.base, index), "--election", where,
        "--mixes", where, "--out", out, *as_guardian(site.base, index), "--yes"])  # fmt: skip
    return out


def _changed(text: str, change: str) -> bytes:
    """A mix file's text changed as ``change`` says (as tests/cli/test_cli_ranked.py)."""
    lines = text.splitlines()
    header = json.loads(lines[0])
    if change == "wrong count":
        header["rows"] -= 1
        lines = [json.dumps(header, separators=(",", ":"), sort_keys=True), *lines[1:-1]]
    elif change == "non-canonical":
        row = json.loads(lines[2])
        row["ciphertexts"][1]["beta"] = "ff" * 32
        lines[2] = json.dumps(row, separators=(",", ":"), sort_keys=True)
    elif change == "proof length":
        header["proof"]["s4"].append(header["proof"]["s4"][0])
        lines[0] = json.dumps(header, separators=(",", ":"), sort_keys=True)
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    base = tmp_path_factory.mktemp("served-ranked")
    election, _ = ranked_election(base, VOTERS)
    admin, guardian = token(election, "official", "admin"), token(election, "g", "guardian")
    port = free_port()
    server = start(election, port)
    url = f"http://127.0.0.1:{port}"
    client = httpx.Client(base_url=url, timeout=120)
    site = Served(base, election, url, admin, guardian, Monitor(client, SeededRandom(5)))
    try:
        _run(site)
        yield site
    finally:
        client.close()
        server.terminate()
        server.wait()


def _run(site: Served) -> None:
    """The whole election after the close, the refusals recorded on the way."""
    step(site)
    closed = ok(["election", "close", "--server", site.url, "--token", site.admin,
                 "--close-early"])  # fmt: skip
    assert "close-mixing" in closed.output
    step(site)
    assert site.monitor.life.state is LifeState.MIXING
    one = machine(site, 1)
    first = (mix(site, 1, one) / "mix-council-1.jsonl").read_text()
    for change in ("wrong count", "non-canonical", "proof length"):
        answer = put(site, "mix-council-1.jsonl", _changed(first, change))
        assert answer.status_code == 400, answer.text
        site.refusals[change] = answer.json()["error"]["detail"]
    # Guardian 3 mixes guardian 1's mix before it is posted; posted first, in mix 1's place,
    # it stands for a mix made for another input (another election's, or a forged list).
    three = machine(site, 3)
    (three / "mix-council-1.jsonl").write_text(first)
    second = (mix(site, 3, three) / "mix-council-2.jsonl").read_text()
    answer = put(site, "mix-council-1.jsonl", second.replace('"mix":2', '"mix":1', 1).encode())
    site.refusals["another input"] = answer.json()["error"]["detail"]
    assert not (site.election / "mailbox" / "mix-council-1.jsonl").exists(), "nothing refused kept"
    site.refusals["too early"] = refused(
        ["election", "close-mixing", "--server", site.url, "--token", site.admin]
    )
    assert put(site, "mix-council-1.jsonl", first.encode()).status_code == 200
    step(site)
    assert put(site, "mix-council-2.jsonl", second.encode()).status_code == 200
    step(site)
    ok(["election", "close-mixing", "--server", site.url, "--token", site.admin])
    step(site)
    for i in (1, 3):
        where = machine(site, i)
        out = where / "out" / f"partial-{i}.json"
        ok([*decrypt_args(site.base, i, where, out), "--mixes", where, "--yes"])
        shares = out.parent / f"mix-decryption-council-{i}.jsonl"
        if i == 3:
            answer = put(site, shares.name, _swapped(shares.read_text()).encode())
            site.refusals["bad shares"] = answer.text
        ok(["guardian", "post", out, shares, "--server", site.url, "--token", site.guardian])
        step(site)
    answer = httpx.post(f"{site.url}/api/admin/publish", timeout=300,
                        headers={"Authorization": f"Bearer {site.admin}"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    step(site)


def _swapped(text: str) -> str:
    """Shares with the first two of the first row swapped: elements still, but not proven."""
    lines = text.splitlines()
    row = json.loads(lines[1])
    row["shares"][0], row["shares"][1] = row["shares"][1], row["shares"][0]
    lines[1] = json.dumps(row, separators=(",", ":"), sort_keys=True)
    return "\n".join(lines) + "\n"


def test_the_server_mixes_decrypts_and_publishes_the_ranked_council(site: Served) -> None:
    assert site.monitor.done, "the monitor saw the election published"
    assert site.monitor.report is not None
    assert site.monitor.report.passed, site.monitor.report.failed_checks()
    assert site.alarms == [], [a.line() for a in site.alarms]
    checked = sorted(site.monitor.mixes.checked)
    assert checked == [
        "mix-council-1.jsonl",
        "mix-council-2.jsonl",
        "mix-decryption-council-1.jsonl",
        "mix-decryption-council-3.jsonl",
    ]
    record = site.election / "record"
    report = verify_record(record)
    assert report.passed, report.failed_checks()
    assert (record / "ranked-council.jsonl").exists()
    events = [json.loads(line) for line in (record / "events.jsonl").read_text().splitlines()]
    kinds = [e["kind"] for e in events]
    assert kinds[-3:] == ["guardian-file", "guardian-file", "published"]
    mixed = next(e for e in events if e["kind"] == "mixed")
    assert [c["mixes"] for c in mixed["body"]["contests"]] == [2]
    tallied = next(e for e in events if e["kind"] == "tallied")
    assert tallied["body"]["ranked"] == [{"contest_id": "council", "rows": 6}]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("wrong count", "V23"),
        ("non-canonical", "V24"),
        ("proof length", "proof.s4"),
        ("another input", "proof of shuffle"),
    ],
)
def test_a_bad_mix_is_refused_by_the_server_with_its_reason(
    site: Served, change: str, reason: str
) -> None:
    assert reason in site.refusals[change], site.refusals[change]
    assert "mix-council-1.jsonl" in site.refusals[change]


def test_the_mixing_closes_only_after_n_minus_k_plus_1_mixers(site: Served) -> None:
    assert (
        "at least 2 guardians mix each ranked contest (council: 0 so far)"
        in (site.refusals["too early"])
    )


def test_bad_shares_are_refused_by_the_server(site: Served) -> None:
    refusal = site.refusals["bad shares"]
    assert "mix-decryption-council-3.jsonl" in refusal
    assert "the shares are not proven" in refusal
    assert "(V25)" in refusal


def test_a_mix_changed_on_the_servers_disk_is_an_alarm(site: Served) -> None:
    posted = site.election / "mailbox" / "mix-council-2.jsonl"
    original = posted.read_bytes()
    try:
        posted.write_bytes(original.replace(b'"mixer":3', b'"mixer":2', 1))
        with httpx.Client(base_url=site.url, timeout=120) as client:
            monitor = Monitor(client, SeededRandom(6))
            alarms = monitor.step()
    finally:
        posted.write_bytes(original)
    lines = [a.line() for a in alarms]
    assert any("mix-council-2.jsonl is not the file the log names" in line for line in lines), lines


def test_a_record_short_of_a_logged_mix_fails_v20(site: Served, tmp_path: Path) -> None:
    """The log binds the mixes posted: a record without the last one fails V20 (and V25,
    whose shares were of that mix), naming what differs."""
    record = tmp_path / "record"
    shutil.copytree(site.election / "record", record)
    (record / "mix-council-2.jsonl").unlink()
    report = verify_record(record)
    assert {"V20", "V25"} <= set(report.failed_checks())
    reasons = " ".join(f.reason for f in report.failures("V20"))
    assert "the log closed the mixing of council with 2 mixes; the record has 1" in reasons
    assert "mix-council-2.jsonl is not the file the log says was posted" in reasons


def test_the_monitor_command_says_what_it_checked(site: Served) -> None:
    output = ok(["monitor", site.url, "--once"]).output
    assert "(published): " in output
    assert ", 4 mix files checked" in output
    assert "the published record passes every check of the verifier" in output
