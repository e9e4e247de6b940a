//! Quantitative risk analysis in the manner of FAIR: per risk, a loss event
//! frequency (events per year) and a loss magnitude (euros per event), each
//! estimated as minimum / most likely / maximum, simulated by Monte Carlo into
//! an annualised loss distribution and a loss-exceedance curve, per risk and
//! for the whole register.
//!
//! Deterministic: the same estimates, iterations and seed give the same
//! figures on every machine (own PRNG, own quantile tables, a fixed split of
//! the work over threads).

use crate::text::FieldErrors;
use serde::{Deserialize, Serialize};

/// The shape fitted through min / most likely / max.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// Beta-PERT: bounded by min and max, peaked at the most likely value.
    Pert,
    /// Lognormal: min and max read as the 5th and 95th percentile (a 90 %
    /// confidence interval), the most likely value ignored; for long tails.
    Lognormal,
}

impl Shape {
    pub fn code(self) -> &'static str {
        match self {
            Shape::Pert => "pert",
            Shape::Lognormal => "lognormal",
        }
    }
    pub fn parse(s: &str) -> Option<Shape> {
        match s {
            "pert" => Some(Shape::Pert),
            "lognormal" => Some(Shape::Lognormal),
            _ => None,
        }
    }
}

/// Minimum, most likely and maximum.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Range {
    pub min: f64,
    pub ml: f64,
    pub max: f64,
}

/// The estimates of one risk.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Loss events per year.
    pub frequency: Range,
    pub frequency_shape: Shape,
    /// Euros per loss event.
    pub magnitude: Range,
    pub magnitude_shape: Shape,
}

impl Range {
    /// A locale key when the range is not usable.
    pub fn problem(&self, allow_zero_min: bool) -> Option<&'static str> {
        let finite = self.min.is_finite() && self.ml.is_finite() && self.max.is_finite();
        if !finite || self.min < 0.0 || (!allow_zero_min && self.min <= 0.0) {
            return Some("error.fair_positive");
        }
        if !(self.min <= self.ml && self.ml <= self.max) || self.min >= self.max {
            return Some("error.fair_order");
        }
        if self.max > 1e12 {
            return Some("error.fair_too_large");
        }
        None
    }
}

impl Estimate {
    /// Problems as (field, locale key).
    pub fn problems(&self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        let lognormal_f = self.frequency_shape == Shape::Lognormal;
        let lognormal_m = self.magnitude_shape == Shape::Lognormal;
        if let Some(k) = self.frequency.problem(!lognormal_f) {
            out.push(("frequency", k));
        }
        if let Some(k) = self.magnitude.problem(!lognormal_m) {
            out.push(("magnitude", k));
        }
        out
    }
}

/// SplitMix64 to seed, xoshiro256** to draw: small, fast and the same everywhere.
#[derive(Clone, Debug)]
pub struct Rng([u64; 4]);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut z = seed;
        let mut next = || {
            z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut x = z;
            x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            x ^ (x >> 31)
        };
        Rng([next(), next(), next(), next()])
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1).
    #[inline]
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

const TABLE: usize = 2048;

/// An inverse CDF as a table of quantiles, sampled by interpolation.
#[derive(Clone, Debug)]
pub struct Quantiles(Vec<f64>);

impl Quantiles {
    pub fn of(r: Range, shape: Shape) -> Quantiles {
        match shape {
            Shape::Pert => Quantiles::pert(r),
            Shape::Lognormal => Quantiles::lognormal(r),
        }
    }

