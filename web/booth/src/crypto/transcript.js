// Transcripts and challenges (spec/protocol.md#3).
import { sha512 } from "@noble/hashes/sha2.js";
import { concat, u64, utf8 } from "./bytes.js";
import { scalarFromWide, scalarToBytes } from "./group.js";

/** @typedef {import("./group.js").Element} Element */

export const PROTOCOL_LABEL = "suffrage/1";

/** §1: `lp(b) = u64(len(b)) || b`. @param {Uint8Array} bytes */
export function lp(bytes) {
  return concat([u64(bytes.length), bytes]);
}

/**
 * §3.1: `lp("suffrage/1") || lp(tag) || lp(label_1) || lp(value_1) || ...`, built field by
 * field; `data` gives the exact bytes hashed (the test vectors publish them).
 */
export class Transcript {
  /** @param {string} tag the domain-separation tag (§3.3) */
  constructor(tag) {
    /** @type {Uint8Array[]} */
    this.parts = [lp(utf8(PROTOCOL_LABEL)), lp(utf8(tag))];
  }

  /** A field of raw bytes. @param {string} label @param {Uint8Array} value */
  append(label, value) {
    this.parts.push(lp(utf8(label)), lp(value));
    return this;
  }

  /** @param {string} label @param {Element} element */
  element(label, element) {
    return this.append(label, element.toBytes());
  }

  /** A list of elements: their encodings concatenated. @param {string} label @param {Element[]} elements */
  elements(label, elements) {
    return this.append(label, concat(elements.map((e) => e.toBytes())));
  }

  /** @param {string} label @param {bigint} s */
  scalar(label, s) {
    return this.append(label, scalarToBytes(s));
  }

  /** @param {string} label @param {number|bigint} n */
  integer(label, n) {
    return this.append(label, u64(n));
  }

  /** @param {string} label @param {string} text */
  text(label, text) {
    return this.append(label, utf8(text));
  }

  /** The bytes hashed. */
  get data() {
    return concat(this.parts);
  }

  /** SHA-512 of the transcript: 64 bytes. */
  digest() {
    const hash = sha512.create();
    for (const p of this.parts) hash.update(p);
    return hash.digest();
  }

  /** §3.2: the digest read little-endian, modulo l. */
  challenge() {
    return scalarFromWide(this.digest());
  }
}
