//! The stages of the pipeline, one module each, and the registry that builds the stage of a step.

pub mod boilerplate;
pub mod machine_text;
pub mod normalize;
pub mod repair;
pub mod spin;
pub mod stage;

use crate::config::{SpunMode, Step};
use crate::corpus::CorpusStats;
use boilerplate::Boilerplate;
use machine_text::MachineText;
use normalize::Normalize;
use repair::Repair;
use spin::Spin;
use stage::Stage;
use std::collections::HashSet;
use std::sync::Arc;

/// What stages need beyond the document: corpus statistics and the user's choices.
#[derive(Debug, Default, Clone)]
pub struct StageOptions {
    /// Lines the user declared content (folded with `text::fold`).
    pub keep: HashSet<String>,
    /// Line frequencies from a first pass over the corpus.
    pub corpus_stats: Option<Arc<CorpusStats>>,
    /// What to do with spun documents.
    pub spun: SpunMode,
}

/// The stage that carries out `step`, for steps that rewrite one document at a time (dedup works
/// on the whole corpus and has none).
pub fn stage(step: Step, options: &StageOptions) -> Option<Box<dyn Stage>> {
    match step {
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
