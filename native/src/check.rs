//! The checks of many cast ballots at once: the verifier's and the board's fast path
//! (spec/protocol.md#7.2; the checks V8 to V10, V18 and V22 of #15).
//!
//! A [`BallotChecker`] holds what every ballot of an election is checked against: the base
//! hash, the election key and the shape of each ballot style (its contests, their options
//! and selection limits, or for a ranked contest its number of ranks, #13.1).
//! [`BallotChecker::check`] takes a batch of ballots as their encodings (laid out as
//! [`Layout::body_len`] describes) and, with the GIL released and the work spread over the
//! cores, decodes every point and scalar strictly, computes every transcript (the ballot
//! hash, the proof contexts, the signature's and every range proof's challenge), checks every
//! range proof's challenge sum, and checks every verification equation of the batch with one
//! multiscalar multiplication of a random linear combination (#7.1). If that sum is not the identity, each ballot is checked on its own, and a failing
//! ballot is checked equation group by equation group to name its first failing check in the
//! reference order of `suffrage.protocol.ballot_check.check_ballot`.
//!
//! This is one of the two definitions of these checks; the other, the readable reference,
//! is the Python of `suffrage.core.proofs` and `suffrage.protocol.ballot_check`, which names
//! each failing proof. A test draws random single-field changes to valid ballots and asserts
//! that both give the same verdict.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar as DalekScalar;
use curve25519_dalek::traits::IsIdentity;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyList, PyTuple};
use rayon::prelude::*;
use sha2::{Digest, Sha512};

use crate::batch::{msm_vartime, par_map};
use crate::element::{decode_point, Element};
use crate::scalar::canonical_scalar;

/// The protocol label every transcript starts with (spec/protocol.md#3.1).
const PROTOCOL_LABEL: &[u8] = b"suffrage/1";
/// The largest selection limit of a contest (a range proof has at most 1025 branches).
const MAX_RANGE: usize = 1024;
/// Each equation's random weight is 128 bits (spec/protocol.md#7.1).
pub(crate) const WEIGHT_BYTES: usize = 16;

/// A transcript (spec/protocol.md#3.1): SHA-512 over length-prefixed pieces.
#[derive(Clone)]
struct Transcript(Sha512);

impl Transcript {
    fn new(tag: &[u8]) -> Self {
        let mut hash = Sha512::new();
        prefixed(&mut hash, PROTOCOL_LABEL);
        prefixed(&mut hash, tag);
        Self(hash)
    }

    /// `lp(label) || lp(value)`.
    fn field(&mut self, label: &[u8], value: &[u8]) {
        self.fields(label, &[value]);
    }

    /// A field whose value is the concatenation of `parts` (a list of elements or scalars).
    fn fields(&mut self, label: &[u8], parts: &[&[u8]]) {
        prefixed(&mut self.0, label);
        let size: usize = parts.iter().map(|part| part.len()).sum();
        self.0.update((size as u64).to_be_bytes());
        for part in parts {
            self.0.update(part);
        }
    }

    fn digest(self) -> [u8; 64] {
        self.0.finalize().into()
    }

    /// The digest reduced modulo the group order (spec/protocol.md#3.2).
    fn challenge(self) -> DalekScalar {
        DalekScalar::from_bytes_mod_order_wide(&self.digest())
    }
}

fn prefixed(hash: &mut Sha512, data: &[u8]) {
    hash.update((data.len() as u64).to_be_bytes());
    hash.update(data);
}

/// One contest of a ballot style: its id, its options' ids and its selection limit; a
/// ranked contest (spec/protocol.md#13.1) has one rank per option instead of selections, and
/// its limit is its number of options (each rank's proof has `R = m`).
struct Contest {
    id: Vec<u8>,
    options: Vec<Vec<u8>>,
    limit: usize,
    ranked: bool,
}

/// A ballot style: its id and contests.
struct Style {
    id: Vec<u8>,
    contests: Vec<Contest>,
    /// Ciphertexts of a ballot: its selections and its ranks (one per option either way).
    ciphertexts: usize,
}

impl Style {
    fn new(id: Vec<u8>, contests: Vec<Contest>) -> Self {
        let ciphertexts = contests.iter().map(|c| c.options.len()).sum();
        Self {
            id,
            contests,
            ciphertexts,
        }
    }
}

/// What a range proof is about, and so which check names its failure.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A selection's proof (V9), on the ballot's ciphertext of this index.
    Selection(usize),
    /// A contest's limit proof (V10), on the sum of its selections.
    Limit,
    /// A rank's proof (V22), on the ballot's ciphertext of this index, at this rank (from 1).
    Rank(usize, u64),
}

