"""Stemming in the institutional memory's text rules (spec/assistance.md#10.4): a word's
stem is indexed beside it in the document's language, a query word is a group of its folded
form and its stems, and a snippet marks an inflected word a query found."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from assistance.kit import World, a_request
from suffrage.assistance.memory import DocKind, Document, index_text, query_groups, snippet, stem


@pytest.mark.parametrize(
    ("word", "language", "stemmed"),
    [
        ("Elections", "en", "elect"),
        ("élections", "fr", "elect"),  # stemmed with its accent, then folded
        ("elecciones", "es", "eleccion"),
        ("Выборов", "ru", "выбор"),
        ("الانتخابات", "ar", "انتخاب"),
        ("选举", "zh", "选举"),  # Chinese is not inflected
        ("选举", "en", "选举"),  # nor stemmed under another language's name
    ],
)
def test_stem(word: str, language: str, stemmed: str) -> None:
    assert stem(word, language) == stemmed


def test_the_stem_is_indexed_beside_the_word_in_the_documents_language_only() -> None:
    assert index_text("The elections", "en") == "the elections elect"
    assert index_text("body elections", "en") == "body elections bodi elect"  # words first
    assert index_text("The elections", "zh") == "the elections"
    assert index_text("The elections") == "the elections"  # no language: words only


def test_a_query_word_is_its_folded_form_then_its_stems_each_once() -> None:
    groups = query_groups("Elections élections")
    assert groups[0][0] == "elections"
    assert "elect" in groups[0]
    assert len(groups) == 1  # both fold to one word
    assert len(set(groups[0])) == len(groups[0])
    assert query_groups("выборы") == [("выборы", "выбор")]


def test_every_query_group_meets_the_index_of_an_inflected_form() -> None:
    pairs = [
        ("election", "elections", "en"),
        ("électorales", "électoral", "fr"),
        ("elección", "elecciones", "es"),
        ("выборы", "выборов", "ru"),
        ("الانتخابات", "انتخاب", "ar"),
    ]
    for query, text, language in pairs:
        indexed = set(index_text(text, language).split())
        assert all(set(g) & indexed for g in query_groups(query)), (query, text)


def test_an_unrelated_word_does_not_meet_it() -> None:
    indexed = set(index_text("voter registration", "en").split())
    assert not set(query_groups("elections")[0]) & indexed


def test_a_query_without_a_word_is_refused() -> None:
    with pytest.raises(ValueError, match="holds no word"):
        query_groups(" -- ")


def test_a_snippet_marks_the_inflected_word_found() -> None:
    segments, _, _ = snippet("Two elections were held.", query_groups("election"), language="en")
    assert [s.text for s in segments if s.hit] == ["elections"]
    bare, _, _ = snippet("Two elections were held.", ["election"])  # no stems: no hit
    assert not any(s.hit for s in bare)


def test_stemmers_are_not_shared_between_threads() -> None:
    found: list[str] = []
    threads = [
        threading.Thread(target=lambda: found.append(stem("elections", "en"))) for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert found == ["elect"] * 4


def _attach(w: World, language: str, body: str) -> int:
    reference = w.registry.new_request(w.staff, a_request("NPL")).reference
    document = Document(
        kind=DocKind.LESSON_LEARNED,
        language=language,
        title=f"Lessons ({language})",
        body=body,
        author="Assessment mission",
        dated=date(2026, 4, 20),
    )
    return w.registry.attach_document(w.staff, reference, document).document_id


def test_an_inflected_query_finds_the_other_form_on_both_engines(w: World) -> None:
    en = _attach(w, "en", "The election commission trained its staff.")
    fr = _attach(w, "fr", "Les listes électorales ont été révisées.")
    es = _attach(w, "es", "Las elecciones municipales se aplazaron.")
    ru = _attach(w, "ru", "Комиссия готовит выборы в парламент.")

    def found(query: str) -> list[int]:
        return [h.document_id for h in w.registry.search_documents(w.staff, query)]

    assert found("elections") == [en]
    assert found("électoral") == [fr]
    assert found("elección municipal") == [es]
    assert found("выборов") == [ru]
    assert found("elections trained staff") == [en]  # every word, each by its stem
    assert found("elections postponed") == []  # one word missing: nothing
    [hit] = w.registry.search_documents(w.staff, "commissions")
    assert [s.text for s in hit.snippet if s.hit] == ["commission"]
