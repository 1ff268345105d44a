//! The prover's multiplications for a whole ballot in one kernel call (spec/protocol.md#13.4).
//!
//! A ballot's encryptions and its range proofs' commitments do not depend on each other:
//! the commitments are multiples of the prover's draws and nonces, not of the ciphertexts.
//! So every constant-time multiplication of a ballot (but the signature's) is one batch,
//! spread over rayon's threads as one pool of jobs and encoded by one batch of inversions.

use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar as DalekScalar;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::batch::{
    double_half, doubled_elements, encryption_halves, extract_bits, extract_pairs, half, par_map,
};
use crate::element::{Element, ElementTable};

/// The products of [`encrypt_and_commit_all`], each with its encoding.
pub(crate) struct Products {
    /// `r*G` for each nonce r.
    pub(crate) alphas: Vec<Element>,
    /// `r*K + v*G` for each nonce r and bit v.
    pub(crate) betas: Vec<Element>,
    /// `k*G` for each pair `(k, g)`: the commitments on the generator.
    pub(crate) on_g: Vec<Element>,
    /// `k*K + g*G` (`k*K` where g is None): the commitments on the key.
    pub(crate) on_k: Vec<Element>,
}

/// Halves of a range proof branch's commitments `(k*G, k*K + g*G)`, constant time in k, g.
fn commitment_halves(
    table: &RistrettoBasepointTable,
    k: &DalekScalar,
    g: Option<&DalekScalar>,
) -> (RistrettoPoint, RistrettoPoint) {
    (
        RistrettoPoint::mul_base(&(k * half())),
        double_half(table, k, g),
    )
}

/// The encryptions `(r*G, r*K + v*G)` of `bits` and the products `(k*G, k*K + g*G)` of
/// `pairs`, K the table's element, all constant time in the scalars and the bits.
///
/// Each item is one job of two (or three) fixed-base multiplications, computed as halves and
/// doubled by `doubled_elements`; which pairs have no g is the caller's (public) pattern.
pub(crate) fn encrypt_and_commit_all(
    table: &RistrettoBasepointTable,
    bits: &[(DalekScalar, u8)],
    pairs: &[(DalekScalar, Option<DalekScalar>)],
) -> Products {
    let jobs: Vec<usize> = (0..bits.len() + pairs.len()).collect();
    let halves: Vec<(RistrettoPoint, RistrettoPoint)> =
        par_map(&jobs, |&job| match job.checked_sub(bits.len()) {
            None => encryption_halves(table, &bits[job].0, bits[job].1),
            Some(pair) => commitment_halves(table, &pairs[pair].0, pairs[pair].1.as_ref()),
        });
    let count = halves.len();
    let (mut points, on_k): (Vec<RistrettoPoint>, Vec<RistrettoPoint>) = halves.into_iter().unzip();
    points.extend(on_k); // one pass of batch encodings for all of them
    let mut firsts = doubled_elements(&points);
    let mut seconds = firsts.split_off(count);
    let on_g = firsts.split_off(bits.len());
    let on_k = seconds.split_off(bits.len());
    Products {
        alphas: firsts,
        betas: seconds,
        on_g,
        on_k,
    }
}

/// A ballot's multiplications in one call: the encryptions of `bits` (0 or 1) with
/// `nonces`, and the range proofs' commitments `k*G` and `k*K + g*G` (`k*K` where g is
/// None) for `k_scalars` and `g_scalars`; constant time in every scalar and bit.
///
/// Returns `(ciphertexts, commitments_g, commitments_k)`, ciphertexts as `(alpha, beta)`.
#[pyfunction]
fn encrypt_and_commit_batch<'py>(
    py: Python<'py>,
    table: PyRef<'_, ElementTable>,
    nonces: &Bound<'py, PyAny>,
    bits: Vec<u64>,
    k_scalars: &Bound<'py, PyAny>,
    g_scalars: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyTuple>> {
    let items = extract_bits(nonces, &bits)?;
    let pairs = extract_pairs(k_scalars, g_scalars, ("k_scalars", "g_scalars"))?;
    let table: &RistrettoBasepointTable = &table.table;
    let products = py.allow_threads(|| encrypt_and_commit_all(table, &items, &pairs));
    let ciphertexts = products
        .alphas
        .into_iter()
        .zip(products.betas)
        .map(|(alpha, beta)| {
            let alpha = Bound::new(py, alpha)?.into_any();
            let beta = Bound::new(py, beta)?.into_any();
            Ok(PyTuple::new_bound(py, [alpha, beta]))
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok(PyTuple::new_bound(
        py,
        [
            ciphertexts.into_py(py),
            products.on_g.into_py(py),
            products.on_k.into_py(py),
        ],
    ))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(encrypt_and_commit_batch, m)?)?;
    Ok(())
}

#[cfg(test)]
mod tests;
