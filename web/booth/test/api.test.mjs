// The public surface of src/crypto/index.js: exactly these names, so that a change is deliberate.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as crypto from "../src/crypto/index.js";

const PUBLIC = [
  // errors
  "CredentialCodeError", "InvalidBallot", "InvalidEncoding", "InvalidInput", "ProofRejected", "SuffrageError", "UnsupportedOperation",
  // §2 group and §2.4 text forms
  "G", "L", "O", "elementFromBytes", "elementFromHex", "elementHex", "fromHex", "scalarFromBytes", "scalarFromHex",
  "scalarFromWide", "scalarHex", "scalarToBytes", "toHex",
  // §3 transcripts, §8 randomness, §4.2 ElGamal, §6 proofs
  "PROTOCOL_LABEL", "Transcript", "osRandom", "seededRandom", "addCiphertexts", "encrypt", "MAX_RANGE",
  "checkChaumPedersen", "checkRange", "checkSchnorr", "proveChaumPedersen", "proveRange", "proveSchnorr",
  // §11 credentials, manifest, §13 ballots, §14 board
  "ALPHABET", "checkCharacter", "credentialKeys", "normaliseCode", "isRanked", "selectionLimit", "styleContests", "ballotHash",
  "ballotTranscript", "checkChoices", "encryptBallot", "fingerprint", "proofContext", "rankContext", "readElection", "reencrypts",
  "signBallot", "chainStart", "displayCode", "trackingCode",
];

test("index.js exports exactly the public API", () => {
  assert.deepEqual(Object.keys(crypto).sort(), [...PUBLIC].sort());
});

test("errors carry field and reason, and the tree of errors.js", () => {
  const error = new crypto.InvalidBallot("choices.mayor", "too many");
  assert.ok(error instanceof crypto.InvalidInput && error instanceof crypto.SuffrageError && error instanceof Error);
  assert.deepEqual([error.name, error.field, error.reason, error.message], ["InvalidBallot", "choices.mayor", "too many", "choices.mayor: too many"]);
  assert.ok(new crypto.CredentialCodeError("check", "x") instanceof crypto.InvalidInput);
  assert.ok(!(new crypto.UnsupportedOperation("f", "r") instanceof crypto.InvalidInput));
});

test("the OS source draws from getRandomValues, or from the function given", () => {
  const fills = [];
  const rng = crypto.osRandom((bytes) => { fills.push(bytes.length); return bytes.fill(7); });
  assert.deepEqual([...rng.token(3)], [7, 7, 7]);
  assert.equal(typeof rng.scalar(), "bigint");
  assert.deepEqual(fills, [3, 64]);
  const real = crypto.osRandom();
  assert.notDeepEqual(real.token(16), real.token(16));
});
