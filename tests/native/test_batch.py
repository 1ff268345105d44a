"""Multiscalar multiplication, batch functions, and their release of the GIL."""

from __future__ import annotations

import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suffrage._native import (
    Element,
    ElementTable,
    NativeDecodeError,
    Scalar,
    elements_from_bytes,
    mul_base_batch,
    mul_batch,
    multiscalar_mul_vartime,
)

from .conftest import ints, nonzero_ints


def sum_of_products(scalars: list[Scalar], elements: list[Element]) -> Element:
    total = Element.identity()
    for scalar, element in zip(scalars, elements, strict=True):
        total = total + element * scalar
    return total


def terms(size: int) -> st.SearchStrategy[tuple[list[Scalar], list[Element]]]:
    pairs = st.lists(st.tuples(ints, nonzero_ints), min_size=size, max_size=size)
    return pairs.map(
        lambda items: (
            [Scalar.from_int(a) for a, _ in items],
            [Element.mul_base(Scalar.from_int(k)) for _, k in items],
        )
    )


@pytest.mark.parametrize("size", [0, 1, 2, 17, 100, 256])
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_multiscalar_is_the_sum_of_products(size: int, data: st.DataObject) -> None:
    scalars, elements = data.draw(terms(size))
    assert multiscalar_mul_vartime(scalars, elements) == sum_of_products(scalars, elements)


def test_multiscalar_of_nothing_is_the_identity() -> None:
    assert multiscalar_mul_vartime([], []).is_identity()


def test_multiscalar_accepts_tuples_and_generators() -> None:
    scalars = [Scalar.from_int(i) for i in range(5)]
    elements = [Element.generator()] * 5
    expected = Element.mul_base(Scalar.from_int(10))
    assert multiscalar_mul_vartime(tuple(scalars), tuple(elements)) == expected
    assert multiscalar_mul_vartime(iter(scalars), (e for e in elements)) == expected


@pytest.mark.parametrize(("n_scalars", "n_elements"), [(1, 0), (0, 1), (3, 2), (2, 3)])
def test_multiscalar_refuses_mismatched_lengths(n_scalars: int, n_elements: int) -> None:
    scalars = [Scalar.one()] * n_scalars
    elements = [Element.generator()] * n_elements
    message = f"differ in length: {n_scalars} scalars, {n_elements} elements"
    with pytest.raises(ValueError, match=message):
        multiscalar_mul_vartime(scalars, elements)


def test_multiscalar_names_an_item_of_the_wrong_type() -> None:
    with pytest.raises(TypeError, match=r"scalars\[1\]: expected Scalar, got int"):
        multiscalar_mul_vartime([Scalar.one(), 1], [Element.generator()] * 2)  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"elements\[0\]: expected Element, got Scalar"):
        multiscalar_mul_vartime([Scalar.one()], [Scalar.one()])  # type: ignore[list-item]


@settings(max_examples=20, deadline=None)
@given(st.lists(ints, max_size=40))
def test_mul_base_batch_equals_one_by_one(values: list[int]) -> None:
    scalars = [Scalar.from_int(value) for value in values]
    assert mul_base_batch(scalars) == [Element.mul_base(scalar) for scalar in scalars]


@settings(max_examples=10, deadline=None)
@given(nonzero_ints, st.lists(ints, max_size=40))
def test_mul_batch_equals_one_by_one(key: int, values: list[int]) -> None:
    element = Element.mul_base(Scalar.from_int(key))
    table = ElementTable(element)
    scalars = [Scalar.from_int(value) for value in values]
    expected = [element * scalar for scalar in scalars]
    assert mul_batch(table, scalars) == expected
    assert [table.mul(scalar) for scalar in scalars] == expected


def test_batch_functions_name_an_item_of_the_wrong_type() -> None:
    with pytest.raises(TypeError, match=r"scalars\[2\]: expected Scalar, got Element"):
        mul_base_batch([Scalar.one(), Scalar.one(), Element.generator()])  # type: ignore[list-item]
    table = ElementTable(Element.generator())
    with pytest.raises(TypeError, match=r"scalars\[0\]: expected Scalar, got NoneType"):
        mul_batch(table, [None])  # type: ignore[list-item]


def test_concurrent_multiscalar_in_two_threads() -> None:
    size = 600
    jobs = []
    for seed in (1, 2):
        scalars = [Scalar.from_int(seed * 1_000_003 + i * 7919) for i in range(size)]
        elements = mul_base_batch([Scalar.from_int(seed + 3 * i + 1) for i in range(size)])
        jobs.append((scalars, elements, sum_of_products(scalars, elements)))
    barrier = threading.Barrier(2)
    failures: list[str] = []

    def work(scalars: list[Scalar], elements: list[Element], expected: Element) -> None:
        barrier.wait()
        for round_ in range(10):
            if multiscalar_mul_vartime(scalars, elements) != expected:
                failures.append(f"{threading.current_thread().name}: round {round_} wrong")

    threads = [
        threading.Thread(target=work, args=job, name=f"job{i}") for i, job in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


@pytest.mark.parametrize("size", [255, 256, 257, 1000])
def test_large_batches_split_over_threads_agree(size: int) -> None:
    """Sizes around the thresholds where the kernel splits work over rayon's threads."""
    scalars = [Scalar.from_int((7919 * i + 1) % 2**200) for i in range(size)]
    points = mul_base_batch(scalars)
    assert points == [Element.mul_base(s) for s in scalars]
    expected = Element.identity()
    for s, p in zip(scalars, points, strict=True):
        expected = expected + p * s
    assert multiscalar_mul_vartime(scalars, points) == expected
    table = ElementTable(points[3])
    assert mul_batch(table, scalars) == [points[3] * s for s in scalars]


def test_parallel_decoding_names_the_first_bad_index() -> None:
    good = b"".join(Element.mul_base(Scalar.from_int(i + 1)).to_bytes() for i in range(100))
    bad = good[: 40 * 32] + b"\xff" * 32 + good[41 * 32 : 70 * 32] + b"\xff" * 32 + good[71 * 32 :]
    with pytest.raises(NativeDecodeError, match=r"^element 40: "):
        elements_from_bytes(bad)
    assert [e.to_bytes() for e in elements_from_bytes(good)] == [
        good[i : i + 32] for i in range(0, len(good), 32)
    ]
