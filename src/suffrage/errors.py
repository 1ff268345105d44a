"""The one exception tree of Suffrage.

::

    SuffrageError
     ├── InvalidInput                 outside input refused (names the field and the reason)
     │    ├── InvalidEncoding         bytes that do not decode canonically (length, point, scalar)
     │    ├── InvalidManifest         a manifest that does not validate
     │    ├── InvalidBallotData       a ballot file (BLT, CVR, ABIF, ...) that cannot be read
     │    └── InvalidBallot           a cast ballot refused at the door
     │         ├── DuplicateBallot    the same ballot twice on the board
     │         ├── CopiedBallot       a ballot reusing another ballot's ciphertexts
     │         └── IneligibleBallot   signed by a credential that is not on the list, or of
     │                                another ballot style than its credential's
     ├── VerificationFailed           a proof, signature or record check that does not hold
     │    ├── ProofRejected           one zero-knowledge proof does not verify
     │    └── CredentialNotListed     a ballot signed by a credential that is not on the list
     ├── CountingError                a counting method cannot proceed (inconsistent options)
     ├── NotFound                     what was asked for is not there (a tracking code)
     ├── RateLimited                  too many requests from one client or one credential
     ├── UnsupportedOperation         a valid request the current protocol refuses (ranked tally
     │                                without the mix-net, for example)
     └── StorageError                 the bulletin board could not do what was asked

Library code raises these; the CLI and the web layer render them. ``check_*`` and
``verify_*`` functions raise :class:`VerificationFailed` (never return ``False``). A message
shows outside input only through :func:`quote` (a value) or :func:`clip` (a field path built
from outside keys), so that it never echoes more than 80 characters of it.
"""

from __future__ import annotations

__all__ = [
    "QUOTE_LENGTH",
    "CopiedBallot",
    "CountingError",
    "CredentialNotListed",
    "DuplicateBallot",
    "IneligibleBallot",
    "InvalidBallot",
    "InvalidBallotData",
    "InvalidEncoding",
    "InvalidInput",
    "InvalidManifest",
    "NotFound",
    "ProofRejected",
    "RateLimited",
    "StorageError",
    "SuffrageError",
    "UnsupportedOperation",
    "VerificationFailed",
    "clip",
    "quote",
]

QUOTE_LENGTH = 80
"""The most characters of outside input an error message shows (spec/protocol.md#1.1)."""


def clip(text: str, limit: int = QUOTE_LENGTH) -> str:
    """``text`` for an error message: its first ``limit`` characters, then an ellipsis and its
    length if it is longer."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def quote(value: object, limit: int = QUOTE_LENGTH) -> str:
    """``value`` quoted for an error message (its ``repr``), cut like :func:`clip`."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]!r}... ({len(value)} characters)"
    if isinstance(value, int) and value.bit_length() > 128:
        return f"an integer of {value.bit_length()} bits"  # repr() refuses > 4300 digits
    return clip(repr(value), limit)


class SuffrageError(Exception):
    """Base of every error Suffrage raises on purpose."""


class InvalidInput(SuffrageError, ValueError):
    """Outside input that is refused; the message names the field and the reason.

    ``problems`` lists every problem found when a whole document was checked (a manifest, a
    voter roll), each naming its field or line; ``field`` and ``reason`` are then the first.
    """

    def __init__(self, field: str, reason: str, *, problems: tuple[str, ...] = ()) -> None:
        extra = len(problems) - 1
        more = f" (and {extra} more problem{'s' if extra > 1 else ''})" if extra > 0 else ""
        super().__init__(f"{field}: {reason}{more}")
        self.field = field
        self.reason = reason
        self.problems = problems


class InvalidEncoding(InvalidInput):
    """Bytes that are not the canonical encoding of what the field must hold."""


class InvalidManifest(InvalidInput):
    """A manifest that does not validate."""


class InvalidBallotData(InvalidInput):
    """Ballot data (BLT, CVR, ABIF, tally sheet, totals) that cannot be read."""


class InvalidBallot(InvalidInput):
    """A ballot refused when cast."""


class DuplicateBallot(InvalidBallot):
    """A ballot that is already on the bulletin board."""


class CopiedBallot(InvalidBallot):
    """A ballot that reuses a ciphertext of a ballot already on the board (a copy)."""


class IneligibleBallot(InvalidBallot):
    """A ballot signed with a credential that is not on the published list."""


class VerificationFailed(SuffrageError):
    """A check of a proof, signature or record that does not hold."""

    def __init__(self, check: str, reason: str) -> None:
        super().__init__(f"{check}: {reason}")
        self.check = check
        self.reason = reason


class ProofRejected(VerificationFailed):
    """A zero-knowledge proof that does not verify."""


class CredentialNotListed(VerificationFailed):
    """A ballot whose credential key is not on the published credential list (check V8)."""


class CountingError(SuffrageError):
    """A counting method that cannot proceed with the options given."""


class NotFound(SuffrageError):
    """What was asked for is not there (an entry with this tracking code, for one)."""


class RateLimited(SuffrageError):
    """Too many requests from one client address or for one credential: try again later."""


class UnsupportedOperation(SuffrageError):
    """A valid request that this version of the protocol refuses to carry out."""


class StorageError(SuffrageError):
    """The bulletin board could not do what was asked."""
