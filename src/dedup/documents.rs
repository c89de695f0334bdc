//! Clustering documents: exact copies by hash, near copies by LSH candidates verified on the text,
//! then greedy star clusters around the most complete document.

use super::clusters::{DocCluster, Member};
use super::fingerprint::DOC_PERMS;
use super::index::{FieldValue, IndexedDoc, PrintStore};
use super::lsh::Banding;
use super::minhash::estimate;
use super::verify::{trigram_floor, verified_stars};
use crate::config::KeepDuplicate;
use rayon::prelude::*;
use std::collections::HashMap;

/// Candidates whose estimated 3-gram Jaccard is this far below the floor are not worth reading:
/// three standard deviations of a 128-value estimate near 0.35.
const ESTIMATE_MARGIN: f64 = 0.12;

pub(super) type DocOf = Vec<Option<(u32, bool)>>;

/// Document clusters of `docs`; those from `earlier` on were kept by earlier runs (`--index`):
/// each is preferred to any of this run's copies, and none is compared with another.
pub(super) fn cluster(
    docs: &[IndexedDoc],
    earlier: u32,
    threshold: f64,
    keep: &KeepDuplicate,
    values: &[Option<FieldValue>],
    sets: &dyn PrintStore,
) -> std::io::Result<Vec<DocCluster>> {
    let value = |d: u32| values.get(d as usize).and_then(Option::as_ref);
    // Preference order: what earlier runs kept (already written: their copy stays the one kept),
    // then most words first, then by id, then input order; or, keeping the first, input order;
    // or, keeping by a field, its lowest (highest) value first, those without it last, then as
    // by default.
    let mut rank: Vec<u32> = (0..docs.len() as u32).collect();
    rank.sort_by(|&a, &b| {
        let (x, y) = (&docs[a as usize], &docs[b as usize]);
        let earlier_first = (b >= earlier).cmp(&(a >= earlier));
        let by_field = match keep {
            KeepDuplicate::First => return earlier_first.then(a.cmp(&b)),
            KeepDuplicate::Longest => std::cmp::Ordering::Equal,
            KeepDuplicate::Field { highest, .. } => match (value(a), value(b)) {
                (Some(u), Some(v)) if *highest => v.order(u),
                (Some(u), Some(v)) => u.order(v),
                (u, v) => v.is_some().cmp(&u.is_some()),
            },
        };
        earlier_first
            .then(by_field)
            .then(y.words.cmp(&x.words))
            .then_with(|| x.id.cmp(&y.id))
            .then(a.cmp(&b))
    });

    // Nothing left to compare (its cleaning removed every line): no evidence that it copies
    // anything, and every such page would be an "exact copy" of every other.
    rank.retain(|&d| docs[d as usize].words > 0);
    let (indexed, copies) = exact_copies(docs, &rank, earlier);
    drop(rank);

    let floor = trigram_floor(threshold);
    let banding = Banding::for_threshold(floor, DOC_PERMS);
    // The signatures are read from the store a few bands at a time: each document's position
    // among the indexed ones, or none.
    let mut position = vec![u32::MAX; docs.len()];
    for (i, &d) in indexed.iter().enumerate() {
        position[d as usize] = i as u32;
    }
    let candidates = banding.candidates_from(indexed.len(), |bands, out| {
        sets.for_each_signature(&mut |d, signature| {
            let i = position[d as usize];
            if i != u32::MAX {
                for (&band, keys) in bands.iter().zip(out.iter_mut()) {
                    keys.push((banding.band_key(signature, band), i));
                }
            }
        })
    })?;
    drop(position);
    // Pairs whose signatures say they are far apart are not worth reading the sets of. Two
    // documents that earlier runs both kept are not copies at these settings.
    let by_first: Vec<&[(u32, u32)]> = candidates.chunk_by(|a, b| a.0 == b.0).collect();
    let kept: Vec<Vec<(u32, u32)>> = by_first
        .par_iter()
        .map(|pairs| -> std::io::Result<Vec<(u32, u32)>> {
            let a = indexed[pairs[0].0 as usize];
            let first = sets.signature(a)?;
            let mut near = Vec::new();
            for &(i, j) in pairs.iter() {
                let b = indexed[j as usize];
                if a >= earlier && b >= earlier {
                    continue;
                }
                if estimate(&first, &sets.signature(b)?) >= floor - ESTIMATE_MARGIN {
                    near.push((i, j));
                }
            }
            Ok(near)
        })
        .collect::<std::io::Result<_>>()?;
    let candidates: Vec<(u32, u32)> = kept.into_iter().flatten().collect();

    // The most complete unassigned document keeps every unassigned duplicate of its own,
    // verified on the exact sets.
    let sets_of = |i: u32| sets.get(docs[indexed[i as usize] as usize].sets);
    let stars = verified_stars(indexed.len(), &candidates, sets_of, threshold, |v| v)?;

    let mut clusters = Vec::new();
    for (i, near) in stars {
        let kept = indexed[i as usize];
        let exact = |d: u32| Member {
            doc: d,
            jaccard: 1.0,
            containment: 1.0,
            measure: "exact",
            duplicate: true,
        };
        let mut members: Vec<Member> = copies
            .get(&kept)
            .into_iter()
            .flatten()
            .map(|&d| exact(d))
            .collect();
        for (j, v) in near {
            let d = indexed[j as usize];
            let near = |doc: u32| Member {
                doc,
                jaccard: v.jaccard,
                containment: v.containment,
                measure: v.measure,
                duplicate: true,
            };
            members.push(near(d));
            members.extend(copies.get(&d).into_iter().flatten().map(|&c| near(c)));
        }
        if members.is_empty() {
            continue;
        }
        members.sort_by_key(|m| m.doc);
        let k = &docs[kept as usize];
        let tie = members
            .iter()
            .any(|m| docs[m.doc as usize].words == k.words);
        let reason = match (keep, value(kept)) {
            _ if kept >= earlier => {
                format!("kept by an earlier run ({} words; --index)", k.words)
            }
            (KeepDuplicate::First, _) => format!(
                "first in input order ({} words; --keep-duplicate first)",
                k.words
            ),
            (KeepDuplicate::Field { name, highest }, Some(v)) => format!(
                "{} {name} ({v}; --keep-duplicate {keep}); {} words",
                if *highest { "highest" } else { "lowest" },
                k.words
            ),
            (KeepDuplicate::Field { name, .. }, None) => format!(
                "most complete cleaned text ({} words); no member has {name}",
                k.words
            ),
            _ if tie => {
                format!(
                "most complete cleaned text ({} words, shared with another member); first by id",
                k.words
            )
            }
            _ => format!("most complete cleaned text ({} words)", k.words),
        };
        clusters.push(DocCluster {
            kept,
            members,
            reason,
        });
    }
    clusters.sort_by_key(|c| c.kept);
    Ok(clusters)
}

