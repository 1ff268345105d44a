// The group ristretto255 (spec/protocol.md#2): strict scalars and elements, and the arithmetic.
import { ristretto255 } from "@noble/curves/ed25519.js";
import { equalBytes, fromHex, readLE, toHex, writeLE } from "./bytes.js";
import { InvalidEncoding } from "./errors.js";

/** @typedef {InstanceType<typeof ristretto255.Point>} Element */

export const Point = ristretto255.Point;
const Fn = Point.Fn;
/** The group order l (§1). */
export const L = Fn.ORDER;
/** The generator G and the identity O (§1). */
export const G = Point.BASE;
export const O = Point.ZERO;

/** §2.2: a canonical scalar from 32 bytes little-endian; refuses >= l. */
export function scalarFromBytes(/** @type {Uint8Array} */ bytes, field = "scalar") {
  if (bytes.length !== 32) throw new InvalidEncoding(field, `a scalar is 32 bytes, got ${bytes.length}`);
  const n = readLE(bytes);
  if (n >= L) throw new InvalidEncoding(field, "not a canonical scalar (not below the group order)");
  return n;
}

/** §2.2: the 32-byte little-endian encoding of a scalar. @param {bigint} s */
export function scalarToBytes(s) {
  return writeLE(Fn.create(s), 32);
}

/** §2.2: a wide scalar: exactly 64 bytes little-endian, reduced modulo l. */
export function scalarFromWide(/** @type {Uint8Array} */ bytes) {
  if (bytes.length !== 64) throw new RangeError(`a wide scalar is 64 bytes, got ${bytes.length}`);
  return Fn.create(readLE(bytes));
}

/**
 * §2.3: an element by RFC 9496 DECODE, refusing anything that does not re-encode to the same
 * bytes and, unless `identity` is allowed, the identity.
 * @param {Uint8Array} bytes @param {string} [field] @param {{identity?: boolean}} [options]
 * @returns {Element}
 */
export function elementFromBytes(bytes, field = "element", { identity = false } = {}) {
  if (bytes.length !== 32) throw new InvalidEncoding(field, `an element is 32 bytes, got ${bytes.length}`);
  let point;
  try {
    point = Point.fromBytes(bytes);
  } catch {
    throw new InvalidEncoding(field, "not the canonical encoding of a ristretto255 element");
  }
  if (!equalBytes(point.toBytes(), bytes)) {
    throw new InvalidEncoding(field, "not the canonical encoding of a ristretto255 element");
  }
  if (!identity && point.is0()) throw new InvalidEncoding(field, "the identity element is not allowed here");
  return point;
}

/** §2.4: a scalar from its 64 lowercase hex digits. @param {unknown} text @param {string} field */
export function scalarFromHex(text, field) {
  return scalarFromBytes(fromHex(text, field, 32), field);
}

/** §2.4: an element from its 64 lowercase hex digits. */
export function elementFromHex(
  /** @type {unknown} */ text, /** @type {string} */ field, /** @type {{identity?: boolean}} */ options = {},
) {
  return elementFromBytes(fromHex(text, field, 32), field, options);
}

/** §2.4 text forms. @param {bigint} s */
export const scalarHex = (s) => toHex(scalarToBytes(s));
/** @param {Element} e */
export const elementHex = (e) => toHex(e.toBytes());

/**
 * `s*P` at the same cost for every `s`, zero included (noble refuses to multiply by 0: the
 * multiplication by 1 stands in for it so that no secret scalar changes the work done).
 * @param {Element} point @param {bigint} s @returns {Element}
 */
export function mul(point, s) {
  const k = Fn.create(s);
  const product = point.multiply(k === 0n ? 1n : k);
  return k === 0n ? O : product;
}

/** Scalar arithmetic modulo l. */
export const add = (/** @type {bigint} */ a, /** @type {bigint} */ b) => Fn.add(a, b);
export const sub = (/** @type {bigint} */ a, /** @type {bigint} */ b) => Fn.sub(a, b);
export const times = (/** @type {bigint} */ a, /** @type {bigint} */ b) => Fn.mul(a, b);
export const scalar = (/** @type {number|bigint} */ n) => Fn.create(BigInt(n));
