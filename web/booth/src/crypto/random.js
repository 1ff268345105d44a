// Sources of randomness, always passed in (spec/protocol.md#8 for the seeded one).
import { sha512 } from "@noble/hashes/sha2.js";
import { concat, u64, utf8 } from "./bytes.js";
import { scalarFromWide } from "./group.js";

/**
 * What the booth needs from a source of randomness, as src/suffrage/core/randomness.py.
 * @typedef {object} RandomSource
 * @property {() => bigint} scalar a uniformly random scalar
 * @property {(count: number) => bigint[]} scalars `count` calls of `scalar`
 * @property {(size: number) => Uint8Array} token `size` uniformly random bytes
 */

/**
 * The platform's source (`crypto.getRandomValues`, or the function given): a scalar is 64
 * random bytes reduced modulo l (§2.2), so it is uniform.
 * @param {(bytes: Uint8Array) => Uint8Array} [fill]
 * @returns {RandomSource}
 */
export function osRandom(fill) {
  const get = fill ?? ((/** @type {Uint8Array} */ b) => globalThis.crypto.getRandomValues(b));
  const token = (/** @type {number} */ size) => {
    const out = new Uint8Array(size);
    for (let at = 0; at < size; at += 65536) get(out.subarray(at, Math.min(size, at + 65536)));
    return out;
  };
  const scalar = () => scalarFromWide(token(64));
  return { scalar, scalars: (count) => Array.from({ length: count }, scalar), token };
}

const SEEDED = utf8("suffrage/1/seeded-random");

/**
 * §8, for tests only: output `i` is `SHA-512("suffrage/1/seeded-random" || u64(len(seed)) ||
 * seed || u64(i))`; a scalar takes one output (wide, §2.2); `n` bytes take the next
 * `ceil(n / 64)` outputs, concatenated and cut to `n`. A text seed is its UTF-8 bytes.
 * @param {Uint8Array|string} seed
 * @returns {RandomSource}
 */
export function seededRandom(seed) {
  const bytes = typeof seed === "string" ? utf8(seed) : Uint8Array.from(seed);
  const head = concat([SEEDED, u64(bytes.length), bytes]);
  let counter = 0;
  const block = () => sha512(concat([head, u64(counter++)]));
  const scalar = () => scalarFromWide(block());
  const token = (/** @type {number} */ size) => {
    const blocks = [];
    for (let n = 0; n < size; n += 64) blocks.push(block());
    return concat(blocks).slice(0, size);
  };
  return { scalar, scalars: (count) => Array.from({ length: count }, scalar), token };
}
