"""Hypothesis strategies for the core's types."""

from __future__ import annotations

from hypothesis import strategies as st

from suffrage.core import ORDER, Element, Scalar, scalar_from_int

scalars = st.integers(min_value=0, max_value=ORDER - 1).map(scalar_from_int)
nonzero_scalars = st.integers(min_value=1, max_value=ORDER - 1).map(scalar_from_int)
elements = nonzero_scalars.map(Element.mul_base)
contexts = st.binary(min_size=0, max_size=80)


def other_element(element: Element) -> Element:
    """A different element, for altering a statement."""
    return element + Element.generator()


def other_scalar(scalar: Scalar) -> Scalar:
    """A different scalar, for altering a proof."""
    return scalar + Scalar.one()
