"""Make tests/vectors/records/: one small valid record and invalid variants of it.

Run ``python tests/vectors/make_invalid_records.py`` from the project root. Everything is
seeded, so the output is the same on every run. ``valid/`` is a whole record (five voters of
the sample manifest, two spoiled ballots, one re-vote); each other folder holds only the files
that differ from ``valid/`` (ballots.jsonl as the lines that differ, ``PATCH``), and
``index.json`` says, for each, the checks that must fail
(and no other) and words that the first failure of each must contain. The script verifies
every variant before writing the index, so the index says what this verifier reports; the
test ``tests/verify/test_invalid_vectors.py`` holds later versions to it.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))  # for tests.verify.forge

from tests.verify.forge import (  # noqa: E402
    chained_entry,
    honest_ballot,
    listed_credentials,
    simulated_ballot,
)

from suffrage._native import Element, Scalar  # noqa: E402
from suffrage.core import SeededRandom  # noqa: E402
from suffrage.protocol.manifest import load_sample_manifest  # noqa: E402
from suffrage.record.canonical import canonical_bytes  # noqa: E402
from suffrage.record.codec import entry_to_json  # noqa: E402
from suffrage.service.election import ElectionRun, run_election  # noqa: E402
from suffrage.verify.record import verify_record  # noqa: E402

OUT = HERE / "records"
SEED = 8
"""With this seed the five voters leave two spoiled ballots and a re-vote."""

Variant = Callable[[Path, ElectionRun], list[str]]


PATCH = "ballots.jsonl.patch.json"
"""ballots.jsonl of a variant, as the lines that differ from valid/ (spelled out in full)."""


def save_patch(path: Path, base: list[bytes], new: list[bytes]) -> None:
    changed = {
        str(number): line.decode()
        for number, line in enumerate(new, start=1)
        if number > len(base) or base[number - 1] != line
    }
    path.write_text(json.dumps({"lines": len(new), "changed": changed}, indent=1) + "\n")


def lines(record: Path) -> list[bytes]:
    return (record / "ballots.jsonl").read_bytes().splitlines()


def save_lines(record: Path, new: list[bytes]) -> None:
    (record / "ballots.jsonl").write_bytes(b"".join(line + b"\n" for line in new))


def load(path: Path) -> Any:
    return json.loads(path.read_bytes())


def save(path: Path, value: Any) -> None:
    path.write_bytes(canonical_bytes(value) + b"\n")


def append_simulated(values: list[int]) -> Variant:
    def variant(record: Path, run: ElectionRun) -> list[str]:
        context = run.context
        credential = listed_credentials(run.credentials[:1], context.election_id)[0]
        ballot = simulated_ballot(context, credential, values, SeededRandom(SEED + 1))
        old = lines(record)
        previous = bytes.fromhex(json.loads(old[-1])["tracking_code"])
        entry = chained_entry(context, ballot, previous=previous, sequence=len(old) + 1)
        save_lines(record, [*old, canonical_bytes(entry_to_json(entry))])
        return ["ballots.jsonl"]

    return variant


def other_style(record: Path, run: ElectionRun) -> list[str]:
    """A well-formed, well-signed ballot of another style than its credential's."""
    context = run.context
    credential = listed_credentials(run.credentials[:1], context.election_id)[0]
    bound = context.style_of(credential.public)
    style = next(s.style_id for s in context.manifest.ballot_styles if s.style_id != bound)
    ballot = honest_ballot(context, credential, SeededRandom(SEED + 2), style)
    old = lines(record)
    previous = bytes.fromhex(json.loads(old[-1])["tracking_code"])
    entry = chained_entry(context, ballot, previous=previous, sequence=len(old) + 1)
    save_lines(record, [*old, canonical_bytes(entry_to_json(entry))])
    return ["ballots.jsonl"]


