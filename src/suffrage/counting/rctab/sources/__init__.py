"""RCTab's cast-vote-record providers: one module per provider, one entry point
(spec/counting.md#rctab-cast-vote-record-providers).

:func:`read_source` reads one configured source into :class:`~suffrage.counting.rctab.model.Cvr`
records in the source's order, names resolved to the configured candidates; it refuses a
source it cannot read, or one that names an unrecognized candidate, with a message naming the
file and the place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from suffrage.counting.rctab.model import Candidate, Cvr, CvrSource
from suffrage.counting.rctab.sources._common import check_max_rankings
from suffrage.counting.rctab.sources.cdf import read_cdf
from suffrage.counting.rctab.sources.clear_ballot import read_clear_ballot
from suffrage.counting.rctab.sources.dominion import read_dominion
from suffrage.counting.rctab.sources.ess import read_ess
from suffrage.counting.rctab.sources.generic_csv import read_csv_source
from suffrage.counting.rctab.sources.hart import read_hart
from suffrage.errors import InvalidBallotData, quote

__all__ = ["PROVIDERS", "read_source"]

_Reader = Callable[[CvrSource, Sequence[Candidate], "int | None"], list[Cvr]]

_READERS: dict[str, _Reader] = {
    "ess": read_ess,
    "cdf": read_cdf,
    "genericCsv": read_csv_source,
    "clearBallot": read_clear_ballot,
    "dominion": read_dominion,
    "hart": read_hart,
}

PROVIDERS = tuple(_READERS)
"""The provider names a source may give, as RCTab's configuration spells them."""

_CUT_AT_MAX = frozenset({"ess", "clearBallot"})  # providers that stop reading at maxRankingsAllowed


def read_source(
    source: CvrSource, candidates: tuple[Candidate, ...], *, max_rankings: int | None = None
) -> list[Cvr]:
    """The records of ``source``, in its order.

    ``max_rankings`` is the configuration's ``maxRankingsAllowed`` (``None`` for ``"max"``):
    ES&S reads no rank beyond it (and fills blank ranks up to it with undeclared write-ins
    under ``treatBlankAsUndeclaredWriteIn``); any other provider's record marked beyond it is
    refused, as RCTab refuses it after reading."""
    reader = _READERS.get(source.provider)
    if reader is None:
        raise InvalidBallotData(
            f"{source.path.name}: provider",
            f"expected one of {', '.join(PROVIDERS)}, got {quote(source.provider)}",
        )
    records = reader(source, candidates, max_rankings)
    if source.provider not in _CUT_AT_MAX:
        check_max_rankings(records, max_rankings, source.path.name)
    return records
