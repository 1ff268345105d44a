"""Shared fixtures of the counting tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def election_data() -> Path:
    """The real election data directory named by ``SUFFRAGE_ELECTION_DATA``; skip if unset."""
    value = os.environ.get("SUFFRAGE_ELECTION_DATA")
    if not value:
        pytest.skip("SUFFRAGE_ELECTION_DATA is not set: real election data unavailable")
    path = Path(value)
    if not path.is_dir():
        pytest.fail(f"SUFFRAGE_ELECTION_DATA={value} is not a directory")
    return path
