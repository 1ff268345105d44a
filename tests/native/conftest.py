"""Shared values for the native kernel's tests."""

from __future__ import annotations

from hypothesis import strategies as st

from suffrage._native import Scalar

ORDER = 2**252 + 27742317777372353535851937790883648493
"""The group order l of RFC 9496 section 4, written out independently of the kernel."""

ints = st.integers(min_value=0, max_value=ORDER - 1)
nonzero_ints = st.integers(min_value=1, max_value=ORDER - 1)
scalars = ints.map(Scalar.from_int)
