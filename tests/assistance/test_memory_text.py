"""The institutional memory's text rules (spec/assistance.md#10), without a database:
folding, segmentation, query terms, snippets, document checks; its catalogs."""

from __future__ import annotations

import json
import re
from datetime import date
from importlib import resources

import pytest

from suffrage.assistance.memory import (
    MAX_QUERY,
    DocKind,
    Document,
    check_document,
    fold,
    index_text,
    query_terms,
    snippet,
    tokens,
)
from suffrage.errors import InvalidInput
from suffrage.i18n import LANGUAGES, catalog


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("Élection", "election"),
        ("CÔTIÈRE", "cotiere"),
        ("Straße", "strasse"),
        ("ёлка", "елка"),
        ("йод", "йод"),  # й is a letter of its own, not и with a mark
        ("ΕΚΛΟΓΈΣ", "εκλογεσ"),  # case folding makes final sigma σ too
        ("النَّاخِبِينَ", "الناخبين"),
        ("أحمد", "احمد"),
        ("إلى", "الي"),  # alef with hamza below; alef maqsura
        ("مدرسة", "مدرسه"),  # teh marbuta
        ("الانتـــخابات", "الانتخابات"),  # tatweel
        ("٢٠٢٦", "2026"),
        ("ＵＮＤＰ", "undp"),  # full width
        ("नेपालको", "नेपालको"),  # Devanagari vowel signs kept
    ],
)
def test_fold(word: str, folded: str) -> None:
    assert fold(word) == folded


def test_marks_inside_words_do_not_cut_them() -> None:
    assert [t for t, _, _ in tokens("नेपालको निर्वाचन आयोग")] == ["नेपालको", "निर्वाचन", "आयोग"]
    assert index_text("تَسْجِيلُ النَّاخِبِينَ") == "تسجيل الناخبين"


def test_han_runs_are_segmented_and_other_text_kept_apart() -> None:
    found = tokens("UNDP支持选民登记，élection")
    assert [t for t, _, _ in found] == ["undp", "支持", "选民", "登记", "election"]
    text = "UNDP支持选民登记，élection"
    assert [text[s:e] for _, s, e in found] == ["UNDP", "支持", "选民", "登记", "élection"]
    # search mode: a long word and the words inside it
    assert {"委员", "委员会"} <= {t for t, _, _ in tokens("选举委员会")}


def test_query_terms_are_words_once_each() -> None:
    assert query_terms('"Voter" voter* NEAR(x) -y title:z') == [
        "voter",
        "near",
        "x",
        "y",
        "title",
        "z",
    ]
    with pytest.raises(InvalidInput, match="query: holds no word"):
        query_terms('"*:-()')
    with pytest.raises(InvalidInput, match=f"the limit is {MAX_QUERY}"):
        query_terms("a " * MAX_QUERY)


def test_a_snippet_marks_the_words_found_where_most_of_them_are() -> None:
    text = "Budget. " * 40 + "The voter register needs an update." + " Budget." * 40
    segments, before, after = snippet(text, ["voter", "register"], width=80)
    assert before
    assert after
    assert [s.text for s in segments if s.hit] == ["voter", "register"]
    assert "update" in "".join(s.text for s in segments)
    segments, before, _ = snippet("Nothing here.", ["voter"])
    assert not before
    assert [s.text for s in segments] == ["Nothing here."]


def _doc(**change: object) -> Document:
    values: dict[str, object] = {
        "kind": DocKind.OTHER,
        "language": "en",
        "title": "t",
        "body": "some text",
        "author": "a",
        "dated": date(2026, 1, 1),
        **change,
    }
    return Document(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"language": "de"}, "language: 'de' is not one of ar, zh, en, fr, ru, es"),
        ({"title": " "}, "title: is empty"),
        ({"author": ""}, "author: is empty"),
        ({"body": "x" * 500_001}, "body: has 500001 characters; the limit is 500000"),
        ({"body": "text\x00more"}, "body: holds a NUL character"),
        ({"body": "… — ! ?"}, "body: holds no word"),
    ],
)
def test_a_document_is_checked(change: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        check_document(_doc(**change))


def test_the_memory_catalog_is_complete_in_the_six_languages() -> None:
    folder = resources.files("suffrage.assistance").joinpath("i18n")
    english = json.loads(folder.joinpath("memory.en.json").read_text("utf-8"))
    assert {f"kind_{k.value}" for k in DocKind} <= set(english)
    for language in LANGUAGES:
        strings = json.loads(folder.joinpath(f"memory.{language}.json").read_text("utf-8"))
        assert set(strings) == set(english), language
        assert [k for k, v in strings.items() if not v.strip()] == [], language
        for key, text in strings.items():
            wanted = set(re.findall(r"\{(\w+)\}", english[key]))
            assert set(re.findall(r"\{(\w+)\}", text)) == wanted, (language, key)
        said = catalog("memory", language, "suffrage.assistance")
        assert said("request_ref", reference="EA-2026-0001", country="NPL").count("EA-2026-0001")


def test_a_snippet_begins_on_a_whole_word() -> None:
    text = "electoral " * 30 + "the voter register"
    segments, before, _ = snippet(text, ["voter"], width=80)
    assert before
    assert segments[0].text.startswith("electoral ")
    assert [s.text for s in segments if s.hit] == ["voter"]


def test_a_long_chinese_text_gives_its_snippet_where_the_word_is() -> None:
    text = "评估团认为，登记册的更新需要时间。" * 300 + "选举委员会加强了选民登记工作。"
    segments, before, after = snippet(text, ["选民", "登记"], width=40)
    assert before
    assert not after
    assert [s.text for s in segments if s.hit][-1] == "选民登记"