    /// Beta-PERT with λ = 4: α = 1 + 4 (ml − min) / (max − min), β = 1 + 4 (max − ml) / (max − min).
    /// The CDF is integrated numerically on a fine grid and inverted.
    fn pert(r: Range) -> Quantiles {
        let span = r.max - r.min;
        let a = 1.0 + 4.0 * (r.ml - r.min) / span;
        let b = 1.0 + 4.0 * (r.max - r.ml) / span;
        const GRID: usize = 2048;
        let pdf = |x: f64| {
            if x <= 0.0 || x >= 1.0 { 0.0 } else { ((a - 1.0) * x.ln() + (b - 1.0) * (1.0 - x).ln()).exp() }
        };
        let mut cdf = vec![0.0; GRID + 1];
        let h = 1.0 / GRID as f64;
        let mut left = pdf(0.0);
        for k in 1..=GRID {
            let (x0, x1) = ((k - 1) as f64 * h, k as f64 * h);
            let right = pdf(x1);
            // Simpson on each cell (the right end is the next cell's left end).
            cdf[k] = cdf[k - 1] + h / 6.0 * (left + 4.0 * pdf((x0 + x1) / 2.0) + right);
            left = right;
        }
        let total = cdf[GRID];
        let mut q = Vec::with_capacity(TABLE + 1);
        let mut k = 0;
        for j in 0..=TABLE {
            let p = j as f64 / TABLE as f64 * total;
            while k < GRID && cdf[k + 1] < p {
                k += 1;
            }
            let (c0, c1) = (cdf[k], cdf[(k + 1).min(GRID)]);
            let frac = if c1 > c0 { (p - c0) / (c1 - c0) } else { 0.0 };
            let x = ((k as f64 + frac.clamp(0.0, 1.0)) * h).clamp(0.0, 1.0);
            q.push(r.min + x * span);
        }
        Quantiles(q)
    }

    /// Lognormal through the 5th and 95th percentiles.
    fn lognormal(r: Range) -> Quantiles {
        let (lo, hi) = (r.min.max(1e-9).ln(), r.max.ln());
        let mu = (lo + hi) / 2.0;
        let sigma = (hi - lo) / (2.0 * 1.644_853_626_951_472_2);
        let mut q = Vec::with_capacity(TABLE + 1);
        for j in 0..=TABLE {
            // Avoid the infinite ends: the outermost cells use p = 1/(4 TABLE) from each end.
            let p = (j as f64 / TABLE as f64).clamp(0.25 / TABLE as f64, 1.0 - 0.25 / TABLE as f64);
            q.push((mu + sigma * normal_quantile(p)).exp());
        }
        Quantiles(q)
    }

    #[inline]
    pub fn sample(&self, u: f64) -> f64 {
        let x = u * TABLE as f64;
        let i = (x as usize).min(TABLE - 1);
        let f = x - i as f64;
        self.0[i] + (self.0[i + 1] - self.0[i]) * f
    }
}

/// The standard normal quantile (Acklam's rational approximation, relative
/// error below 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] =
        [7.784_695_709_041_462e-3, 3.224_671_290_700_398e-1, 2.445_134_137_142_996, 3.754_408_661_907_416];
    let p_low = 0.024_25;
    if p < p_low {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - p_low {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    }
}

/// Log-spaced bins from 1 euro to 2^40 euros (about 10^12): twelve per
/// doubling, so a bin is about 6 % wide. The bin comes from the float's
/// exponent and a table over its top mantissa bits: no logarithm per draw.
const BINS_PER_OCTAVE: usize = 12;
const OCTAVES: usize = 40;
const BINS: usize = BINS_PER_OCTAVE * OCTAVES;

/// For the top 8 mantissa bits m: floor(12 · log2(1 + m/256)).
static SUB_BIN: std::sync::LazyLock<[u8; 256]> = std::sync::LazyLock::new(|| {
    let mut t = [0u8; 256];
    for (m, v) in t.iter_mut().enumerate() {
        *v = ((BINS_PER_OCTAVE as f64) * (1.0 + (m as f64 + 0.5) / 256.0).log2()).floor() as u8;
    }
    t
});

#[inline]
fn bin_of(loss: f64, sub: &[u8; 256]) -> Option<usize> {
    if loss < 1.0 || loss.is_nan() {
        return None;
    }
    let bits = loss.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as usize - 1023;
    let m = ((bits >> 44) & 0xff) as usize;
    Some((exp * BINS_PER_OCTAVE + usize::from(sub[m])).min(BINS - 1))
}

fn bin_lower(b: usize) -> f64 {
    2f64.powf(b as f64 / BINS_PER_OCTAVE as f64)
}

fn bin_upper(b: usize) -> f64 {
    bin_lower(b + 1)
}

/// The simulated annual loss of one risk or of the register.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Outcome {
    /// Mean annual loss (annualised loss expectancy), exact over the iterations.
    pub ale: f64,
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    /// Loss-exceedance curve: (loss in euros, probability that the annual loss exceeds it).
    pub curve: Vec<(f64, f64)>,
}

/// Running totals over the iterations.
struct Tally {
    sum: f64,
    below_one: u64,
    bins: Vec<u64>,
    n: u64,
    sub: &'static [u8; 256],
}

