//! The inputs the fuzzers (`fuzz/`) found crashes with, and their seeds, replayed through the
//! same code as the fuzz targets (`fuzz/cases/`): each crash stays fixed.
//!
//! Crash inputs live in `tests/fixtures/fuzz/<target>/`, one file each, as `cargo fuzz tmin` left
//! them; seeds in `fuzz/seeds/<target>/`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

#[path = "../fuzz/cases/charset_decode.rs"]
mod charset_decode;
#[path = "../fuzz/cases/clean_document.rs"]
mod clean_document;
#[path = "../fuzz/cases/compressed_stream.rs"]
mod compressed_stream;
#[path = "../fuzz/cases/html_extract.rs"]
mod html_extract;
#[path = "../fuzz/cases/jsonl_lines.rs"]
mod jsonl_lines;

/// Run `case` on every saved input of `target`; fail naming every input that panics.
fn replay(target: &str, case: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut inputs = Vec::new();
    for dir in [
        root.join("tests/fixtures/fuzz").join(target),
        root.join("fuzz/seeds").join(target),
    ] {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        inputs.extend(entries.map(|e| e.unwrap().path()));
    }
    inputs.sort();
    assert!(!inputs.is_empty(), "no saved inputs for {target}");
    let failed: Vec<String> = inputs
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).unwrap();
            catch_unwind(AssertUnwindSafe(|| case(&data))).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(failed.is_empty(), "{target} panics on {failed:#?}");
}

#[test]
fn jsonl_lines_inputs() {
    replay("jsonl_lines", jsonl_lines::run);
}

#[test]
fn charset_decode_inputs() {
    replay("charset_decode", charset_decode::run);
}

#[test]
fn compressed_stream_inputs() {
    replay("compressed_stream", compressed_stream::run);
}

#[test]
fn clean_document_inputs() {
    replay("clean_document", clean_document::run);
}

#[test]
fn html_extract_inputs() {
    replay("html_extract", html_extract::run);
}
