//! Scalars: canonical decoding at the group order's boundary (RFC 9496 section 4) and the
//! Python-facing conversions.

use curve25519_dalek::scalar::Scalar as DalekScalar;
use pyo3::types::PyAnyMethods;

use super::*;
use crate::tests::with_python;
use crate::NativeDecodeError;

/// l = 2^252 + 27742317777372353535851937790883648493, little-endian (RFC 9496 section 4).
const ORDER_LE: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
];

fn minus(mut bytes: [u8; 32], k: u8) -> [u8; 32] {
    bytes[0] -= k; // no borrow: l's lowest byte is 0xed
    bytes
}

#[test]
fn canonical_scalars_are_those_below_the_order() {
    assert_eq!(
        canonical_scalar(minus(ORDER_LE, 1)),
        Some(-DalekScalar::ONE)
    );
    assert_eq!(canonical_scalar([0; 32]), Some(DalekScalar::ZERO));
    assert_eq!(canonical_scalar(ORDER_LE), None);
    let mut above = ORDER_LE;
    above[0] += 1;
    assert_eq!(canonical_scalar(above), None);
    assert_eq!(canonical_scalar([0xff; 32]), None);
}

#[test]
fn wide_bytes_are_reduced_modulo_the_order() {
    let mut wide = [0u8; 64];
    wide[..32].copy_from_slice(&ORDER_LE);
    wide[0] += 5;
    with_python(|_py| {
        let reduced = Scalar::from_bytes_wide(&wide).expect("64 bytes");
        assert_eq!(reduced.inner, DalekScalar::from(5u64));
        assert!(Scalar::from_bytes_wide(&wide[..32]).is_err());
    });
}

#[test]
fn the_order_seen_from_python_is_l() {
    with_python(|py| {
        let order = Scalar::ORDER(py).expect("ORDER");
        let expected = py
            .eval_bound(
                "2**252 + 27742317777372353535851937790883648493",
                None,
                None,
            )
            .expect("int");
        assert!(order.bind(py).eq(expected).expect("comparable"));
    });
}

#[test]
fn from_int_refuses_what_is_out_of_range() {
    with_python(|py| {
        for (source, message) in [
            (
                "-1",
                "scalar out of range: expected 0 <= value < ORDER, got a negative integer",
            ),
            (
                "2**252 + 27742317777372353535851937790883648493",
                "scalar out of range: expected 0 <= value < ORDER, got a larger integer",
            ),
            (
                "2**256",
                "scalar out of range: expected 0 <= value < ORDER, got a larger integer",
            ),
        ] {
            let value = py.eval_bound(source, None, None).expect("int");
            let err = Scalar::from_int(&value).err().expect("refused");
            assert!(err.is_instance_of::<NativeDecodeError>(py));
            assert_eq!(err.value_bound(py).to_string(), message, "{source}");
        }
        let value = py.eval_bound(
            "2**252 + 27742317777372353535851937790883648492",
            None,
            None,
        );
        let largest = Scalar::from_int(&value.expect("int")).expect("l - 1");
        assert_eq!(largest.inner, -DalekScalar::ONE);
    });
}

#[test]
fn zero_has_no_inverse_and_others_do() {
    with_python(|_py| {
        assert!(Scalar::zero().invert().is_err());
        let seven = Scalar::new(DalekScalar::from(7u64));
        assert_eq!(
            seven.invert().expect("inverse").inner * seven.inner,
            DalekScalar::ONE
        );
    });
}

#[test]
fn random_batch_is_bounded_and_draws_distinct_scalars() {
    with_python(|_py| {
        assert!(Scalar::random_batch(MAX_RANDOM_BATCH + 1).is_err());
        let drawn = Scalar::random_batch(4).expect("four");
        assert!(drawn.windows(2).all(|w| w[0].inner != w[1].inner));
    });
}
