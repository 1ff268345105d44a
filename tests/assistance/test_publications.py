"""New versions of a document and withdrawn publications (spec/assistance.md#10.7, #10.8,
#11.5) on SQLite and PostgreSQL: a version keeps the earlier one readable and says what it
supersedes, forks and other requests' documents are refused, search finds the current
version; a withdrawal hides a publication from the public but keeps its row, its history
and (for a status report) its check; an edit of a version or withdrawal row is caught."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from assistance.kit import World, a_request
from assistance.test_memory import _under_way
from suffrage.assistance.access import NotPermitted
from suffrage.assistance.coordination import Activity
from suffrage.assistance.domain import Entity, Kind, Phase
from suffrage.assistance.history import Entry, HistoryBroken
from suffrage.assistance.memory import DocKind, Document
from suffrage.assistance.publication import Withdrawn
from suffrage.assistance.storage import history_entries
from suffrage.errors import InvalidInput, NotFound, StorageError, VerificationFailed

FIRST = "The needs assessment found the voter register eleven months out of date."
SECOND = "The needs assessment found the voter register seven months out of date (corrected)."


def _doc(body: str, *, title: str = "Assessment report", **more: object) -> Document:
    values: dict[str, object] = {
        "kind": DocKind.LESSON_LEARNED,
        "language": "en",
        "title": title,
        "body": body,
        "author": "Assessment mission",
        "dated": date(2026, 4, 20),
        **more,
    }
    return Document(**values)  # type: ignore[arg-type]


def _request(w: World, country: str = "NPL") -> str:
    return w.registry.new_request(w.staff, a_request(country)).reference


def _found(w: World, query: str, user: str = "staff") -> list[int]:
    return [h.document_id for h in w.registry.search_documents(getattr(w, user), query)]


def _drop(w: World, table: str) -> None:
    """Drop a table's append-only triggers, as an owner of the database could."""
    with w.registry.store.writing() as conn:
        if w.registry.store.engine.dialect.name == "sqlite":
            for op in ("update", "delete"):
                conn.execute(text(f"DROP TRIGGER {table}_no_{op}"))
        else:
            conn.execute(text(f"DROP TRIGGER {table}_append_only ON {table}"))


# -- versions --------------------------------------------------------------------------


def test_a_new_version_keeps_the_old_one_and_says_what_it_supersedes(w: World) -> None:
    reg, ref = w.registry, _request(w)
    first = reg.attach_document(w.staff, ref, _doc(FIRST))
    second = reg.attach_document(
        w.staff, ref, _doc(SECOND, title="Corrected"), supersedes=first.document_id
    )
    assert reg.show_document(w.staff, first.document_id).document.body == FIRST
    assert reg.show_document(w.staff, second.document_id).document.body == SECOND
    old = reg.document_standing(w.staff, first.document_id)
    new = reg.document_standing(w.staff, second.document_id)
    assert (old.version, old.superseded_by, old.supersedes) == (1, second.document_id, None)
    assert (new.version, new.superseded_by, new.supersedes) == (2, None, first.document_id)
    assert [(v.document_id, v.version) for v in new.versions] == [
        (first.document_id, 1),
        (second.document_id, 2),
    ]
    assert old.versions == new.versions
    entry = reg.request_history(w.staff, ref)[-1]
    assert (entry.action, entry.details["supersedes"], entry.details["version"]) == (
        "document attached",
        first.document_id,
        2,
    )
    assert len(entry.details["version_row"]) == 64
    assert reg.check_history(w.focal) == len(list(_entries(w)))


def _entries(w: World) -> list[Entry]:
    with w.registry.store.engine.connect() as conn:
        return list(history_entries(conn))


def test_a_third_version_counts_on_and_search_finds_the_current_one(w: World) -> None:
    reg, ref = w.registry, _request(w)
    one = reg.attach_document(w.staff, ref, _doc(FIRST))
    two = reg.attach_document(w.staff, ref, _doc(SECOND), supersedes=one.document_id)
    three = reg.attach_document(w.staff, ref, _doc(SECOND + " Final."), supersedes=two.document_id)
    assert reg.document_standing(w.focal, three.document_id).version == 3
    assert _found(w, "voter register") == [three.document_id]
    every = reg.search_versions(w.staff, "voter register")
    assert sorted((h.document_id, later) for h, later in every) == [
        (one.document_id, two.document_id),
        (two.document_id, three.document_id),
        (three.document_id, None),
    ]


