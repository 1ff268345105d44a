"""RCTab's tie-breaks (spec/counting.md#rctab-tie-breaks), as its Tiebreak class decides them.

The tied candidates are first sorted (``String`` order). Then, by ``tiebreakMode``:

* ``random``: one ``nextDouble()`` of the count's :class:`~.javacompat.JavaRandom` (seeded
  with ``randomSeed``), index ``floor(d * n)`` into the sorted list;
* ``useCandidateOrder`` / ``generatePermutation``: the first tied candidate in the permutation
  (the configuration's order, or that order sorted and shuffled by ``Collections.shuffle``
  with the seeded generator) when choosing a winner, the last when choosing a loser;
* ``previousRoundCountsThenRandom`` / ``previousRoundCountsThenAsk``: going back one round at
  a time, keep the tied candidates with the most (winner) or fewest (loser) votes until one is
  left; if several remain after round 1, draw as ``random`` among them (in the order of a Java
  ``HashSet``) or ask;
* ``stopCountingAndAsk``: ask.

"Asking" takes the next of the answers given to the count (``--tiebreak-answers``), so that a
count is reproducible; a missing answer or one that is not among the tied candidates is a
:class:`~suffrage.errors.CountingError` that lists the tie.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from suffrage.counting.rctab.javacompat import JavaRandom, hash_order, java_sort_key
from suffrage.counting.rctab.tally import RoundTally
from suffrage.errors import CountingError, quote

__all__ = ["Answers", "TieBreaker"]


class Answers:
    """The operator's answers to ties, used in order; remembers how many were used."""

    def __init__(self, names: Sequence[str]) -> None:
        self._names = list(names)
        self._next = 0

    def take(self, tied: list[str], round_number: int, *, winner: bool) -> str:
        role = "win" if winner else "lose"
        listed = ", ".join(quote(name) for name in tied)
        if self._next >= len(self._names):
            raise CountingError(
                f"round {round_number}: a tie among {listed} needs an answer (who should {role});"
                f" give it with --tiebreak-answers (answer {self._next + 1})"
            )
        answer = self._names[self._next]
        self._next += 1
        if answer not in tied:
            raise CountingError(
                f"round {round_number}: tie-break answer {self._next} {quote(answer)} is not"
                f" one of the tied candidates {listed}"
            )
        return answer

    def unused(self) -> list[str]:
        return self._names[self._next :]


class TieBreaker:
    """Breaks ties for one pass of a count."""

    def __init__(
        self,
        mode: str,
        *,
        random: JavaRandom | None,
        permutation: list[str],
        answers: Answers,
        history: dict[int, RoundTally],
    ) -> None:
        self.mode = mode
        self.random = random
        self.permutation = permutation
        self.answers = answers
        self.history = history

    def select(self, tied: list[str], round_number: int, *, winner: bool) -> str:
        """The candidate among ``tied`` (two or more) who wins or loses the tie."""
        ordered = sorted(tied, key=java_sort_key)
        if self.mode == "stopCountingAndAsk":
            return self.answers.take(ordered, round_number, winner=winner)
        if self.mode == "random":
            return self._draw(ordered)
        if self.mode in ("useCandidateOrder", "generatePermutation"):
            return self._by_permutation(ordered, winner=winner)
        return self._by_previous_rounds(ordered, round_number, winner=winner)

    def _draw(self, tied: list[str]) -> str:
        if self.random is None:  # the configuration check requires a seed for these modes
            raise CountingError("a random tie-break needs rules.randomSeed")
        index = int(self.random.next_double() * float(len(tied)))
        return tied[index]

    def _by_permutation(self, tied: list[str], *, winner: bool) -> str:
        order: Iterator[str] = iter(self.permutation if winner else reversed(self.permutation))
        wanted = set(tied)
        for name in order:
            if name in wanted:
                return name
        raise CountingError(f"no tied candidate is in the tie-break order: {', '.join(tied)}")

    def _by_previous_rounds(self, tied: list[str], round_number: int, *, winner: bool) -> str:
        contention = tied
        for earlier in range(round_number - 1, 0, -1):
            tally = self.history[earlier]
            groups = tally.by_votes(hash_order(contention, presized=True))
            contention = groups[-1][1] if winner else groups[0][1]
            if len(contention) == 1:
                return contention[0]
        if self.mode == "previousRoundCountsThenAsk":
            return self.answers.take(contention, round_number, winner=winner)
        return self._draw(contention)