/// A range proof's place in a ballot's body and in its points.
#[derive(Clone, Copy)]
struct Proof {
    /// Offset of its commitments on G in the body (then on K, challenges, responses).
    at: usize,
    /// Its branches, `R + 1`.
    branches: usize,
    /// Index of its first commitment on G among the ballot's points (then those on K).
    point: usize,
    /// The contest it belongs to, and what the proof is about.
    contest: usize,
    kind: Kind,
}

/// Where everything of a ballot of a style stands. Points are ordered: every ciphertext's
/// alpha (selections and ranks, in body order), every beta, the credential, the signature's
/// commitment, then proof by proof (each selection's of a contest, then its limit proof; a
/// ranked contest's rank proofs) the commitments on G and on K.
struct Layout {
    /// Bytes of a ballot's body: contest by contest, each selection's `alpha || beta` and
    /// its range proof, then the contest's limit proof, or each rank's `alpha || beta` and
    /// its range proof; a range proof of `n` branches is its commitments on G, its
    /// commitments on K, its challenges and its responses, `n` 32-byte values each.
    body_len: usize,
    /// Points of a ballot.
    points: usize,
    /// Offset of each ciphertext's `alpha || beta` in the body.
    ciphertexts: Vec<usize>,
    /// The indices of the selections' ciphertexts (the homomorphic column sums' columns;
    /// ranks are shuffled, never added up).
    columns: Vec<usize>,
    /// Each contest's first ciphertext and its number of ciphertexts.
    contests: Vec<(usize, usize)>,
    proofs: Vec<Proof>,
}

impl Layout {
    fn of(style: &Style) -> Self {
        let n = style.ciphertexts;
        let (mut ciphertexts, mut columns, mut contests, mut proofs) =
            (vec![], vec![], vec![], vec![]);
        let (mut at, mut point, mut slot) = (0, 2 * n + 2, 0);
        for (index, contest) in style.contests.iter().enumerate() {
            let m = contest.options.len();
            contests.push((slot, m));
            for option in 0..m {
                let (kind, branches) = if contest.ranked {
                    (Kind::Rank(slot + option, option as u64 + 1), m + 1)
                } else {
                    columns.push(slot + option);
                    (Kind::Selection(slot + option), 2)
                };
                ciphertexts.push(at);
                proofs.push(Proof {
                    at: at + 64,
                    branches,
                    point,
                    contest: index,
                    kind,
                });
                at += 64 + 4 * 32 * branches;
                point += 2 * branches;
            }
            slot += m;
            if contest.ranked {
                continue;
            }
            let branches = contest.limit + 1;
            proofs.push(Proof {
                at,
                branches,
                point,
                contest: index,
                kind: Kind::Limit,
            });
            at += 4 * 32 * branches;
            point += 2 * branches;
        }
        Self {
            body_len: at,
            points: point,
            ciphertexts,
            columns,
            contests,
            proofs,
        }
    }
}

/// A ballot as given: its style (an index), ids, credential, signature and body.
struct Input {
    style: usize,
    ballot_id: Vec<u8>,
    credential: [u8; 32],
    /// Whether the credential is on the election's list (V8) and bound to the style (V18).
    listed: bool,
    bound: bool,
    signature: [u8; 64],
    body: Vec<u8>,
}

/// A ballot's verdict: passed, or the first check it fails.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Verdict {
    Passed,
    /// A point that is not a canonical encoding of an element other than the identity, or a
    /// scalar that is not canonical: what the reference refuses when it decodes the entry.
    Decode,
    V8,
    V18,
    V9,
    V10,
    V22,
}

impl Verdict {
    fn name(self) -> Option<&'static str> {
        match self {
            Verdict::Passed => None,
            Verdict::Decode => Some("decode"),
            Verdict::V8 => Some("V8"),
            Verdict::V18 => Some("V18"),
            Verdict::V9 => Some("V9"),
            Verdict::V10 => Some("V10"),
            Verdict::V22 => Some("V22"),
        }
    }
}

/// Which equations a set of terms holds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    All,
    Signature,
    Selections,
    Limits,
    Ranks,
}

/// A ballot whose encodings decoded, ready to be checked.
struct Decoded {
    points: Vec<RistrettoPoint>,
    /// The signature's response, then every proof's challenges and responses, in body order.
    scalars: Vec<DalekScalar>,
    digest: [u8; 64],
    /// Each proof's challenge, from its transcript.
    challenges: Vec<DalekScalar>,
    /// The signature's challenge.
    signature_challenge: DalekScalar,
}

