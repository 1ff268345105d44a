//! The batch check of ballots on ballots made here by a small prover (the protocol's, spec
//! sections 6.1, 6.3, 13.2 and 13.3): valid ballots pass with their hash, and each kind of
//! defect is named with the check the one-by-one path names first. (The Python tests draw
//! random changes and compare every verdict with the reference; these pin the kernel alone.)

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar as DalekScalar;
use sha2::{Digest, Sha512};

use super::*;

/// A deterministic source of scalars for the tests.
struct Draws(u64);

impl Draws {
    fn scalar(&mut self) -> DalekScalar {
        self.0 += 1;
        let mut hash = Sha512::new();
        hash.update(b"check tests");
        hash.update(self.0.to_be_bytes());
        DalekScalar::from_bytes_mod_order_wide(&hash.finalize().into())
    }
}

fn enc(point: &RistrettoPoint) -> [u8; 32] {
    point.compress().to_bytes()
}

struct Election {
    checker: BallotChecker,
    key_secret: DalekScalar,
}

/// One style "s": contest "c1" (options a, b; vote for 1), contest "c2" (x, y, z; vote
/// for 2).
fn election(draws: &mut Draws) -> Election {
    let key_secret = draws.scalar();
    let contests = vec![
        Contest {
            id: b"c1".to_vec(),
            options: vec![b"a".to_vec(), b"b".to_vec()],
            limit: 1,
            ranked: false,
        },
        Contest {
            id: b"c2".to_vec(),
            options: vec![b"x".to_vec(), b"y".to_vec(), b"z".to_vec()],
            limit: 2,
            ranked: false,
        },
    ];
    checked_election(key_secret, contests)
}

/// One style "s" of `contests`, under the key of `key_secret`.
fn checked_election(key_secret: DalekScalar, contests: Vec<Contest>) -> Election {
    let key = G * key_secret;
    let style = Style::new(b"s".to_vec(), contests);
    let layout = Layout::of(&style);
    Election {
        checker: BallotChecker {
            base_hash: vec![7; 64],
            key,
            key_bytes: enc(&key),
            styles: vec![(style, layout)],
        },
        key_secret,
    }
}

/// A range proof of `value` in `0..=limit` for `(alpha, beta) = (r*G, r*K + value*G)`:
/// commitments on G, on K, challenges, responses, joined.
#[allow(clippy::too_many_arguments)]
fn prove_range(
    draws: &mut Draws,
    checker: &BallotChecker,
    context: &[u8; 64],
    purpose: &[u8],
    (alpha, beta): (RistrettoPoint, RistrettoPoint),
    value: usize,
    nonce: DalekScalar,
    limit: usize,
) -> Vec<u8> {
    let key = checker.key;
    let w = draws.scalar();
    let (mut a, mut b, mut c, mut s) = (vec![], vec![], vec![], vec![]);
    for j in 0..=limit {
        if j == value {
            a.push(G * w);
            b.push(key * w);
            c.push(DalekScalar::ZERO);
            s.push(DalekScalar::ZERO);
        } else {
            let (c_j, s_j) = (draws.scalar(), draws.scalar());
            a.push(G * s_j - alpha * c_j);
            b.push(key * s_j - (beta - G * DalekScalar::from(j as u64)) * c_j);
            c.push(c_j);
            s.push(s_j);
        }
    }
    let joined = |points: &[RistrettoPoint]| points.iter().flat_map(enc).collect::<Vec<u8>>();
    let mut t = Transcript::new(purpose);
    t.field(b"context", context);
    t.field(b"key", &checker.key_bytes);
    t.field(b"limit", &(limit as u64).to_be_bytes());
    t.field(b"alpha", &enc(&alpha));
    t.field(b"beta", &enc(&beta));
    t.field(b"commitments_g", &joined(&a));
    t.field(b"commitments_k", &joined(&b));
    let challenge = t.challenge();
    c[value] = challenge - c.iter().sum::<DalekScalar>();
    s[value] = w + c[value] * nonce;
    let mut out = joined(&a);
    out.extend(joined(&b));
    out.extend(c.iter().flat_map(|x| x.to_bytes()));
    out.extend(s.iter().flat_map(|x| x.to_bytes()));
    out
}

fn proof_context(
    checker: &BallotChecker,
    credential: &[u8; 32],
    contest: &[u8],
    option: &[u8],
) -> [u8; 64] {
    let mut t = Transcript::new(b"ballot/proof-context");
    t.field(b"base_hash", &checker.base_hash);
    t.field(b"credential", credential);
    t.field(b"contest_id", contest);
    t.field(b"option_id", option);
    t.digest()
}

