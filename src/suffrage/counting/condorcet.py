"""Condorcet methods: the pairwise matrix, Schulze, Ranked Pairs and Debian A.6
(spec/counting.md#condorcet).

``pairwise(profile)[a][b]`` is the number of voters who rank ``a`` strictly above ``b``;
candidates left unranked rank equally below every ranked one. A defeat of ``b`` by ``a`` is
measured by winning votes, ties by fewer opposing votes: the strength ``(d[a][b], -d[b][a])``.
"""

from __future__ import annotations

from fractions import Fraction

from suffrage.counting._common import Lot, Result, Stage, Trail, require
from suffrage.counting.ballots import Profile
from suffrage.errors import quote

__all__ = ["count_debian", "count_ranked_pairs", "count_schulze", "pairwise"]

Matrix = list[list[int]]


def pairwise(profile: Profile) -> Matrix:
    """The pairwise preference counts of ``profile`` (spec/counting.md#condorcet)."""
    size = len(profile.candidates)
    matrix = [[0] * size for _ in range(size)]
    for ballot in profile.ballots:
        above: list[int] = []
        seen: set[int] = set()
        for rank in ballot.ranks:
            fresh = [c for c in rank if c not in seen and c not in profile.withdrawn]
            for a in above:
                for b in fresh:
                    matrix[a][b] += ballot.weight
            above.extend(fresh)
            seen.update(fresh)
        rest = [c for c in range(size) if c not in seen and c not in profile.withdrawn]
        for a in above:
            for b in rest:
                matrix[a][b] += ballot.weight
    return matrix


def count_schulze(profile: Profile, *, seed: int = 0) -> Result:
    """The Schulze winner by widest paths over winning votes (spec/counting.md#schulze)."""
    names = profile.candidates
    active = [c for c in range(len(names)) if c not in profile.withdrawn]
    matrix = pairwise(profile)
    lot = Lot(seed=seed)
    winner, paths = _schulze(matrix, active, names, lot)
    stages = (
        _matrix_stage(1, "pairwise", matrix, active, names),
        _paths_stage(paths, active, names),
    )
    return _result(
        "schulze",
        winner=names[winner],
        matrix=matrix,
        active=active,
        names=names,
        stages=stages,
        lot=lot,
        options={},
    )


def count_ranked_pairs(profile: Profile, *, seed: int = 0) -> Result:
    """The Ranked Pairs (Tideman) winner, winning-votes order (spec/counting.md#ranked-pairs)."""
    names = profile.candidates
    active = [c for c in range(len(names)) if c not in profile.withdrawn]
    matrix = pairwise(profile)
    lot = Lot(seed=seed)
    tiebreak = lot.order([names[c] for c in active], purpose="ranked pairs tie-break order")
    rank = {name: i for i, name in enumerate(tiebreak)}
    pairs = [(a, b) for a in active for b in active if matrix[a][b] > matrix[b][a]]
    pairs.sort(
        key=lambda p: (
            -matrix[p[0]][p[1]],
            matrix[p[1]][p[0]],
            rank[names[p[0]]],
            rank[names[p[1]]],
        )
    )
    locked: set[tuple[int, int]] = set()
    events: list[str] = []
    for a, b in pairs:
        if _reaches(locked, b, a):
            events.append(f"skipped {names[a]} > {names[b]} (would make a cycle)")
        else:
            locked.add((a, b))
            events.append(f"locked {names[a]} > {names[b]} ({matrix[a][b]}-{matrix[b][a]})")
    winner = next(c for c in active if not any((x, c) in locked for x in active))
    stages = (
        _matrix_stage(1, "pairwise", matrix, active, names),
        Stage(number=2, kind="locking", values={}, events=tuple(events)),
    )
    return _result(
        "ranked-pairs",
        winner=names[winner],
        matrix=matrix,
        active=active,
        names=names,
        stages=stages,
        lot=lot,
        options={},
    )