/// The terms of a random linear combination: a coefficient per point of the ballot, and
/// the coefficients of the generator and of the election key.
struct Terms {
    coefficients: Vec<DalekScalar>,
    on_g: DalekScalar,
    on_k: DalekScalar,
}

/// The 128-bit weights of one ballot's equations: SHA-512 of the batch's seed, the ballot's
/// index and a block counter, 64 bytes giving four weights.
struct Weights<'a> {
    seed: &'a [u8; 32],
    ballot: u64,
    block: u64,
    pool: [u8; 64],
    used: usize,
}

impl<'a> Weights<'a> {
    fn new(seed: &'a [u8; 32], ballot: usize) -> Self {
        Self {
            seed,
            ballot: ballot as u64,
            block: 0,
            pool: [0; 64],
            used: 64,
        }
    }

    fn next(&mut self) -> DalekScalar {
        if self.used == 64 {
            let mut hash = Sha512::new();
            hash.update(b"suffrage/1/batch-weights");
            hash.update(self.seed);
            hash.update(self.ballot.to_be_bytes());
            hash.update(self.block.to_be_bytes());
            self.pool = hash.finalize().into();
            self.block += 1;
            self.used = 0;
        }
        let mut wide = [0u8; 32];
        wide[..WEIGHT_BYTES].copy_from_slice(&self.pool[self.used..self.used + WEIGHT_BYTES]);
        self.used += WEIGHT_BYTES;
        DalekScalar::from_bytes_mod_order(wide)
    }
}

fn bytes32(data: &[u8]) -> [u8; 32] {
    data.try_into().expect("a 32-byte slice")
}

/// The checks of an election's cast ballots, many at a time (see the module's comment).
#[pyclass(frozen, module = "suffrage._native")]
pub struct BallotChecker {
    base_hash: Vec<u8>,
    key: RistrettoPoint,
    key_bytes: [u8; 32],
    styles: Vec<(Style, Layout)>,
}

impl BallotChecker {
    /// The ballot hash of spec/protocol.md#13.3.
    fn ballot_hash(&self, input: &Input, style: &Style, layout: &Layout) -> [u8; 64] {
        let mut t = Transcript::new(b"ballot");
        t.field(b"base_hash", &self.base_hash);
        t.field(b"ballot_id", &input.ballot_id);
        t.field(b"style_id", &style.id);
        t.field(b"credential", &input.credential);
        t.field(b"contests", &(style.contests.len() as u64).to_be_bytes());
        let body = &input.body;
        let mut proofs = layout.proofs.iter();
        for (contest, &(first, count)) in style.contests.iter().zip(&layout.contests) {
            t.field(b"contest_id", &contest.id);
            let unit: &[u8] = if contest.ranked {
                b"ranks"
            } else {
                b"selections"
            };
            t.field(unit, &(count as u64).to_be_bytes());
            for (option, at) in contest.options.iter().zip(&layout.ciphertexts[first..]) {
                if !contest.ranked {
                    t.field(b"option_id", option);
                }
                t.field(b"alpha", &body[*at..at + 32]);
                t.field(b"beta", &body[at + 32..at + 64]);
                absorb_range(
                    &mut t,
                    body,
                    proofs.next().expect("a selection or rank proof"),
                );
            }
            if !contest.ranked {
                absorb_range(&mut t, body, proofs.next().expect("a limit proof"));
            }
        }
        t.digest()
    }

    /// The encodings of a ballot's points, in the order of [`Layout`].
    fn encodings(&self, input: &Input, out: &mut Vec<[u8; 32]>) {
        let (_, layout) = &self.styles[input.style];
        let body = &input.body;
        out.extend(
            layout
                .ciphertexts
                .iter()
                .map(|&at| bytes32(&body[at..at + 32])),
        );
        out.extend(
            layout
                .ciphertexts
                .iter()
                .map(|&at| bytes32(&body[at + 32..at + 64])),
        );
        out.push(input.credential);
        out.push(bytes32(&input.signature[..32]));
        for proof in &layout.proofs {
            let size = 32 * proof.branches;
            for chunk in body[proof.at..proof.at + 2 * size].chunks_exact(32) {
                out.push(bytes32(chunk));
            }
        }
    }