fn rank_context(
    checker: &BallotChecker,
    credential: &[u8; 32],
    contest: &[u8],
    rank: u64,
) -> [u8; 64] {
    let mut t = Transcript::new(b"ballot/rank-context");
    t.field(b"base_hash", &checker.base_hash);
    t.field(b"credential", credential);
    t.field(b"contest_id", contest);
    t.field(b"rank", &rank.to_be_bytes());
    t.digest()
}

/// A valid ballot with `marks` per contest (a ranked contest's: its ranks' values, each the
/// position of an option from 1, or 0), signed by `secret`.
fn ballot(
    draws: &mut Draws,
    checker: &BallotChecker,
    secret: DalekScalar,
    marks: &[&[usize]],
) -> Input {
    let credential = enc(&(G * secret));
    let (style, _) = &checker.styles[0];
    let mut body = vec![];
    for (contest, values) in style.contests.iter().zip(marks) {
        let (mut total, mut nonces, mut sum) = (
            (RistrettoPoint::default(), RistrettoPoint::default()),
            DalekScalar::ZERO,
            0,
        );
        if contest.ranked {
            for (k, &value) in (1..).zip(values.iter()) {
                let r = draws.scalar();
                let ct = (G * r, checker.key * r + G * DalekScalar::from(value as u64));
                let context = rank_context(checker, &credential, &contest.id, k);
                body.extend(enc(&ct.0));
                body.extend(enc(&ct.1));
                let m = contest.options.len();
                body.extend(prove_range(
                    draws,
                    checker,
                    &context,
                    b"range/rank",
                    ct,
                    value,
                    r,
                    m,
                ));
            }
            continue;
        }
        for (option, &value) in contest.options.iter().zip(values.iter()) {
            let r = draws.scalar();
            let ct = (G * r, checker.key * r + G * DalekScalar::from(value as u64));
            let context = proof_context(checker, &credential, &contest.id, option);
            body.extend(enc(&ct.0));
            body.extend(enc(&ct.1));
            body.extend(prove_range(
                draws,
                checker,
                &context,
                b"range/selection",
                ct,
                value,
                r,
                1,
            ));
            total = (total.0 + ct.0, total.1 + ct.1);
            nonces += r;
            sum += value;
        }
        let context = proof_context(checker, &credential, &contest.id, b"");
        body.extend(prove_range(
            draws,
            checker,
            &context,
            b"range/contest-limit",
            total,
            sum,
            nonces,
            contest.limit,
        ));
    }
    let mut input = Input {
        style: 0,
        ballot_id: b"ballot-1".to_vec(),
        credential,
        listed: true,
        bound: true,
        signature: [0; 64],
        body,
    };
    sign(draws, checker, &mut input, secret);
    input
}

/// Sign `input` (again) with `secret`: the signature of spec 13.3.
fn sign(draws: &mut Draws, checker: &BallotChecker, input: &mut Input, secret: DalekScalar) {
    let (style, layout) = &checker.styles[0];
    let digest = checker.ballot_hash(input, style, layout);
    let w = draws.scalar();
    let commitment = enc(&(G * w));
    let mut t = Transcript::new(b"schnorr/ballot-signature");
    t.field(b"context", &checker.base_hash);
    t.field(b"base", &enc(&G));
    t.field(b"public", &input.credential);
    t.field(b"commitment", &commitment);
    t.field(b"message", &digest);
    let response = w + t.challenge() * secret;
    input.signature[..32].copy_from_slice(&commitment);
    input.signature[32..].copy_from_slice(&response.to_bytes());
}

fn verdicts(checker: &BallotChecker, inputs: &[Input]) -> Vec<Verdict> {
    checker
        .check_all(inputs, &[3; 32])
        .into_iter()
        .map(|(v, _)| v)
        .collect()
}

#[test]
fn a_transcript_is_its_length_prefixed_pieces() {
    let mut t = Transcript::new(b"tag");
    t.fields(b"ab", &[b"x", b"yz"]);
    let mut bytes = vec![];
    for piece in [&b"suffrage/1"[..], b"tag", b"ab", b"xyz"] {
        bytes.extend((piece.len() as u64).to_be_bytes());
        bytes.extend(piece);
    }
    assert_eq!(t.digest(), <[u8; 64]>::from(Sha512::digest(&bytes)));
}

