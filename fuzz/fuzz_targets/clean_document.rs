//! Fuzz target `clean_document`: the case is in `fuzz/cases/clean_document.rs`, shared with
//! `tests/fuzz_regressions.rs`, which replays the inputs saved in `tests/fixtures/fuzz/clean_document/`.
#![no_main]

#[path = "../cases/clean_document.rs"]
mod case;

libfuzzer_sys::fuzz_target!(|data: &[u8]| case::run(data));