    /// A ballot whose points decoded (`points`, the identity refused): its scalars decoded
    /// and its transcripts computed; `None` if a scalar is not canonical.
    fn decode(&self, input: &Input, points: Vec<RistrettoPoint>) -> Option<Decoded> {
        let (style, layout) = &self.styles[input.style];
        let body = &input.body;
        let n = style.ciphertexts;
        let mut scalars = vec![canonical_scalar(bytes32(&input.signature[32..]))?];
        for proof in &layout.proofs {
            let size = 32 * proof.branches;
            for chunk in body[proof.at + 2 * size..proof.at + 4 * size].chunks_exact(32) {
                scalars.push(canonical_scalar(bytes32(chunk))?);
            }
        }
        let digest = self.ballot_hash(input, style, layout);
        let mut signature = Transcript::new(b"schnorr/ballot-signature");
        signature.field(b"context", &self.base_hash);
        signature.field(b"base", RISTRETTO_BASEPOINT_POINT.compress().as_bytes());
        signature.field(b"public", &input.credential);
        signature.field(b"commitment", &input.signature[..32]);
        signature.field(b"message", &digest);
        let signature_challenge = signature.challenge();
        let challenges = self.range_challenges(input, style, layout, &points[..2 * n]);
        Some(Decoded {
            points,
            scalars,
            digest,
            challenges,
            signature_challenge,
        })
    }

    /// Every ballot's points decoded, all ballots' together spread over the cores (so that
    /// one ballot alone uses them too); `None` for a ballot with a refused encoding.
    fn decode_points(&self, inputs: &[Input]) -> Vec<Option<Vec<RistrettoPoint>>> {
        let mut encodings = Vec::new();
        let mut ends = Vec::with_capacity(inputs.len());
        for input in inputs {
            self.encodings(input, &mut encodings);
            ends.push(encodings.len());
        }
        let decoded: Vec<Option<RistrettoPoint>> = par_map(&encodings, |bytes| {
            decode_point(*bytes).filter(|point| !point.is_identity())
        });
        let mut start = 0;
        ends.iter()
            .map(|&end| {
                let points = decoded[start..end]
                    .iter()
                    .copied()
                    .collect::<Option<Vec<_>>>();
                start = end;
                points
            })
            .collect()
    }

    /// Every range proof's challenge (spec/protocol.md#6.3, #13.2): selection and rank
    /// proofs on their ciphertext, a limit proof on the sum of its contest's ciphertexts.
    fn range_challenges(
        &self,
        input: &Input,
        style: &Style,
        layout: &Layout,
        ciphertexts: &[RistrettoPoint],
    ) -> Vec<DalekScalar> {
        let n = style.ciphertexts;
        let body = &input.body;
        let start = |tag: &[u8]| {
            let mut t = Transcript::new(tag);
            t.field(b"base_hash", &self.base_hash);
            t.field(b"credential", &input.credential);
            t
        };
        let (selection_start, rank_start) = (
            start(b"ballot/proof-context"),
            start(b"ballot/rank-context"),
        );
        let stored = |at: usize| {
            (
                bytes32(&body[at..at + 32]),
                bytes32(&body[at + 32..at + 64]),
            )
        };
        par_map(&layout.proofs, |proof| {
            let contest = &style.contests[proof.contest];
            let (purpose, limit, (alpha, beta), context): (&[u8], usize, _, _) = match proof.kind {
                Kind::Selection(s) => {
                    let mut context = selection_start.clone();
                    context.field(b"contest_id", &contest.id);
                    let option = &contest.options[s - layout.contests[proof.contest].0];
                    context.field(b"option_id", option);
                    let ciphertext = stored(layout.ciphertexts[s]);
                    (b"range/selection", 1, ciphertext, context)
                }
                Kind::Rank(s, k) => {
                    let mut context = rank_start.clone();
                    context.field(b"contest_id", &contest.id);
                    context.field(b"rank", &k.to_be_bytes());
                    let ciphertext = stored(layout.ciphertexts[s]);
                    (b"range/rank", contest.limit, ciphertext, context)
                }
                Kind::Limit => {
                    let mut context = selection_start.clone();
                    context.field(b"contest_id", &contest.id);
                    context.field(b"option_id", b"");
                    let (first, count) = layout.contests[proof.contest];
                    let alpha: RistrettoPoint = ciphertexts[first..first + count].iter().sum();
                    let beta: RistrettoPoint =
                        ciphertexts[n + first..n + first + count].iter().sum();
                    let sum = (alpha.compress().to_bytes(), beta.compress().to_bytes());
                    (b"range/contest-limit", contest.limit, sum, context)
                }
            };
            let size = 32 * proof.branches;
            range_challenge(&RangeStatement {
                tag: purpose,
                context: &context.digest(),
                key: &self.key_bytes,
                limit,
                alpha: &alpha,
                beta: &beta,
                commitments_g: &body[proof.at..proof.at + size],
                commitments_k: &body[proof.at + size..proof.at + 2 * size],
            })
        })
    }

