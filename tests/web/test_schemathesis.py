"""Every route, with inputs generated from the OpenAPI description (schemathesis): no server
error, and every answer conforms to the description (issue 13, point 10)."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from suffrage.core import SeededRandom
from suffrage.service.demo_election import make_demo_election
from suffrage.service.lifecycle import ElectionLife
from suffrage.service.online import OnlineElection
from suffrage.web.app import ServerLimits, create_app

_DIRECTORY = Path(tempfile.mkdtemp(prefix="suffrage-schemathesis-"))
make_demo_election(_DIRECTORY, voters=4, now=datetime.now(UTC), rng=SeededRandom(3))
_ONLINE = OnlineElection(_DIRECTORY, clock=lambda: datetime.now(UTC), rng=SeededRandom(4))
_LIFE = ElectionLife(_DIRECTORY, clock=lambda: datetime.now(UTC), rng=SeededRandom(5))
APP = create_app(_LIFE, limits=ServerLimits(per_address=1e6, address_burst=10**6))
# The feed streams until the client leaves (its own test reads a bounded stream).
schema = (
    schemathesis.openapi.from_asgi("/openapi.json", APP)
    .exclude(path="/api/feed")
    .exclude(path="/api/events/feed")
)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_route_fails_on_generated_input(case: schemathesis.Case) -> None:
    response = case.call()
    case.validate_response(response, checks=CHECKS)
    assert len(_ONLINE.board) == 0, "generated input never puts a ballot on the board"
