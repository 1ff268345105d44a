//! The decryption of a last mix on its own: the shares are the secret times each alpha, the
//! weights are the spec's transcripts, the sums and the combination give back the values
//! encrypted; every refusal names the ciphertext or share and gives the reference's reason.
//! (The Python tests hold the kernel to the readable reference.)

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar as DalekScalar;
use sha2::{Digest, Sha512};

use super::*;

fn scalar(label: &[u8], index: usize) -> DalekScalar {
    let mut hash = Sha512::new();
    hash.update(label);
    hash.update(index.to_be_bytes());
    DalekScalar::from_bytes_mod_order_wide(&hash.finalize().into())
}

fn enc(point: &RistrettoPoint) -> [u8; 32] {
    point.compress().to_bytes()
}

/// Shamir shares at x = 1, 2, 3 of a secret with threshold 2 (`f(x) = s + a*x`).
fn key_shares() -> (DalekScalar, [DalekScalar; 3]) {
    let (s, a) = (scalar(b"secret", 0), scalar(b"slope", 0));
    let at = |x: u64| s + a * DalekScalar::from(x);
    (s, [at(1), at(2), at(3)])
}

/// Encryptions of `values` under `s*G`, as rows bytes.
fn encryptions(s: &DalekScalar, values: &[u64]) -> Vec<u8> {
    let key = G * s;
    values
        .iter()
        .enumerate()
        .flat_map(|(i, &v)| {
            let r = scalar(b"nonce", i);
            [enc(&(G * r)), enc(&(key * r + G * DalekScalar::from(v)))]
        })
        .flatten()
        .collect()
}

/// The encoding of an element that is not canonical (a field element above p).
const NON_CANONICAL_ELEMENT: [u8; 32] = [0xff; 32];

#[test]
fn shares_are_the_secret_times_each_alpha() {
    let (_, shares_of) = key_shares();
    let rows = encryptions(
        &scalar(b"key", 0),
        &[0, 1, 2, 3, 0, 5, 6, 7, 1, 2, 3, 4, 0, 0, 1, 2, 3],
    );
    let alphas = decode_alphas(&rows).unwrap();
    let got = shares(&alphas, &shares_of[0]);
    let expected: Vec<u8> = alphas
        .iter()
        .flat_map(|alpha| enc(&(alpha * shares_of[0])))
        .collect();
    assert_eq!(got, expected);
    assert!(shares(&[], &shares_of[0]).is_empty());
}

#[test]
fn an_alpha_that_is_not_canonical_the_identity_or_short_is_refused_naming_it() {
    let mut rows = encryptions(&scalar(b"key", 0), &[1, 2, 3]);
    rows[64..96].copy_from_slice(&NON_CANONICAL_ELEMENT);
    assert_eq!(
        decode_alphas(&rows).unwrap_err(),
        format!("ciphertext 1: {INVALID_ELEMENT}")
    );
    rows[64..96].copy_from_slice(&[0; 32]);
    assert_eq!(
        decode_alphas(&rows).unwrap_err(),
        format!("ciphertext 1: {IDENTITY}")
    );
    let rows = encryptions(&scalar(b"key", 0), &[1, 2]);
    assert_eq!(
        decode_alphas(&rows[..64 + 10]).unwrap_err(),
        "ciphertext 1: expected 32 bytes, got 10"
    );
    // A partial ciphertext whose alpha is whole counts as one, as the reference's does.
    assert_eq!(decode_alphas(&rows[..64 + 40]).unwrap().len(), 2);
}

/// lp(data): the 8-byte big-endian length, then the data (spec/protocol.md#3.1).
fn lp(data: &[u8]) -> Vec<u8> {
    [&(data.len() as u64).to_be_bytes()[..], data].concat()
}

#[test]
fn weights_are_the_transcripts_of_the_spec() {
    let digest = [7u8; 64];
    let got = weights(&digest, 3);
    for (index, weight) in got.iter().enumerate() {
        let bytes = [
            lp(b"suffrage/1"),
            lp(b"mix-decryption/weight"),
            lp(b"shares_digest"),
            lp(&digest),
            lp(b"index"),
            lp(&(index as u64).to_be_bytes()),
        ]
        .concat();
        let hash: [u8; 64] = Sha512::digest(bytes).into();
        assert_eq!(
            *weight,
            DalekScalar::from_bytes_mod_order_wide(&hash),
            "weight {index}"
        );
    }
}

