//! Clustering passages (cleaned lines of a useful length) that recur across kept documents. The
//! first occurrence in input order is the one that stays; later copies are what
//! `--passages drop` removes.

use super::clusters::{PassageCluster, PassageMember};
use super::fingerprint::{lines, PassageSignature, PASSAGE_PERMS};
use super::index::{IndexedPassage, TextSource};
use super::lsh::Banding;
use super::minhash::estimate;
use super::verify::Shingled;
use super::verify::{trigram_floor, verified_stars};
use rayon::prelude::*;
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// 32-value estimates are rough: a wide margin, since verification decides anyway.
const ESTIMATE_MARGIN: f64 = 0.25;

pub(super) fn cluster(
    passages: &[IndexedPassage],
    stored: &[PassageSignature],
    kept: &[bool],
    threshold: f64,
    texts: &dyn TextSource,
) -> std::io::Result<Vec<PassageCluster>> {
    let live: Vec<&IndexedPassage> = passages.iter().filter(|p| kept[p.doc as usize]).collect();

    // Word-for-word copies (the common case: a syndicated paragraph, a site's long disclaimer)
    // follow the first of their kind, and only that one is compared with the others: a passage
    // on a thousand pages costs one entry in the index, not a thousand.
    let mut first_with: HashMap<u64, u32> = HashMap::new();
    let mut copies: HashMap<u32, Vec<u32>> = HashMap::new();
    let mut firsts: Vec<u32> = Vec::new();
    for (n, p) in live.iter().enumerate() {
        match first_with.entry(p.exact) {
            Entry::Occupied(e) => copies.entry(*e.get()).or_default().push(n as u32),
            Entry::Vacant(e) => {
                e.insert(n as u32);
                firsts.push(n as u32);
            }
        }
    }

    let first: Vec<&IndexedPassage> = firsts.iter().map(|&n| live[n as usize]).collect();
    let passage = |i: u32| first[i as usize];
    // The first of its kind among kept documents may be a later copy (its original is in a
    // duplicate document): it shares the original's signature.
    let signatures: Vec<&[u16]> = first
        .iter()
        .map(|p| &stored[p.signature as usize][..])
        .collect();
    let floor = trigram_floor(threshold);
    let candidates: Vec<(u32, u32)> = Banding::for_threshold(floor, PASSAGE_PERMS)
        .candidates(&signatures)
        .into_iter()
        .filter(|&(i, j)| passage(i).doc != passage(j).doc)
        .filter(|&(i, j)| {
            estimate(signatures[i as usize], signatures[j as usize]) >= floor - ESTIMATE_MARGIN
        })
        .collect();

    // Only the similarity is kept of each verified pair: repeated paragraphs can make millions.
    // The exact sets of the passages in candidate pairs, taken from their documents' texts: after
    // grouping word-for-word copies most passages are in no pair, and keeping the sets of every
    // passage from the start cost more than the whole of their verification.
    let wanted: Vec<u32> = candidates.iter().flat_map(|&(i, j)| [i, j]).collect();
    let mut sets: Vec<Option<Shingled>> = vec![None; first.len()];
    for (i, s) in from_lines(&wanted, &first, texts, Shingled::new)? {
        sets[i as usize] = Some(s);
    }
    let sets_of = |i: u32| -> std::io::Result<&Shingled> {
        Ok(sets[i as usize]
            .as_ref()
            .expect("every passage in a pair has its sets"))
    };
    let stars = verified_stars(firsts.len(), &candidates, sets_of, threshold, |v| {
        v.jaccard as f32
    })?;

    // In input order: the first occurrence gathers its later copies, word for word or near, in
    // other documents (a passage repeated within one document is that document's business).
    let member = |p: &IndexedPassage, jaccard: f64| PassageMember {
        doc: p.doc,
        line_index: p.line_index,
        origin: p.origin,
        jaccard,
    };
    let mut clusters = Vec::new();
    for (i, near) in stars {
        let centre = passage(i);
        let mut later = Vec::new();
        let mut add = |first: u32, jaccard: f64| {
            for &n in std::iter::once(&first).chain(copies.get(&first).into_iter().flatten()) {
                let p = live[n as usize];
                if p.doc != centre.doc {
                    later.push(member(p, jaccard));
                }
            }
        };
        add(firsts[i as usize], 1.0);
        for (j, v) in near {
            add(firsts[j as usize], f64::from(v));
        }
        if later.is_empty() {
            continue;
        }
        later.sort_by_key(|m| (m.doc, m.line_index));
        let mut members = vec![member(centre, 1.0)];
        members.extend(later);
        clusters.push(PassageCluster { members });
    }
    Ok(clusters)
}

/// `f` of the line of each passage `items` names (indexes into `passages`), read from its
/// document's text, each document once, in parallel.
fn from_lines<T: Send>(
    items: &[u32],
    passages: &[&IndexedPassage],
    texts: &dyn TextSource,
    f: impl Fn(&str) -> T + Sync,
) -> std::io::Result<Vec<(u32, T)>> {
    let mut items = items.to_vec();
    items.sort_unstable_by_key(|&i| (passages[i as usize].doc, i));
    items.dedup();
    let by_doc: Vec<&[u32]> = items
        .chunk_by(|&a, &b| passages[a as usize].doc == passages[b as usize].doc)
        .collect();
    let found: Vec<Vec<(u32, T)>> = by_doc
        .par_iter()
        .map(|group| -> std::io::Result<Vec<(u32, T)>> {
            // chunk_by gives no empty group; a line index past the text's lines gives "" below.
            let text = texts.text(passages[group[0] as usize].doc)?;
            let lines = lines(&text);
            Ok(group
                .iter()
                .map(|&i| {
                    (
                        i,
                        f(lines
                            .get(passages[i as usize].line_index as usize)
                            .copied()
                            .unwrap_or_default()),
                    )
                })
                .collect())
        })
        .collect::<std::io::Result<_>>()?;
    Ok(found.into_iter().flatten().collect())
}
