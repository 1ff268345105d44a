"""The hash-chained history: an edit made in the database, bypassing the code, is found and
named; the database itself refuses UPDATE and DELETE on it (spec/assistance.md#5, #7)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from assistance.kit import World, a_request
from suffrage.assistance.history import (
    GENESIS,
    Entry,
    HistoryBroken,
    check_chain,
    encode_entry,
    entry_hash,
)
from suffrage.assistance.storage import history_entries
from suffrage.errors import StorageError


def _drop_guards(w: World) -> None:
    """What someone with the database's owner rights could do: remove the triggers."""
    with w.registry.store.engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            for op in ("update", "delete"):
                conn.execute(text(f"DROP TRIGGER assist_history_no_{op}"))
        else:
            conn.execute(text("DROP TRIGGER assist_history_append_only ON assist_history"))


def _entries(w: World) -> list[Entry]:
    with w.registry.store.engine.connect() as conn:
        return list(history_entries(conn))


def test_an_intact_history_checks(w: World) -> None:
    w.registry.new_request(w.staff, a_request())
    assert w.registry.check_history(w.focal) == len(_entries(w)) == 6  # 5 users, 1 request


def test_the_database_refuses_update_and_delete(w: World) -> None:
    w.registry.new_request(w.staff, a_request())
    with w.registry.store.writing() as conn:  # one access-log row
        expert = conn.execute(
            text(
                "INSERT INTO assist_experts "
                "(name, skills, languages, regions, availability, joined_on) "
                "VALUES ('E', '[]', '[]', '[]', '[]', '2026-01-01') RETURNING id"
            )
        ).scalar_one()
        conn.execute(
            text(
                "INSERT INTO assist_access_log (at, actor, expert_id, what) "
                "VALUES ('t', 'a', :e, 'w')"
            ),
            {"e": expert},
        )
    for statement in (
        "UPDATE assist_history SET actor = 'someone' WHERE sequence = 2",
        "DELETE FROM assist_history WHERE sequence = 6",
        "UPDATE assist_access_log SET actor = 'x'",
        "DELETE FROM assist_access_log",
        *(
            ["TRUNCATE assist_history", "TRUNCATE assist_access_log"]
            if w.registry.store.engine.dialect.name == "postgresql"
            else []
        ),
    ):
        with pytest.raises(StorageError, match="append-only"), w.registry.store.writing() as conn:
            conn.execute(text(statement))
    # the refused statements changed nothing; the expert inserted above, outside the
    # registry, is the one thing the check finds
    with pytest.raises(HistoryBroken, match=rf"expert:{expert} has no history entry"):
        w.registry.check_history(w.focal)


def test_a_row_edited_outside_the_registry_is_found(w: World) -> None:
    """The chain binds each row as its last change left it: editing the request table
    directly (the history untouched) is found and the entry that bound the row named."""
    case = w.registry.new_request(w.staff, a_request())
    count = w.registry.check_history(w.focal)
    last = list(w.registry.request_history(w.focal, case.reference))[-1]
    with w.registry.store.engine.begin() as conn:
        conn.execute(
            text("UPDATE assist_requests SET state = 'closed' WHERE reference = :r"),
            {"r": case.reference},
        )
    with pytest.raises(HistoryBroken, match=rf"{case.reference} is no longer the row") as info:
        w.registry.check_history(w.focal)
    assert info.value.sequence == last.sequence
    with w.registry.store.engine.begin() as conn:  # put it back: the check holds again
        conn.execute(
            text("UPDATE assist_requests SET state = 'received' WHERE reference = :r"),
            {"r": case.reference},
        )
    assert w.registry.check_history(w.focal) == count


def test_an_edited_entry_is_named(w: World) -> None:
    ref = w.registry.new_request(w.staff, a_request()).reference
    _drop_guards(w)
    with w.registry.store.engine.begin() as conn:
        conn.execute(
            text("UPDATE assist_history SET actor = 'Someone Else' WHERE subject = :r"), {"r": ref}
        )
    with pytest.raises(
        HistoryBroken, match=r"history entry 6: its content does not match its hash"
    ) as caught:
        w.registry.check_history(w.focal)
    assert caught.value.sequence == 6


def test_an_edit_with_its_hash_recomputed_breaks_the_next_link(w: World) -> None:
    w.registry.new_request(w.staff, a_request())
    _drop_guards(w)
    third = _entries(w)[2]
    forged = Entry(
        **{**{k: getattr(third, k) for k in Entry.__slots__}, "actor": "Forger", "hash": b""}
    )
    with w.registry.store.engine.begin() as conn:
        conn.execute(
            text("UPDATE assist_history SET actor = 'Forger', hash = :h WHERE sequence = 3"),
            {"h": entry_hash(forged)},
        )
    with pytest.raises(
        HistoryBroken, match=r"history entry 4: its link is not the previous entry's hash"
    ):
        w.registry.check_history(w.focal)


def test_a_removed_entry_is_named(w: World) -> None:
    w.registry.new_request(w.staff, a_request())
    _drop_guards(w)
    with w.registry.store.engine.begin() as conn:
        conn.execute(text("DELETE FROM assist_history WHERE sequence = 4"))
    with pytest.raises(HistoryBroken, match=r"history entry 5: expected entry 4 here"):
        w.registry.check_history(w.focal)


def test_the_encoding_is_length_prefixed_and_tagged() -> None:
    entry = Entry(
        sequence=1,
        at="2026-01-01T00:00:00+00:00",
        actor="A",
        action="x",
        subject="s",
        details={"b": 1, "a": "é"},
        previous=GENESIS,
    )
    encoded = encode_entry(entry)
    assert encoded.startswith(
        len(b"suffrage/assistance/history/v1").to_bytes(8, "big") + b"suffrage/"
    )
    assert b'{"a":"\xc3\xa9","b":1}' in encoded  # RFC 8785: sorted keys, UTF-8
    assert encoded.endswith((32).to_bytes(8, "big") + GENESIS)
    # fields cannot slide into each other: "ab"+"c" differs from "a"+"bc"
    one = Entry(**{**{k: getattr(entry, k) for k in Entry.__slots__}, "actor": "ab", "action": "c"})
    two = Entry(**{**{k: getattr(entry, k) for k in Entry.__slots__}, "actor": "a", "action": "bc"})
    assert entry_hash(one) != entry_hash(two)
    hashed = Entry(**{**{k: getattr(entry, k) for k in Entry.__slots__}, "hash": entry_hash(entry)})
    assert check_chain([hashed]) == 1
