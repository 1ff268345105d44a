// tests/vectors/proofs.json reproduced byte for byte (spec/protocol.md#6, #8), and P1-P3.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  G, ProofRejected, checkChaumPedersen, checkRange, checkSchnorr, elementFromHex, elementHex, encrypt, fromHex,
  proveChaumPedersen, proveRange, proveSchnorr, scalarFromHex, scalarHex, seededRandom, toHex,
} from "../src/crypto/index.js";
import { chaumPedersenTranscript, rangeTranscript, schnorrTranscript } from "../src/crypto/proofs.js";
import { vectors } from "../testing/paths.mjs";

const DATA = vectors("proofs.json");
const E = (/** @type {string} */ hex) => elementFromHex(hex, "vector");
const S = (/** @type {string} */ hex) => scalarFromHex(hex, "vector");

test("the seeded source gives the published scalars (§8)", () => {
  const rng = seededRandom(DATA.seeded_random[0].seed);
  for (const v of DATA.seeded_random) assert.equal(scalarHex(rng.scalar()), v.scalar);
});

for (const v of DATA.schnorr) {
  test(`Schnorr ${v.seed}: transcript, challenge, proof (§6.1)`, () => {
    const rng = seededRandom(v.seed);
    const secret = rng.scalar();
    const publicKey = G.multiply(secret);
    assert.equal(elementHex(publicKey), v.public);
    const args = { publicKey, context: fromHex(v.context, "context"), purpose: v.purpose, message: fromHex(v.message, "message") };
    const proof = proveSchnorr({ ...args, secret, rng });
    assert.deepEqual({ commitment: elementHex(proof.commitment), response: scalarHex(proof.response) }, v.proof);
    const t = schnorrTranscript({ ...args, base: G, commitment: proof.commitment });
    assert.equal(toHex(t.data), v.transcript);
    assert.equal(scalarHex(t.challenge()), v.challenge);
    checkSchnorr(proof, args);
    assert.throws(() => checkSchnorr({ ...proof, response: proof.response + 1n }, args), ProofRejected);
    assert.throws(() => checkSchnorr(proof, { ...args, message: new Uint8Array([1]) }), ProofRejected);
  });
}

for (const v of DATA.chaum_pedersen) {
  test(`Chaum-Pedersen ${v.seed}: transcript, challenge, proof (§6.2)`, () => {
    const rng = seededRandom(v.seed);
    const [secret, other] = [rng.scalar(), rng.scalar()];
    const base2 = G.multiply(other);
    const statement = {
      base1: G, public1: G.multiply(secret), base2, public2: base2.multiply(secret),
      context: fromHex(v.context, "context"), purpose: v.purpose,
    };
    assert.deepEqual([elementHex(statement.public1), elementHex(base2), elementHex(statement.public2)], [v.public_1, v.base_2, v.public_2]);
    const proof = proveChaumPedersen({ ...statement, secret, rng });
    assert.deepEqual(
      { commitment_1: elementHex(proof.commitment_1), commitment_2: elementHex(proof.commitment_2), response: scalarHex(proof.response) },
      v.proof,
    );
    const t = chaumPedersenTranscript({ ...statement, commitment1: proof.commitment_1, commitment2: proof.commitment_2 });
    assert.equal(toHex(t.data), v.transcript);
    assert.equal(scalarHex(t.challenge()), v.challenge);
    checkChaumPedersen(proof, statement);
    assert.throws(() => checkChaumPedersen({ ...proof, response: proof.response + 1n }, statement), ProofRejected);
  });
}

for (const v of DATA.range) {
  test(`range ${v.seed} (R = ${v.limit}, v = ${v.value}): transcript, challenge, proof (§6.3)`, () => {
    const rng = seededRandom(v.seed);
    const key = G.multiply(rng.scalar());
    const nonce = rng.scalar();
    assert.equal(elementHex(key), v.key);
    assert.equal(scalarHex(nonce), v.nonce);
    const ciphertext = encrypt(v.value, nonce, key);
    assert.deepEqual([elementHex(ciphertext.alpha), elementHex(ciphertext.beta)], [v.alpha, v.beta]);
    const args = { ciphertext, key, limit: v.limit, context: fromHex(v.context, "context"), purpose: v.purpose };
    const proof = proveRange({ ...args, value: v.value, nonce, rng });
    assert.deepEqual(
      {
        commitments_g: proof.commitments_g.map(elementHex), commitments_k: proof.commitments_k.map(elementHex),
        challenges: proof.challenges.map(scalarHex), responses: proof.responses.map(scalarHex),
      },
      v.proof,
    );
    const t = rangeTranscript({ ...args, commitmentsG: proof.commitments_g, commitmentsK: proof.commitments_k });
    assert.equal(toHex(t.data), v.transcript);
    assert.equal(scalarHex(t.challenge()), v.challenge);
    checkRange(proof, args);
    // the published proof, decoded from its hex, passes P3 as well
    const published = {
      commitments_g: v.proof.commitments_g.map(E), commitments_k: v.proof.commitments_k.map(E),
      challenges: v.proof.challenges.map(S), responses: v.proof.responses.map(S),
    };
    checkRange(published, args);
  });
}

test("P3 refuses a proof with a challenge moved, a branch missing, another statement", () => {
  const rng = seededRandom("p3-refusals");
  const key = G.multiply(rng.scalar());
  const nonce = rng.scalar();
  const args = { ciphertext: encrypt(1, nonce, key), key, limit: 1, context: new Uint8Array(64), purpose: "selection" };
  const proof = proveRange({ ...args, value: 1, nonce, rng });
  checkRange(proof, args);
  const moved = { ...proof, challenges: [proof.challenges[0] + 1n, proof.challenges[1]] };
  assert.throws(() => checkRange(moved, args), { name: "ProofRejected", reason: "the branch challenges do not add up to the challenge" });
  const short = { ...proof, responses: proof.responses.slice(1) };
  assert.throws(() => checkRange(short, args), /expected 2 branches/);
  assert.throws(() => checkRange(proof, { ...args, ciphertext: encrypt(0, nonce, key) }), ProofRejected);
  assert.throws(() => checkRange(proof, { ...args, context: new Uint8Array(64).fill(1) }), ProofRejected);
});

test("the prover refuses a value outside the range", () => {
  const rng = seededRandom("outside");
  const key = G.multiply(rng.scalar());
  const nonce = rng.scalar();
  assert.throws(
    () => proveRange({ ciphertext: encrypt(2, nonce, key), value: 2, nonce, key, limit: 1, context: new Uint8Array(), purpose: "selection", rng }),
    /outside the range/,
  );
});
