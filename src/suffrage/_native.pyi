"""Type stubs for the native ristretto255 kernel (``native/``, curve25519-dalek behind PyO3).

Everything that may touch a secret runs in constant time; only functions whose name
contains ``vartime`` run in variable time and are meant for public data. Batch functions
release the GIL while they compute, and the elements they return carry their encodings
(computed for the whole batch with one field inversion).
"""

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, final, overload

__all__ = [
    "BallotChecker",
    "Element",
    "ElementTable",
    "NativeDecodeError",
    "Scalar",
    "elements_from_bytes",
    "encrypt_and_commit_batch",
    "encrypt_bits_batch",
    "mix_combine",
    "mix_decryption_prove_parts",
    "mix_decryption_shares",
    "mix_decryption_sums",
    "mul_base_batch",
    "mul_batch",
    "mul_double_batch",
    "multiscalar_mul_vartime",
    "range_challenges",
    "scalars_from_bytes",
    "shuffle_generators",
    "shuffle_prove",
    "shuffle_verify",
]

class NativeDecodeError(ValueError):
    """Bytes (or an integer) that are not a canonical encoding; the message says what is wrong."""

@final
class Scalar:
    """An integer modulo the group order l: immutable, hashable; ``repr`` hides the value."""

    ORDER: ClassVar[int]
    @staticmethod
    def from_bytes(data: bytes) -> Scalar:
        """Decode 32 little-endian bytes holding an integer below l."""
    @staticmethod
    def from_bytes_wide(data: bytes) -> Scalar:
        """Reduce exactly 64 little-endian bytes modulo l."""
    @staticmethod
    def from_int(value: int) -> Scalar:
        """The scalar for 0 <= value < l (NativeDecodeError otherwise)."""
    @staticmethod
    def random() -> Scalar:
        """A uniformly random scalar from the operating system's generator."""
    @staticmethod
    def random_batch(count: int) -> list[Scalar]:
        """``count`` random scalars from one read of the OS generator (at most 2^20)."""
    @staticmethod
    def zero() -> Scalar: ...
    @staticmethod
    def one() -> Scalar: ...
    def to_bytes(self) -> bytes:
        """The canonical 32-byte little-endian encoding."""
    def to_int(self) -> int:
        """The value as an int in [0, l)."""
    def invert(self) -> Scalar:
        """The multiplicative inverse; ZeroDivisionError for zero."""
    def is_zero(self) -> bool: ...
    def __add__(self, other: Scalar, /) -> Scalar: ...
    def __radd__(self, other: Scalar, /) -> Scalar: ...
    def __sub__(self, other: Scalar, /) -> Scalar: ...
    def __rsub__(self, other: Scalar, /) -> Scalar: ...
    @overload
    def __mul__(self, other: Scalar, /) -> Scalar: ...
    @overload
    def __mul__(self, other: Element, /) -> Element: ...
    def __rmul__(self, other: Scalar, /) -> Scalar: ...
    def __neg__(self) -> Scalar: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __copy__(self) -> Scalar: ...
    def __deepcopy__(self, memo: Any) -> Scalar: ...
    def __reduce__(self) -> tuple[Any, tuple[bytes]]: ...

@final
class Element:
    """A ristretto255 group element: immutable, hashable, compared in constant time."""

    @staticmethod
    def from_bytes(data: bytes) -> Element:
        """Decode 32 bytes strictly (RFC 9496 section 4.3.1); the identity is allowed."""
    @staticmethod
    def from_uniform_bytes(data: bytes) -> Element:
        """The RFC 9496 one-way map (element derivation) of exactly 64 bytes."""
    @staticmethod
    def identity() -> Element: ...
    @staticmethod
    def generator() -> Element: ...
    @staticmethod
    def mul_base(s: Scalar) -> Element:
        """s times the generator, with the precomputed basepoint table (constant time)."""
    def to_bytes(self) -> bytes:
        """The canonical 32-byte encoding."""
    def is_identity(self) -> bool: ...
    def __add__(self, other: Element, /) -> Element: ...
    def __radd__(self, other: Element, /) -> Element: ...
    def __sub__(self, other: Element, /) -> Element: ...
    def __rsub__(self, other: Element, /) -> Element: ...
    def __neg__(self) -> Element: ...
    def __mul__(self, s: Scalar, /) -> Element: ...
    def __rmul__(self, s: Scalar, /) -> Element: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __copy__(self) -> Element: ...
    def __deepcopy__(self, memo: Any) -> Element: ...
    def __reduce__(self) -> tuple[Any, tuple[bytes]]: ...

@final
class ElementTable:
    """A precomputed table for an element multiplied many times (constant-time ``mul``)."""

    def __new__(cls, element: Element) -> ElementTable: ...
    def element(self) -> Element: ...
    def mul(self, s: Scalar) -> Element: ...
    def __reduce__(self) -> tuple[Any, tuple[Element]]: ...

def multiscalar_mul_vartime(scalars: Iterable[Scalar], elements: Iterable[Element]) -> Element:
    """Sum of scalars[i] * elements[i] in VARIABLE time (public data only); GIL released."""

def mul_base_batch(scalars: Iterable[Scalar]) -> list[Element]:
    """s times the generator for every s (constant time each); GIL released."""

def mul_batch(table: ElementTable, scalars: Iterable[Scalar]) -> list[Element]:
    """s times table.element() for every s (constant time each); GIL released."""

