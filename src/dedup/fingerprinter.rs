//! The per-document half of the dedup step: what it keeps of each cleaned document as the
//! documents flow, to be clustered once the whole corpus has been seen.

use super::fingerprint::Fingerprint;
use super::scan::Scan;
use crate::corpus::CorpusStats;
use crate::document::Document;
use crate::pipeline::Pipeline;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The step's name, as `crate::config::Step::Dedup` says it, for what a bug met in it is told as.
pub(super) const STEP: &str = "dedup";

/// What dedup keeps of one document.
#[derive(Debug, Clone)]
pub enum Print {
    /// Its fingerprint, template lines known.
    Done(Fingerprint),
    /// Its scan, to be finished once the whole corpus has been counted (a run with no corpus pass):
    /// the hash of its site ([`crate::corpus::site_key`]) and the scan, with its lines' keys.
    Scanned { site: u64, scan: Scan },
}

/// A document's print, the text it was made from when that is not the document's own, and the
/// time it took.
pub struct Fingerprinted {
    pub print: Print,
    /// The text dedup compared, when it is not the output text (`thresh dedup` with cleaning
    /// steps after normalize).
    pub view_text: Option<String>,
    pub took: Duration,
}

/// Makes the print of each document.
pub struct Fingerprinter {
    /// Stages whose result only dedup sees: `thresh dedup` writes normalized text, but compares
    /// documents without their boilerplate, so a shared template never makes two pages alike.
    pub view: Option<Pipeline>,
    /// Line frequencies per site: dedup leaves a site's template lines out of its comparisons.
    pub corpus_stats: Option<Arc<CorpusStats>>,
    /// Dedup learns the corpus's template lines only after this pass (there is no corpus pass):
    /// documents are scanned, with their lines' keys, and finished later.
    pub defer_templates: bool,
    /// Whether passages will be looked for: the span finder's grams are taken only then.
    pub spans: bool,
}

impl Fingerprinter {
    fn without_spans(&self, scan: Scan) -> Scan {
        if self.spans {
            scan
        } else {
            scan.without_spans()
        }
    }

    pub fn fingerprint(&self, doc: &Document) -> Fingerprinted {
        crate::isolate::at(STEP);
        crate::isolate::fault_point(STEP, || doc.text());
        let start = Instant::now();
        let view = self.view.as_ref().map(|view| {
            let doc = view.process(doc.clone()).doc;
            // The view's stages said which of them was running: a bug met from here on is dedup's.
            crate::isolate::at(STEP);
            doc
        });
        let compared = view.as_ref().unwrap_or(doc);
        let print = if self.defer_templates {
            Print::Scanned {
                site: crate::corpus::site_key(&doc.site),
                scan: self.without_spans(Scan::of(compared, true)),
            }
        } else {
            // A line the site repeats on many pages (a long newsletter or disclaimer paragraph
            // that boilerplate left alone) says nothing about which article a page carries.
            let site = self
                .corpus_stats
                .as_ref()
                .map(|stats| stats.site(&doc.site));
            let is_template = |line: &str| site.as_ref().is_some_and(|s| s.is_template(line));
            let scan = self.without_spans(Scan::of(compared, false));
            // `i` is a line of the scan of this very document.
            Print::Done(scan.finish(|i, _| is_template(&compared.lines[i].text)))
        };
        Fingerprinted {
            print,
            view_text: view.map(|v| v.text()),
            took: start.elapsed(),
        }
    }
}
