//! Per-stage cost on the same documents, single thread: `stage_throughput FILE...`. Documents are
//! normalized once, then each later stage is timed on the normalized text, the fastest of
//! `THRESH_REPEAT` rounds (default 3).

use std::time::Instant;
use thresh::config::SpunMode;
use thresh::document::Document;
use thresh::stages::stage::Stage;
use thresh::stages::{boilerplate::Boilerplate, machine_text::MachineText, normalize::Normalize};
use thresh::stages::{repair::Repair, spin::Spin};

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let repeat: usize = std::env::var("THRESH_REPEAT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let raw: Vec<(String, String)> = paths
        .iter()
        .map(|p| (p.clone(), std::fs::read_to_string(p).unwrap()))
        .collect();
    let doc = |(id, text): &(String, String)| {
        let mut d = Document::from_text(id.clone(), text);
        d.site = thresh::read::site_of(id, None);
        d
    };
    let only = std::env::var("THRESH_ONLY").ok();
    let time = |name: &str, stage: &dyn Stage, docs: &[Document]| {
        if only.as_deref().is_some_and(|o| o != name) {
            return 1.0;
        }
        // The fastest of `repeat` rounds: this machine is shared, and noise only ever adds time.
        let mut secs = f64::MAX;
        for _ in 0..repeat {
            let start = Instant::now();
            for d in docs {
                std::hint::black_box(stage.run(d.clone()));
            }
            secs = secs.min(start.elapsed().as_secs_f64());
        }
        println!("{name:14} {:8.1} ms", secs * 1000.0);
        secs
    };
    /// What timing costs by itself (cloning each document): subtracted from every stage.
    struct Noop;
    impl Stage for Noop {
        fn name(&self) -> &'static str {
            "noop"
        }
        fn run(&self, doc: Document) -> thresh::stages::stage::StageOutput {
            thresh::stages::stage::StageOutput {
                doc,
                edits: Vec::new(),
            }
        }
    }
    let raw_docs: Vec<Document> = raw.iter().map(doc).collect();
    let harness = time("harness", &Noop, &raw_docs);
    let normalize = time("normalize", &Normalize::default(), &raw_docs);
    let normalized: Vec<Document> = raw_docs
        .iter()
        .map(|d| Normalize::default().run(d.clone()).doc)
        .collect();
    // The corpus pass counts the normalized lines of every document (its reading and normalizing
    // are timed above and in the reader's own benchmark).
    let mut corpus = f64::MAX;
    let mut stats = None;
    for _ in 0..repeat {
        let start = Instant::now();
        let mut counts = thresh::corpus::CorpusStats::new(true);
        for d in &normalized {
            counts.add_lines(&d.site, d.lines.iter().map(|l| l.text.as_str()));
        }
        stats = Some(counts);
        corpus = corpus.min(start.elapsed().as_secs_f64());
    }
    let stats: std::sync::Arc<_> = stats.expect("at least one round").into();
    println!("{:14} {:8.1} ms", "corpus-pass", corpus * 1000.0);
    let boilerplate = time(
        "boilerplate",
        &Boilerplate {
            stats: Some(stats.clone()),
            ..Boilerplate::default()
        },
        &normalized,
    );
    let machine = time("machine-text", &MachineText::default(), &normalized);
    let repair = time(
        "repair",
        &Repair {
            corpus: Some(stats.clone()),
            ..Repair::default()
        },
        &normalized,
    );
    let spin = time("spin", &Spin::new(SpunMode::Repair), &normalized);
    let net = |s: f64| (s - harness).max(0.0);
    println!(
        "net of the harness: repair = {:.2}x normalize, spin = {:.2}x normalize",
        net(repair) / net(normalize),
        net(spin) / net(normalize)
    );
    println!(
        "net of the harness: boilerplate + machine-text = {:.2}x normalize; with the corpus pass {:.2}x",
        (net(boilerplate) + net(machine)) / net(normalize),
        (net(boilerplate) + net(machine) + corpus) / net(normalize)
    );
}
