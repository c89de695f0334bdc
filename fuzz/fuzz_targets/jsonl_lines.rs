//! Fuzz target `jsonl_lines`: the case is in `fuzz/cases/jsonl_lines.rs`, shared with
//! `tests/fuzz_regressions.rs`, which replays the inputs saved in `tests/fixtures/fuzz/jsonl_lines/`.
#![no_main]

#[path = "../cases/jsonl_lines.rs"]
mod case;

libfuzzer_sys::fuzz_target!(|data: &[u8]| case::run(data));
