// The booth's errors, after src/suffrage/errors.py: every refusal names the field and the reason.
//
//   SuffrageError
//    ├── InvalidInput            outside input refused (field, reason)
//    │    ├── InvalidEncoding    not the canonical encoding of what the field holds (spec §2)
//    │    ├── InvalidBallot      choices that cannot make a ballot (spec §13.1)
//    │    └── CredentialCodeError  a typed credential code that is not a code (spec §11.1)
//    ├── ProofRejected           a proof that does not verify (checks P1, P3)
//    └── UnsupportedOperation    a valid request version 1 refuses

/** Base of every error this module throws on purpose; `field` and `reason` say what and why. */
export class SuffrageError extends Error {
  /**
   * @param {string} field the field (or check) at fault, e.g. `election.joint_key`
   * @param {string} reason why it is refused, in plain words
   */
  constructor(field, reason) {
    super(`${field}: ${reason}`);
    this.name = new.target.name;
    this.field = field;
    this.reason = reason;
  }
}

/** Outside input that is refused. */
export class InvalidInput extends SuffrageError {}

/** Bytes or text that are not the canonical encoding of the field (spec/protocol.md#2). */
export class InvalidEncoding extends InvalidInput {}

/** Choices, a style or a manifest that cannot make a ballot (spec/protocol.md#13.1). */
export class InvalidBallot extends InvalidInput {}

/**
 * A typed credential code that is not a code (spec/protocol.md#11.1). `problem` tells the
 * interface which it is: `"empty"`, `"length"` (`count` characters), `"character"` (the first
 * `character` not in the alphabet) or `"check"` (the check character does not match).
 */
export class CredentialCodeError extends InvalidInput {
  /**
   * @param {"empty"|"length"|"character"|"check"} problem
   * @param {string} reason
   * @param {{count?: number, character?: string}} [detail]
   */
  constructor(problem, reason, detail = {}) {
    super("credential", reason);
    this.problem = problem;
    this.count = detail.count;
    this.character = detail.character;
  }
}

/** A proof that does not verify; `field` is the check, e.g. `range/selection`. */
export class ProofRejected extends SuffrageError {}

/** A valid request that version 1 of the protocol refuses (none is left in the booth since ranked contests are cast, §13.1). */
export class UnsupportedOperation extends SuffrageError {}
