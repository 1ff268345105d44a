"""The tally, the decryption and the results: checks V12 and V14 to V17 (spec #15)."""

from __future__ import annotations

from collections.abc import Mapping

from suffrage.core.dlog import DiscreteLog
from suffrage.errors import VerificationFailed
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.results import compute_results
from suffrage.protocol.tally import (
    ContestTally,
    PartialDecryption,
    check_partial_decryption,
    combine_decryptions,
)
from suffrage.record.files import RawRecord
from suffrage.verify.chunks import EntrySummary
from suffrage.verify.report import VerificationReport

__all__ = ["check_counted", "check_tally"]

NOT_CHECKED = "not checked: tally.json is missing or unreadable"


def check_counted(
    raw: RawRecord,
    summaries: Mapping[int, EntrySummary],
    counted: list[EntrySummary],
    report: VerificationReport,
) -> None:
    """V12: the published counted entries are the last valid cast ballot of each credential."""
    published = list(raw.counted_sequences)
    expected = [e.sequence for e in counted]
    credentials: dict[bytes, int] = {}
    for sequence in published:
        entry = summaries.get(sequence)
        if entry is None:
            continue
        key = entry.credential
        if key in credentials:
            report.fail(
                "V12",
                f"entries {credentials[key]} and {sequence} are both counted for "
                f"credential {key.hex()[:16]}...",
            )
        credentials.setdefault(key, sequence)
    if published != expected:
        extra = sorted(set(published) - set(expected))
        missing = sorted(set(expected) - set(published))
        report.fail(
            "V12",
            f"counted entries differ from the last valid cast ballot of each "
            f"credential: counted but should not be {extra}, missing {missing}",
        )
    else:
        report.ok("V12", len(expected))


def check_tally(
    context: ElectionContext,
    raw: RawRecord,
    *,
    expected: tuple[int, int, bytes, tuple[ContestTally, ...]],
    ballots: Mapping[str, int],
    report: VerificationReport,
) -> None:
    """V14-V17 against the recomputed tally ``(entries, counted, head, contests)``."""
    if raw.tally is None:
        for number in ("V14", "V15", "V16", "V17"):
            report.fail(number, NOT_CHECKED)
        return
    published = (raw.tally.entries, raw.tally.counted, raw.tally.board_head, raw.tally.contests)
    if expected != published:
        report.fail("V14", _tally_difference(expected, published))
    else:
        report.ok("V14")
    partials = _check_partials(context, raw, report)
    counts = _check_counts(context, raw, partials, report)
    if counts is not None:
        _check_results(context, raw, counts, ballots, report)
    else:
        report.fail("V17", "not checked: the counts could not be decrypted")


def _tally_difference(expected: tuple[object, ...], published: tuple[object, ...]) -> str:
    names = ("number of entries", "number of counted ballots", "board head", "ciphertexts")
    wrong = [n for n, a, b in zip(names, expected, published, strict=True) if a != b]
    return f"the published tally differs from the recomputed one in: {', '.join(wrong)}"


def _check_partials(
    context: ElectionContext, raw: RawRecord, report: VerificationReport
) -> list[PartialDecryption]:
    assert raw.tally is not None
    good = []
    for partial in raw.partials:
        try:
            check_partial_decryption(context, raw.tally, partial)
            report.ok("V15")
            good.append(partial)
        except VerificationFailed as exc:
            report.fail("V15", exc.reason)
    if not raw.partials:
        report.fail("V15", "no partial decryptions are published")
    return good


def _check_counts(
    context: ElectionContext,
    raw: RawRecord,
    partials: list[PartialDecryption],
    report: VerificationReport,
) -> dict[str, tuple[int, ...]] | None:
    assert raw.tally is not None
    try:
        counts = combine_decryptions(
            context, raw.tally, partials, DiscreteLog(max(raw.tally.counted, 1))
        )
    except VerificationFailed as exc:
        report.fail("V16", exc.reason)
        return None
    published = {
        c.contest_id: tuple(
            (raw.counts or {}).get(c.contest_id, {}).get(o, -1) for o in c.option_ids
        )
        for c in raw.tally.contests
    }
    if dict(counts) != published or set(raw.counts or {}) != set(published):
        wrong = sorted(c for c in counts if counts[c] != published.get(c))
        report.fail("V16", f"published counts differ from the decryption in contests {wrong}")
    else:
        report.ok("V16", len(counts))
    return dict(counts)


def _check_results(
    context: ElectionContext,
    raw: RawRecord,
    counts: dict[str, tuple[int, ...]],
    ballots: Mapping[str, int],
    report: VerificationReport,
) -> None:
    expected = compute_results(context, counts, ballots)
    published = raw.results or {}
    for contest_id, result in expected.items():
        if published.get(contest_id) != result:
            report.fail(
                "V17", f"contest {contest_id}: the announced result is not the one the counts give"
            )
        else:
            report.ok("V17")
    for contest_id in sorted(set(published) - set(expected)):
        report.fail("V17", f"results announce a contest {contest_id} that is not in the manifest")
