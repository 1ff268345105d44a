//! The verifier of spec/protocol.md#6.4 (P4): every element decoded strictly, the
//! generators derived, `d`, the `u_j` and `c` recomputed, and the `2w + N + 3` equations
//! checked with random 128-bit weights in one variable-time multiscalar multiplication
//! (spec/protocol.md#7); when that fails, equation by equation in the spec's order, to name
//! the first failing one.

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar as DalekScalar;
use curve25519_dalek::traits::{Identity, IsIdentity, VartimeMultiscalarMul};
use pyo3::prelude::*;
use pyo3::pybacked::PyBackedBytes;
use rayon::prelude::*;
use sha2::{Digest, Sha512};

use super::{
    decode_into, decode_scalars, encode_all, field_lengths, generators, point_error,
    proof_point_name, row_error, scalar_error, Statement, FIELDS,
};
use crate::check::WEIGHT_BYTES;
use crate::decode_error;

/// Points of one variable-time multiscalar multiplication job (bounds its memory).
const MSM_CHUNK: usize = 1 << 16;

/// The proof's fields as byte strings of their exact lengths, or an error naming the first
/// field of the wrong length.
pub(crate) fn proof_fields(
    proof: &[PyBackedBytes],
    rows: usize,
    width: usize,
) -> PyResult<[&[u8]; 13]> {
    if proof.len() != FIELDS.len() {
        return Err(decode_error(format!(
            "proof: has {} fields, expected {}",
            proof.len(),
            FIELDS.len()
        )));
    }
    for ((field, name), expected) in proof.iter().zip(FIELDS).zip(field_lengths(rows, width)) {
        if field.len() != expected {
            return Err(decode_error(format!(
                "proof.{name}: has {} bytes, expected {expected}",
                field.len()
            )));
        }
    }
    Ok(std::array::from_fn(|i| proof[i].as_ref()))
}

/// Where each point stands in the one table of the multiscalar multiplication: G, K, the
/// input rows' points and the output rows' points (`alpha`, `beta` by ciphertext),
/// H_0..H_N, c_0..c_{N-1}, C_0..C_{N-1}, t_1..t_3, t_4 (alpha, beta by column), th_0..
#[derive(Clone, Copy)]
struct Layout {
    n: usize,
    w: usize,
}

const G: usize = 0;
const K: usize = 1;

impl Layout {
    fn input(self, j: usize, k: usize, beta: usize) -> usize {
        2 + 2 * (j * self.w + k) + beta
    }
    fn output(self, i: usize, k: usize, beta: usize) -> usize {
        self.input(self.n, 0, 0) + 2 * (i * self.w + k) + beta
    }
    fn h(self, i: usize) -> usize {
        self.output(self.n, 0, 0) + i
    }
    fn c(self, j: usize) -> usize {
        self.h(self.n + 1) + j
    }
    fn chain(self, i: usize) -> usize {
        self.c(self.n) + i
    }
    fn t(self, m: usize) -> usize {
        self.chain(self.n) + m
    }
    fn t4(self, k: usize, beta: usize) -> usize {
        self.t(3) + 2 * k + beta
    }
    fn t_hat(self, i: usize) -> usize {
        self.t4(self.w, 0) + i
    }
    fn points(self) -> usize {
        self.t_hat(self.n)
    }
    /// Equations: (1), (2), (3), (4) alpha and beta for each column, (5) for each row.
    fn equations(self) -> usize {
        3 + 2 * self.w + self.n
    }
}

/// A proof decoded: every point in the order of [`Layout`] and every scalar.
pub(crate) struct Decoded {
    points: Vec<RistrettoPoint>,
    s: [DalekScalar; 3],
    s4: Vec<DalekScalar>,
    s_hat: Vec<DalekScalar>,
    s_prime: Vec<DalekScalar>,
}

/// Decode the rows and the proof strictly (the identity refused), in the order: inputs,
/// outputs, then the proof's fields; an error names the first refused value.
pub(crate) fn decode(
    statement: &Statement<'_>,
    key: RistrettoPoint,
    proof: &[&[u8]; 13],
) -> PyResult<Decoded> {
    let w = statement.width;
    let layout = Layout {
        n: statement.rows,
        w,
    };
    let mut points = Vec::with_capacity(layout.points());
    points.extend([RISTRETTO_BASEPOINT_POINT, key]);
    for (list, data) in [("inputs", statement.inputs), ("outputs", statement.outputs)] {
        decode_into(&mut points, data).map_err(|(index, why)| row_error(list, w, index, why))?;
    }
    points.extend(generators(statement.seed, statement.rows + 1));
    for (field, name) in proof[..7].iter().zip(FIELDS) {
        decode_into(&mut points, field)
            .map_err(|(index, why)| point_error(&proof_point_name(name, index), why))?;
    }
    let mut scalars = Vec::with_capacity(6);
    for (field, name) in proof[7..].iter().zip(&FIELDS[7..]) {
        let single = matches!(*name, "s1" | "s2" | "s3");
        scalars.push(decode_scalars(field).map_err(|index| scalar_error(name, index, single))?);
    }
    let s_prime = scalars.pop().expect("s_prime");
    let s_hat = scalars.pop().expect("s_hat");
    let s4 = scalars.pop().expect("s4");
    Ok(Decoded {
        points,
        s: [scalars[0][0], scalars[1][0], scalars[2][0]],
        s4,
        s_hat,
        s_prime,
    })
}

/// The verifier's view of one proof: the recomputed challenges and the decoded values.
struct Equations<'a> {
    layout: Layout,
    c: DalekScalar,
    /// `c*u_j` for each j.
    cu: Vec<DalekScalar>,
    /// `c*U`, U the product of the u_j.
    c_product: DalekScalar,
    decoded: &'a Decoded,
}

