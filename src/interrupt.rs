//! SIGINT / SIGTERM: ask the run to stop at the next document boundary. Files being written are
//! abandoned (their temporary names removed), finished ones stay, and the process exits 130.

use std::sync::atomic::{AtomicBool, Ordering};

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Install the handler (once per process; later calls do nothing).
pub fn install() {
    let _ = ctrlc::set_handler(|| REQUESTED.store(true, Ordering::SeqCst));
}

pub fn requested() -> bool {
    REQUESTED.load(Ordering::Relaxed)
}
