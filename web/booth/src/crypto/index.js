// The booth's cryptography (spec/protocol.md), the one surface the interface imports.
// Everything here runs in the browser (bundled by esbuild) and under Node 20.19+ for tests.
export { CredentialCodeError, InvalidBallot, InvalidEncoding, InvalidInput, ProofRejected, SuffrageError, UnsupportedOperation } from "./errors.js";
export { fromHex, toHex } from "./bytes.js";
export { G, L, O, elementFromBytes, elementFromHex, elementHex, scalarFromBytes, scalarFromHex, scalarFromWide, scalarHex, scalarToBytes } from "./group.js";
export { PROTOCOL_LABEL, Transcript } from "./transcript.js";
export { osRandom, seededRandom } from "./random.js";
export { addCiphertexts, encrypt } from "./elgamal.js";
export { MAX_RANGE, checkChaumPedersen, checkRange, checkSchnorr, proveChaumPedersen, proveRange, proveSchnorr } from "./proofs.js";
export { ALPHABET, checkCharacter, credentialKeys, normaliseCode } from "./credentials.js";
export { isRanked, selectionLimit, styleContests } from "./manifest.js";
export { ballotHash, ballotTranscript, checkChoices, encryptBallot, fingerprint, proofContext, rankContext, readElection, reencrypts, signBallot } from "./ballot.js";
export { chainStart, displayCode, trackingCode } from "./board.js";
