"""The election context refuses set-ups that would encrypt in the clear (spec #12.4)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from suffrage._native import Element
from suffrage.core import SeededRandom
from suffrage.errors import InvalidInput
from suffrage.protocol.context import make_context
from suffrage.protocol.key_ceremony import GuardianPublic
from suffrage.protocol.manifest import load_sample_manifest
from suffrage.service.election import homomorphic_only, key_ceremony

MANIFEST = homomorphic_only(load_sample_manifest())


def guardians() -> list[GuardianPublic]:
    secrets, _, _ = key_ceremony(MANIFEST, guardians=3, threshold=2, rng=SeededRandom(31))
    return [s.public for s in secrets]


def with_key(guardian: GuardianPublic, key: Element) -> GuardianPublic:
    return replace(guardian, commitments=(key, *guardian.commitments[1:]))


def build(publics: list[GuardianPublic]) -> None:
    make_context(manifest=MANIFEST, threshold=2, guardians=publics, credentials=[])


def test_an_honest_set_up_builds() -> None:
    build(guardians())


def test_colluding_guardians_whose_keys_cancel_are_refused() -> None:
    first, second, third = guardians()
    cancelling = with_key(second, -(first.public_key + third.public_key))
    with pytest.raises(InvalidInput, match="add up to the identity") as caught:
        build([first, cancelling, third])
    assert caught.value.field == "joint key"


def test_a_guardian_whose_key_is_the_identity_is_refused() -> None:
    first, second, third = guardians()
    with pytest.raises(InvalidInput, match="is the identity") as caught:
        build([first, with_key(second, Element.identity()), third])
    assert caught.value.field == f"guardian 2 ({second.name})"


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda g: [g[0], g[0], g[2]], "1..n, each once"),
        (lambda g: g[:1], "threshold"),
        (lambda g: [replace(g[0], name="\ud800"), *g[1:]], "guardian 1: its name holds"),
    ],
    ids=["numbering", "threshold", "name"],
)
def test_every_refusal_is_the_projects_error(change: object, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        build(change(guardians()))  # type: ignore[operator]
    assert words in str(caught.value)
