"""Ranked contests in the record: checks V23 to V26, and V17 for ranked contests (spec
#15, #19.7).

The input of each contest's first mix is rebuilt from the board: the rank ciphertexts of the
counted entries (V12), in sequence order, as the chunks found them (no ballot is decoded a
second time). Each mix file is then checked against the previous output, each guardian's
decryption shares against the last mix, and the plaintext rankings and the announced result
against what the shares give. A damaged file is a V1 failure and a failure of the check it
breaks; the checks after it still run where they can.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from suffrage.core.randomness import RandomSource
from suffrage.errors import InvalidInput, SuffrageError, VerificationFailed
from suffrage.protocol.context import ElectionContext
from suffrage.protocol.manifest import Contest
from suffrage.protocol.mixnet import (
    Mix,
    MixDecryption,
    check_mix,
    check_mix_decryption,
    combine_mix,
    mix_context,
    mix_digest,
    ranked_contests,
    row_count,
)
from suffrage.protocol.results import ranked_result
from suffrage.protocol.tally import Tally, tally_hash
from suffrage.record.files import RankedFiles, ranked_files
from suffrage.record.ranked import (
    mix_name,
    ranked_name,
    read_mix,
    read_mix_decryption,
    read_ranked,
)
from suffrage.verify.report import ReportBuilder
from suffrage.verify.tally import differences, same_value

__all__ = ["RANKED_CHECKS", "check_ranked"]

RANKED_CHECKS = ("V23", "V24", "V25", "V26")
Rows = tuple[tuple[int, ...], ...]


def check_ranked(
    directory: Path,
    context: ElectionContext,
    *,
    tally: Tally | None,
    inputs: Mapping[str, bytes],
    results: Mapping[str, Any] | None,
    report: ReportBuilder,
    rng: RandomSource | None,
) -> None:
    """V23-V26 and V17 for every ranked contest. ``tally`` is the published tally (the
    mixes bind its hash, as the decryption shares of V15 do; V14 checks that it is the
    board's), ``None`` when tally.json cannot be read; ``inputs`` the first mix's input rows
    per contest, from the board (spec #19.1)."""
    if tally is None:
        for number in RANKED_CHECKS:
            report.skip(number, "tally.json is missing or unreadable (V1)")
        return
    bound = tally_hash(context, tally)
    found = ranked_files(directory, context.manifest)
    for contest, files in zip(ranked_contests(context), found, strict=True):
        check = _ContestCheck(context, contest, bound, files, report, rng)
        rows = check.run(inputs.get(contest.contest_id, b""))
        if rows is not None:
            _check_result(context, contest, rows, results, report)


@dataclass(frozen=True, slots=True)
class _ContestCheck:
    """The checks of one ranked contest's files (``bound``: the tally hash the mixes bind)."""

    context: ElectionContext
    contest: Contest
    bound: bytes
    files: RankedFiles
    report: ReportBuilder
    rng: RandomSource | None

    def run(self, inputs: bytes) -> Rows | None:
        """The contest's decrypted rows (its files checked, V23-V26), or ``None`` when they
        cannot be had (V17 is then not checked for it)."""
        c, report, threshold = self.contest.contest_id, self.report, self.context.threshold
        if not row_count(inputs, len(self.contest.options)):
            return self._no_ballots()
        mixes = self._mixes(inputs)
        if mixes is None:
            for number in ("V25", "V26"):
                report.skip(number, f"contest {c}: the mixes cannot be followed (V23)")
            report.skip("V17", f"contest {c}: the ranked ballots cannot be decrypted (V23)")
            return None
        last, digest = mixes
        parts = self._decryptions(last, digest)
        if len(parts) < threshold:
            report.skip(
                "V26",
                f"contest {c}: {threshold} guardians' shares are needed, {len(parts)} pass V25",
            )
            report.skip("V17", f"contest {c}: the ranked ballots cannot be decrypted (V25)")
            return None
        try:
            rows = combine_mix(self.context, self.contest, last, parts)
        except VerificationFailed as exc:
            report.fail("V26", exc.reason, where=f"contest {c}")
            report.skip("V17", f"contest {c}: the ranked ballots do not decrypt (V26)")
            return None
        _check_rankings(self.files.ranked, self.contest, rows, report)
        return rows

    def _no_ballots(self) -> Rows:
        """A contest no counted ballot holds has no mix, no shares, no rankings (#19.1)."""
        c, f = self.contest.contest_id, self.files
        ranked = [f.ranked] if f.ranked is not None else []
        for number, paths in (
            ("V23", f.mixes),
            ("V25", [p for _, p in f.decryptions]),
            ("V26", ranked),
        ):
            for path in paths:
                self.report.fail(
                    number,
                    f"{path.name}: contest {c} has no counted ballot to mix",
                    where=path.name,
                )
        return ()

    def _mixes(self, inputs: bytes) -> tuple[Mix, bytes] | None:
        """V23 and V24 over the contest's mixes in order; the last mix and its digest, or
        ``None`` when there is none or one cannot be read (the chain is then broken)."""
        c, report = self.contest.contest_id, self.report
        if not self.files.mixes:
            report.fail("V23", f"contest {c}: no mix is published ({mix_name(c, 1)})")
            report.skip("V24", f"contest {c}: no mix is published (V23)")
            return None
        mixers: dict[int, int] = {}
        last: tuple[Mix, bytes] | None = None
        for index, path in enumerate(self.files.mixes, start=1):
            name = path.name
            try:
                mix = read_mix(path, self.contest, index=index)
            except InvalidInput as exc:
                _read_failed(report, "V23", name, exc, f"mix {index} of contest {c}")
                report.skip("V24", f"contest {c}: mix {index} cannot be read (V23)")
                return None
            if mix.mixer in mixers:
                report.fail(
                    "V23",
                    f"{name}: guardian {mix.mixer} mixes twice (mixes {mixers[mix.mixer]} "
                    f"and {index})",
                    where=name,
                )
            mixers.setdefault(mix.mixer, index)
            self._check_mix(mix, inputs, name)
            ctx = mix_context(self.context.base_hash, self.bound, c, index=index, mixer=mix.mixer)
            last, inputs = (mix, mix_digest(ctx, mix.outputs, mix.proof)), mix.outputs
        return last

    def _check_mix(self, mix: Mix, inputs: bytes, name: str) -> None:
        """V23 (its place) and V24 (its proof and signature) of one mix; a mix out of place
        is not checked further."""
        report = self.report
        try:
            check_mix(
                self.context,
                self.bound,
                self.contest,
                mix,
                index=mix.index,
                inputs=inputs,
                rng=self.rng,
            )
        except VerificationFailed as exc:
            report.fail(exc.check, f"{name}: {exc.reason}", where=name)
            if exc.check == "V23":
                report.skip("V24", f"{name}: the mix is not in its place (V23)")
            else:
                report.ok("V23")
            return
        report.ok("V23")
        report.ok("V24")

    def _decryptions(self, last: Mix, digest: bytes) -> list[MixDecryption]:
        """V25: each guardian's shares of the last mix; those that pass, by guardian."""
        c, report = self.contest.contest_id, self.report
        good: list[MixDecryption] = []
        for guardian, path in self.files.decryptions:
            name = path.name
            try:
                part = read_mix_decryption(path, self.contest, rows=last.rows)
            except InvalidInput as exc:
                _read_failed(report, "V25", name, exc, f"guardian {guardian}'s shares")
                continue
            if part.guardian != guardian:
                report.fail(
                    "V25", f"{name}: the file holds guardian {part.guardian}'s shares", where=name
                )
                continue
            try:
                check_mix_decryption(self.context, self.contest, last, digest, part)
            except VerificationFailed as exc:
                report.fail("V25", f"{name}: {exc.reason}", where=name)
                continue
            report.ok("V25")
            good.append(part)
        published = len(self.files.decryptions)
        if published < self.context.threshold:
            report.fail(
                "V25",
                f"contest {c}: {self.context.threshold} guardians' shares are needed, "
                f"{published} are published",
            )
        return good


def _read_failed(
    report: ReportBuilder, number: str, name: str, exc: InvalidInput, what: str
) -> None:
    """A file that does not decode: V1 where it is, and the check it breaks."""
    report.fail("V1", exc.reason, where=exc.field)
    report.fail(number, f"{name}: {what} cannot be read (V1: {exc.field})", where=name)


def _check_rankings(path: Path | None, contest: Contest, rows: Rows, report: ReportBuilder) -> None:
    """V26: ``ranked-C.jsonl`` holds exactly the decrypted rows, in the last mix's order."""
    name = ranked_name(contest.contest_id)
    if path is None:
        report.fail("V26", f"contest {contest.contest_id}: {name} is not published")
        return
    try:
        published = read_ranked(path, contest)
    except InvalidInput as exc:
        _read_failed(report, "V26", name, exc, f"the rankings of contest {contest.contest_id}")
        return
    if len(published) != len(rows):
        report.fail(
            "V26",
            f"{name}: {len(published)} rows, the last mix decrypts to {len(rows)}",
            where=name,
        )
        return
    wrong = [i for i, (a, b) in enumerate(zip(published, rows, strict=True), start=1) if a != b]
    if wrong:
        ids = contest.option_ids
        first = wrong[0]

        def shown(row: Sequence[int]) -> str:
            return "[" + ", ".join(ids[v - 1] if v else "blank" for v in row) + "]"

        report.fail(
            "V26",
            f"{name}: rows that differ from the decrypted ones: {len(wrong)}; row {first}: "
            f"published {shown(published[first - 1])}, decrypted {shown(rows[first - 1])}",
            where=name,
        )
        return
    report.ok("V26", len(rows))


def _check_result(
    context: ElectionContext,
    contest: Contest,
    rows: Rows,
    results: Mapping[str, Any] | None,
    report: ReportBuilder,
) -> None:
    """V17 for a ranked contest: its announced result is the count of the decrypted rows."""
    c = contest.contest_id
    if results is None:
        report.skip("V17", "results.json is missing or could not be read (V1)")
        return
    try:
        expected = ranked_result(context, contest, rows)
    except SuffrageError as exc:
        report.fail("V17", f"contest {c}: the result cannot be computed from the rankings: {exc}")
        return
    announced = results.get(c)
    if same_value(announced, expected):
        report.ok("V17")
        return
    report.fail(
        "V17",
        f"contest {c}: the announced result is not the one the rankings give: "
        + "; ".join(differences(announced, expected)),
        where=f"contest {c}",
    )
