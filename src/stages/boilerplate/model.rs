//! The block model: two logistic regressions fit on real scraped pages by
//! `data/fit-boilerplate-model.py`, whose weights ship in `data/boilerplate-model.tsv`.
//!
//! The first scores each block on its own features ([`super::blocks::FEATURES`]); the second
//! smooths those scores with the neighbours' (jusText's context step, learnt instead of set by
//! hand): a short line between two paragraphs is content, the same line in a menu is not.

use super::blocks::{Block, FEATURES, N_FEATURES};
use std::sync::LazyLock;

/// The inputs of the context model, in the order of its weights.
pub const CONTEXT: &[&str] = &[
    "bias",
    "z",
    "z_prev",
    "z_next",
    "z_prev2",
    "z_next2",
    "doc_mean_z",
    "ln_words",
];
const N_CONTEXT: usize = 8;

static RAW: &str = include_str!("../../../data/boilerplate-model.tsv");

pub static MODEL: LazyLock<BlockModel> =
    LazyLock::new(|| BlockModel::parse(RAW).expect("data/boilerplate-model.tsv is well formed"));

#[derive(Debug, Clone)]
pub struct BlockModel {
    /// Bias, then one weight per feature.
    block: [f32; N_FEATURES + 1],
    context: [f32; N_CONTEXT],
    /// A block whose probability of being content is below this is boilerplate.
    pub threshold: f32,
}

impl BlockModel {
    /// Reads `section<TAB>name<TAB>weight` lines and `threshold<TAB>value`; every weight must be
    /// given, for a name the code knows.
    pub fn parse(raw: &str) -> Result<BlockModel, String> {
        let mut model = BlockModel {
            block: [f32::NAN; N_FEATURES + 1],
            context: [f32::NAN; N_CONTEXT],
            threshold: f32::NAN,
        };
        for line in raw.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let fields: Vec<&str> = line.split('\t').collect();
            let number = |s: &str| s.parse::<f32>().map_err(|e| format!("{line:?}: {e}"));
            match fields.as_slice() {
                ["threshold", value] => model.threshold = number(value)?,
                ["block", "bias", w] => model.block[0] = number(w)?,
                ["block", name, w] => {
                    let at = FEATURES
                        .iter()
                        .position(|f| f == name)
                        .ok_or(format!("unknown block feature {name:?}"))?;
                    model.block[at + 1] = number(w)?;
                }
                ["context", name, w] => {
                    let at = CONTEXT
                        .iter()
                        .position(|f| f == name)
                        .ok_or(format!("unknown context input {name:?}"))?;
                    model.context[at] = number(w)?;
                }
                _ => return Err(format!("unreadable line {line:?}")),
            }
        }
        if model.block.iter().chain(&model.context).any(|w| w.is_nan()) || model.threshold.is_nan()
        {
            return Err("a weight or the threshold is missing".into());
        }
        Ok(model)
    }

    /// The first model's score (log-odds of content) of one block.
    fn block_logit(&self, x: &[f32; N_FEATURES]) -> f32 {
        self.block[0]
            + self.block[1..]
                .iter()
                .zip(x)
                .map(|(w, v)| w * v)
                .sum::<f32>()
    }

    /// The probability that each block is content, its neighbours considered.
    pub fn content_probabilities(&self, blocks: &[Block]) -> Vec<f32> {
        let z: Vec<f32> = blocks.iter().map(|b| self.block_logit(&b.x)).collect();
        let mean = if z.is_empty() {
            0.0
        } else {
            z.iter().sum::<f32>() / z.len() as f32
        };
        let at = |k: Option<usize>| k.and_then(|k| z.get(k)).copied().unwrap_or(0.0);
        (0..z.len())
            .map(|k| {
                let inputs = [
                    1.0,
                    z[k],
                    at(k.checked_sub(1)),
                    at(Some(k + 1)),
                    at(k.checked_sub(2)),
                    at(Some(k + 2)),
                    mean,
                    blocks[k].x[0],
                ];
                let logit: f32 = self.context.iter().zip(inputs).map(|(w, v)| w * v).sum();
                1.0 / (1.0 + (-logit).exp())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_weights_cover_every_feature() {
        let model = BlockModel::parse(RAW).unwrap();
        assert!(model.threshold > 0.0 && model.threshold < 1.0);
        assert_eq!(CONTEXT.len(), N_CONTEXT);
    }

    #[test]
    fn a_missing_or_unknown_weight_is_an_error() {
        assert!(BlockModel::parse("threshold\t0.5\n").is_err());
        let unknown = RAW.replace("block\tln_words\t", "block\tln_wordz\t");
        assert!(BlockModel::parse(&unknown).is_err());
    }
}
