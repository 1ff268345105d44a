"""Benchmark of the election server under load: verified casts a second and latency.

Run: ``.venv/bin/python bench/server.py [--ballots 2000] [--voters 50 200] [--workers 2]``.
For each database (SQLite in the election directory; PostgreSQL started from Debian's
package, served by ``--workers`` uvicorn processes) and each number of concurrent voters,
the server is started with ``suffrage serve``, every voter's device posts pre-encrypted
ballots over loopback as fast as it is answered, and the figures are printed: casts a
second, p50 and p99 latency, and the ratio to the issue's target (200 casts a second with
p99 under 250 ms at 200 voters). Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from subprocess import Popen

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from storage.postgres import postgres_server  # noqa: E402
from suffrage.core import OsRandom  # noqa: E402
from suffrage.protocol.ballot import encrypt_ballot, style_contests  # noqa: E402
from suffrage.protocol.credentials import Credential  # noqa: E402
from suffrage.record.codec import ballot_to_json  # noqa: E402
from suffrage.service.demo_election import make_demo_election  # noqa: E402
from suffrage.service.election_files import read_context  # noqa: E402
from web.serving import free_port  # noqa: E402
from web.serving import start as start_server  # noqa: E402

TARGET_RATE, TARGET_P99 = 200.0, 0.250


def ballots_for(election: Path, count: int, database: str | None) -> list[bytes]:
    """An election open now (its log and board in ``database``) and a ballot per voter."""
    rng = OsRandom()
    codes = make_demo_election(
        election, voters=count, now=datetime.now(UTC), rng=rng, database=database
    )
    context = read_context(election)
    out = []
    for code, style in codes:
        credential = Credential.from_code(code, election_id=context.election_id)
        choices = {c.contest_id: [0] * len(c.options) for c in style_contests(context, style)}
        first = next(iter(choices))
        choices[first][0] = 1
        ballot, _ = encrypt_ballot(
            context, style_id=style, choices=choices, credential=credential, rng=rng
        )
        out.append(json.dumps({"ballot": ballot_to_json(ballot)}).encode())
    return out


def serve(election: Path, port: int, database: str | None, workers: int) -> Popen[bytes]:
    options = ["--workers", str(workers), *(["--database", database] if database else [])]
    return start_server(election, port, *options)


async def load(port: int, ballots: list[bytes], voters: int) -> tuple[float, list[float], int]:
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for ballot in ballots:
        queue.put_nowait(ballot)
    latencies: list[float] = []
    refused = 0
    limits = httpx.Limits(max_connections=voters, max_keepalive_connections=voters)

    async def voter(client: httpx.AsyncClient) -> None:
        nonlocal refused
        while not queue.empty():
            body = queue.get_nowait()
            start = time.perf_counter()
            response = await client.post("/api/ballots", content=body)
            latencies.append(time.perf_counter() - start)
            refused += response.status_code != 200

    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60
    ) as client:
        start = time.perf_counter()
        await asyncio.gather(*(voter(client) for _ in range(voters)))
        elapsed = time.perf_counter() - start
    return elapsed, latencies, refused


def run(label: str, database: str | None, workers: int, count: int, voters: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        election = Path(scratch) / "election"
        ballots = ballots_for(election, count, database)
        port = free_port()
        process = serve(election, port, database, workers)
        try:
            elapsed, latencies, refused = asyncio.run(load(port, ballots, voters))
        finally:
            process.terminate()
            process.wait()
    rate = len(latencies) / elapsed
    cuts = statistics.quantiles(latencies, n=100)
    p50, p99 = cuts[49], cuts[98]
    print(
        f"{label:28} {voters:4} voters: {rate:7.1f} casts/s ({rate / TARGET_RATE:4.2f}x target)"
        f"  p50 {p50 * 1000:6.1f} ms  p99 {p99 * 1000:7.1f} ms ({p99 / TARGET_P99:4.2f}x the"
        f" 250 ms bound)  refused {refused}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=2000)
    parser.add_argument("--voters", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    print(f"{args.ballots} ballots per run over loopback; target 200 casts/s, p99 < 250 ms")
    for voters in args.voters:
        run("SQLite, 1 worker", None, 1, args.ballots, voters)
    if args.skip_postgres or not shutil.which("runuser"):
        return
    with ExitStack() as stack:
        server = stack.enter_context(postgres_server())
        for voters in args.voters:
            url = server.new_database()
            run(f"PostgreSQL, {args.workers} workers", url, args.workers, args.ballots, voters)


if __name__ == "__main__":
    main()
