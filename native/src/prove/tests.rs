//! The ballot's one-call multiplications against dalek one item at a time.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar as DalekScalar;
use curve25519_dalek::traits::Identity;
use pyo3::prelude::*;
use pyo3::types::PyList;
use sha2::Sha512;

use super::*;
use crate::scalar::Scalar;
use crate::tests::{assert_elements, with_python};

/// A fixed pseudo-random scalar per (label, index), zero at every fifth index so that the
/// identity (all-zero encoding) appears among the products.
fn scalar(label: u8, index: usize) -> DalekScalar {
    if index % 5 == 2 {
        return DalekScalar::ZERO;
    }
    let mut input = vec![label];
    input.extend_from_slice(&index.to_le_bytes());
    DalekScalar::hash_from_bytes::<Sha512>(&input)
}

#[test]
fn encrypt_and_commit_all_matches_one_at_a_time() {
    let table = RistrettoBasepointTable::create(&(G * scalar(9, 1)));
    let key = table.basepoint();
    // Sizes on both sides of PARALLEL_MIN and of one encoding chunk, and the ballot's (20, 131).
    for (encryptions, commitments) in [(0, 0), (0, 3), (4, 0), (3, 5), (20, 131), (40, 7)] {
        let bits: Vec<_> = (0..encryptions)
            .map(|i| (scalar(1, i), (i % 3 == 0) as u8))
            .collect();
        let pairs: Vec<_> = (0..commitments)
            .map(|i| (scalar(2, i), (i % 4 != 1).then(|| scalar(3, i))))
            .collect();
        let products = encrypt_and_commit_all(&table, &bits, &pairs);
        let alphas: Vec<_> = bits.iter().map(|(r, _)| G * r).collect();
        let betas: Vec<_> = bits
            .iter()
            .map(|(r, v)| key * r + G * DalekScalar::from(*v))
            .collect();
        let on_g: Vec<_> = pairs.iter().map(|(k, _)| G * k).collect();
        let on_k: Vec<_> = pairs
            .iter()
            .map(|(k, g)| key * k + g.map_or(RistrettoPoint::identity(), |g| G * g))
            .collect();
        assert_elements(&products.alphas, &alphas);
        assert_elements(&products.betas, &betas);
        assert_elements(&products.on_g, &on_g);
        assert_elements(&products.on_k, &on_k);
    }
}

#[test]
fn the_python_call_refuses_bits_and_lengths_that_do_not_fit() {
    with_python(|py| {
        let table = Bound::new(py, ElementTable::from_point(G)).expect("table");
        let one = Bound::new(py, Scalar::new(DalekScalar::ONE)).expect("scalar");
        let ones = PyList::new_bound(py, [one.clone(), one.clone()]);
        let none = PyList::new_bound(py, [py.None()]);
        let call = |bits: Vec<u64>, g: &Bound<'_, PyList>| {
            encrypt_and_commit_batch(py, table.borrow(), ones.as_any(), bits, ones.as_any(), g)
                .expect_err("refused")
                .value_bound(py)
                .to_string()
        };
        assert_eq!(call(vec![1, 2], &ones), "bits[1]: expected 0 or 1");
        assert_eq!(
            call(vec![1], &ones),
            "nonces and bits differ in length: 2 and 1"
        );
        assert_eq!(
            call(vec![0, 1], &none),
            "k_scalars and g_scalars differ in length: 2 and 1"
        );
        let out = encrypt_and_commit_batch(
            py,
            table.borrow(),
            ones.as_any(),
            vec![0, 1],
            ones.as_any(),
            ones.as_any(),
        )
        .expect("computed");
        assert_eq!(out.len(), 3);
    });
}
