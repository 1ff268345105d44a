// Ballots: encrypt, prove and sign on the voter's device (spec/protocol.md#13).
import { concat, fromHex, toHex } from "./bytes.js";
import { displayCode } from "./board.js";
import { credentialKeys } from "./credentials.js";
import { addCiphertexts, encrypt } from "./elgamal.js";
import { InvalidBallot, InvalidEncoding } from "./errors.js";
import { add, elementFromHex, elementHex, scalarFromHex, scalarHex } from "./group.js";
import { isRanked, selectionLimit, styleContests } from "./manifest.js";
import { proveRange, proveSchnorr } from "./proofs.js";
import { osRandom } from "./random.js";
import { Transcript } from "./transcript.js";

/** @typedef {import("./group.js").Element} Element */
/** @typedef {import("./random.js").RandomSource} RandomSource */
/** @typedef {import("./manifest.js").Manifest} Manifest */
/** @typedef {import("./manifest.js").Contest} Contest */
/** @typedef {import("./proofs.js").RangeProof} RangeProof */
/** @typedef {{base_hash: string, joint_key: string}} ElectionJson record-format.md#electionjson (the fields used) */
/** @typedef {{commitments_g: string[], commitments_k: string[], challenges: string[], responses: string[]}} RangeJson */
/** @typedef {{option_id: string, ciphertext: {alpha: string, beta: string}, proof: RangeJson}} SelectionJson */
/** @typedef {{contest_id: string, selections: SelectionJson[], limit_proof: RangeJson}} SelectionsJson */
/** @typedef {{ciphertext: {alpha: string, beta: string}, proof: RangeJson}} RankJson */
/** @typedef {{contest_id: string, ranks: RankJson[]}} RankedJson a ranked contest's part (§13.1) */
/** @typedef {SelectionsJson | RankedJson} ContestJson */
/** @typedef {{ballot_id: string, style_id: string, credential: string, contests: ContestJson[], signature?: {commitment: string, response: string}}} BallotJson */
/** @typedef {Record<string, {values: number[], nonces: string[]}>} RevealJson */

export const SELECTION = "selection";
export const CONTEST_LIMIT = "contest-limit";
export const RANK = "rank";
export const SIGNATURE = "ballot-signature";

/**
 * What the booth uses of election.json: the base hash (64 bytes) and the joint key `K`,
 * decoded strictly (§2.4; `K` is never the identity, §12.4).
 * @param {ElectionJson} election @returns {{baseHash: Uint8Array, key: Element}}
 */
export function readElection(election) {
  if (!election || typeof election !== "object") throw new InvalidEncoding("election", "expected the object of election.json");
  return { baseHash: fromHex(election.base_hash, "election.base_hash", 64), key: jointKey(election.joint_key) };
}

/** Joint keys already decoded, with their multiples precomputed (public values; a booth uses one). */
const KEYS = new Map();

/** The joint key `K`, decoded strictly; its table (~35 ms to build) is kept for the next ballot. @param {unknown} hex */
function jointKey(hex) {
  let key = typeof hex === "string" ? KEYS.get(hex) : undefined;
  if (key === undefined) {
    key = elementFromHex(hex, "election.joint_key");
    key.precompute(8, false); // every nonce of a ballot is multiplied by K
    if (KEYS.size >= 4) KEYS.clear();
    KEYS.set(hex, key);
  }
  return key;
}

/**
 * §13.2: `SHA-512(transcript(ballot/proof-context; base_hash, credential, contest_id,
 * option_id))`; `optionId` is empty for a contest's limit proof.
 * @param {Uint8Array} baseHash @param {Uint8Array} credential @param {string} contestId @param {string} optionId
 */
export function proofContext(baseHash, credential, contestId, optionId) {
  return new Transcript("ballot/proof-context")
    .append("base_hash", baseHash)
    .append("credential", credential)
    .text("contest_id", contestId)
    .text("option_id", optionId)
    .digest();
}

/**
 * §13.2: `SHA-512(transcript(ballot/rank-context; base_hash, credential, contest_id,
 * rank = u64(k)))`, the context of the proof of rank `k` (from 1) of a ranked contest.
 * @param {Uint8Array} baseHash @param {Uint8Array} credential @param {string} contestId @param {number} rank
 */
export function rankContext(baseHash, credential, contestId, rank) {
  return new Transcript("ballot/rank-context")
    .append("base_hash", baseHash)
    .append("credential", credential)
    .text("contest_id", contestId)
    .integer("rank", rank)
    .digest();
}

