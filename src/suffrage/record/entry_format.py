"""The wire format of a board entry, one line of ballots.jsonl (spec/record-format.md#ballotsjsonl):
its field names and limits, defined once.

The full decoder (:mod:`suffrage.record.codec`) and the verifier's fast reader
(:mod:`suffrage.record.flat`) both read these, and a test holds
``schema/entry.schema.json`` to the same names and limits, so the three cannot drift apart.
"""

from __future__ import annotations

from suffrage.core.proofs import MAX_RANGE
from suffrage.record.canonical import MAX_SAFE_INTEGER

__all__ = [
    "BALLOT_FIELDS",
    "BALLOT_ID_BYTES",
    "CIPHERTEXT_FIELDS",
    "CONTEST_FIELDS",
    "ENTRY_FIELDS",
    "ENTRY_OPTIONAL",
    "MAX_BRANCHES",
    "MAX_ID",
    "MAX_SEQUENCE",
    "MIN_SEQUENCE",
    "RANGE_FIELDS",
    "RANKED_CONTEST_FIELDS",
    "RANK_FIELDS",
    "SCHNORR_FIELDS",
    "SELECTION_FIELDS",
    "STATES",
    "TRACKING_CODE_BYTES",
]

ENTRY_FIELDS = ("sequence", "state", "tracking_code", "ballot")
ENTRY_OPTIONAL = ("reveal",)
"""Only on a spoiled entry (check V13 says which)."""
BALLOT_FIELDS = ("ballot_id", "style_id", "credential", "contests", "signature")
CONTEST_FIELDS = ("contest_id", "selections", "limit_proof")
RANKED_CONTEST_FIELDS = ("contest_id", "ranks")
"""A ranked contest's part of a ballot (spec/protocol.md#13.1): ranks, no selections."""
RANK_FIELDS = ("ciphertext", "proof")
SELECTION_FIELDS = ("option_id", "ciphertext", "proof")
CIPHERTEXT_FIELDS = ("alpha", "beta")
RANGE_FIELDS = ("commitments_g", "commitments_k", "challenges", "responses")
SCHNORR_FIELDS = ("commitment", "response")
STATES = ("cast", "spoiled")

MAX_ID = 64
"""The longest style, contest or option id, in characters (the manifest's id pattern)."""
MAX_BRANCHES = MAX_RANGE + 1
"""A range proof has 1 to R + 1 branches, R at most MAX_RANGE; each of its four lists as many."""
MIN_SEQUENCE = 0
"""The reader's lowest sequence; the schema says 1, and check V11 refuses 0 (line numbers)."""
MAX_SEQUENCE = MAX_SAFE_INTEGER
TRACKING_CODE_BYTES = 64
BALLOT_ID_BYTES = 16
