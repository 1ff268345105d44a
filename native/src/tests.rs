//! What the unit tests of every module share.

use pyo3::Python;

/// Run `f` holding the GIL of an interpreter embedded in the test binary.
///
/// `cargo test` builds without `pyo3/extension-module` (only maturin adds it), so the test
/// binary links libpython and can start Python for the calls that take Python objects.
pub(crate) fn with_python<R>(f: impl FnOnce(Python<'_>) -> R) -> R {
    pyo3::prepare_freethreaded_python();
    Python::with_gil(f)
}
