//! What a stage is: a function from a document to a document and the edits it made, and the
//! [`Recorder`] stages note their edits with.

use crate::document::{Document, Edit};

/// What a stage returns: the document and the edits it made to it.
pub struct StageOutput {
    pub doc: Document,
    pub edits: Vec<Edit>,
}

/// A step over one document. Stages hold no I/O and no reporting: they transform and record.
pub trait Stage: Send + Sync {
    fn name(&self) -> &'static str;
    fn run(&self, doc: Document) -> StageOutput;
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
    pub fn finish(self, doc: Document) -> StageOutput {
        StageOutput {
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

    /// Record an edit with the evidence the rule weighed (see [`Edit::evidence`]).
    pub fn record_with_evidence(
        &mut self,
        rule: &'static str,
        before: impl Into<String>,
        after: impl Into<String>,
        line: u32,
        evidence: String,
    ) {
        self.record(rule, before, after, line);
        // `record` has just pushed it.
        self.edits
            .last_mut()
            .expect("an edit was recorded")
            .evidence = Some(evidence);
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
