//! Functions over many scalars and elements at once; each releases the GIL while it computes
//! and, above a small size, spreads the work over rayon's threads (one per core).

use std::sync::OnceLock;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar as DalekScalar;
use curve25519_dalek::traits::{Identity, VartimeMultiscalarMul};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use rayon::prelude::*;
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroizing;

use crate::element::{decode_point, Element, ElementTable, INVALID_ELEMENT};
use crate::scalar::{canonical_scalar, Scalar, NON_CANONICAL};
use crate::{decode_error, type_error};

/// A scalar k and an optional scalar g, for `k*K + g*G`.
pub(crate) type Pair = (DalekScalar, Option<DalekScalar>);

/// Below this many items a batch is computed on the calling thread.
const PARALLEL_MIN: usize = 16;
/// Multiscalar multiplications of at least this many points are split in two halves.
const MSM_SPLIT_MIN: usize = 256;
/// Points encoded together by one batch inversion (each chunk on one thread).
const ENCODE_CHUNK: usize = 32;

/// 1/2 modulo the group order.
pub(crate) fn half() -> &'static DalekScalar {
    static HALF: OnceLock<DalekScalar> = OnceLock::new();
    HALF.get_or_init(|| DalekScalar::from(2u64).invert())
}

/// (1/2) * generator: added to a half-point to add the generator to the whole point.
pub(crate) fn half_generator() -> &'static RistrettoPoint {
    static HALF_G: OnceLock<RistrettoPoint> = OnceLock::new();
    HALF_G.get_or_init(|| RistrettoPoint::mul_base(half()))
}

/// The elements `2*H` for the given halves `H`, each with its canonical encoding.
///
/// RFC 9496 encoding costs an inverse square root per point, but dalek encodes the doubles
/// of a batch of points with one field inversion for the whole batch
/// (`double_and_compress_batch`), so a batch computed as halves is encoded almost for free.
/// The identity (a zero scalar) would spoil the batch inversion: it is swapped for the
/// generator inside the batch and given its all-zero encoding, in constant time.
pub(crate) fn doubled_elements(halves: &[RistrettoPoint]) -> Vec<Element> {
    let encode = |chunk: &[RistrettoPoint]| -> Vec<Element> {
        let identity = RistrettoPoint::identity();
        let zero: Vec<Choice> = chunk.iter().map(|h| h.ct_eq(&identity)).collect();
        let safe: Vec<RistrettoPoint> = chunk
            .iter()
            .zip(&zero)
            .map(|(h, z)| RistrettoPoint::conditional_select(h, &RISTRETTO_BASEPOINT_POINT, *z))
            .collect();
        let encodings = RistrettoPoint::double_and_compress_batch(&safe);
        chunk
            .iter()
            .zip(zero)
            .zip(encodings)
            .map(|((h, z), encoding)| {
                let mut bytes = encoding.to_bytes();
                for byte in &mut bytes {
                    byte.conditional_assign(&0, z);
                }
                Element::decoded(h + h, bytes)
            })
            .collect()
    };
    if halves.len() < PARALLEL_MIN {
        encode(halves)
    } else {
        halves
            .par_chunks(ENCODE_CHUNK)
            .flat_map_iter(encode)
            .collect()
    }
}

/// `f` over `items`, in parallel when there are enough of them; order is kept.
pub(crate) fn par_map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync + Send) -> Vec<U> {
    if items.len() < PARALLEL_MIN {
        items.iter().map(f).collect()
    } else {
        items
            .par_iter()
            .with_min_len(PARALLEL_MIN / 2)
            .map(f)
            .collect()
    }
}

/// The multiscalar multiplication, split in two halves on two threads when it is large.
pub(crate) fn msm_vartime(scalars: &[DalekScalar], points: &[RistrettoPoint]) -> RistrettoPoint {
    if scalars.len() < MSM_SPLIT_MIN {
        return RistrettoPoint::vartime_multiscalar_mul(scalars, points);
    }
    let half = scalars.len() / 2;
    let (left, right) = rayon::join(
        || RistrettoPoint::vartime_multiscalar_mul(&scalars[..half], &points[..half]),
        || RistrettoPoint::vartime_multiscalar_mul(&scalars[half..], &points[half..]),
    );
    left + right
}

