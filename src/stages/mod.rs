//! The stages of the pipeline, one module each, and what they share.

pub mod boilerplate;
pub mod machine_text;
pub mod normalize;
pub mod repair;
pub mod spin;

use crate::document::Edit;

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

    pub fn record_many(&mut self, rule: &'static str, before: &str, after: &str, line: u32, count: u32) {
        let mut edit = Edit::new(&self.doc, self.stage, rule, before, after, line);
        edit.count = count;
        self.edits.push(edit);
    }
}

