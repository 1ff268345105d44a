// Zero-knowledge proofs (spec/protocol.md#6): Schnorr (6.1), Chaum-Pedersen (6.2), range (6.3).
// Provers are constant-cost in their secrets; checkers (P1-P3) throw ProofRejected, never
// return false, and use variable-time arithmetic on public values only.
import { G, O, add, mul, scalar, sub, times } from "./group.js";
import { ProofRejected } from "./errors.js";
import { Transcript } from "./transcript.js";

/** @typedef {import("./group.js").Element} Element */
/** @typedef {import("./elgamal.js").Ciphertext} Ciphertext */
/** @typedef {import("./random.js").RandomSource} RandomSource */
/** @typedef {{commitment: Element, response: bigint}} SchnorrProof */
/** @typedef {{commitment_1: Element, commitment_2: Element, response: bigint}} ChaumPedersenProof */
/** @typedef {{commitments_g: Element[], commitments_k: Element[], challenges: bigint[], responses: bigint[]}} RangeProof */

/** Whether `sum_i s_i*P_i == O` (public values: variable time). @param {[bigint, Element][]} terms */
function vanishes(terms) {
  return terms.reduce((sum, [s, p]) => sum.add(p.multiplyUnsafe(scalar(s))), O).is0();
}

/**
 * §6.1 transcript: `context, base, public, commitment, message`.
 * @param {{purpose: string, context: Uint8Array, base: Element, publicKey: Element, commitment: Element, message: Uint8Array}} s
 */
export function schnorrTranscript({ purpose, context, base, publicKey, commitment, message }) {
  return new Transcript(`schnorr/${purpose}`)
    .append("context", context)
    .element("base", base)
    .element("public", publicKey)
    .element("commitment", commitment)
    .append("message", message);
}

/**
 * §6.1 prover: `R = w*B`, `s = w + c*x`.
 * @param {{secret: bigint, publicKey: Element, context: Uint8Array, purpose: string, rng: RandomSource, message?: Uint8Array, base?: Element}} a
 * @returns {SchnorrProof}
 */
export function proveSchnorr({ secret, publicKey, context, purpose, rng, message = new Uint8Array(), base = G }) {
  const w = rng.scalar();
  const commitment = mul(base, w);
  const c = schnorrTranscript({ purpose, context, base, publicKey, commitment, message }).challenge();
  return { commitment, response: add(w, times(c, secret)) };
}

/**
 * Check P1: `s*B - R - c*X == O`, `R` not the identity.
 * @param {SchnorrProof} proof
 * @param {{publicKey: Element, context: Uint8Array, purpose: string, message?: Uint8Array, base?: Element}} a
 */
export function checkSchnorr(proof, { publicKey, context, purpose, message = new Uint8Array(), base = G }) {
  const check = `schnorr/${purpose}`;
  if (proof.commitment.is0()) throw new ProofRejected(check, "the commitment is the identity");
  const c = schnorrTranscript({ purpose, context, base, publicKey, commitment: proof.commitment, message }).challenge();
  if (!vanishes([[proof.response, base], [-1n, proof.commitment], [-c, publicKey]])) {
    throw new ProofRejected(check, "s*B = R + c*X does not hold");
  }
}

/**
 * §6.2 transcript: `context, base_1, public_1, base_2, public_2, commitment_1, commitment_2`.
 * @param {{purpose: string, context: Uint8Array, base1: Element, public1: Element, base2: Element, public2: Element, commitment1: Element, commitment2: Element}} s
 */
export function chaumPedersenTranscript(s) {
  return new Transcript(`chaum-pedersen/${s.purpose}`)
    .append("context", s.context)
    .element("base_1", s.base1)
    .element("public_1", s.public1)
    .element("base_2", s.base2)
    .element("public_2", s.public2)
    .element("commitment_1", s.commitment1)
    .element("commitment_2", s.commitment2);
}

/**
 * §6.2 prover: `A = w*B1`, `B = w*B2`, `s = w + c*x`.
 * @param {{secret: bigint, base1: Element, public1: Element, base2: Element, public2: Element, context: Uint8Array, purpose: string, rng: RandomSource}} a
 * @returns {ChaumPedersenProof}
 */
export function proveChaumPedersen({ secret, rng, ...statement }) {
  const w = rng.scalar();
  const commitment1 = mul(statement.base1, w);
  const commitment2 = mul(statement.base2, w);
  const c = chaumPedersenTranscript({ ...statement, commitment1, commitment2 }).challenge();
  return { commitment_1: commitment1, commitment_2: commitment2, response: add(w, times(c, secret)) };
}

/**
 * Check P2: `s*B1 - A - c*X == O` and `s*B2 - B - c*Y == O`.
 * @param {ChaumPedersenProof} proof
 * @param {{base1: Element, public1: Element, base2: Element, public2: Element, context: Uint8Array, purpose: string}} statement
 */