#[test]
fn valid_ballots_pass_alone_and_in_a_batch_with_their_hash() {
    let draws = &mut Draws(1);
    let e = election(draws);
    let inputs: Vec<Input> = (0..5)
        .map(|i| {
            ballot(
                draws,
                &e.checker,
                draws_secret(i),
                &[&[i % 2, 1 - i % 2], &[1, 0, i % 2]],
            )
        })
        .collect();
    assert_eq!(verdicts(&e.checker, &inputs[..1]), vec![Verdict::Passed]);
    let results = e.checker.check_all(&inputs, &[4; 32]);
    let (style, layout) = &e.checker.styles[0];
    for (input, (verdict, decoded)) in inputs.iter().zip(results) {
        assert_eq!(verdict, Verdict::Passed);
        let decoded = decoded.expect("a passing ballot is decoded");
        assert_eq!(decoded.digest, e.checker.ballot_hash(input, style, layout));
        assert_eq!(enc(&decoded.points[0]), input.body[..32]);
    }
    assert_ne!(e.key_secret, DalekScalar::ZERO);
}

fn draws_secret(i: usize) -> DalekScalar {
    Draws(1000 + i as u64).scalar()
}

#[test]
fn each_defect_is_named_and_only_its_ballot_fails() {
    let draws = &mut Draws(2);
    let e = election(draws);
    let good =
        |draws: &mut Draws| ballot(draws, &e.checker, draws_secret(0), &[&[1, 0], &[0, 1, 1]]);
    let mut cases: Vec<(Input, Verdict)> = vec![];

    let mut identity = good(draws);
    identity.body[..32].fill(0); // the first alpha is the identity
    cases.push((identity, Verdict::Decode));

    let mut above = good(draws);
    let order = DalekScalar::ZERO - DalekScalar::ONE; // l - 1; l itself is not canonical
    let mut l = order.to_bytes();
    l[0] += 1;
    above.signature[32..].copy_from_slice(&l);
    cases.push((above, Verdict::Decode));

    let mut unlisted = good(draws);
    unlisted.listed = false;
    cases.push((unlisted, Verdict::V8));

    let mut forged = good(draws);
    forged.signature[40] ^= 1;
    cases.push((forged, Verdict::V8));

    let mut unbound = good(draws);
    unbound.bound = false;
    cases.push((unbound, Verdict::V18));

    // A selection proof's response changed, and the ballot signed again: only V9 fails.
    let mut selection = good(draws);
    let response = 64 + 3 * 64; // the first selection's first response
    selection.body[response] ^= 1;
    sign(draws, &e.checker, &mut selection, draws_secret(0));
    cases.push((selection, Verdict::V9));

    // The first contest's limit proof: its first challenge changed (the sum fails), signed.
    let mut limit = good(draws);
    let at = 2 * (64 + 4 * 64) + 2 * 64;
    limit.body[at] ^= 1;
    sign(draws, &e.checker, &mut limit, draws_secret(0));
    cases.push((limit, Verdict::V10));

    let mut inputs = vec![good(draws)];
    let mut want = vec![Verdict::Passed];
    for (input, verdict) in cases {
        assert_eq!(
            verdicts(&e.checker, std::slice::from_ref(&input)),
            vec![verdict]
        );
        inputs.push(input);
        want.push(verdict);
        inputs.push(good(draws));
        want.push(Verdict::Passed);
    }
    assert_eq!(verdicts(&e.checker, &inputs), want);
}

/// One style "s": contest "c1" (options a, b; vote for 1), ranked contest "r" (p, q, s, t).
fn ranked_election(draws: &mut Draws) -> Election {
    let key_secret = draws.scalar();
    let contests = vec![
        Contest {
            id: b"c1".to_vec(),
            options: vec![b"a".to_vec(), b"b".to_vec()],
            limit: 1,
            ranked: false,
        },
        Contest {
            id: b"r".to_vec(),
            options: vec![b"p".to_vec(), b"q".to_vec(), b"s".to_vec(), b"t".to_vec()],
            limit: 4,
            ranked: true,
        },
    ];
    checked_election(key_secret, contests)
}

