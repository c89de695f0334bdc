//! Passages: spans of text that kept documents share ([`spans`](super::spans)), gathered around
//! their first occurrence in input order, the source; later copies are what `--passages drop`
//! removes. And the documents made mostly of earlier documents' spans: partial duplicates.

use super::clusters::{DocCluster, Member, PassageCluster};
use super::index::{IndexedDoc, TextSource};
use super::spans::{self, GramPrint, Occurrence, SharedSpan, Word};
use rayon::prelude::*;
use std::collections::{HashMap, VecDeque};
use std::io;
use std::sync::{Arc, Mutex};

/// Passage clusters of the documents for which `kept` holds: their spans at least `min` long. Texts are read from `texts`: each later document of a pair
/// once, and its sources (few: a passage's earliest documents) through a cache.
pub(super) fn cluster(
    docs: &[IndexedDoc],
    kept: &[bool],
    min: spans::MinSpan,
    texts: &dyn TextSource,
) -> io::Result<Vec<PassageCluster>> {
    let prints: Vec<&[GramPrint]> = docs
        .iter()
        .zip(kept)
        .map(|(d, &k)| if k { d.grams() } else { &[] })
        .collect();
    // Grouped by the later document, then the earlier: each copy's text is read once.
    let candidates = spans::candidate_spans(&prints, spans::MAX_DOCS);
    let sources = SourceWords::default();
    let by_copy: Vec<&[SharedSpan]> = candidates.chunk_by(|x, y| x.b == y.b).collect();
    let found: Vec<Vec<SharedSpan>> = by_copy
        .par_iter()
        .map(|group| -> io::Result<Vec<SharedSpan>> {
            let b = words_of(texts, group[0].b)?;
            let mut out = Vec::new();
            for pair in group.chunk_by(|x, y| x.a == y.a) {
                let a = sources.get(texts, pair[0].a)?;
                out.extend(spans::verify(pair, &a, &b, min));
            }
            Ok(out)
        })
        .collect::<io::Result<_>>()?;
    let shared: Vec<SharedSpan> = found.into_iter().flatten().collect();
    Ok(spans::clusters(&shared)
        .into_iter()
        .filter_map(|members| {
            without_site_templates(docs, members).map(|members| PassageCluster { members })
        })
        .collect())
}

/// The occurrences of a passage less those on the pages of a site that holds it on
/// [`TEMPLATE_MIN_DOCS_LONG`](crate::corpus::TEMPLATE_MIN_DOCS_LONG) pages or more: there it
/// is the site's template (an author's box, an advertising block whose links vary), boilerplate
/// rather than a copy, as a paragraph is for the corpus counts. `None` if fewer than two are
/// left; the first left is the source.
fn without_site_templates(
    docs: &[IndexedDoc],
    mut members: Vec<Occurrence>,
) -> Option<Vec<Occurrence>> {
    let site = |m: &Occurrence| docs[m.doc as usize].site();
    // Pages, not occurrences: one page may hold two copies.
    let mut sites: Vec<(u64, u32)> = members
        .iter()
        .map(|m| (site(m), m.doc))
        .filter(|&(s, _)| s != 0)
        .collect();
    sites.sort_unstable();
    sites.dedup();
    let sites: Vec<u64> = sites.into_iter().map(|(s, _)| s).collect();
    let templates: Vec<u64> = sites
        .chunk_by(|a, b| a == b)
        .filter(|same| same.len() >= crate::corpus::TEMPLATE_MIN_DOCS_LONG as usize)
        .map(|same| same[0])
        .collect();
    if !templates.is_empty() {
        members.retain(|m| !templates.contains(&site(m)));
        if let Some(source) = members.first_mut() {
            source.similarity = 1.0;
        }
    }
    (members.len() >= 2).then_some(members)
}

fn words_of(texts: &dyn TextSource, doc: u32) -> io::Result<Vec<Word>> {
    Ok(spans::words(&texts.text(doc)?))
}

/// The words of source documents, kept while they fit a budget: a passage's earliest documents
/// are the sources of most of its copies, and reading and splitting a text costs more than
/// comparing it.
#[derive(Default)]
struct SourceWords(Mutex<SourceCache>);

#[derive(Default)]
struct SourceCache {
    words: HashMap<u32, Arc<Vec<Word>>>,
    /// In the order they came in: the oldest goes first when the budget is spent.
    order: VecDeque<u32>,
    held: usize,
}

/// Words held by the cache at most: 48 MiB.
const SOURCE_WORDS_BUDGET: usize = (48 << 20) / std::mem::size_of::<Word>();

