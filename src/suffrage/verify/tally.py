"""The tally, the decryption and the results: checks V12, V14 to V17 and V19 (spec #15)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime

from suffrage.core.dlog import DiscreteLog
from suffrage.errors import SuffrageError, VerificationFailed
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.results import contest_result
from suffrage.protocol.tally import (
    ContestTally,
    PartialDecryption,
    Tally,
    check_partial_decryption,
    combine_decryptions,
)
from suffrage.record.files import RawRecord
from suffrage.verify.chunks import EntrySummary
from suffrage.verify.report import ReportBuilder

__all__ = ["check_closing", "check_counted", "check_tally", "differences", "same_value"]

NOT_CHECKED = "not checked: tally.json is missing or unreadable (V1)"
MAX_COUNT = 10**9
"""The largest count the verifier searches for (spec/protocol.md#4.4)."""


def check_counted(
    raw: RawRecord,
    summaries: Mapping[int, EntrySummary],
    counted: list[EntrySummary],
    report: ReportBuilder,
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
    report: ReportBuilder,
) -> None:
    """V14-V17 against the recomputed tally ``(entries, counted, head, contests)``."""
    if raw.tally is None:
        for number in ("V14", "V15", "V16", "V17", "V19"):
            report.fail(number, NOT_CHECKED)
        return
    check_closing(context, raw.tally, report)
    published = (raw.tally.entries, raw.tally.counted, raw.tally.board_head, raw.tally.contests)
    board_matches = expected == published
    if not board_matches:
        report.fail("V14", _tally_difference(expected, published))
    else:
        report.ok("V14")
    partials = _check_partials(context, raw, report)
    counts = _check_counts(context, raw, partials, expected[1], report)
    if counts is None:
        report.fail("V17", "not checked: the counts could not be decrypted (V16)")
    elif not board_matches:
        report.fail("V17", "not checked: the published tally is not the board's (V14)")
    else:
        _check_results(context, raw, counts, ballots, report)


def check_closing(context: ElectionContext, tally: Tally, report: ReportBuilder) -> None:
    """V19: ``closed_early`` says exactly whether voting closed before the manifest's end;
    an early close is a note of the report (spec #16.1)."""
    closed = datetime.strptime(tally.closed_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    end = context.manifest.end_time
    if tally.closed_early != (closed < end):
        report.fail(
            "V19",
            f"tally.json says voting closed at {tally.closed_at} with closed_early "
            f"{str(tally.closed_early).lower()}, but the manifest's end is {context.manifest.end}",
        )
        return
    report.ok("V19")
    if tally.closed_early:
        report.note(
            f"voting was closed early, at {tally.closed_at}, by a decision of the officials; "
            f"the manifest's window ends at {context.manifest.end}"
        )


def _tally_difference(expected: tuple[object, ...], published: tuple[object, ...]) -> str:
    names = ("number of entries", "number of counted ballots", "board head", "ciphertexts")
    wrong = [n for n, a, b in zip(names, expected, published, strict=True) if a != b]
    return f"the published tally differs from the recomputed one in: {', '.join(wrong)}"


def _check_partials(
    context: ElectionContext, raw: RawRecord, report: ReportBuilder
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
    counted: int,
    report: ReportBuilder,
) -> dict[str, tuple[int, ...]] | None:
    """V16; a count is at most the number of counted ballots, the board's (``counted``) or
    the tally's, whichever is larger, and never more than :data:`MAX_COUNT`, so that a
    forged claim cannot make the discrete-log search unbounded."""
    assert raw.tally is not None
    bound = min(max(counted, raw.tally.counted, 1), MAX_COUNT)
    try:
        counts = combine_decryptions(context, raw.tally, partials, DiscreteLog(bound))
    except VerificationFailed as exc:
        report.fail("V16", exc.reason)
        return None
    problems = _count_problems(raw.tally.contests, raw.counts or {}, counts)
    for problem in problems:
        report.fail("V16", problem)
    if not problems:
        report.ok("V16", len(counts))
    return dict(counts)


def _count_problems(
    contests: tuple[ContestTally, ...],
    published: Mapping[str, Mapping[str, int]],
    decrypted: Mapping[str, tuple[int, ...]],
) -> list[str]:
    """How the published counts differ from the decrypted ones: exactly the tally's contests
    and options, each with its decrypted count (announced and computed figures named)."""
    problems = [
        f"decryption.json counts contest {c!r}, which the tally does not hold"
        for c in sorted(set(published) - {t.contest_id for t in contests})
    ]
    for tally in contests:
        announced = published.get(tally.contest_id)
        if announced is None:
            problems.append(f"decryption.json gives no counts for contest {tally.contest_id}")
            continue
        extra = sorted(set(announced) - set(tally.option_ids))
        if extra:
            problems.append(
                f"contest {tally.contest_id}: counts for options not on the ballot: {extra}"
            )
        for option, computed in zip(tally.option_ids, decrypted[tally.contest_id], strict=True):
            given = announced.get(option)
            if given is None:
                problems.append(f"contest {tally.contest_id}: no count for option {option}")
            elif given != computed:
                problems.append(
                    f"contest {tally.contest_id}, option {option}: published {given}, "
                    f"decrypted {computed}"
                )
    return problems


def _check_results(
    context: ElectionContext,
    raw: RawRecord,
    counts: dict[str, tuple[int, ...]],
    ballots: Mapping[str, int],
    report: ReportBuilder,
) -> None:
    """V17 for the homomorphic contests (a ranked contest's result comes from its decrypted
    rankings: :mod:`suffrage.verify.ranked`)."""
    try:
        expected = {
            c.contest_id: contest_result(
                context, c, counts[c.contest_id], ballots.get(c.contest_id, 0)
            )
            for c in context.manifest.contests
            if c.is_homomorphic
        }
    except SuffrageError as exc:
        report.fail("V17", f"the results cannot be computed from the counts: {exc}")
        return
    if raw.results is None:
        report.skip("V17", "results.json is missing or could not be read (V1)")
        return
    published = raw.results
    for contest_id, result in expected.items():
        announced = published.get(contest_id)
        if not same_value(announced, result):
            report.fail(
                "V17",
                f"contest {contest_id}: the announced result is not the one the counts give: "
                + "; ".join(differences(announced, result)),
                where=f"contest {contest_id}",
            )
        else:
            report.ok("V17")
    contests = {c.contest_id for c in context.manifest.contests}
    for contest_id in sorted(set(published) - contests):
        report.fail("V17", f"results announce a contest {contest_id} that is not in the manifest")


def differences(announced: object, computed: object, path: str = "") -> list[str]:
    """Where two results differ, with both figures: ``seats.civic: announced 2, computed 3``
    (the first ten differences; a missing value is ``none``)."""
    if isinstance(announced, dict) and isinstance(computed, dict):
        found: list[str] = []
        for key in sorted(set(announced) | set(computed), key=str):
            found += differences(announced.get(key), computed.get(key), f"{path}.{key}")
        return found[:10]
    if same_value(announced, computed):
        return []
    where = path.lstrip(".") or "result"
    return [f"{where}: announced {_figure(announced)}, computed {_figure(computed)}"]


def _figure(value: object) -> str:
    return "none" if value is None else json.dumps(value, ensure_ascii=False, default=str)


def same_value(a: object, b: object) -> bool:
    """Equality of JSON values that also requires equal types all the way down: a boolean
    is not a count (``True == 1`` in Python), a list is not a tuple of the same items."""
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    return a == b
