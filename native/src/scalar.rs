//! Scalars: integers modulo the group order l = 2^252 + 27742317777372353535851937790883648493.

use curve25519_dalek::scalar::Scalar as DalekScalar;
use pyo3::exceptions::{PyOverflowError, PyValueError, PyZeroDivisionError};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::types::{PyBytes, PyLong, PyTuple};
use rand_core::{OsRng, RngCore};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::element::Element;
use crate::{decode_error, exact_bytes, int_from_le, type_error};

pub(crate) const NON_CANONICAL: &str = "non-canonical scalar: not below the group order";
/// The most scalars `Scalar.random_batch` draws in one call.
const MAX_RANDOM_BATCH: usize = 1 << 20;
const OUT_OF_RANGE: &str = "scalar out of range: expected 0 <= value < ORDER";

/// Decode 32 little-endian bytes that must encode an integer below l (constant time).
pub(crate) fn canonical_scalar(bytes: [u8; 32]) -> Option<DalekScalar> {
    Option::from(DalekScalar::from_canonical_bytes(bytes))
}

/// An integer modulo the group order l: immutable, hashable, shareable across threads.
///
/// Arithmetic is constant time. The value is wiped from memory when the object is freed,
/// and `repr` never shows it.
#[pyclass(frozen, module = "suffrage._native")]
pub struct Scalar {
    pub(crate) inner: DalekScalar,
}

impl Scalar {
    pub(crate) fn new(inner: DalekScalar) -> Self {
        Self { inner }
    }
}

impl Drop for Scalar {
    fn drop(&mut self) {
        self.inner.zeroize();
    }
}

#[pymethods]
impl Scalar {
    /// The group order l, as a Python int.
    #[classattr]
    #[allow(non_snake_case)]
    fn ORDER(py: Python<'_>) -> PyResult<PyObject> {
        let largest = int_from_le(py, (-DalekScalar::ONE).as_bytes())?;
        Ok(largest.add(1)?.unbind())
    }

