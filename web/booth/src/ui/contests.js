// A contest's selection rules as the voter meets them (spec/record-format.md#selection-limit):
// what may be marked, and what a mark does when the limit is reached.

/** The most options a voter may mark in `contest`. */
export function selectionLimit(contest) {
  switch (contest.kind) {
    case "plurality":
      return contest.votes_allowed;
    case "approval":
      return contest.options.length;
    case "referendum":
    case "party_list":
      return 1;
    default:
      return contest.options.length; // ranked: not voted in this booth (refused before)
  }
}

/** The interface key (and its values) of the rule stated above a contest's options. */
export function ruleOf(contest) {
  const limit = selectionLimit(contest);
  if (contest.kind === "referendum") return ["rule.referendum", {}];
  if (contest.kind === "party_list") return ["rule.list", {}];
  if (contest.kind === "approval") return ["rule.any", {}];
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

/** The 0/1 choice per option, in manifest order (spec/protocol.md#13.1). */
export function choicesOf(contest, marks) {
  return contest.options.map((_, index) => (marks.includes(index) ? 1 : 0));
}