/// s * generator for every s, with the precomputed basepoint table (constant time each).
fn mul_base_all(scalars: &[DalekScalar]) -> Vec<Element> {
    let halves = par_map(scalars, |s| RistrettoPoint::mul_base(&(s * half())));
    doubled_elements(&halves)
}

/// s * the table's element for every s (constant time each).
fn mul_all(table: &RistrettoBasepointTable, scalars: &[DalekScalar]) -> Vec<Element> {
    let halves = par_map(scalars, |s| table * &(s * half()));
    doubled_elements(&halves)
}

/// Half of `k*K + g*G` (K the table's element), only the first product where g is None;
/// constant time in k and g.
pub(crate) fn double_half(
    table: &RistrettoBasepointTable,
    k: &DalekScalar,
    g: Option<&DalekScalar>,
) -> RistrettoPoint {
    let on_k = table * &(k * half());
    match g {
        Some(g) => on_k + RistrettoPoint::mul_base(&(g * half())),
        None => on_k,
    }
}

/// Halves of the exponential ElGamal encryption `(r*G, r*K + v*G)` of a bit v (0 or 1),
/// K the table's element; constant time in r and v.
pub(crate) fn encryption_halves(
    table: &RistrettoBasepointTable,
    r: &DalekScalar,
    bit: u8,
) -> (RistrettoPoint, RistrettoPoint) {
    let r_half = r * half();
    let shift = RistrettoPoint::conditional_select(
        &RistrettoPoint::identity(),
        half_generator(),
        Choice::from(bit),
    );
    (RistrettoPoint::mul_base(&r_half), table * &r_half + shift)
}

/// k * the table's element + g * generator for every pair, only the first product where g
/// is None (constant time each).
fn mul_double_all(
    table: &RistrettoBasepointTable,
    pairs: &[(DalekScalar, Option<DalekScalar>)],
) -> Vec<Element> {
    let halves = par_map(pairs, |(k, g)| double_half(table, k, g.as_ref()));
    doubled_elements(&halves)
}

/// `(r*G, r*K + v*G)` for each nonce r and bit v (0 or 1), K the table's element, in
/// constant time in r and v: the alphas and the betas.
fn encrypt_bits_all(
    table: &RistrettoBasepointTable,
    items: &[(DalekScalar, u8)],
) -> (Vec<Element>, Vec<Element>) {
    let halves: Vec<(RistrettoPoint, RistrettoPoint)> =
        par_map(items, |(r, bit)| encryption_halves(table, r, *bit));
    let (a, b): (Vec<RistrettoPoint>, Vec<RistrettoPoint>) = halves.into_iter().unzip();
    (doubled_elements(&a), doubled_elements(&b))
}

/// Decode 32-byte encodings strictly, or give the index of the first invalid one.
fn decode_elements(chunks: &[[u8; 32]]) -> Result<Vec<Element>, usize> {
    let decoded: Vec<Option<RistrettoPoint>> = par_map(chunks, |bytes| decode_point(*bytes));
    decoded
        .into_iter()
        .zip(chunks)
        .enumerate()
        .map(|(index, (point, bytes))| point.map(|p| Element::decoded(p, *bytes)).ok_or(index))
        .collect()
}

/// Decode 32-byte canonical scalars, or give the index of the first non-canonical one.
fn decode_scalars(chunks: &[[u8; 32]]) -> Result<Vec<DalekScalar>, usize> {
    chunks
        .iter()
        .enumerate()
        .map(|(index, bytes)| canonical_scalar(*bytes).ok_or(index))
        .collect()
}

/// Copy the scalars of a Python iterable (the copy is wiped when dropped).
pub(crate) fn extract_scalars(
    items: &Bound<'_, PyAny>,
    what: &str,
) -> PyResult<Zeroizing<Vec<DalekScalar>>> {
    let mut out = Zeroizing::new(Vec::with_capacity(items.len().unwrap_or(0)));
    for (index, item) in items.iter()?.enumerate() {
        let item = item?;
        let scalar = item
            .downcast::<Scalar>()
            .map_err(|_| type_error(&format!("{what}[{index}]"), "Scalar", &item))?;
        out.push(scalar.get().inner);
    }
    Ok(out)
}

