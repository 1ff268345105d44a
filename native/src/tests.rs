//! What the unit tests of every module share.

use curve25519_dalek::ristretto::RistrettoPoint;
use pyo3::Python;

use crate::element::Element;

/// Run `f` holding the GIL of an interpreter embedded in the test binary.
///
/// `cargo test` builds without `pyo3/extension-module` (only maturin adds it), so the test
/// binary links libpython and can start Python for the calls that take Python objects.
pub(crate) fn with_python<R>(f: impl FnOnce(Python<'_>) -> R) -> R {
    pyo3::prepare_freethreaded_python();
    Python::with_gil(f)
}

/// Each element is `expected` and carries its canonical encoding.
pub(crate) fn assert_elements(got: &[Element], expected: &[RistrettoPoint]) {
    assert_eq!(got.len(), expected.len());
    for (index, (element, point)) in got.iter().zip(expected).enumerate() {
        assert_eq!(element.point, *point, "point {index}");
        assert_eq!(
            element.encoding(),
            point.compress().as_bytes(),
            "encoding {index}"
        );
    }
}
