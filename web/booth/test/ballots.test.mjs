// tests/vectors/ballots.json reproduced byte for byte (spec/protocol.md#11, #13, #14).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ballotHash, ballotTranscript, chainStart, checkRange, checkSchnorr, credentialKeys, displayCode, elementFromHex,
  encryptBallot, fingerprint, fromHex, normaliseCode, reencrypts, scalarFromHex, scalarHex, seededRandom, toHex,
  trackingCode,
} from "../src/crypto/index.js";
import { credentialTranscript } from "../src/crypto/credentials.js";
import { vectors } from "../testing/paths.mjs";

const DATA = vectors("ballots.json");

for (const v of DATA.credentials) {
  test(`credential ${v.code}: every typed form gives the key (§11)`, () => {
    assert.equal(toHex(credentialTranscript(v.code, v.election_id).data), v.transcript);
    for (const typed of v.typed) {
      assert.equal(normaliseCode(typed), v.code, typed);
      const keys = credentialKeys(typed, v.election_id);
      assert.equal(scalarHex(keys.secret), v.secret);
      assert.equal(keys.publicHex, v.public);
      assert.equal(toHex(keys.publicKey), v.public);
    }
  });
}

for (const v of DATA.refused_codes) {
  test(`the code ${v.typed} is refused: ${v.problem} (§11.1)`, () => {
    assert.throws(() => normaliseCode(v.typed), { name: "CredentialCodeError", field: "credential", problem: v.problem });
  });
}

for (const v of DATA.ballots) {
  test(`ballot ${v.seed}: byte for byte as Python's encrypt_ballot (§13)`, () => {
    const made = encryptBallot({
      manifest: DATA.manifest, election: DATA.election, styleId: v.style_id, choices: v.choices,
      code: v.code.toLowerCase(), rng: seededRandom(v.seed),
    });
    assert.deepEqual(made.ballot, v.ballot);
    assert.deepEqual(made.reveal, v.reveal);
    assert.equal(toHex(made.ballotHash), v.ballot_hash);
    assert.equal(made.fingerprint, v.fingerprint);
    assert.equal(fingerprint(fromHex(v.ballot_hash, "hash")), v.fingerprint);
    const baseHash = fromHex(DATA.election.base_hash, "base_hash");
    assert.equal(toHex(ballotTranscript(baseHash, v.ballot).data), v.ballot_hash_transcript);
    assert.equal(toHex(ballotHash(DATA.election, v.ballot)), v.ballot_hash);
    assert.equal(reencrypts(DATA.election, v.ballot, v.reveal), true);
  });
}

test("the vector ballot's signature and limit proofs pass P1 and P3 (self-test)", () => {
  const v = DATA.ballots[0];
  const sig = v.ballot.signature;
  checkSchnorr(
    { commitment: elementFromHex(sig.commitment, "c"), response: scalarFromHex(sig.response, "r") },
    {
      publicKey: elementFromHex(v.ballot.credential, "k"), context: fromHex(DATA.election.base_hash, "b"),
      message: fromHex(v.ballot_hash, "h"), purpose: "ballot-signature",
    },
  );
  const other = structuredClone(v.reveal);
  other.mayor.values = [1, 0, 0];
  assert.equal(reencrypts(DATA.election, v.ballot, other), false);
  assert.equal(typeof checkRange, "function");
});

test("tracking codes: code_0, then a cast and a spoiled entry (§14.1, §14.2)", () => {
  const t = DATA.tracking;
  let previous = chainStart(DATA.election);
  assert.equal(toHex(previous), t.code_0);
  t.entries.forEach((entry, i) => {
    const ballot = DATA.ballots[i].ballot;
    const code = trackingCode({
      previous, sequence: entry.sequence, state: entry.state, ballotHash: ballotHash(DATA.election, ballot), signature: ballot.signature,
    });
    assert.equal(toHex(code), entry.code);
    assert.equal(displayCode(code), entry.display);
    previous = code;
  });
});
