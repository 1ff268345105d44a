// A contest's selection rules as the voter meets them (spec/record-format.md#selection-limit):
// what may be marked, and what a mark does when the limit is reached; and a ranked contest's
// ranking (spec/protocol.md#13.1), changed only by the voter's explicit commands.
//
// The marks of a contest are a list of option indices (manifest order). For a 0/1 contest
// they are the marked options in the order marked; for a ranked contest they are the
// ranking itself, first preference first: marks[k] is the option ranked (k+1)-th, and a
// rank is never skipped nor an option repeated (the counting rules would accept both, but
// the booth has no command that makes them).

/**
 * The most options a voter may mark in `contest`; for a ranked contest, the most options
 * a voter may rank: every option (§13.1 gives a ranking `m` ranks, and the manifest has no
 * field capping them; fewer ranks are always allowed, the rest of the ranks then being 0).
 */
export function selectionLimit(contest) {
  switch (contest.kind) {
    case "plurality":
      return contest.votes_allowed;
    case "approval":
    case "ranked":
      return contest.options.length;
    case "referendum":
    case "party_list":
      return 1;
    default:
      return contest.options.length; // an unknown kind: refused by the crypto layer at sealing
  }
}

/** The interface key (and its values) of the rule stated above a contest's options. */
export function ruleOf(contest) {
  const limit = selectionLimit(contest);
  if (contest.kind === "referendum") return ["rule.referendum", {}];
  if (contest.kind === "party_list") return ["rule.list", {}];
  if (contest.kind === "approval") return ["rule.any", {}];
  if (contest.kind === "ranked") return ["rule.ranked", {}];
  return limit === 1 ? ["rule.one", {}] : ["rule.up_to", { n: limit }];
}

/**
 * Mark or unmark option `index` of a contest whose marks are `marks` (a list of indices in
 * the order marked). A vote-for-one replaces the earlier mark and says so; an N-of-M never
 * unmarks anything by itself: at the limit a further mark is refused and said so.
 * @returns {{marks: number[], event: null | {kind: "replaced", old: number, new: number} | {kind: "limit"}}}
 */
export function toggle(contest, marks, index) {
  const limit = selectionLimit(contest);
  if (marks.includes(index)) return { marks: marks.filter((m) => m !== index), event: null };
  if (marks.length < limit) return { marks: [...marks, index], event: null };
  if (limit === 1) return { marks: [index], event: { kind: "replaced", old: marks[0], new: index } };
  return { marks, event: { kind: "limit" } };
}

/**
 * What the crypto layer encrypts for a contest (spec/protocol.md#13.1, ballot.js): the 0/1
 * choice per option in manifest order; for a ranked contest its `m` ranks, rank 1 first,
 * each the position 1..m of the option ranked there, 0 for a rank not given.
 */
export function choicesOf(contest, marks) {
  if (contest.kind === "ranked") return contest.options.map((_, rank) => (rank < marks.length ? marks[rank] + 1 : 0));
  return contest.options.map((_, index) => (marks.includes(index) ? 1 : 0));
}

/**
 * A ranking from the `m` rank values of a ranked contest's reveal (§13.1): `[rank, option
 * index]` for each rank given, in rank order. A ballot made elsewhere may skip or repeat
 * ranks (the counting rule handles them): each rank is shown as the ballot holds it.
 * @param {number[]} values @returns {[number, number][]}
 */
export function rankingOf(values) {
  return values.flatMap((value, k) => (value > 0 ? [/** @type {[number, number]} */ ([k + 1, value - 1])] : []));
}

/**
 * "Rank next": option `index` takes the next free rank (the ranking grows at its end).
 * @param {number[]} marks @param {number} index @returns {number[]}
 */
export function rankNext(marks, index) {
  return marks.includes(index) ? marks : [...marks, index];
}

/**
 * "Move up" (`step` -1) or "Move down" (+1): option `index` swaps ranks with its neighbour.
 * At the top (or bottom) nothing changes: the caller says so rather than wrapping around.
 * @param {number[]} marks @param {number} index @param {-1 | 1} step @returns {number[]}
 */
export function moveRank(marks, index, step) {
  const at = marks.indexOf(index);
  const to = at + step;
  if (at < 0 || to < 0 || to >= marks.length) return marks;
  const moved = [...marks];
  [moved[at], moved[to]] = [moved[to], moved[at]];
  return moved;
}

/**
 * "Remove rank": option `index` leaves the ranking; those ranked after it move up one rank
 * (no rank is left empty, so the ballot never skips one).
 * @param {number[]} marks @param {number} index @returns {number[]}
 */
export function unrank(marks, index) {
  return marks.filter((m) => m !== index);
}
