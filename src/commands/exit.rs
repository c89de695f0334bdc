//! The exit statuses of every command.

/// Exit statuses, as the CLI contract fixes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Success,
    /// `clean` and `dedup` finished, but some inputs failed.
    SomeFailed,
    /// `diff`: the two versions differ.
    Different,
    Fatal,
    Interrupted,
}

impl Exit {
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::SomeFailed | Exit::Different => 1,
            Exit::Fatal => 2,
            Exit::Interrupted => 130,
        }
    }
}