def count_debian(
    profile: Profile, *, default: str, majority: Fraction = Fraction(1), seed: int = 0
) -> Result:
    """Debian constitution A.6: drop every option that does not defeat the default option by
    its majority ratio, then the Schulze (Schwartz sequential dropping) winner; a remaining
    tie, which the Project Secretary decides, is drawn by lot (spec/counting.md#debian)."""
    names = profile.candidates
    require(default in names, f"default option {quote(default)} is not an option")
    require(majority >= 1, f"majority ratio must be at least 1, got {majority}")
    matrix = pairwise(profile)
    d = names.index(default)
    kept = [d] + [
        c
        for c in range(len(names))
        if c != d and c not in profile.withdrawn and matrix[c][d] > majority * matrix[d][c]
    ]
    dropped = [names[c] for c in range(len(names)) if c not in kept and c not in profile.withdrawn]
    lot = Lot(seed=seed)
    winner, paths = _schulze(matrix, kept, names, lot)
    events = tuple(f"dropped {n}: does not defeat {default} by {majority}:1" for n in dropped)
    stages = (
        _matrix_stage(1, "pairwise", matrix, list(range(len(names))), names),
        Stage(number=2, kind="majority requirement", values={}, events=events),
        _paths_stage(paths, kept, names, number=3),
    )
    options = {"default": default, "majority": str(majority)}
    return _result(
        "debian",
        winner=names[winner],
        matrix=matrix,
        active=kept,
        names=names,
        stages=stages,
        lot=lot,
        options=options,
    )


def _schulze(
    matrix: Matrix, active: list[int], names: tuple[str, ...], lot: Lot
) -> tuple[int, dict[tuple[int, int], tuple[int, int]]]:
    none = (0, 0)
    paths: dict[tuple[int, int], tuple[int, int]] = {}
    for a in active:
        for b in active:
            if a != b:
                wins = matrix[a][b] > matrix[b][a]
                paths[a, b] = (matrix[a][b], -matrix[b][a]) if wins else none
    for k in active:
        for a in active:
            for b in active:
                if len({a, b, k}) == 3:
                    via = min(paths[a, k], paths[k, b])
                    paths[a, b] = max(paths[a, b], via)
    best = [a for a in active if all(paths[a, b] >= paths[b, a] for b in active if b != a)]
    if len(best) == 1:
        return best[0], paths
    chosen = lot.choose([names[c] for c in best], purpose="Schulze winners tie")
    return names.index(chosen), paths


def _reaches(locked: set[tuple[int, int]], start: int, goal: int) -> bool:
    stack, seen = [start], {start}
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        for a, b in locked:
            if a == node and b not in seen:
                seen.add(b)
                stack.append(b)
    return False


def _matrix_stage(
    number: int, kind: str, matrix: Matrix, active: list[int], names: tuple[str, ...]
) -> Stage:
    values = {f"{names[a]} > {names[b]}": matrix[a][b] for a in active for b in active if a != b}
    return Stage(number=number, kind=kind, values=values)


def _paths_stage(
    paths: dict[tuple[int, int], tuple[int, int]],
    active: list[int],
    names: tuple[str, ...],
    number: int = 2,
) -> Stage:
    values = {f"{names[a]} > {names[b]}": paths[a, b][0] for a in active for b in active if a != b}
    return Stage(number=number, kind="strongest paths (winning votes)", values=values)


def _result(
    method: str,
    *,
    winner: str,
    matrix: Matrix,
    active: list[int],
    names: tuple[str, ...],
    stages: tuple[Stage, ...],
    lot: Lot,
    options: dict[str, str],
) -> Result:
    wins = {names[a]: sum(matrix[a][b] > matrix[b][a] for b in active if b != a) for a in active}
    trail = Trail(method=method, stages=stages, lots=tuple(lot.drawn), seed=lot.seed)
    return Result(
        method=method, elected=(winner,), seats={}, totals=wins, trail=trail, options=options
    )
