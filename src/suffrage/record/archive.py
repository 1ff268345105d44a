"""A record as one download: a ``.tar.gz`` of ``record/NAME`` for the record's files.

Unpacking is strict: only the record's own file names, only regular files, each at most
once; anything else in the archive refuses it (nothing is written outside ``out``).
"""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from suffrage.errors import InvalidInput
from suffrage.record.files import RECORD_FILES, TURNOUT_FILE
from suffrage.record.writing import write_file

__all__ = ["ARCHIVED_FILES", "pack_record", "unpack_record"]

ARCHIVED_FILES = (*RECORD_FILES, TURNOUT_FILE)
"""The files an archive may hold: the record's, and the optional turnout by group."""


def pack_record(directory: Path) -> bytes:
    """The record files of ``directory`` as a .tar.gz (those that exist)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name in ARCHIVED_FILES:
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
                if name not in ARCHIVED_FILES or not member.isfile() or name in seen:
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
