//! The span finder of `thresh::dedup::spans` on its own, for `benches/eval_passages.py --spans`:
//! reads JSON Lines records (`id`, `text`) from the file given and writes one JSON line per
//! shared span, `{a, b, a_start, a_end, b_start, b_end, a_text, b_text, anchors}` (byte offsets
//! into each record's text). Issue 23 is wiring the finder into `thresh dedup`; until then this
//! measures the method alone.

use std::io::Write;
use thresh::dedup::spans::{shared_spans, words, Word};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: shared_spans FILE.jsonl [MIN_WORDS]");
    let min_words: u32 = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let docs: Vec<(String, String)> = std::fs::read_to_string(&path)
        .expect("readable input")
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON record");
            (
                v["id"].as_str().unwrap_or_default().to_string(),
                v["text"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let ws: Vec<Vec<Word>> = docs.iter().map(|(_, t)| words(t)).collect();
    let spans = shared_spans(&ws, min_words, 50);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for s in spans {
        let (a, b) = (s.a as usize, s.b as usize);
        let bytes = |doc: usize, r: &std::ops::Range<u32>| {
            let w = &ws[doc];
            w[r.start as usize].start as usize..w[r.end as usize - 1].end as usize
        };
        let (ra, rb) = (bytes(a, &s.a_words), bytes(b, &s.b_words));
        let record = serde_json::json!({
            "a": docs[a].0, "b": docs[b].0,
            "a_start": ra.start, "a_end": ra.end, "b_start": rb.start, "b_end": rb.end,
            "a_text": &docs[a].1[ra], "b_text": &docs[b].1[rb], "anchors": s.anchors,
        });
        writeln!(out, "{record}").expect("stdout");
    }
}
