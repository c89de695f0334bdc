//! Comparing two versions of a corpus, each already cleaned and fingerprinted: which documents
//! were added, removed, renamed (or moved) and modified.
//!
//! Documents are matched in three rounds, each over what the previous left unmatched:
//! 1. by id (for text files, the path under the INPUT);
//! 2. by id without a text extension (`a/b.txt` and `a/b`), so a folder and a JSONL export of the
//!    same pages match, when that key is unique on both sides;
//! 3. by content: exact hash, then MinHash candidates verified on the exact sets with the dedup
//!    measures (word-set Jaccard or 3-gram containment at `--threshold`), best pairs first. These
//!    are the renamed documents.
//!
//! Documents matched by id are unchanged when their cleaned texts have the same words in the same
//! order (line breaks, spacing, case and punctuation are not changes of substance), and modified
//! otherwise, with their word-set similarity and how many passages (cleaned lines, compared by
//! their words) were added and removed.

use crate::dedup::fingerprint::DOC_PERMS;
use crate::dedup::lsh::Banding;
use crate::dedup::minhash::Signature;
use crate::dedup::verify::{trigram_floor, verdict};
use crate::dedup::PrintStore;
use serde::Serialize;
use std::collections::HashMap;
use std::io;

/// What the comparison needs to know about one cleaned document.
#[derive(Debug, Clone)]
pub struct DiffDoc {
    pub id: String,
    /// Hash of the compared text.
    pub exact: u128,
    /// Hash of its words in order.
    pub sequence: u64,
    pub signature: Signature,
    /// Where its exact sets are in its side's store.
    pub sets: u64,
    /// Hashes of the words of each content line, sorted: its passages.
    pub passages: Vec<u64>,
}

/// One version of the corpus.
pub struct Version<'a> {
    pub docs: &'a [DiffDoc],
    pub sets: &'a dyn PrintStore,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Renamed {
    pub old: String,
    pub new: String,
    pub similarity: f64,
    /// Passages added and removed, when the text changed too.
    #[serde(skip_serializing_if = "is_zero")]
    pub passages_added: usize,
    #[serde(skip_serializing_if = "is_zero")]
    pub passages_removed: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Modified {
    pub old: String,
    pub new: String,
    pub similarity: f64,
    pub passages_added: usize,
    pub passages_removed: usize,
}

/// The `--json` object of the CLI contract.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub renamed: Vec<Renamed>,
    pub modified: Vec<Modified>,
    pub unchanged: usize,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.modified.is_empty()
    }

    /// The document `id` of either side is matched with, and how: `(old, new)`; `None` on the side
    /// where it does not exist.
    pub fn counterpart<'a>(&'a self, id: &'a str) -> Option<(Option<&'a str>, Option<&'a str>)> {
        if let Some(r) = self.renamed.iter().find(|r| r.old == id || r.new == id) {
            return Some((Some(&r.old), Some(&r.new)));
        }
        if let Some(m) = self.modified.iter().find(|m| m.old == id || m.new == id) {
            return Some((Some(&m.old), Some(&m.new)));
        }
        if self.added.iter().any(|a| a == id) {
            return Some((None, Some(id)));
        }
        if self.removed.iter().any(|r| r == id) {
            return Some((Some(id), None));
        }
        None
    }
}

/// Passages in `new` and not in `old`, and in `old` and not in `new`, counted with repeats.
pub fn passage_changes(old: &[u64], new: &[u64]) -> (usize, usize) {
    let common = crate::dedup::intersect::merge(old, new);
    (new.len() - common, old.len() - common) // common <= both lengths: one per step of each
}

/// The id without a text file's extension: the key of round 2.
fn stem(id: &str) -> &str {
    [".txt", ".text", ".md"]
        .iter()
        .find_map(|ext| id.strip_suffix(ext))
        .unwrap_or(id)
}

fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

