// tests/vectors/ranked_ballot.json reproduced byte for byte: a ballot with a ranked contest
// (spec/protocol.md#13.1-13.4), and bad rankings refused before anything is drawn.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  InvalidBallot, ballotHash, ballotTranscript, checkRange, credentialKeys, elementFromHex, encryptBallot, fingerprint,
  fromHex, rankContext, reencrypts, scalarFromHex, seededRandom, toHex,
} from "../src/crypto/index.js";
import { Transcript } from "../src/crypto/transcript.js";
import { vectors } from "../testing/paths.mjs";

const DATA = vectors("ranked_ballot.json");
const RANKED = "runoff";
const baseHash = fromHex(DATA.election.base_hash, "base_hash");
const credential = () => credentialKeys(DATA.code, DATA.manifest.election_id).publicKey;
/** A source that fails the test if anything draws from it. */
const untouchable = {
  scalar: () => assert.fail("drew a scalar"), scalars: () => assert.fail("drew scalars"), token: () => assert.fail("drew bytes"),
};
const encrypt = (/** @type {Record<string, unknown>} */ choices, rng = /** @type {any} */ (untouchable)) => encryptBallot({
  manifest: DATA.manifest, election: DATA.election, styleId: "east", choices, code: DATA.code, rng,
});

test("each rank proof's context is §13.2's transcript, byte for byte", () => {
  for (const v of DATA.rank_contexts) {
    const t = new Transcript("ballot/rank-context")
      .append("base_hash", baseHash).append("credential", credential()).text("contest_id", RANKED).integer("rank", v.rank);
    assert.equal(toHex(t.data), v.transcript);
    assert.equal(toHex(rankContext(baseHash, credential(), RANKED, v.rank)), v.context);
  }
});

for (const v of DATA.ballots) {
  test(`ranked ballot ${v.seed}: byte for byte as Python's encrypt_ballot (§13)`, () => {
    const made = encrypt(v.choices, seededRandom(v.seed));
    assert.deepEqual(made.ballot, v.ballot);
    assert.deepEqual(made.reveal, v.reveal);
    assert.equal(toHex(made.ballotHash), v.ballot_hash);
    assert.equal(made.fingerprint, v.fingerprint);
    assert.equal(fingerprint(fromHex(v.ballot_hash, "hash")), v.fingerprint);
    assert.equal(toHex(ballotTranscript(baseHash, v.ballot).data), v.ballot_hash_transcript);
    assert.equal(toHex(ballotHash(DATA.election, v.ballot)), v.ballot_hash);
    assert.equal(reencrypts(DATA.election, v.ballot, v.reveal), true);
  });
}

test("every rank proof passes P3 with R = m, purpose rank, its rank's context", () => {
  const key = elementFromHex(DATA.election.joint_key, "joint_key");
  const ranks = DATA.ballots[0].ballot.contests.find((/** @type {any} */ c) => c.contest_id === RANKED).ranks;
  assert.equal(ranks.length, 3);
  ranks.forEach((/** @type {any} */ rank, /** @type {number} */ i) => {
    const proof = {
      commitments_g: rank.proof.commitments_g.map((/** @type {string} */ x) => elementFromHex(x, "A", { identity: true })),
      commitments_k: rank.proof.commitments_k.map((/** @type {string} */ x) => elementFromHex(x, "B", { identity: true })),
      challenges: rank.proof.challenges.map((/** @type {string} */ x) => scalarFromHex(x, "c")),
      responses: rank.proof.responses.map((/** @type {string} */ x) => scalarFromHex(x, "s")),
    };
    const ciphertext = { alpha: elementFromHex(rank.ciphertext.alpha, "alpha"), beta: elementFromHex(rank.ciphertext.beta, "beta") };
    const claim = { ciphertext, key, limit: 3, purpose: "rank", context: rankContext(baseHash, credential(), RANKED, i + 1) };
    checkRange(proof, claim);
    assert.throws(() => checkRange(proof, { ...claim, context: rankContext(baseHash, credential(), RANKED, ((i + 1) % 3) + 1) }));
  });
});

test("a spoiled ranked ballot's reveal is checked on the device: another ranking fails", () => {
  const v = DATA.ballots[1];
  const other = structuredClone(v.reveal);
  other[RANKED].values = [2, 0, 1];
  assert.equal(reencrypts(DATA.election, v.ballot, other), false);
  const outside = structuredClone(v.reveal);
  outside[RANKED].values = [4, 0, 2];
  assert.equal(reencrypts(DATA.election, v.ballot, outside), false);
  const short = structuredClone(v.reveal);
  short[RANKED].values.pop();
  assert.equal(reencrypts(DATA.election, v.ballot, short), false);
});

test("a ranking of the wrong length or with a value outside 0..m is refused before any draw", () => {
  const choices = DATA.ballots[0].choices;
  const refused = (/** @type {unknown} */ ranking, /** @type {string} */ reason) => assert.throws(
    () => encrypt({ ...choices, [RANKED]: ranking }),
    (/** @type {any} */ e) => e instanceof InvalidBallot && e.field === `choices.${RANKED}` && e.reason === reason,
  );
  refused([1, 2], "expected 3 ranks, got 2");
  refused([1, 2, 3, 0], "expected 3 ranks, got 4");
  refused([4, 0, 0], "rank 1: 4 is not 0 (no option) or an option's 1..3");
  refused([1, -1, 0], "rank 2: -1 is not 0 (no option) or an option's 1..3");
  refused([1, 2, 1.5], "rank 3: 1.5 is not 0 (no option) or an option's 1..3");
  refused([1, "2", 0], 'rank 2: "2" is not 0 (no option) or an option\'s 1..3');
  refused({ gale: 1 }, "expected an array of 3 ranks, first preference first");
});
