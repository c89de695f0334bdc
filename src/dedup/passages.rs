//! Clustering passages (cleaned lines of a useful length) that recur across kept documents. The
//! first occurrence in input order is the one that stays; later copies are what
//! `--passages drop` removes.

use super::lsh::Banding;
use super::minhash::estimate;
use super::verify::{trigram_floor, verdict, Shingled, Verdict};
use super::{Entry, PassageCluster, PassageEntry, PassageMember, TextSource, PASSAGE_PERMS};
use rayon::prelude::*;

/// 32-value estimates are rough: a wide margin, since verification decides anyway.
const ESTIMATE_MARGIN: f64 = 0.25;

pub(super) fn cluster(
    passages: &[PassageEntry],
    docs: &[Entry],
    kept: &[bool],
    threshold: f64,
    texts: &dyn TextSource,
) -> std::io::Result<Vec<PassageCluster>> {
    let live: Vec<&PassageEntry> = passages.iter().filter(|p| kept[p.doc as usize]).collect();
    let floor = trigram_floor(threshold);
    let signatures: Vec<&[u16]> = live.iter().map(|p| &*p.signature).collect();
    let candidates: Vec<(u32, u32)> = Banding::for_threshold(floor, PASSAGE_PERMS)
        .candidates(&signatures)
        .into_iter()
        .filter(|&(i, j)| live[i as usize].doc != live[j as usize].doc)
        .filter(|&(i, j)| estimate(signatures[i as usize], signatures[j as usize]) >= floor - ESTIMATE_MARGIN)
        .collect();

    let passage_text = |p: &PassageEntry| -> std::io::Result<String> {
        let text = texts.text(docs[p.doc as usize].location)?;
        Ok(super::line(&text, p.line_index).to_string())
    };
    let groups: Vec<&[(u32, u32)]> = candidates.chunk_by(|a, b| a.0 == b.0).collect();
    let verified: Vec<Vec<(u32, u32, Verdict)>> = groups
        .par_iter()
        .map(|group| -> std::io::Result<Vec<(u32, u32, Verdict)>> {
            let i = group[0].0;
            let same = Verdict { jaccard: 1.0, containment: 1.0, duplicate: true, measure: "exact" };
            let mut a = None;
            let mut out = Vec::new();
            for &(_, j) in group.iter() {
                let v = if live[i as usize].exact == live[j as usize].exact {
                    same
                } else {
                    if a.is_none() {
                        a = Some(Shingled::new(&passage_text(live[i as usize])?));
                    }
                    let a = a.as_ref().expect("set above");
                    verdict(a, &Shingled::new(&passage_text(live[j as usize])?), threshold)
                };
                if v.duplicate {
                    out.push((i, j, v));
                }
            }
            Ok(out)
        })
        .collect::<std::io::Result<_>>()?;

    // In input order: the first occurrence gathers its later copies.
    let member = |p: &PassageEntry, jaccard: f64| PassageMember { doc: p.doc, line_index: p.line_index, origin: p.origin, jaccard };
    let clusters = super::stars(live.len(), verified.into_iter().flatten())
        .into_iter()
        .filter(|(_, copies)| !copies.is_empty())
        .map(|(i, copies)| {
            let mut members = vec![member(live[i as usize], 1.0)];
            members.extend(copies.into_iter().map(|(j, v)| member(live[j as usize], v.jaccard)));
            PassageCluster { members }
        })
        .collect();
    Ok(clusters)
}
