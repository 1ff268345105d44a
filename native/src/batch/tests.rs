//! The batch calls against the same computation done one item at a time with dalek.
//!
//! The sizes cross `PARALLEL_MIN` (sequential or rayon), `ENCODE_CHUNK` (one batch
//! inversion per chunk) and `MSM_SPLIT_MIN` (the multiscalar multiplication in two halves).

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar as DalekScalar;
use curve25519_dalek::traits::Identity;
use pyo3::prelude::*;
use pyo3::types::PyList;
use sha2::Sha512;

use super::*;
use crate::tests::{assert_elements, with_python};
use crate::NativeDecodeError;

const SIZES: [usize; 7] = [
    0,
    1,
    PARALLEL_MIN - 1,
    PARALLEL_MIN,
    ENCODE_CHUNK + 1,
    70,
    0,
];

/// A fixed pseudo-random scalar per (label, index), zero at every seventh index so that the
/// identity (all-zero encoding) appears inside the batches.
fn scalar(label: u8, index: usize) -> DalekScalar {
    if index % 7 == 3 {
        return DalekScalar::ZERO;
    }
    let mut input = vec![label];
    input.extend_from_slice(&index.to_le_bytes());
    DalekScalar::hash_from_bytes::<Sha512>(&input)
}

fn scalars(label: u8, count: usize) -> Vec<DalekScalar> {
    (0..count).map(|i| scalar(label, i)).collect()
}

fn key_table() -> RistrettoBasepointTable {
    RistrettoBasepointTable::create(&(G * scalar(9, 0)))
}

#[test]
fn halving_constants_double_back() {
    assert_eq!(half() + half(), DalekScalar::ONE);
    assert_eq!(half_generator() + half_generator(), G);
}

#[test]
fn mul_base_all_matches_one_at_a_time() {
    for size in SIZES {
        let s = scalars(1, size);
        let expected: Vec<_> = s.iter().map(RistrettoPoint::mul_base).collect();
        assert_elements(&mul_base_all(&s), &expected);
    }
}

#[test]
fn a_zero_scalar_gives_the_identity_encoded_as_zeros() {
    let got = mul_base_all(&[DalekScalar::ZERO; 3]);
    assert!(got.iter().all(|e| *e.encoding() == [0u8; 32]));
    assert!(got.iter().all(|e| e.point == RistrettoPoint::identity()));
}

#[test]
fn mul_all_matches_one_at_a_time() {
    let table = key_table();
    let key = table.basepoint();
    for size in SIZES {
        let s = scalars(2, size);
        let expected: Vec<_> = s.iter().map(|s| key * s).collect();
        assert_elements(&mul_all(&table, &s), &expected);
    }
}

#[test]
fn mul_double_all_adds_the_generator_term_only_where_given() {
    let table = key_table();
    let key = table.basepoint();
    for size in SIZES {
        let pairs: Vec<_> = (0..size)
            .map(|i| (scalar(3, i), (i % 2 == 0).then(|| scalar(4, i))))
            .collect();
        let expected: Vec<_> = pairs
            .iter()
            .map(|(k, g)| key * k + g.map_or(RistrettoPoint::identity(), |g| G * g))
            .collect();
        assert_elements(&mul_double_all(&table, &pairs), &expected);
    }
}

#[test]
fn encrypt_bits_all_is_exponential_elgamal() {
    let table = key_table();
    let key = table.basepoint();
    for size in SIZES {
        let items: Vec<_> = (0..size)
            .map(|i| (scalar(5, i), (i % 3 == 0) as u8))
            .collect();
        let (alphas, betas) = encrypt_bits_all(&table, &items);
        let expected_alphas: Vec<_> = items.iter().map(|(r, _)| G * r).collect();
        let expected_betas: Vec<_> = items
            .iter()
            .map(|(r, bit)| key * r + G * DalekScalar::from(*bit))
            .collect();
        assert_elements(&alphas, &expected_alphas);
        assert_elements(&betas, &expected_betas);
    }
}

#[test]
fn msm_vartime_matches_the_plain_sum() {
    for size in [0, 1, 5, MSM_SPLIT_MIN - 1, MSM_SPLIT_MIN + 3] {
        let s = scalars(6, size);
        let points: Vec<_> = scalars(7, size).iter().map(|x| G * x).collect();
        let expected = s
            .iter()
            .zip(&points)
            .fold(RistrettoPoint::identity(), |sum, (s, p)| sum + p * s);
        assert_eq!(msm_vartime(&s, &points), expected, "size {size}");
    }
}

#[test]
fn decode_elements_names_the_first_invalid_index() {
    let mut chunks: Vec<[u8; 32]> = scalars(8, 40)
        .iter()
        .map(|s| (G * s).compress().to_bytes())
        .collect();
    let decoded = decode_elements(&chunks).expect("valid encodings");
    assert!(decoded.iter().zip(&chunks).all(|(e, b)| e.encoding() == b));
    // 2^255 - 20 is p + 1, a non-canonical field encoding (RFC 9496 section 4.3.1).
    let mut bad = [0xff; 32];
    bad[0] = 0xed;
    bad[31] = 0x7f;
    chunks[33] = bad;
    chunks[35] = bad;
    assert_eq!(decode_elements(&chunks).err(), Some(33));
}

#[test]
fn decode_scalars_names_the_first_non_canonical_index() {
    let mut chunks: Vec<[u8; 32]> = scalars(9, 5).iter().map(|s| s.to_bytes()).collect();
    assert_eq!(decode_scalars(&chunks), Ok(scalars(9, 5)));
    chunks[2] = [0xff; 32];
    assert_eq!(decode_scalars(&chunks), Err(2));
}

/// The message of a Python exception, checking its type.
fn decode_message(py: Python<'_>, err: &PyErr) -> String {
    assert!(err.is_instance_of::<NativeDecodeError>(py), "{err}");
    err.value_bound(py).to_string()
}

#[test]
fn the_python_calls_refuse_wrong_lengths_naming_them() {
    with_python(|py| {
        let err = elements_from_bytes(py, &[0u8; 33]).err().expect("refused");
        assert_eq!(
            decode_message(py, &err),
            "expected a multiple of 32 bytes, got 33"
        );
        let mut data = vec![0u8; 64];
        data[32..].fill(0xff);
        let err = elements_from_bytes(py, &data).err().expect("refused");
        assert_eq!(
            decode_message(py, &err),
            "element 1: invalid or non-canonical ristretto255 encoding"
        );
        let err = scalars_from_bytes(&data).err().expect("refused");
        assert_eq!(
            decode_message(py, &err),
            "scalar 1: non-canonical scalar: not below the group order"
        );
    });
}

#[test]
fn multiscalar_mul_vartime_refuses_sequences_of_different_lengths() {
    with_python(|py| {
        let one = Bound::new(py, Scalar::new(DalekScalar::ONE)).expect("scalar");
        let scalars = PyList::new_bound(py, [one.clone(), one]);
        let elements = PyList::new_bound(py, [Bound::new(py, Element::new(G)).expect("element")]);
        let err = multiscalar_mul_vartime(py, scalars.as_any(), elements.as_any())
            .err()
            .expect("refused");
        assert_eq!(
            err.value_bound(py).to_string(),
            "scalars and elements differ in length: 2 scalars, 1 elements"
        );
        let err = multiscalar_mul_vartime(py, elements.as_any(), elements.as_any())
            .err()
            .expect("refused");
        assert_eq!(
            err.value_bound(py).to_string(),
            "scalars[0]: expected Scalar, got Element"
        );
    });
}
