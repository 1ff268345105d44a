"""``assist user list|suspend|reinstate`` and ``assist token list|revoke`` (spec/assistance.md
#6.1), on SQLite and PostgreSQL: a focal point lists, suspends and reinstates; a user lists
and revokes their own tokens; refusals exit 2 with one line and change nothing."""

from __future__ import annotations

from pathlib import Path

from assistance.conftest import FOCAL


def _add(run, name: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "same").write_text(FOCAL + "\n")  # the run fixture signs in with FOCAL
    run("user", "add", name, "--role", "ead_staff", "--new-password-file", str(tmp_path / "same"))


def test_a_user_revokes_their_token_and_it_is_refused(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _add(run, "Officer", tmp_path)
    token = run("user", "token", "--label", "laptop", user="Officer").strip()
    (tmp_path / "token").write_text(token + "\n")
    by_token = ("--token-file", str(tmp_path / "token"))
    listed = run(*by_token, "token", "list", user=None)
    assert "token 1  'laptop'  issued " in listed
    assert "live" in listed
    assert token not in listed
    assert run(*by_token, "token", "revoke", "1", user=None).startswith(
        "token 1 ('laptop') revoked"
    )
    out = run(*by_token, "token", "list", user=None, code=2)
    assert "error: this token was revoked on 20" in out
    listed = run("token", "list", user="Officer")
    assert "revoked " in listed
    assert "by Officer" in listed
    assert "1 token" in listed
    out = run("token", "revoke", "1", user="Officer", code=2)
    assert "already revoked" in out
    assert "history intact: 4 entries" in run("history", "check")


def test_the_focal_point_suspends_and_reinstates_and_lists(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _add(run, "Officer", tmp_path)
    run("user", "token", "--label", "ci", user="Officer")
    assert "Officer  ead_staff  active" in run("user", "list")
    out = run("user", "suspend", "Officer", "--reason", "left the division")
    assert out.startswith("user Officer suspended since 20")
    listed = run("user", "list")
    assert "Officer  ead_staff  SUSPENDED\n  since 20" in listed
    assert "by Focal Point\n  reason: left the division\n" in listed
    assert "token 1  'ci'  issued " in listed
    assert "2 users" in listed
    out = run("request", "list", user="Officer", code=2)
    assert "error: unknown user or wrong password" in out  # as for a wrong password
    assert "already suspended" in run("user", "suspend", "Officer", "--reason", "x", code=2)
    assert run("user", "reinstate", "Officer").strip() == "user Officer reinstated"
    assert run("request", "list", user="Officer").strip() == "0 requests"
    assert "Officer  ead_staff  active" in run("user", "list")
    assert "is not suspended" in run("user", "reinstate", "Officer", code=2)


def test_refusals_exit_2_and_change_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _add(run, "Officer", tmp_path)
    out = run("user", "suspend", "Focal Point", "--reason", "leaving", code=2)
    assert "Focal Point may not suspend themself" in out
    out = run("user", "suspend", "Nobody", "--reason", "x", code=2)
    assert "no user 'Nobody'" in out
    out = run("user", "suspend", "Focal Point", "--reason", "x", user="Officer", code=2)
    assert "Officer (ead_staff) may not manage users" in out
    assert "may not manage users" in run("user", "list", user="Officer", code=2)
    run("user", "token", "--label", "focal")
    out = run("token", "revoke", "1", user="Officer", code=2)
    assert "may revoke only their own tokens" in out
    assert "live" in run("token", "list")
    assert "active" in run("user", "list").split("\n")[0]
