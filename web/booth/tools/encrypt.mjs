// Encrypt one ballot with the booth's module, for the Python tests (tests/booth/test_js_crypto.py).
// Reads {"manifest", "election", "style", "choices", "code", "seed"?} (seed: hex, for the
// seeded source of spec/protocol.md#8; else the platform's source) as JSON on stdin; writes
// {"ballot", "reveal", "ballot_hash", "fingerprint"} as JSON on stdout. An error is written as
// {"error": {"name", "field", "reason"}} with exit status 1.
import { readFileSync } from "node:fs";
import { encryptBallot, fromHex, osRandom, seededRandom, toHex } from "../src/crypto/index.js";

const request = JSON.parse(readFileSync(0, "utf8"));
try {
  const rng = request.seed === undefined ? osRandom() : seededRandom(fromHex(request.seed, "seed"));
  const made = encryptBallot({
    manifest: request.manifest, election: request.election, styleId: request.style, choices: request.choices,
    code: request.code, rng,
  });
  process.stdout.write(JSON.stringify({
    ballot: made.ballot, reveal: made.reveal, ballot_hash: toHex(made.ballotHash), fingerprint: made.fingerprint,
  }));
} catch (error) {
  const e = /** @type {any} */ (error);
  process.stdout.write(JSON.stringify({ error: { name: e.name, field: e.field ?? null, reason: e.reason ?? String(e) } }));
  process.exitCode = 1;
}
