//! The proof of shuffle (spec/protocol.md#6.4, check P4) for rows of ElGamal ciphertexts:
//! the prover ([`prove`]) and the verifier ([`verify`]) as batch calls.
//!
//! Rows travel as bytes: `N*w*64` bytes, row by row, ciphertext by ciphertext, `alpha` then
//! `beta`; a proof as its thirteen fields of concatenated 32-byte encodings ([`FIELDS`]).
//! The readable reference is `suffrage.core.proofs.shuffle`; both give the same proofs byte
//! for byte from the same draws, and the same verdicts (a differential test holds them).
//! This module holds what prover and verifier share: the generators, the transcripts and
//! strict decoding.

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar as DalekScalar;
use curve25519_dalek::traits::{Identity, IsIdentity};
use pyo3::prelude::*;
use rayon::prelude::*;
use sha2::{Digest, Sha512};

use crate::decode_error;
use crate::element::{decode_point, INVALID_ELEMENT};
use crate::scalar::NON_CANONICAL;

mod calls;
mod prove;
mod verify;

pub(crate) use calls::register;
#[cfg(test)]
pub(crate) use calls::rows_of;

/// The protocol label every transcript starts with (spec/protocol.md#3.1).
const PROTOCOL_LABEL: &[u8] = b"suffrage/1";
/// The generators' seed and the statement's context are 64 bytes (spec/protocol.md#6.4).
const SEED_BYTES: usize = 64;
const CONTEXT_BYTES: usize = 64;
/// Points per chunk of a parallel decoding or encoding.
const CHUNK: usize = 256;

/// The thirteen fields of a proof, in the order of `RawShuffleProof`.
pub(crate) const FIELDS: [&str; 13] = [
    "permutation_commitment",
    "chain",
    "t1",
    "t2",
    "t3",
    "t4",
    "t_hat",
    "s1",
    "s2",
    "s3",
    "s4",
    "s_hat",
    "s_prime",
];

/// The byte length of each field of a proof of `rows` rows of `width` ciphertexts.
pub(crate) fn field_lengths(rows: usize, width: usize) -> [usize; 13] {
    let n = 32 * rows;
    [
        n,
        n,
        32,
        32,
        32,
        64 * width,
        n,
        32,
        32,
        32,
        32 * width,
        n,
        n,
    ]
}

/// A transcript (spec/protocol.md#3.1): SHA-512 over length-prefixed pieces.
pub(crate) struct Transcript(Sha512);

impl Transcript {
    pub(crate) fn new(tag: &[u8]) -> Self {
        let mut hash = Sha512::new();
        prefixed(&mut hash, PROTOCOL_LABEL);
        prefixed(&mut hash, tag);
        Self(hash)
    }

    /// `lp(label) || lp(value)`, the value given as the concatenation of `parts`.
    pub(crate) fn field(&mut self, label: &[u8], parts: &[&[u8]]) {
        prefixed(&mut self.0, label);
        let size: usize = parts.iter().map(|part| part.len()).sum();
        self.0.update((size as u64).to_be_bytes());
        for part in parts {
            self.0.update(part);
        }
    }

    pub(crate) fn digest(self) -> [u8; 64] {
        self.0.finalize().into()
    }

    /// The digest reduced modulo the group order (spec/protocol.md#3.2).
    pub(crate) fn challenge(self) -> DalekScalar {
        DalekScalar::from_bytes_mod_order_wide(&self.digest())
    }
}

fn prefixed(hash: &mut Sha512, data: &[u8]) {
    hash.update((data.len() as u64).to_be_bytes());
    hash.update(data);
}

/// The generators `H_0..H_{count-1}` derived from `seed` (spec/protocol.md#6.4), never read
/// from anywhere: nobody knows their discrete logarithms.
pub(crate) fn generators(seed: &[u8], count: usize) -> Vec<RistrettoPoint> {
    (0..count)
        .into_par_iter()
        .with_min_len(64)
        .map(|index| {
            let index = index as u64;
            let mut t = Transcript::new(b"shuffle/generator");
            t.field(b"seed", &[seed]);
            t.field(b"index", &[&index.to_be_bytes()]);
            RistrettoPoint::from_uniform_bytes(&t.digest())
        })
        .collect()
}

/// What a proof of shuffle is about (spec/protocol.md#6.4, "Statement"), as encodings.
pub(crate) struct Statement<'a> {
    pub(crate) context: &'a [u8],
    pub(crate) purpose: &'a [u8],
    pub(crate) key: [u8; 32],
    pub(crate) seed: &'a [u8],
    pub(crate) width: usize,
    pub(crate) rows: usize,
    pub(crate) inputs: &'a [u8],
    pub(crate) outputs: &'a [u8],
}

