//! The pipeline: the stages of the chosen steps applied in order to one document, each returning
//! the document and the edits it made, with the time each stage took. It knows nothing of dedup,
//! files or reports.

use crate::config::Step;
use crate::document::{Document, Edit, Line};
use crate::stages::stage::Stage;
use crate::stages::StageOptions;
use std::time::{Duration, Instant};

/// A document after the pipeline.
pub struct Processed {
    pub doc: Document,
    pub edits: Vec<Edit>,
    /// Time spent in each stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// What the pipeline's first stage made of a document earlier (the corpus pass normalizes every
/// document to count its lines as the later stages will see them): its lines, its edits and the
/// time it took.
#[derive(Debug)]
pub struct FirstStageResult {
    pub lines: Vec<Line>,
    pub edits: Vec<Edit>,
    pub took: Duration,
}

pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
}

impl Pipeline {
    /// The stages of `steps`, in pipeline order; steps with no stage of their own (dedup) are
    /// passed over.
    pub fn new(steps: &[Step], options: &StageOptions) -> Pipeline {
        Pipeline {
            stages: steps
                .iter()
                .filter_map(|&step| crate::stages::stage(step, options))
                .collect(),
        }
    }

    /// The pipeline of `thresh dedup`, and the stages whose result only dedup sees: only
    /// normalize rewrites the documents; the stages after it shape the text dedup compares
    /// (`None` when there are none). Spin always repairs there, so a spun copy is compared as its
    /// original.
    pub fn dedup_only(steps: &[Step], options: &StageOptions) -> (Pipeline, Option<Pipeline>) {
        let options = StageOptions {
            spun: crate::config::SpunMode::Repair,
            ..options.clone()
        };
        let mut pipeline = Pipeline::new(steps, &options);
        let rewrite = usize::from(pipeline.starts_with(Step::Normalize));
        let view = Pipeline {
            stages: pipeline.stages.split_off(rewrite),
        };
        (pipeline, Some(view).filter(|v| !v.is_empty()))
    }

    pub fn stage_names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
    }

    /// Whether the first stage is `step`'s.
    pub fn starts_with(&self, step: Step) -> bool {
        self.stages.first().is_some_and(|s| s.name() == step.name())
    }

    pub fn process(&self, doc: Document) -> Processed {
        self.resume(doc, None)
    }

    /// [`Pipeline::process`], with the first stage's result given when it was made earlier (see
    /// [`FirstStageResult`]); only a pipeline that starts with normalize takes one. The stage's
    /// time is the one it took then: the work is done once, and counted once.
    pub fn resume(&self, mut doc: Document, first: Option<FirstStageResult>) -> Processed {
        let mut edits = Vec::new();
        let mut timings = Vec::with_capacity(self.stages.len());
        let mut stages = self.stages.iter();
        if let Some(first) = first {
            debug_assert!(self.starts_with(Step::Normalize));
            let stage = stages
                .next()
                .expect("a first result is given to a pipeline that starts with normalize");
            doc.lines = first.lines;
            crate::stages::normalize::flag_document(&mut doc, &first.edits);
            edits.extend(first.edits);
            timings.push((stage.name(), first.took));
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
        Processed {
            doc,
            edits,
            timings,
        }
    }
}
