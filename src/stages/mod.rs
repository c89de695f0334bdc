//! The stages of the pipeline, one module each, and the registry that builds the stage of a step.

pub mod boilerplate;
pub mod machine_text;
pub mod normalize;
pub mod repair;
pub mod spin;
pub mod stage;

use crate::config::{Settings, SpunMode, Step};
use crate::corpus::CorpusStats;
use boilerplate::Boilerplate;
use machine_text::MachineText;
use normalize::Normalize;
use repair::Repair;
use spin::Spin;
use stage::{RuleSwitches, Stage};
use std::collections::HashSet;
use std::sync::Arc;

/// Every rule a stage can record, by stage, in pipeline order: the names `--rule-off` takes.
pub const RULES: &[(&str, &[&str])] = &[
    ("normalize", normalize::RULES),
    ("boilerplate", boilerplate::RULES),
    ("machine-text", machine_text::RULES),
    ("repair", repair::RULES),
    ("spin", spin::RULES),
];

/// What stages need beyond the document: corpus statistics and the user's choices.
#[derive(Debug, Clone)]
pub struct StageOptions {
    /// Lines the user declared content (folded with `text::fold`).
    pub keep: HashSet<String>,
    /// Line frequencies from a first pass over the corpus.
    pub corpus_stats: Option<Arc<CorpusStats>>,
    /// What to do with spun documents.
    pub spun: SpunMode,
    /// The rules switched off.
    pub rules: RuleSwitches,
    /// Documents that must hold a line for boilerplate to count it repeated.
    pub repeated_min_docs: u32,
    /// The spin score from which a document is flagged.
    pub spin_threshold: f64,
}

impl Default for StageOptions {
    fn default() -> Self {
        StageOptions {
            keep: HashSet::new(),
            corpus_stats: None,
            spun: SpunMode::default(),
            rules: RuleSwitches::default(),
            repeated_min_docs: boilerplate::REPEATED_MIN_DOCS,
            spin_threshold: spin::THRESHOLD,
        }
    }
}

impl StageOptions {
    /// The options a run's settings choose (lines to keep and corpus statistics are added by
    /// the command); an unknown rule name is an error.
    pub fn of(settings: &Settings) -> anyhow::Result<StageOptions> {
        let rules = RuleSwitches::off(&settings.rules_off, RULES)
            .map_err(|e| anyhow::anyhow!("--rule-off: {e}"))?;
        Ok(StageOptions {
            spun: settings.spun,
            rules,
            repeated_min_docs: settings
                .repeated_min_docs
                .unwrap_or(boilerplate::REPEATED_MIN_DOCS),
            spin_threshold: settings.spin_threshold.unwrap_or(spin::THRESHOLD),
            ..StageOptions::default()
        })
    }
}

/// The stage that carries out `step`, for steps that rewrite one document at a time (dedup works
/// on the whole corpus and has none).
pub fn stage(step: Step, options: &StageOptions) -> Option<Box<dyn Stage>> {
    let rules = options.rules.clone();
    match step {
        Step::Normalize => Some(Box::new(Normalize { rules })),
        Step::Boilerplate => Some(Box::new(Boilerplate {
            keep: options.keep.clone(),
            stats: options.corpus_stats.clone(),
            repeated_min_docs: options.repeated_min_docs,
            rules,
        })),
        Step::MachineText => Some(Box::new(MachineText { rules })),
        Step::Repair => Some(Box::new(Repair {
            corpus: options.corpus_stats.clone(),
            rules,
        })),
        // Dropping is the engine's business; the stage only flags for it.
        Step::Spin => Some(Box::new(Spin {
            mode: if options.spun == SpunMode::Drop {
                SpunMode::Flag
            } else {
                options.spun
            },
            threshold: options.spin_threshold,
            rules,
        })),
        _ => None,
    }
}
