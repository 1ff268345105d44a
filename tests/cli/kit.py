"""What the CLI tests share: running commands as each person of an election would.

Each guardian works in its own directory ("machine") with its own passphrase file; the
credential authority has its own directory and passphrase; the manifest is the one
``suffrage election init`` writes, with its voting window moved where a test needs it.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner, Result

from suffrage.cli.main import app

NAMES = {1: "Ada", 2: "Grace", 3: "Edsger"}
AUTHORITY_PASSPHRASE = "authority: correct horse battery staple"
OPTIONS = {
    "mayor": 3,
    "park-referendum": 2,
    "council-north": 3,
    "council-south": 3,
}
STYLES = {
    "north": ("mayor", "park-referendum", "council-north"),
    "south": ("mayor", "park-referendum", "council-south"),
}

RANKED_COUNCIL = """
  - contest_id: council
    kind: ranked
    method: stv
    seats: 3
    title: {en: City council, fr: Conseil municipal}
    options:
      - option_id: ana
        name: {en: Ana, fr: Ana}
      - option_id: ben
        name: {en: Ben, fr: Ben}
      - option_id: chloe
        name: {en: Chloe, fr: Chloé}
      - option_id: dmitri
        name: {en: Dmitri, fr: Dmitri}
"""


def invoke(
    args: Sequence[str | Path],
    *,
    env: Mapping[str, str] | None = None,
    input: str | None = None,
) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env=dict(env or {}), input=input)


def ok(args: Sequence[str | Path], **kwargs: object) -> Result:
    result = invoke(args, **kwargs)  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output + repr(result.exception)
    return result


def refused(args: Sequence[str | Path], **kwargs: object) -> str:
    """The one-line error of a command that must be refused with exit code 2."""
    result = invoke(args, **kwargs)  # type: ignore[arg-type]
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    return lines[0]


def moment(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_manifest(
    path: Path,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    extra_contest: str = "",
) -> Path:
    """The manifest ``election init`` writes, its window moved to [start, end) (by default
    from a day ago to a day ahead: voting is open), optionally with another contest."""
    ok(["election", "init", path])
    now = datetime.now(UTC)
    text = path.read_text("utf-8")
    text = re.sub(r'^start: ".*"$', f'start: "{moment(start or now - timedelta(days=1))}"',
                  text, flags=re.M)  # fmt: skip
    text = re.sub(r'^end: ".*"$', f'end: "{moment(end or now + timedelta(days=1))}"',
                  text, flags=re.M)  # fmt: skip
    if extra_contest:
        text = text.replace("\nballot_styles:", extra_contest + "\nballot_styles:")
        text = text.replace(
            "contest_ids: [mayor, park-referendum, council-north]",
            "contest_ids: [mayor, park-referendum, council-north, council]",
        )
    path.write_text(text, "utf-8")
    return path


def style_of(number: int) -> str:
    return "north" if number % 2 == 0 else "south"


def voter_id(number: int) -> str:
    return f"V-{number + 1:04d}"


LANGUAGES = ("en", "fr", "")


def write_roll(path: Path, voters: int = 50) -> Path:
    """``voters`` voters, alternately north and south, letters in English, French or the
    default language, with a name, an address, an e-mail and a turnout group."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["voter_id", "ballot_style", "name", "address", "email", "language", "group:sex"]
        )
        for n in range(voters):
            writer.writerow(
                [
                    voter_id(n),
                    style_of(n),
                    f"Voter {n + 1}",
                    f"{n + 1} Market Street\nOld Town",
                    f"voter{n + 1}@example.org",
                    LANGUAGES[n % 3],
                    "f" if n % 2 else "m",
                ]
            )
    return path


def passphrase_file(base: Path, index: int) -> Path:
    path = base / f"machine-{index}" / "passphrase.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(f"guardian {index}: {NAMES[index]} keeps this one\n")
    return path


def secret(base: Path, index: int) -> Path:
    """Guardian ``index``'s secret file, on its own "machine" (directory)."""
    return base / f"machine-{index}" / f"guardian-{index}.secret.json"


def as_guardian(base: Path, index: int) -> list[str | Path]:
    return ["--passphrase-file", passphrase_file(base, index)]


def authority_env() -> dict[str, str]:
    return {"SUFFRAGE_PASSPHRASE": AUTHORITY_PASSPHRASE}


