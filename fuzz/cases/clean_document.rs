//! Arbitrary UTF-8 text as one document through the whole clean pipeline, with the choices that
//! change what the stages do: which steps, what `--spun` does, lines the user keeps, corpus
//! statistics (built from the document itself, so its lines are a site's template when it is
//! counted three times or more), the `thresh dedup` pipeline, and dedup's fingerprint, indexed
//! and clustered against a copy of the document.
//!
//! The input's first bytes are the choices ([`Choices::read`]), the rest is the text (its longest
//! valid UTF-8 prefix).

use std::sync::Arc;
use thresh::config::{SpunMode, Step};
use thresh::corpus::CorpusStats;
use thresh::dedup::{Fingerprinter, Index, Print, TextSource};
use thresh::document::Document;
use thresh::pipeline::Pipeline;
use thresh::stages::StageOptions;

#[derive(Debug, Clone, Copy)]
pub struct Choices {
    /// Bit i: step i of `Step::ALL`. All steps when none.
    pub steps: u8,
    /// Modulo 3: repair, flag, drop.
    pub spun: u8,
    /// Bit i: line i is one the user keeps.
    pub keep: u8,
    /// How many times the document is counted into corpus statistics (modulo 5); none when 0.
    pub stats_copies: u8,
    /// Bit 0: rare words are counted. Bit 1: the counted text is the normalized one, as the
    /// corpus pass counts with normalize. Bit 2: `Pipeline::dedup_only` (the pipeline of
    /// `thresh dedup`) rather than `Pipeline::new`. Bit 3: dedup defers template lines. Bits 4
    /// and 5: the rules at even (odd) places of `stages::RULES` are switched off.
    pub switches: u8,
    /// Modulo 3: no site, a host, a folder.
    pub site: u8,
}

impl Choices {
    const LEN: usize = 6;

    /// The choices from the input's first bytes (zeros past its end), and the text after them.
    pub fn read(data: &[u8]) -> (Choices, &str) {
        let mut head = [0u8; Choices::LEN];
        let n = data.len().min(Choices::LEN);
        head[..n].copy_from_slice(&data[..n]);
        let [steps, spun, keep, stats_copies, switches, site] = head;
        let rest = &data[n..];
        let text = match std::str::from_utf8(rest) {
            Ok(text) => text,
            Err(e) => std::str::from_utf8(&rest[..e.valid_up_to()]).expect("valid up to there"),
        };
        (
            Choices {
                steps,
                spun,
                keep,
                stats_copies,
                switches,
                site,
            },
            text,
        )
    }
}

struct SameText(String);

impl TextSource for SameText {
    fn text(&self, _doc: u32) -> std::io::Result<String> {
        Ok(self.0.clone())
    }
}

pub fn run(data: &[u8]) {
    let (choices, text) = Choices::read(data);
    clean(choices, text);
}

pub fn clean(c: Choices, text: &str) {
    let switch = |bit: u8| c.switches >> bit & 1 == 1;
    let steps: Vec<Step> = match c.steps & 0x3f {
        0 => Step::ALL.to_vec(),
        mask => Step::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| mask >> i & 1 == 1)
            .map(|(_, &s)| s)
            .collect(),
    };
    let site = ["", "example.org", "blog"][usize::from(c.site % 3)];
    let keep = text
        .lines()
        .take(8)
        .enumerate()
        .filter(|(i, _)| c.keep >> i & 1 == 1)
        .map(|(_, l)| thresh::text::fold(l))
        .collect();
    let corpus_stats = (!c.stats_copies.is_multiple_of(5)).then(|| {
        let counted = if switch(1) {
            thresh::stages::normalize::normalize_text(text)
        } else {
            text.to_string()
        };
        let copies = usize::from(c.stats_copies % 5);
        // The document itself, and its first half as another page of the site.
        let mut half = counted.len() / 2;
        while !counted.is_char_boundary(half) {
            half -= 1;
        }
        let texts = std::iter::repeat_n(counted.as_str(), copies).chain([&counted[..half]]);
        Arc::new(CorpusStats::of_texts(switch(0), texts.map(|t| (site, t))))
    });
    let spun = [SpunMode::Repair, SpunMode::Flag, SpunMode::Drop][usize::from(c.spun % 3)];
    let off: Vec<String> = thresh::stages::RULES
        .iter()
        .flat_map(|&(stage, rules)| rules.iter().map(move |r| format!("{stage}/{r}")))
        .enumerate()
        .filter(|(i, _)| switch(if i % 2 == 0 { 4 } else { 5 }))
        .map(|(_, name)| name)
        .collect();
    let options = StageOptions {
        keep,
        corpus_stats: corpus_stats.clone(),
        spun,
        rules: thresh::stages::stage::RuleSwitches::off(&off, thresh::stages::RULES)
            .expect("the registry's own names"),
        ..StageOptions::default()
    };
    let (pipeline, view) = if switch(2) {
        Pipeline::dedup_only(&steps, &options)
    } else {
        (Pipeline::new(&steps, &options), None)
    };
    let fingerprinter = steps.contains(&Step::Dedup).then(|| Fingerprinter {
        view,
        corpus_stats,
        defer_templates: switch(3),
        spans: !switch(4),
    });

    let mut doc = Document::from_text("fuzz", text);
    doc.site = site.to_string();
    let out = pipeline.process(doc);
    let cleaned = out.doc.text();
    for edit in &out.edits {
        assert!(edit.line >= 1, "edits name 1-based input lines: {edit:?}");
    }

    let Some(fingerprinter) = fingerprinter else {
        return;
    };
    let fingerprinted = fingerprinter.fingerprint(&out.doc);
    let print = fingerprinted.print;
    let compared = SameText(fingerprinted.view_text.unwrap_or(cleaned));
    let mut index = Index::default();
    match print {
        Print::Done(fingerprint) => {
            index.push("a", fingerprint.clone()).unwrap();
            index.push("b", fingerprint).unwrap();
        }
        Print::Scanned { site, scan } => {
            let mut encoded = Vec::new();
            scan.encode(&mut encoded);
            assert_eq!(
                thresh::dedup::Scan::decode(&encoded).as_ref(),
                Some(&scan),
                "a scan spills and reads back"
            );
            let mut counts = CorpusStats::default();
            for _ in 0..3 {
                counts.count_keys(site, &scan.keys());
            }
            for id in ["a", "b"] {
                let template = |_, key| key != 0 && counts.is_template_key(site, key);
                let print = scan.clone().finish(template);
                index.push(id, print).unwrap();
            }
        }
    }
    index
        .cluster(&thresh::dedup::ClusterSettings::new(0.8), &compared)
        .unwrap();
}
