// Bad input is refused before anything is encrypted, with an error naming the field.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CredentialCodeError, InvalidBallot, InvalidEncoding, L, elementFromHex, encryptBallot,
  normaliseCode, scalarFromHex, toHex, scalarToBytes, seededRandom,
} from "../src/crypto/index.js";
import { vectors } from "../testing/paths.mjs";

const DATA = vectors("ballots.json");
const CAST = DATA.ballots[0];
/** A source that fails the test if anything draws from it. */
const untouchable = {
  scalar: () => assert.fail("drew a scalar"), scalars: () => assert.fail("drew scalars"), token: () => assert.fail("drew bytes"),
};
const encrypt = (/** @type {object} */ changes) => encryptBallot({
  manifest: DATA.manifest, election: DATA.election, styleId: "east", choices: CAST.choices, code: CAST.code,
  rng: untouchable, ...changes,
});

test("a wrong check character is reported as such, at once", () => {
  const code = CAST.code;
  const wrong = code.slice(0, -1) + (code.endsWith("0") ? "1" : "0");
  assert.throws(() => normaliseCode(wrong), (/** @type {any} */ e) => {
    assert.ok(e instanceof CredentialCodeError);
    assert.equal(e.field, "credential");
    assert.equal(e.problem, "check");
    assert.match(e.message, /^credential: the check character does not match/);
    return true;
  });
  assert.throws(() => encrypt({ code: wrong }), { problem: "check" });
});

test("a code of the wrong length or with a stranger character says which", () => {
  assert.throws(() => normaliseCode("01KM9-Q0ZX1"), { problem: "length", count: 10, reason: "expected 21 characters, got 10" });
  assert.throws(() => normaliseCode(" - "), { problem: "empty" });
  assert.throws(() => normaliseCode("U1KM9-Q0ZX1-TPRAB-0C1DE-Q"), { problem: "character", character: "U" });
  assert.throws(() => normaliseCode(/** @type {any} */ (42)), CredentialCodeError);
});

test("more marks than the selection limit are refused", () => {
  assert.throws(() => encrypt({ choices: { ...CAST.choices, mayor: [1, 1, 0] } }), {
    name: "InvalidBallot", field: "choices.mayor", reason: "2 selections, more than the limit 1",
  });
  assert.throws(() => encrypt({ choices: { ...CAST.choices, board: [1, 1, 1] } }), { field: "choices.board" });
  assert.throws(() => encrypt({ choices: { ...CAST.choices, mayor: [0, 2, 0] } }), { reason: "each selection must be 0 or 1" });
  assert.throws(() => encrypt({ choices: { ...CAST.choices, mayor: [0, true, 0] } }), InvalidBallot);
});

test("an unknown option, a wrong number of options, an unknown or missing contest are refused", () => {
  assert.throws(() => encrypt({ choices: { ...CAST.choices, mayor: { ada: 1, zed: 1 } } }), {
    name: "InvalidBallot", field: "choices.mayor.zed", reason: 'no option "zed" in contest mayor',
  });
  assert.throws(() => encrypt({ choices: { ...CAST.choices, mayor: [0, 1] } }), { reason: "expected 3 selections, got 2" });
  assert.throws(() => encrypt({ choices: { ...CAST.choices, budget: [1, 0] } }), {
    field: "choices", reason: 'contests not on ballot style "east": budget',
  });
  const { board: _, ...missing } = CAST.choices;
  assert.throws(() => encrypt({ choices: missing }), { field: "choices", reason: "no choice given for contests board" });
  assert.throws(() => encrypt({ styleId: "north" }), { field: "style_id" });
});

test("choices by option id give the same ballot as choices in option order", () => {
  const byId = { mayor: { brian: 1 }, board: { dara: 1, femi: 1 }, charter: { yes: 1, no: 0 } };
  const a = encrypt({ choices: byId, rng: seededRandom(CAST.seed) });
  assert.deepEqual(a.ballot, CAST.ballot);
});

test("a 0/1 choice for a contest the manifest makes ranked is refused as a ranking", () => {
  const manifest = structuredClone(DATA.manifest);
  manifest.contests[0].kind = "ranked";
  assert.throws(() => encrypt({ manifest, choices: { ...CAST.choices, mayor: [0, 1] } }), {
    name: "InvalidBallot", field: "choices.mayor", reason: "expected 3 ranks, got 2",
  });
  manifest.contests[0].kind = "borda";
  assert.throws(() => encrypt({ manifest }), { field: "choices.mayor.kind", reason: 'unknown contest kind "borda"' });
});

test("non-canonical hex is refused naming the field (§2.4)", () => {
  const key = DATA.election.joint_key;
  const cases = [
    key.toUpperCase(), // upper-case digits
    key.slice(2), // too short
    ` ${key.slice(1)}`, // white space
    `${key}00`, // too long
    "00".repeat(32), // the identity
    `ed${"ff".repeat(30)}7f`, // a non-canonical field element (RFC 9496 A.2)
  ];
  for (const text of cases) {
    assert.throws(() => encrypt({ election: { ...DATA.election, joint_key: text } }), (/** @type {any} */ e) => {
      assert.ok(e instanceof InvalidEncoding, `${text}: ${e}`);
      assert.equal(e.field, "election.joint_key");
      return true;
    });
  }
  assert.throws(() => encrypt({ election: { ...DATA.election, base_hash: DATA.election.base_hash.slice(2) } }), { field: "election.base_hash" });
  assert.throws(() => scalarFromHex(toHex(scalarToBytes(L - 1n)).replace(/^ec/, "ed"), "response"), {
    field: "response", reason: "not a canonical scalar (not below the group order)",
  });
  assert.throws(() => scalarFromHex("ab", "response"), { field: "response" });
});

test("every invalid encoding of RFC 9496 A.2 is refused, every valid one round-trips", () => {
  const rfc = vectors("rfc9496.json");
  for (const v of rfc.invalid_encodings) {
    const hex = typeof v === "string" ? v : v.encoding ?? v.hex;
    assert.throws(() => elementFromHex(hex, "key", { identity: true }), InvalidEncoding, hex);
  }
  for (const hex of rfc.generator_multiples) {
    assert.equal(toHex(elementFromHex(hex, "key", { identity: true }).toBytes()), hex);
  }
});
