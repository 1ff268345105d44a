"""Schnorr proofs (check P1): completeness and rejection of every alteration."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import assume, given

from suffrage.core import GENERATOR, Element, Scalar, SeededRandom
from suffrage.core.proofs import SchnorrProof, check_schnorr, prove_schnorr
from suffrage.errors import ProofRejected

from ..strategies import contexts, nonzero_scalars, other_element, other_scalar


@given(nonzero_scalars, contexts, contexts)
def test_completeness(secret: Scalar, context: bytes, message: bytes) -> None:
    public = Element.mul_base(secret)
    proof = prove_schnorr(
        secret=secret,
        public=public,
        context=context,
        message=message,
        rng=SeededRandom(context),
        purpose="test",
    )
    check_schnorr(proof, public=public, context=context, message=message, purpose="test")


@given(nonzero_scalars, nonzero_scalars)
def test_other_base(secret: Scalar, base_secret: Scalar) -> None:
    assume(base_secret != Scalar.one())
    base = Element.mul_base(base_secret)
    proof = prove_schnorr(
        secret=secret,
        public=base * secret,
        context=b"c",
        base=base,
        rng=SeededRandom(1),
        purpose="test",
    )
    check_schnorr(proof, public=base * secret, context=b"c", base=base, purpose="test")
    with pytest.raises(ProofRejected):
        check_schnorr(proof, public=base * secret, context=b"c", purpose="test")


def _setup() -> tuple[SchnorrProof, Element]:
    secret = SeededRandom("s").scalar()
    public = Element.mul_base(secret)
    proof = prove_schnorr(
        secret=secret,
        public=public,
        context=b"ctx",
        message=b"m",
        rng=SeededRandom("p"),
        purpose="test",
    )
    return proof, public


ALTERATIONS = ["public", "context", "message", "purpose", "base", "commitment", "response"]


@pytest.mark.parametrize("what", ALTERATIONS)
def test_any_alteration_is_rejected(what: str) -> None:
    proof, public = _setup()
    args = {
        "public": public,
        "context": b"ctx",
        "message": b"m",
        "purpose": "test",
        "base": GENERATOR,
    }
    if what == "commitment":
        proof = replace(proof, commitment=other_element(proof.commitment))
    elif what == "response":
        proof = replace(proof, response=other_scalar(proof.response))
    elif what in ("context", "message"):
        args[what] = b"x" + args[what]  # type: ignore[operator]
    elif what == "purpose":
        args[what] = "other"
    else:
        args[what] = other_element(args[what])  # type: ignore[arg-type]
    with pytest.raises(ProofRejected, match="schnorr/"):
        check_schnorr(proof, **args)  # type: ignore[arg-type]


def test_wrong_secret_does_not_verify() -> None:
    rng = SeededRandom("w")
    public = Element.mul_base(rng.scalar())
    proof = prove_schnorr(secret=rng.scalar(), public=public, context=b"", rng=rng, purpose="test")
    with pytest.raises(ProofRejected, match="does not hold"):
        check_schnorr(proof, public=public, context=b"", purpose="test")