    /// Whether every proof of `group` has branch challenges that add up to its challenge.
    fn sums_hold(&self, input: &Input, decoded: &Decoded, group: Group) -> bool {
        let (_, layout) = &self.styles[input.style];
        let mut at = 1;
        for (proof, challenge) in layout.proofs.iter().zip(&decoded.challenges) {
            let branches = &decoded.scalars[at..at + proof.branches];
            at += 2 * proof.branches;
            if in_group(proof, group) && branches.iter().sum::<DalekScalar>() != *challenge {
                return false;
            }
        }
        true
    }

    /// The terms of the equations of `group`, each multiplied by minus its weight, so that
    /// a commitment's coefficient is its weight (spec/protocol.md#7.2):
    ///
    /// * signature: `R + c*X - s*G = O`;
    /// * range branch `j`: `a_j + c_j*alpha - s_j*G = O` and
    ///   `b_j + c_j*beta - (j*c_j)*G - s_j*K = O`, where a limit proof's `alpha` and `beta`
    ///   are the sums of its contest's, so their coefficients go to each selection's.
    ///
    /// The weights are drawn in this order whatever the group: the signature's, then for
    /// each proof (in body order: a contest's selection proofs then its limit proof, or a
    /// ranked contest's rank proofs) its branches' first equations, then their second.
    fn terms(
        &self,
        input: &Input,
        decoded: &Decoded,
        weights: &mut Weights,
        group: Group,
    ) -> Terms {
        let (style, layout) = &self.styles[input.style];
        let n = style.ciphertexts;
        let zero = DalekScalar::ZERO;
        let mut coefficients = vec![zero; layout.points];
        let (mut on_g, mut on_k) = (zero, zero);
        let z = weights.next();
        if matches!(group, Group::All | Group::Signature) {
            coefficients[2 * n] = z * decoded.signature_challenge;
            coefficients[2 * n + 1] = z;
            on_g -= z * decoded.scalars[0];
        }
        let mut at = 1;
        for proof in &layout.proofs {
            let b = proof.branches;
            let (challenges, responses) = (
                &decoded.scalars[at..at + b],
                &decoded.scalars[at + b..at + 2 * b],
            );
            at += 2 * b;
            let first: Vec<DalekScalar> = (0..b).map(|_| weights.next()).collect();
            let second: Vec<DalekScalar> = (0..b).map(|_| weights.next()).collect();
            if !in_group(proof, group) {
                continue;
            }
            let (mut on_alpha, mut on_beta) = (zero, zero);
            let mut shift = zero;
            for j in 0..b {
                let (c, s, z1, z2) = (challenges[j], responses[j], first[j], second[j]);
                coefficients[proof.point + j] = z1;
                coefficients[proof.point + b + j] = z2;
                on_alpha += z1 * c;
                let z2c = z2 * c;
                on_beta += z2c;
                on_g -= z1 * s;
                on_k -= z2 * s;
                shift += z2c * DalekScalar::from(j as u64);
            }
            on_g -= shift;
            let (first, count) = match proof.kind {
                Kind::Selection(s) | Kind::Rank(s, _) => (s, 1),
                Kind::Limit => layout.contests[proof.contest],
            };
            for i in first..first + count {
                coefficients[i] += on_alpha;
                coefficients[n + i] += on_beta;
            }
        }
        Terms {
            coefficients,
            on_g,
            on_k,
        }
    }

    /// Whether `terms` add up to the identity (variable time: public data only).
    fn holds(&self, terms: &Terms, points: &[RistrettoPoint]) -> bool {
        let mut scalars = terms.coefficients.clone();
        scalars.push(terms.on_g);
        scalars.push(terms.on_k);
        let mut all = points.to_vec();
        all.push(RISTRETTO_BASEPOINT_POINT);
        all.push(self.key);
        split_msm(&scalars, &all).is_identity()
    }

    /// The first check a decoded ballot fails, in the reference order (spec/protocol.md#15:
    /// V8, then V18, V9, V10, V22), each group of equations checked on its own.
    fn name_failure(
        &self,
        index: usize,
        input: &Input,
        decoded: &Decoded,
        seed: &[u8; 32],
    ) -> Verdict {
        if !input.listed {
            return Verdict::V8;
        }
        let group_holds = |group: Group| {
            self.sums_hold(input, decoded, group) && {
                let terms = self.terms(input, decoded, &mut Weights::new(seed, index), group);
                self.holds(&terms, &decoded.points)
            }
        };
        if !group_holds(Group::Signature) {
            Verdict::V8
        } else if !input.bound {
            Verdict::V18
        } else if !group_holds(Group::Selections) {
            Verdict::V9
        } else if !group_holds(Group::Limits) {
            Verdict::V10
        } else if !group_holds(Group::Ranks) {
            Verdict::V22
        } else {
            Verdict::Passed
        }
    }

