"""Chaum-Pedersen proofs (check P2): completeness and rejection of every alteration."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given

from suffrage.core import Element, Scalar, SeededRandom
from suffrage.core.proofs import (
    ChaumPedersenProof,
    ChaumPedersenStatement,
    check_chaum_pedersen,
    prove_chaum_pedersen,
)
from suffrage.errors import ProofRejected

from ..strategies import contexts, nonzero_scalars, other_element, other_scalar


def _statement(secret: Scalar, other: Scalar) -> ChaumPedersenStatement:
    base_2 = Element.mul_base(other)
    return ChaumPedersenStatement(
        base_1=Element.generator(),
        public_1=Element.mul_base(secret),
        base_2=base_2,
        public_2=base_2 * secret,
    )


@given(nonzero_scalars, nonzero_scalars, contexts)
def test_completeness(secret: Scalar, other: Scalar, context: bytes) -> None:
    st = _statement(secret, other)
    proof = prove_chaum_pedersen(
        st, secret=secret, context=context, rng=SeededRandom(context), purpose="test"
    )
    check_chaum_pedersen(proof, st, context=context, purpose="test")


def _setup() -> tuple[ChaumPedersenProof, ChaumPedersenStatement]:
    rng = SeededRandom("cp")
    secret = rng.scalar()
    st = _statement(secret, rng.scalar())
    return prove_chaum_pedersen(st, secret=secret, context=b"ctx", rng=rng, purpose="t"), st


@pytest.mark.parametrize("what", ["base_1", "public_1", "base_2", "public_2"])
def test_altered_statement_is_rejected(what: str) -> None:
    proof, st = _setup()
    altered = replace(st, **{what: other_element(getattr(st, what))})
    with pytest.raises(ProofRejected, match="chaum-pedersen/t"):
        check_chaum_pedersen(proof, altered, context=b"ctx", purpose="t")


@pytest.mark.parametrize("what", ["commitment_1", "commitment_2", "response"])
def test_altered_proof_is_rejected(what: str) -> None:
    proof, st = _setup()
    value = getattr(proof, what)
    changed = other_scalar(value) if what == "response" else other_element(value)
    with pytest.raises(ProofRejected):
        check_chaum_pedersen(replace(proof, **{what: changed}), st, context=b"ctx", purpose="t")


def test_altered_context_or_purpose_is_rejected() -> None:
    proof, st = _setup()
    with pytest.raises(ProofRejected):
        check_chaum_pedersen(proof, st, context=b"ctx2", purpose="t")
    with pytest.raises(ProofRejected):
        check_chaum_pedersen(proof, st, context=b"ctx", purpose="u")


def test_unequal_logarithms_do_not_verify() -> None:
    rng = SeededRandom("unequal")
    secret = rng.scalar()
    st = _statement(secret, rng.scalar())
    lying = replace(st, public_2=st.base_2 * (secret + Scalar.one()))
    proof = prove_chaum_pedersen(lying, secret=secret, context=b"", rng=rng, purpose="t")
    with pytest.raises(ProofRejected, match="base_2"):
        check_chaum_pedersen(proof, lying, context=b"", purpose="t")
