// Credential codes and keys (spec/protocol.md#11).
import { CredentialCodeError } from "./errors.js";
import { G, mul } from "./group.js";
import { toHex } from "./bytes.js";
import { Transcript } from "./transcript.js";

/** §11.1: Crockford's base 32; a character's value is its position. */
export const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const DATA_CHARS = 20;
const ALIASES = /** @type {Record<string, string>} */ ({ O: "0", I: "1", L: "1" });

/** §11.1: the Luhn mod 32 check character of the 20 data characters. @param {string} data */
export function checkCharacter(data) {
  let total = 0;
  let factor = 2;
  for (let i = data.length - 1; i >= 0; i--) {
    const addend = factor * ALPHABET.indexOf(data[i]);
    total += Math.floor(addend / 32) + (addend % 32);
    factor = factor === 2 ? 1 : 2;
  }
  return ALPHABET[(32 - (total % 32)) % 32];
}

/** §11.1 grouping: `XXXXX-XXXXX-XXXXX-XXXXX-C`. @param {string} code */
const group = (code) => code.match(/.{1,5}/g)?.join("-") ?? "";

/**
 * §11.1 normalisation: upper case, drop spaces and `-`, read O as 0 and I, L as 1; then
 * exactly 21 characters of the alphabet whose last is the check character of the others.
 * Returns the canonical (grouped) form; throws CredentialCodeError saying which rule failed.
 * @param {unknown} text @returns {string}
 */
export function normaliseCode(text) {
  if (typeof text !== "string") throw new CredentialCodeError("empty", "expected text");
  const chars = [...text.toUpperCase()].filter((c) => c !== " " && c !== "-").map((c) => ALIASES[c] ?? c);
  if (chars.length === 0) throw new CredentialCodeError("empty", "no code was typed", { count: 0 });
  if (chars.length !== DATA_CHARS + 1) {
    throw new CredentialCodeError("length", `expected ${DATA_CHARS + 1} characters, got ${chars.length}`, { count: chars.length });
  }
  const stranger = chars.find((c) => !ALPHABET.includes(c));
  if (stranger !== undefined) {
    const bad = [...new Set(chars.filter((c) => !ALPHABET.includes(c)))].sort().join("");
    throw new CredentialCodeError("character", `characters not in the alphabet: ${bad}`, { character: stranger });
  }
  const data = chars.slice(0, DATA_CHARS).join("");
  if (checkCharacter(data) !== chars[DATA_CHARS]) {
    throw new CredentialCodeError("check", "the check character does not match: a typing error?");
  }
  return group(data + chars[DATA_CHARS]);
}

/** §11.2: the transcript of a credential's secret. @param {string} canonical @param {string} electionId */
export function credentialTranscript(canonical, electionId) {
  return new Transcript("credential/secret").text("election_id", electionId).text("code", canonical);
}

/**
 * §11.2: `secret = from_wide(SHA-512(transcript(credential/secret; election_id, code)))`,
 * `public = secret*G`, for any typed form of the code.
 * @param {string} code @param {string} electionId
 * @returns {{secret: bigint, publicKey: Uint8Array, publicHex: string}}
 */
export function credentialKeys(code, electionId) {
  const secret = credentialTranscript(normaliseCode(code), electionId).challenge();
  const publicKey = mul(G, secret).toBytes();
  return { secret, publicKey, publicHex: toHex(publicKey) };
}