    /// Check every ballot (see the module's comment); `seed` gives the batch's weights.
    fn check_all(&self, inputs: &[Input], seed: &[u8; 32]) -> Vec<(Verdict, Option<Decoded>)> {
        let points = self.decode_points(inputs);
        let decoded: Vec<Option<Decoded>> = inputs
            .par_iter()
            .zip(points)
            .map(|(input, points)| self.decode(input, points?))
            .collect();
        // Each ballot's own terms, for those that may pass; the others are named below.
        let terms: Vec<Option<Terms>> = par_map(
            &inputs.iter().zip(&decoded).enumerate().collect::<Vec<_>>(),
            |(index, (input, decoded))| {
                let decoded = decoded.as_ref()?;
                (input.listed && input.bound && self.sums_hold(input, decoded, Group::All)).then(
                    || self.terms(input, decoded, &mut Weights::new(seed, *index), Group::All),
                )
            },
        );
        let all_hold = self.batch_holds(&terms, &decoded);
        let own: Vec<bool> = if all_hold {
            terms.iter().map(Option::is_some).collect()
        } else {
            par_map(
                &terms.iter().zip(&decoded).collect::<Vec<_>>(),
                |(terms, decoded)| match (terms, decoded) {
                    (Some(terms), Some(decoded)) => self.holds(terms, &decoded.points),
                    _ => false,
                },
            )
        };
        let verdicts: Vec<Verdict> = par_map(
            &inputs
                .iter()
                .zip(&decoded)
                .zip(own)
                .enumerate()
                .collect::<Vec<_>>(),
            |(index, ((input, decoded), passed))| match (decoded, passed) {
                (None, _) => Verdict::Decode,
                (Some(_), true) => Verdict::Passed,
                (Some(decoded), false) => self.name_failure(*index, input, decoded, seed),
            },
        );
        verdicts.into_iter().zip(decoded).collect()
    }

    /// Whether the sum of the terms of every ballot that has them is the identity.
    fn batch_holds(&self, terms: &[Option<Terms>], decoded: &[Option<Decoded>]) -> bool {
        let mut scalars = Vec::new();
        let mut points = Vec::new();
        let (mut on_g, mut on_k) = (DalekScalar::ZERO, DalekScalar::ZERO);
        for (terms, decoded) in terms.iter().zip(decoded) {
            if let (Some(terms), Some(decoded)) = (terms, decoded) {
                scalars.extend_from_slice(&terms.coefficients);
                points.extend_from_slice(&decoded.points);
                on_g += terms.on_g;
                on_k += terms.on_k;
            }
        }
        if scalars.is_empty() {
            return true;
        }
        scalars.push(on_g);
        scalars.push(on_k);
        points.push(RISTRETTO_BASEPOINT_POINT);
        points.push(self.key);
        split_msm(&scalars, &points).is_identity()
    }
}

/// The multiscalar multiplication of one ballot's terms (about 150 points), in two halves on
/// two threads: the board checks one ballot at a time and has the cores for it.
fn split_msm(scalars: &[DalekScalar], points: &[RistrettoPoint]) -> RistrettoPoint {
    if scalars.len() < 64 {
        return msm_vartime(scalars, points);
    }
    let half = scalars.len() / 2;
    let (left, right) = rayon::join(
        || msm_vartime(&scalars[..half], &points[..half]),
        || msm_vartime(&scalars[half..], &points[half..]),
    );
    left + right
}

/// What a range proof's challenge binds (spec/protocol.md#6.3), as encodings.
struct RangeStatement<'a> {
    /// The domain tag, `range/<purpose>`.
    tag: &'a [u8],
    context: &'a [u8],
    key: &'a [u8],
    limit: usize,
    alpha: &'a [u8],
    beta: &'a [u8],
    /// The branches' commitments on G, then on K, each list joined.
    commitments_g: &'a [u8],
    commitments_k: &'a [u8],
}

/// The challenge of a range proof (spec/protocol.md#6.3): the one definition of its
/// transcript in the kernel, for the checker and for the prover.
fn range_challenge(s: &RangeStatement) -> DalekScalar {
    let mut t = Transcript::new(s.tag);
    t.field(b"context", s.context);
    t.field(b"key", s.key);
    t.field(b"limit", &(s.limit as u64).to_be_bytes());
    t.field(b"alpha", s.alpha);
    t.field(b"beta", s.beta);
    t.field(b"commitments_g", s.commitments_g);
    t.field(b"commitments_k", s.commitments_k);
    t.challenge()
}

type RangeArg = (
    PyBackedBytes,
    PyBackedBytes,
    usize,
    PyBackedBytes,
    PyBackedBytes,
    PyBackedBytes,
    PyBackedBytes,
);

