//! Documents the corpus pass normalized, kept for the main pass so that it does not normalize
//! them a second time.

use crate::document::{rule_name, Edit, Line};
use crate::pipeline::FirstStageResult;
use crate::store::{put_bytes, text_at, u32_at, Records};
use std::io;
use std::path::Path;

/// How much of its normalized documents the corpus pass keeps for the main pass.
pub const NORMALIZED_BUDGET: usize = 32 << 20;

/// Documents the corpus pass normalized, for the main pass to take instead of normalizing them a
/// second time. Each is kept with a hash of the text it was made from: a document the main pass
/// reads differently (decoded another way, say) is not taken, and is normalized anew.
///
/// They are held in memory, up to [`NORMALIZED_BUDGET`] bytes, and never spilled: past that, the
/// main pass normalizes documents again. Keeping a whole large corpus would cost as much disk
/// as the corpus, for about a tenth of a run.
pub struct NormalizedCache {
    /// The records, and how many bytes they hold.
    records: std::sync::Mutex<(Records, usize)>,
    budget: usize,
    /// Set when a document did not fit: nothing more is encoded or kept.
    full: std::sync::atomic::AtomicBool,
    /// For each source, (record number in the source, logged record), in record order.
    index: std::sync::Mutex<Vec<Vec<(u64, u32)>>>,
}

/// [`NormalizedCache`] once the corpus pass is over: read-only, shared by the main pass's threads.
pub struct NormalizedDocs {
    records: Records,
    index: Vec<Vec<(u64, u32)>>,
}

impl NormalizedCache {
    /// A cache for `sources` sources, held in memory up to [`NORMALIZED_BUDGET`] (`dir` is where a
    /// log would spill; this one never does).
    pub fn create_in(dir: &Path, sources: usize) -> NormalizedCache {
        NormalizedCache::with_budget(dir, sources, NORMALIZED_BUDGET)
    }

    fn with_budget(dir: &Path, sources: usize, budget: usize) -> NormalizedCache {
        NormalizedCache {
            records: std::sync::Mutex::new((Records::new(dir, budget), 0)),
            budget,
            full: std::sync::atomic::AtomicBool::new(false),
            index: std::sync::Mutex::new(vec![Vec::new(); sources]),
        }
    }

    /// Keep the normalization of record `number` of source `src`, made from `input`, if the
    /// budget allows. Records of one source must come in order.
    /// What a kept document is checked by: the hash and length of the text it was made from.
    pub fn input_key(text: &str) -> (u64, usize) {
        (xxhash_rust::xxh3::xxh3_64(text.as_bytes()), text.len())
    }

    /// Whether a document of `len` bytes could still be kept: one that could not is not even
    /// hashed or encoded.
    pub fn may_keep(&self, len: usize) -> bool {
        !self.full.load(std::sync::atomic::Ordering::Relaxed) && len <= self.budget
    }

    /// Keep a document's normalization; `input` is the hash and length of the text it was made
    /// from.
    pub fn put(
        &self,
        src: usize,
        number: u64,
        input: (u64, usize),
        normalized: &FirstStageResult,
    ) -> io::Result<()> {
        if !self.may_keep(input.1) {
            return Ok(());
        }
        let FirstStageResult { lines, edits, took } = normalized;
        let mut buf = Vec::with_capacity(input.1 + 64);
        buf.extend_from_slice(&input.0.to_le_bytes());
        buf.extend_from_slice(&(took.as_nanos() as u64).to_le_bytes());
        buf.extend_from_slice(&(lines.len() as u32).to_le_bytes());
        for line in lines {
            buf.extend_from_slice(&line.origin.to_le_bytes());
            put_bytes(&mut buf, line.text.as_bytes());
        }
        buf.extend_from_slice(&(edits.len() as u32).to_le_bytes());
        for edit in edits {
            put_bytes(&mut buf, edit.rule.as_bytes());
            put_bytes(&mut buf, edit.before.as_bytes());
            put_bytes(&mut buf, edit.after.as_bytes());
            buf.extend_from_slice(&edit.line.to_le_bytes());
            buf.extend_from_slice(&edit.count.to_le_bytes());
        }
        let record = {
            let (records, kept) = &mut *self.records.lock().expect("normalized cache lock");
            if *kept + buf.len() > self.budget {
                self.full.store(true, std::sync::atomic::Ordering::Relaxed);
                return Ok(());
            }
            *kept += buf.len();
            records.push(&buf)? as u32
        };
        self.index.lock().expect("normalized cache lock")[src].push((number, record));
        Ok(())
    }

    pub fn finish(self) -> NormalizedDocs {
        NormalizedDocs {
            records: self.records.into_inner().expect("normalized cache lock").0,
            index: self.index.into_inner().expect("normalized cache lock"),
        }
    }
}

impl NormalizedDocs {
    /// The normalization (edits of stage `stage`, for document `doc`) of record `number` of
    /// source `src`, if the corpus pass kept it and made it from this same `input`.
    pub fn take(
        &self,
        src: usize,
        number: u64,
        input: &str,
        doc: &str,
        stage: &'static str,
    ) -> Option<FirstStageResult> {
        let index = self.index.get(src)?;
        let at = index.binary_search_by_key(&number, |&(n, _)| n).ok()?;
        let hash = xxhash_rust::xxh3::xxh3_64(input.as_bytes());
        self.records
            .with(u64::from(index[at].1), |bytes| {
                decode_normalized(bytes, hash, doc, stage)
            })
            .ok()
            .flatten()
    }
}

