"""Reading the record's files: regular files only, within limits (spec/record-format.md#reading).

A record is downloaded from anywhere, so its files are read as hostile input. A file is opened
without following a symbolic link (``O_NOFOLLOW``) and without blocking (``O_NONBLOCK``, so that
a FIFO cannot hang the reader), and is read only if the opened file is a regular file. A
document may hold at most :data:`MAX_DOCUMENT` bytes and a line of a JSON Lines file at most
:data:`MAX_LINE` bytes; a longer line is skipped in bounded memory, and only its first
``MAX_LINE + 1`` bytes are kept, so that its decoder refuses it for its length.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from suffrage.errors import InvalidEncoding, InvalidInput
from suffrage.record.canonical import parse_canonical

__all__ = [
    "MAX_CREDENTIAL_LIST",
    "MAX_DOCUMENT",
    "MAX_LINE",
    "Digest",
    "bounded_lines",
    "open_regular",
    "read_document_line",
    "read_regular",
]

MAX_DOCUMENT = 64 * 1024 * 1024
"""The largest record document (every file but ballots.jsonl), in bytes."""

MAX_CREDENTIAL_LIST = 1024 * 1024 * 1024
"""The largest credentials.json, in bytes: about 92 bytes a credential, so some eleven
million voters (a national roll; 64 MiB held only about 700,000)."""

MAX_LINE = 1024 * 1024
"""The largest line of ballots.jsonl, its newline excluded, in bytes."""

_BLOCK = 1024 * 1024


def open_regular(path: Path, *, follow: bool = False) -> BinaryIO:
    """Open ``path`` for reading if it is a regular file and not a symbolic link (unless
    ``follow``: a path a person typed may be a link, but not to a device or a FIFO).

    Raises InvalidInput naming the file otherwise (missing, a link, a directory, a device,
    a FIFO or a socket, or unreadable).
    """
    name = path.name
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InvalidInput(
                name, "is a symbolic link: a record holds regular files only"
            ) from None
        raise InvalidInput(name, f"cannot be read: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:
        os.close(fd)
        raise InvalidInput(name, f"cannot be read: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InvalidInput(name, f"is {_kind(mode)}, not a regular file")
    return os.fdopen(fd, "rb")


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((text for test, text in kinds if test(mode)), "a special file")


def read_regular(path: Path, *, limit: int = MAX_DOCUMENT, follow: bool = False) -> bytes:
    """The bytes of the regular file ``path``, refused (InvalidInput) beyond ``limit`` bytes."""
    with open_regular(path, follow=follow) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(path.name, f"is larger than the limit of {limit} bytes")
    return data


class Digest(Protocol):
    """What :func:`bounded_lines` feeds every byte it reads to (a ``hashlib`` object)."""

    def update(self, data: bytes, /) -> None: ...


def bounded_lines(
    handle: BinaryIO, *, limit: int = MAX_LINE, digest: Digest | None = None
) -> Iterator[tuple[bytes, int]]:
    """Each line of ``handle`` with its length in the file (newline included).

    A line longer than ``limit`` bytes (its newline excluded) is read through in blocks and
    yielded as its first ``limit + 1`` bytes, so memory stays bounded whatever the file holds.
    ``digest`` is given every byte read, long lines whole, so that a caller reading the file
    through gets its hash from the same pass.
    """
    while True:
        line = handle.readline(limit + 2)
        if digest is not None:
            digest.update(line)
        if not line:
            return
        if len(line) <= limit + 1 or line.endswith(b"\n"):
            yield line, len(line)
            continue
        size, kept = len(line), line[: limit + 1]
        while not line.endswith(b"\n"):
            line = handle.readline(_BLOCK)
            if digest is not None:
                digest.update(line)
            if not line:
                break
            size += len(line)
        yield kept, size


def read_document_line(path: Path) -> Any:
    """The value of a file that is one canonical JSON document and a newline (every file
    Suffrage writes but ``ballots.jsonl``); InvalidInput naming the file otherwise."""
    where = str(path)
    try:
        data = read_regular(path)
    except InvalidInput as exc:
        raise InvalidInput(where, exc.reason) from None
    if not data.endswith(b"\n") or data.count(b"\n") != 1:
        raise InvalidEncoding(where, "must be one line of canonical JSON ending in a newline")
    return parse_canonical(data[:-1], field=where)
