//! The first pass of a job with dedup: edits go to the report, documents are held, and prints
//! go to the dedup index (or, in a run without a corpus pass, scans wait to be finished into it).

use super::document::Event;
use super::held::{Held, HeldDoc, HeldDocs};
use super::output::OutputSink;
use crate::dedup::{Deferred, Index, Print};
use crate::engine::Sink;
use anyhow::Result;

pub(super) struct FirstPass<'s, 'a> {
    pub out: &'s mut OutputSink<'a>,
    pub held: HeldDocs,
    pub index: Index,
    /// The scans of a run without a corpus pass.
    pub deferred: Option<Deferred>,
}

impl Sink<Event> for FirstPass<'_, '_> {
    fn event(&mut self, event: Event) -> Result<()> {
        match event {
            Event::FileEnd(src) => self.held.push(&Held::End(src))?,
            Event::Doc(outcome) => {
                self.out.console.document_done(crate::read::bytes_read());
                self.out.add_work(&outcome.edits, &outcome.timings)?;
                self.out.tell(&outcome.report);
                let dedup_doc = match outcome.fingerprint {
                    None => None,
                    Some(Print::Done(print)) => Some(self.index.push(&outcome.report.id, print)?),
                    Some(Print::Scanned { site, scan }) => Some(
                        self.deferred
                            .as_mut()
                            .expect("a run that defers templates has somewhere to keep scans")
                            .push(&outcome.report.id, site, scan)?,
                    ),
                };
                if let (Some(doc), Some(value)) = (dedup_doc, outcome.field_value) {
                    self.index.set_field_value(doc, Some(value));
                }
                self.held.push(&Held::Doc(HeldDoc {
                    source: outcome.source,
                    report: outcome.report,
                    output: outcome.output,
                    dedup_text: outcome.dedup_text,
                    dedup_doc,
                }))?;
            }
        }
        Ok(())
    }
}
