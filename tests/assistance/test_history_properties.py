"""Properties of the history's encoding and chain (spec/assistance.md#5), with Hypothesis."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suffrage.assistance.history import (
    GENESIS,
    Entry,
    HistoryBroken,
    check_chain,
    encode_entry,
    entry_hash,
)

_text = st.text(max_size=12)
_details = st.dictionaries(
    st.text(max_size=6), st.one_of(st.integers(-1000, 1000), _text), max_size=3
)
_contents = st.tuples(_text, _text, _text, _text, _details)


def _chain(contents: list[tuple[str, str, str, str, dict[str, object]]]) -> list[Entry]:
    chain: list[Entry] = []
    previous = GENESIS
    for number, (at, actor, action, subject, details) in enumerate(contents, 1):
        entry = Entry(
            sequence=number,
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            details=details,
            previous=previous,
        )
        entry = replace(entry, hash=entry_hash(entry))
        chain.append(entry)
        previous = entry.hash
    return chain


@given(_contents, _contents)
def test_different_contents_encode_differently(a: tuple, b: tuple) -> None:  # type: ignore[type-arg]
    one, two = _chain([a])[0], _chain([b])[0]
    assert (encode_entry(one) == encode_entry(two)) == (a == b)


@given(st.lists(_contents, min_size=1, max_size=6), st.data())
def test_a_chain_checks_and_any_changed_field_is_named(contents: list, data: st.DataObject) -> None:  # type: ignore[type-arg]
    chain = _chain(contents)
    assert check_chain(chain) == len(chain)
    index = data.draw(st.integers(0, len(chain) - 1))
    field = data.draw(st.sampled_from(["at", "actor", "action", "subject"]))
    edited = replace(chain[index], **{field: getattr(chain[index], field) + "x"})
    with pytest.raises(HistoryBroken) as caught:
        check_chain([*chain[:index], edited, *chain[index + 1 :]])
    assert caught.value.sequence == index + 1