#[test]
fn a_ranked_contest_is_four_ranks_with_proofs_of_r_equal_m_and_no_limit_proof() {
    let draws = &mut Draws(3);
    let e = ranked_election(draws);
    let (_, layout) = &e.checker.styles[0];
    // c1: two selections (64 + 4*64 each) and a limit proof of 2 branches (4*64); then four
    // ranks, each 64 + 4*32*5.
    assert_eq!(layout.body_len, 2 * (64 + 256) + 256 + 4 * (64 + 640));
    assert_eq!(layout.proofs.len(), 2 + 1 + 4);
    assert_eq!(layout.columns, vec![0, 1]);
    assert!(layout.proofs[3..]
        .iter()
        .zip(1..)
        .all(|(p, k)| p.kind == Kind::Rank(1 + k as usize, k) && p.branches == 5));
}

#[test]
fn ranked_ballots_pass_with_their_hash_and_only_selections_are_summed() {
    let draws = &mut Draws(4);
    let e = ranked_election(draws);
    let rankings: [&[usize]; 3] = [&[2, 1, 4, 3], &[0, 0, 0, 0], &[3, 0, 3, 4]];
    let inputs: Vec<Input> = (0..3)
        .map(|i| ballot(draws, &e.checker, draws_secret(i), &[&[1, 0], rankings[i]]))
        .collect();
    let results = e.checker.check_all(&inputs, &[5; 32]);
    let (style, layout) = &e.checker.styles[0];
    for (input, (verdict, decoded)) in inputs.iter().zip(&results) {
        assert_eq!(*verdict, Verdict::Passed);
        let digest = decoded.as_ref().expect("decoded").digest;
        assert_eq!(digest, e.checker.ballot_hash(input, style, layout));
    }
    let sums = e.checker.column_sums(&inputs, &results);
    let sum = sums[0].as_ref().expect("passed ballots");
    assert_eq!(sum.len(), 4, "two selections' alphas and betas, no ranks");
    let alpha: RistrettoPoint = inputs
        .iter()
        .map(|input| decode_point(bytes32(&input.body[..32])).expect("a point"))
        .sum();
    assert_eq!(sum[0], alpha);
}

#[test]
fn a_bad_rank_proof_is_v22_after_every_other_check() {
    let draws = &mut Draws(5);
    let e = ranked_election(draws);
    let good = |draws: &mut Draws| {
        ballot(
            draws,
            &e.checker,
            draws_secret(0),
            &[&[0, 1], &[4, 2, 0, 0]],
        )
    };
    let rank = 2 * (64 + 256) + 256; // the first rank's alpha
    let rank_size = 64 + 640;
    let mut cases: Vec<(Input, Verdict)> = vec![];

    // The third rank's first response changed, and the ballot signed again.
    let mut response = good(draws);
    response.body[rank + 2 * rank_size + 64 + 3 * 160] ^= 1;
    sign(draws, &e.checker, &mut response, draws_secret(0));
    cases.push((response, Verdict::V22));

    // The second rank's ciphertext moved by G (one more than its proof says), signed again.
    let mut bent = good(draws);
    let at = rank + rank_size + 32;
    let beta = decode_point(bytes32(&bent.body[at..at + 32])).expect("a point") + G;
    bent.body[at..at + 32].copy_from_slice(&enc(&beta));
    sign(draws, &e.checker, &mut bent, draws_secret(0));
    cases.push((bent, Verdict::V22));

    // The first rank's proof's challenge sum broken, signed again.
    let mut sum = good(draws);
    sum.body[rank + 64 + 2 * 160] ^= 1;
    sign(draws, &e.checker, &mut sum, draws_secret(0));
    cases.push((sum, Verdict::V22));

    // A rank changed but not signed again: the signature fails first.
    let mut unsigned = good(draws);
    unsigned.body[rank + 64 + 3 * 160] ^= 1;
    cases.push((unsigned, Verdict::V8));

    // A broken selection proof and a broken rank proof: V9 comes first.
    let mut both = good(draws);
    both.body[64 + 3 * 64] ^= 1;
    both.body[rank + 64 + 3 * 160] ^= 1;
    sign(draws, &e.checker, &mut both, draws_secret(0));
    cases.push((both, Verdict::V9));

    let mut inputs = vec![good(draws)];
    let mut want = vec![Verdict::Passed];
    for (input, verdict) in cases {
        assert_eq!(
            verdicts(&e.checker, std::slice::from_ref(&input)),
            vec![verdict]
        );
        inputs.push(input);
        want.push(verdict);
        inputs.push(good(draws));
        want.push(Verdict::Passed);
    }
    assert_eq!(verdicts(&e.checker, &inputs), want);
}