impl Equations<'_> {
    /// The terms `(point index, scalar)` of equation `e`, written as spec/protocol.md#6.4
    /// writes it (`... == O`).
    fn terms(&self, e: usize) -> Vec<(usize, DalekScalar)> {
        let (l, d, c) = (self.layout, self.decoded, self.c);
        let (n, w) = (l.n, l.w);
        let one = DalekScalar::ONE;
        match e {
            0 => {
                let mut terms = vec![(G, d.s[0]), (l.t(0), -one)];
                terms.extend((0..n).map(|j| (l.c(j), -c)));
                terms.extend((0..n).map(|i| (l.h(1 + i), c)));
                terms
            }
            1 => vec![
                (G, d.s[1]),
                (l.t(1), -one),
                (l.chain(n - 1), -c),
                (l.h(0), self.c_product),
            ],
            2 => {
                let mut terms = vec![(G, d.s[2]), (l.t(2), -one)];
                terms.extend((0..n).map(|i| (l.h(1 + i), d.s_prime[i])));
                terms.extend((0..n).map(|j| (l.c(j), -self.cu[j])));
                terms
            }
            e if e < 3 + 2 * w => {
                let (k, beta) = ((e - 3) / 2, (e - 3) % 2);
                let base = if beta == 0 { G } else { K };
                let mut terms = vec![(base, -d.s4[k]), (l.t4(k, beta), -one)];
                terms.extend((0..n).map(|i| (l.output(i, k, beta), d.s_prime[i])));
                terms.extend((0..n).map(|j| (l.input(j, k, beta), -self.cu[j])));
                terms
            }
            e => {
                let i = e - 3 - 2 * w;
                let previous = if i == 0 { l.h(0) } else { l.chain(i - 1) };
                vec![
                    (G, d.s_hat[i]),
                    (previous, d.s_prime[i]),
                    (l.t_hat(i), -one),
                    (l.chain(i), -c),
                ]
            }
        }
    }

    /// The name of equation `e` in reasons.
    fn name(&self, e: usize) -> String {
        let w = self.layout.w;
        match e {
            0..=2 => format!("({})", e + 1),
            e if e < 3 + 2 * w => format!("(4) column {}", (e - 3) / 2),
            e => format!("(5) at row {}", e - 3 - 2 * w),
        }
    }

    /// Whether equation `e` alone holds.
    fn holds(&self, e: usize) -> bool {
        let (scalars, points): (Vec<DalekScalar>, Vec<RistrettoPoint>) = self
            .terms(e)
            .into_iter()
            .map(|(index, s)| (s, self.decoded.points[index]))
            .unzip();
        msm(&scalars, &points).is_identity()
    }

    /// Whether the random linear combination of every equation holds.
    fn batch_holds(&self, seed: &[u8; 32]) -> bool {
        let weighted: Vec<Vec<(usize, DalekScalar)>> = (0..self.layout.equations())
            .into_par_iter()
            .map(|e| {
                let z = weight(seed, e);
                let mut terms = self.terms(e);
                terms.iter_mut().for_each(|(_, s)| *s *= z);
                terms
            })
            .collect();
        let mut coefficients = vec![DalekScalar::ZERO; self.decoded.points.len()];
        for (index, s) in weighted.into_iter().flatten() {
            coefficients[index] += s;
        }
        msm(&coefficients, &self.decoded.points).is_identity()
    }
}

/// The 128-bit weight of equation `e`: the `e mod 4`-th 16-byte piece (little-endian) of
/// `SHA-512("suffrage/1/shuffle-weights" || seed || u64(e / 4))`. (Any weights the prover
/// cannot predict will do, spec/protocol.md#7.)
fn weight(seed: &[u8; 32], e: usize) -> DalekScalar {
    let mut hash = Sha512::new();
    hash.update(b"suffrage/1/shuffle-weights");
    hash.update(seed);
    hash.update(((e / 4) as u64).to_be_bytes());
    let block: [u8; 64] = hash.finalize().into();
    let mut wide = [0u8; 32];
    let at = (e % 4) * WEIGHT_BYTES;
    wide[..WEIGHT_BYTES].copy_from_slice(&block[at..at + WEIGHT_BYTES]);
    DalekScalar::from_bytes_mod_order(wide)
}

/// A variable-time multiscalar multiplication, in chunks spread over the cores.
fn msm(scalars: &[DalekScalar], points: &[RistrettoPoint]) -> RistrettoPoint {
    scalars
        .par_chunks(MSM_CHUNK)
        .zip(points.par_chunks(MSM_CHUNK))
        .map(|(s, p)| RistrettoPoint::vartime_multiscalar_mul(s, p))
        .reduce(RistrettoPoint::identity, |a, b| a + b)
}

/// Check a decoded proof: `None` if it holds, else the name of the first failing equation.
pub(crate) fn verify(
    statement: &Statement<'_>,
    proof: &[&[u8]; 13],
    decoded: &Decoded,
    seed: &[u8; 32],
) -> Option<String> {
    let layout = Layout {
        n: statement.rows,
        w: statement.width,
    };
    let generators = &decoded.points[layout.h(0)..=layout.h(layout.n)];
    let d = statement.digest(&encode_all(generators), proof[0]);
    let u = statement.u_challenges(&d);
    let c = statement.challenge(&d, proof);
    let product: DalekScalar = u.iter().product();
    let equations = Equations {
        layout,
        c,
        cu: u.iter().map(|u| c * u).collect(),
        c_product: c * product,
        decoded,
    };
    if equations.batch_holds(seed) {
        return None;
    }
    let failing = (0..layout.equations())
        .find(|&e| !equations.holds(e))
        .map_or_else(|| "(batch)".to_owned(), |e| equations.name(e));
    Some(failing)
}