#[test]
fn sums_are_the_weighted_sums_and_refuse_bad_shares_naming_them() {
    let (_, shares_of) = key_shares();
    let rows = encryptions(&scalar(b"key", 0), &[0, 1, 2, 3]);
    let alphas = decode_alphas(&rows).unwrap();
    let mut own = shares(&alphas, &shares_of[1]);
    let digest = [3u8; 64];
    let (a, m) = sums(&rows, &own, &digest).unwrap();
    let z = weights(&digest, 4);
    let expected: RistrettoPoint = z.iter().zip(&alphas).map(|(z, alpha)| alpha * z).sum();
    assert_eq!(a, expected);
    assert_eq!(m, expected * shares_of[1]);
    assert_eq!(
        sums(&rows, &own[..96], &digest).unwrap_err(),
        "shares: has 96 bytes, expected 128 (4 ciphertexts)"
    );
    own[32..64].copy_from_slice(&[0; 32]);
    assert_eq!(
        sums(&rows, &own, &digest).unwrap_err(),
        format!("shares[1]: {IDENTITY}")
    );
    own[96..].copy_from_slice(&NON_CANONICAL_ELEMENT);
    assert_eq!(
        sums(&rows, &own, &digest).unwrap_err(),
        format!("shares[1]: {IDENTITY}")
    );
    let mut bad_rows = rows.clone();
    bad_rows[192..224].copy_from_slice(&NON_CANONICAL_ELEMENT);
    assert_eq!(
        sums(&bad_rows, &own[..96], &digest).unwrap_err(),
        format!("ciphertext 3: {INVALID_ELEMENT}"),
        "an alpha is refused before the shares' length"
    );
}

/// The Lagrange weights at 0 of the guardians at x = 1 and 3: 3/2 and -1/2.
fn lagrange_1_3() -> [DalekScalar; 2] {
    let half = DalekScalar::from(2u64).invert();
    [DalekScalar::from(3u64) * half, -half]
}

#[test]
fn two_guardians_shares_combine_into_the_values() {
    let (s, shares_of) = key_shares();
    let values = [0, 1, 2, 3, 4, 4, 0, 1];
    let rows = encryptions(&s, &values);
    let alphas = decode_alphas(&rows).unwrap();
    let one = shares(&alphas, &shares_of[0]);
    let three = shares(&alphas, &shares_of[2]);
    let got = combine(&rows, &[&one, &three], &lagrange_1_3(), 4).unwrap();
    assert_eq!(got, [0, 1, 2, 3, 4, 4, 0, 1]);
    assert_eq!(
        combine(&rows, &[&one, &three], &lagrange_1_3(), 3).unwrap_err(),
        (4, Refusal::Value),
        "4 is not a value of 0..3"
    );
    let wrong = combine(&rows, &[&three, &one], &lagrange_1_3(), 4);
    assert_eq!(
        wrong.unwrap_err().1,
        Refusal::Value,
        "weights of the wrong guardians"
    );
}

#[test]
fn a_bad_beta_or_share_is_refused_with_the_reference_reason() {
    let (s, shares_of) = key_shares();
    let mut rows = encryptions(&s, &[1, 2, 3]);
    let alphas = decode_alphas(&rows).unwrap();
    let mut one = shares(&alphas, &shares_of[0]);
    let three = shares(&alphas, &shares_of[2]);
    let weights = lagrange_1_3();
    one[32..64].copy_from_slice(&NON_CANONICAL_ELEMENT);
    assert_eq!(
        combine(&rows, &[&one, &three], &weights, 3).unwrap_err(),
        (1, Refusal::Share(INVALID_ELEMENT.to_owned()))
    );
    rows[32..64].copy_from_slice(&[0; 32]);
    assert_eq!(
        combine(&rows, &[&one, &three], &weights, 3).unwrap_err(),
        (0, Refusal::Beta(IDENTITY.to_owned())),
        "the first ciphertext's refusal comes first"
    );
    let one = shares(&alphas, &shares_of[0]);
    assert_eq!(
        combine(&rows[64..], &[&one[32..64], &three[32..64]], &weights, 3).unwrap_err(),
        (1, Refusal::Share("expected 32 bytes, got 0".to_owned())),
        "shares shorter than the rows"
    );
}

#[test]
fn the_prover_parts_are_the_shares_and_the_sums_of_the_spec() {
    let (_, shares_of) = key_shares();
    let rows = encryptions(&scalar(b"key", 0), &[0, 1, 2, 3, 4]);
    let mix_digest = [4u8; 64];
    let (own, a, m) = prove_parts(&rows, &shares_of[2], &mix_digest, 3).unwrap();
    assert_eq!(own, shares(&decode_alphas(&rows).unwrap(), &shares_of[2]));
    let e = [
        lp(b"suffrage/1"),
        lp(b"mix-decryption/shares"),
        lp(b"mix_digest"),
        lp(&mix_digest),
        lp(b"guardian"),
        lp(&3u64.to_be_bytes()),
        lp(b"shares"),
        lp(&own),
    ]
    .concat();
    let e: [u8; 64] = Sha512::digest(e).into();
    assert_eq!(shares_digest(&mix_digest, 3, &own), e);
    assert_eq!((a, m), sums(&rows, &own, &e).unwrap());
    assert_eq!(
        prove_parts(&rows, &DalekScalar::ZERO, &mix_digest, 3).unwrap_err(),
        format!("shares[0]: {IDENTITY}")
    );
    assert!(prove_parts(&[], &DalekScalar::ZERO, &mix_digest, 3).is_ok());
    let mut bad = rows.clone();
    bad[128..160].copy_from_slice(&NON_CANONICAL_ELEMENT);
    assert_eq!(
        prove_parts(&bad, &shares_of[2], &mix_digest, 3).unwrap_err(),
        format!("ciphertext 2: {INVALID_ELEMENT}")
    );
}
