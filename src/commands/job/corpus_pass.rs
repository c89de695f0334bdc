//! The corpus pass: before any document is cleaned, every document is read (through the same
//! reader as the main pass) and its lines, and rare words when repair runs, are counted per site.
//! When normalize runs, the lines counted are those normalize will leave, the lines boilerplate
//! and dedup look up: normalize joins lines broken by hard wrapping, and a template line joined to
//! its neighbour must be counted as it will be seen. The documents it normalizes are kept, as far
//! as a budget allows, for the main pass to take rather than normalize them again.

use super::normalized::{NormalizedCache, NormalizedDocs};
use crate::config::{Settings, Step};
use crate::console::Console;
use crate::corpus::CorpusStats;
use crate::document::Document;
use crate::pipeline::{FirstStageResult, Pipeline};
use crate::read::{Item, PageCache, Reader, Source, PAGE_CACHE_BUDGET};
use crate::stages::StageOptions;
use rayon::prelude::*;
use std::path::Path;
use std::sync::Arc;

/// Whether the steps need the corpus pass.
pub(in crate::commands) fn wants_corpus(settings: &Settings) -> bool {
    [Step::Boilerplate, Step::Repair, Step::Dedup]
        .iter()
        .any(|s| settings.steps.contains(s))
}

/// Whether a cleaning stage needs the corpus's statistics before it runs (dedup alone can count
/// its template lines as the documents flow).
pub(super) fn stages_want_corpus(settings: &Settings) -> bool {
    [Step::Boilerplate, Step::Repair]
        .iter()
        .any(|s| settings.steps.contains(s))
}

/// The corpus pass: line counts per site, and rare words when repair runs.
pub(in crate::commands) fn corpus_stats(
    settings: &Settings,
    options: &StageOptions,
    sources: &[Source],
    console: &Console,
) -> Arc<CorpusStats> {
    corpus_pass(settings, options, sources, None, console).0
}

/// What the corpus pass leaves for the main pass: the statistics, the documents it normalized
/// and the pages it read.
pub(super) type CorpusPass = (Arc<CorpusStats>, Option<NormalizedDocs>, Option<PageCache>);

/// [`corpus_stats`], also keeping the documents it normalizes (spilled to `spill_dir`) and the
/// pages it reads for the main pass, when there is one.
pub(super) fn corpus_pass(
    settings: &Settings,
    options: &StageOptions,
    sources: &[Source],
    spill_dir: Option<&Path>,
    console: &Console,
) -> CorpusPass {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .expect("thread pool");
    let rare_words = settings.steps.contains(&Step::Repair);
    let normalize = settings
        .steps
        .contains(&Step::Normalize)
        .then(|| Pipeline::new(&[Step::Normalize], options));
    let cache = spill_dir
        .filter(|_| normalize.is_some())
        .map(|dir| NormalizedCache::create_in(dir, sources.len()));
    let pages = spill_dir.map(|_| PageCache::new(PAGE_CACHE_BUDGET));
    let reader = Reader {
        sources,
        text_field: &settings.text_field,
        id_field: &settings.id_field,
        html_field: settings.html_field.as_deref(),
        pages: pages.as_ref(),
        keep_fields: false,
    };
    let stats = pool.install(|| {
        (0..sources.len())
            .into_par_iter()
            .filter(|&src| !sources[src].is_stdin())
            .map(|src| {
                let counted = || console.document_done(crate::read::bytes_read());
                count_source(
                    &reader,
                    src,
                    rare_words,
                    normalize.as_ref(),
                    cache.as_ref(),
                    counted,
                )
            })
            .reduce(|| CorpusStats::new(rare_words), CorpusStats::merge)
    });
    if let Some(pages) = &pages {
        pages.stop_filling();
    }
    (Arc::new(stats), cache.map(NormalizedCache::finish), pages)
}

/// Counts every document of one source. Unreadable ones are left to the main pass to report; a
/// JSON Lines file is read up to its first unreadable line.
fn count_source(
    reader: &Reader,
    src: usize,
    rare_words: bool,
    normalize: Option<&Pipeline>,
    cache: Option<&NormalizedCache>,
    counted: impl Fn(),
) -> CorpusStats {
    let mut stats = CorpusStats::new(rare_words);
    // A cache that cannot be written only costs the main pass a second normalization.
    let mut keep = cache;
    if crate::interrupt::requested() {
        return stats;
    }
    reader.items_of(src, |item| {
        let record = match item {
            Item::TextFile { src } => reader.text_file(src),
            Item::JsonLine { src, line } => {
                if crate::interrupt::requested() {
                    return false;
                }
                reader.json_line(src, line)
            }
            Item::Unreadable { .. } => return false,
            _ => return true,
        };
        let Ok(record) = record else { return true };
        counted();
        crate::interrupt::checkpoint("corpus");
        let Some(normalize) = normalize else {
            stats.add_document(&record.site, &record.text);
            return true;
        };
        // What the main pass checks it is taking the same document by.
        let input = keep
            .filter(|cache| cache.may_keep(record.text.len()))
            .map(|_| NormalizedCache::input_key(&record.text));
        // The text is moved into the document normalize works on, never copied (a huge document
        // would be held twice or three times).
        let normalized =
            crate::isolate::catch(|| normalize.process(Document::from_string("", record.text)));
        // A document that breaks a rule is not counted; the main pass meets the same bug and
        // reports the document failed.
        let Ok(out) = normalized else { return true };
        stats.add_lines(&record.site, out.doc.lines.iter().map(|l| l.text.as_str()));
        if let (Some(cache), Some(input)) = (keep, input) {
            let first = FirstStageResult {
                lines: out.doc.lines,
                edits: out.edits,
                took: out.timings.first().map(|t| t.1).unwrap_or_default(),
            };
            let number = record.line.unwrap_or(0);
            if cache.put(src, number, input, &first).is_err() {
                keep = None;
            }
        }
        true
    });
    stats
}
