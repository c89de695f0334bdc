//! One document's failure stays its own. A panic while a document is processed (a bug in a rule,
//! met on text nobody foresaw) is caught where the document is handled and becomes that
//! document's `failed` status, with a one-line error naming the step it happened in; the run goes
//! on with the next document.
//!
//! The pipeline says which step a thread is in ([`at`]); a panic hook installed once per process
//! ([`install`]) keeps the message of a panic caught by [`catch`] instead of printing Rust's
//! multi-line report, which would only repeat what the console's one line says. Panics outside
//! [`catch`] (a bug in the run itself) are reported as usual.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};

thread_local! {
    /// The step the current thread is in, for the error line.
    static STEP: Cell<&'static str> = const { Cell::new("read") };
    /// Whether this thread is inside [`catch`].
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// The message of the last panic caught on this thread.
    static MESSAGE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The longest error line: a panic message can quote a whole line of the document.
const MAX_MESSAGE: usize = 300;

/// Install the panic hook (once per process; later calls do nothing).
pub fn install() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) {
                let location = info
                    .location()
                    .map(|l| format!(" ({}:{})", l.file(), l.line()))
                    .unwrap_or_default();
                let payload = info.payload();
                let text = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".to_string());
                MESSAGE.with(|m| *m.borrow_mut() = Some(format!("{}{location}", one_line(&text))));
            } else {
                default(info);
            }
        }));
    });
}

/// Say which step this thread is now in.
pub fn at(step: &'static str) {
    STEP.with(|s| s.set(step));
}

/// Fault injection for tests of isolation: with `THRESH_TEST_FAULT=STEP:MARKER`, a document
/// whose text holds MARKER panics when it reaches STEP, as a bug in that step would. Without the
/// variable this is one load of a cached value.
pub fn fault_point(step: &str, text: impl FnOnce() -> String) {
    static FAULT: std::sync::OnceLock<Option<(String, String)>> = std::sync::OnceLock::new();
    let fault = FAULT.get_or_init(|| {
        let value = std::env::var("THRESH_TEST_FAULT").ok()?;
        let (step, marker) = value.split_once(':')?;
        Some((step.to_string(), marker.to_string()))
    });
    if let Some((at, marker)) = fault {
        if at == step && text().contains(marker.as_str()) {
            panic!("injected fault (THRESH_TEST_FAULT) in {step}");
        }
    }
}

/// Run `f`; a panic inside it becomes `Err("internal error in STEP: MESSAGE")`.
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install();
    let outer = CATCHING.with(|c| c.replace(true));
    at("read");
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(outer));
    result.map_err(|_| {
        let step = STEP.with(Cell::get);
        let message = MESSAGE
            .with(|m| m.borrow_mut().take())
            .unwrap_or_else(|| "panic".to_string());
        format!("internal error in {step}: {message}")
    })
}

/// The message on one line, and not too long to read.
fn one_line(text: &str) -> String {
    let mut line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.len() > MAX_MESSAGE {
        let mut cut = MAX_MESSAGE;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        line.truncate(cut);
        line.push_str("...");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_naming_the_step() {
        let err = catch(|| {
            at("machine-text");
            let s = std::hint::black_box("caf\u{e9}");
            // Not a char boundary: the kind of slicing bug this guards against.
            let _ = &s[..4];
        })
        .unwrap_err();
        assert!(err.starts_with("internal error in machine-text: "), "{err}");
        assert!(err.contains("byte index 4 is not a char boundary"), "{err}");
        assert!(!err.contains('\n'));
        assert!(err.contains("src/isolate.rs:"), "{err}");
    }

    #[test]
    fn no_panic_passes_the_value_through() {
        assert_eq!(catch(|| 7), Ok(7));
    }

    #[test]
    fn long_messages_are_cut_to_one_short_line() {
        let err = catch(|| panic!("{}\nsecond line", "x".repeat(1000))).unwrap_err();
        assert!(err.len() < MAX_MESSAGE + 80, "{}", err.len());
        assert!(!err.contains('\n'));
        assert!(err.starts_with("internal error in read: xxx"));
    }
}
