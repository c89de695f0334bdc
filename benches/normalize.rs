//! Normalize throughput on realistic web text (the samples) and on the same text with mojibake,
//! single thread. `cargo bench --bench normalize`. For the comparison with ftfy and plsfix in one
//! run, see `benches/compare.py normalize`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;
use thresh::stages::normalize::normalize_text;

fn samples() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// UTF-8 read as Windows-1252 on every other paragraph, as `compare.py` makes it.
fn mojibake(text: &str) -> String {
    text.split("\n\n")
        .enumerate()
        .map(|(i, p)| {
            if i % 2 == 1 {
                return p.to_string();
            }
            let p = format!("{} Café naïve “quoted”", p.replace('\'', "\u{2019}"));
            encoding_rs::WINDOWS_1252
                .decode(p.as_bytes())
                .0
                .into_owned()
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn bench(c: &mut Criterion) {
    let web = samples();
    let moji: Vec<String> = web.iter().map(|t| mojibake(t)).collect();
    let mut group = c.benchmark_group("normalize");
    for (name, docs) in [("web", &web), ("mojibake", &moji)] {
        group.throughput(Throughput::Bytes(docs.iter().map(|d| d.len() as u64).sum()));
        group.bench_function(name, |b| {
            b.iter(|| docs.iter().map(|d| normalize_text(d).len()).sum::<usize>())
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