/// Copy the points of a Python iterable of elements.
fn extract_points(items: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<RistrettoPoint>> {
    let mut out = Vec::with_capacity(items.len().unwrap_or(0));
    for (index, item) in items.iter()?.enumerate() {
        let item = item?;
        let element = item
            .downcast::<Element>()
            .map_err(|_| type_error(&format!("{what}[{index}]"), "Element", &item))?;
        out.push(element.get().point);
    }
    Ok(out)
}

/// The sum of scalars[i] * elements[i], in VARIABLE TIME (dalek's Straus or Pippenger).
///
/// For public values only (proof verification): the running time depends on the scalars.
/// An empty pair of sequences gives the identity; lengths that differ are refused.
#[pyfunction]
fn multiscalar_mul_vartime(
    py: Python<'_>,
    scalars: &Bound<'_, PyAny>,
    elements: &Bound<'_, PyAny>,
) -> PyResult<Element> {
    let scalars = extract_scalars(scalars, "scalars")?;
    let points = extract_points(elements, "elements")?;
    if scalars.len() != points.len() {
        return Err(PyValueError::new_err(format!(
            "scalars and elements differ in length: {} scalars, {} elements",
            scalars.len(),
            points.len()
        )));
    }
    let sum = py.allow_threads(|| msm_vartime(&scalars, &points));
    Ok(Element::new(sum))
}

/// s * generator for every s, with the precomputed basepoint table (constant time each);
/// every result comes with its encoding (computed as a batch, see `doubled_elements`).
#[pyfunction]
fn mul_base_batch(py: Python<'_>, scalars: &Bound<'_, PyAny>) -> PyResult<Vec<Element>> {
    let scalars = extract_scalars(scalars, "scalars")?;
    Ok(py.allow_threads(|| mul_base_all(&scalars)))
}

/// s * table.element() for every s (constant time each), encoded as a batch.
#[pyfunction]
fn mul_batch(
    py: Python<'_>,
    table: PyRef<'_, ElementTable>,
    scalars: &Bound<'_, PyAny>,
) -> PyResult<Vec<Element>> {
    let scalars = extract_scalars(scalars, "scalars")?;
    let table = &*table.table;
    Ok(py.allow_threads(|| mul_all(table, &scalars)))
}

/// k * table.element() + g * generator for every pair (constant time each), encoded as a
/// batch; where g is None only the first product is computed.
///
/// The caller decides which items have no second term; the work of the batch depends on
/// how many there are, not on the scalars.
#[pyfunction]
fn mul_double_batch(
    py: Python<'_>,
    table: PyRef<'_, ElementTable>,
    k_scalars: &Bound<'_, PyAny>,
    g_scalars: &Bound<'_, PyAny>,
) -> PyResult<Vec<Element>> {
    let pairs = extract_pairs(k_scalars, g_scalars, ("k_scalars", "g_scalars"))?;
    let table = &*table.table;
    Ok(py.allow_threads(|| mul_double_all(table, &pairs)))
}

/// The pairs `(k, g or None)` of two Python iterables of the same length (the copy is wiped
/// when dropped); `names` name the two arguments in errors.
pub(crate) fn extract_pairs(
    k_scalars: &Bound<'_, PyAny>,
    g_scalars: &Bound<'_, PyAny>,
    names: (&str, &str),
) -> PyResult<Zeroizing<Vec<Pair>>> {
    let (k_name, g_name) = names;
    let k_scalars = extract_scalars(k_scalars, k_name)?;
    let mut g_items: Zeroizing<Vec<Option<DalekScalar>>> =
        Zeroizing::new(Vec::with_capacity(k_scalars.len()));
    for (index, item) in g_scalars.iter()?.enumerate() {
        let item = item?;
        if item.is_none() {
            g_items.push(None);
        } else {
            let scalar = item
                .downcast::<Scalar>()
                .map_err(|_| type_error(&format!("{g_name}[{index}]"), "Scalar or None", &item))?;
            g_items.push(Some(scalar.get().inner));
        }
    }
    if g_items.len() != k_scalars.len() {
        return Err(PyValueError::new_err(format!(
            "{k_name} and {g_name} differ in length: {} and {}",
            k_scalars.len(),
            g_items.len()
        )));
    }
    Ok(Zeroizing::new(
        k_scalars
            .iter()
            .copied()
            .zip(g_items.iter().copied())
            .collect(),
    ))
}

/// Exponential ElGamal encryptions of bits: `(r*G, r*K + v*G)` for each nonce `r` and bit
/// `v` (0 or 1, anything else refused), constant time in `r` and `v`, encoded as a batch.
#[pyfunction]
fn encrypt_bits_batch<'py>(
    py: Python<'py>,
    table: PyRef<'_, ElementTable>,
    nonces: &Bound<'py, PyAny>,
    bits: Vec<u64>,
) -> PyResult<Vec<Bound<'py, PyTuple>>> {
    let items = extract_bits(nonces, &bits)?;
    let table: &RistrettoBasepointTable = &table.table;
    let (alphas, betas) = py.allow_threads(|| encrypt_bits_all(table, &items));
    alphas
        .into_iter()
        .zip(betas)
        .map(|(alpha, beta)| {
            let alpha = Bound::new(py, alpha)?.into_any();
            let beta = Bound::new(py, beta)?.into_any();
            Ok(PyTuple::new_bound(py, [alpha, beta]))
        })
        .collect()
}

