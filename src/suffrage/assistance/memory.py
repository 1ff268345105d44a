"""The institutional memory (spec/assistance.md#10; A/RES/74/158 paras. 17, 21): documents
attached to requests, and the text rules that make them searchable in the six UN languages.

Both engines index the same *terms*, made here, so that a query finds the same documents on
SQLite and on PostgreSQL and the terms can be traced back to the original text for a
snippet. A text is cut into tokens (runs of letters, digits and combining marks); runs of
Han characters, which neither engine can split into words, are segmented with jieba
(``cut_for_search`` mode: a long word and the shorter words inside it); each token is then
folded (:func:`fold`): NFKC, case folded, Latin, Greek and Cyrillic accents removed (``й``
kept), Arabic normalised, decimal digits of any script made ASCII. Where the document's
language has a Snowball stemmer (Arabic, English, French, Russian, Spanish: PyStemmer, the
Snowball project's C stemmers), each word's stem, folded, is indexed beside the word, so that
"elections" finds "election" and "выборов" finds "выборы". The index holds the terms joined
by spaces. A query goes through the same steps; each query word becomes a *group*: its folded
form and its stem in each of the five languages (a query's language is not known), and a
document must hold one term of every group.

Pure: no database, no clock. jieba's dictionary (about a second to load) is loaded once per
process, on the first text with Han characters.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Any

from suffrage.errors import InvalidInput
from suffrage.i18n import LANGUAGES

__all__ = [
    "MAX_BODY",
    "MAX_QUERY",
    "MAX_TITLE",
    "STEMMED",
    "DocKind",
    "Document",
    "Filed",
    "Hit",
    "Segment",
    "check_document",
    "fold",
    "has_han",
    "index_text",
    "query_groups",
    "query_terms",
    "snippet",
    "stem",
    "tokens",
]

MAX_TITLE = 500
MAX_BODY = 500_000
"""Characters of a document's text: a long report (some 150 pages) fits, and its
PostgreSQL ``tsvector`` stays well under the 1 MB a tsvector may hold."""
MAX_QUERY = 500


class DocKind(StrEnum):
    """What a document of the institutional memory is (spec/assistance.md#10)."""

    ASSESSMENT_REPORT = "assessment_report"
    FINAL_REPORT = "final_report"
    LESSON_LEARNED = "lesson_learned"
    OTHER = "other"


@dataclass(frozen=True, slots=True, kw_only=True)
class Document:
    """A document as attached: ``language`` is one of the six UN languages (its main one;
    any Han text in it is segmented whatever the language says)."""

    kind: DocKind
    language: str
    title: str
    body: str
    author: str
    dated: date
    published: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Filed:
    """A stored document, with the request it is attached to and who attached it when;
    ``sha256`` is the digest of its text (UTF-8), also written in the history."""

    document_id: int
    reference: str
    country: str
    document: Document
    attached_by: str
    attached_at: str
    sha256: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a snippet; ``hit`` when it is a word the query asked for."""

    text: str
    hit: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Hit:
    """One search result: the document (text left out), its rank (higher is better; the
    scale differs between engines) and a snippet of its text around the words found."""

    document_id: int
    reference: str
    country: str
    kind: DocKind
    language: str
    title: str
    dated: date
    published: bool
    score: float
    snippet: tuple[Segment, ...]
    before: bool
    """Whether text was cut before the snippet (an ellipsis goes there); ``after`` likewise."""
    after: bool


def check_document(document: Document) -> Document:
    """Refuse an empty or oversized title, text or author, a language that is not one of
    the six, and a NUL character (a binary file; PostgreSQL cannot store one in text)."""
    if document.language not in LANGUAGES:
        raise InvalidInput(
            "language", f"{document.language!r} is not one of {', '.join(LANGUAGES)}"
        )
    for field, value, limit in (
        ("title", document.title, MAX_TITLE),
        ("body", document.body, MAX_BODY),
        ("author", document.author, 200),
    ):
        if not value.strip():
            raise InvalidInput(field, "is empty")
        if len(value) > limit:
            raise InvalidInput(field, f"has {len(value)} characters; the limit is {limit}")
        if "\x00" in value:
            raise InvalidInput(field, "holds a NUL character (is it a binary file?)")
    if _word().search(document.body) is None:
        raise InvalidInput("body", "holds no word (letters or digits) to index")
    return document


# -- tokens and folding ---------------------------------------------------------------

_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_HAS_HAN = re.compile(f"[{_HAN}]")


@cache
def _word() -> re.Pattern[str]:
    """A token: letters and digits (not ``_``) with the combining marks inside words
    (Arabic harakat, Devanagari vowel signs...), which ``\\w`` alone would cut at."""
    marks: list[str] = []
    start = None
    for code in [*range(0x20000), *range(0xE0100, 0xE01F0), 0x10FFFF]:
        is_mark = code != 0x10FFFF and unicodedata.category(chr(code)).startswith("M")
        if is_mark and start is None:
            start = code
        elif not is_mark and start is not None:
            marks.append(f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}")
            start = None
    return re.compile(f"(?:[^\\W_]|[{''.join(marks)}])+")


_ARABIC = {
    **dict.fromkeys(range(0x064B, 0x0660)),  # tashkeel: tanwin, harakat, shadda, sukun...
    0x0670: None,  # superscript alef
    0x0640: None,  # tatweel
    **dict.fromkeys(range(0x06D6, 0x06EE)),  # Quranic annotation marks
    0x0622: "\u0627",  # alef with madda above -> alef
    0x0623: "\u0627",  # alef with hamza above
    0x0625: "\u0627",  # alef with hamza below
    0x0671: "\u0627",  # alef wasla
    0x0649: "\u064a",  # alef maqsura -> yeh
    0x0629: "\u0647",  # teh marbuta -> heh
}
"""Arabic folding, as Lucene's ArabicNormalizer does it (Larkey, Ballesteros and Connell,
"Light stemming for Arabic information retrieval", 2007): diacritics and tatweel removed,
the alef forms, alef maqsura and teh marbuta unified, so that a word is found written with
or without its vowels, hamza or madda."""
_KEEP = frozenset("йЙ")
"""Cyrillic letters whose diacritic makes another letter (й is not и; ё folds to е)."""


def fold(token: str) -> str:
    """One token as the index holds it (spec/assistance.md#10)."""
    text = unicodedata.normalize("NFKC", token).casefold().translate(_ARABIC)
    out: list[str] = []
    for char in text:
        if char in _KEEP:
            out.append(char)
            continue
        for part in unicodedata.normalize("NFD", char):
            if "\u0300" <= part <= "\u036f":
                continue  # Latin, Greek, Cyrillic accents
            digit = unicodedata.decimal(part, None)
            out.append(part if digit is None else str(digit))
    return unicodedata.normalize("NFC", "".join(out))


_JIEBA: list[Any] = []
_JIEBA_LOCK = threading.Lock()


def _jieba() -> Any:
    """jieba's tokenizer, its dictionary loaded once per process (about a second), under a
    lock so that two threads do not both load it.

    Built from the dictionary jieba ships, not from jieba's cache file: that file sits in
    the shared temporary directory, where another local user could plant one (it is read
    with ``marshal``) and so change how every Chinese text is segmented. jieba's progress
    messages are turned off (the library prints nothing)."""
    if not _JIEBA:
        with _JIEBA_LOCK:
            if not _JIEBA:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.FREQ, tokenizer.total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
                tokenizer.initialized = True
                _JIEBA.append(tokenizer)
    return _JIEBA[0]


def has_han(text: str) -> bool:
    return _HAS_HAN.search(text) is not None


def _spans(text: str, han: frozenset[str] | None = None) -> Iterator[tuple[int, int]]:
    """The spans of the tokens of ``text``, in order (jieba's overlapping ones included).
    With ``han`` (a query's Han terms), a Han run that holds none of them is not segmented:
    it cannot give one of them, and segmenting is the slow part."""
    position = 0
    for run in _HAN_RUN.finditer(text) if has_han(text) else ():
        yield from _word_spans(text, position, run.start())
        position = run.end()
        if han is not None:
            plain = unicodedata.normalize("NFKC", run.group())
            if not any(term in plain for term in han):
                continue
        for _, start, end in _jieba().tokenize(run.group(), mode="search"):
            yield run.start() + start, run.start() + end
    yield from _word_spans(text, position, len(text))


def _word_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    for found in _word().finditer(text, start, end):
        yield found.span()


def _terms(text: str, han: frozenset[str] | None = None) -> Iterator[tuple[str, int, int]]:
    for start, end in _spans(text, han):
        term = fold(text[start:end])
        if term:
            yield term, start, end


def tokens(text: str) -> list[tuple[str, int, int]]:
    """The terms of ``text``, each with the span of the original text it comes from."""
    return list(_terms(text))


STEMMED: Mapping[str, str] = {
    "ar": "arabic",
    "en": "english",
    "fr": "french",
    "ru": "russian",
    "es": "spanish",
}
"""The languages with a Snowball stemmer, and its name; Chinese words are not inflected."""

_STEMMERS = threading.local()  # a PyStemmer object is not to be shared between threads


def stem(token: str, language: str) -> str:
    """A token's stem in ``language``, folded; the folded token itself where the language
    has no stemmer or the token is Chinese."""
    name = STEMMED.get(language)
    if name is None or has_han(token):
        return fold(token)
    made = getattr(_STEMMERS, "by_name", None)
    if made is None:
        made = _STEMMERS.by_name = {}
    stemmer = made.get(name)
    if stemmer is None:
        import Stemmer

        stemmer = made[name] = Stemmer.Stemmer(name, 0)
    word = unicodedata.normalize("NFKC", token).casefold()
    return fold(stemmer.stemWord(word))


def index_text(text: str, language: str | None = None) -> str:
    """What the engines index: the terms, separated by spaces; with the document's
    ``language``, then the stems of the words whose stem is another term, in order (after
    all the words, so that the words keep their neighbours)."""
    words, stems = [], []
    for term, start, end in tokens(text):
        words.append(term)
        if language is not None and language in STEMMED:
            stemmed = stem(text[start:end], language)
            if stemmed and stemmed != term:
                stems.append(stemmed)
    return " ".join(words + stems)


def query_groups(query: str) -> list[tuple[str, ...]]:
    """A query's words, each once, in order, each as its group: the folded word first, then
    its stems in the five stemmed languages (each once); refused as :func:`query_terms`."""
    if len(query) > MAX_QUERY:
        raise InvalidInput("query", f"has {len(query)} characters; the limit is {MAX_QUERY}")
    groups: dict[str, tuple[str, ...]] = {}
    for term, start, end in tokens(query):
        if term not in groups:
            word = query[start:end]
            stems = (stem(word, language) for language in STEMMED)
            groups[term] = tuple(dict.fromkeys((term, *(s for s in stems if s))))
    if not groups:
        raise InvalidInput("query", "holds no word (letters or digits) to search for")
    return list(groups.values())


def query_terms(query: str) -> list[str]:
    """A query's terms, each once, in order: every character that is not part of a word
    (``"``, ``*``, ``:``, ``-``, parentheses...) separates words and nothing else, and words
    such as NEAR, AND, OR, NOT are words; refused when none is left."""
    if len(query) > MAX_QUERY:
        raise InvalidInput("query", f"has {len(query)} characters; the limit is {MAX_QUERY}")
    terms = list(dict.fromkeys(term for term, _, _ in tokens(query)))
    if not terms:
        raise InvalidInput("query", "holds no word (letters or digits) to search for")
    return terms


# -- snippets -------------------------------------------------------------------------


def snippet(
    text: str,
    terms: Sequence[str | Sequence[str]],
    width: int = 200,
    language: str | None = None,
) -> tuple[tuple[Segment, ...], bool, bool]:
    """The part of ``text`` (about ``width`` characters) where most of the query's terms
    are, the words found marked; with whether text was cut before and after it. Without a
    term in the text (the title matched), its beginning. ``terms`` are single terms or
    groups (:func:`query_groups`); with the text's ``language``, a word whose stem is in a
    group is found too.

    Bounded work on a long text: Han runs without a query term are not segmented, and the
    scan stops a window after the first place where every term is found together, or after
    :data:`_MAX_HITS` words found."""
    groups = [(t,) if isinstance(t, str) else tuple(t) for t in terms]
    group_of: dict[str, str] = {}
    for number, group in enumerate(groups):
        for variant in group:
            group_of.setdefault(variant, str(number))
    wanted = set(group_of.values())
    hits: list[tuple[int, int, str]] = []
    stop = len(text)
    for term, start, end in _terms(text, frozenset(t for t in group_of if has_han(t))):
        if start > stop or len(hits) >= _MAX_HITS:
            break
        found = group_of.get(term)
        if found is None and language is not None and language in STEMMED:
            found = group_of.get(stem(text[start:end], language))
        if found is not None:
            hits.append((start, end, found))
            near = {t for s, _, t in reversed(hits[-len(wanted) * 8 :]) if s >= start - width // 2}
            if near == wanted and stop == len(text):
                stop = start + width
    hits.sort()  # jieba gives a long word after the shorter ones inside it
    start = _window(hits, width)
    if start > 0:
        start = _on_a_word(text, start, min((s for s, _, _ in hits if s >= start), default=start))
    end = min(len(text), start + width)
    inside = sorted((s, e) for s, e, _ in hits if s >= start and e <= end)
    return _segments(text, start, end, _merged(inside)), start > 0, end < len(text)


def _on_a_word(text: str, start: int, first_hit: int) -> int:
    """Move ``start`` past a word it cuts, to the next word, never past the first word
    found; Han text, whose words only jieba knows, is left as it is."""
    if has_han(text[start]):
        return start
    word = _word()
    inside = word.match(text, start - 1)
    if inside is not None and inside.end() > start:
        start = inside.end()
    following = word.search(text, start, start + 30)
    return min(following.start() if following else start, first_hit)


_MAX_HITS = 2000
"""Words found that a snippet looks at, at most: a common word may occur thousands of times
in a long report."""


def _window(hits: list[tuple[int, int, str]], width: int) -> int:
    """Where the window with the most distinct terms found begins (a little before the
    first of them): one pass, each window ``width`` characters from a word found."""
    best, best_count = 0, 0
    inside: Counter[str] = Counter()
    last = 0
    for first, (start, _, _) in enumerate(hits):
        begin = max(0, start - width // 4)
        while last < len(hits) and (last <= first or hits[last][1] <= begin + width):
            inside[hits[last][2]] += 1
            last += 1
        if len(+inside) > best_count:
            best, best_count = begin, len(+inside)
        inside[hits[first][2]] -= 1
    return best


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _segments(text: str, start: int, end: int, marks: list[tuple[int, int]]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    position = start
    for s, e in marks:
        if s > position:
            out.append(Segment(_flat(text[position:s])))
        out.append(Segment(_flat(text[s:e]), hit=True))
        position = e
    if end > position:
        out.append(Segment(_flat(text[position:end])))
    return tuple(out)


def _flat(text: str) -> str:
    """Line breaks and runs of spaces as one space: a snippet is one line."""
    return re.sub(r"\s+", " ", text)