def mul_double_batch(
    table: ElementTable, k_scalars: Iterable[Scalar], g_scalars: Iterable[Scalar | None]
) -> list[Element]:
    """k*table.element() + g*G for every pair, only the first product where g is None."""

def encrypt_bits_batch(
    table: ElementTable, nonces: Iterable[Scalar], bits: list[int]
) -> list[tuple[Element, Element]]:
    """(r*G, r*K + v*G) for each nonce r and bit v in {0, 1}, constant time; GIL released."""

def encrypt_and_commit_batch(
    table: ElementTable,
    nonces: Iterable[Scalar],
    bits: list[int],
    k_scalars: Iterable[Scalar],
    g_scalars: Iterable[Scalar | None],
) -> tuple[list[tuple[Element, Element]], list[Element], list[Element]]:
    """A ballot's multiplications in one call: the encryptions (r*G, r*K + v*G) of the bits
    and the commitments k*G, k*K + g*G (k*K where g is None); constant time; GIL released."""

def elements_from_bytes(data: bytes) -> list[Element]:
    """Decode concatenated 32-byte encodings strictly; an error names the bad index."""

def scalars_from_bytes(data: bytes) -> list[Scalar]:
    """Decode concatenated canonical 32-byte scalars; an error names the bad index."""

_Ballot = tuple[int, bytes, bytes, bool, bool, bytes, bytes]
_Style = tuple[bytes, list[tuple[bytes, list[bytes], int, bool]]]

@final
class BallotChecker:
    """The checks V8 to V10, V18 and V22 of many cast ballots at once (spec/protocol.md#7.2)."""

    def __new__(cls, base_hash: bytes, key: Element, styles: list[_Style]) -> BallotChecker:
        """``styles``: each style's id and contests (id, option ids, selection limit, ranked;
        a ranked contest's limit is not read: its rank proofs have R = its options)."""
    def check(
        self, ballots: list[_Ballot], seed: bytes
    ) -> tuple[list[tuple[str | None, bytes | None]], list[list[Element] | None]]:
        """``(verdicts, sums)``: (verdict, digest) for each ``(style index, ballot id,
        credential, listed, bound, signature, body)`` (the verdict ``None`` if it passed), and
        for each style the sums of its passed ballots' ciphertexts per selection (ranks are not
        summed), or None."""

_RangeStatement = tuple[bytes, bytes, int, bytes, bytes, bytes, bytes]

def range_challenges(key: Element, items: list[_RangeStatement]) -> list[Scalar]:
    """The challenge of each range proof ``(purpose, context, limit, alpha, beta,
    commitments_g, commitments_k)`` under ``key`` (spec/protocol.md#6.3); GIL released."""

def shuffle_generators(seed: bytes, count: int) -> list[Element]:
    """The generators H_0..H_{count-1} derived from the 64-byte seed (spec/protocol.md#6.4)."""

def shuffle_prove(
    rows: bytes,
    *,
    width: int,
    key: Element,
    seed: bytes,
    context: bytes,
    purpose: str,
    randomness: bytes,
) -> tuple[bytes, tuple[bytes, ...]]:
    """Shuffle the rows (N*w*64 bytes) and prove it (spec/protocol.md#6.4) from the prover's
    draws (64 bytes each, in the spec's order): ``(outputs, the proof's 13 fields)``.
    Constant time in the secrets; GIL released."""

def shuffle_verify(
    proof: Sequence[bytes],
    *,
    inputs: bytes,
    outputs: bytes,
    width: int,
    key: Element,
    seed: bytes,
    context: bytes,
    purpose: str,
    weight_seed: bytes,
) -> str | None:
    """Check P4 with weights from the 32-byte ``weight_seed`` in one multiscalar
    multiplication: None, or the first failing equation (``"(4) column 1"``). Bad lengths and
    encodings raise NativeDecodeError naming the field; GIL released."""

def mix_decryption_shares(rows: bytes, secret: Scalar) -> bytes:
    """``secret * alpha`` for every ciphertext of the rows (spec/protocol.md#19.4), 32 bytes
    each, constant time in the secret. A bad alpha raises NativeDecodeError
    (``ciphertext N: ...``); GIL released."""

def mix_decryption_prove_parts(
    rows: bytes, secret: Scalar, *, mix_digest: bytes, guardian: int
) -> tuple[bytes, Element, Element]:
    """A guardian's ``(shares, A, M)`` (spec/protocol.md#19.4): the shares, and the weighted
    sums with the weights hashed from the digest of ``mix_digest``, ``guardian`` and the
    shares (``M = secret * A``); constant time in the secret. Refusals raise
    NativeDecodeError (``ciphertext N``, ``shares[0]`` for a zero secret); GIL released."""

def mix_decryption_sums(
    rows: bytes, shares: bytes, shares_digest: bytes
) -> tuple[Element, Element]:
    """``(sum z_n*alpha_n, sum z_n*M_n)``, the weights hashed from the 64-byte digest ``e``
    (spec/protocol.md#19.4), variable time. Refusals raise NativeDecodeError naming
    ``ciphertext N``, ``shares`` or ``shares[N]``; GIL released."""

def mix_combine(
    rows: bytes, shares: Sequence[bytes], weights: Sequence[Scalar], width: int
) -> tuple[list[int], tuple[int, str, str] | None]:
    """The value in ``0..width`` of every ciphertext from k guardians' shares and Lagrange
    weights: ``(values, None)``, or ``([], (N, what, reason))`` for the first ciphertext
    that does not combine (``what``: ``"beta"``, ``"share"`` or ``"value"``); variable
    time, GIL released."""