/// The challenges of many range proofs under election key `key`, for the prover: each item
/// is `(purpose, context, limit, alpha, beta, commitments_g, commitments_k)`, as encodings
/// (the commitments of all branches joined). Computed with the GIL released.
#[pyfunction]
fn range_challenges(
    py: Python<'_>,
    key: PyRef<'_, Element>,
    items: Vec<RangeArg>,
) -> PyResult<Vec<crate::scalar::Scalar>> {
    let key = *key.encoding();
    let mut tags = Vec::with_capacity(items.len());
    for (index, (purpose, _, limit, alpha, beta, on_g, on_k)) in items.iter().enumerate() {
        let size = 32 * (limit + 1);
        if *limit > MAX_RANGE || alpha.len() != 32 || beta.len() != 32 {
            return Err(value_error(format!(
                "items[{index}]: expected a limit in 0..{MAX_RANGE} and 32-byte alpha and beta"
            )));
        }
        if on_g.len() != size || on_k.len() != size {
            return Err(value_error(format!(
                "items[{index}]: expected {size} bytes of commitments on G and on K each"
            )));
        }
        tags.push([b"range/", purpose.as_ref()].concat());
    }
    let challenges = py.allow_threads(|| {
        items
            .iter()
            .zip(&tags)
            .map(|((_, context, limit, alpha, beta, on_g, on_k), tag)| {
                range_challenge(&RangeStatement {
                    tag,
                    context,
                    key: &key,
                    limit: *limit,
                    alpha,
                    beta,
                    commitments_g: on_g,
                    commitments_k: on_k,
                })
            })
            .collect::<Vec<_>>()
    });
    Ok(challenges
        .into_iter()
        .map(crate::scalar::Scalar::new)
        .collect())
}

fn in_group(proof: &Proof, group: Group) -> bool {
    match group {
        Group::All => true,
        Group::Signature => false,
        Group::Selections => matches!(proof.kind, Kind::Selection(_)),
        Group::Limits => proof.kind == Kind::Limit,
        Group::Ranks => matches!(proof.kind, Kind::Rank(..)),
    }
}

/// A range proof's four fields in the ballot hash (spec/protocol.md#13.3).
fn absorb_range(t: &mut Transcript, body: &[u8], proof: &Proof) {
    let size = 32 * proof.branches;
    let labels: [&[u8]; 4] = [
        b"commitments_g",
        b"commitments_k",
        b"challenges",
        b"responses",
    ];
    for (k, label) in labels.iter().enumerate() {
        t.field(label, &body[proof.at + k * size..proof.at + (k + 1) * size]);
    }
}

fn value_error(message: String) -> PyErr {
    PyValueError::new_err(message)
}

type StyleArg = (
    PyBackedBytes,
    Vec<(PyBackedBytes, Vec<PyBackedBytes>, usize, bool)>,
);
/// Byte strings are taken as `PyBackedBytes` (a view of the Python object, copied once with
/// `to_vec`): pyo3 would extract a `Vec<u8>` item by item.
type BallotArg = (
    usize,
    PyBackedBytes,
    PyBackedBytes,
    bool,
    bool,
    PyBackedBytes,
    PyBackedBytes,
);

#[pymethods]
impl BallotChecker {
    /// `styles`: for each ballot style, its id and its contests (id, option ids, selection
    /// limit, ranked), the ids as UTF-8 bytes; a ranked contest's limit is not read (its
    /// rank proofs have `R` = its number of options).
    #[new]
    fn py_new(
        base_hash: Vec<u8>,
        key: PyRef<'_, Element>,
        styles: Vec<StyleArg>,
    ) -> PyResult<Self> {
        let mut built = Vec::with_capacity(styles.len());
        for (index, (id, contests)) in styles.into_iter().enumerate() {
            let mut shaped = Vec::with_capacity(contests.len());
            for (contest, options, limit, ranked) in contests {
                let limit = if ranked { options.len() } else { limit };
                if !(1..=MAX_RANGE).contains(&limit) || options.is_empty() {
                    return Err(value_error(format!(
                        "styles[{index}]: a contest needs options and a limit in 1..{MAX_RANGE} \
                         (a ranked one, at most {MAX_RANGE} options)"
                    )));
                }
                shaped.push(Contest {
                    id: contest.to_vec(),
                    options: options.iter().map(|o| o.to_vec()).collect(),
                    limit,
                    ranked,
                });
            }
            let style = Style::new(id.to_vec(), shaped);
            let layout = Layout::of(&style);
            built.push((style, layout));
        }
        Ok(Self {
            base_hash: base_hash.to_vec(),
            key: key.point,
            key_bytes: *key.encoding(),
            styles: built,
        })
    }

