// Exponential ElGamal (spec/protocol.md#4.2).
import { G, O, mul } from "./group.js";

/** @typedef {import("./group.js").Element} Element */
/** @typedef {{alpha: Element, beta: Element}} Ciphertext */

/**
 * §4.2: `Enc_K(v; r) = (r*G, v*G + r*K)` for a small non-negative integer `v`.
 * @param {number} value @param {bigint} nonce @param {Element} key @returns {Ciphertext}
 */
export function encrypt(value, nonce, key) {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError("exponential ElGamal encrypts non-negative integers only");
  return { alpha: mul(G, nonce), beta: mul(G, BigInt(value)).add(mul(key, nonce)) };
}

/** §4.2: the component-wise sum of ciphertexts (`(O, O)` for none). @param {Ciphertext[]} cts */
export function addCiphertexts(cts) {
  return cts.reduce((s, c) => ({ alpha: s.alpha.add(c.alpha), beta: s.beta.add(c.beta) }), { alpha: O, beta: O });
}
