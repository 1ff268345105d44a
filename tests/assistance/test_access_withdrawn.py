"""Access withdrawn and given back (spec/assistance.md#6.1), on SQLite and PostgreSQL: a
token revoked, a user suspended and reinstated. Each is a row of an append-only table and a
history entry that binds it; a refusal writes nothing; the history check finds a row
inserted, changed or removed behind the registry's back."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, insert, select, update

from assistance.kit import PASSWORD, World
from suffrage.assistance import storage as db
from suffrage.assistance.access import NotAuthenticated, NotPermitted
from suffrage.assistance.access_tables import suspensions, token_revocations
from suffrage.assistance.history import Entry, HistoryBroken
from suffrage.errors import InvalidInput, NotFound, StorageError


def _count(w: World) -> tuple[int, int, int, int, int]:
    """Everything a refusal must leave as it was."""
    with w.registry.store.engine.connect() as conn:
        return (
            db.count(conn, db.history),
            db.count(conn, token_revocations),
            db.count(conn, suspensions),
            db.count(conn, db.users),
            db.count(conn, db.tokens),
        )


def _token_id(w: World, user_id: int | None, label: str) -> int:
    with w.registry.store.engine.connect() as conn:
        row = db.one(conn, db.tokens, user_id=user_id, label=label)
    assert row is not None
    return int(row["id"])


def _entries(w: World, action: str) -> list[Entry]:
    with w.registry.store.engine.connect() as conn:
        return [e for e in db.history_entries(conn) if e.action == action]


def test_a_revoked_token_is_refused_with_its_date_and_the_history_holds(w: World) -> None:
    reg = w.registry
    leaked = reg.issue_token(w.staff, "laptop")
    kept = reg.issue_token(w.staff, "ci")
    assert reg.authenticate_token(leaked).name == "Ead Officer"
    token_id = _token_id(w, w.staff.user_id, "laptop")
    state = reg.revoke_token(w.focal, token_id)
    assert state.revoked_at is not None
    assert state.revoked_by == "Focal Point"
    with pytest.raises(NotAuthenticated, match=r"^this token was revoked on 2026-03-02$"):
        reg.authenticate_token(leaked)
    assert reg.authenticate_token(kept).name == "Ead Officer"  # only that one
    (entry,) = _entries(w, "token revoked")
    assert entry.actor == "Focal Point"
    assert entry.subject == f"user:{w.staff.user_id}"
    assert entry.details["label"] == "laptop"
    assert entry.details["token"] == token_id
    with reg.store.engine.connect() as conn:
        digest = db.one(conn, db.tokens, id=token_id)["digest"]  # type: ignore[index]
    assert leaked not in str(entry.details)
    assert digest not in str(entry.details)
    assert reg.check_history(w.focal) == entry.sequence  # the chain and the bound rows hold
    listed = {s.label: s for s in reg.own_tokens(w.staff)}
    assert listed["laptop"].revoked_at is not None
    assert listed["ci"].revoked_at is None


def test_a_user_revokes_their_own_token_but_not_anothers(w: World) -> None:
    reg = w.registry
    mine = reg.issue_token(w.undp, "mine")
    reg.issue_token(w.staff, "theirs")
    reg.revoke_token(w.undp, _token_id(w, w.undp.user_id, "mine"))
    with pytest.raises(NotAuthenticated, match="revoked on"):
        reg.authenticate_token(mine)
    before = _count(w)
    theirs = _token_id(w, w.staff.user_id, "theirs")
    with pytest.raises(
        NotPermitted, match=r"Undp Adviser \(implementing_entity\) may revoke only their own"
    ):
        reg.revoke_token(w.undp, theirs)
    with pytest.raises(InvalidInput, match=r"already revoked on 2026-03-02"):
        reg.revoke_token(w.focal, _token_id(w, w.undp.user_id, "mine"))
    with pytest.raises(NotFound, match="no token 999"):
        reg.revoke_token(w.focal, 999)
    assert _count(w) == before


def test_a_suspended_user_is_refused_by_password_token_and_session(w: World) -> None:
    reg = w.registry
    token = reg.issue_token(w.staff, "ci")
    session = reg.open_session(w.staff)
    assert reg.session_user(session) is not None
    suspension = reg.suspend_user(w.focal, w.staff.user_id or 0, "  left   the division ")
    assert suspension.reason == "left the division"
    assert suspension.by == "Focal Point"
    # the same answer as a wrong password: a stranger does not learn the name is suspended
    with pytest.raises(NotAuthenticated, match=r"^unknown user or wrong password$"):
        reg.authenticate("Ead Officer", PASSWORD)
    with pytest.raises(NotAuthenticated, match=r"^unknown user or wrong password$"):
        reg.authenticate("Ead Officer", "not the password at all")
    with pytest.raises(NotAuthenticated, match="suspended"):
        reg.authenticate_token(token)
    assert reg.session_user(session) is None
    listed = {a.user.name: a for a in reg.user_access(w.focal)}
    found = listed["Ead Officer"].suspension
    assert found is not None
    assert found.reason == "left the division"
    assert listed["Undp Adviser"].suspension is None
    assert [t.label for t in listed["Ead Officer"].tokens] == ["ci"]
    # reinstated: password, token and the session not signed out work again
    reg.reinstate_user(w.focal, w.staff.user_id or 0)
    assert reg.authenticate("Ead Officer", PASSWORD).name == "Ead Officer"
    assert reg.authenticate_token(token).name == "Ead Officer"
    assert reg.session_user(session) is not None
    assert all(a.suspension is None for a in reg.user_access(w.focal))
    (down,) = _entries(w, "user suspended")
    (up,) = _entries(w, "user reinstated")
    assert down.details["reason"] == "left the division"
    assert down.actor == "Focal Point"
    assert up.subject == down.subject == f"user:{w.staff.user_id}"
    assert reg.check_history(w.focal) == up.sequence


def test_suspension_refusals_write_nothing(w: World) -> None:
    reg = w.registry
    before = _count(w)
    with pytest.raises(InvalidInput, match="may not suspend themself") as refused:
        reg.suspend_user(w.focal, w.focal.user_id or 0, "leaving")
    assert refused.value.field == "user"
    with pytest.raises(InvalidInput, match="gives its reason") as refused:
        reg.suspend_user(w.focal, w.staff.user_id or 0, "   ")
    assert refused.value.field == "reason"
    with pytest.raises(InvalidInput, match="at most 500"):
        reg.suspend_user(w.focal, w.staff.user_id or 0, "x" * 501)
    with pytest.raises(NotFound, match="no user 999"):
        reg.suspend_user(w.focal, 999, "gone")
    with pytest.raises(InvalidInput, match="Ead Officer is not suspended"):
        reg.reinstate_user(w.focal, w.staff.user_id or 0)
    for actor in (w.staff, w.undp, w.liaison, w.public):
        with pytest.raises(NotPermitted, match="may not manage users"):
            reg.suspend_user(actor, w.undp.user_id or 0, "no")
        with pytest.raises(NotPermitted, match="may not manage users"):
            reg.reinstate_user(actor, w.undp.user_id or 0)
        with pytest.raises(NotPermitted, match="may not manage users"):
            reg.user_access(actor)
    assert _count(w) == before
    reg.suspend_user(w.focal, w.staff.user_id or 0, "left")
    with pytest.raises(InvalidInput, match="already suspended"):
        reg.suspend_user(w.focal, w.staff.user_id or 0, "again")
    assert _count(w)[2] == 1


def test_the_tables_are_append_only(w: World) -> None:
    reg = w.registry
    reg.issue_token(w.staff, "ci")
    reg.revoke_token(w.staff, _token_id(w, w.staff.user_id, "ci"))
    reg.suspend_user(w.focal, w.undp.user_id or 0, "left")
    for table in (token_revocations, suspensions):
        with pytest.raises(StorageError, match="append-only"), reg.store.writing() as conn:
            conn.execute(delete(table))
        with pytest.raises(StorageError, match="append-only"), reg.store.writing() as conn:
            conn.execute(update(table).values(id=table.c.id))


def _behind(w: World, statement: object) -> None:
    """Change the database as someone with its file could: the triggers dropped first."""
    with w.registry.store.writing() as conn:
        dialect = w.registry.store.engine.dialect.name
        for name in ("assist_token_revocations", "assist_suspensions"):
            if dialect == "sqlite":
                for op in ("update", "delete"):
                    conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}_no_{op}")
            else:
                conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}_append_only ON {name}")
        conn.execute(statement)  # type: ignore[call-overload]


def test_the_history_check_finds_a_revocation_added_behind_the_registrys_back(w: World) -> None:
    reg = w.registry
    reg.issue_token(w.staff, "ci")
    token_id = _token_id(w, w.staff.user_id, "ci")
    held = reg.check_history(w.focal)
    values = {"token_id": token_id, "revoked_at": "2026-03-02T09:00:00+00:00", "revoked_by": "x"}
    _behind(w, insert(token_revocations).values(**values))
    with pytest.raises(HistoryBroken, match=rf"entry {held + 1}: revocation 1 has no history"):
        reg.check_history(w.focal)


def test_the_history_check_finds_a_suspension_removed_or_changed(w: World) -> None:
    reg = w.registry
    reg.suspend_user(w.focal, w.undp.user_id or 0, "left")
    (entry,) = _entries(w, "user suspended")
    assert reg.check_history(w.focal) == entry.sequence
    _behind(w, update(suspensions).values(reason="never mind"))
    with pytest.raises(HistoryBroken, match=rf"entry {entry.sequence}: suspension 1 is not the"):
        reg.check_history(w.focal)
    _behind(w, delete(suspensions))  # removed: the user would be back without a trace
    with pytest.raises(HistoryBroken, match="suspension 1 is not the row this entry recorded"):
        reg.check_history(w.focal)
    with reg.store.engine.connect() as conn:
        assert conn.execute(select(suspensions)).first() is None


def test_the_history_check_finds_a_revocation_removed_which_would_revive_the_token(
    w: World,
) -> None:
    reg = w.registry
    token = reg.issue_token(w.staff, "ci")
    reg.revoke_token(w.focal, _token_id(w, w.staff.user_id, "ci"))
    (entry,) = _entries(w, "token revoked")
    _behind(w, delete(token_revocations))
    assert reg.authenticate_token(token).name == "Ead Officer"  # what the removal achieves
    with pytest.raises(HistoryBroken, match=rf"entry {entry.sequence}: revocation 1 is not the"):
        reg.check_history(w.focal)