pub fn compare(old: Version, new: Version, threshold: f64) -> io::Result<Changes> {
    let mut old_match: Vec<Option<u32>> = vec![None; old.docs.len()];
    let mut new_taken = vec![false; new.docs.len()];

    // Rounds 1 and 2: by id, then by id without extension when unique on both sides.
    let by_id: HashMap<&str, u32> = new
        .docs
        .iter()
        .enumerate()
        .map(|(j, d)| (d.id.as_str(), j as u32))
        .collect();
    for (i, d) in old.docs.iter().enumerate() {
        if let Some(&j) = by_id.get(d.id.as_str()) {
            if !new_taken[j as usize] {
                old_match[i] = Some(j);
                new_taken[j as usize] = true;
            }
        }
    }
    fn unique_stems<'d>(
        docs: impl Iterator<Item = (u32, &'d DiffDoc)>,
    ) -> HashMap<&'d str, Option<u32>> {
        let mut stems: HashMap<&str, Option<u32>> = HashMap::new();
        for (n, d) in docs {
            stems
                .entry(stem(&d.id))
                .and_modify(|e| *e = None)
                .or_insert(Some(n));
        }
        stems
    }
    let old_stems = unique_stems(
        old.docs
            .iter()
            .enumerate()
            .filter(|(i, _)| old_match[*i].is_none())
            .map(|(i, d)| (i as u32, d)),
    );
    let new_stems = unique_stems(
        new.docs
            .iter()
            .enumerate()
            .filter(|(j, _)| !new_taken[*j])
            .map(|(j, d)| (j as u32, d)),
    );
    for (key, i) in &old_stems {
        if let (Some(i), Some(Some(j))) = (i, new_stems.get(key)) {
            old_match[*i as usize] = Some(*j);
            new_taken[*j as usize] = true;
        }
    }

    let mut changes = Changes::default();
    for (i, m) in old_match.iter().enumerate() {
        let Some(j) = *m else { continue };
        let (a, b) = (&old.docs[i], &new.docs[j as usize]);
        if a.exact == b.exact || a.sequence == b.sequence {
            changes.unchanged += 1;
            continue;
        }
        let v = verdict(&old.sets.get(a.sets)?, &new.sets.get(b.sets)?, threshold);
        let (passages_added, passages_removed) = passage_changes(&a.passages, &b.passages);
        changes.modified.push(Modified {
            old: a.id.clone(),
            new: b.id.clone(),
            similarity: round(v.jaccard),
            passages_added,
            passages_removed,
        });
    }

    // Round 3: by content, among the documents left on both sides.
    let left_old: Vec<u32> = (0..old.docs.len() as u32)
        .filter(|&i| old_match[i as usize].is_none())
        .collect();
    let left_new: Vec<u32> = (0..new.docs.len() as u32)
        .filter(|&j| !new_taken[j as usize])
        .collect();
    let mut pairs: Vec<(f64, u32, u32)> = Vec::new();
    let mut exact_new: HashMap<u128, Vec<u32>> = HashMap::new();
    for &j in &left_new {
        exact_new
            .entry(new.docs[j as usize].exact)
            .or_default()
            .push(j);
    }
    for &i in &left_old {
        for &j in exact_new
            .get(&old.docs[i as usize].exact)
            .into_iter()
            .flatten()
        {
            pairs.push((1.0, i, j));
        }
    }
    let signatures: Vec<&[u16]> = left_old
        .iter()
        .map(|&i| &*old.docs[i as usize].signature)
        .chain(left_new.iter().map(|&j| &*new.docs[j as usize].signature))
        .collect();
    let split = left_old.len() as u32;
    for (a, b) in
        Banding::for_threshold(trigram_floor(threshold), DOC_PERMS).candidates(&signatures)
    {
        // Only pairs across the two versions: `a < b`, so `a` is the old one.
        if a >= split || b < split {
            continue;
        }
        // a < split = left_old.len(), and split <= b < left_old.len() + left_new.len().
        let (i, j) = (left_old[a as usize], left_new[(b - split) as usize]);
        if old.docs[i as usize].exact == new.docs[j as usize].exact {
            continue;
        }
        let v = verdict(
            &old.sets.get(old.docs[i as usize].sets)?,
            &new.sets.get(new.docs[j as usize].sets)?,
            threshold,
        );
        if v.duplicate {
            pairs.push((v.jaccard, i, j));
        }
    }
    // Best pairs first; ties by the order of the documents, so the result is deterministic.
    pairs.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    for (similarity, i, j) in pairs {
        if old_match[i as usize].is_some() || new_taken[j as usize] {
            continue;
        }
        old_match[i as usize] = Some(j);
        new_taken[j as usize] = true;
        let (a, b) = (&old.docs[i as usize], &new.docs[j as usize]);
        let (passages_added, passages_removed) = if a.exact == b.exact {
            (0, 0)
        } else {
            passage_changes(&a.passages, &b.passages)
        };
        changes.renamed.push(Renamed {
            old: a.id.clone(),
            new: b.id.clone(),
            similarity: round(similarity),
            passages_added,
            passages_removed,
        });
    }

    changes.removed = old_match
        .iter()
        .zip(old.docs)
        .filter(|(m, _)| m.is_none())
        .map(|(_, d)| d.id.clone())
        .collect();
    changes.added = new_taken
        .iter()
        .zip(new.docs)
        .filter(|(t, _)| !**t)
        .map(|(_, d)| d.id.clone())
        .collect();
    changes.added.sort();
    changes.removed.sort();
    changes.renamed.sort_by(|a, b| a.old.cmp(&b.old));
    changes.modified.sort_by(|a, b| a.old.cmp(&b.old));
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::{Fingerprint, MemoryPrints};
    use crate::document::Document;

    fn version(docs: &[(&str, &str)]) -> (Vec<DiffDoc>, MemoryPrints) {
        let mut sets = MemoryPrints::default();
        let docs = docs
            .iter()
            .map(|(id, text)| {
                let print = Fingerprint::of(&Document::from_text(*id, text));
                DiffDoc {
                    id: id.to_string(),
                    exact: print.exact,
                    sequence: print.sequence,
                    sets: sets.put(&print.sets).unwrap(),
                    signature: print.signature,
                    passages: print.lines,
                }
            })
            .collect();
        (docs, sets)
    }

    fn diff(old: &[(&str, &str)], new: &[(&str, &str)]) -> Changes {
        let (o, os) = version(old);
        let (n, ns) = version(new);
        compare(
            Version {
                docs: &o,
                sets: &os,
            },
            Version {
                docs: &n,
                sets: &ns,
            },
            0.8,
        )
        .unwrap()
    }

    const FERRY: &str = "The ferry between the two islands will run again next month after a winter of repairs to the \
        northern pier, which a cargo ship struck in the January storms.\nShopkeepers on both islands say the \
        closure cut their takings by half, and several let staff go until the spring.\nThe council has promised \
        a review of how the repairs were managed and why they took four months longer than planned.";
    const SWIFTS: &str = "Volunteers counted more than four hundred swifts nesting under the eaves of the old church \
        this summer, the highest number since records began.\nThe parish has agreed to delay the roof repairs \
        until the last of the young birds have left in August.";

    #[test]
    fn identical_versions_have_no_changes() {
        let c = diff(
            &[("a.txt", FERRY), ("b.txt", SWIFTS)],
            &[("a.txt", FERRY), ("b.txt", SWIFTS)],
        );
        assert!(c.is_empty());
        assert_eq!(c.unchanged, 2);
    }

    #[test]
    fn a_moved_document_is_renamed_not_removed_and_added() {
        let c = diff(
            &[("news/a.txt", FERRY), ("b.txt", SWIFTS)],
            &[("archive/2026/a.txt", FERRY), ("b.txt", SWIFTS)],
        );
        assert_eq!(
            c.renamed,
            vec![Renamed {
                old: "news/a.txt".into(),
                new: "archive/2026/a.txt".into(),
                similarity: 1.0,
                passages_added: 0,
                passages_removed: 0
            }]
        );
        assert!(c.added.is_empty() && c.removed.is_empty() && c.modified.is_empty());
    }

    #[test]
    fn an_edit_is_a_modification_with_its_passages() {
        let edited = FERRY.replace("four months longer", "five months longer");
        let extra = format!("{edited}\nTickets go on sale on the first of the month at the harbour office and online.");
        let c = diff(&[("a.txt", FERRY)], &[("a.txt", &extra)]);
        assert_eq!(c.modified.len(), 1, "{c:?}");
        let m = &c.modified[0];
        assert!(m.similarity > 0.8 && m.similarity < 1.0, "{m:?}");
        assert_eq!((m.passages_added, m.passages_removed), (2, 1));
    }

    #[test]
    fn different_documents_are_added_and_removed() {
        let c = diff(&[("a.txt", FERRY)], &[("b.txt", SWIFTS)]);
        assert_eq!(c.added, vec!["b.txt"]);
        assert_eq!(c.removed, vec!["a.txt"]);
        assert!(c.renamed.is_empty());
    }

    #[test]
    fn a_folder_and_a_jsonl_export_match_by_stem() {
        let edited = FERRY.replace("January", "February");
        let c = diff(
            &[("site/a.txt", FERRY), ("site/b.md", SWIFTS)],
            &[("site/a", &edited), ("site/b", SWIFTS)],
        );
        assert_eq!(c.unchanged, 1);
        assert_eq!(c.modified.len(), 1);
        assert_eq!(c.modified[0].new, "site/a");
    }

    #[test]
    fn rewrapping_and_punctuation_are_not_changes() {
        let rewrapped = FERRY
            .replace('\n', " ")
            .replace("January storms.", "January storms;");
        let c = diff(&[("a.txt", FERRY)], &[("a.txt", &rewrapped)]);
        assert!(c.is_empty(), "{c:?}");
        let reworded = FERRY.replace("January", "February");
        assert_eq!(
            diff(&[("a.txt", FERRY)], &[("a.txt", &reworded)])
                .modified
                .len(),
            1
        );
    }

    #[test]
    fn passage_changes_count_repeats() {
        assert_eq!(passage_changes(&[1, 2, 2, 3], &[2, 3, 4]), (1, 2));
        assert_eq!(passage_changes(&[], &[5]), (1, 0));
    }
}
