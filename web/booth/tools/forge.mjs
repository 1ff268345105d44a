// Forge a ballot for the Python tests (tests/booth/test_js_crypto.py), never for an election.
// Reads {"action", "manifest", "election", "ballot", "code", ...} as JSON on stdin and writes
// the forged ballot as JSON on stdout. Actions:
//   "resign": sign `ballot` again as it now stands (after the caller tampered with it);
//   "selection": the selection `option` of `contest` encrypts `value`, its selection proof and
//                the contest's limit proof (limit `limit`) simulated, re-signed.
import { readFileSync } from "node:fs";
import { osRandom } from "../src/crypto/index.js";
import { forgeSelection, resign } from "../testing/forge.mjs";

const request = JSON.parse(readFileSync(0, "utf8"));
const rng = osRandom();
const forged = request.action === "resign" ? resign({ ...request, rng }) : forgeSelection({ ...request, rng });
process.stdout.write(JSON.stringify(forged));
