"""The safe writer: never over an existing file unless asked, never through a link."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from suffrage.errors import InvalidInput
from suffrage.record.writing import check_free, write_file, write_stream


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_writes_a_new_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    write_file(tmp_path / "a.json", b"one\n")
    assert (tmp_path / "a.json").read_bytes() == b"one\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_an_existing_file_is_refused_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    target.write_bytes(b"first")
    with pytest.raises(InvalidInput, match="already exists: pass --force") as caught:
        write_file(target, b"second")
    assert caught.value.field == str(target)
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_force_replaces(tmp_path: Path) -> None:
    target = tmp_path / "a.json"
    target.write_bytes(b"first")
    write_file(target, b"second", force=True)
    assert target.read_bytes() == b"second"


@pytest.mark.parametrize("force", [False, True])
def test_a_link_at_the_target_is_never_written_through(tmp_path: Path, force: bool) -> None:
    outside = tmp_path / "outside"
    outside.write_bytes(b"")
    target = tmp_path / "out" / "secret.json"
    target.parent.mkdir()
    target.symlink_to(outside)
    with pytest.raises(InvalidInput, match="symbolic link"):
        write_file(target, b"coefficients", secret=True, force=force)
    assert outside.read_bytes() == b""


def test_a_dangling_link_at_the_target_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "secret.json"
    target.symlink_to(tmp_path / "nowhere")
    with pytest.raises(InvalidInput, match="symbolic link"):
        write_file(target, b"coefficients", secret=True)
    assert not (tmp_path / "nowhere").exists()


def test_a_planted_link_at_the_old_temporary_name_is_ignored(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.write_bytes(b"")
    (tmp_path / "secret.json.partial").symlink_to(outside)
    write_file(tmp_path / "secret.json", b"coefficients", secret=True)
    assert outside.read_bytes() == b""
    assert (tmp_path / "secret.json").read_bytes() == b"coefficients"


def test_a_directory_at_the_target_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.json").mkdir()
    with pytest.raises(InvalidInput, match="not a regular file"):
        write_file(tmp_path / "a.json", b"x", force=True)


@pytest.mark.usefixtures("permissive_umask")
def test_a_secret_is_0600_from_its_creation(tmp_path: Path) -> None:
    write_file(tmp_path / "secret.json", b"s", secret=True)
    write_file(tmp_path / "public.json", b"p")
    assert stat.S_IMODE((tmp_path / "secret.json").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "public.json").stat().st_mode) == 0o644


def test_a_failing_stream_leaves_nothing(tmp_path: Path) -> None:
    def chunks() -> Iterator[bytes]:
        yield b"line\n"
        raise RuntimeError("the source failed")

    with pytest.raises(RuntimeError):
        write_stream(tmp_path / "ballots.jsonl", chunks())
    assert list(tmp_path.iterdir()) == []


def test_check_free_names_the_first_existing_output(tmp_path: Path) -> None:
    (tmp_path / "b").write_bytes(b"")
    with pytest.raises(InvalidInput) as caught:
        check_free([tmp_path / "a", tmp_path / "b"], force=False)
    assert caught.value.field == str(tmp_path / "b")
    check_free([tmp_path / "a", tmp_path / "b"], force=True)
