//! What the user sees on stderr: one line per problem, a progress bar only on a terminal.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

pub struct Console {
    quiet: bool,
    bar: Option<ProgressBar>,
}

impl Console {
    pub fn new(quiet: bool, total_files: u64) -> Console {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(total_files);
            bar.set_style(
                ProgressStyle::with_template(
                    "{elapsed_precise} [{bar:40}] {pos}/{len} files {msg}",
                )
                .expect("valid template")
                .progress_chars("=> "),
            );
            bar
        });
        Console { quiet, bar }
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

    pub fn file_done(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
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
