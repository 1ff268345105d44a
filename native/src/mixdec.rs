//! The decryption of a ranked contest's last mix (spec/protocol.md#19.4) as batch calls:
//! a guardian's shares `s_j*alpha` of every ciphertext, the weighted sums of its batched
//! Chaum-Pedersen statement, and the combination of `k` guardians' shares into the values.
//!
//! Rows travel as bytes (`N*m*64`: each ciphertext `alpha || beta`), shares as `N*m*32`.
//! Every element is decoded strictly with the identity refused, and every refusal carries
//! the reason the readable reference (`suffrage.core.mix_kernel`, `*_reference`) gives, so
//! that the protocol's messages stay the same word for word. The shares are computed in
//! constant time (the scalar is a key share); the sums and the combination are public data
//! and run in variable time.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar as DalekScalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::batch::{doubled_elements, extract_scalars, half, msm_vartime, par_map};
use crate::decode_error;
use crate::element::{decode_point, Element, INVALID_ELEMENT};
use crate::scalar::Scalar;
use crate::shuffle::Transcript;

const ELEMENT_BYTES: usize = 32;
const CIPHERTEXT_BYTES: usize = 64;
/// The shares' digest `e` of spec #19.4 is a SHA-512 digest.
const DIGEST_BYTES: usize = 64;
/// The reason `suffrage.core.group.decode_element` gives for the identity.
const IDENTITY: &str = "the identity element is not allowed here";

/// The element at byte `at` of `data`, decoded strictly, the identity refused; the refusal
/// is the reference's reason (a slice past the end is short, as Python slices are).
pub(crate) fn element_at(data: &[u8], at: usize) -> Result<RistrettoPoint, String> {
    let slice = &data[at.min(data.len())..(at + ELEMENT_BYTES).min(data.len())];
    let bytes: [u8; 32] = slice
        .try_into()
        .map_err(|_| format!("expected {ELEMENT_BYTES} bytes, got {}", slice.len()))?;
    match decode_point(bytes) {
        None => Err(INVALID_ELEMENT.to_owned()),
        Some(point) if point.is_identity() => Err(IDENTITY.to_owned()),
        Some(point) => Ok(point),
    }
}

/// The number of ciphertexts of `rows`: a last, partial one counts (as the reference's
/// `range(0, len(rows), 64)` does), so that its short alpha is refused, not ignored.
pub(crate) fn ciphertexts(rows: &[u8]) -> usize {
    rows.len().div_ceil(CIPHERTEXT_BYTES)
}

/// The `alpha` of every ciphertext of `rows`, or the first refusal as
/// `ciphertext N: reason`.
pub(crate) fn decode_alphas(rows: &[u8]) -> Result<Vec<RistrettoPoint>, String> {
    let indices: Vec<usize> = (0..ciphertexts(rows)).collect();
    par_map(&indices, |&n| element_at(rows, n * CIPHERTEXT_BYTES))
        .into_iter()
        .enumerate()
        .map(|(n, alpha)| alpha.map_err(|reason| format!("ciphertext {n}: {reason}")))
        .collect()
}

/// `secret * alpha` for every alpha, encoded (constant time in `secret`: dalek's
/// variable-base multiplication, computed as halves and encoded as a batch).
pub(crate) fn shares(alphas: &[RistrettoPoint], secret: &DalekScalar) -> Vec<u8> {
    let half_secret = Zeroizing::new(secret * half());
    let halves = par_map(alphas, |alpha| alpha * *half_secret);
    doubled_elements(&halves)
        .iter()
        .flat_map(|share| *share.encoding())
        .collect()
}

/// The shares' digest `e` of spec #19.4: it binds the last mix, the guardian and every share.
pub(crate) fn shares_digest(mix_digest: &[u8], guardian: u64, shares: &[u8]) -> [u8; 64] {
    let mut t = Transcript::new(b"mix-decryption/shares");
    t.field(b"mix_digest", &[mix_digest]);
    t.field(b"guardian", &[&guardian.to_be_bytes()]);
    t.field(b"shares", &[shares]);
    t.digest()
}

/// What a guardian proves (spec #19.4): its shares of every ciphertext and the weighted sums
/// `(A, M)` of its statement, `M` computed as `secret * A` (constant time), which equals
/// `sum z_n*M_n` for honest shares; the alphas are decoded once, the shares never.
/// A zero secret is refused as the shares it gives are (`shares[0]`: the identity).
pub(crate) fn prove_parts(
    rows: &[u8],
    secret: &DalekScalar,
    mix_digest: &[u8],
    guardian: u64,
) -> Result<(Vec<u8>, RistrettoPoint, RistrettoPoint), String> {
    let alphas = decode_alphas(rows)?;
    if !alphas.is_empty() && bool::from(secret.ct_eq(&DalekScalar::ZERO)) {
        return Err(format!("shares[0]: {IDENTITY}"));
    }
    let own = shares(&alphas, secret);
    let z = weights(&shares_digest(mix_digest, guardian, &own), alphas.len());
    let a = msm_vartime(&z, &alphas);
    let m = a * secret;
    Ok((own, a, m))
}

