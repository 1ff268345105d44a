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

from fastapi import APIRouter, FastAPI

from suffrage.assistance.service import Registry
from suffrage.assistance.storage import Store
from suffrage.service.lifecycle import ElectionLife
from suffrage.web.app import ServerLimits, create_app
from suffrage.web.assist import SECRET_ENVIRONMENT, assist_router

__all__ = ["ENVIRONMENT", "app_from_environment", "now"]

ENVIRONMENT = {
    "election": "SUFFRAGE_SERVE_ELECTION",
    "database": "SUFFRAGE_SERVE_DATABASE",
    "record": "SUFFRAGE_SERVE_RECORD",
    "address_rate": "SUFFRAGE_SERVE_ADDRESS_RATE",
    "credential_rate": "SUFFRAGE_SERVE_CREDENTIAL_RATE",
    "casting_threads": "SUFFRAGE_SERVE_CASTING_THREADS",
    "assist_db": "SUFFRAGE_SERVE_ASSIST_DB",
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
    assist_db = os.environ.get(ENVIRONMENT["assist_db"]) or None
    assist = _assist(assist_db) if assist_db else None
    return create_app(life, record=Path(record) if record else None, limits=limits, assist=assist)


def _assist(url: str) -> APIRouter:
    """The registry's pages over the registry at ``url`` (it must exist: ``suffrage assist
    init`` or ``demo``), their sessions signed with the key ``suffrage serve`` shared."""
    secret = os.environ.get(SECRET_ENVIRONMENT, "")
    registry = Registry(Store(url, create=False), now)
    return assist_router(registry, secret=bytes.fromhex(secret) if secret else None, clock=now)
