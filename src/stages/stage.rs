//! What a stage is: a function from a document to a document and the edits it made, the
//! [`Recorder`] stages note their edits with, and the [`RuleSwitches`] it asks before a rule acts.

use crate::document::{Document, Edit};
use std::sync::Arc;

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

/// The rules a user switched off (`--rule-off`), each with its stage: a name two stages share
/// (`blank_lines`) can be off in one and on in the other. Every rule is on by default.
#[derive(Debug, Clone, Default)]
pub struct RuleSwitches {
    off: Arc<[(&'static str, &'static str)]>,
}

impl RuleSwitches {
    /// The switches for `names`, each `rule` (off in every stage that has it) or `stage/rule`,
    /// checked against `known` (each stage with its rules). An unknown name is an error that
    /// lists the known ones.
    pub fn off(
        names: &[String],
        known: &[(&'static str, &'static [&'static str])],
    ) -> Result<RuleSwitches, String> {
        let mut off = Vec::new();
        for name in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            let (stage, rule) = match name.split_once('/') {
                Some((stage, rule)) => (Some(stage), rule),
                None => (None, name),
            };
            let before = off.len();
            for &(s, rules) in known {
                if stage.is_none_or(|stage| stage == s) {
                    off.extend(rules.iter().filter(|&&r| r == rule).map(|&r| (s, r)));
                }
            }
            if off.len() == before {
                let all: Vec<String> = known
                    .iter()
                    .flat_map(|&(s, rules)| rules.iter().map(move |r| format!("{s}/{r}")))
                    .collect();
                return Err(format!(
                    "no rule is named {name:?}; the rules are (the stage may be left out): {}",
                    all.join(", ")
                ));
            }
        }
        off.sort_unstable();
        off.dedup();
        Ok(RuleSwitches { off: off.into() })
    }

    pub fn is_on(&self, stage: &str, rule: &str) -> bool {
        !self.off.iter().any(|&(s, r)| s == stage && r == rule)
    }
}

/// Collects the edits a stage makes to one document.
pub struct Recorder {
    doc: String,
    stage: &'static str,
    switches: RuleSwitches,
    pub edits: Vec<Edit>,
}

impl Recorder {
    pub fn new(doc: &str, stage: &'static str) -> Self {
        Recorder {
            doc: doc.to_string(),
            stage,
            switches: RuleSwitches::default(),
            edits: Vec::new(),
        }
    }

    /// The recorder of a stage whose rules `switches` may have switched off.
    pub fn with_switches(mut self, switches: &RuleSwitches) -> Self {
        self.switches = switches.clone();
        self
    }

    /// Whether `rule` of this stage may act: a rule asks before it changes the text.
    pub fn is_on(&self, rule: &str) -> bool {
        self.switches.is_on(self.stage, rule)
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
        debug_assert!(self.is_on(rule), "rule {rule} is switched off but edited");
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
        if patches.is_empty() || !self.is_on(rule) {
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
        debug_assert!(self.is_on(rule), "rule {rule} is switched off but edited");
        let mut edit = Edit::new(&self.doc, self.stage, rule, before, after, line);
        edit.count = count;
        self.edits.push(edit);
    }
}
