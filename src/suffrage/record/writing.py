"""Writing files safely: never over an existing output unless asked, never through a link
(spec/record-format.md#writing).

Every file the project writes (records, guardian secrets, shares, codes, charts) goes through
:func:`write_file` or :func:`write_stream`. The bytes go to a fresh temporary file beside the
target, created with ``O_CREAT | O_EXCL | O_NOFOLLOW`` under a random name (so a planted link
or file at a predictable name is never written through), with mode 0600 from its creation
when it holds a secret; it is flushed to disk and then put in place atomically: with
``os.link``, which fails if the target exists (even as a dangling link), or with ``force``
by ``os.replace``. A target that is a symbolic link or not a regular file is refused even with
``force``. A reader never sees a half-written file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from suffrage.errors import InvalidInput

__all__ = ["EXISTS", "check_free", "write_file", "write_stream"]

EXISTS = "already exists: pass --force to replace it, or choose another path"


def check_free(paths: Iterable[Path], *, force: bool) -> None:
    """Refuse, before anything is written, if any of ``paths`` exists (unless ``force``) or
    is a symbolic link or a special file (always)."""
    for path in paths:
        _check_target(path, force=force)


def _check_target(path: Path, *, force: bool) -> None:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise InvalidInput(str(path), "is a symbolic link: refusing to write through it")
    if not stat.S_ISREG(mode):
        raise InvalidInput(str(path), "exists and is not a regular file")
    if not force:
        raise InvalidInput(str(path), EXISTS)


def write_file(path: Path, data: bytes, *, secret: bool = False, force: bool = False) -> None:
    """Write ``data`` to ``path`` atomically (see the module docstring)."""
    write_stream(path, (data,), secret=secret, force=force)


def write_stream(
    path: Path, chunks: Iterable[bytes], *, secret: bool = False, force: bool = False
) -> None:
    """Write the concatenation of ``chunks`` to ``path`` atomically, streaming."""
    _check_target(path, force=force)
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    temporary = directory / f".{path.name}.{secrets.token_hex(8)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(temporary, flags, 0o600 if secret else 0o644)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        _put_in_place(temporary, path, force=force)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    _sync_directory(directory)


def _put_in_place(temporary: Path, path: Path, *, force: bool) -> None:
    if force:
        _check_target(path, force=True)
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path, follow_symlinks=False)
    except FileExistsError:
        raise InvalidInput(str(path), EXISTS) from None


def _sync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
