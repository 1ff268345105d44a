// Forged ballots for the tests only (never bundled): each honest but for one forged part,
// re-signed by its credential so that exactly the check named can catch it.
import {
  G, addCiphertexts, credentialKeys, elementFromHex, elementHex, encrypt, fromHex, proofContext, readElection,
  scalarHex, signBallot,
} from "../src/crypto/index.js";

/** @typedef {import("../src/crypto/elgamal.js").Ciphertext} Ciphertext */

/**
 * A range "proof" whose every branch is simulated (`A_j = s_j*G - c_j*alpha`,
 * `B_j = s_j*K - c_j*(beta - j*G)`): each branch's equations hold, but the branch challenges
 * do not add up to the challenge. It is what a cheat who encrypts 2 can make.
 * @param {{ciphertext: Ciphertext, key: any, limit: number, rng: any}} a
 */
export function simulatedRange({ ciphertext, key, limit, rng }) {
  const out = { commitments_g: /** @type {string[]} */ ([]), commitments_k: /** @type {string[]} */ ([]), challenges: /** @type {string[]} */ ([]), responses: /** @type {string[]} */ ([]) };
  for (let j = 0; j <= limit; j++) {
    const [c, s] = [rng.scalar(), rng.scalar()];
    const shifted = j ? ciphertext.beta.subtract(G.multiply(BigInt(j))) : ciphertext.beta;
    out.commitments_g.push(elementHex(G.multiply(s).subtract(ciphertext.alpha.multiply(c))));
    out.commitments_k.push(elementHex(key.multiply(s).subtract(shifted.multiply(c))));
    out.challenges.push(scalarHex(c));
    out.responses.push(scalarHex(s));
  }
  return out;
}

const decode = (/** @type {{alpha: string, beta: string}} */ ct) => ({
  alpha: elementFromHex(ct.alpha, "alpha"), beta: elementFromHex(ct.beta, "beta"),
});

/**
 * `ballot` with the selection `option` of `contest` replaced by an encryption of `value`,
 * its selection proof and the contest's limit proof simulated (the limit is `limit`); re-signed.
 * @param {{manifest: any, election: any, ballot: any, code: string, contest: string, option: string, value: number, limit: number, rng: any}} a
 */
export function forgeSelection({ manifest, election, ballot, code, contest, option, value, limit, rng }) {
  const { key } = readElection(election);
  const forged = structuredClone(ballot);
  const target = forged.contests.find((/** @type {any} */ c) => c.contest_id === contest);
  const selection = target.selections.find((/** @type {any} */ s) => s.option_id === option);
  const ct = encrypt(value, rng.scalar(), key);
  selection.ciphertext = { alpha: elementHex(ct.alpha), beta: elementHex(ct.beta) };
  selection.proof = simulatedRange({ ciphertext: ct, key, limit: 1, rng });
  const sum = addCiphertexts(target.selections.map((/** @type {any} */ s) => decode(s.ciphertext)));
  target.limit_proof = simulatedRange({ ciphertext: sum, key, limit, rng });
  return resign({ manifest, election, ballot: forged, code, rng });
}

/** `ballot` signed again by `code` over what it now holds. @param {{manifest: any, election: any, ballot: any, code: string, rng: any}} a */
export function resign({ manifest, election, ballot, code, rng }) {
  const { secret } = credentialKeys(code, manifest.election_id);
  return signBallot({ election, ballot, secret, rng }).ballot;
}

export { fromHex, proofContext };
