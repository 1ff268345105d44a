"""The institutional memory (spec/assistance.md#10) on SQLite and PostgreSQL: documents in
the six languages found in full text, Chinese segmented, Arabic and accents folded, the
query never parsed as engine syntax, who sees what, ranking, and the history of each attach."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from assistance.kit import World, a_request, an_assessment
from suffrage.assistance.access import NotPermitted
from suffrage.assistance.coordination import Activity
from suffrage.assistance.domain import Decision, Entity, Kind, Outcome, Phase
from suffrage.assistance.history import HistoryBroken
from suffrage.assistance.memory import DocKind, Document
from suffrage.assistance.memory_storage import search_rows
from suffrage.errors import InvalidInput, NotFound, StorageError, VerificationFailed

ZH = (
    "为加强选民登记工作，选举委员会于二〇二六年三月在全国各地开展了培训。"
    "评估团认为，登记册的更新需要十个月的时间。"
)
AR = (
    "تَقْرِيرُ بَعْثَةِ تَقْيِيمِ الاحْتِيَاجَاتِ: إِنَّ تَسْجِيلَ النَّاخِبِينَ فِي المَنَاطِقِ "
    "الرِّيفِيَّةِ يَحْتَاجُ إِلَى دَعْمٍ تِقْنِيٍّ قَبْلَ الانْتِخَابَاتِ البَلَدِيَّةِ."
)
FR = (
    "Enseignements tirés : l'élection présidentielle a montré que la révision des listes "
    "électorales dans la région côtière demande un calendrier plus long."
)


def _doc(body: str, *, title: str = "A report", language: str = "en", **more: object) -> Document:
    values: dict[str, object] = {
        "kind": DocKind.LESSON_LEARNED,
        "language": language,
        "title": title,
        "body": body,
        "author": "Assessment mission",
        "dated": date(2026, 4, 20),
        **more,
    }
    return Document(**values)  # type: ignore[arg-type]


def _request(w: World, country: str = "NPL") -> str:
    return w.registry.new_request(w.staff, a_request(country)).reference


def _under_way(w: World, country: str = "NPL") -> str:
    reg, ref = w.registry, _request(w, country)
    reg.plan_assessment(w.staff, ref, starts=date(2026, 4, 6), ends=date(2026, 4, 17), team=["x"])
    reg.record_assessment(w.staff, ref, an_assessment())
    reg.decide(w.focal, ref, Decision(outcome=Outcome.ASSIST, reasons="needs established"))
    reg.start(w.staff, ref, Phase.PRE_ELECTORAL)
    return ref


def _found(w: World, query: str, user: str = "staff", **options: object) -> list[int]:
    hits = w.registry.search_documents(getattr(w, user), query, **options)  # type: ignore[arg-type]
    return [h.document_id for h in hits]


def test_a_chinese_word_finds_a_text_that_has_no_spaces(w: World) -> None:
    ref = _request(w)
    zh = w.registry.attach_document(w.staff, ref, _doc(ZH, language="zh", title="评估报告"))
    w.registry.attach_document(w.staff, ref, _doc("Voter registration in the hills."))
    assert _found(w, "选民登记") == [zh.document_id]
    assert _found(w, "登记册") == [zh.document_id]
    assert _found(w, "选民登记", language="en") == []
    [hit] = w.registry.search_documents(w.staff, "选民登记")
    # 登记 again inside 登记册 (register): a word of the query, highlighted there too
    assert [s.text for s in hit.snippet if s.hit] == ["选民登记", "登记"]
    assert hit.reference == ref


def test_han_text_is_segmented_whatever_the_declared_language(w: World) -> None:
    ref = _request(w)
    mixed = w.registry.attach_document(
        w.staff, ref, _doc("The mission met the commission (选举委员会) in March.")
    )
    assert _found(w, "委员会") == [mixed.document_id]
    assert _found(w, "Commission") == [mixed.document_id]


def test_an_arabic_query_without_diacritics_finds_a_text_with_them(w: World) -> None:
    ref = _request(w, "TUN")
    ar = w.registry.attach_document(w.staff, ref, _doc(AR, language="ar"))
    assert _found(w, "تسجيل الناخبين") == [ar.document_id]
    assert _found(w, "الإنتخابات البلدية") == [ar.document_id]  # hamza, teh marbuta
    assert _found(w, "تسجيل الناخبات") == [ar.document_id]  # one stem: ناخب (§10.4)
    assert _found(w, "تسجيل المرشحين") == []  # candidates: not in the text
    [hit] = w.registry.search_documents(w.staff, "الناخبين")
    assert [s.text for s in hit.snippet if s.hit] == ["النَّاخِبِينَ"]


def test_french_accents_and_case_are_folded(w: World) -> None:
    ref = _request(w, "TUN")
    fr = w.registry.attach_document(w.staff, ref, _doc(FR, language="fr"))
    assert _found(w, "election presidentielle") == [fr.document_id]
    assert _found(w, "RÉGION CÔTIÈRE") == [fr.document_id]
    assert _found(w, "electorales", language="fr") == [fr.document_id]
    assert _found(w, "electorales", language="es") == []


@pytest.mark.parametrize(
    ("query", "plain", "near"),
    [
        ('"voter', True, True),
        ("voter*", True, True),
        ("NEAR(voter registration)", False, True),
        ("voter -registration", True, True),
        ("body:voter", False, True),
        ("search_body:voter", False, True),
        ("voter AND NOT near", False, True),
        ("voter' OR 1=1 --", False, False),
        ("voter)); DROP TABLE assist_documents; --", False, False),
        ("voter & !near | :*", False, True),
        ('registration "" NEAR/2 voter^', False, True),
    ],
)
def test_query_syntax_characters_and_operators_are_words(
    w: World, query: str, plain: bool, near: bool
) -> None:
    """Each document is found when it holds every word of the query, and only then: no
    operator, column filter, prefix or negation is ever taken from what a user typed."""
    ref = _request(w)
    one = w.registry.attach_document(w.staff, ref, _doc("voter registration in the hills"))
    two = w.registry.attach_document(
        w.staff,
        ref,
        _doc("voter registration near the border; not and or body search_body drop table 2"),
    )
    found = set(_found(w, query))
    assert (one.document_id in found, two.document_id in found) == (plain, near)
    assert set(_found(w, "voter")) == {one.document_id, two.document_id}


@pytest.mark.parametrize("query", ['"', "*", ":", "-", "()", "' -- ;", " "])
def test_a_query_without_a_word_is_refused_plainly(w: World, query: str) -> None:
    with pytest.raises(InvalidInput, match="no word"):
        w.registry.search_documents(w.staff, query)


def test_a_liaison_sees_its_states_documents_and_published_ones_only(w: World) -> None:
    reg, npl, bol = w.registry, _request(w, "NPL"), _request(w, "BOL")
    own = reg.attach_document(w.staff, npl, _doc("registration audit of Nepal"))
    other = reg.attach_document(w.staff, bol, _doc("registration audit of Bolivia"))
    shown = reg.attach_document(
        w.staff, bol, _doc("registration audit, public summary", published=True)
    )
    assert set(_found(w, "registration audit", "liaison")) == {own.document_id, shown.document_id}
    assert _found(w, "Bolivia", "liaison") == []
    with pytest.raises(NotFound, match=f"no document {other.document_id} that Nepal Liaison"):
        reg.show_document(w.liaison, other.document_id)
    assert reg.show_document(w.liaison, shown.document_id).document.title == "A report"
    assert reg.show_document(w.liaison, own.document_id).reference == npl
    everyone = {own.document_id, other.document_id, shown.document_id}
    assert set(_found(w, "registration audit", "undp")) == everyone
    assert set(_found(w, "registration audit", "staff")) == everyone


def test_the_public_sees_only_published_documents(w: World) -> None:
    reg, ref = w.registry, _request(w)
    hidden = reg.attach_document(w.staff, ref, _doc("electoral calendar review"))
    assert _found(w, "calendar", "public") == []
    with pytest.raises(NotFound, match="no document"):
        reg.show_document(w.public, hidden.document_id)
    reg.publish_document(w.focal, hidden.document_id)
    assert _found(w, "calendar", "public") == [hidden.document_id]
    assert reg.show_document(w.public, hidden.document_id).document.published
    with pytest.raises(InvalidInput, match="already published"):
        reg.publish_document(w.staff, hidden.document_id)


def test_the_better_match_comes_first(w: World) -> None:
    reg, ref = w.registry, _request(w)
    filler = " ".join(["The mission met many partners and reviewed the budget."] * 20)
    once = reg.attach_document(w.staff, ref, _doc(f"{filler} Logistics were discussed once."))
    title = reg.attach_document(
        w.staff, ref, _doc("Logistics: logistics plans and logistics staff.", title="Logistics")
    )
    assert _found(w, "logistics") == [title.document_id, once.document_id]
    hits = reg.search_documents(w.staff, "logistics")
    assert hits[0].score > hits[1].score
    assert hits[1].before  # the snippet of the long text starts near the word, not at the top


def test_attach_writes_a_history_entry_and_the_chain_holds(w: World) -> None:
    reg, ref = w.registry, _request(w)
    before = reg.check_history(w.focal)
    filed = reg.attach_document(w.staff, ref, _doc(FR, language="fr", title="Leçons"))
    reg.publish_document(w.focal, filed.document_id)
    assert reg.check_history(w.focal) == before + 2
    attached, published = reg.request_history(w.staff, ref)[-2:]
    assert (attached.action, attached.actor, attached.subject) == (
        "document attached",
        "Ead Officer",
        ref,
    )
    assert attached.details["sha256"] == filed.sha256
    assert attached.details["document"] == filed.document_id
    assert attached.details["published"] is False
    assert (published.action, published.details["document"]) == (
        "document published",
        filed.document_id,
    )


def test_a_refused_attach_writes_nothing(w: World) -> None:
    reg, ref = w.registry, _request(w)
    before = reg.check_history(w.focal)
    with pytest.raises(InvalidInput, match="is received: a assessment_report is attached to"):
        reg.attach_document(w.staff, ref, _doc("x y", kind=DocKind.ASSESSMENT_REPORT))
    with pytest.raises(InvalidInput, match="body: is empty"):
        reg.attach_document(w.staff, ref, _doc("  "))
    with pytest.raises(InvalidInput, match="'de' is not one of"):
        reg.attach_document(w.staff, ref, _doc("Wahl", language="de"))
    with pytest.raises(NotFound, match="no request 'EA-2026-0099'"):
        reg.attach_document(w.staff, "EA-2026-0099", _doc("x"))
    assert reg.check_history(w.focal) == before
    assert _found(w, "x") == []


def test_who_may_attach_and_publish(w: World) -> None:
    reg, ref = w.registry, _under_way(w)
    other = _request(w, "BOL")
    with pytest.raises(NotPermitted, match=r"member_state_liaison.*may not attach documents"):
        reg.attach_document(w.liaison, ref, _doc("notes"))
    with pytest.raises(NotPermitted, match=r"public.*may not attach documents"):
        reg.attach_document(w.public, ref, _doc("notes"))
    with pytest.raises(NotPermitted, match="only to requests UNDP has activities under"):
        reg.attach_document(w.undp, ref, _doc("notes"))
    activity = Activity(
        entity=Entity.UNDP,
        country="NPL",
        phase=Phase.PRE_ELECTORAL,
        kind=Kind.TECHNICAL_ASSISTANCE,
        starts=date(2026, 6, 1),
        ends=date(2026, 9, 30),
        title="Training",
    )
    reg.add_activity(w.undp, activity, ref)
    lesson = reg.attach_document(w.undp, ref, _doc("trainers from each district"))
    assert lesson.attached_by == "Undp Adviser"
    with pytest.raises(NotPermitted, match="not assessment_report"):
        reg.attach_document(w.undp, ref, _doc("x", kind=DocKind.ASSESSMENT_REPORT))
    with pytest.raises(NotPermitted, match="only to requests UNDP has activities under"):
        reg.attach_document(w.undp, other, _doc("notes"))
    with pytest.raises(NotPermitted, match="may not publish documents"):
        reg.attach_document(w.undp, ref, _doc("notes", published=True))
    with pytest.raises(NotPermitted, match="may not publish documents"):
        reg.publish_document(w.undp, lesson.document_id)
    assert reg.publish_document(w.staff, lesson.document_id).document.published


def test_a_documents_text_cannot_be_edited_or_deleted(w: World) -> None:
    reg, ref = w.registry, _request(w)
    filed = reg.attach_document(w.staff, ref, _doc("the original text"))
    for sql in (
        "UPDATE assist_documents SET body = 'forged'",
        "UPDATE assist_documents SET search_body = 'forged'",
        "DELETE FROM assist_documents",
    ):
        with pytest.raises(StorageError, match="assist_documents"), reg.store.writing() as conn:
            conn.execute(text(sql))
    assert reg.show_document(w.staff, filed.document_id).document.body == "the original text"


def test_an_edit_behind_the_triggers_back_is_caught_by_the_history(w: World) -> None:
    reg, ref = w.registry, _request(w)
    filed = reg.attach_document(w.staff, ref, _doc("the original text"))
    on = "" if reg.store.engine.dialect.name == "sqlite" else " ON assist_documents"
    with reg.store.writing() as conn:
        conn.execute(text(f"DROP TRIGGER assist_documents_fixed{on}"))
        conn.execute(text("UPDATE assist_documents SET body = 'forged', sha256 = 'x'"))
    with pytest.raises(VerificationFailed, match="does not match the digest the history"):
        reg.show_document(w.staff, filed.document_id)
    with pytest.raises(HistoryBroken, match=f"document {filed.document_id}'s text is not the"):
        reg.check_history(w.focal)


def test_a_publication_made_outside_the_registry_is_caught(w: World) -> None:
    """``published`` may change (the trigger lets it), so the history check accounts for it:
    published only by a ``document published`` entry or at attach."""
    reg, ref = w.registry, _request(w)
    filed = reg.attach_document(w.staff, ref, _doc("an internal note"))
    with reg.store.writing() as conn:
        conn.execute(text("UPDATE assist_documents SET published = :yes"), {"yes": True})
    assert _found(w, "internal note", "public") == [filed.document_id]  # it leaked...
    with pytest.raises(HistoryBroken, match="published flag was changed outside"):
        reg.check_history(w.focal)  # ...and the check says so


def test_a_document_inserted_outside_the_registry_is_caught(w: World) -> None:
    reg, ref = w.registry, _request(w)
    reg.attach_document(w.staff, ref, _doc("a real one"))
    with reg.store.writing() as conn:
        row = dict(conn.execute(text("SELECT * FROM assist_documents")).mappings().one())
        row.pop("search", None)
        row["id"] = 99
        columns, values = ", ".join(row), ", ".join(f":{c}" for c in row)
        conn.execute(text(f"INSERT INTO assist_documents ({columns}) VALUES ({values})"), row)
    with pytest.raises(HistoryBroken, match="document 99 has no history entry"):
        reg.check_history(w.focal)


@pytest.mark.parametrize("term", ['voter"', "NEAR(voter", "body:voter", "voter*", "-voter"])
def test_the_storage_layer_quotes_each_term_whatever_it_holds(w: World, term: str) -> None:
    """Defence in depth: the service only ever passes folded words, but the storage layer
    itself quotes every term, so that no caller can pass engine syntax through."""
    ref = _request(w)
    w.registry.attach_document(w.staff, ref, _doc("near voter, body voter"))
    with w.registry.store.engine.connect() as conn:
        found = search_rows(
            conn, [term], state=None, everything=True, language=None, kind=None, limit=5
        )
    assert [row["title"] for row in found] == ["A report"]
