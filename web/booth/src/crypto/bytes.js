// Bytes, hex and integer fields (spec/protocol.md#1, #2.4, #3.1).
import { InvalidEncoding } from "./errors.js";

const HEX = /^[0-9a-f]*$/;
const ENCODER = new TextEncoder();

/** Lowercase hex of `bytes`. @param {Uint8Array} bytes @returns {string} */
export function toHex(bytes) {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/**
 * Strict hex (§2.4): lowercase digits only, exactly `size` bytes when given.
 * @param {unknown} text @param {string} field @param {number} [size] @returns {Uint8Array}
 */
export function fromHex(text, field, size) {
  if (typeof text !== "string") throw new InvalidEncoding(field, "expected a hex string");
  if (!HEX.test(text) || text.length % 2) {
    throw new InvalidEncoding(field, "expected lowercase hexadecimal digits (0-9, a-f), an even number of them");
  }
  if (size !== undefined && text.length !== 2 * size) {
    throw new InvalidEncoding(field, `expected ${2 * size} hex digits, got ${text.length}`);
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** UTF-8 bytes of `text` (§1). @param {string} text @returns {Uint8Array} */
export function utf8(text) {
  return ENCODER.encode(text);
}

/** `u64(n)`: 8 bytes big-endian (§1). @param {number|bigint} n @returns {Uint8Array} */
export function u64(n) {
  const value = BigInt(n);
  if (value < 0n || value >= 1n << 64n) throw new RangeError(`integer field out of range: ${n}`);
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, false);
  return out;
}

/** The concatenation of `parts`. @param {Uint8Array[]} parts @returns {Uint8Array} */
export function concat(parts) {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Whether two byte strings are equal. @param {Uint8Array} a @param {Uint8Array} b */
export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** A little-endian unsigned integer. @param {Uint8Array} bytes @returns {bigint} */
export function readLE(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

/** `n` as `size` bytes little-endian. @param {bigint} n @param {number} size */
export function writeLE(n, size) {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    out[i] = Number(n & 0xffn);
    n >>= 8n;
  }
  return out;
}