impl Tally {
    fn new() -> Tally {
        Tally { sum: 0.0, below_one: 0, bins: vec![0; BINS], n: 0, sub: &SUB_BIN }
    }
    #[inline]
    fn add(&mut self, loss: f64) {
        self.sum += loss;
        self.n += 1;
        match bin_of(loss, self.sub) {
            Some(b) => self.bins[b] += 1,
            None => self.below_one += 1,
        }
    }
    fn outcome(&self) -> Outcome {
        let n = self.n.max(1) as f64;
        let quantile = |p: f64| -> f64 {
            let target = p * n;
            let mut seen = self.below_one as f64;
            if seen >= target {
                return 0.0;
            }
            for (b, c) in self.bins.iter().enumerate() {
                let next = seen + *c as f64;
                if next >= target && *c > 0 {
                    // geometric interpolation inside the bin
                    let lo = bin_lower(b);
                    let hi = bin_upper(b);
                    let f = (target - seen) / *c as f64;
                    return lo * (hi / lo).powf(f);
                }
                seen = next;
            }
            bin_lower(BINS)
        };
        // The curve: every fourth bin edge from the first loss seen to the last.
        let first = self.bins.iter().position(|c| *c > 0);
        let last = self.bins.iter().rposition(|c| *c > 0);
        let mut curve = Vec::new();
        if let (Some(f), Some(l)) = (first, last) {
            let mut above: u64 = self.bins[f..].iter().sum();
            curve.push((bin_lower(f), above as f64 / n));
            for b in f..=l {
                above -= self.bins[b];
                if (b - f) % 2 == 1 || b == l {
                    curve.push((bin_upper(b), above as f64 / n));
                }
            }
        }
        Outcome {
            ale: self.sum / n,
            p10: quantile(0.10),
            p50: quantile(0.50),
            p90: quantile(0.90),
            p99: quantile(0.99),
            curve,
        }
    }
}

