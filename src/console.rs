//! What the user sees on stderr: one line per problem, a progress bar only on a terminal.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

pub struct Console {
    quiet: bool,
    bar: Option<ProgressBar>,
    /// Documents done in the pass being run.
    docs: AtomicU64,
    /// Bytes read when the pass began: the bar counts the pass's own.
    base: AtomicU64,
}

impl Console {
    /// A console for a run; the bar (on a terminal only) waits for [`Console::pass`].
    pub fn new(quiet: bool) -> Console {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| ProgressBar::new(0));
        Console {
            quiet,
            bar,
            docs: AtomicU64::new(0),
            base: AtomicU64::new(0),
        }
    }

    /// A pass over the input begins: `name` says which, `total` is the bytes of input files it
    /// reads (0 when unknown, for standard input), `read` the bytes read before it.
    pub fn pass(&self, name: &str, total: u64, read: u64) {
        self.docs.store(0, Ordering::Relaxed);
        self.base.store(read, Ordering::Relaxed);
        if let Some(bar) = &self.bar {
            let template = if total > 0 {
                "{prefix:>9} {elapsed_precise} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}"
            } else {
                "{prefix:>9} {elapsed_precise} {spinner} {bytes} {bytes_per_sec} {msg}"
            };
            // The style first: every change below draws, and must not draw in the default one.
            bar.set_style(
                ProgressStyle::with_template(template)
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar.set_prefix(name.to_string());
            bar.set_message(String::new());
            bar.set_length(total);
            bar.set_position(0);
            bar.reset();
        }
    }

    /// A step after the passes over the input (clustering, writing): no bytes to count.
    pub fn step(&self, name: &str) {
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template("{prefix:>9} {elapsed_precise} {spinner} {msg}")
                    .expect("valid template"),
            );
            bar.set_prefix(name.to_string());
            bar.set_message(String::new());
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
        }
    }

    /// A document is done, with `read` bytes of input read by now.
    pub fn document_done(&self, read: u64) {
        let docs = self.docs.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.set_position(read.saturating_sub(self.base.load(Ordering::Relaxed)));
            // The message is made a few times a second at most, not for every document.
            if docs.is_multiple_of(64) || docs < 64 {
                bar.set_message(count(docs, "document", "documents"));
            }
        }
    }

    /// An input that failed: always shown.
    pub fn error(&self, what: &str, message: &str) {
        self.line(&format!("thresh: error: {what}: {message}"));
    }

    /// Something the user should know but that did not stop the document.
    pub fn warn(&self, what: &str, message: &str) {
        if !self.quiet {
            self.line(&format!("thresh: warning: {what}: {message}"));
        }
    }

    pub fn info(&self, message: &str) {
        if !self.quiet {
            self.line(&format!("thresh: {message}"));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn line(&self, text: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }
}

/// ANSI colours, or plain text when the flag is false.
pub struct Paint(pub bool);

impl Paint {
    pub fn paint(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Whether what goes to standard output is coloured: only on a terminal, and not with `NO_COLOR`.
pub fn stdout_in_colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// `n` and the noun for it: `1 document`, `2 documents`.
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Whether an error comes from writing to a closed pipe (`thresh clean - | head`): the reader has
/// all it wants, and the run ends quietly, as ripgrep's does.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(std::io::ErrorKind::BrokenPipe)
    })
}
