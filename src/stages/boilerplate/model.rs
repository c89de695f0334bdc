//! The block model: two logistic regressions fit on real scraped pages by
//! `data/fit-boilerplate-model.py`, whose weights ship in `data/boilerplate-model.tsv`.
//!
//! The first scores each block on its own features ([`super::blocks::FEATURES`]); the second
//! smooths those scores with the neighbours' (jusText's context step, learnt instead of set by
//! hand): a short line between two paragraphs is content, the same line in a menu is not.

use super::blocks::{Block, FEATURES, N_TEXT_FEATURES};
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
static RAW_HTML: &str = include_str!("../../../data/boilerplate-html-model.tsv");

/// The model of scraped text: it weighs the text's features only.
pub static MODEL: LazyLock<BlockModel> = LazyLock::new(|| {
    BlockModel::parse(RAW, &FEATURES[..N_TEXT_FEATURES])
        .expect("data/boilerplate-model.tsv is well formed")
});

/// The model of pages read from HTML: the text's features and the markup's.
pub static HTML_MODEL: LazyLock<BlockModel> = LazyLock::new(|| {
    BlockModel::parse(RAW_HTML, FEATURES).expect("data/boilerplate-html-model.tsv is well formed")
});

#[derive(Debug, Clone)]
pub struct BlockModel {
    block: Scorer,
    context: [f32; N_CONTEXT],
    /// A block whose probability of being content is below this is boilerplate.
    pub threshold: f32,
}

/// How the first model scores a block.
#[derive(Debug, Clone)]
enum Scorer {
    /// A logistic regression: bias, then one weight per feature it weighs (the first of
    /// [`FEATURES`]).
    Linear(Vec<f32>),
    /// Gradient-boosted trees: the prior log-odds, then each tree's leaf value added.
    Trees { init: f32, trees: Vec<Vec<Node>> },
}

/// A node of a tree: a leaf's value, or a split that goes left when the feature's value is at
/// most the threshold.
#[derive(Debug, Clone, Copy)]
enum Node {
    Leaf(f32),
    Split {
        feature: usize,
        threshold: f32,
        left: usize,
        right: usize,
    },
}

impl BlockModel {
    /// Reads `block<TAB>name<TAB>weight` lines (a logistic regression, every weight of
    /// `features` given and no other) or `tree<TAB>tree<TAB>node<TAB>feature<TAB>threshold
    /// <TAB>left<TAB>right<TAB>value` lines and `trees<TAB>init<TAB>value` (boosted trees over
    /// `features`); `context<TAB>name<TAB>weight` lines; and `threshold<TAB>value`.
    pub fn parse(raw: &str, features: &[&str]) -> Result<BlockModel, String> {
        let mut linear = vec![f32::NAN; features.len() + 1];
        let (mut init, mut trees): (Option<f32>, Vec<Vec<Node>>) = (None, Vec::new());
        let mut context = [f32::NAN; N_CONTEXT];
        let mut threshold = f32::NAN;
        let feature_at = |name: &str| {
            features
                .iter()
                .position(|f| *f == name)
                .ok_or(format!("unknown block feature {name:?}"))
        };
        for line in raw.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            let fields: Vec<&str> = line.split('\t').collect();
            let number = |s: &str| s.parse::<f32>().map_err(|e| format!("{line:?}: {e}"));
            let index = |s: &str| s.parse::<usize>().map_err(|e| format!("{line:?}: {e}"));
            match fields.as_slice() {
                ["threshold", value] => threshold = number(value)?,
                ["block", "bias", w] => linear[0] = number(w)?,
                ["block", name, w] => linear[feature_at(name)? + 1] = number(w)?,
                ["trees", "init", value] => init = Some(number(value)?),
                ["tree", tree, node, feature, split, left, right, value] => {
                    let (tree, node) = (index(tree)?, index(node)?);
                    if tree != trees.len().saturating_sub(1) || trees.is_empty() {
                        if tree != trees.len() {
                            return Err(format!("tree {tree} out of order"));
                        }
                        trees.push(Vec::new());
                    }
                    let nodes = trees.last_mut().expect("a tree was pushed");
                    if node != nodes.len() {
                        return Err(format!("node {node} of tree {tree} out of order"));
                    }
                    nodes.push(if *feature == "leaf" {
                        Node::Leaf(number(value)?)
                    } else {
                        Node::Split {
                            feature: feature_at(feature)?,
                            threshold: number(split)?,
                            left: index(left)?,
                            right: index(right)?,
                        }
                    });
                }
                ["context", name, w] => {
                    let at = CONTEXT
                        .iter()
                        .position(|f| f == name)
                        .ok_or(format!("unknown context input {name:?}"))?;
                    context[at] = number(w)?;
                }
                _ => return Err(format!("unreadable line {line:?}")),
            }
        }
        let block = match init {
            Some(init) => {
                // Children come after their parent: a walk from the root always ends at a leaf.
                for (t, nodes) in trees.iter().enumerate() {
                    for (n, node) in nodes.iter().enumerate() {
                        if let Node::Split { left, right, .. } = node {
                            if *left <= n
                                || *right <= n
                                || *left >= nodes.len()
                                || *right >= nodes.len()
                            {
                                return Err(format!("node {n} of tree {t} points outside it"));
                            }
                        }
                    }
                }
                if trees.is_empty() || trees.iter().any(Vec::is_empty) {
                    return Err("no trees".into());
                }
                Scorer::Trees { init, trees }
            }
            None if linear.iter().any(|w| w.is_nan()) => {
                return Err("a block weight is missing".into())
            }
            None => Scorer::Linear(linear),
        };
        if context.iter().any(|w| w.is_nan()) || threshold.is_nan() {
            return Err("a context weight or the threshold is missing".into());
        }
        Ok(BlockModel {
            block,
            context,
            threshold,
        })
    }

    /// The first model's score (log-odds of content) of one block.
    fn block_logit(&self, x: &[f32]) -> f32 {
        match &self.block {
            Scorer::Linear(w) => w[0] + w[1..].iter().zip(x).map(|(w, v)| w * v).sum::<f32>(),
            Scorer::Trees { init, trees } => {
                init + trees
                    .iter()
                    .map(|nodes| {
                        let mut at = 0;
                        loop {
                            match nodes[at] {
                                Node::Leaf(value) => break value,
                                Node::Split {
                                    feature,
                                    threshold,
                                    left,
                                    right,
                                } => at = if x[feature] <= threshold { left } else { right },
                            }
                        }
                    })
                    .sum::<f32>()
            }
        }
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
        for (raw, features) in [(RAW, &FEATURES[..N_TEXT_FEATURES]), (RAW_HTML, FEATURES)] {
            let model = BlockModel::parse(raw, features).unwrap();
            assert!(model.threshold > 0.0 && model.threshold < 1.0);
        }
        assert_eq!(CONTEXT.len(), N_CONTEXT);
    }

    #[test]
    fn a_missing_or_unknown_weight_is_an_error() {
        assert!(BlockModel::parse("threshold\t0.5\n", FEATURES).is_err());
        let unknown = RAW.replace("block\tln_words\t", "block\tln_wordz\t");
        assert!(BlockModel::parse(&unknown, &FEATURES[..N_TEXT_FEATURES]).is_err());
        // The text model has no weights for the markup's features.
        assert!(BlockModel::parse(RAW, FEATURES).is_err());
    }
}
