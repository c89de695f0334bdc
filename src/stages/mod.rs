//! The stages of the pipeline, one module each, and what they share.

pub mod boilerplate;
pub mod machine_text;
pub mod normalize;
pub mod repair;
pub mod spin;

use crate::document::Edit;

/// Whether any byte of `text` satisfies `pred`. Every byte of a 64-byte block is tested without
/// stopping early, which the compiler vectorizes: several times faster than `Iterator::any` for
/// the per-line checks that let a rule pass over a line, where the answer is nearly always no.
#[inline]
pub fn any_byte(text: &[u8], pred: impl Fn(u8) -> bool) -> bool {
    text.chunks(64)
        .any(|block| block.iter().fold(false, |seen, &b| seen | pred(b)))
}

/// `text.split_whitespace().count()`, counted for an ASCII text as the bytes that start a word:
/// a sum over every byte with no branch, which the compiler vectorizes (the standard library's
/// splitter decodes and tests a character at a time).
pub fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    // ASCII whitespace as `char::is_whitespace` has it: tab to carriage return, and space.
    let space = |b: u8| u8::from(b == b' ' || (b'\t'..=b'\r').contains(&b));
    let bytes = text.as_bytes();
    let first = bytes.first().map_or(0, |&b| usize::from(space(b) == 0));
    // windows(2): w[0] and w[1] exist.
    let starts = bytes
        .windows(2)
        .map(|w| usize::from(space(w[0]) & (1 - space(w[1]))))
        .sum::<usize>();
    first + starts
}

/// The rule named `name`, as the `&'static str` edits carry, for edits read back from a spool.
/// Rule names are a small fixed set, so each is made static once.
pub fn rule_name(name: &str) -> &'static str {
    static NAMES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut names = NAMES.lock().expect("rule names lock");
    if let Some(&known) = names.iter().find(|&&n| n == name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.push(leaked);
    leaked
}

/// Collects the edits a stage makes to one document.
pub struct Recorder {
    doc: String,
    stage: &'static str,
    pub edits: Vec<Edit>,
}

impl Recorder {
    pub fn new(doc: &str, stage: &'static str) -> Self {
        Recorder {
            doc: doc.to_string(),
            stage,
            edits: Vec::new(),
        }
    }

    /// The stage's result: the document and the edits recorded against it.
    pub fn finish(self, doc: crate::document::Document) -> crate::pipeline::StageOutput {
        crate::pipeline::StageOutput {
            doc,
            edits: self.edits,
        }
    }

    pub fn record(
        &mut self,
        rule: &'static str,
        before: impl Into<String>,
        after: impl Into<String>,
        line: u32,
    ) {
        self.edits
            .push(Edit::new(&self.doc, self.stage, rule, before, after, line));
    }

    /// Apply one rule's patches to a line and record each change under the rule. Returns whether
    /// the line changed.
    pub fn patch_line(
        &mut self,
        rule: &'static str,
        line: &mut crate::document::Line,
        patches: &[crate::patch::Patch],
    ) -> bool {
        if patches.is_empty() {
            return false;
        }
        // `patch::apply` drops what it cannot apply; a rule that gives such patches loses an edit.
        debug_assert!(
            crate::patch::well_formed(&line.text, patches),
            "rule {rule} gave ill-formed patches {patches:?} for {:?}",
            line.text
        );
        let (text, changes) = crate::patch::apply(&line.text, patches);
        let changed = !changes.is_empty();
        for c in changes {
            self.record(rule, c.before, c.after, line.origin);
        }
        line.text = text;
        changed
    }

    pub fn record_many(
        &mut self,
        rule: &'static str,
        before: &str,
        after: &str,
        line: u32,
        count: u32,
    ) {
        let mut edit = Edit::new(&self.doc, self.stage, rule, before, after, line);
        edit.count = count;
        self.edits.push(edit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn count_words_counts_as_split_whitespace(text in "([a-z.]{1,6}|[ \t\n\r\u{b}\u{c}]{1,3}|[\u{a0}\u{2003}é]){0,30}") {
            prop_assert_eq!(count_words(&text), text.split_whitespace().count());
        }
    }

    #[test]
    fn count_words_on_plain_lines() {
        assert_eq!(count_words("  The cat sat.  "), 3);
        assert_eq!(count_words("one"), 1);
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words(" \t "), 0);
        assert_eq!(
            count_words("a\u{a0}b c"),
            3,
            "a no-break space separates words too"
        );
    }
}
