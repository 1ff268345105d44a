"""Running ``suffrage serve`` as its own process, as an election authority would, for the
tests (and the server benchmark): on a free loopback port, ready once it answers."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx

__all__ = ["SUFFRAGE", "free_port", "start"]

SUFFRAGE = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "suffrage"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(election: Path, port: int, *options: str) -> subprocess.Popen[bytes]:
    """``suffrage serve ELECTION`` on ``port`` with limits high enough for a load, and
    ``options``; returns once the server answers (fails after 60 s)."""
    process = subprocess.Popen(
        [
            str(SUFFRAGE),
            "serve",
            str(election),
            "--port",
            str(port),
            "--address-rate",
            "1000000",
            "--credential-rate",
            "1000",
            *options,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/election", timeout=1).raise_for_status()
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"suffrage serve {election} did not start on port {port}")