impl SourceWords {
    fn get(&self, texts: &dyn TextSource, doc: u32) -> io::Result<Arc<Vec<Word>>> {
        let held = self.lock().words.get(&doc).cloned();
        if let Some(words) = held {
            return Ok(words);
        }
        // Read outside the lock: two threads may both read a source, never wait for each other.
        let words = Arc::new(words_of(texts, doc)?);
        let mut cache = self.lock();
        if cache.words.insert(doc, words.clone()).is_none() {
            cache.held += words.len();
            cache.order.push_back(doc);
        }
        while cache.held > SOURCE_WORDS_BUDGET && cache.order.len() > 1 {
            let oldest = cache.order.pop_front().expect("more than one held");
            let gone = cache.words.remove(&oldest).map_or(0, |w| w.len());
            cache.held -= gone;
        }
        Ok(words)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SourceCache> {
        // A panic while holding the lock leaves a consistent map (no call in it panics midway).
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A document whose words are this much covered by copies of earlier documents' spans is
/// reported as a partial duplicate (an answer pasted together from a source), whatever
/// `--containment` says: "mostly made of other documents".
pub const PARTIAL_REPORTED: f64 = 0.5;

/// Add to `documents` the kept documents that are mostly later copies of passages: each joins the
/// cluster of the source that most of its copied words come from (a new cluster around that
/// source if it has none), with its containment: the share of its words (template lines too) in
/// copies. It is a
/// duplicate when that reaches `containment`. Documents already in a cluster are left there.
/// Returns the clusters sorted by their kept document.
pub(super) fn partial_duplicates(
    docs: &[IndexedDoc],
    mut documents: Vec<DocCluster>,
    passages: &[PassageCluster],
    containment: Option<f64>,
) -> Vec<DocCluster> {
    let reported = containment.map_or(PARTIAL_REPORTED, |t| t.min(PARTIAL_REPORTED));
    // Every later copy: (copy's document, words, source document, similarity).
    let mut copies: Vec<(u32, std::ops::Range<u32>, u32, f64)> = passages
        .iter()
        .flat_map(|c| {
            let source = c.members[0].doc;
            c.members[1..]
                .iter()
                .map(move |m| (m.doc, m.words.clone(), source, m.similarity))
        })
        .collect();
    copies.sort_by_key(|x| (x.0, x.1.start));
    let mut in_cluster: Vec<Option<usize>> = vec![None; docs.len()];
    for (n, c) in documents.iter().enumerate() {
        in_cluster[c.kept as usize] = Some(n);
        for m in &c.members {
            in_cluster[m.doc as usize] = Some(n);
        }
    }
    for group in copies.chunk_by(|x, y| x.0 == y.0) {
        let doc = group[0].0;
        // Counted against the whole compared text: spans reach into template lines, which the
        // document's comparable words leave out.
        let words = docs[doc as usize].text_words();
        if in_cluster[doc as usize].is_some() || docs[doc as usize].words == 0 || words == 0 {
            continue;
        }
        // Words covered by copies (they may overlap), and how many of them each source gave.
        let (mut covered, mut reach) = (0u32, 0u32);
        let mut by_source: Vec<(u32, u32)> = Vec::new();
        let (mut weighted, mut total) = (0.0, 0u32);
        for (_, r, source, similarity) in group {
            let new = r.end.saturating_sub(r.start.max(reach));
            covered += new;
            reach = reach.max(r.end);
            match by_source.iter_mut().find(|(s, _)| s == source) {
                Some((_, n)) => *n += r.len() as u32,
                None => by_source.push((*source, r.len() as u32)),
            }
            weighted += similarity * r.len() as f64;
            total += r.len() as u32;
        }
        let share = (f64::from(covered) / f64::from(words)).min(1.0);
        if share < reported {
            continue;
        }
        // The source most words come from; the earlier of equals.
        let (source, _) = by_source
            .iter()
            .copied()
            .max_by_key(|&(s, n)| (n, std::cmp::Reverse(s)))
            .expect("a group is never empty");
        let member = Member {
            doc,
            jaccard: weighted / f64::from(total.max(1)),
            containment: share,
            measure: "spans",
            duplicate: containment.is_some_and(|t| share >= t),
        };
        let n = match in_cluster[source as usize] {
            Some(n) => n,
            None => {
                documents.push(DocCluster {
                    kept: source,
                    members: Vec::new(),
                    reason: "the source of the passages its members copy".into(),
                });
                in_cluster[source as usize] = Some(documents.len() - 1);
                documents.len() - 1
            }
        };
        documents[n].members.push(member);
        in_cluster[doc as usize] = Some(n);
    }
    for c in &mut documents {
        c.members.sort_by_key(|m| m.doc);
    }
    documents.sort_by_key(|c| c.kept);
    documents
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc_on(site: u64) -> IndexedDoc {
        IndexedDoc {
            id: "x".into(),
            words: 100,
            exact: 0,
            sets: 0,
            spans: Some(Box::new(super::super::index::SpanPrint {
                text_words: 100,
                grams: Box::new([]),
                origins: Box::new([]),
                site,
            })),
        }
    }

    fn at(doc: u32, start: u32) -> Occurrence {
        Occurrence {
            doc,
            words: start..start + 40,
            bytes: 0..0,
            similarity: 0.9,
        }
    }

    #[test]
    fn a_passage_on_three_pages_of_one_site_is_its_template_and_pages_count_not_copies() {
        // Pages 0-2 on site 7, page 3 on site 9.
        let docs = [7, 7, 7, 9].map(doc_on);
        // Three pages of site 7: its template; the other site's copy alone is no passage.
        let template = vec![at(0, 0), at(1, 0), at(2, 0), at(3, 0)];
        assert_eq!(without_site_templates(&docs, template), None);
        // Two copies on page 1 make two pages of site 7, not three: a passage.
        let kept = vec![at(0, 0), at(1, 0), at(1, 80), at(3, 0)];
        let left = without_site_templates(&docs, kept.clone()).unwrap();
        assert_eq!(left, kept);
    }
}
