//! Functions over many scalars and elements at once; each releases the GIL while it computes
//! and, above a small size, spreads the work over rayon's threads (one per core).

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar as DalekScalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;
use zeroize::Zeroizing;

use crate::element::{decode_point, Element, ElementTable, INVALID_ELEMENT};
use crate::scalar::{canonical_scalar, Scalar};
use crate::{decode_error, type_error};

/// Below this many items a batch is computed on the calling thread.
const PARALLEL_MIN: usize = 16;
/// Multiscalar multiplications of at least this many points are split in two halves.
const MSM_SPLIT_MIN: usize = 256;

/// `f` over `items`, in parallel when there are enough of them; order is kept.
fn par_map<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync + Send) -> Vec<U> {
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
fn msm_vartime(scalars: &[DalekScalar], points: &[RistrettoPoint]) -> RistrettoPoint {
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

/// Copy the scalars of a Python iterable (the copy is wiped when dropped).
fn extract_scalars(items: &Bound<'_, PyAny>, what: &str) -> PyResult<Zeroizing<Vec<DalekScalar>>> {
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

/// s * generator for every s, with the precomputed basepoint table (constant time each).
#[pyfunction]
fn mul_base_batch(py: Python<'_>, scalars: &Bound<'_, PyAny>) -> PyResult<Vec<Element>> {
    let scalars = extract_scalars(scalars, "scalars")?;
    let points: Vec<RistrettoPoint> =
        py.allow_threads(|| par_map(&scalars, RistrettoPoint::mul_base));
    Ok(points.into_iter().map(Element::new).collect())
}

/// s * table.element() for every s (constant time each).
#[pyfunction]
fn mul_batch(
    py: Python<'_>,
    table: PyRef<'_, ElementTable>,
    scalars: &Bound<'_, PyAny>,
) -> PyResult<Vec<Element>> {
    let scalars = extract_scalars(scalars, "scalars")?;
    let table = &*table.table;
    let points: Vec<RistrettoPoint> = py.allow_threads(|| par_map(&scalars, |s| table * s));
    Ok(points.into_iter().map(Element::new).collect())
}

/// Split `data` into 32-byte chunks, refusing a length that is not a multiple of 32.
fn chunks32(data: &[u8]) -> PyResult<impl Iterator<Item = [u8; 32]> + '_> {
    if !data.len().is_multiple_of(32) {
        return Err(decode_error(format!(
            "expected a multiple of 32 bytes, got {}",
            data.len()
        )));
    }
    Ok(data
        .chunks_exact(32)
        .map(|chunk| <[u8; 32]>::try_from(chunk).expect("chunks_exact yields 32 bytes")))
}

/// Decode a concatenation of 32-byte element encodings strictly; an error names the index.
#[pyfunction]
fn elements_from_bytes(py: Python<'_>, data: &[u8]) -> PyResult<Vec<Element>> {
    let chunks: Vec<[u8; 32]> = chunks32(data)?.collect();
    let decoded: Vec<Option<RistrettoPoint>> =
        py.allow_threads(|| par_map(&chunks, |bytes| decode_point(*bytes)));
    let mut out = Vec::with_capacity(decoded.len());
    for (index, (point, bytes)) in decoded.into_iter().zip(&chunks).enumerate() {
        let point =
            point.ok_or_else(|| decode_error(format!("element {index}: {INVALID_ELEMENT}")))?;
        out.push(Element::decoded(point, *bytes));
    }
    Ok(out)
}

/// Decode a concatenation of 32-byte canonical scalars; an error names the index.
#[pyfunction]
fn scalars_from_bytes(data: &[u8]) -> PyResult<Vec<Scalar>> {
    chunks32(data)?
        .enumerate()
        .map(|(index, bytes)| {
            canonical_scalar(bytes).map(Scalar::new).ok_or_else(|| {
                decode_error(format!(
                    "scalar {index}: non-canonical scalar: not below the group order"
                ))
            })
        })
        .collect()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(multiscalar_mul_vartime, m)?)?;
    m.add_function(wrap_pyfunction!(mul_base_batch, m)?)?;
    m.add_function(wrap_pyfunction!(mul_batch, m)?)?;
    m.add_function(wrap_pyfunction!(elements_from_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(scalars_from_bytes, m)?)?;
    Ok(())
}
