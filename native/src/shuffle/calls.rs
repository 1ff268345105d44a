//! The kernel's calls from Python for the proof of shuffle: the shapes of their arguments
//! checked, the GIL released for the work of [`super::prove`] and [`super::verify`].

use curve25519_dalek::traits::IsIdentity;
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::{PyBytes, PyTuple};

use super::{generators, prove, row_error, verify, Statement, CONTEXT_BYTES, SEED_BYTES};
use crate::decode_error;
use crate::element::Element;

/// Check the shapes every call shares: `width >= 1`, a positive whole number of rows,
/// a 64-byte seed and context. Returns the number of rows.
pub(crate) fn rows_of(rows: &[u8], width: usize, what: &str) -> PyResult<usize> {
    if width == 0 {
        return Err(decode_error("width: expected at least 1 ciphertext a row"));
    }
    let row_bytes = 64 * width;
    if rows.is_empty() || !rows.len().is_multiple_of(row_bytes) {
        return Err(decode_error(format!(
            "{what}: has {} bytes, expected a positive multiple of {row_bytes} \
             (rows of {width} ciphertexts of 64 bytes)",
            rows.len()
        )));
    }
    Ok(rows.len() / row_bytes)
}

/// Refuse a seed or context that is not 64 bytes.
pub(crate) fn check_sizes(seed: &[u8], context: &[u8]) -> PyResult<()> {
    if seed.len() != SEED_BYTES {
        return Err(decode_error(format!(
            "seed: has {} bytes, expected {SEED_BYTES}",
            seed.len()
        )));
    }
    if context.len() != CONTEXT_BYTES {
        return Err(decode_error(format!(
            "context: has {} bytes, expected {CONTEXT_BYTES}",
            context.len()
        )));
    }
    Ok(())
}

/// Shuffle `rows` (`N*w*64` bytes) under `key` and prove it (spec/protocol.md#6.4), with the
/// prover's draws given as `randomness`: `64 * shuffle_draws(N, w)` bytes, each 64-byte
/// piece reduced as a wide scalar, in the spec's order.
///
/// Returns `(outputs, proof)`: the output rows as bytes and the proof's thirteen fields.
/// Constant time in the secrets but for the permutation's draw (a reduction modulo `i + 1`)
/// and its use as an index. The GIL is released.
#[pyfunction]
#[pyo3(signature = (rows, *, width, key, seed, context, purpose, randomness))]
#[allow(clippy::too_many_arguments)]
fn shuffle_prove<'py>(
    py: Python<'py>,
    rows: PyBackedBytes,
    width: usize,
    key: PyRef<'_, Element>,
    seed: PyBackedBytes,
    context: PyBackedBytes,
    purpose: &str,
    randomness: PyBackedBytes,
) -> PyResult<Bound<'py, PyTuple>> {
    let n = rows_of(&rows, width, "rows")?;
    check_sizes(&seed, &context)?;
    let expected = 64 * prove::draws(n, width);
    if randomness.len() != expected {
        return Err(decode_error(format!(
            "randomness: has {} bytes, expected {expected}",
            randomness.len()
        )));
    }
    let key_point = key.point;
    let key_bytes = *key.encoding();
    let input = prove::Input {
        statement: Statement {
            context: &context,
            purpose: purpose.as_bytes(),
            key: key_bytes,
            seed: &seed,
            width,
            rows: n,
            inputs: &rows,
            outputs: &[],
        },
        key: key_point,
        randomness: &randomness,
    };
    let (outputs, proof) = py
        .allow_threads(|| prove::prove(input))
        .map_err(|(index, refusal)| row_error("rows", width, index, refusal))?;
    let fields: Vec<Bound<'py, PyAny>> = proof
        .iter()
        .map(|field| PyBytes::new_bound(py, field).into_any())
        .collect();
    Ok(PyTuple::new_bound(
        py,
        [
            PyBytes::new_bound(py, &outputs).into_any(),
            PyTuple::new_bound(py, fields).into_any(),
        ],
    ))
}

/// Check a proof of shuffle (spec/protocol.md#6.4, P4): `proof` is its thirteen fields
/// (`RawShuffleProof`), `inputs` and `outputs` the rows as bytes; the `2w + N + 3`
/// equations are checked with 128-bit weights derived from the 32-byte `weight_seed` in one
/// variable-time multiscalar multiplication.
///
/// Returns `None` if the proof holds, else the first failing equation in the spec's order
/// (`"(1)"`, `"(2)"`, `"(3)"`, `"(4) column k"`, `"(5) at row i"`). Wrong lengths and
/// encodings (every element strictly, the identity refused) raise `NativeDecodeError`
/// naming the field. The GIL is released.
#[pyfunction]
#[pyo3(signature = (proof, *, inputs, outputs, width, key, seed, context, purpose, weight_seed))]
#[allow(clippy::too_many_arguments)]
fn shuffle_verify(
    py: Python<'_>,
    proof: Vec<PyBackedBytes>,
    inputs: PyBackedBytes,
    outputs: PyBackedBytes,
    width: usize,
    key: PyRef<'_, Element>,
    seed: PyBackedBytes,
    context: PyBackedBytes,
    purpose: &str,
    weight_seed: PyBackedBytes,
) -> PyResult<Option<String>> {
    let n = rows_of(&inputs, width, "inputs")?;
    if outputs.len() != inputs.len() {
        return Err(decode_error(format!(
            "outputs: has {} bytes, expected {} ({n} rows of {width} ciphertexts, as the inputs)",
            outputs.len(),
            inputs.len()
        )));
    }
    check_sizes(&seed, &context)?;
    let weight_seed: [u8; 32] = weight_seed.as_ref().try_into().map_err(|_| {
        decode_error(format!(
            "weight_seed: has {} bytes, expected 32",
            weight_seed.len()
        ))
    })?;
    let proof: [&[u8]; 13] = verify::proof_fields(&proof, n, width)?;
    let key_point = key.point;
    if key_point.is_identity() {
        return Err(decode_error(
            "key: the identity element is not allowed here",
        ));
    }
    let statement = Statement {
        context: &context,
        purpose: purpose.as_bytes(),
        key: *key.encoding(),
        seed: &seed,
        width,
        rows: n,
        inputs: &inputs,
        outputs: &outputs,
    };
    let decoded = py.allow_threads(|| verify::decode(&statement, key_point, &proof))?;
    Ok(py.allow_threads(|| verify::verify(&statement, &proof, &decoded, &weight_seed)))
}

/// The generators `H_0..H_{count-1}` derived from the 64-byte `seed` (spec/protocol.md#6.4).
#[pyfunction]
fn shuffle_generators(py: Python<'_>, seed: PyBackedBytes, count: usize) -> PyResult<Vec<Element>> {
    if seed.len() != SEED_BYTES {
        return Err(decode_error(format!(
            "seed: has {} bytes, expected {SEED_BYTES}",
            seed.len()
        )));
    }
    let points = py.allow_threads(|| generators(&seed, count));
    Ok(points
        .into_iter()
        .map(|point| Element::decoded(point, point.compress().to_bytes()))
        .collect())
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(shuffle_prove, m)?)?;
    m.add_function(wrap_pyfunction!(shuffle_verify, m)?)?;
    m.add_function(wrap_pyfunction!(shuffle_generators, m)?)?;
    Ok(())
}