/// One risk's stream: the seed mixed with the risk's own key (its number),
/// so adding or removing a risk does not change the draws of the others.
fn stream(seed: u64, key: u64) -> Rng {
    Rng::new(seed ^ key.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

/// Up to this many events in one year, each event's loss is drawn; above it,
/// the year's sum is drawn from the normal distribution with the same mean and
/// variance (the central limit theorem). A sum of skewed losses (a lognormal
/// estimate) is itself skewed well beyond a few dozen events, so the limit is
/// high: only an estimate of more than about a thousand loss events a year
/// takes the approximation.
const EXACT_EVENTS: u64 = 1_000;
/// From this rate on, the event count is drawn from the normal approximation
/// of the Poisson distribution (rounded, never below zero).
const NORMAL_RATE: f64 = 50.0;

/// A uniform draw kept off 0 and 1, for quantile functions with infinite ends.
#[inline]
fn open_unit(rng: &mut Rng) -> f64 {
    rng.next_f64().clamp(1e-12, 1.0 - 1e-12)
}

/// The number of events in a year at `rate` events a year: Poisson, by
/// inversion of its CDF (one uniform draw), or its normal approximation for
/// large rates.
#[inline]
fn poisson(rate: f64, rng: &mut Rng) -> u64 {
    if rate <= 0.0 {
        return 0;
    }
    if rate >= NORMAL_RATE {
        let n = rate + rate.sqrt() * normal_quantile(open_unit(rng));
        return n.round().max(0.0) as u64;
    }
    let u = rng.next_f64();
    let mut p = (-rate).exp();
    let mut cdf = p;
    let mut n = 0u64;
    // The bound only guards against rounding when u is within 1e-16 of 1.
    let bound = (rate * 20.0) as u64 + 100;
    while u > cdf && n < bound {
        n += 1;
        p *= rate / n as f64;
        if p == 0.0 {
            break;
        }
        cdf += p;
    }
    n
}

/// Mean and standard deviation of a fitted shape (from its quantile table).
fn moments(q: &Quantiles) -> (f64, f64) {
    let k = TABLE as f64;
    let (mut s, mut s2) = (0.0, 0.0);
    for j in 0..TABLE {
        let x = q.sample((j as f64 + 0.5) / k);
        s += x;
        s2 += x * x;
    }
    let mean = s / k;
    (mean, (s2 / k - mean * mean).max(0.0).sqrt())
}

/// The loss of one risk in one simulated year: a rate drawn from the
/// frequency estimate, a Poisson count of loss events at that rate, and one
/// loss per event drawn from the magnitude estimate, summed. Most years of a
/// rare risk lose nothing; a year with two events loses twice.
#[inline]
fn one_year(fq: &Quantiles, mq: &Quantiles, m: (f64, f64), rng: &mut Rng) -> f64 {
    let n = poisson(fq.sample(rng.next_f64()), rng);
    if n <= EXACT_EVENTS {
        (0..n).map(|_| mq.sample(rng.next_f64())).sum()
    } else {
        let nf = n as f64;
        (nf * m.0 + nf.sqrt() * m.1 * normal_quantile(open_unit(rng))).max(0.0)
    }
}

/// Simulates `iterations` years of every risk ([`one_year`]): loss events
/// counted per year, each with its own loss. Each estimate comes with a stable
/// key (the risk's number) that picks its random stream. Returns an outcome
/// per risk and one for the register (the sum per year).
pub fn simulate(estimates: &[(u64, Estimate)], iterations: usize, seed: u64) -> (Vec<Outcome>, Outcome) {
    let threads = if estimates.len() >= 8 { 2 } else { 1 };
    let split = estimates.len().div_ceil(threads);
    let work = |part: &[(u64, Estimate)]| -> (Vec<Outcome>, Vec<f64>) {
        let mut totals = vec![0.0f64; iterations];
        let mut outs = Vec::with_capacity(part.len());
        for (key, e) in part {
            let fq = Quantiles::of(e.frequency, e.frequency_shape);
            let mq = Quantiles::of(e.magnitude, e.magnitude_shape);
            let m = moments(&mq);
            let mut rng = stream(seed, *key);
            let mut tally = Tally::new();
            for t in totals.iter_mut() {
                let loss = one_year(&fq, &mq, m, &mut rng);
                tally.add(loss);
                *t += loss;
            }
            outs.push(tally.outcome());
        }
        (outs, totals)
    };
    let parts: Vec<(Vec<Outcome>, Vec<f64>)> = if threads == 1 {
        vec![work(estimates)]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = estimates
                .chunks(split)
                .map(|part| {
                    let work = &work;
                    s.spawn(move || work(part))
                })
                .collect();
            handles.into_iter().map(|h| h.join().expect("simulation thread")).collect()
        })
    };
    let mut per_risk = Vec::with_capacity(estimates.len());
    let mut totals = vec![0.0f64; iterations];
    for (outs, t) in parts {
        per_risk.extend(outs);
        for (a, b) in totals.iter_mut().zip(t) {
            *a += b;
        }
    }
    let mut tally = Tally::new();
    for t in totals {
        tally.add(t);
    }
    (per_risk, tally.outcome())
}

/// The version of [`simulate`]'s arithmetic. Bump it whenever the same
/// estimates, iterations and seed would give other figures: stored outcomes
/// of an older version are then simulated again.
/// 2: loss events counted per year (Poisson) instead of frequency × magnitude;
/// 3: every event's loss drawn up to 1,000 events a year (was 64).
pub const ALGORITHM: u32 = 3;

/// One risk's simulated outcome as it is stored beside its estimate, with
/// everything it was computed from, so that it is used only while they hold.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredOutcome {
    pub algorithm: u32,
    /// The risk's stream key (its number).
    pub key: u64,
    pub seed: u64,
    pub iterations: usize,
    pub estimate: Estimate,
    pub outcome: Outcome,
}

/// The stored form: every float as its shortest decimal text, which Rust
/// reads back to the same bits (a JSON number read by serde_json might not).
#[derive(Serialize, Deserialize)]
struct StoredJson {
    algorithm: u32,
    key: u64,
    seed: u64,
    iterations: u64,
    frequency: [String; 3],
    frequency_shape: String,
    magnitude: [String; 3],
    magnitude_shape: String,
    ale: String,
    p10: String,
    p50: String,
    p90: String,
    p99: String,
    curve: Vec<[String; 2]>,
}

impl StoredOutcome {
    /// Simulates one risk as the register does (its own stream).
    pub fn compute(key: u64, estimate: Estimate, iterations: usize, seed: u64) -> StoredOutcome {
        let (mut outs, _) = simulate(&[(key, estimate)], iterations, seed);
        let outcome = outs.pop().expect("one outcome per estimate");
        StoredOutcome { algorithm: ALGORITHM, key, seed, iterations, estimate, outcome }
    }