fn decode_normalized(
    bytes: &[u8],
    hash: u64,
    doc: &str,
    stage: &'static str,
) -> Option<FirstStageResult> {
    let (head, mut rest) = bytes.split_at_checked(16)?;
    if u64::from_le_bytes(head[..8].try_into().ok()?) != hash {
        return None;
    }
    let took = std::time::Duration::from_nanos(u64::from_le_bytes(head[8..].try_into().ok()?));
    let lines = (0..u32_at(&mut rest)?)
        .map(|_| {
            let origin = u32_at(&mut rest)?;
            Some(Line {
                text: text_at(&mut rest)?,
                origin,
            })
        })
        .collect::<Option<Vec<Line>>>()?;
    let edits = (0..u32_at(&mut rest)?)
        .map(|_| {
            let rule = rule_name(&text_at(&mut rest)?);
            let (before, after) = (text_at(&mut rest)?, text_at(&mut rest)?);
            let (line, count) = (u32_at(&mut rest)?, u32_at(&mut rest)?);
            Some(Edit {
                doc: doc.to_string(),
                stage,
                rule,
                before,
                after,
                line,
                count,
                // The first stage's rules match; none gives evidence.
                evidence: None,
            })
        })
        .collect::<Option<Vec<Edit>>>()?;
    Some(FirstStageResult { lines, edits, took })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalized_documents_are_taken_back_as_normalize_made_them() {
        use crate::config::Step;
        use crate::document::Document;
        use crate::pipeline::Pipeline;
        use crate::stages::stage::Stage;
        let sample = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/001_206df7d775313010.txt"
        ))
        .unwrap();
        let texts = [
            "The cafÃ© opens at nine.\r\nIt serves tea &amp; cake.\n\n\n\nA line broken by the\nPDF extractor goes on.".to_string(),
            "Already clean text.\n\nTwo paragraphs.".to_string(),
            sample,
        ];
        let dir = tempfile::tempdir().unwrap();
        let cache = NormalizedCache::create_in(dir.path(), 2);
        for (n, text) in texts.iter().enumerate() {
            let out =
                crate::stages::normalize::Normalize::default().run(Document::from_text("", text));
            let normalized = FirstStageResult {
                lines: out.doc.lines,
                edits: out.edits,
                took: std::time::Duration::from_micros(7),
            };
            cache
                .put(
                    1,
                    n as u64 + 1,
                    NormalizedCache::input_key(text),
                    &normalized,
                )
                .unwrap();
        }
        let docs = cache.finish();
        let pipeline = Pipeline::new(&[Step::Normalize, Step::Boilerplate], &Default::default());
        let take = |n: u64, text: &str| docs.take(1, n, text, "d", "normalize");
        for (n, text) in texts.iter().enumerate() {
            let direct = pipeline.process(Document::from_text("d", text));
            let taken = take(n as u64 + 1, text);
            assert!(taken.is_some(), "document {n} is taken");
            let replayed = pipeline.resume(Document::from_text("d", text), taken);
            assert_eq!(
                replayed.timings[0],
                ("normalize", std::time::Duration::from_micros(7)),
                "the corpus pass's time"
            );
            assert_eq!(replayed.doc.lines, direct.doc.lines);
            assert_eq!(replayed.edits, direct.edits);
            assert_eq!(replayed.doc.flags, direct.doc.flags);
        }
        assert!(pipeline
            .process(Document::from_text("d", &texts[0]))
            .doc
            .flags
            .contains(&"mojibake".to_string()));
        // Another text under the same key, a key never kept, a source with none.
        assert!(take(1, "Another text.").is_none());
        assert!(take(9, &texts[0]).is_none());
        assert!(docs.take(0, 1, &texts[0], "d", "normalize").is_none());
        // The pipeline's own check: only one that starts with normalize takes a first result.
        assert!(pipeline.starts_with(Step::Normalize));
        assert!(
            !Pipeline::new(&[Step::Boilerplate], &Default::default()).starts_with(Step::Normalize)
        );
    }

    #[test]
    fn normalized_documents_past_the_budget_are_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cache = NormalizedCache::with_budget(dir.path(), 1, 200);
        let lines = |text: &str| vec![Line::new(text, 1)];
        for n in 0..10u64 {
            let text = format!("Document number {n} with a few words in it.");
            cache
                .put(
                    0,
                    n,
                    NormalizedCache::input_key(&text),
                    &FirstStageResult {
                        lines: lines(&text),
                        edits: Vec::new(),
                        took: Default::default(),
                    },
                )
                .unwrap();
        }
        let docs = cache.finish();
        let kept: Vec<bool> = (0..10u64)
            .map(|n| {
                docs.take(
                    0,
                    n,
                    &format!("Document number {n} with a few words in it."),
                    "d",
                    "normalize",
                )
                .is_some()
            })
            .collect();
        assert!(kept[0] && !kept[9], "{kept:?}");
        assert!(
            kept.windows(2).all(|w| w[0] || !w[1]),
            "kept until the budget is spent: {kept:?}"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "nothing spills"
        );
    }
}
