//! The features of every sentence of the documents on standard input, for
//! `data/fit-machine-text.py`: one JSON object per line in (`{"id": ..., "text": ...}`), one per
//! sentence out (`{"id", "line", "start", "end", "features"}`, byte offsets in the line). Sentences
//! and positions are those the machine-text stage sees.

use std::io::{BufRead, Write};
use thresh::stages::machine_text::requester::{feature_names, features};
use thresh::stages::machine_text::sentence_positions;

fn main() {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "{}",
        serde_json::json!({ "feature_names": feature_names() })
    )
    .expect("stdout");
    for line in stdin.lock().lines() {
        let line = line.expect("stdin");
        let record: serde_json::Value = serde_json::from_str(&line).expect("a JSON object a line");
        let id = record["id"].clone();
        let text = record["text"].as_str().unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        for (index, range, at) in sentence_positions(&lines) {
            let sentence = &lines[index][range.clone()];
            writeln!(
                out,
                "{}",
                serde_json::json!({
                    "id": id, "line": index, "start": range.start, "end": range.end,
                    "features": features(sentence, at),
                })
            )
            .expect("stdout");
        }
    }
}