    /// Whether this outcome is the one `compute` would give for these inputs.
    pub fn fits(&self, key: u64, estimate: &Estimate, iterations: usize, seed: u64) -> bool {
        self.algorithm == ALGORITHM
            && self.key == key
            && self.seed == seed
            && self.iterations == iterations
            && self.estimate == *estimate
    }

    pub fn to_json(&self) -> String {
        let f = |v: f64| v.to_string();
        let r = |r: Range| [f(r.min), f(r.ml), f(r.max)];
        let o = &self.outcome;
        let j = StoredJson {
            algorithm: self.algorithm,
            key: self.key,
            seed: self.seed,
            iterations: self.iterations as u64,
            frequency: r(self.estimate.frequency),
            frequency_shape: self.estimate.frequency_shape.code().to_string(),
            magnitude: r(self.estimate.magnitude),
            magnitude_shape: self.estimate.magnitude_shape.code().to_string(),
            ale: f(o.ale),
            p10: f(o.p10),
            p50: f(o.p50),
            p90: f(o.p90),
            p99: f(o.p99),
            curve: o.curve.iter().map(|(x, y)| [f(*x), f(*y)]).collect(),
        };
        serde_json::to_string(&j).expect("a stored outcome serialises")
    }

    /// Reads a stored outcome; `None` for anything unreadable (it is then
    /// simulated again).
    pub fn from_json(text: &str) -> Option<StoredOutcome> {
        let j: StoredJson = serde_json::from_str(text).ok()?;
        let f = |s: &str| s.parse::<f64>().ok();
        let r = |a: &[String; 3]| Some(Range { min: f(&a[0])?, ml: f(&a[1])?, max: f(&a[2])? });
        let curve = j.curve.iter().map(|[x, y]| Some((f(x)?, f(y)?))).collect::<Option<Vec<_>>>()?;
        Some(StoredOutcome {
            algorithm: j.algorithm,
            key: j.key,
            seed: j.seed,
            iterations: usize::try_from(j.iterations).ok()?,
            estimate: Estimate {
                frequency: r(&j.frequency)?,
                frequency_shape: Shape::parse(&j.frequency_shape)?,
                magnitude: r(&j.magnitude)?,
                magnitude_shape: Shape::parse(&j.magnitude_shape)?,
            },
            outcome: Outcome {
                ale: f(&j.ale)?,
                p10: f(&j.p10)?,
                p50: f(&j.p50)?,
                p90: f(&j.p90)?,
                p99: f(&j.p99)?,
                curve,
            },
        })
    }
}

/// A number from JSON, or text from a form (read in the user's language).
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum NumText {
    N(f64),
    T(String),
}

impl NumText {
    pub fn text(v: &Option<NumText>) -> Option<String> {
        match v {
            Some(NumText::N(n)) => Some(n.to_string()),
            Some(NumText::T(t)) => Some(t.clone()),
            None => None,
        }
    }
    fn is_empty(v: &Option<NumText>) -> bool {
        v.is_none() || matches!(v, Some(NumText::T(t)) if t.trim().is_empty())
    }
}

/// Raw FAIR estimates from a form or JSON.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct EstimateForm {
    pub freq_min: Option<NumText>,
    pub freq_ml: Option<NumText>,
    pub freq_max: Option<NumText>,
    pub freq_shape: Option<String>,
    pub mag_min: Option<NumText>,
    pub mag_ml: Option<NumText>,
    pub mag_max: Option<NumText>,
    pub mag_shape: Option<String>,
}