/// The documents of `rank` (in preference order) that are not exact copies of one ranked before
/// them, in that order; and the copies of each, by the document they copy. Sorting by hash takes
/// 4 bytes a document where a table of hashes took 40.
fn exact_copies(
    docs: &[IndexedDoc],
    rank: &[u32],
    earlier: u32,
) -> (Vec<u32>, HashMap<u32, Vec<u32>>) {
    let mut by_hash: Vec<u32> = (0..rank.len() as u32).collect();
    by_hash.sort_unstable_by_key(|&p| (docs[rank[p as usize] as usize].exact, p));
    let mut is_copy = vec![false; rank.len()];
    let mut copies: HashMap<u32, Vec<u32>> = HashMap::new();
    for same in by_hash.chunk_by(|&p, &q| {
        docs[rank[p as usize] as usize].exact == docs[rank[q as usize] as usize].exact
    }) {
        let first = rank[same[0] as usize];
        for &p in &same[1..] {
            let d = rank[p as usize];
            // Two that earlier runs both kept stay apart, as they were (they rank first).
            if d >= earlier {
                continue;
            }
            is_copy[p as usize] = true;
            copies.entry(first).or_default().push(d);
        }
    }
    let indexed = rank
        .iter()
        .zip(&is_copy)
        .filter(|&(_, &copy)| !copy)
        .map(|(&d, _)| d)
        .collect();
    (indexed, copies)
}

/// For each document: its cluster and whether it is a duplicate, from clusters numbered in order.
pub(super) fn doc_of(n_docs: usize, clusters: &[DocCluster]) -> DocOf {
    let mut doc_of = vec![None; n_docs];
    for (n, c) in clusters.iter().enumerate() {
        doc_of[c.kept as usize] = Some((n as u32, false));
        for m in &c.members {
            doc_of[m.doc as usize] = Some((n as u32, m.duplicate));
        }
    }
    doc_of
}
