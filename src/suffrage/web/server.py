"""Running the server under uvicorn, in one process or several (``--workers``).

Several workers each import the app through :func:`app_from_environment`, which reads what
``suffrage serve`` put in the environment: the election directory, the database, the
published record. They share the event log and the board through their database, whose
appends are serialised.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI

from suffrage.service.lifecycle import ElectionLife
from suffrage.web.app import ServerLimits, create_app

__all__ = ["ENVIRONMENT", "app_from_environment", "now"]

ENVIRONMENT = {
    "election": "SUFFRAGE_SERVE_ELECTION",
    "database": "SUFFRAGE_SERVE_DATABASE",
    "record": "SUFFRAGE_SERVE_RECORD",
    "address_rate": "SUFFRAGE_SERVE_ADDRESS_RATE",
    "credential_rate": "SUFFRAGE_SERVE_CREDENTIAL_RATE",
    "casting_threads": "SUFFRAGE_SERVE_CASTING_THREADS",
}


def now() -> datetime:
    """The server's clock."""
    return datetime.now(UTC)


def app_from_environment() -> FastAPI:
    """The app of one worker (uvicorn's factory)."""
    election = Path(os.environ[ENVIRONMENT["election"]])
    database = os.environ.get(ENVIRONMENT["database"]) or None
    record = os.environ.get(ENVIRONMENT["record"]) or None
    life = ElectionLife(election, database=database, clock=now, new=True)
    address_rate = float(os.environ.get(ENVIRONMENT["address_rate"]) or 50)
    credential_rate = float(os.environ.get(ENVIRONMENT["credential_rate"]) or 6)
    limits = ServerLimits(
        per_address=address_rate,
        address_burst=max(1, int(address_rate * 4)),
        per_credential_per_minute=credential_rate,
        casting_threads=int(os.environ.get(ENVIRONMENT["casting_threads"]) or 2),
    )
    return create_app(life, record=Path(record) if record else None, limits=limits)