    /// Decode 32 little-endian bytes holding an integer below l; anything else is refused.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        let bytes = exact_bytes::<32>(data)?;
        canonical_scalar(bytes)
            .map(Self::new)
            .ok_or_else(|| decode_error(NON_CANONICAL))
    }

    /// Reduce exactly 64 little-endian bytes modulo l (for hash outputs and uniform bytes).
    #[staticmethod]
    fn from_bytes_wide(data: &[u8]) -> PyResult<Self> {
        let bytes = exact_bytes::<64>(data)?;
        Ok(Self::new(DalekScalar::from_bytes_mod_order_wide(&bytes)))
    }

    /// The scalar for a Python int with 0 <= value < l; anything else is refused.
    #[staticmethod]
    fn from_int(value: &Bound<'_, PyAny>) -> PyResult<Self> {
        let value = value
            .downcast::<PyLong>()
            .map_err(|_| type_error("Scalar.from_int", "int", value))?;
        if let Ok(small) = value.extract::<u64>() {
            return Ok(Self::new(DalekScalar::from(small)));
        }
        if value.lt(0)? {
            return Err(decode_error(format!(
                "{OUT_OF_RANGE}, got a negative integer"
            )));
        }
        let bytes = int_to_32_bytes(value)?;
        canonical_scalar(bytes)
            .map(Self::new)
            .ok_or_else(|| decode_error(format!("{OUT_OF_RANGE}, got a larger integer")))
    }

    /// A uniformly random scalar from the operating system's generator (getrandom).
    #[staticmethod]
    fn random() -> Self {
        Self::new(DalekScalar::random(&mut OsRng))
    }

    /// `count` uniformly random scalars, from one read of the operating system's generator.
    #[staticmethod]
    fn random_batch(count: usize) -> PyResult<Vec<Self>> {
        if count > MAX_RANDOM_BATCH {
            return Err(PyValueError::new_err(format!(
                "at most {MAX_RANDOM_BATCH} scalars at once, asked for {count}"
            )));
        }
        let mut wide = Zeroizing::new(vec![0u8; 64 * count]);
        OsRng.fill_bytes(&mut wide);
        Ok(wide
            .chunks_exact(64)
            .map(|chunk| {
                let mut bytes = Zeroizing::new([0u8; 64]);
                bytes.copy_from_slice(chunk);
                Self::new(DalekScalar::from_bytes_mod_order_wide(&bytes))
            })
            .collect())
    }

    /// The scalar 0.
    #[staticmethod]
    fn zero() -> Self {
        Self::new(DalekScalar::ZERO)
    }

    /// The scalar 1.
    #[staticmethod]
    fn one() -> Self {
        Self::new(DalekScalar::ONE)
    }

    /// The canonical 32-byte little-endian encoding.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new_bound(py, self.inner.as_bytes())
    }

    /// The value as a Python int in [0, l).
    fn to_int<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        int_from_le(py, self.inner.as_bytes())
    }

    /// The multiplicative inverse (constant time); ZeroDivisionError for zero.
    fn invert(&self) -> PyResult<Self> {
        if self.is_zero() {
            return Err(PyZeroDivisionError::new_err(
                "the zero scalar has no inverse",
            ));
        }
        Ok(Self::new(self.inner.invert()))
    }

    /// Whether this is the scalar 0.
    fn is_zero(&self) -> bool {
        self.inner.ct_eq(&DalekScalar::ZERO).into()
    }

    fn __add__(&self, other: PyRef<'_, Self>) -> Self {
        Self::new(self.inner + other.inner)
    }

    fn __sub__(&self, other: PyRef<'_, Self>) -> Self {
        Self::new(self.inner - other.inner)
    }

    /// Scalar * Scalar is a Scalar; Scalar * Element is an Element (constant time).
    fn __mul__(&self, other: &Bound<'_, PyAny>) -> PyObject {
        let py = other.py();
        if let Ok(scalar) = other.downcast::<Self>() {
            return Self::new(self.inner * scalar.get().inner).into_py(py);
        }
        if let Ok(element) = other.downcast::<Element>() {
            return Element::new(element.get().point * self.inner).into_py(py);
        }
        py.NotImplemented()
    }

    fn __neg__(&self) -> Self {
        Self::new(-self.inner)
    }

    /// Equality in constant time; other types compare unequal.
    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyObject {
        let py = other.py();
        let Ok(other) = other.downcast::<Self>() else {
            return py.NotImplemented();
        };
        let equal: bool = self.inner.ct_eq(&other.get().inner).into();
        match op {
            CompareOp::Eq => equal.into_py(py),
            CompareOp::Ne => (!equal).into_py(py),
            _ => py.NotImplemented(),
        }
    }

    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        PyBytes::new_bound(py, self.inner.as_bytes()).hash()
    }

    fn __repr__(&self) -> &'static str {
        "Scalar(<hidden>)"
    }

    fn __copy__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __deepcopy__<'py>(slf: PyRef<'py, Self>, _memo: &Bound<'py, PyAny>) -> PyRef<'py, Self> {
        slf
    }

    /// Pickle as `Scalar.from_bytes(encoding)`.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let constructor = py
            .get_type_bound::<Self>()
            .getattr(intern!(py, "from_bytes"))?;
        let args = PyTuple::new_bound(py, [self.to_bytes(py)]);
        Ok(PyTuple::new_bound(py, [constructor, args.into_any()]))
    }
}

/// `value.to_bytes(32, "little")` for a non-negative int, refusing values of 2^256 and more.
fn int_to_32_bytes(value: &Bound<'_, PyLong>) -> PyResult<[u8; 32]> {
    let py = value.py();
    let encoded = value
        .call_method1(intern!(py, "to_bytes"), (32, intern!(py, "little")))
        .map_err(|err| {
            if err.is_instance_of::<PyOverflowError>(py) {
                decode_error(format!("{OUT_OF_RANGE}, got a larger integer"))
            } else {
                err
            }
        })?;
    let encoded = encoded.downcast::<PyBytes>()?;
    exact_bytes::<32>(encoded.as_bytes())
}

#[cfg(test)]
mod tests;
