//! Normalize throughput, single thread: `normalize_throughput FILE...` reads each file as one
//! document, normalizes them all `THRESH_REPEAT` times (default 3) and prints MB/s. Used by
//! `benches/compare.py` to compare with ftfy and plsfix in the same run.

use std::time::Instant;
use thresh::stages::normalize::normalize_text;

fn main() {
    let docs: Vec<String> = std::env::args()
        .skip(1)
        .map(|p| std::fs::read_to_string(p).expect("readable UTF-8"))
        .collect();
    let repeat: usize = std::env::var("THRESH_REPEAT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let bytes: usize = docs.iter().map(String::len).sum();
    // Load the lexicon and compile patterns outside the timing, as the peers are timed after import.
    thresh::lexicon::zipf("the");
    normalize_text(&docs[0]);
    let start = Instant::now();
    let mut out_bytes = 0;
    for _ in 0..repeat {
        for d in &docs {
            out_bytes += normalize_text(d).len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"bytes\": {}, \"seconds\": {secs}, \"mb_per_s\": {}, \"out_bytes\": {out_bytes}}}",
        bytes * repeat,
        (bytes * repeat) as f64 / secs / 1e6
    );
}