impl Statement<'_> {
    fn tag(&self, suffix: &str) -> Vec<u8> {
        [b"shuffle/", self.purpose, suffix.as_bytes()].concat()
    }

    /// The statement's digest `d`, given the generators' encodings and the permutation
    /// commitment.
    pub(crate) fn digest(&self, generators: &[u8], permutation_commitment: &[u8]) -> [u8; 64] {
        let mut t = Transcript::new(&self.tag("/statement"));
        t.field(b"context", &[self.context]);
        t.field(b"key", &[&self.key]);
        t.field(b"seed", &[self.seed]);
        t.field(b"generators", &[generators]);
        t.field(b"width", &[&(self.width as u64).to_be_bytes()]);
        t.field(b"rows", &[&(self.rows as u64).to_be_bytes()]);
        t.field(b"inputs", &[self.inputs]);
        t.field(b"outputs", &[self.outputs]);
        t.field(b"permutation_commitment", &[permutation_commitment]);
        t.digest()
    }

    /// The challenges `u_0..u_{N-1}` from the statement's digest `d`.
    pub(crate) fn u_challenges(&self, d: &[u8; 64]) -> Vec<DalekScalar> {
        let tag = self.tag("/u");
        (0..self.rows)
            .into_par_iter()
            .with_min_len(256)
            .map(|index| {
                let index = index as u64;
                let mut t = Transcript::new(&tag);
                t.field(b"statement", &[d]);
                t.field(b"index", &[&index.to_be_bytes()]);
                t.challenge()
            })
            .collect()
    }

    /// The challenge `c` over `d` and the prover's commitments (fields 1 to 6 of `proof`).
    pub(crate) fn challenge(&self, d: &[u8; 64], proof: &[&[u8]; 13]) -> DalekScalar {
        let mut t = Transcript::new(&self.tag(""));
        t.field(b"statement", &[d]);
        for (label, value) in [b"chain" as &[u8], b"t1", b"t2", b"t3", b"t4", b"t_hat"]
            .iter()
            .zip(&proof[1..7])
        {
            t.field(label, &[value]);
        }
        t.challenge()
    }
}

/// The encodings of the derived generators, concatenated.
pub(crate) fn encode_all(points: &[RistrettoPoint]) -> Vec<u8> {
    points
        .par_chunks(CHUNK)
        .flat_map_iter(|chunk| chunk.iter().flat_map(|p| p.compress().to_bytes()))
        .collect()
}

/// Why a 32-byte encoding was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    Invalid,
    Identity,
}

impl Refusal {
    fn reason(self) -> &'static str {
        match self {
            Refusal::Invalid => INVALID_ELEMENT,
            Refusal::Identity => "the identity element is not allowed here",
        }
    }
}

/// Decode concatenated 32-byte encodings strictly, the identity refused, in parallel; or
/// the index of the first refused one and why.
pub(crate) fn decode_points(data: &[u8]) -> Result<Vec<RistrettoPoint>, (usize, Refusal)> {
    let mut points = Vec::with_capacity(data.len() / 32);
    decode_into(&mut points, data)?;
    Ok(points)
}

/// [`decode_points`] appending to `out` (no list of results in between: a list of rows
/// may hold millions of points). A refused encoding is appended as the identity, which no
/// accepted one is, then found and named.
pub(crate) fn decode_into(
    out: &mut Vec<RistrettoPoint>,
    data: &[u8],
) -> Result<(), (usize, Refusal)> {
    let start = out.len();
    out.par_extend(data.par_chunks(32).with_min_len(CHUNK).map(|chunk| {
        let bytes: [u8; 32] = chunk.try_into().expect("32-byte chunks");
        decode_point(bytes).unwrap_or_else(RistrettoPoint::identity)
    }));
    match out[start..].par_iter().position_first(|p| p.is_identity()) {
        None => Ok(()),
        Some(index) => {
            let bytes: [u8; 32] = data[32 * index..32 * index + 32].try_into().expect("32");
            let refusal = match decode_point(bytes) {
                None => Refusal::Invalid,
                Some(_) => Refusal::Identity,
            };
            Err((index, refusal))
        }
    }
}

/// Decode concatenated canonical scalars, or give the index of the first refused one.
pub(crate) fn decode_scalars(data: &[u8]) -> Result<Vec<DalekScalar>, usize> {
    data.chunks_exact(32)
        .enumerate()
        .map(|(index, chunk)| {
            let bytes: [u8; 32] = chunk.try_into().expect("32-byte chunks");
            Option::from(DalekScalar::from_canonical_bytes(bytes)).ok_or(index)
        })
        .collect()
}

/// The name of point `index` of a list of rows (`inputs` or `outputs`).
pub(crate) fn row_point_name(list: &str, width: usize, index: usize) -> String {
    let half = if index.is_multiple_of(2) {
        "alpha"
    } else {
        "beta"
    };
    let (row, column) = (index / 2 / width, index / 2 % width);
    format!("{list} row {row} ciphertext {column} {half}")
}

/// The name of element `index` of proof field `field`.
pub(crate) fn proof_point_name(field: &str, index: usize) -> String {
    match field {
        "t1" | "t2" | "t3" => format!("proof.{field}"),
        "t4" => {
            let half = if index.is_multiple_of(2) {
                "alpha"
            } else {
                "beta"
            };
            format!("proof.t4[{}].{half}", index / 2)
        }
        _ => format!("proof.{field}[{index}]"),
    }
}

/// The error for a refused element, naming it.
pub(crate) fn point_error(name: &str, refusal: Refusal) -> PyErr {
    decode_error(format!("{name}: {}", refusal.reason()))
}

/// The error for a refused point of a list of rows, naming it.
pub(crate) fn row_error(list: &str, width: usize, index: usize, refusal: Refusal) -> PyErr {
    let reason = match refusal {
        Refusal::Identity => "the identity element is not allowed",
        Refusal::Invalid => refusal.reason(),
    };
    decode_error(format!("{}: {reason}", row_point_name(list, width, index)))
}

/// The error for a refused scalar, naming it.
pub(crate) fn scalar_error(field: &str, index: usize, single: bool) -> PyErr {
    let name = if single {
        format!("proof.{field}")
    } else {
        format!("proof.{field}[{index}]")
    };
    decode_error(format!("{name}: {NON_CANONICAL}"))
}

#[cfg(test)]
mod tests;