/// The weights `z_n` of spec #19.4, hashed from the shares' digest `e`.
pub(crate) fn weights(digest: &[u8], count: usize) -> Vec<DalekScalar> {
    let indices: Vec<u64> = (0..count as u64).collect();
    par_map(&indices, |index| {
        let mut t = Transcript::new(b"mix-decryption/weight");
        t.field(b"shares_digest", &[digest]);
        t.field(b"index", &[&index.to_be_bytes()]);
        t.challenge()
    })
}

/// `(sum z_n*alpha_n, sum z_n*M_n)` (spec #19.4), in variable time (public data). Refused
/// in the reference's order: an alpha (`ciphertext N: ...`), the shares' length
/// (`shares: ...`), a share (`shares[N]: ...`).
pub(crate) fn sums(
    rows: &[u8],
    shares: &[u8],
    digest: &[u8],
) -> Result<(RistrettoPoint, RistrettoPoint), String> {
    let alphas = decode_alphas(rows)?;
    if shares.len() != alphas.len() * ELEMENT_BYTES {
        return Err(format!(
            "shares: has {} bytes, expected {} ({} ciphertexts)",
            shares.len(),
            alphas.len() * ELEMENT_BYTES,
            alphas.len()
        ));
    }
    let indices: Vec<usize> = (0..alphas.len()).collect();
    let points = par_map(&indices, |&n| element_at(shares, n * ELEMENT_BYTES))
        .into_iter()
        .enumerate()
        .map(|(n, share)| share.map_err(|reason| format!("shares[{n}]: {reason}")))
        .collect::<Result<Vec<_>, _>>()?;
    let z = weights(digest, alphas.len());
    Ok(rayon::join(
        || msm_vartime(&z, &alphas),
        || msm_vartime(&z, &points),
    ))
}

/// Why a ciphertext does not combine, in the reference's order of checks.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Its beta is refused (the reason).
    Beta(String),
    /// One of the guardians' shares of it is refused (the reason).
    Share(String),
    /// `beta - sum lambda_j*M_j` is not `v*G` for any `v` in `0..m`.
    Value,
}

/// The value `v` in `0..=m` of one ciphertext `n` (spec #19.4), in variable time.
fn combine_one(
    rows: &[u8],
    shares: &[&[u8]],
    weights: &[DalekScalar],
    values: &[RistrettoPoint],
    n: usize,
) -> Result<u16, Refusal> {
    let beta = element_at(rows, n * CIPHERTEXT_BYTES + ELEMENT_BYTES).map_err(Refusal::Beta)?;
    let points = shares
        .iter()
        .map(|share| element_at(share, n * ELEMENT_BYTES))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Refusal::Share)?;
    let plain = beta - RistrettoPoint::vartime_multiscalar_mul(weights, &points);
    let value = values
        .iter()
        .position(|v| *v == plain)
        .ok_or(Refusal::Value)?;
    Ok(value as u16)
}

/// The values in `0..=m` of every ciphertext of `rows`, from `k` guardians' shares and
/// their Lagrange weights, or the first ciphertext that does not combine and why.
pub(crate) fn combine(
    rows: &[u8],
    shares: &[&[u8]],
    weights: &[DalekScalar],
    width: u16,
) -> Result<Vec<u16>, (usize, Refusal)> {
    let values: Vec<RistrettoPoint> = (0..=u64::from(width))
        .map(|v| RISTRETTO_BASEPOINT_POINT * DalekScalar::from(v))
        .collect();
    let indices: Vec<usize> = (0..ciphertexts(rows)).collect();
    par_map(&indices, |&n| {
        combine_one(rows, shares, weights, &values, n)
    })
    .into_iter()
    .enumerate()
    .map(|(n, value)| value.map_err(|refusal| (n, refusal)))
    .collect()
}

/// A guardian's shares `secret * alpha` of every ciphertext of `rows` (spec #19.4), as
/// concatenated 32-byte encodings, in constant time in the secret (a key share, copied and
/// wiped). An alpha that is not canonical, or the identity, raises `NativeDecodeError`
/// naming it (`ciphertext N: ...`). The GIL is released.
#[pyfunction]
fn mix_decryption_shares<'py>(
    py: Python<'py>,
    rows: PyBackedBytes,
    secret: PyRef<'_, Scalar>,
) -> PyResult<Bound<'py, PyBytes>> {
    let secret = Zeroizing::new(secret.inner);
    let out = py.allow_threads(|| decode_alphas(&rows).map(|alphas| shares(&alphas, &secret)));
    Ok(PyBytes::new_bound(py, &out.map_err(decode_error)?))
}

