//! The prover of spec/protocol.md#6.4: every multiplication by a secret is fixed-base (on
//! G, on the key K, on H = H_0) or a constant-time multiscalar multiplication.
//!
//! The chain and the `t_hat` commitments are written on G and H only: with
//! `x_i = rh_i + u'_i*x_{i-1}` and `y_i = u'_i*y_{i-1}` (`x_{-1} = 0`, `y_{-1} = 1`),
//! `C_i = x_i*G + y_i*H` and `th_i = (oh_i + o'_i*x_{i-1})*G + (o'_i*y_{i-1})*H`.

use curve25519_dalek::ristretto::{RistrettoBasepointTable, RistrettoPoint};
use curve25519_dalek::scalar::Scalar as DalekScalar;
use curve25519_dalek::traits::{Identity, MultiscalarMul};
use rayon::prelude::*;
use zeroize::{Zeroize, Zeroizing};

use super::{decode_points, encode_all, generators, Refusal, Statement};
use crate::batch::{doubled_elements, half, par_map};

/// Points of one constant-time multiscalar multiplication job.
const MSM_CHUNK: usize = 256;

/// What the prover is given: the statement (its `outputs` are ignored: the prover makes
/// them), the key and its draws.
pub(crate) struct Input<'a> {
    pub(crate) statement: Statement<'a>,
    pub(crate) key: RistrettoPoint,
    pub(crate) randomness: &'a [u8],
}

/// The number of scalars the prover draws (spec/protocol.md#6.4, in this order): the
/// permutation, the nonces, `r`, `rh`, `o_1..o_3`, `o_4`, `oh`, `o'`.
pub(crate) fn draws(rows: usize, width: usize) -> usize {
    (rows - 1) + rows * width + 2 * rows + 3 + width + 2 * rows
}

/// The prover's draws, taken in order.
struct Draws<'a> {
    scalars: &'a [DalekScalar],
    at: usize,
}

impl<'a> Draws<'a> {
    fn take(&mut self, count: usize) -> &'a [DalekScalar] {
        let taken = &self.scalars[self.at..self.at + count];
        self.at += count;
        taken
    }
}

/// The integer value of `x` modulo a small `m`.
fn reduce(x: &DalekScalar, m: usize) -> usize {
    let m = m as u128;
    let rest = x
        .as_bytes()
        .iter()
        .rev()
        .fold(0u128, |r, &b| (r * 256 + b as u128) % m);
    rest as usize
}

/// Fisher-Yates from the identity, `i` from `N-1` down to 1 (spec/protocol.md#6.4).
pub(crate) fn permutation(draws: &[DalekScalar], rows: usize) -> Zeroizing<Vec<usize>> {
    let mut pi = Zeroizing::new((0..rows).collect::<Vec<usize>>());
    for (x, i) in draws.iter().zip((1..rows).rev()) {
        pi.swap(i, reduce(x, i + 1));
    }
    pi
}

/// The sums `sum_i scalars[i]*column(c, i)` for `c` in `0..columns`, in constant time
/// (secret scalars), every column cut in chunks computed in parallel; `column` gives the
/// points (no copy of a column is made).
fn columns_msm(
    scalars: &[DalekScalar],
    columns: usize,
    column: impl Fn(usize, usize) -> RistrettoPoint + Sync,
) -> Vec<RistrettoPoint> {
    let jobs: Vec<(usize, usize)> = (0..columns)
        .flat_map(|col| {
            (0..scalars.len())
                .step_by(MSM_CHUNK)
                .map(move |at| (col, at))
        })
        .collect();
    let partial = par_map(&jobs, |&(col, at)| {
        let end = (at + MSM_CHUNK).min(scalars.len());
        RistrettoPoint::multiscalar_mul(&scalars[at..end], (at..end).map(|i| column(col, i)))
    });
    let mut sums = vec![RistrettoPoint::identity(); columns];
    for ((col, _), point) in jobs.iter().zip(partial) {
        sums[*col] += point;
    }
    sums
}

/// The output rows and the proof's thirteen fields.
pub(crate) type Shuffled = (Vec<u8>, [Vec<u8>; 13]);

/// The prover's secrets, drawn in the spec's order (spec/protocol.md#6.4).
struct Secrets<'a> {
    pi: Zeroizing<Vec<usize>>,
    rho: &'a [DalekScalar],
    r: &'a [DalekScalar],
    rh: &'a [DalekScalar],
    o: &'a [DalekScalar],
    o4: &'a [DalekScalar],
    oh: &'a [DalekScalar],
    o_prime: &'a [DalekScalar],
}