def guardian_create(manifest: Path, base: Path, index: int) -> list[str | Path]:
    return [
        "guardian", "create", "--manifest", manifest, "--index", str(index), "--name",
        NAMES[index], "--guardians", "3", "--threshold", "2", "--out",
        secret(base, index).parent, *as_guardian(base, index),
    ]  # fmt: skip


def ceremony(base: Path, manifest: Path) -> tuple[Path, Path]:
    """create x3 (each on its own machine) and shares x3; returns (publics, shares)."""
    publics, shares = base / "publics", base / "shares"
    publics.mkdir(parents=True)
    for i in (1, 2, 3):
        ok(guardian_create(manifest, base, i))
        public = secret(base, i).parent / f"guardian-{i}.public.json"
        shutil.copy(public, publics / public.name)
    for i in (1, 2, 3):
        written = ok(
            [
                "guardian",
                "shares",
                "--secret",
                secret(base, i),
                "--publics",
                publics,
                "--out",
                shares,
                *as_guardian(base, i),
            ]
        ).output
        assert written.count("send to guardian ") == 3
    return publics, shares


def receive_args(base: Path, index: int) -> list[str | Path]:
    return ["guardian", "receive", "--secret", secret(base, index), "--publics",
            base / "publics", "--shares", base / "shares", *as_guardian(base, index)]  # fmt: skip


def receive(base: Path, index: int) -> Result:
    return invoke(receive_args(base, index))


def keyed(base: Path, manifest: Path) -> Path:
    """A whole key ceremony; the directory of the public files."""
    publics, _ = ceremony(base, manifest)
    for i in (1, 2, 3):
        assert receive(base, i).exit_code == 0
    return publics


def create_args(
    manifest: Path, publics: Path, roll: Path, election: Path, authority: Path
) -> list[str | Path]:
    return ["election", "create", "--manifest", manifest, "--publics", publics, "--roll", roll,
            "--out", election, "--authority", authority]  # fmt: skip


def decrypt_args(base: Path, index: int, election: Path, out: Path) -> list[str | Path]:
    return ["guardian", "decrypt", "--secret", secret(base, index), "--election", election,
            "--out", out, *as_guardian(base, index)]  # fmt: skip


def choices_for(style: str, number: int) -> dict[str, list[int]]:
    """A valid and varied choice per voter: one mark per contest (none on some)."""
    out = {}
    for k, contest in enumerate(STYLES[style]):
        n = OPTIONS[contest]
        pick = (number + k) % (n + 1)
        out[contest] = [1 if i == pick else 0 for i in range(n)]
    return out


def mailmerge(letters: Path) -> list[dict[str, str]]:
    with (letters / "mailmerge.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


RANKINGS = [(1, 2, 3, 4), (2, 1, 0, 0), (3, 3, 1, 0), (0, 0, 0, 0), (4, 0, 2, 1), (1, 3, 0, 0)]
"""The north voters' rankings of the council in turn: full, partial, repeated, blank,
skipped."""


def ranked_election(base: Path, voters: int) -> tuple[Path, list[tuple[int, ...]]]:
    """An election with the ranked council, made offline, opened, and voted by ``voters``
    voters (the north ones rank the council as :data:`RANKINGS` says); the election
    directory and the rankings cast."""
    manifest = write_manifest(base / "manifest.yaml", extra_contest=RANKED_COUNCIL)
    publics = keyed(base, manifest)
    roll = write_roll(base / "roll.csv", voters)
    election, authority, letters = base / "election", base / "authority", base / "letters"
    ok(create_args(manifest, publics, roll, election, authority), env=authority_env())
    ok(["election", "letters", "--election", election, "--authority", authority,
        "--out", letters], env=authority_env())  # fmt: skip
    ok(["election", "open", "--election", election])
    codes = {row["voter_id"]: row["credential_code"] for row in mailmerge(letters)}
    cast = []
    for n in range(voters):
        style = style_of(n)
        choices: dict[str, list[int]] = dict(choices_for(style, n))
        if style == "north":
            ranking = RANKINGS[(n // 2) % len(RANKINGS)]
            choices["council"] = list(ranking)
            cast.append(ranking)
        ok(["election", "cast", "--election", election, "--credential", codes[voter_id(n)],
            "--choices", json.dumps(choices)])  # fmt: skip
    return election, cast