def test_a_fork_another_requests_document_and_a_kind_change_are_refused(w: World) -> None:
    reg, ref, other = w.registry, _request(w), _request(w, "BOL")
    one = reg.attach_document(w.staff, ref, _doc(FIRST))
    two = reg.attach_document(w.staff, ref, _doc(SECOND), supersedes=one.document_id)
    before = len(_entries(w))
    with pytest.raises(InvalidInput, match=f"already superseded by document {two.document_id}"):
        reg.attach_document(w.staff, ref, _doc("a fork"), supersedes=one.document_id)
    with pytest.raises(InvalidInput, match=r"supersedes: .* attached to another request"):
        reg.attach_document(w.staff, other, _doc("elsewhere"), supersedes=two.document_id)
    with pytest.raises(InvalidInput, match=r"kind: .* keeps its kind, got other"):
        reg.attach_document(w.staff, ref, _doc("x", kind=DocKind.OTHER), supersedes=two.document_id)
    with pytest.raises(NotFound, match="no document 99"):
        reg.attach_document(w.staff, ref, _doc("x"), supersedes=99)
    assert len(_entries(w)) == before
    assert _found(w, "fork") == []


def test_the_database_refuses_a_fork_too(w: World) -> None:
    reg, ref = w.registry, _request(w)
    one = reg.attach_document(w.staff, ref, _doc(FIRST))
    two = reg.attach_document(w.staff, ref, _doc(SECOND), supersedes=one.document_id)
    loose = reg.attach_document(w.staff, ref, _doc("another document"))
    with pytest.raises(StorageError), reg.store.writing() as conn:  # supersedes is unique
        conn.execute(
            text("INSERT INTO assist_document_versions VALUES (:d, :s, :f, 2)"),
            {"d": loose.document_id, "s": one.document_id, "f": one.document_id},
        )
    assert reg.document_standing(w.staff, one.document_id).superseded_by == two.document_id


def test_a_version_of_a_published_document_is_published_with_it(w: World) -> None:
    reg, ref = w.registry, _request(w)
    one = reg.attach_document(w.staff, ref, _doc(FIRST, published=True))
    two = reg.attach_document(w.staff, ref, _doc(SECOND), supersedes=one.document_id)
    assert two.document.published
    assert reg.request_history(w.staff, ref)[-1].details["published"] is True
    assert _found(w, "voter register", "public") == [two.document_id]
    standing = reg.document_standing(w.public, one.document_id)
    assert standing.superseded_by == two.document_id  # the old one stays readable, marked
    with pytest.raises(InvalidInput, match=f"superseded by document {two.document_id}"):
        reg.publish_document(w.staff, one.document_id)
    reg.check_history(w.focal)


def test_an_implementing_entity_may_not_version_a_published_document(w: World) -> None:
    reg, ref = w.registry, _under_way(w)
    training = Activity(
        entity=Entity.UNDP,
        country="NPL",
        phase=Phase.PRE_ELECTORAL,
        kind=Kind.TECHNICAL_ASSISTANCE,
        starts=date(2026, 6, 1),
        ends=date(2026, 9, 30),
        title="Training",
    )
    reg.add_activity(w.undp, training, ref)
    draft = reg.attach_document(w.undp, ref, _doc("draft lesson"))
    better = reg.attach_document(w.undp, ref, _doc("better lesson"), supersedes=draft.document_id)
    assert better.document.published is False
    public = reg.attach_document(w.staff, ref, _doc("public lesson", published=True))
    with pytest.raises(NotPermitted, match="may not publish documents"):
        reg.attach_document(w.undp, ref, _doc("x"), supersedes=public.document_id)


def test_an_edit_of_a_version_row_is_caught(w: World) -> None:
    reg, ref = w.registry, _request(w)
    one = reg.attach_document(w.staff, ref, _doc(FIRST))
    other = reg.attach_document(w.staff, ref, _doc("another document"))
    reg.attach_document(w.staff, ref, _doc(SECOND), supersedes=one.document_id)
    with pytest.raises(StorageError, match="assist_document_versions"), reg.store.writing() as c:
        c.execute(
            text("UPDATE assist_document_versions SET supersedes = :o"), {"o": other.document_id}
        )
    _drop(w, "assist_document_versions")
    with reg.store.writing() as conn:
        conn.execute(text("UPDATE assist_document_versions SET version = 7"))
    with pytest.raises(HistoryBroken, match="version row is not the one this entry recorded"):
        reg.check_history(w.focal)