def early_close_unflagged(record: Path, _: ElectionRun) -> list[str]:
    """The tally says voting closed before the manifest's end, not flagged as early."""
    tally = load(record / "tally.json")
    tally["tally"]["closed_at"] = "2025-05-04T17:00:00Z"
    save(record / "tally.json", tally)
    return ["tally.json"]


def first_counted(record: Path) -> int:
    counted = set(load(record / "tally.json")["counted_sequences"])
    numbered = enumerate(lines(record))
    return next(i for i, line in numbered if json.loads(line)["sequence"] in counted)


def forged_signature(record: Path, _: ElectionRun) -> list[str]:
    old = lines(record)
    index = first_counted(record)
    entry = json.loads(old[index])
    response = Scalar.from_bytes(bytes.fromhex(entry["ballot"]["signature"]["response"]))
    entry["ballot"]["signature"]["response"] = (response + Scalar.one()).to_bytes().hex()
    old[index] = canonical_bytes(entry)
    save_lines(record, old)
    return ["ballots.jsonl"]


def swapped_entries(record: Path, _: ElectionRun) -> list[str]:
    old = lines(record)
    old[1], old[2] = old[2], old[1]
    save_lines(record, old)
    return ["ballots.jsonl"]


def wrong_result(record: Path, _: ElectionRun) -> list[str]:
    value = load(record / "results.json")
    mayor = value["results"]["mayor"]["counts"]
    first = sorted(mayor)[0]
    mayor[first] += 1
    save(record / "results.json", value)
    return ["results.json"]


def wrong_share(record: Path, _: ElectionRun) -> list[str]:
    value = load(record / "decryption.json")
    share = value["partial_decryptions"][0]["shares"][0][0]
    share["share"] = (
        (Element.from_bytes(bytes.fromhex(share["share"])) + Element.generator()).to_bytes().hex()
    )
    save(record / "decryption.json", value)
    return ["decryption.json"]


def superseded_counted(record: Path, _: ElectionRun) -> list[str]:
    tally = load(record / "tally.json")
    counted = tally["counted_sequences"]
    cast = [json.loads(line) for line in lines(record)]
    superseded = next(
        e["sequence"] for e in cast if e["state"] == "cast" and e["sequence"] not in counted
    )
    tally["counted_sequences"] = sorted([*counted, superseded])
    save(record / "tally.json", tally)
    return ["tally.json"]


def jsonl(path: Path) -> list[Any]:
    return [json.loads(line) for line in path.read_bytes().splitlines()]


def save_jsonl(path: Path, values: list[Any]) -> None:
    path.write_bytes(b"".join(canonical_bytes(v) + b"\n" for v in values))


def other_element(text: str) -> str:
    return (Element.from_bytes(bytes.fromhex(text)) + Element.generator()).to_bytes().hex()


def ranked_file(record: Path, prefix: str) -> Path:
    """The first file of the record named ``prefix...jsonl`` (a ranked contest's, 19.6)."""
    return sorted(record.glob(f"{prefix}*.jsonl"))[0]


def ranked_change(prefix: str, change: Callable[[list[Any]], None]) -> Variant:
    """Change the lines of the first ranked-contest file named ``prefix...``."""

    def variant(record: Path, _: ElectionRun) -> list[str]:
        path = ranked_file(record, prefix)
        values = jsonl(path)
        change(values)
        save_jsonl(path, values)
        return [path.name]

    return variant


def mix_row_replaced(values: list[Any]) -> None:
    cell = values[1]["ciphertexts"][0]
    cell["alpha"] = other_element(cell["alpha"])


def mix_row_dropped(values: list[Any]) -> None:
    del values[-1]
    values[0]["rows"] -= 1


def mix_signature(values: list[Any]) -> None:
    signature = values[0]["signature"]
    response = Scalar.from_bytes(bytes.fromhex(signature["response"]))
    signature["response"] = (response + Scalar.one()).to_bytes().hex()


def share_changed(values: list[Any]) -> None:
    values[1]["shares"][0] = other_element(values[1]["shares"][0])


