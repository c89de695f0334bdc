//! Fuzz target `charset_decode`: the case is in `fuzz/cases/charset_decode.rs`, shared with
//! `tests/fuzz_regressions.rs`, which replays the inputs saved in `tests/fixtures/fuzz/charset_decode/`.
#![no_main]

#[path = "../cases/charset_decode.rs"]
mod case;

libfuzzer_sys::fuzz_target!(|data: &[u8]| case::run(data));
