//! The pipeline: named stages applied in order to each document, each returning the document and
//! the edits it made, with the time each stage took.

use crate::dedup::{Fingerprint, Print, Scan};
use crate::document::{Document, Edit};
use crate::stages::boilerplate::Boilerplate;
use crate::stages::machine_text::MachineText;
use crate::stages::normalize::Normalize;
use crate::stages::repair::Repair;
use crate::stages::spin::{Spin, SpunMode};
use std::time::{Duration, Instant};

/// The steps a user can select with `--steps` / `--skip`, in pipeline order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum, serde::Deserialize,
)]
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
    pub const ALL: [Step; 6] = [
        Step::Normalize,
        Step::Boilerplate,
        Step::MachineText,
        Step::Repair,
        Step::Spin,
        Step::Dedup,
    ];

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
            Step::Boilerplate => Some(Box::new(Boilerplate {
                keep: options.keep.clone(),
                stats: options.corpus_stats.clone(),
            })),
            Step::MachineText => Some(Box::new(MachineText)),
            Step::Repair => Some(Box::new(Repair {
                corpus: options.corpus_stats.clone(),
            })),
            // Dropping is the engine's business; the stage only flags for it.
            Step::Spin => Some(Box::new(Spin {
                mode: if options.spun == SpunMode::Drop {
                    SpunMode::Flag
                } else {
                    options.spun
                },
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
    /// Dedup learns the corpus's template lines only after this pass (there is no corpus pass):
    /// documents are scanned, with their lines' keys, and finished later.
    pub defer_templates: bool,
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
    /// With the dedup step: what the corpus-wide dedup needs to know about the document.
    pub fingerprint: Option<Print>,
    /// The text dedup compared, when it is not the output text (`thresh dedup` with cleaning
    /// steps after normalize).
    pub view_text: Option<String>,
}

pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
    /// Stages whose result only dedup sees: `thresh dedup` writes normalized text, but compares
    /// documents without their boilerplate, so a shared template never makes two pages alike.
    view: Vec<Box<dyn Stage>>,
    /// Whether the dedup step fingerprints each document.
    pub fingerprints: bool,
    /// Line frequencies per site: dedup leaves a site's template lines out of its comparisons.
    corpus_stats: Option<std::sync::Arc<crate::corpus::CorpusStats>>,
    /// See [`StageOptions::defer_templates`].
    defer_templates: bool,
    /// Steps asked for that this version cannot run yet.
    pub unavailable: Vec<Step>,
}

impl Pipeline {
    pub fn new(steps: &[Step]) -> Pipeline {
        Pipeline::with_options(steps, &StageOptions::default())
    }

    /// The pipeline of `thresh clean`: every step rewrites the document.
    pub fn with_options(steps: &[Step], options: &StageOptions) -> Pipeline {
        let mut pipeline = Pipeline {
            stages: Vec::new(),
            view: Vec::new(),
            fingerprints: false,
            corpus_stats: options.corpus_stats.clone(),
            defer_templates: options.defer_templates,
            unavailable: Vec::new(),
        };
        for &step in steps {
            match step.stage(options) {
                Some(stage) => pipeline.stages.push(stage),
                None if step == Step::Dedup => pipeline.fingerprints = true,
                None => pipeline.unavailable.push(step),
            }
        }
        pipeline
    }

    /// The pipeline of `thresh dedup`: only normalize rewrites the document; the other cleaning
    /// steps shape the text that dedup compares. Spin always repairs here, so a spun copy is
    /// compared as its original.
    pub fn dedup_only(steps: &[Step], options: &StageOptions) -> Pipeline {
        let options = StageOptions {
            spun: SpunMode::Repair,
            ..options.clone()
        };
        let mut pipeline = Pipeline::with_options(steps, &options);
        let view_from = pipeline
            .stages
            .iter()
            .position(|s| s.name() != Step::Normalize.name())
            .unwrap_or(pipeline.stages.len());
        pipeline.view = pipeline.stages.split_off(view_from);
        pipeline
    }

    pub fn stage_names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self
            .stages
            .iter()
            .chain(&self.view)
            .map(|s| s.name())
            .collect();
        if self.fingerprints {
            names.push(Step::Dedup.name());
        }
        names
    }

    pub fn process(&self, doc: Document) -> Processed {
        self.process_normalized(doc, None)
    }

    /// What the corpus pass kept of this document's normalization, if this pipeline starts with
    /// normalize and it was kept from this same `input`.
    pub fn take_normalized(
        &self,
        normalized: &crate::spool::NormalizedDocs,
        src: usize,
        number: u64,
        input: &str,
        id: &str,
    ) -> Option<crate::spool::Normalized> {
        let first = self
            .stages
            .first()
            .filter(|s| s.name() == Step::Normalize.name())?;
        normalized.take(src, number, input, id, first.name())
    }

    /// [`Pipeline::process`], with the normalize stage's result given when the corpus pass
    /// already normalized the document (see [`Pipeline::take_normalized`]).
    /// The stage's time is the corpus pass's: the normalization is done once, and counted once.
    pub fn process_normalized(
        &self,
        mut doc: Document,
        normalized: Option<crate::spool::Normalized>,
    ) -> Processed {
        let mut edits = Vec::new();
        let mut timings = Vec::with_capacity(self.stages.len());
        let mut stages = self.stages.iter();
        if let Some(normalized) = normalized {
            let stage = stages
                .next()
                .expect("take_normalized checked the pipeline starts with normalize");
            doc.lines = normalized.lines;
            crate::stages::normalize::flag_document(&mut doc, &normalized.edits);
            edits.extend(normalized.edits);
            timings.push((stage.name(), normalized.took));
        }
        for stage in stages {
            crate::isolate::at(stage.name());
            crate::isolate::fault_point(stage.name(), || doc.text());
            let start = Instant::now();
            let out = stage.run(doc);
            timings.push((stage.name(), start.elapsed()));
            doc = out.doc;
            edits.extend(out.edits);
        }
        let mut view_text = None;
        let fingerprint = self.fingerprints.then(|| {
            crate::isolate::at(Step::Dedup.name());
            crate::isolate::fault_point(Step::Dedup.name(), || doc.text());
            let start = Instant::now();
            let mut view = None;
            if !self.view.is_empty() {
                let mut copy = doc.clone();
                for stage in &self.view {
                    copy = stage.run(copy).doc;
                }
                view = Some(copy);
            }
            let compared = view.as_ref().unwrap_or(&doc);
            let print = if self.defer_templates {
                Print::Scanned {
                    site: crate::corpus::site_key(&doc.site),
                    scan: Scan::of(compared, true),
                }
            } else {
                // A line the site repeats on many pages (a long newsletter or disclaimer paragraph
                // that boilerplate left alone) says nothing about which article a page carries.
                let site = self
                    .corpus_stats
                    .as_ref()
                    .map(|stats| stats.site(&doc.site));
                let is_template = |line: &str| site.as_ref().is_some_and(|s| s.is_template(line));
                Print::Done(Fingerprint::with_template(compared, &is_template))
            };
            view_text = view.map(|v| v.text());
            timings.push((Step::Dedup.name(), start.elapsed()));
            print
        });
        Processed {
            doc,
            edits,
            timings,
            fingerprint,
            view_text,
        }
    }
}
