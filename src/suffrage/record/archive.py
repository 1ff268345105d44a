"""A record as one download: a ``.tar.gz`` of ``record/NAME`` for the record's files.

Unpacking is strict: only the record's own file names (a ranked contest's files by their
pattern, spec #19.6), only regular files, each at most once; anything else in the archive
refuses it (nothing is written outside ``out``).
"""

from __future__ import annotations

import io
import os
import re
import tarfile
from pathlib import Path

from suffrage.errors import InvalidInput
from suffrage.record.files import RECORD_FILES, TURNOUT_FILE
from suffrage.record.writing import write_file

__all__ = ["ARCHIVED_FILES", "pack_record", "unpack_record"]

ARCHIVED_FILES = (*RECORD_FILES, TURNOUT_FILE)
"""The files an archive may hold: the record's, and the optional turnout by group."""

RANKED_FILE = re.compile(
    r"(?:mix-(?:decryption-)?[a-z0-9][a-z0-9_-]{0,63}-[1-9][0-9]{0,8}|ranked-[a-z0-9][a-z0-9_-]{0,63})"
    r"\.jsonl"
)
"""The names of a ranked contest's files (its mixes, their decryptions and its rankings)."""


def _archived(name: str) -> bool:
    return name in ARCHIVED_FILES or RANKED_FILE.fullmatch(name) is not None


def pack_record(directory: Path) -> bytes:
    """The record files of ``directory`` as a .tar.gz (those that exist)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        ranked = sorted(n for n in os.listdir(directory) if RANKED_FILE.fullmatch(n))
        for name in (*ARCHIVED_FILES, *ranked):
            if (directory / name).is_file():
                archive.add(directory / name, arcname=f"record/{name}")
    return buffer.getvalue()


def unpack_record(data: bytes, out: Path, *, force: bool = False) -> list[str]:
    """Write the record files of the archive ``data`` into ``out``; their names."""
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            members = archive.getmembers()
            seen: list[str] = []
            for member in members:
                name = member.name.removeprefix("record/")
                if not _archived(name) or not member.isfile() or name in seen:
                    raise InvalidInput("record archive", f"holds {member.name[:80]!r}")
                seen.append(name)
            out.mkdir(parents=True, exist_ok=True)
            for member in members:
                data_file = archive.extractfile(member)
                assert data_file is not None  # a regular file
                write_file(out / member.name.removeprefix("record/"), data_file.read(), force=force)
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise InvalidInput("record archive", f"is not a .tar.gz: {exc}") from None
    return seen
