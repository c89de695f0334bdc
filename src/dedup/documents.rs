//! Clustering documents: exact copies by hash, near copies by LSH candidates verified on the text,
//! then greedy star clusters around the most complete document.

use super::clusters::{DocCluster, Member};
use super::fingerprint::DOC_PERMS;
use super::index::{IndexedDoc, SetStore};
use super::lsh::Banding;
use super::minhash::estimate;
use super::verify::{trigram_floor, verified_stars};
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
    sets: &dyn SetStore,
) -> std::io::Result<Vec<DocCluster>> {
    // Preference order: what earlier runs kept (already written: their copy stays the one kept),
    // then most words first, then by id, then input order.
    let mut rank: Vec<u32> = (0..docs.len() as u32).collect();
    rank.sort_by(|&a, &b| {
        let (x, y) = (&docs[a as usize], &docs[b as usize]);
        (b >= earlier)
            .cmp(&(a >= earlier))
            .then(y.words.cmp(&x.words))
            .then_with(|| x.id.cmp(&y.id))
            .then(a.cmp(&b))
    });

    // Exact copies follow the first of their kind in preference order; only that one is indexed.
    let mut first_with: HashMap<u128, u32> = HashMap::new();
    let mut copies: HashMap<u32, Vec<u32>> = HashMap::new();
    let mut indexed: Vec<u32> = Vec::new();
    for &d in &rank {
        // Nothing left to compare (its cleaning removed every line): no evidence that it copies
        // anything, and every such page would be an "exact copy" of every other.
        if docs[d as usize].words == 0 {
            continue;
        }
        match first_with.entry(docs[d as usize].exact) {
            // (Two that earlier runs both kept stay apart, as they were.)
            std::collections::hash_map::Entry::Occupied(e) if d >= earlier => {
                debug_assert!(*e.get() >= earlier, "earlier runs' documents rank first");
                indexed.push(d);
            }
            std::collections::hash_map::Entry::Occupied(e) => {
                copies.entry(*e.get()).or_default().push(d)
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(d);
                indexed.push(d);
            }
        }
    }

    let floor = trigram_floor(threshold);
    let banding = Banding::for_threshold(floor, DOC_PERMS);
    let signatures: Vec<&[u16]> = indexed
        .iter()
        .map(|&d| &*docs[d as usize].signature)
        .collect();
    let candidates: Vec<(u32, u32)> = banding
        .candidates(&signatures)
        .into_iter()
        .filter(|&(i, j)| {
            // Two documents that earlier runs both kept are not copies at these settings.
            let both_earlier = indexed[i as usize] >= earlier && indexed[j as usize] >= earlier;
            !both_earlier
                && estimate(signatures[i as usize], signatures[j as usize])
                    >= floor - ESTIMATE_MARGIN
        })
        .collect();

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
        let reason = if kept >= earlier {
            format!("kept by an earlier run ({} words; --index)", k.words)
        } else if tie {
            format!(
                "most complete cleaned text ({} words, shared with another member); first by id",
                k.words
            )
        } else {
            format!("most complete cleaned text ({} words)", k.words)
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
