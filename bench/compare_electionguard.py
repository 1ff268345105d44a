"""Side-by-side benchmark of Suffrage and ElectionGuard 1.4.0 (``make bench``).

Builds bench/.venv-electionguard with a Python 3.10 (ElectionGuard 1.4.0 does not import on
3.11), installs ``electionguard==1.4.0 dacite==1.6.0 hypothesis`` into it, then runs
bench/electionguard_runner.py there and bench/suffrage_runner.py with this interpreter, on the
same ballot shape and the same voters' choices: 5 contests with 20 options (1-of-5, 1-of-4,
2-of-5, 2-of-4, 1-of-2), 3 guardians, quorum 2, guardian 2 absent at decryption, 100 ballots.
Prints, per operation, each side's median, the ratio EG/Suffrage and the number of runs.

    python bench/compare_electionguard.py [--quick] [--runs N] [--budget SECONDS]

Each runner checks its own results (decrypted counts equal the cast votes, records verify),
so a table is printed only for runs that did the work. No time is asserted anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
VENV = BENCH / ".venv-electionguard"
PACKAGES = ["electionguard==1.4.0", "dacite==1.6.0", "hypothesis"]
CONTESTS = [
    {"id": "contest-1", "options": 5, "votes_allowed": 1},
    {"id": "contest-2", "options": 4, "votes_allowed": 1},
    {"id": "contest-3", "options": 5, "votes_allowed": 2},
    {"id": "contest-4", "options": 4, "votes_allowed": 2},
    {"id": "contest-5", "options": 2, "votes_allowed": 1},
]
BALLOTS = 100
ROWS = [
    ("key_ceremony", "key_ceremony", "key ceremony (3 guardians, quorum 2)"),
    ("encrypt_ballot", "encrypt_ballot", "encrypt one ballot with its proofs"),
    ("verify_ballot", "verify_ballot", "verify one ballot"),
    ("verify_ballot_batched", "verify_ballot", "verify one ballot (Suffrage batched)"),
    ("tally_decrypt", "tally_decrypt", "tally + decrypt 100 ballots, 1 guardian absent"),
    ("verify_record", "verify_record", "verify the record of 100 ballots"),
]


class BenchError(Exception):
    """The benchmark could not run; the message says what to do."""


def find_python310() -> str:
    """A Python 3.10 that runs: ``python3.10`` on PATH, else the newest pyenv 3.10 (a pyenv
    shim on PATH refuses to run when 3.10 is not pyenv's selected version); BenchError if
    there is none."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    pyenv = sorted(root.glob("3.10.*/bin/python3.10"), key=lambda p: p.parts[-3])
    on_path = shutil.which("python3.10")
    for candidate in [*([on_path] if on_path else []), *map(str, reversed(pyenv))]:
        probe = subprocess.run(
            [candidate, "-c", "import sys; assert sys.version_info[:2] == (3, 10)"],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return candidate
    raise BenchError(
        "no Python 3.10 found (ElectionGuard 1.4.0 needs it): install one, e.g. "
        "`pyenv install 3.10` or `apt-get install python3.10 python3.10-venv`, then rerun"
    )


def electionguard_python() -> Path:
    """The interpreter of bench/.venv-electionguard, created and filled if needed."""
    python = VENV / "bin" / "python"
    probe = "import importlib.metadata as m, electionguard; print(m.version('electionguard'))"
    if python.exists():
        done = subprocess.run([python, "-c", probe], capture_output=True, text=True, check=False)
        if done.returncode == 0 and done.stdout.strip() == "1.4.0":
            return python
    print(f"creating {VENV} and installing {' '.join(PACKAGES)} ...", file=sys.stderr)
    subprocess.run([find_python310(), "-m", "venv", "--clear", VENV], check=True)
    subprocess.run([python, "-m", "pip", "install", "-q", *PACKAGES], check=True)
    return python


def voters(seed: int) -> list[list[list[int]]]:
    """Each voter picks, at random, 0 to votes_allowed options of every contest."""
    rng = random.Random(seed)
    ballots = []
    for _ in range(BALLOTS):
        ballot = []
        for contest in CONTESTS:
            picked = set(
                rng.sample(range(contest["options"]), rng.randint(0, contest["votes_allowed"]))
            )
            ballot.append([int(i in picked) for i in range(contest["options"])])
        ballots.append(ballot)
    return ballots


def run_side(python: Path, runner: str, spec: Path, env: dict[str, str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        print(f"running {runner} ...", file=sys.stderr)
        subprocess.run([python, BENCH / runner, spec, out], check=True, cwd=tmp, env=env)
        result: dict[str, Any] = json.loads(out.read_text("utf-8"))
        return result


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def runs_cell(op: dict[str, Any]) -> str:
    n = len(op["times"])
    if n >= op["requested"]:
        return str(n)
    return f"{n} (not {op['requested']}: one run takes {fmt(op['warmup'])})"


def table(suffrage: dict[str, Any], eg: dict[str, Any]) -> str:
    lines = [
        "| operation | Suffrage (median) | ElectionGuard 1.4.0 (median) | ratio EG/Suffrage "
        "| runs Suffrage | runs EG |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for ours, theirs, label in ROWS:
        s_op, e_op = suffrage["operations"][ours], eg["operations"][theirs]
        s_med, e_med = statistics.median(s_op["times"]), statistics.median(e_op["times"])
        lines.append(
            f"| {label} | {fmt(s_med)} | {fmt(e_med)} | {e_med / s_med:,.0f}x "
            f"| {runs_cell(s_op)} | {runs_cell(e_op)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs of everything (smoke test)")
    parser.add_argument("--runs", type=int, default=20, help="runs per operation (default 20)")
    parser.add_argument(
        "--budget", type=float, default=600, help="seconds allowed per operation and side"
    )
    parser.add_argument("--seed", type=int, default=2025, help="seed of the voters' choices")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else args.runs
    try:
        eg_python = electionguard_python()
    except (BenchError, subprocess.CalledProcessError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    env = dict(os.environ)
    src = str(BENCH.parent / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "spec.json"
        spec.write_text(
            json.dumps(
                {
                    "contests": CONTESTS,
                    "votes": voters(args.seed),
                    "runs": runs,
                    "big_runs": runs,
                    "budget": args.budget,
                }
            ),
            "utf-8",
        )
        try:
            suffrage = run_side(Path(sys.executable), "suffrage_runner.py", spec, env)
            eg = run_side(eg_python, "electionguard_runner.py", spec, dict(os.environ))
        except subprocess.CalledProcessError as exc:
            print(f"error: a runner failed: {exc}", file=sys.stderr)
            return 1
    print(f"Suffrage (Python {suffrage['python']}) vs {eg['system']} (Python {eg['python']})")
    print(table(suffrage, eg))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
