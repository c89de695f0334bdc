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
    text.chunks(64).any(|block| block.iter().fold(false, |seen, &b| seen | pred(b)))
}

/// Collects the edits a stage makes to one document.
pub struct Recorder {
    doc: String,
    stage: &'static str,
    pub edits: Vec<Edit>,
}

impl Recorder {
    pub fn new(doc: &str, stage: &'static str) -> Self {
        Recorder { doc: doc.to_string(), stage, edits: Vec::new() }
    }

    /// The stage's result: the document and the edits recorded against it.
    pub fn finish(self, doc: crate::document::Document) -> crate::pipeline::StageOutput {
        crate::pipeline::StageOutput { doc, edits: self.edits }
    }

    pub fn record(&mut self, rule: &'static str, before: impl Into<String>, after: impl Into<String>, line: u32) {
        self.edits.push(Edit::new(&self.doc, self.stage, rule, before, after, line));
    }

    /// Apply one rule's patches to a line and record each change under the rule. Returns whether
    /// the line changed.
    pub fn patch_line(&mut self, rule: &'static str, line: &mut crate::document::Line, patches: &[crate::patch::Patch]) -> bool {
        if patches.is_empty() {
            return false;
        }
        let (text, changes) = crate::patch::apply(&line.text, patches);
        let changed = !changes.is_empty();
        for c in changes {
            self.record(rule, c.before, c.after, line.origin);
        }
        line.text = text;
        changed
    }

    pub fn record_many(&mut self, rule: &'static str, before: &str, after: &str, line: u32, count: u32) {
        let mut edit = Edit::new(&self.doc, self.stage, rule, before, after, line);
        edit.count = count;
        self.edits.push(edit);
    }
}

