//! Monte Carlo for the whole register: 100,000 simulated years for 100 risks
//! (the target: ≤ 200 ms on the 2-core CI machine).

use borgen_core::fair::{Estimate, Range, Shape, simulate};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn register(n: u64) -> Vec<(u64, Estimate)> {
    (1..=n)
        .map(|k| {
            let f = 0.1 + (k % 7) as f64 * 0.3;
            let m = 5_000.0 * (1 + k % 11) as f64;
            let shape = if k % 3 == 0 { Shape::Lognormal } else { Shape::Pert };
            (
                k,
                Estimate {
                    frequency: Range { min: f / 2.0, ml: f, max: f * 3.0 },
                    frequency_shape: Shape::Pert,
                    magnitude: Range { min: m / 4.0, ml: m, max: m * 20.0 },
                    magnitude_shape: shape,
                },
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let risks = register(100);
    c.bench_function("monte carlo: 100 risks x 100,000 years", |b| {
        b.iter(|| simulate(black_box(&risks), 100_000, black_box(27001)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
