//! The kernel's proof of shuffle on its own: an honest proof verifies and its outputs are
//! the inputs permuted and re-encrypted; every field of the proof, every output and the
//! statement changed is refused; wrong lengths and encodings are refused naming the field.
//! (The Python tests hold the kernel to the reference byte for byte.)

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar as DalekScalar;
use pyo3::pybacked::PyBackedBytes;
use pyo3::types::PyBytes;
use sha2::{Digest, Sha512};

use super::prove::{draws, prove, Input};
use super::verify::{decode, proof_fields, verify};
use super::*;
use crate::tests::with_python;

fn scalar(label: &[u8], index: usize) -> DalekScalar {
    let mut hash = Sha512::new();
    hash.update(label);
    hash.update(index.to_be_bytes());
    DalekScalar::from_bytes_mod_order_wide(&hash.finalize().into())
}

fn enc(point: &RistrettoPoint) -> [u8; 32] {
    point.compress().to_bytes()
}

/// An election key, its secret and `n` rows of `w` encryptions of small values.
struct Case {
    secret: DalekScalar,
    key: RistrettoPoint,
    width: usize,
    rows: usize,
    inputs: Vec<u8>,
    seed: Vec<u8>,
    context: Vec<u8>,
}

fn case(rows: usize, width: usize) -> Case {
    let secret = scalar(b"secret", 0);
    let key = G * secret;
    let inputs = (0..rows * width)
        .flat_map(|i| {
            let r = scalar(b"nonce", i);
            let value = DalekScalar::from((i % 7) as u64);
            [enc(&(G * r)), enc(&(key * r + G * value))]
        })
        .flatten()
        .collect();
    Case {
        secret,
        key,
        width,
        rows,
        inputs,
        seed: vec![5; 64],
        context: vec![9; 64],
    }
}

impl Case {
    fn statement<'a>(&'a self, outputs: &'a [u8]) -> Statement<'a> {
        Statement {
            context: &self.context,
            purpose: b"mix",
            key: enc(&self.key),
            seed: &self.seed,
            width: self.width,
            rows: self.rows,
            inputs: &self.inputs,
            outputs,
        }
    }

    fn prove(&self) -> (Vec<u8>, [Vec<u8>; 13]) {
        let randomness: Vec<u8> = (0..draws(self.rows, self.width))
            .flat_map(|i| {
                let mut hash = Sha512::new();
                hash.update(b"draw");
                hash.update(i.to_be_bytes());
                <[u8; 64]>::from(hash.finalize())
            })
            .collect();
        let input = Input {
            statement: self.statement(&[]),
            key: self.key,
            randomness: &randomness,
        };
        prove(input).expect("valid inputs")
    }

    /// The verdict on `proof` for `outputs`: `Ok(None)` if it holds.
    fn verdict(&self, outputs: &[u8], proof: &[Vec<u8>; 13]) -> Result<Option<String>, String> {
        let statement = self.statement(outputs);
        let fields: [&[u8]; 13] = std::array::from_fn(|i| proof[i].as_slice());
        let decoded = decode(&statement, self.key, &fields)
            .map_err(|e| with_python(|py| e.value_bound(py).to_string()))?;
        Ok(verify(&statement, &fields, &decoded, &[3; 32]))
    }

    /// The plaintexts `v*G` of rows given as bytes, row by row.
    fn plaintexts(&self, rows: &[u8]) -> Vec<Vec<[u8; 32]>> {
        let points = decode_points(rows).expect("valid rows");
        points
            .chunks(2 * self.width)
            .map(|row| {
                row.chunks(2)
                    .map(|ct| enc(&(ct[1] - ct[0] * self.secret)))
                    .collect()
            })
            .collect()
    }
}

#[test]
fn an_honest_shuffle_verifies_and_permutes_the_plaintexts() {
    for (rows, width) in [(1, 1), (2, 1), (3, 2), (7, 5), (40, 3)] {
        let case = case(rows, width);
        let (outputs, proof) = case.prove();
        assert_eq!(case.verdict(&outputs, &proof), Ok(None), "{rows} x {width}");
        for (field, expected) in proof.iter().zip(field_lengths(rows, width)) {
            assert_eq!(field.len(), expected);
        }
        let mut before = case.plaintexts(&case.inputs);
        let mut after = case.plaintexts(&outputs);
        assert_ne!(outputs, case.inputs);
        before.sort();
        after.sort();
        assert_eq!(before, after);
    }
}

#[test]
fn the_permutation_is_fisher_yates_from_the_identity() {
    let draws: Vec<DalekScalar> = [5u64, 1, 0].map(DalekScalar::from).to_vec();
    // (0 1 2 3); i = 3: 5 mod 4 = 1, (0 3 2 1); i = 2: 1 mod 3 = 1, (0 2 3 1); i = 1: 0,
    // (2 0 3 1).
    let pi = super::prove::permutation(&draws, 4);
    assert_eq!(pi.as_slice(), &[2, 0, 3, 1][..]);
}

/// `data` with the 32-byte value at `index` replaced by another valid one.
fn changed(data: &[u8], index: usize, scalar_field: bool) -> Vec<u8> {
    let mut out = data.to_vec();
    let piece: [u8; 32] = data[32 * index..32 * index + 32].try_into().unwrap();
    let new = if scalar_field {
        (DalekScalar::from_canonical_bytes(piece).unwrap() + DalekScalar::ONE).to_bytes()
    } else {
        enc(&(decode_point(piece).unwrap() + G))
    };
    out[32 * index..32 * index + 32].copy_from_slice(&new);
    out
}