impl<'a> Secrets<'a> {
    fn draw(scalars: &'a [DalekScalar], n: usize, w: usize) -> Self {
        let mut draws = Draws { scalars, at: 0 };
        let pi = permutation(draws.take(n - 1), n);
        let (rho, r, rh) = (draws.take(n * w), draws.take(n), draws.take(n));
        let (o, o4, oh, o_prime) = (draws.take(3), draws.take(w), draws.take(n), draws.take(n));
        Self {
            pi,
            rho,
            r,
            rh,
            o,
            o4,
            oh,
            o_prime,
        }
    }
}

/// Shuffle and prove (see the module's comment and spec/protocol.md#6.4). Returns the
/// output rows and the proof's thirteen fields, or the index of a refused input point.
pub(crate) fn prove(input: Input<'_>) -> Result<Shuffled, (usize, Refusal)> {
    let Input {
        statement,
        key,
        randomness,
    } = input;
    let (n, w) = (statement.rows, statement.width);
    let points = decode_points(statement.inputs)?;
    let scalars: Zeroizing<Vec<DalekScalar>> = Zeroizing::new(
        randomness
            .par_chunks(64)
            .map(|piece| DalekScalar::from_bytes_mod_order_wide(piece.try_into().expect("64")))
            .collect(),
    );
    let secrets = Secrets::draw(&scalars, n, w);
    let key_table = RistrettoBasepointTable::create(&key);
    let out_points = reencrypt(&points, &secrets, &key_table, w);
    let outputs = encode_all(&out_points);
    let hs = generators(statement.seed, n + 1);
    let mut proof: [Vec<u8>; 13] = Default::default();
    proof[0] = encode_all(&permutation_commitment(&secrets, &hs));
    let statement = Statement {
        outputs: &outputs,
        ..statement
    };
    let d = statement.digest(&encode_all(&hs), &proof[0]);
    let u = statement.u_challenges(&d);
    let u_prime: Zeroizing<Vec<DalekScalar>> =
        Zeroizing::new(secrets.pi.iter().map(|&j| u[j]).collect());
    (proof[1], proof[6]) = chain_and_hats(&secrets, &u_prime, &hs[0]);
    let t = encode_all(&commitments(&secrets, &hs, &out_points, &key_table, w));
    (proof[2], proof[3], proof[4]) = (t[..32].into(), t[32..64].into(), t[64..96].into());
    proof[5] = t[96..].to_vec();
    let c = {
        let fields: [&[u8]; 13] = std::array::from_fn(|i| proof[i].as_slice());
        statement.challenge(&d, &fields)
    };
    let responses = responses(&secrets, &u, &u_prime, &c, w);
    for (field, response) in proof[7..].iter_mut().zip(responses) {
        *field = response;
    }
    Ok((outputs, proof))
}

/// The outputs `E'_i = E_{pi(i)} + Enc(0; rho_i)`, fixed-base multiplications on G and K.
fn reencrypt(
    points: &[RistrettoPoint],
    secrets: &Secrets<'_>,
    key_table: &RistrettoBasepointTable,
    w: usize,
) -> Vec<RistrettoPoint> {
    let (pi, rho) = (&secrets.pi, secrets.rho);
    (0..pi.len() * w)
        .into_par_iter()
        .with_min_len(64)
        .flat_map_iter(|ik| {
            let at = 2 * (pi[ik / w] * w + ik % w);
            [
                points[at] + RistrettoPoint::mul_base(&rho[ik]),
                points[at + 1] + key_table * &rho[ik],
            ]
        })
        .collect()
}

/// The permutation commitment `c_j = r_j*G + H_{1+i}` with `pi(i) = j`.
fn permutation_commitment(secrets: &Secrets<'_>, hs: &[RistrettoPoint]) -> Vec<RistrettoPoint> {
    let mut inverse = Zeroizing::new(vec![0usize; secrets.pi.len()]);
    for (i, &j) in secrets.pi.iter().enumerate() {
        inverse[j] = i;
    }
    (0..inverse.len())
        .into_par_iter()
        .with_min_len(64)
        .map(|j| RistrettoPoint::mul_base(&secrets.r[j]) + hs[1 + inverse[j]])
        .collect()
}