def ranking_changed(values: list[Any]) -> None:
    ranks = values[1]["ranks"]
    ranks[0], ranks[1] = ranks[1], ranks[0]
    if ranks[0] == ranks[1]:
        ranks[0] = None if ranks[0] is not None else ranks[2] or ranks[3]


def ranked_result(record: Path, _: ElectionRun) -> list[str]:
    value = load(record / "results.json")
    entry = next(r for r in value["results"].values() if r["kind"] == "ranked" and r["ballots"])
    first = sorted(entry["counts"])[0]
    entry["counts"][first] += 1
    save(record / "results.json", value)
    return ["results.json"]


VARIANTS: dict[str, tuple[Variant, str]] = {
    "selection-2-simulated": (
        append_simulated([2, 0, 0, 0]),
        "a selection encrypting 2 with every branch of its range proofs simulated",
    ),
    "limit-simulated": (
        append_simulated([1, 1, 0, 0]),
        "two marks in a vote-for-one contest, the limit proof's branches all simulated",
    ),
    "forged-signature": (forged_signature, "a counted ballot's signature response plus one"),
    "swapped-entries": (swapped_entries, "entries 2 and 3 of the board swapped"),
    "wrong-result": (wrong_result, "one announced count of the mayor contest plus one"),
    "wrong-share": (wrong_share, "a guardian's decryption share moved by the generator"),
    "superseded-counted": (superseded_counted, "a superseded ballot listed as counted"),
    "style-not-the-credentials": (
        other_style,
        "a valid, signed ballot of another ballot style than its credential is bound to",
    ),
    "early-close-unflagged": (
        early_close_unflagged,
        "the tally closed three hours before the manifest's end without closed_early",
    ),
    "mix-row-replaced": (
        ranked_change("mix-north", mix_row_replaced),
        "a ciphertext of mix 1 of a ranked contest moved by the generator",
    ),
    "mix-row-dropped": (
        ranked_change("mix-north", mix_row_dropped),
        "the last row of mix 1 of a ranked contest left out",
    ),
    "mix-signature": (
        ranked_change("mix-north", mix_signature),
        "the response of mix 1's signature plus one",
    ),
    "mix-share-changed": (
        ranked_change("mix-decryption-", share_changed),
        "a guardian's first share of a ranked contest's last mix moved by the generator",
    ),
    "ranking-changed": (
        ranked_change("ranked-", ranking_changed),
        "the first two ranks of a published ranking swapped",
    ),
    "ranked-result": (ranked_result, "a first-preference count of a ranked result plus one"),
}


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    run = run_election(load_sample_manifest(), voters=5, rng=SeededRandom(SEED), out=OUT / "valid")
    assert run.spoiled >= 1, "the seed must give a spoiled ballot"
    assert run.revotes >= 1, "the seed must give a re-vote"
    assert verify_record(OUT / "valid", rng=SeededRandom(1)).passed
    index: dict[str, Any] = {
        "valid": {"description": "the record as published", "credentials": list(run.credentials)}
    }
    for name, (variant, description) in VARIANTS.items():
        work = OUT / ".work"
        shutil.copytree(OUT / "valid", work)
        changed = variant(work, run)
        report = verify_record(work, batch=False)
        failing = {n: report.checks[n].messages[0] for n in report.failed_checks()}
        for n in report.not_checked():
            failing[n] = f"not checked: {report.checks[n].not_checked_because}"
        failing = {n: failing[n] for n in report.checks if n in failing}
        (OUT / name).mkdir()
        for file in changed:
            if file == "ballots.jsonl":
                save_patch(OUT / name / PATCH, lines(OUT / "valid"), lines(work))
            else:
                shutil.copy(work / file, OUT / name / file)
        shutil.rmtree(work)
        index[name] = {"description": description, "files": changed, "fails": failing}
    (OUT / "index.json").write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
