//! Fuzz target `compressed_stream`: the case is in `fuzz/cases/compressed_stream.rs`, shared with
//! `tests/fuzz_regressions.rs`, which replays the inputs saved in `tests/fixtures/fuzz/compressed_stream/`.
#![no_main]

#[path = "../cases/compressed_stream.rs"]
mod case;

libfuzzer_sys::fuzz_target!(|data: &[u8]| case::run(data));
