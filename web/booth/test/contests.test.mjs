// The booth's ranking commands (src/ui/contests.js) and what they hand the crypto layer: a
// ranked contest's `m` ranks, rank 1 first, each the position 1..m of the option ranked
// there or 0 (spec/protocol.md#13.1), which encryptBallot accepts as it is.
import assert from "node:assert/strict";
import { test } from "node:test";
import { choicesOf, moveRank, rankNext, rankingOf, ruleOf, selectionLimit, unrank } from "../src/ui/contests.js";
import { checkChoices } from "../src/crypto/ballot.js";

const option = (id) => ({ option_id: id, name: { en: id } });
const ranked = { contest_id: "runoff", kind: "ranked", method: "irv", options: ["a", "b", "c", "d"].map(option) };
const plurality = { contest_id: "mayor", kind: "plurality", votes_allowed: 1, options: ["x", "y"].map(option) };
const manifest = { election_id: "e", contests: [plurality, ranked], ballot_styles: [{ style_id: "s", contest_ids: ["mayor", "runoff"] }] };

test("a ranking is the ranks of §13.1: the k-th value is the position of the option ranked k-th", () => {
  assert.deepEqual(choicesOf(ranked, []), [0, 0, 0, 0]);
  assert.deepEqual(choicesOf(ranked, [1, 3, 0]), [2, 4, 1, 0]);
  assert.deepEqual(choicesOf(ranked, [3, 2, 1, 0]), [4, 3, 2, 1]);
  assert.deepEqual(choicesOf(plurality, [1]), [0, 1], "a 0/1 contest is unchanged");
  const filled = checkChoices(manifest, "s", { mayor: choicesOf(plurality, [0]), runoff: choicesOf(ranked, [2, 0]) });
  assert.deepEqual(filled.map((f) => f.values), [[1, 0], [3, 1, 0, 0]], "ballot.js takes it as it is");
});

test("the commands: rank next, move up and down (never past an end), remove (no rank left empty)", () => {
  let marks = rankNext(rankNext(rankNext([], 1), 3), 0);
  assert.deepEqual(marks, [1, 3, 0]);
  assert.equal(rankNext(marks, 3), marks, "ranking a ranked option changes nothing");
  marks = moveRank(marks, 0, -1);
  assert.deepEqual(marks, [1, 0, 3]);
  assert.equal(moveRank(marks, 1, -1), marks, "the first does not move up");
  assert.equal(moveRank(marks, 3, 1), marks, "the last does not move down");
  assert.equal(moveRank(marks, 2, 1), marks, "an option not ranked does not move");
  assert.deepEqual(moveRank(marks, 1, 1), [0, 1, 3]);
  assert.deepEqual(unrank(marks, 1), [0, 3]);
  assert.deepEqual(choicesOf(ranked, unrank(marks, 1)), [1, 4, 0, 0]);
});

test("an opened ranking is shown rank by rank, skipped ranks kept as they are", () => {
  assert.deepEqual(rankingOf([2, 4, 1, 0]), [[1, 1], [2, 3], [3, 0]]);
  assert.deepEqual(rankingOf([0, 3, 0, 3]), [[2, 2], [4, 2]]);
  assert.deepEqual(rankingOf([0, 0, 0, 0]), []);
});

test("a ranked contest's rule and limit: every option may be ranked", () => {
  assert.deepEqual(ruleOf(ranked), ["rule.ranked", {}]);
  assert.equal(selectionLimit(ranked), 4);
});