/**
 * §13.1: a ranked contest's `m` values, rank 1 first, each the position (1..m) of the option
 * ranked there or 0 for none. Skipped and repeated ranks are not refused: they are the
 * counting rule's business, after the shuffle, as in Python's `encrypt_ballot`.
 * @param {Contest} contest @param {unknown} choice @returns {number[]}
 */
function rankValues(contest, choice) {
  const where = `choices.${contest.contest_id}`;
  const m = contest.options.length;
  if (!Array.isArray(choice)) throw new InvalidBallot(where, `expected an array of ${m} ranks, first preference first`);
  if (choice.length !== m) throw new InvalidBallot(where, `expected ${m} ranks, got ${choice.length}`);
  choice.forEach((value, i) => {
    if (!Number.isInteger(value) || value < 0 || value > m) {
      throw new InvalidBallot(where, `rank ${i + 1}: ${JSON.stringify(value) ?? String(value)} is not 0 (no option) or an option's 1..${m}`);
    }
  });
  return /** @type {number[]} */ ([...choice]);
}

/**
 * §13.1: one contest's choice as 0/1 per option in manifest order (a ranked contest's as its
 * ranks, `rankValues`). `choice` is an array in
 * option order, or an object naming options (those not named are 0).
 * @param {Contest} contest @param {unknown} choice @returns {number[]}
 */
function contestValues(contest, choice) {
  const where = `choices.${contest.contest_id}`;
  if (isRanked(contest, where)) return rankValues(contest, choice);
  const limit = selectionLimit(contest, where);
  const ids = contest.options.map((o) => o.option_id);
  let values;
  if (Array.isArray(choice)) {
    if (choice.length !== ids.length) throw new InvalidBallot(where, `expected ${ids.length} selections, got ${choice.length}`);
    values = choice;
  } else if (choice && typeof choice === "object") {
    const unknown = Object.keys(choice).filter((k) => !ids.includes(k)).sort();
    if (unknown.length) throw new InvalidBallot(`${where}.${unknown[0]}`, `no option ${JSON.stringify(unknown[0])} in contest ${contest.contest_id}`);
    values = ids.map((id) => /** @type {Record<string, unknown>} */ (choice)[id] ?? 0);
  } else {
    throw new InvalidBallot(where, "expected an array of 0/1 per option, or an object of option ids");
  }
  if (values.some((v) => v !== 0 && v !== 1)) throw new InvalidBallot(where, "each selection must be 0 or 1");
  const marks = values.reduce((a, b) => a + b, 0);
  if (marks > limit) throw new InvalidBallot(where, `${marks} selections, more than the limit ${limit}`);
  return /** @type {number[]} */ (values);
}

/**
 * §13.1: the style's contests and their values, refusing (before anything is encrypted) a
 * contest outside the style, a missing one, a value other than 0/1, too many marks, a ranking
 * of the wrong length or with a value outside `0..m`.
 * @param {Manifest} manifest @param {string} styleId @param {Record<string, unknown>} choices
 */
export function checkChoices(manifest, styleId, choices) {
  const contests = styleContests(manifest, styleId);
  if (!choices || typeof choices !== "object") throw new InvalidBallot("choices", "expected an object of contest ids");
  const expected = new Set(contests.map((c) => c.contest_id));
  const extra = Object.keys(choices).filter((k) => !expected.has(k)).sort();
  if (extra.length) throw new InvalidBallot("choices", `contests not on ballot style ${JSON.stringify(styleId)}: ${extra.join(", ")}`);
  const missing = [...expected].filter((k) => !(k in choices)).sort();
  if (missing.length) throw new InvalidBallot("choices", `no choice given for contests ${missing.join(", ")}`);
  return contests.map((contest) => ({ contest, values: contestValues(contest, choices[contest.contest_id]) }));
}

/** The JSON form of a range proof (record-format.md, proof objects). @param {RangeProof} p @returns {RangeJson} */
export function rangeToJson(p) {
  return {
    commitments_g: p.commitments_g.map(elementHex),
    commitments_k: p.commitments_k.map(elementHex),
    challenges: p.challenges.map(scalarHex),
    responses: p.responses.map(scalarHex),
  };
}

/**
 * §13.1-13.2: encrypt every selection, prove each (R = 1) and each contest's limit on the
 * sum of its selections; encrypt every rank of a ranked contest and prove each (R = m).
 * Random draws, in this order (§13.4): one nonce per selection or rank in ballot order; then
 * each range proof's draws (6.3), contest by contest, its selections' proofs then its limit
 * proof, or its rank proofs from rank 1.
 * @param {{contest: Contest, values: number[]}[]} filled
 * @param {{baseHash: Uint8Array, key: Element}} ctx @param {Uint8Array} credential @param {RandomSource} rng
 */
