"""A record archive carries the record's files and the optional turnout, nothing else; the
line reader hashes what it reads."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from suffrage.errors import InvalidInput
from suffrage.record.archive import pack_record, unpack_record
from suffrage.record.files import RECORD_FILES, TURNOUT_FILE
from suffrage.record.reading import bounded_lines


def test_the_turnout_travels_with_the_record(tmp_path: Path) -> None:
    record = tmp_path / "record"
    record.mkdir()
    for name in (*RECORD_FILES, TURNOUT_FILE):
        (record / name).write_bytes(f"{name}\n".encode())
    (record / "notes.txt").write_text("not part of the record\n")
    names = unpack_record(pack_record(record), tmp_path / "out")
    assert sorted(names) == sorted((*RECORD_FILES, TURNOUT_FILE))
    assert (tmp_path / "out" / TURNOUT_FILE).read_bytes() == b"turnout.json\n"
    assert not (tmp_path / "out" / "notes.txt").exists()


def test_an_archive_with_another_file_is_refused_whole(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name in ("manifest.json", "groups.csv"):
            info = tarfile.TarInfo(f"record/{name}")
            info.size = 3
            archive.addfile(info, io.BytesIO(b"{}\n"))
    with pytest.raises(InvalidInput, match=r"groups\.csv"):
        unpack_record(buffer.getvalue(), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_reading_lines_hashes_every_byte_even_of_an_overlong_line(tmp_path: Path) -> None:
    """The verifier takes ballots.jsonl's SHA-256 from the pass that splits it into lines."""
    path = tmp_path / "ballots.jsonl"
    data = b'{"a":1}\n' + b"x" * 5000 + b"\n" + b"tail without newline"
    path.write_bytes(data)
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        lines = list(bounded_lines(handle, limit=100, digest=digest))
    assert len(lines) == 3
    assert lines[1] == (b"x" * 101, 5001), "the long line is cut, its length is not"
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
