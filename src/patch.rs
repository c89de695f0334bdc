//! Applying small replacements to a line and describing them as readable edits.
//!
//! Rules that work inside a line say *where* they change it (a [`Patch`]: a byte range and its
//! replacement) instead of returning a new string, so that `edits.jsonl` can show each change with a
//! little context ("10\u{a0}kg" -> "10 kg") rather than the whole line, which may be megabytes long.

use std::ops::Range;

/// Replace `range` of a line (byte offsets, on char boundaries) with `with`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patch {
    pub range: Range<usize>,
    pub with: String,
}

impl Patch {
    pub fn new(range: Range<usize>, with: impl Into<String>) -> Self {
        Patch { range, with: with.into() }
    }
    pub fn delete(range: Range<usize>) -> Self {
        Patch { range, with: String::new() }
    }
}

/// A change as it will be recorded: the text before and after, with context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub before: String,
    pub after: String,
}

/// How far (in bytes) context may reach on each side of a change.
const CONTEXT: usize = 24;

/// Apply sorted, non-overlapping patches to `line`. Returns the new line and one [`Change`] per
/// group of patches whose contexts touch. Patches that change nothing are ignored.
pub fn apply(line: &str, patches: &[Patch]) -> (String, Vec<Change>) {
    let patches: Vec<&Patch> = patches
        .iter()
        .filter(|p| line[p.range.clone()] != *p.with)
        .collect();
    debug_assert!(patches.windows(2).all(|w| w[0].range.end <= w[1].range.start));
    if patches.is_empty() {
        return (line.to_string(), Vec::new());
    }

    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    for p in &patches {
        out.push_str(&line[at..p.range.start]);
        out.push_str(&p.with);
        at = p.range.end;
    }
    out.push_str(&line[at..]);

    // Group patches whose context windows overlap, then describe each group once.
    let mut changes = Vec::new();
    let mut i = 0;
    while i < patches.len() {
        let start = context_start(line, patches[i].range.start);
        let mut j = i;
        let mut end = context_end(line, patches[j].range.end);
        while j + 1 < patches.len() && context_start(line, patches[j + 1].range.start) <= end {
            j += 1;
            end = context_end(line, patches[j].range.end);
        }
        let mut after = String::new();
        let mut cursor = start;
        for p in &patches[i..=j] {
            after.push_str(&line[cursor..p.range.start]);
            after.push_str(&p.with);
            cursor = p.range.end;
        }
        after.push_str(&line[cursor..end]);
        changes.push(Change { before: line[start..end].to_string(), after });
        i = j + 1;
    }
    (out, changes)
}

/// Start of the context before byte `pos`: back to the previous whitespace, at most [`CONTEXT`]
/// bytes, on a char boundary.
fn context_start(line: &str, pos: usize) -> usize {
    let limit = pos.saturating_sub(CONTEXT);
    let mut start = pos;
    for (i, c) in line[..pos].char_indices().rev() {
        if i < limit || c.is_whitespace() {
            break;
        }
        start = i;
    }
    start
}

/// End of the context after byte `pos`: up to the next whitespace, at most [`CONTEXT`] bytes.
fn context_end(line: &str, pos: usize) -> usize {
    let limit = pos + CONTEXT;
    let mut end = pos;
    for (i, c) in line[pos..].char_indices() {
        let i = pos + i;
        if i >= limit || c.is_whitespace() {
            break;
        }
        end = i + c.len_utf8();
    }
    end
}

/// One patch covering what differs between `before` and `after` (common prefix and suffix
/// trimmed), for rules that can only rewrite a whole line (an external fixer, say).
pub fn diff_patch(before: &str, after: &str) -> Option<Patch> {
    if before == after {
        return None;
    }
    let prefix = before
        .char_indices()
        .zip(after.chars())
        .find(|((_, a), b)| a != b)
        .map(|((i, _), _)| i)
        .unwrap_or(before.len().min(after.len()));
    let prefix = floor_boundary(after, prefix.min(after.len()));
    let max_suffix = (before.len() - prefix).min(after.len() - prefix);
    let suffix = before[prefix..]
        .chars()
        .rev()
        .zip(after[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>()
        .min(max_suffix);
    Some(Patch::new(prefix..before.len() - suffix, &after[prefix..after.len() - suffix]))
}

/// A line rule's result on `line`, for tests.
#[cfg(test)]
pub fn rewrite(rule: impl Fn(&str) -> Vec<Patch>, line: &str) -> String {
    apply(line, &rule(line)).0
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_patches_and_shows_word_context() {
        let line = "weighs 10\u{a0}kg and costs 5\u{a0}EUR";
        let a = line.find('\u{a0}').unwrap();
        let b = line.rfind('\u{a0}').unwrap();
        let (out, changes) = apply(line, &[Patch::new(a..a + 2, " "), Patch::new(b..b + 2, " ")]);
        assert_eq!(out, "weighs 10 kg and costs 5 EUR");
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].before, "10\u{a0}kg");
        assert_eq!(changes[0].after, "10 kg");
    }

    #[test]
    fn nearby_patches_become_one_change() {
        let line = "a**b**c";
        let (out, changes) = apply(line, &[Patch::delete(1..3), Patch::delete(4..6)]);
        assert_eq!(out, "abc");
        assert_eq!(changes, vec![Change { before: "a**b**c".into(), after: "abc".into() }]);
    }

    #[test]
    fn no_op_patches_record_nothing() {
        let (out, changes) = apply("abc", &[Patch::new(0..1, "a")]);
        assert_eq!(out, "abc");
        assert!(changes.is_empty());
    }

    #[test]
    fn diff_patch_finds_the_changed_middle() {
        let p = diff_patch("caf\u{c3}\u{a9} noir", "café noir").unwrap();
        assert_eq!(p.with, "é");
        let (out, _) = apply("caf\u{c3}\u{a9} noir", &[p]);
        assert_eq!(out, "café noir");
        assert!(diff_patch("same", "same").is_none());
        let p = diff_patch("aaa", "aa").unwrap();
        assert_eq!(apply("aaa", &[p]).0, "aa");
    }
}