function encryptContests(filled, { baseHash, key }, credential, rng) {
  const nonces = rng.scalars(filled.reduce((n, f) => n + f.values.length, 0));
  let next = 0;
  const sealed = filled.map(({ contest, values }) => {
    const rs = values.map(() => nonces[next++]);
    return { contest, values, rs, cts: values.map((v, i) => encrypt(v, rs[i], key)) };
  });
  const contests = sealed.map(({ contest, values, rs, cts }) => {
    const prove = (/** @type {any} */ claim) => rangeToJson(proveRange({ ...claim, key, rng }));
    if (isRanked(contest)) {
      const ranks = cts.map((ct, i) => ({
        ciphertext: { alpha: elementHex(ct.alpha), beta: elementHex(ct.beta) },
        proof: prove({
          ciphertext: ct, value: values[i], nonce: rs[i], limit: values.length, purpose: RANK,
          context: rankContext(baseHash, credential, contest.contest_id, i + 1),
        }),
      }));
      return /** @type {ContestJson} */ ({ contest_id: contest.contest_id, ranks });
    }
    const selections = contest.options.map((option, i) => ({
      option_id: option.option_id,
      ciphertext: { alpha: elementHex(cts[i].alpha), beta: elementHex(cts[i].beta) },
      proof: prove({
        ciphertext: cts[i], value: values[i], nonce: rs[i], limit: 1, purpose: SELECTION,
        context: proofContext(baseHash, credential, contest.contest_id, option.option_id),
      }),
    }));
    const limitProof = prove({
      ciphertext: addCiphertexts(cts), value: values.reduce((a, b) => a + b, 0), nonce: rs.reduce(add, 0n),
      limit: selectionLimit(contest), purpose: CONTEST_LIMIT,
      context: proofContext(baseHash, credential, contest.contest_id, ""),
    });
    return /** @type {ContestJson} */ ({ contest_id: contest.contest_id, selections, limit_proof: limitProof });
  });
  /** @type {RevealJson} */
  const reveal = {};
  for (const s of sealed) reveal[s.contest.contest_id] = { values: [...s.values], nonces: s.rs.map(scalarHex) };
  return { contests, reveal };
}

/**
 * §13.3: the ballot hash transcript: `base_hash, ballot_id, style_id, credential, contests`,
 * then per contest `contest_id, selections`, per selection `option_id, alpha, beta` and its
 * proof's four fields, then the limit proof's four fields; a ranked contest instead `contest_id,
 * ranks`, per rank `alpha, beta` and its proof's four fields. Built from the ballot's JSON, each
 * hex value decoded strictly to the bytes it stands for.
 * @param {Uint8Array} baseHash @param {BallotJson} ballot @returns {Transcript}
 */
export function ballotTranscript(baseHash, ballot) {
  const t = new Transcript("ballot")
    .append("base_hash", baseHash)
    .text("ballot_id", ballot.ballot_id)
    .text("style_id", ballot.style_id)
    .append("credential", fromHex(ballot.credential, "ballot.credential", 32))
    .integer("contests", ballot.contests.length);
  ballot.contests.forEach((contest, i) => {
    const at = `ballot.contests[${i}]`;
    if ("ranks" in contest) {
      t.text("contest_id", contest.contest_id).integer("ranks", contest.ranks.length);
      contest.ranks.forEach((rank, k) => {
        const where = `${at}.ranks[${k}]`;
        t.append("alpha", fromHex(rank.ciphertext.alpha, `${where}.ciphertext.alpha`, 32))
          .append("beta", fromHex(rank.ciphertext.beta, `${where}.ciphertext.beta`, 32));
        absorbRange(t, rank.proof, `${where}.proof`);
      });
      return;
    }
    t.text("contest_id", contest.contest_id).integer("selections", contest.selections.length);
    contest.selections.forEach((sel, j) => {
      const where = `${at}.selections[${j}]`;
      t.text("option_id", sel.option_id)
        .append("alpha", fromHex(sel.ciphertext.alpha, `${where}.ciphertext.alpha`, 32))
        .append("beta", fromHex(sel.ciphertext.beta, `${where}.ciphertext.beta`, 32));
      absorbRange(t, sel.proof, `${where}.proof`);
    });
    absorbRange(t, contest.limit_proof, `${at}.limit_proof`);
  });
  return t;
}

