"""Feldman shares and Lagrange interpolation."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suffrage.core import (
    Element,
    Polynomial,
    Scalar,
    SeededRandom,
    check_share,
    commitment_at,
    lagrange_coefficient,
)
from suffrage.errors import VerificationFailed


@given(st.integers(min_value=1, max_value=5), st.integers(min_value=0, max_value=10**6))
def test_any_k_shares_recover_the_secret(k: int, seed: int) -> None:
    n = k + 2
    poly = Polynomial.random(degree=k - 1, rng=SeededRandom(seed))
    shares = {j: poly.evaluate(j) for j in range(1, n + 1)}
    for subset in combinations(range(1, n + 1), k):
        secret = Scalar.zero()
        for i in subset:
            secret = secret + lagrange_coefficient(i, subset) * shares[i]
        assert secret == poly.coefficients[0]


def test_shares_are_checked_against_commitments() -> None:
    poly = Polynomial.random(degree=2, rng=SeededRandom("feldman"))
    commitments = poly.commitments()
    for j in range(1, 6):
        check_share(poly.evaluate(j), x=j, commitments=commitments, dealer="guardian-1")
        assert commitment_at(commitments, j) == Element.mul_base(poly.evaluate(j))
    with pytest.raises(VerificationFailed, match="from guardian-1 for index 2"):
        check_share(poly.evaluate(3), x=2, commitments=commitments, dealer="guardian-1")


def test_lagrange_refuses_bad_index_sets() -> None:
    with pytest.raises(ValueError, match="distinct"):
        lagrange_coefficient(1, [1, 1, 2])
    with pytest.raises(ValueError, match="include"):
        lagrange_coefficient(3, [1, 2])
    with pytest.raises(ValueError, match="positive"):
        lagrange_coefficient(0, [0, 1])


def test_negative_degree_is_refused() -> None:
    with pytest.raises(ValueError, match="degree"):
        Polynomial.random(degree=-1, rng=SeededRandom(1))