/// The chain `C_i` and the commitments `th_i` (encoded), on G and H only (see the module's
/// comment), computed as halves and encoded in one batch.
fn chain_and_hats(
    secrets: &Secrets<'_>,
    u_prime: &[DalekScalar],
    h: &RistrettoPoint,
) -> (Vec<u8>, Vec<u8>) {
    let n = u_prime.len();
    let (oh, o_prime, rh) = (secrets.oh, secrets.o_prime, secrets.rh);
    let mut pairs: Zeroizing<Vec<(DalekScalar, DalekScalar)>> =
        Zeroizing::new(Vec::with_capacity(2 * n));
    let mut hats = Zeroizing::new(Vec::with_capacity(n));
    let (mut x, mut y) = (DalekScalar::ZERO, DalekScalar::ONE);
    for i in 0..n {
        hats.push((oh[i] + o_prime[i] * x, o_prime[i] * y));
        x = rh[i] + u_prime[i] * x;
        y *= u_prime[i];
        pairs.push((x, y));
    }
    x.zeroize();
    y.zeroize();
    pairs.extend(hats.iter().copied());
    let h_table = RistrettoBasepointTable::create(h);
    let halves = par_map(&pairs, |(g, h)| {
        RistrettoPoint::mul_base(&(g * half())) + &h_table * &(h * half())
    });
    let doubled = doubled_elements(&halves);
    let encode = |elements: &[crate::element::Element]| -> Vec<u8> {
        elements.iter().flat_map(|e| *e.encoding()).collect()
    };
    (encode(&doubled[..n]), encode(&doubled[n..]))
}

/// `t_1, t_2, t_3` and `t_4` (alpha, beta by column): constant-time multiscalar
/// multiplications by the secret `o'`.
fn commitments(
    secrets: &Secrets<'_>,
    hs: &[RistrettoPoint],
    out_points: &[RistrettoPoint],
    key_table: &RistrettoBasepointTable,
    w: usize,
) -> Vec<RistrettoPoint> {
    let (o, o4) = (secrets.o, secrets.o4);
    // Column 0 is H_1..H_N, column 1 + 2k + b the outputs' alphas (b = 0) or betas of k.
    let sums = columns_msm(secrets.o_prime, 1 + 2 * w, |col, i| match col {
        0 => hs[1 + i],
        col => out_points[2 * (i * w + (col - 1) / 2) + (col - 1) % 2],
    });
    let mut t = vec![
        RistrettoPoint::mul_base(&o[0]),
        RistrettoPoint::mul_base(&o[1]),
        RistrettoPoint::mul_base(&o[2]) + sums[0],
    ];
    for k in 0..w {
        t.push(sums[1 + 2 * k] - RistrettoPoint::mul_base(&o4[k]));
        t.push(sums[2 + 2 * k] - key_table * &o4[k]);
    }
    t
}

/// The responses `s_1, s_2, s_3, s_4, sh, s'`, encoded, for the challenge `c`.
fn responses(
    secrets: &Secrets<'_>,
    u: &[DalekScalar],
    u_prime: &[DalekScalar],
    c: &DalekScalar,
    w: usize,
) -> [Vec<u8>; 6] {
    let n = u.len();
    let Secrets {
        rho,
        r,
        rh,
        o,
        o4,
        oh,
        o_prime,
        ..
    } = secrets;
    let rbar: DalekScalar = r.iter().sum();
    let mut v = Zeroizing::new(vec![DalekScalar::ONE; n]);
    for i in (1..n).rev() {
        v[i - 1] = u_prime[i] * v[i];
    }
    let rhat: DalekScalar = rh.iter().zip(v.iter()).map(|(a, b)| a * b).sum();
    let rtil: DalekScalar = r.iter().zip(u).map(|(a, b)| a * b).sum();
    let s4 = (0..w).flat_map(|k| {
        let r_k: DalekScalar = (0..n).map(|i| rho[i * w + k] * u_prime[i]).sum();
        (o4[k] + c * r_k).to_bytes()
    });
    [
        (o[0] + c * rbar).to_bytes().to_vec(),
        (o[1] + c * rhat).to_bytes().to_vec(),
        (o[2] + c * rtil).to_bytes().to_vec(),
        s4.collect(),
        (0..n)
            .flat_map(|i| (oh[i] + c * rh[i]).to_bytes())
            .collect(),
        (0..n)
            .flat_map(|i| (o_prime[i] + c * u_prime[i]).to_bytes())
            .collect(),
    ]
}
