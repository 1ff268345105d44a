//! Elements of the prime-order group ristretto255 (RFC 9496) and fixed-base tables.

use std::fmt::Write as _;
use std::sync::OnceLock;

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::traits::{Identity, IsIdentity};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::types::{PyBytes, PyTuple};
use subtle::ConstantTimeEq;

use crate::scalar::Scalar;
use crate::{decode_error, exact_bytes};

pub(crate) const INVALID_ELEMENT: &str = "invalid or non-canonical ristretto255 encoding";

/// Decode a 32-byte encoding strictly as RFC 9496 section 4.3.1 requires.
pub(crate) fn decode_point(bytes: [u8; 32]) -> Option<RistrettoPoint> {
    CompressedRistretto(bytes).decompress()
}

/// A ristretto255 group element: immutable, hashable, shareable across threads.
///
/// The canonical encoding is computed once, on first use, and kept.
#[pyclass(frozen, module = "suffrage._native")]
pub struct Element {
    pub(crate) point: RistrettoPoint,
    encoding: OnceLock<[u8; 32]>,
}

impl Element {
    pub(crate) fn new(point: RistrettoPoint) -> Self {
        Self {
            point,
            encoding: OnceLock::new(),
        }
    }

    /// An element decoded from `bytes`, keeping `bytes` as its (canonical) encoding.
    pub(crate) fn decoded(point: RistrettoPoint, bytes: [u8; 32]) -> Self {
        Self {
            point,
            encoding: OnceLock::from(bytes),
        }
    }

    pub(crate) fn encoding(&self) -> &[u8; 32] {
        self.encoding
            .get_or_init(|| self.point.compress().to_bytes())
    }
}

#[pymethods]
impl Element {
    /// Decode 32 bytes strictly (RFC 9496 section 4.3.1); the identity is allowed.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        let bytes = exact_bytes::<32>(data)?;
        decode_point(bytes)
            .map(|point| Self::decoded(point, bytes))
            .ok_or_else(|| decode_error(INVALID_ELEMENT))
    }

    /// The RFC 9496 one-way map (element derivation, section 4.3.4) of exactly 64 bytes.
    #[staticmethod]
    fn from_uniform_bytes(data: &[u8]) -> PyResult<Self> {
        let bytes = exact_bytes::<64>(data)?;
        Ok(Self::new(RistrettoPoint::from_uniform_bytes(&bytes)))
    }

    /// The identity element (neutral for addition).
    #[staticmethod]
    fn identity() -> Self {
        Self::new(RistrettoPoint::identity())
    }

    /// The canonical generator of RFC 9496.
    #[staticmethod]
    fn generator() -> Self {
        Self::new(RISTRETTO_BASEPOINT_POINT)
    }

    /// s times the generator, with dalek's precomputed basepoint table (constant time).
    #[staticmethod]
    fn mul_base(s: PyRef<'_, Scalar>) -> Self {
        Self::new(RistrettoPoint::mul_base(&s.inner))
    }

    /// The canonical 32-byte encoding.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new_bound(py, self.encoding())
    }

    /// Whether this is the identity element.
    fn is_identity(&self) -> bool {
        self.point.is_identity()
    }

    fn __add__(&self, other: PyRef<'_, Self>) -> Self {
        Self::new(self.point + other.point)
    }

    fn __sub__(&self, other: PyRef<'_, Self>) -> Self {
        Self::new(self.point - other.point)
    }

    fn __neg__(&self) -> Self {
        Self::new(-self.point)
    }

    /// Variable-base multiplication by a scalar (constant time).
    fn __mul__(&self, s: PyRef<'_, Scalar>) -> Self {
        Self::new(self.point * s.inner)
    }

    /// Variable-base multiplication by a scalar (constant time).
    fn __rmul__(&self, s: PyRef<'_, Scalar>) -> Self {
        Self::new(self.point * s.inner)
    }

    /// Equality in constant time (RFC 9496 section 4.3.3); other types compare unequal.
    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyObject {
        let py = other.py();
        let Ok(other) = other.downcast::<Self>() else {
            return py.NotImplemented();
        };
        let equal: bool = self.point.ct_eq(&other.get().point).into();
        match op {
            CompareOp::Eq => equal.into_py(py),
            CompareOp::Ne => (!equal).into_py(py),
            _ => py.NotImplemented(),
        }
    }

    /// The hash of the canonical encoding (as Python hashes those bytes).
    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        PyBytes::new_bound(py, self.encoding()).hash()
    }

    fn __repr__(&self) -> String {
        format!("Element({})", hex(self.encoding()))
    }

    fn __copy__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __deepcopy__<'py>(slf: PyRef<'py, Self>, _memo: &Bound<'py, PyAny>) -> PyRef<'py, Self> {
        slf
    }

    /// Pickle as `Element.from_bytes(encoding)`.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let constructor = py
            .get_type_bound::<Self>()
            .getattr(intern!(py, "from_bytes"))?;
        let args = PyTuple::new_bound(py, [self.to_bytes(py)]);
        Ok(PyTuple::new_bound(py, [constructor, args.into_any()]))
    }
}

/// Lowercase hexadecimal of `bytes`.
fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(2 * bytes.len()), |mut out, byte| {
            let _ = write!(out, "{byte:02x}");
            out
        })
}

/// A precomputed table for an element multiplied many times (the election public key).
///
/// `mul` runs in constant time, like `Element.mul_base` does for the generator.
#[pyclass(frozen, module = "suffrage._native")]
pub struct ElementTable {
    pub(crate) table: Box<RistrettoBasepointTable>,
    element: RistrettoPoint,
}

impl ElementTable {
    /// Precompute the multiples of `point` with dalek's radix-16 `RistrettoBasepointTable`.
    ///
    /// Measured on this machine class (dalek 4.1, Edwards tables): radix 16 11.5 us a
    /// multiplication, radix 32 11.3 us, 64 12.2 us, 128 15.5 us, 256 22.2 us: the larger
    /// tables' constant-time lookups cost more than the additions they save. Radix 32 would
    /// gain 2% but has no ristretto wrapper (dalek keeps `RistrettoPoint`'s inner point private).
    pub(crate) fn from_point(point: RistrettoPoint) -> Self {
        Self {
            table: Box::new(RistrettoBasepointTable::create(&point)),
            element: point,
        }
    }
}

#[pymethods]
impl ElementTable {
    /// Precompute the multiples of `element` (dalek's `RistrettoBasepointTable::create`).
    #[new]
    fn py_new(element: PyRef<'_, Element>) -> Self {
        Self::from_point(element.point)
    }

    /// The element this table multiplies.
    fn element(&self) -> Element {
        Element::new(self.element)
    }

    /// s times the element (constant time).
    fn mul(&self, s: PyRef<'_, Scalar>) -> Element {
        Element::new(&*self.table * &s.inner)
    }

    fn __repr__(&self) -> String {
        format!("ElementTable({})", hex(self.element.compress().as_bytes()))
    }

    /// Pickle as `ElementTable(element)` (the table is recomputed on load).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let element = Bound::new(py, self.element())?.into_any();
        let args = PyTuple::new_bound(py, [element]);
        let constructor = py.get_type_bound::<Self>().into_any();
        Ok(PyTuple::new_bound(py, [constructor, args.into_any()]))
    }
}

#[cfg(test)]
mod tests;