#[test]
fn every_field_changed_is_refused_with_the_first_failing_equation() {
    let case = case(4, 2);
    let (outputs, proof) = case.prove();
    for field in 0..13 {
        for index in [0, proof[field].len() / 32 - 1] {
            let mut bad = proof.clone();
            bad[field] = changed(&proof[field], index, field >= 7);
            let verdict = case.verdict(&outputs, &bad);
            assert!(
                matches!(verdict, Ok(Some(_))),
                "{} [{index}]: {verdict:?}",
                FIELDS[field]
            );
        }
    }
    // A response changes only its own equation: the reason names it.
    let mut bad = proof.clone();
    bad[11] = changed(&proof[11], 2, true);
    assert_eq!(
        case.verdict(&outputs, &bad),
        Ok(Some("(5) at row 2".into()))
    );
    let mut bad = proof.clone();
    bad[10] = changed(&proof[10], 1, true);
    assert_eq!(
        case.verdict(&outputs, &bad),
        Ok(Some("(4) column 1".into()))
    );
    let mut bad = proof.clone();
    bad[7] = changed(&proof[7], 0, true);
    assert_eq!(case.verdict(&outputs, &bad), Ok(Some("(1)".into())));
}

#[test]
fn changed_outputs_or_statement_are_refused() {
    let honest = case(5, 2);
    let (outputs, proof) = honest.prove();
    for index in [0, 3, outputs.len() / 32 - 1] {
        let verdict = honest.verdict(&changed(&outputs, index, false), &proof);
        assert!(
            matches!(verdict, Ok(Some(_))),
            "output {index}: {verdict:?}"
        );
    }
    // Two output rows swapped: still the same multiset, but not what was proven.
    let mut swapped = outputs.clone();
    let row = 64 * honest.width;
    swapped[..row].copy_from_slice(&outputs[row..2 * row]);
    swapped[row..2 * row].copy_from_slice(&outputs[..row]);
    assert!(matches!(honest.verdict(&swapped, &proof), Ok(Some(_))));
    // Another context (another election), another seed of generators.
    let mut other = case(5, 2);
    other.context[0] ^= 1;
    assert!(matches!(other.verdict(&outputs, &proof), Ok(Some(_))));
    let mut other = case(5, 2);
    other.seed[63] ^= 1;
    assert!(matches!(other.verdict(&outputs, &proof), Ok(Some(_))));
}

#[test]
fn bad_encodings_are_refused_naming_the_value() {
    let case = case(3, 2);
    let (outputs, proof) = case.prove();
    let mut bad_outputs = outputs.clone();
    bad_outputs[3 * 32..4 * 32].fill(0);
    assert_eq!(
        case.verdict(&bad_outputs, &proof),
        Err("outputs row 0 ciphertext 1 beta: the identity element is not allowed".into())
    );
    let mut bad = proof.clone();
    bad[6][2 * 32..3 * 32].fill(0xff);
    assert_eq!(
        case.verdict(&outputs, &bad),
        Err(format!("proof.t_hat[2]: {INVALID_ELEMENT}"))
    );
    let mut bad = proof.clone();
    bad[5][32..64].fill(0);
    assert_eq!(
        case.verdict(&outputs, &bad),
        Err("proof.t4[0].beta: the identity element is not allowed here".into())
    );
    let mut bad = proof.clone();
    bad[8] = [0xff; 32].to_vec();
    assert_eq!(
        case.verdict(&outputs, &bad),
        Err(format!("proof.s2: {NON_CANONICAL}"))
    );
}

#[test]
fn wrong_lengths_are_refused_naming_the_field() {
    let case = case(3, 5);
    let (_, proof) = case.prove();
    with_python(|py| {
        let backed =
            |data: &[u8]| -> PyBackedBytes { PyBytes::new_bound(py, data).extract().unwrap() };
        let mut fields: Vec<PyBackedBytes> = proof.iter().map(|f| backed(f)).collect();
        fields[10] = backed(&[0; 96]);
        let error = proof_fields(&fields, 3, 5).unwrap_err();
        assert_eq!(
            error.value_bound(py).to_string(),
            "proof.s4: has 96 bytes, expected 160"
        );
        fields.pop();
        let error = proof_fields(&fields, 3, 5).unwrap_err();
        assert_eq!(
            error.value_bound(py).to_string(),
            "proof: has 12 fields, expected 13"
        );
        let error = rows_of(&[0; 640], 3, "inputs").unwrap_err();
        assert!(error
            .value_bound(py)
            .to_string()
            .starts_with("inputs: has 640 bytes, expected a positive multiple of 192"));
        assert!(rows_of(&[], 1, "inputs").is_err());
        assert!(rows_of(&[0; 64], 0, "inputs").is_err());
    });
}

#[test]
fn generators_are_derived_from_the_seed() {
    let one = generators(&[1; 64], 5);
    assert_eq!(one, generators(&[1; 64], 5));
    assert_ne!(one[0], generators(&[2; 64], 1)[0]);
    assert_ne!(one[0], one[1]);
}