/** §13.3, 2.ii: a range proof as four fields of concatenated 32-byte values. */
function absorbRange(/** @type {Transcript} */ t, /** @type {RangeJson} */ proof, /** @type {string} */ where) {
  for (const label of /** @type {const} */ (["commitments_g", "commitments_k", "challenges", "responses"])) {
    t.append(label, concat(proof[label].map((x, k) => fromHex(x, `${where}.${label}[${k}]`, 32))));
  }
}

/**
 * §13.3: the 64-byte ballot hash the credential signs (every byte of the ballot but the
 * signature). @param {ElectionJson} election @param {BallotJson} ballot @returns {Uint8Array}
 */
export function ballotHash(election, ballot) {
  return ballotTranscript(fromHex(election.base_hash, "election.base_hash", 64), ballot).digest();
}

/**
 * §13.3: sign a ballot (its `signature` replaced): a Schnorr signature, purpose
 * `ballot-signature`, context the base hash, on the ballot hash.
 * @param {{election: ElectionJson, ballot: BallotJson, secret: bigint, rng: RandomSource}} a
 * @returns {{ballot: BallotJson, ballotHash: Uint8Array}}
 */
export function signBallot({ election, ballot, secret, rng }) {
  const baseHash = fromHex(election.base_hash, "election.base_hash", 64);
  const { signature: _, ...unsigned } = ballot;
  const digest = ballotTranscript(baseHash, unsigned).digest();
  const proof = proveSchnorr({
    secret, publicKey: elementFromHex(ballot.credential, "ballot.credential"), context: baseHash,
    message: digest, purpose: SIGNATURE, rng,
  });
  const signature = { commitment: elementHex(proof.commitment), response: scalarHex(proof.response) };
  return { ballot: { ...unsigned, signature }, ballotHash: digest };
}

/**
 * The ballot fingerprint: §14.2's display form of the ballot hash's first 10 bytes, which
 * the booth shows before the voter casts or checks. @param {Uint8Array} digest
 */
export const fingerprint = (digest) => displayCode(digest);

/**
 * §13: the whole ballot. Refuses bad choices before drawing any randomness. Draws, in order
 * (§13.4): the nonces, the range proofs, 16 bytes of `ballot_id`, the signature's nonce.
 * The reveal (values and nonces) is for a spoiled ballot only (§14.4): never show it else.
 * @param {{manifest: Manifest, election: ElectionJson, styleId: string, choices: Record<string, unknown>, code: string, rng?: RandomSource}} a
 * @returns {{ballot: BallotJson, reveal: RevealJson, ballotHash: Uint8Array, fingerprint: string}}
 */
export function encryptBallot({ manifest, election, styleId, choices, code, rng = osRandom() }) {
  const filled = checkChoices(manifest, styleId, choices);
  const ctx = readElection(election);
  const { secret, publicKey, publicHex } = credentialKeys(code, manifest.election_id);
  const { contests, reveal } = encryptContests(filled, ctx, publicKey, rng);
  const ballotId = toHex(rng.token(16));
  const unsigned = { ballot_id: ballotId, style_id: styleId, credential: publicHex, contests };
  const signed = signBallot({ election, ballot: unsigned, secret, rng });
  return { ...signed, reveal, fingerprint: fingerprint(signed.ballotHash) };
}

/**
 * V13 on the device (§14.4): whether every selection or rank of `ballot` is
 * `Enc_K(value; nonce)` of the reveal, and the reveal covers exactly the ballot's contests
 * with valid choices (a selection 0 or 1; a rank of a ranked contest of `m` ranks `0..m`).
 * @param {ElectionJson} election @param {BallotJson} ballot @param {RevealJson} reveal @returns {boolean}
 */
export function reencrypts(election, ballot, reveal) {
  const key = elementFromHex(election.joint_key, "election.joint_key");
  if (Object.keys(reveal).length !== ballot.contests.length) return false;
  return ballot.contests.every((contest) => {
    const r = reveal[contest.contest_id];
    const places = "ranks" in contest ? contest.ranks : contest.selections;
    const top = "ranks" in contest ? places.length : 1;
    if (!r || r.values.length !== places.length || r.nonces.length !== places.length) return false;
    return places.every((place, i) => {
      const value = r.values[i];
      if (!Number.isInteger(value) || value < 0 || value > top) return false;
      const again = encrypt(value, scalarFromHex(r.nonces[i], "reveal.nonces"), key);
      return elementHex(again.alpha) === place.ciphertext.alpha && elementHex(again.beta) === place.ciphertext.beta;
    });
  });
}