def test_a_document_row_edited_behind_the_trigger_is_caught(w: World) -> None:
    reg, ref = w.registry, _request(w)
    one = reg.attach_document(w.staff, ref, _doc(FIRST))
    on = "" if reg.store.engine.dialect.name == "sqlite" else " ON assist_documents"
    with reg.store.writing() as conn:
        conn.execute(text(f"DROP TRIGGER assist_documents_fixed{on}"))
        conn.execute(text("UPDATE assist_documents SET title = 'Forged title'"))
    with pytest.raises(HistoryBroken, match=f"document {one.document_id} is not the row"):
        reg.check_history(w.focal)


# -- withdrawing a document ----------------------------------------------------------


def test_a_withdrawn_document_leaves_the_public_but_its_row_and_history_stay(w: World) -> None:
    reg, ref = w.registry, _request(w)
    one = reg.attach_document(w.staff, ref, _doc(FIRST, published=True))
    assert _found(w, "voter register", "public") == [one.document_id]
    with pytest.raises(InvalidInput, match="reason: is empty"):
        reg.withdraw_document(w.staff, one.document_id, "   ")
    with pytest.raises(NotPermitted, match="may not publish documents"):
        reg.withdraw_document(w.undp, one.document_id, "wrong figures")
    standing = reg.withdraw_document(w.staff, one.document_id, "The figures were wrong.")
    assert standing.withdrawal is not None
    assert (standing.withdrawal.reason, standing.withdrawal.by) == (
        "The figures were wrong.",
        "Ead Officer",
    )
    assert _found(w, "voter register", "public") == []
    assert _found(w, "voter register", "liaison") == [one.document_id]  # its own State's
    with pytest.raises(Withdrawn, match=r"withdrawn on 2026-\d\d-\d\d: The figures were wrong"):
        reg.show_document(w.public, one.document_id)
    assert reg.show_document(w.staff, one.document_id).document.body == FIRST
    entry = reg.request_history(w.staff, ref)[-1]
    assert (entry.action, entry.actor, entry.details["reason"]) == (
        "document withdrawn",
        "Ead Officer",
        "The figures were wrong.",
    )
    assert entry.details["versions"] == [one.document_id]
    with pytest.raises(InvalidInput, match="was already withdrawn on"):
        reg.withdraw_document(w.focal, one.document_id, "again")
    with pytest.raises(InvalidInput, match="a withdrawal is final; attach a new version"):
        reg.publish_document(w.focal, one.document_id)
    reg.check_history(w.focal)


def test_withdrawing_a_document_withdraws_every_published_version(w: World) -> None:
    reg, ref = w.registry, _request(w)
    one = reg.attach_document(w.staff, ref, _doc(FIRST, published=True))
    two = reg.attach_document(w.staff, ref, _doc(SECOND), supersedes=one.document_id)
    assert reg.show_document(w.public, one.document_id).document.body == FIRST
    reg.withdraw_document(w.focal, two.document_id, "Replaced by the mission's final text.")
    for number in (one.document_id, two.document_id):
        with pytest.raises(Withdrawn, match="Replaced by the mission"):
            reg.show_document(w.public, number)
    # republishing: a new version, unpublished, then published
    three = reg.attach_document(w.staff, ref, _doc("final text"), supersedes=two.document_id)
    assert not three.document.published
    reg.publish_document(w.staff, three.document_id)
    assert _found(w, "final text", "public") == [three.document_id]
    reg.check_history(w.focal)


def test_an_unpublished_or_unknown_document_cannot_be_withdrawn(w: World) -> None:
    reg, ref = w.registry, _request(w)
    draft = reg.attach_document(w.staff, ref, _doc("draft"))
    with pytest.raises(InvalidInput, match="is not published: nothing to withdraw"):
        reg.withdraw_document(w.staff, draft.document_id, "no reason")
    with pytest.raises(NotFound, match="no document 99"):
        reg.withdraw_document(w.staff, 99, "no reason")


