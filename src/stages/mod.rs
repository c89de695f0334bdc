//! The stages of the pipeline, one module each, and what they share.

pub mod boilerplate;
pub mod machine_text;
pub mod normalize;

use crate::document::Edit;

/// Collects the edits a stage makes to one document.
pub struct Recorder<'a> {
    doc: &'a str,
    stage: &'static str,
    pub edits: Vec<Edit>,
}

impl<'a> Recorder<'a> {
    pub fn new(doc: &'a str, stage: &'static str) -> Self {
        Recorder { doc, stage, edits: Vec::new() }
    }

    pub fn record(&mut self, rule: &'static str, before: impl Into<String>, after: impl Into<String>, line: u32) {
        self.edits.push(Edit::new(self.doc, self.stage, rule, before, after, line));
    }

    pub fn record_many(&mut self, rule: &'static str, before: &str, after: &str, line: u32, count: u32) {
        let mut edit = Edit::new(self.doc, self.stage, rule, before, after, line);
        edit.count = count;
        self.edits.push(edit);
    }
}

