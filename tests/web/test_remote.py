"""Officials and guardians through the election server (issue 13, points 2 and 5, in part):
tokens kept hashed and rotated, voting closed remotely by an admin, guardians decrypting on
their own machines and passing partial decryptions through the server's mailbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from cli.kit import (
    authority_env,
    choices_for,
    create_args,
    decrypt_args,
    keyed,
    mailmerge,
    ok,
    refused,
    voter_id,
    write_manifest,
    write_roll,
)
from suffrage.verify.record import verify_record
from web.serving import free_port, start


@dataclass
class Site:
    base: Path
    election: Path
    url: str
    codes: dict[str, str]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    base = tmp_path_factory.mktemp("remote")
    manifest = write_manifest(base / "manifest.yaml")
    publics = keyed(base, manifest)
    election = base / "election"
    ok(create_args(manifest, publics, write_roll(base / "roll.csv", 6), election,
                   base / "authority"), env=authority_env())  # fmt: skip
    ok(["election", "letters", "--election", election, "--authority", base / "authority",
        "--out", base / "letters"], env=authority_env())  # fmt: skip
    codes = {r["voter_id"]: r["credential_code"] for r in mailmerge(base / "letters")}
    ok(["election", "open", "--election", election])
    port = free_port()
    server = start(election, port)
    try:
        yield Site(base, election, f"http://127.0.0.1:{port}", codes)
    finally:
        server.terminate()
        server.wait()


def token(site: Site, name: str, role: str) -> str:
    output = ok(["election", "token", "--election", site.election, "--name", name,
                 "--role", role]).output  # fmt: skip
    return str(output.strip().splitlines()[-1])


def test_tokens_are_stored_hashed_and_rotate(site: Site) -> None:
    first = token(site, "ada", "guardian")
    stored = (site.election / "tokens.json").read_text()
    assert first not in stored
    assert oct((site.election / "tokens.json").stat().st_mode & 0o777) == "0o600"
    put = httpx.put(f"{site.url}/api/mailbox/partial-9.json", content=b"{}\n",
                    headers={"Authorization": f"Bearer {first}"})  # fmt: skip
    assert put.status_code == 409, "authorised, but no partial is taken before the tally"
    assert put.json()["error"]["code"] == "wrong_state"
    assert "next: close voting" in put.json()["error"]["detail"]
    second = token(site, "ada", "guardian")
    for value, status in ((first, 401), (second, 409), ("nonsense", 401)):
        response = httpx.put(f"{site.url}/api/mailbox/partial-9.json", content=b"{}\n",
                             headers={"Authorization": f"Bearer {value}"})  # fmt: skip
        assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == "unauthorized"
    ok(["election", "token", "--election", site.election, "--name", "ada", "--revoke"])
    response = httpx.put(f"{site.url}/api/mailbox/partial-9.json", content=b"{}\n",
                         headers={"Authorization": f"Bearer {second}"})  # fmt: skip
    assert response.status_code == 401


def test_an_election_is_closed_decrypted_and_published_through_the_server(site: Site) -> None:
    for n in range(6):
        ok(["election", "cast", "--election", site.election, "--credential",
            site.codes[voter_id(n)], "--choices", json.dumps(choices_for(
                "north" if n % 2 == 0 else "south", n))])  # fmt: skip
    guardian = token(site, "guardians", "guardian")
    line = refused(["election", "close", "--server", site.url, "--token", guardian,
                    "--close-early"])  # fmt: skip
    assert "unauthorized" in line
    admin = token(site, "official", "admin")
    closed = ok(["election", "close", "--server", site.url, "--token", admin, "--close-early"])
    assert "6 counted" in closed.output
    for i in (1, 3):
        machine = site.base / f"remote-machine-{i}"
        ok(["guardian", "fetch", "--server", site.url, "--out", machine, "--election"])
        assert (machine / "tally.json").read_bytes() == (site.election / "tally.json").read_bytes()
        out = machine / f"partial-{i}.json"
        ok([*decrypt_args(site.base, i, machine, out), "--yes"])
        ok(["guardian", "post", out, "--server", site.url, "--token", guardian])
    line = refused(["guardian", "post", site.base / "remote-machine-1" / "partial-1.json",
                    "--server", site.url, "--token", guardian])  # fmt: skip
    assert "partial-1.json is posted already" in line, "a posted file is never replaced"
    inbox = site.base / "publisher"
    ok(["guardian", "fetch", "partial-*.json", "--server", site.url, "--out", inbox])
    record = site.base / "record"
    ok(["election", "publish", "--election", site.election, "--partials",
        inbox / "partial-1.json", inbox / "partial-3.json", "--out", record])  # fmt: skip
    report = verify_record(record)
    assert report.passed, report.failed_checks()


def test_the_mailbox_refuses_a_step_out_of_order_and_a_name_it_does_not_know(
    site: Site,
) -> None:
    guardian = token(site, "grace", "guardian")
    public = next((site.base / "publics").iterdir())
    headers = {"Authorization": f"Bearer {guardian}", "Accept-Language": "fr"}
    late = httpx.put(f"{site.url}/api/mailbox/{public.name}", content=public.read_bytes(),
                     headers=headers)  # fmt: skip
    assert late.status_code == 409, "the ceremony is over: no public file is taken"
    error = late.json()["error"]
    assert error["code"] == "wrong_state"
    assert error["message"].startswith("Cette étape")
    assert f"posting {public.name}" in error["detail"]
    odd = httpx.put(f"{site.url}/api/mailbox/notes.txt", content=b"hello\n", headers=headers)
    assert odd.status_code == 400
    assert "not the name of a guardian's file" in odd.json()["error"]["detail"]
    assert httpx.get(f"{site.url}/api/mailbox/notes.txt").status_code == 404