/// The pairs `(nonce, bit)` of a Python iterable of nonces and a list of bits of the same
/// length, each bit 0 or 1 (the copy is wiped when dropped).
pub(crate) fn extract_bits(
    nonces: &Bound<'_, PyAny>,
    bits: &[u64],
) -> PyResult<Zeroizing<Vec<(DalekScalar, u8)>>> {
    let nonces = extract_scalars(nonces, "nonces")?;
    if bits.len() != nonces.len() {
        return Err(PyValueError::new_err(format!(
            "nonces and bits differ in length: {} and {}",
            nonces.len(),
            bits.len()
        )));
    }
    if let Some(index) = bits.iter().position(|&bit| bit > 1) {
        return Err(PyValueError::new_err(format!(
            "bits[{index}]: expected 0 or 1"
        )));
    }
    Ok(Zeroizing::new(
        nonces
            .iter()
            .copied()
            .zip(bits.iter().map(|&b| b as u8))
            .collect(),
    ))
}

/// Split `data` into 32-byte chunks, refusing a length that is not a multiple of 32.
fn chunks32(data: &[u8]) -> PyResult<Vec<[u8; 32]>> {
    if !data.len().is_multiple_of(32) {
        return Err(decode_error(format!(
            "expected a multiple of 32 bytes, got {}",
            data.len()
        )));
    }
    Ok(data
        .chunks_exact(32)
        .map(|chunk| <[u8; 32]>::try_from(chunk).expect("chunks_exact yields 32 bytes"))
        .collect())
}

/// Decode a concatenation of 32-byte element encodings strictly; an error names the index.
#[pyfunction]
fn elements_from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Vec<Element>> {
    let chunks = chunks32(data)?;
    py.allow_threads(|| decode_elements(&chunks))
        .map_err(|index| decode_error(format!("element {index}: {INVALID_ELEMENT}")))
}

/// Decode a concatenation of 32-byte canonical scalars; an error names the index.
#[pyfunction]
fn scalars_from_bytes(data: &[u8]) -> PyResult<Vec<Scalar>> {
    let scalars = decode_scalars(&chunks32(data)?)
        .map_err(|index| decode_error(format!("scalar {index}: {NON_CANONICAL}")))?;
    Ok(scalars.into_iter().map(Scalar::new).collect())
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(multiscalar_mul_vartime, m)?)?;
    m.add_function(wrap_pyfunction!(mul_base_batch, m)?)?;
    m.add_function(wrap_pyfunction!(mul_batch, m)?)?;
    m.add_function(wrap_pyfunction!(mul_double_batch, m)?)?;
    m.add_function(wrap_pyfunction!(encrypt_bits_batch, m)?)?;
    m.add_function(wrap_pyfunction!(elements_from_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(scalars_from_bytes, m)?)?;
    Ok(())
}

#[cfg(test)]
mod tests;