/// A guardian's shares of every ciphertext of `rows` and the weighted sums `(A, M)` of its
/// batched statement (spec #19.4), the shares' digest `e` hashed here from `mix_digest`,
/// `guardian` and the shares: `(shares, A, M)`, in constant time in the secret (a key
/// share, copied and wiped). Refusals raise `NativeDecodeError` naming the value
/// (`ciphertext N`, or `shares[0]` for a zero secret). The GIL is released.
#[pyfunction]
#[pyo3(signature = (rows, secret, *, mix_digest, guardian))]
fn mix_decryption_prove_parts<'py>(
    py: Python<'py>,
    rows: PyBackedBytes,
    secret: PyRef<'_, Scalar>,
    mix_digest: PyBackedBytes,
    guardian: u64,
) -> PyResult<(Bound<'py, PyBytes>, Element, Element)> {
    let secret = Zeroizing::new(secret.inner);
    let (own, a, m) = py
        .allow_threads(|| prove_parts(&rows, &secret, &mix_digest, guardian))
        .map_err(decode_error)?;
    Ok((
        PyBytes::new_bound(py, &own),
        Element::new(a),
        Element::new(m),
    ))
}

/// The weighted sums `(A, M)` of a guardian's batched statement (spec #19.4): the weights
/// hashed from the 64-byte shares' digest `e`, then `A = sum z_n*alpha_n` and
/// `M = sum z_n*M_n` in variable time (public data). Refusals raise `NativeDecodeError`
/// naming the value: `ciphertext N`, `shares` (its length) or `shares[N]`. GIL released.
#[pyfunction]
fn mix_decryption_sums(
    py: Python<'_>,
    rows: PyBackedBytes,
    shares: PyBackedBytes,
    shares_digest: PyBackedBytes,
) -> PyResult<(Element, Element)> {
    if shares_digest.len() != DIGEST_BYTES {
        return Err(decode_error(format!(
            "shares_digest: has {} bytes, expected {DIGEST_BYTES}",
            shares_digest.len()
        )));
    }
    let (a, m) = py
        .allow_threads(|| sums(&rows, &shares, &shares_digest))
        .map_err(decode_error)?;
    Ok((Element::new(a), Element::new(m)))
}

/// What `mix_combine` returns: the values, or the first refusal `(index, what, reason)`.
type Combined = (Vec<u16>, Option<(usize, &'static str, String)>);

/// Combine `k` guardians' shares of every ciphertext of `rows` with their Lagrange
/// `weights` (spec #19.4): `(values, None)` with every value in `0..=width`, or `([],
/// (index, what, reason))` for the first ciphertext that does not combine, `what` being
/// `"beta"` or `"share"` (refused, for the reason given) or `"value"` (no value in
/// `0..=width`, no reason). Variable time (public data); the GIL is released.
#[pyfunction]
fn mix_combine(
    py: Python<'_>,
    rows: PyBackedBytes,
    shares: Vec<PyBackedBytes>,
    weights: &Bound<'_, PyAny>,
    width: usize,
) -> PyResult<Combined> {
    let weights = extract_scalars(weights, "weights")?;
    if weights.len() != shares.len() {
        return Err(PyValueError::new_err(format!(
            "shares and weights differ in length: {} and {}",
            shares.len(),
            weights.len()
        )));
    }
    let width = u16::try_from(width)
        .ok()
        .filter(|&w| w < u16::MAX)
        .ok_or_else(|| PyValueError::new_err(format!("width: {width} is too large")))?;
    let slices: Vec<&[u8]> = shares.iter().map(|share| share.as_ref()).collect();
    Ok(
        match py.allow_threads(|| combine(&rows, &slices, &weights, width)) {
            Ok(values) => (values, None),
            Err((n, Refusal::Beta(reason))) => (Vec::new(), Some((n, "beta", reason))),
            Err((n, Refusal::Share(reason))) => (Vec::new(), Some((n, "share", reason))),
            Err((n, Refusal::Value)) => (Vec::new(), Some((n, "value", String::new()))),
        },
    )
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(mix_decryption_shares, m)?)?;
    m.add_function(wrap_pyfunction!(mix_decryption_prove_parts, m)?)?;
    m.add_function(wrap_pyfunction!(mix_decryption_sums, m)?)?;
    m.add_function(wrap_pyfunction!(mix_combine, m)?)?;
    Ok(())
}

#[cfg(test)]
mod tests;
