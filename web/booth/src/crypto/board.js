// Tracking codes and their display form (spec/protocol.md#14.1, #14.2).
import { concat, fromHex, toHex } from "./bytes.js";
import { Transcript } from "./transcript.js";

/** @typedef {import("./ballot.js").ElectionJson} ElectionJson */

/** §14.1: `code_0 = SHA-512(transcript(tracking-code/start; base_hash))`. @param {ElectionJson} election */
export function chainStart(election) {
  return new Transcript("tracking-code/start").append("base_hash", fromHex(election.base_hash, "election.base_hash", 64)).digest();
}

/**
 * §14.1: `code_n` from the previous code, the sequence, the state, the ballot hash and the
 * signature (`R || s`, from the ballot's JSON signature).
 * @param {{previous: Uint8Array, sequence: number, state: "cast"|"spoiled", ballotHash: Uint8Array, signature: {commitment: string, response: string}}} a
 * @returns {Uint8Array}
 */
export function trackingCode({ previous, sequence, state, ballotHash, signature }) {
  if (state !== "cast" && state !== "spoiled") throw new RangeError(`state is "cast" or "spoiled", not ${JSON.stringify(state)}`);
  const sig = concat([
    fromHex(signature.commitment, "signature.commitment", 32), fromHex(signature.response, "signature.response", 32),
  ]);
  return new Transcript("tracking-code")
    .append("previous", previous)
    .integer("sequence", sequence)
    .text("state", state)
    .append("ballot_hash", ballotHash)
    .append("signature", sig)
    .digest();
}

/** §14.2: the first 10 bytes as 20 upper-case hex digits in groups of four. @param {Uint8Array} code */
export function displayCode(code) {
  const text = toHex(code.slice(0, 10)).toUpperCase();
  return /** @type {string[]} */ (text.match(/.{4}/g)).join("-");
}
