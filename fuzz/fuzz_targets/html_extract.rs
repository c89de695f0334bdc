//! Fuzz target `html_extract`: the case is in `fuzz/cases/html_extract.rs`, shared with
//! `tests/fuzz_regressions.rs`, which replays the inputs saved in `tests/fixtures/fuzz/html_extract/`.
#![no_main]

#[path = "../cases/html_extract.rs"]
mod case;

libfuzzer_sys::fuzz_target!(|data: &[u8]| case::run(data));
