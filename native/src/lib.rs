//! `suffrage._native`: the ristretto255 kernel of Suffrage (RFC 9496 on curve25519-dalek 4).
//!
//! Everything that may touch a secret (scalar arithmetic, fixed-base and variable-base
//! multiplication, element comparison) uses dalek's constant-time code paths. Only the
//! functions whose name contains `vartime` run in variable time; they are meant for public
//! data (proof verification), never for secrets.
//!
//! Batch functions copy the Rust values out of their Python arguments while holding the GIL
//! and release it (`Python::allow_threads`) for the computation.

// The `#[pyfunction]`/`#[pymethods]` expansion of pyo3 0.22 converts every `PyResult` into
// itself, which recent clippy reports at each signature (a false positive).
#![allow(clippy::useless_conversion)]

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyLong};
use pyo3::{create_exception, intern};

mod batch;
mod check;
mod element;
mod mixdec;
mod prove;
mod scalar;
mod shuffle;
#[cfg(test)]
mod tests;

pub use element::{Element, ElementTable};
pub use scalar::Scalar;

create_exception!(
    suffrage._native,
    NativeDecodeError,
    PyValueError,
    "Bytes (or an integer) that are not a canonical encoding; the message says what is wrong."
);

/// The error for a wrongly encoded value.
pub(crate) fn decode_error(message: impl Into<String>) -> PyErr {
    NativeDecodeError::new_err(message.into())
}

/// The error for a byte string of the wrong length.
pub(crate) fn length_error(expected: usize, got: usize) -> PyErr {
    decode_error(format!("expected {expected} bytes, got {got}"))
}

/// Copy `data` into an array of exactly `N` bytes, or refuse it naming both lengths.
pub(crate) fn exact_bytes<const N: usize>(data: &[u8]) -> PyResult<[u8; N]> {
    data.try_into().map_err(|_| length_error(N, data.len()))
}

/// The Python name of the type of `value`, for error messages.
pub(crate) fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |name| name.to_string())
}

/// The error for an argument (or an item of one) of the wrong Python type.
pub(crate) fn type_error(what: &str, expected: &str, value: &Bound<'_, PyAny>) -> PyErr {
    PyTypeError::new_err(format!(
        "{what}: expected {expected}, got {}",
        type_name(value)
    ))
}

/// The Python integer whose little-endian encoding is `data`.
pub(crate) fn int_from_le<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    py.get_type_bound::<PyLong>().call_method1(
        intern!(py, "from_bytes"),
        (PyBytes::new_bound(py, data), intern!(py, "little")),
    )
}

/// The ristretto255 kernel of Suffrage (curve25519-dalek behind PyO3).
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add(
        "NativeDecodeError",
        py.get_type_bound::<NativeDecodeError>(),
    )?;
    m.add_class::<Scalar>()?;
    m.add_class::<Element>()?;
    m.add_class::<ElementTable>()?;
    batch::register(m)?;
    check::register(m)?;
    mixdec::register(m)?;
    prove::register(m)?;
    shuffle::register(m)?;
    Ok(())
}