export function checkChaumPedersen(proof, statement) {
  const c = chaumPedersenTranscript({
    ...statement, commitment1: proof.commitment_1, commitment2: proof.commitment_2,
  }).challenge();
  const s = proof.response;
  if (!vanishes([[s, statement.base1], [-1n, proof.commitment_1], [-c, statement.public1]])
    || !vanishes([[s, statement.base2], [-1n, proof.commitment_2], [-c, statement.public2]])) {
    throw new ProofRejected(`chaum-pedersen/${statement.purpose}`, "the equations do not hold");
  }
}

/**
 * §6.3 transcript: `context, key, limit = u64(R), alpha, beta, commitments_g, commitments_k`.
 * @param {{purpose: string, context: Uint8Array, key: Element, limit: number, ciphertext: Ciphertext, commitmentsG: Element[], commitmentsK: Element[]}} s
 */
export function rangeTranscript({ purpose, context, key, limit, ciphertext, commitmentsG, commitmentsK }) {
  return new Transcript(`range/${purpose}`)
    .append("context", context)
    .element("key", key)
    .integer("limit", limit)
    .element("alpha", ciphertext.alpha)
    .element("beta", ciphertext.beta)
    .elements("commitments_g", commitmentsG)
    .elements("commitments_k", commitmentsK);
}

export const MAX_RANGE = 1024;

/**
 * §6.3 prover. Draws `w`, then `c_j, s_j` for every branch `j = 0..R` in order (the true
 * branch's draw is discarded). With `u_j = s_j - c_j*r` (`w` on the true branch) every branch
 * costs the same three multiplications: `A_j = u_j*G`, `B_j = u_j*K + (c_j*(j - v))*G`, which
 * equal `s_j*G - c_j*alpha` and `s_j*K - c_j*(beta - j*G)` (the true branch's shift is 0).
 * @param {{ciphertext: Ciphertext, value: number, nonce: bigint, key: Element, limit: number, context: Uint8Array, purpose: string, rng: RandomSource}} a
 * @returns {RangeProof}
 */
export function proveRange({ ciphertext, value, nonce, key, limit, context, purpose, rng }) {
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_RANGE) throw new RangeError(`range limit must be in 0..${MAX_RANGE}`);
  if (!Number.isInteger(value) || value < 0 || value > limit) throw new RangeError("the value to prove is outside the range");
  const w = rng.scalar();
  const challenges = [], responses = [], commitmentsG = [], commitmentsK = [];
  for (let j = 0; j <= limit; j++) {
    const [c, s] = [rng.scalar(), rng.scalar()];
    const real = j === value;
    const u = real ? w : sub(s, times(c, nonce));
    const shift = real ? 0n : times(c, scalar(j - value));
    challenges.push(c);
    responses.push(s);
    commitmentsG.push(mul(G, u));
    commitmentsK.push(mul(key, u).add(mul(G, shift)));
  }
  const c = rangeTranscript({ purpose, context, key, limit, ciphertext, commitmentsG, commitmentsK }).challenge();
  const others = challenges.reduce((sum, cj, j) => (j === value ? sum : add(sum, cj)), 0n);
  challenges[value] = sub(c, others);
  responses[value] = add(w, times(challenges[value], nonce));
  return { commitments_g: commitmentsG, commitments_k: commitmentsK, challenges, responses };
}

/**
 * Check P3: `R+1` branches, `sum_j c_j == c`, and for every `j`:
 * `s_j*G - A_j - c_j*alpha == O` and `s_j*K - B_j - c_j*beta + (j*c_j)*G == O`.
 * @param {RangeProof} proof
 * @param {{ciphertext: Ciphertext, key: Element, limit: number, context: Uint8Array, purpose: string}} a
 */
export function checkRange(proof, { ciphertext, key, limit, context, purpose }) {
  const check = `range/${purpose}`;
  const sizes = new Set([proof.commitments_g.length, proof.commitments_k.length, proof.challenges.length, proof.responses.length]);
  if (sizes.size !== 1 || !sizes.has(limit + 1)) throw new ProofRejected(check, `expected ${limit + 1} branches for the range 0..${limit}`);
  const c = rangeTranscript({
    purpose, context, key, limit, ciphertext, commitmentsG: proof.commitments_g, commitmentsK: proof.commitments_k,
  }).challenge();
  if (proof.challenges.reduce(add, 0n) !== c) throw new ProofRejected(check, "the branch challenges do not add up to the challenge");
  for (let j = 0; j <= limit; j++) {
    const [cj, sj] = [proof.challenges[j], proof.responses[j]];
    if (!vanishes([[sj, G], [-1n, proof.commitments_g[j]], [-cj, ciphertext.alpha]])) {
      throw new ProofRejected(check, `branch ${j}: s*G = a + c*alpha does not hold`);
    }
    if (!vanishes([[sj, key], [-1n, proof.commitments_k[j]], [-cj, ciphertext.beta], [times(cj, scalar(j)), G]])) {
      throw new ProofRejected(check, `branch ${j}: s*K = b + c*(beta - ${j}*G) does not hold`);
    }
  }
}
