//! RFC 9496 appendix A test vectors for ristretto255, read from the file the Python tests
//! also read (tests/vectors/rfc9496.json; provenance in tests/vectors/README.md):
//! A.1 the multiples 0..15 of the generator, A.2 the encodings that MUST be refused,
//! A.3 the element derivation (hash-to-group) of 64-byte inputs.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar as DalekScalar;
use curve25519_dalek::traits::Identity;

use super::*;
use crate::tests::with_python;

const VECTORS: &str = include_str!("../../../tests/vectors/rfc9496.json");

/// The text of the JSON value under `key`: from its opening bracket to the matching one.
///
/// The vectors file holds only hexadecimal and plain words in its strings, so counting
/// brackets is enough; a test below checks the counts of the appendix.
fn section(key: &str) -> &'static str {
    let start = VECTORS
        .find(&format!("\"{key}\":"))
        .unwrap_or_else(|| panic!("no {key} in rfc9496.json"));
    let open = start + VECTORS[start..].find(['[', '{']).expect("a value");
    let mut depth = 0usize;
    for (offset, c) in VECTORS[open..].char_indices() {
        match c {
            '[' | '{' => depth += 1,
            ']' | '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return &VECTORS[open..=open + offset];
        }
    }
    panic!("unterminated {key} in rfc9496.json")
}

/// Every hexadecimal string of `text`, decoded, in order (other strings are skipped).
fn hex_strings(text: &str) -> Vec<Vec<u8>> {
    text.split('"')
        .skip(1)
        .step_by(2)
        .filter(|s| !s.is_empty() && s.len() % 2 == 0 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|s| {
            (0..s.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
                .collect()
        })
        .collect()
}

fn bytes32(data: &[u8]) -> [u8; 32] {
    data.try_into().expect("32 bytes")
}

fn bytes64(data: &[u8]) -> [u8; 64] {
    data.try_into().expect("64 bytes")
}

/// A.1: the encodings of 0*G .. 15*G.
fn multiples() -> Vec<[u8; 32]> {
    hex_strings(section("generator_multiples"))
        .iter()
        .map(|b| bytes32(b))
        .collect()
}

/// A.2: encodings that decoding MUST refuse.
fn invalid() -> Vec<[u8; 32]> {
    hex_strings(section("invalid_encodings"))
        .iter()
        .map(|b| bytes32(b))
        .collect()
}

/// A.3: (64-byte input, encoded output) pairs of the one-way map.
fn derivations() -> Vec<([u8; 64], [u8; 32])> {
    let strings = hex_strings(section("element_derivation"));
    strings
        .chunks_exact(2)
        .map(|pair| (bytes64(&pair[0]), bytes32(&pair[1])))
        .collect()
}

#[test]
fn the_file_holds_every_vector_of_the_appendix() {
    assert_eq!(multiples().len(), 16);
    assert_eq!(invalid().len(), 29);
    assert_eq!(derivations().len(), 7);
    assert_eq!(
        hex_strings(section("element_derivation_same_output")).len(),
        5
    );
}

#[test]
fn a1_multiples_of_the_generator_decode_and_encode() {
    let mut sum = RistrettoPoint::identity();
    for (i, encoding) in multiples().into_iter().enumerate() {
        let point = decode_point(encoding).unwrap_or_else(|| panic!("multiple {i} refused"));
        assert_eq!(point, sum, "multiple {i}");
        assert_eq!(
            point,
            RistrettoPoint::mul_base(&DalekScalar::from(i as u64))
        );
        assert_eq!(
            Element::new(point).encoding(),
            &encoding,
            "multiple {i} re-encoded"
        );
        sum += G;
    }
}

#[test]
fn a2_invalid_encodings_are_refused() {
    for (i, encoding) in invalid().into_iter().enumerate() {
        assert!(
            decode_point(encoding).is_none(),
            "invalid encoding {i} accepted"
        );
    }
}

#[test]
fn a3_element_derivation_is_reproduced() {
    for (input, output) in derivations() {
        let point = RistrettoPoint::from_uniform_bytes(&input);
        assert_eq!(Element::new(point).encoding(), &output);
    }
    let same = hex_strings(section("element_derivation_same_output"));
    let (output, inputs) = same.split_last().expect("inputs then output");
    for input in inputs {
        let point = RistrettoPoint::from_uniform_bytes(&bytes64(input));
        assert_eq!(point.compress().as_bytes(), output.as_slice());
    }
}

#[test]
fn the_python_methods_apply_the_same_rules() {
    with_python(|_py| {
        let encoding = multiples()[2];
        let element = Element::from_bytes(&encoding).expect("2*G decodes");
        assert_eq!(element.encoding(), &encoding);
        for encoding in invalid() {
            assert!(Element::from_bytes(&encoding).is_err());
        }
        assert!(Element::from_bytes(&encoding[..31]).is_err());
        let (input, output) = derivations()[0];
        assert_eq!(
            Element::from_uniform_bytes(&input)
                .expect("64 bytes")
                .encoding(),
            &output
        );
        assert!(Element::from_uniform_bytes(&input[..63]).is_err());
    });
}
