//! SIGINT / SIGTERM: ask the run to stop. Every loop over documents checks [`requested`] between
//! documents (and between batches of dedup's work), so a run stops within about a second: files
//! being written are abandoned (their temporary names removed), finished ones stay, the report is
//! written with `"interrupted": true` and what was not written marked `pending`, and the process
//! exits 130 (for SIGTERM too). A second signal ends the process at once (exit 130): finished
//! files still stand whole, but the report is not written.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Install the handler (once per process; later calls do nothing).
pub fn install() {
    let _ = ctrlc::set_handler(|| {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
}

pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}

/// A point between two documents of a phase (`corpus`, `clean`, `write`). For tests of
/// interruptions, `THRESH_TEST_PAUSE=PHASE:MS` makes every document of that phase take MS
/// milliseconds longer, so that a signal sent from outside lands in the phase under test; without
/// it, this is one load of a cached value.
pub fn checkpoint(phase: &str) {
    static PAUSE: std::sync::OnceLock<Option<(String, u64)>> = std::sync::OnceLock::new();
    let pause = PAUSE.get_or_init(|| {
        let value = std::env::var("THRESH_TEST_PAUSE").ok()?;
        let (phase, ms) = value.split_once(':')?;
        Some((phase.to_string(), ms.parse().ok()?))
    });
    if let Some((p, ms)) = pause {
        if p == phase && !requested() {
            std::thread::sleep(std::time::Duration::from_millis(*ms));
        }
    }
}
