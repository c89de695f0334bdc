//! The pipeline: named stages applied in order to each document, each returning the document and
//! the edits it made, with the time each stage took.

use crate::document::{Document, Edit};
use crate::stages::boilerplate::Boilerplate;
use crate::stages::machine_text::MachineText;
use crate::stages::normalize::Normalize;
use crate::stages::repair::Repair;
use crate::stages::spin::{Spin, SpunMode};
use std::time::{Duration, Instant};

/// The steps a user can select with `--steps` / `--skip`, in pipeline order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Normalize,
    Boilerplate,
    MachineText,
    Repair,
    Spin,
    Dedup,
}

impl Step {
    pub const ALL: [Step; 6] =
        [Step::Normalize, Step::Boilerplate, Step::MachineText, Step::Repair, Step::Spin, Step::Dedup];

    pub fn name(self) -> &'static str {
        match self {
            Step::Normalize => "normalize",
            Step::Boilerplate => "boilerplate",
            Step::MachineText => "machine-text",
            Step::Repair => "repair",
            Step::Spin => "spin",
            Step::Dedup => "dedup",
        }
    }

    /// The stage that carries out this step, for steps that rewrite one document at a time.
    /// Steps not built yet have none and are reported as such in `summary.json`.
    fn stage(self, options: &StageOptions) -> Option<Box<dyn Stage>> {
        match self {
            Step::Normalize => Some(Box::new(Normalize)),
            Step::Boilerplate => Some(Box::new(Boilerplate { keep: options.keep.clone(), stats: options.corpus_stats.clone() })),
            Step::MachineText => Some(Box::new(MachineText)),
            Step::Repair => Some(Box::new(Repair { corpus: options.corpus_stats.clone() })),
            // Dropping is the engine's business; the stage only flags for it.
            Step::Spin => Some(Box::new(Spin {
                mode: if options.spun == SpunMode::Drop { SpunMode::Flag } else { options.spun },
            })),
            _ => None,
        }
    }
}

/// What stages need beyond the document: corpus statistics and the user's choices.
#[derive(Debug, Default, Clone)]
pub struct StageOptions {
    /// Lines the user declared content (folded with `boilerplate::fold`).
    pub keep: std::collections::HashSet<String>,
    /// Line frequencies from a first pass over the corpus.
    pub corpus_stats: Option<std::sync::Arc<crate::corpus::CorpusStats>>,
    /// What to do with spun documents.
    pub spun: SpunMode,
}

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

/// A document after the whole pipeline.
pub struct Processed {
    pub doc: Document,
    pub edits: Vec<Edit>,
    /// Time spent in each stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
}

pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
    /// Steps asked for that this version cannot run yet.
    pub unavailable: Vec<Step>,
}

impl Pipeline {
    pub fn new(steps: &[Step]) -> Pipeline {
        Pipeline::with_options(steps, &StageOptions::default())
    }

    pub fn with_options(steps: &[Step], options: &StageOptions) -> Pipeline {
        let mut stages = Vec::new();
        let mut unavailable = Vec::new();
        for &step in steps {
            match step.stage(options) {
                Some(stage) => stages.push(stage),
                None => unavailable.push(step),
            }
        }
        Pipeline { stages, unavailable }
    }

    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    pub fn process(&self, mut doc: Document) -> Processed {
        let mut edits = Vec::new();
        let mut timings = Vec::with_capacity(self.stages.len());
        for stage in &self.stages {
            let start = Instant::now();
            let out = stage.run(doc);
            timings.push((stage.name(), start.elapsed()));
            doc = out.doc;
            edits.extend(out.edits);
        }
        Processed { doc, edits, timings }
    }
}