impl EstimateForm {
    /// `Ok(None)` when every field is empty (no estimate). Numbers typed as
    /// text follow the user's language: "1.500.000,50" in Dutch,
    /// "1,500,000.50" in English.
    pub fn parse(&self, lang: crate::Lang) -> std::result::Result<Option<Estimate>, FieldErrors> {
        let fields = [&self.freq_min, &self.freq_ml, &self.freq_max, &self.mag_min, &self.mag_ml, &self.mag_max];
        if fields.iter().all(|f| NumText::is_empty(f)) {
            return Ok(None);
        }
        let mut e = FieldErrors::default();
        let mut num = |field: &'static str, v: &Option<NumText>| -> f64 {
            let raw = match v {
                Some(NumText::N(n)) => return *n,
                Some(NumText::T(t)) => t.trim().replace(['€', ' ', '\u{a0}'], ""),
                None => String::new(),
            };
            // The thousands separator may only stand before groups of three digits.
            let (thousands, decimal) = match lang {
                crate::Lang::Nl => ('.', ','),
                crate::Lang::En => (',', '.'),
            };
            let int_part = raw.split(decimal).next().unwrap_or("");
            let groups: Vec<&str> = int_part.split(thousands).collect();
            let grouping_ok = groups.len() == 1 || groups[1..].iter().all(|g| g.len() == 3);
            let norm = if grouping_ok {
                raw.replace(thousands, "").replace(decimal, ".")
            } else {
                String::from("not a number")
            };
            match norm.parse::<f64>() {
                Ok(n) if n.is_finite() => n,
                _ => {
                    if e.for_field(field).is_none() {
                        e.add(field, "error.fair_number");
                    }
                    f64::NAN
                }
            }
        };
        let frequency = Range {
            min: num("freq_min", &self.freq_min),
            ml: num("freq_ml", &self.freq_ml),
            max: num("freq_max", &self.freq_max),
        };
        let magnitude = Range {
            min: num("mag_min", &self.mag_min),
            ml: num("mag_ml", &self.mag_ml),
            max: num("mag_max", &self.mag_max),
        };
        let shape = |e: &mut FieldErrors, field: &'static str, v: &Option<String>| match v.as_deref().map(str::trim) {
            None | Some("") => Shape::Pert,
            Some(s) => Shape::parse(s).unwrap_or_else(|| {
                e.add(field, "error.unknown_value");
                Shape::Pert
            }),
        };
        let frequency_shape = shape(&mut e, "freq_shape", &self.freq_shape);
        let magnitude_shape = shape(&mut e, "mag_shape", &self.mag_shape);
        let est = Estimate { frequency, frequency_shape, magnitude, magnitude_shape };
        if e.is_empty() {
            for (f, k) in est.problems() {
                e.add(if f == "frequency" { "freq_min" } else { "mag_min" }, k);
            }
        }
        e.finish(Some(est))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn est(f: (f64, f64, f64), m: (f64, f64, f64)) -> Estimate {
        Estimate {
            frequency: Range { min: f.0, ml: f.1, max: f.2 },
            frequency_shape: Shape::Pert,
            magnitude: Range { min: m.0, ml: m.1, max: m.2 },
            magnitude_shape: Shape::Pert,
        }
    }

    #[test]
    fn the_normal_quantile_is_right() {
        assert!((normal_quantile(0.5)).abs() < 1e-9);
        assert!((normal_quantile(0.95) - 1.644_853_6).abs() < 1e-6);
        assert!((normal_quantile(0.01) + 2.326_347_9).abs() < 1e-6);
    }

    #[test]
    fn pert_quantiles_have_the_pert_mean() {
        // PERT mean = (min + 4 ml + max) / 6
        let q = Quantiles::of(Range { min: 0.0, ml: 2.0, max: 10.0 }, Shape::Pert);
        let mut rng = Rng::new(1);
        let n = 200_000;
        let mean = (0..n).map(|_| q.sample(rng.next_f64())).sum::<f64>() / n as f64;
        assert!((mean - 3.0).abs() < 0.03, "{mean}");
        assert_eq!(q.sample(0.0), 0.0);
        assert!((q.sample(0.999_999) - 10.0).abs() < 0.2);
    }

    #[test]
    fn lognormal_hits_its_percentiles() {
        let q = Quantiles::of(Range { min: 1_000.0, ml: 0.0, max: 100_000.0 }, Shape::Lognormal);
        assert!((q.sample(0.05) / 1_000.0 - 1.0).abs() < 0.01);
        assert!((q.sample(0.95) / 100_000.0 - 1.0).abs() < 0.01);
        assert!((q.sample(0.5) / 10_000.0 - 1.0).abs() < 0.01);
    }

    #[test]
    fn the_simulation_is_deterministic_and_sensible() {
        let e: Vec<(u64, Estimate)> =
            (1..=10).map(|k| (k, est((0.5, 1.0, 2.0), (10_000.0, 50_000.0, 200_000.0)))).collect();
        let (a, total_a) = simulate(&e, 20_000, 42);
        let (b, total_b) = simulate(&e, 20_000, 42);
        assert_eq!(a, b, "the same seed gives the same figures");
        assert_eq!(total_a, total_b);
        let (c, _) = simulate(&e, 20_000, 43);
        assert_ne!(a[0].ale, c[0].ale, "another seed, other draws");
        // ALE ≈ E[f] × E[m] = (0.5 + 4 + 2)/6 × (10k + 200k + 200k)/6
        let expect = (6.5 / 6.0) * (410_000.0 / 6.0);
        assert!((a[0].ale / expect - 1.0).abs() < 0.03, "{} vs {expect}", a[0].ale);
        // About one event a year: a third of the years lose nothing.
        assert_eq!(a[0].p10, 0.0);
        assert!(a[0].p50 > 0.0 && a[0].p50 < a[0].p90 && a[0].p90 < a[0].p99);
        assert!((total_a.ale / (10.0 * expect) - 1.0).abs() < 0.03);
        // The curve starts at the chance of any loss, E[1 − e^(−rate)] ≈ 0.65, and falls to 0.
        let curve = &a[0].curve;
        assert!((0.62..0.69).contains(&curve.first().unwrap().1), "{:?}", curve.first());
        assert_eq!(curve.last().unwrap().1, 0.0);
        assert!(curve.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 >= w[1].1));
        // A risk's draws do not depend on the others.
        let (one, _) = simulate(&e[3..4], 20_000, 42);
        assert_eq!(one[0], a[3]);
        assert_ne!(a[3], a[4], "each risk has its own stream");
    }

    /// A fixed value as an estimate (a range narrower than any bin).
    fn fixed(x: f64) -> (f64, f64, f64) {
        (x, x, x * (1.0 + 1e-9))
    }

    fn near(got: f64, want: f64, rel: f64) -> bool {
        (got / want - 1.0).abs() <= rel
    }

    #[test]
    fn event_counts_follow_the_poisson_distribution() {
        let mut rng = Rng::new(5);
        let n = 200_000;
        let mut counts = [0u32; 12];
        for _ in 0..n {
            counts[(poisson(3.0, &mut rng) as usize).min(11)] += 1;
        }
        let mut pmf = (-3.0f64).exp();
        for (k, c) in counts.iter().enumerate().take(8) {
            assert!((f64::from(*c) / n as f64 - pmf).abs() < 0.004, "P(N = {k}) = {pmf}, got {c}");
            pmf *= 3.0 / (k + 1) as f64;
        }
        assert_eq!(poisson(0.0, &mut rng), 0);
    }

    #[test]
    fn a_rare_event_with_a_fixed_loss_gives_the_poisson_figures() {
        // 0.5 events a year, €1,000 each: the annual loss is €1,000 × N with
        // N ~ Poisson(0.5): P(0) = e^−0.5 = 0.607, P(N ≤ 1) = 0.910,
        // P(N ≤ 2) = 0.986, P(N ≤ 3) = 0.998; the mean is €500.
        let e = est(fixed(0.5), fixed(1_000.0));
        let (out, _) = simulate(&[(1, e)], 200_000, 11);
        let o = &out[0];
        assert!(near(o.ale, 500.0, 0.02), "{}", o.ale);
        assert_eq!(o.p50, 0.0, "most years lose nothing");
        assert!(near(o.p90, 1_000.0, 0.06), "{}", o.p90);
        assert!(near(o.p99, 3_000.0, 0.06), "{}", o.p99);
        // The curve: P(loss > 0) = 1 − e^−0.5 = 0.393; P(loss > 1,500) = P(N ≥ 2) = 0.090.
        assert!((o.curve[0].1 - 0.3935).abs() < 0.004, "{:?}", o.curve[0]);
        let at = |x: f64| o.curve.iter().find(|(l, _)| *l >= x).map(|(_, p)| *p).unwrap();
        assert!((at(1_500.0) - 0.0902).abs() < 0.004, "{}", at(1_500.0));
    }

    #[test]
    fn frequent_events_sum_their_losses() {
        // 200 events a year of €10: mean €2,000, standard deviation
        // 10 × √200 = €141: the 90th percentile is 2,000 + 1.2816 × 141 = €2,181.
        let e = est(fixed(200.0), fixed(10.0));
        let (out, _) = simulate(&[(1, e)], 100_000, 3);
        assert!(near(out[0].ale, 2_000.0, 0.01), "{}", out[0].ale);
        assert!(near(out[0].p50, 2_000.0, 0.04), "{}", out[0].p50);
        assert!(near(out[0].p90, 2_181.0, 0.04), "{}", out[0].p90);
        // 100 events of PERT(0, 50, 100) euros, each drawn:
        // mean 100 × 50 = €5,000; variance 100 × E[M²] = 100 × (2,500 + 357).
        let e = est(fixed(100.0), (0.0, 50.0, 100.0));
        let (out, _) = simulate(&[(1, e)], 100_000, 3);
        assert!(near(out[0].ale, 5_000.0, 0.01), "{}", out[0].ale);
        let sd = (100.0f64 * 2_857.0).sqrt();
        assert!(near(out[0].p90, 5_000.0 + 1.2816 * sd, 0.04), "{}", out[0].p90);
        // 2,000 events (above the exact-sum limit: the normal approximation):
        // mean €100,000, standard deviation √(2,000 × 2,857) = €2,390.
        let e = est(fixed(2_000.0), (0.0, 50.0, 100.0));
        let (out, _) = simulate(&[(1, e)], 20_000, 3);
        assert!(near(out[0].ale, 100_000.0, 0.01), "{}", out[0].ale);
        // (Percentiles are read from bins about 6 % wide: within one bin.)
        assert!(near(out[0].p50, 100_000.0, 0.06), "{}", out[0].p50);
        assert!(near(out[0].p99, 100_000.0 + 2.326 * 2_390.0, 0.06), "{}", out[0].p99);
    }

    #[test]
    fn a_sum_of_skewed_losses_stays_skewed() {
        // 100 events a year of a lognormal loss (€1k–€100k as 5th–95th
        // percentile): every loss is drawn, so the year's loss keeps the long
        // right tail: the median year lies below the mean, the 1-in-100 year
        // far above it (a normal approximation would put the median on the mean).
        let e = Estimate { magnitude_shape: Shape::Lognormal, ..est(fixed(100.0), (1_000.0, 10_000.0, 100_000.0)) };
        let (mean, _) = moments(&Quantiles::of(e.magnitude, e.magnitude_shape));
        let (out, _) = simulate(&[(1, e)], 50_000, 9);
        let o = &out[0];
        assert!(near(o.ale, 100.0 * mean, 0.02), "{} vs {}", o.ale, 100.0 * mean);
        assert!(o.p50 < 0.97 * o.ale, "median {} below the mean {}", o.p50, o.ale);
        assert!(o.p99 > 1.5 * o.ale, "{} vs {}", o.p99, o.ale);
    }

    #[test]
    fn a_stored_outcome_reads_back_bit_for_bit_and_knows_its_inputs() {
        let e = est((0.1, 0.3, 1.0), (20_000.0, 80_000.0, 1_500_000.0));
        let s = StoredOutcome::compute(3, e, 20_000, 7);
        assert_eq!(s.outcome, simulate(&[(3, e)], 20_000, 7).0[0]);
        let back = StoredOutcome::from_json(&s.to_json()).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.outcome.ale.to_bits(), s.outcome.ale.to_bits());
        assert!(back.fits(3, &e, 20_000, 7));
        assert!(!back.fits(4, &e, 20_000, 7) && !back.fits(3, &e, 20_000, 8) && !back.fits(3, &e, 10_000, 7));
        let mut other = e;
        other.magnitude.max = 1_500_001.0;
        assert!(!back.fits(3, &other, 20_000, 7));
        let old = StoredOutcome { algorithm: ALGORITHM - 1, ..s };
        assert!(!old.fits(3, &e, 20_000, 7));
        assert_eq!(StoredOutcome::from_json("{}"), None);
        assert_eq!(StoredOutcome::from_json("not json"), None);
    }

    #[test]
    fn bad_estimates_are_named() {
        let mut e = est((2.0, 1.0, 3.0), (0.0, 10.0, 5.0));
        assert_eq!(e.problems(), vec![("frequency", "error.fair_order"), ("magnitude", "error.fair_order")]);
        e.magnitude_shape = Shape::Lognormal;
        e.magnitude = Range { min: 0.0, ml: 0.0, max: 10.0 };
        assert_eq!(e.problems()[1], ("magnitude", "error.fair_positive"));
    }
}