    /// Check `ballots`, each `(style index, ballot id, credential, listed, bound,
    /// signature commitment || response, body)`, with weights drawn from the 32-byte `seed`.
    ///
    /// Returns `(verdicts, sums)`. For each ballot `(verdict, digest)`: the verdict is `None`
    /// if the ballot passed, else the first check it fails (`"decode"`, `"V8"`, `"V18"`,
    /// `"V9"`, `"V10"`, `"V22"`); the digest is the ballot hash, `None` unless it passed. For
    /// each style, the sums of its passed ballots' ciphertexts per selection (every alpha,
    /// then every beta; ranks are not summed), or `None` if none passed. Lengths that do not fit the style are refused.
    fn check<'py>(
        &self,
        py: Python<'py>,
        ballots: Vec<BallotArg>,
        seed: PyBackedBytes,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let seed: [u8; 32] = seed
            .as_ref()
            .try_into()
            .map_err(|_| value_error(format!("seed: expected 32 bytes, got {}", seed.len())))?;
        let mut inputs = Vec::with_capacity(ballots.len());
        for (index, (style, ballot_id, credential, listed, bound, signature, body)) in
            ballots.into_iter().enumerate()
        {
            let (_, layout) = self
                .styles
                .get(style)
                .ok_or_else(|| value_error(format!("ballots[{index}]: no style {style}")))?;
            if credential.len() != 32 || signature.len() != 64 || body.len() != layout.body_len {
                return Err(value_error(format!(
                    "ballots[{index}]: expected a 32-byte credential, a 64-byte signature and a \
                     {}-byte body, got {}, {} and {}",
                    layout.body_len,
                    credential.len(),
                    signature.len(),
                    body.len()
                )));
            }
            inputs.push(Input {
                style,
                ballot_id: ballot_id.to_vec(),
                credential: bytes32(&credential),
                listed,
                bound,
                signature: signature.as_ref().try_into().expect("64 bytes"),
                body: body.to_vec(),
            });
        }
        let (results, sums) = py.allow_threads(|| {
            let results = self.check_all(&inputs, &seed);
            let sums = self.column_sums(&inputs, &results);
            (results, sums)
        });
        let verdicts = PyList::empty_bound(py);
        for (verdict, decoded) in results {
            let digest = match (verdict, decoded) {
                (Verdict::Passed, Some(decoded)) => {
                    PyBytes::new_bound(py, &decoded.digest).into_any()
                }
                _ => py.None().into_bound(py),
            };
            let name = verdict.name().into_py(py).into_bound(py);
            verdicts.append(PyTuple::new_bound(py, [name, digest]))?;
        }
        let columns = PyList::empty_bound(py);
        for sums in sums {
            match sums {
                None => columns.append(py.None())?,
                Some(points) => {
                    let elements = PyList::empty_bound(py);
                    for point in points {
                        elements.append(Bound::new(py, Element::new(point))?)?;
                    }
                    columns.append(elements)?;
                }
            }
        }
        Ok(PyTuple::new_bound(
            py,
            [verdicts.into_any(), columns.into_any()],
        ))
    }
}

impl BallotChecker {
    /// For each style, the sum of the passed ballots' ciphertexts per selection (every
    /// alpha, then every beta; a ranked contest's ranks are not summed, #13.1), or `None`
    /// where no ballot of the style passed: what the verifier adds up for the tally (V14),
    /// without a Python object per ciphertext.
    fn column_sums(
        &self,
        inputs: &[Input],
        results: &[(Verdict, Option<Decoded>)],
    ) -> Vec<Option<Vec<RistrettoPoint>>> {
        let mut sums: Vec<Option<Vec<RistrettoPoint>>> = vec![None; self.styles.len()];
        for (input, (verdict, decoded)) in inputs.iter().zip(results) {
            if let (Verdict::Passed, Some(decoded)) = (verdict, decoded) {
                let (style, layout) = &self.styles[input.style];
                let (n, points) = (style.ciphertexts, &decoded.points);
                let columns = || {
                    let alphas = layout.columns.iter().map(|&i| points[i]);
                    alphas.chain(layout.columns.iter().map(|&i| points[n + i]))
                };
                match &mut sums[input.style] {
                    Some(sum) => sum.iter_mut().zip(columns()).for_each(|(s, p)| *s += p),
                    empty => *empty = Some(columns().collect()),
                }
            }
        }
        sums
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<BallotChecker>()?;
    m.add_function(wrap_pyfunction!(range_challenges, m)?)
}

#[cfg(test)]
mod tests;
