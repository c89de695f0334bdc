//! The span finder of `thresh::dedup::spans` on its own, for `benches/eval_passages.py --spans`:
//! reads JSON Lines records (`id`, `text`) from the file given and writes one JSON line per
//! passage cluster, `{members: [{doc, start, end, similarity, text, cut}]}`: the first member is
//! the first occurrence in input order; `start` and `end` are character offsets into the
//! record's text; `cut` is the part of a later copy that `--passages drop` would remove (whole
//! sentences, character offsets), or null. Issue 23 is wiring the finder into `thresh dedup`;
//! until then this measures the method alone.

use std::io::Write;
use thresh::dedup::spans::{clusters, shared_spans, whole_sentences, words, Word, MAX_DOCS};

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
    let spans = shared_spans(&ws, min_words, MAX_DOCS);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for cluster in clusters(&spans, &ws) {
        let members: Vec<serde_json::Value> = cluster
            .iter()
            .enumerate()
            .map(|(n, o)| {
                let (w, text) = (&ws[o.doc as usize], &docs[o.doc as usize].1);
                let bytes = w[o.words.start as usize].start as usize
                    ..w[o.words.end as usize - 1].end as usize;
                let chars = |b: usize| text[..b].chars().count();
                let cut = (n > 0)
                    .then(|| whole_sentences(text, bytes.clone()))
                    .flatten()
                    .map(|c| serde_json::json!([chars(c.start), chars(c.end)]));
                serde_json::json!({
                    "doc": docs[o.doc as usize].0,
                    "start": chars(bytes.start),
                    "end": chars(bytes.end),
                    "similarity": (o.similarity * 10_000.0).round() / 10_000.0,
                    "text": &text[bytes],
                    "cut": cut,
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::json!({ "members": members })).expect("stdout");
    }
}