def test_an_edit_or_insertion_of_a_withdrawal_row_is_caught(w: World) -> None:
    reg, ref = w.registry, _request(w)
    one = reg.attach_document(w.staff, ref, _doc(FIRST, published=True))
    two = reg.attach_document(w.staff, ref, _doc("second published", published=True))
    reg.withdraw_document(w.staff, one.document_id, "wrong figures")
    with pytest.raises(StorageError, match="assist_withdrawals"), reg.store.writing() as conn:
        conn.execute(text("DELETE FROM assist_withdrawals"))
    _drop(w, "assist_withdrawals")
    with reg.store.writing() as conn:
        conn.execute(text("UPDATE assist_withdrawals SET reason = 'a softer reason'"))
    with pytest.raises(HistoryBroken, match="withdrawal 1 is not the row this entry recorded"):
        reg.check_history(w.focal)
    with reg.store.writing() as conn:
        conn.execute(text("UPDATE assist_withdrawals SET reason = 'wrong figures'"))
    reg.check_history(w.focal)  # back as recorded
    with reg.store.writing() as conn:
        conn.execute(
            text(
                "INSERT INTO assist_withdrawals (id, document_id, reason, withdrawn_by, "
                "withdrawn_at) VALUES (2, :d, 'silenced', 'x', '2026-03-02T10:00:00+00:00')"
            ),
            {"d": two.document_id},
        )
    assert _found(w, "second published", "public") == []  # it hid the document...
    with pytest.raises(HistoryBroken, match="withdrawal 2 has no history entry"):
        reg.check_history(w.focal)  # ...and the check says so


# -- withdrawing a status report -------------------------------------------------------


def test_a_withdrawn_report_leaves_the_public_list_and_stays_checked(w: World) -> None:
    reg = w.registry
    _request(w)
    made = reg.publish_report(w.focal, date(2026, 1, 1), date(2026, 6, 30))
    with pytest.raises(NotPermitted, match=r"only the focal point .* withdraws them"):
        reg.withdraw_report(w.staff, made.report_id, "wrong period")
    with pytest.raises(InvalidInput, match="reason: is empty"):
        reg.withdraw_report(w.focal, made.report_id, "")
    with pytest.raises(NotFound, match="no published status report 9"):
        reg.withdraw_report(w.focal, 9, "wrong period")
    done = reg.withdraw_report(w.focal, made.report_id, "The period was wrong.")
    assert done.reason == "The period was wrong."
    assert reg.published(w.public) == []
    [listed] = reg.published(w.staff)
    assert listed.withdrawal == done
    with pytest.raises(Withdrawn, match=r"status report 1 was withdrawn on .*: The period"):
        reg.published_report(w.public, made.report_id)
    with pytest.raises(InvalidInput, match="already withdrawn on"):
        reg.withdraw_report(w.focal, made.report_id, "again")
    assert reg.check_published(w.focal) == 1
    reg.check_history(w.focal)
    entry = _entries(w)[-1]
    assert (entry.action, entry.subject, entry.details["reason"]) == (
        "status report withdrawn",
        "report:1",
        "The period was wrong.",
    )
    again = reg.publish_report(w.focal, date(2026, 1, 1), date(2026, 6, 30))
    assert [r.report_id for r in reg.published(w.public)] == [again.report_id]


def test_a_withdrawn_reports_figures_are_still_checked(w: World) -> None:
    reg = w.registry
    made = reg.publish_report(w.focal, date(2026, 1, 1), date(2026, 6, 30))
    reg.withdraw_report(w.focal, made.report_id, "superseded")
    with reg.store.writing() as conn:
        if reg.store.engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER assist_reports_no_update"))
        else:
            conn.execute(text("DROP TRIGGER assist_reports_append_only ON assist_reports"))
        conn.execute(
            text("UPDATE assist_reports SET document = replace(document, :a, :b)"),
            {"a": '"scope":null', "b": '"scope":"NPL"'},
        )
    with pytest.raises(VerificationFailed, match="its figures do not match its SHA-256"):
        reg.check_published(w.focal)


def test_a_document_removed_behind_the_triggers_back_is_caught(w: World) -> None:
    reg, ref = w.registry, _request(w)
    kept = reg.attach_document(w.staff, ref, _doc(FIRST))
    gone = reg.attach_document(w.staff, ref, _doc("an awkward finding"))
    sqlite = reg.store.engine.dialect.name == "sqlite"
    with reg.store.writing() as conn:
        if sqlite:
            conn.execute(text("DROP TRIGGER assist_documents_kept"))
        else:
            conn.execute(text("DROP TRIGGER assist_documents_fixed ON assist_documents"))
        conn.execute(text("DELETE FROM assist_documents WHERE id = :n"), {"n": gone.document_id})
    with pytest.raises(HistoryBroken, match=f"document {gone.document_id} is gone"):
        reg.check_history(w.focal)
    assert reg.show_document(w.staff, kept.document_id).document.body == FIRST
