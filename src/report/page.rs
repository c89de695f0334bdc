//! The report page, `index.html`: what a run did, for a person to look at before trusting it.
//!
//! Built from the report folder's files alone (`summary.json`, `documents.jsonl`, `edits.jsonl`,
//! `clusters.jsonl`, `passages.jsonl`), so that `thresh report DIR` rebuilds it for any report.
//! Each file is streamed once and only bounded samples are kept: a report of a million documents
//! makes a page the size of one of a hundred, which a browser opens at once. A sample is chosen by
//! a hash of what it samples (or by a rank with ties broken by id), never by arrival, so the same
//! report gives the same page whatever the thread count of the run.
//!
//! Gathered here ([`PageData::gather`]), drawn in `html.rs` with the SVG charts of `chart.rs`.

mod chart;
mod html;

use crate::write::write_atomic;
use anyhow::{Context, Result};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::BufRead;
use std::path::Path;
use xxhash_rust::xxh3::xxh3_64;

/// The page's file name in the report folder.
pub const FILE: &str = "index.html";

/// Edits shown per rule.
const SAMPLES_PER_RULE: usize = 20;
/// Sites listed per rule.
const SITES_PER_RULE: usize = 5;
/// Documents listed as those that lost the most, and edits shown for each.
const LOST_MOST: usize = 20;
const EDITS_PER_DOCUMENT: usize = 100;
/// Clusters and passages shown, members shown per cluster, and the characters of a passage.
const LARGEST_CLUSTERS: usize = 10;
const MEMBERS_SHOWN: usize = 30;
const PASSAGES_SHOWN: usize = 10;
const PASSAGE_CHARS: usize = 600;
/// Failed and skipped inputs listed (all are counted).
const PROBLEMS_SHOWN: usize = 200;
/// Characters of an edit's before and after shown.
const EDIT_CHARS: usize = 400;

/// Build `DIR/index.html` from the report in `DIR`.
pub fn write(dir: &Path) -> Result<()> {
    let data = PageData::gather(dir)?;
    write_atomic(&dir.join(FILE), html::render(&data).as_bytes())
        .with_context(|| format!("cannot write {}", dir.join(FILE).display()))
}

/// One edit as the page shows it.
#[derive(Debug, Clone, Deserialize)]
pub struct EditSample {
    pub doc: String,
    pub stage: String,
    pub rule: String,
    pub before: String,
    pub after: String,
    pub line: u64,
    #[serde(default = "one")]
    pub count: u64,
}

fn one() -> u64 {
    1
}

/// What the page shows of one rule.
#[derive(Debug, Default)]
pub struct RuleStats {
    pub stage: String,
    pub rule: String,
    /// Its edits, from the summary (every edit, whatever `--edits` logged).
    pub edits: u64,
    /// Edits sampled from `edits.jsonl`, in the order of the file.
    pub samples: Vec<EditSample>,
    /// The sites where it made the most edits, with their counts.
    pub sites: Vec<(String, u64)>,
}

/// A histogram: bars with their labels and counts, and where the flag threshold falls (the index
/// of the first bar at or past it) with what it says.
#[derive(Debug, Default)]
pub struct Histogram {
    pub bars: Vec<(String, u64)>,
    pub marker: Option<(usize, String)>,
}

impl Histogram {
    /// Bars between `edges` (the last one open: "≥"), labelled by `label`.
    fn new(edges: &[f64], label: impl Fn(f64) -> String) -> Histogram {
        let mut bars: Vec<(String, u64)> = edges
            .windows(2)
            .map(|w| (format!("{}–{}", label(w[0]), label(w[1])), 0))
            .collect();
        if let Some(&last) = edges.last() {
            bars.push((format!("≥ {}", label(last)), 0));
        }
        Histogram { bars, marker: None }
    }

    fn add(&mut self, edges: &[f64], value: f64) {
        let bar = edges
            .iter()
            .rposition(|&e| value >= e)
            .unwrap_or(0)
            .min(self.bars.len() - 1);
        self.bars[bar].1 += 1;
    }

    pub fn total(&self) -> u64 {
        self.bars.iter().map(|b| b.1).sum()
    }
}

/// A document that lost a large share of its text, with its edits (the before/after view).
#[derive(Debug)]
pub struct LossDoc {
    pub id: String,
    pub status: String,
    pub share: f64,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub edits: Vec<EditSample>,
    pub edits_total: u64,
}

/// An input the run could not clean: failed, skipped or not reached.
#[derive(Debug)]
pub struct Problem {
    pub id: String,
    pub status: String,
    pub reason: String,
}

/// Everything the page shows, gathered from a report folder.
#[derive(Debug, Default)]
pub struct PageData {
    pub summary: serde_json::Value,
    /// By stage in pipeline order, then most edits first.
    pub rules: Vec<RuleStats>,
    /// Records in `edits.jsonl`, and the edits they stand for.
    pub edits_logged: u64,
    /// The share of each written document's text that cleaning removed.
    pub removed: Histogram,
    pub lost_most: Vec<LossDoc>,
    pub spin: Histogram,
    pub machine_text: Histogram,
    /// Cluster sizes (members and the kept document) and how many clusters have each.
    pub cluster_sizes: BTreeMap<u64, u64>,
    pub clusters: Vec<serde_json::Value>,
    pub passages: Vec<serde_json::Value>,
    pub passage_count: u64,
    pub problems: Vec<Problem>,
    pub problem_count: u64,
}

/// The fields of a `documents.jsonl` record the page reads.
#[derive(Deserialize)]
struct DocLine<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    status: Cow<'a, str>,
    #[serde(default)]
    scores: BTreeMap<Cow<'a, str>, f64>,
    #[serde(default)]
    bytes_in: u64,
    #[serde(default)]
    bytes_out: u64,
    #[serde(default, borrow)]
    error: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    warning: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    reason: Option<Cow<'a, str>>,
}

/// The fields of an `edits.jsonl` record read for every edit.
#[derive(Deserialize)]
struct EditKey<'a> {
    #[serde(borrow)]
    doc: Cow<'a, str>,
    #[serde(borrow)]
    stage: Cow<'a, str>,
    #[serde(borrow)]
    rule: Cow<'a, str>,
    #[serde(default = "one")]
    count: u64,
}

impl PageData {
    /// Read the report in `dir`. Only `summary.json` must be there; a missing file shows as an
    /// empty section.
    pub fn gather(dir: &Path) -> Result<PageData> {
        let summary_path = dir.join("summary.json");
        let summary: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&summary_path).with_context(|| {
                format!("{} is not a report folder: no summary.json", dir.display())
            })?)
            .with_context(|| format!("{}: not a summary", summary_path.display()))?;
        let mut data = PageData {
            summary,
            ..PageData::default()
        };
        let lost = data.read_documents(dir)?;
        data.read_edits(dir, lost)?;
        data.read_clusters(dir)?;
        data.read_passages(dir)?;
        Ok(data)
    }

    /// The spin score from which documents were flagged, from the run's settings.
    pub fn spin_threshold(&self) -> f64 {
        self.summary["settings"]["spin-threshold"]
            .as_f64()
            .unwrap_or(SPIN_THRESHOLD)
    }

    /// Histograms, the documents that lost the most, and the problems; returns the ids of the
    /// documents that lost the most.
    fn read_documents(&mut self, dir: &Path) -> Result<HashSet<String>> {
        let removed_edges: Vec<f64> = (0..10).map(|i| f64::from(i) / 10.0).collect();
        self.removed = Histogram::new(&removed_edges, percent);
        let t = self.spin_threshold();
        let spin_edges = [
            0.0,
            t / 4.0,
            t / 2.0,
            3.0 * t / 4.0,
            t,
            1.5 * t,
            2.0 * t,
            3.0 * t,
        ];
        self.spin = Histogram::new(&spin_edges, |x| format!("{x:.1}"));
        self.spin.marker = Some((4, format!("flagged spun from {t}")));
        // Exactly 0 (nothing removed) is a bar of its own: most documents hold no machine text.
        let machine_edges = [0.0, 1e-9, 0.1, 0.25, 0.5];
        self.machine_text = Histogram::new(&machine_edges, percent);
        self.machine_text.bars[0].0 = "0%".into();
        self.machine_text.bars[1].0 = "> 0%–10%".into();
        self.machine_text.marker = Some((1, "flagged: any machine text removed".into()));

        let mut lost: Vec<(f64, u64, String, String, u64, u64)> = Vec::new();
        for_each_line(&dir.join("documents.jsonl"), |line| {
            let Ok(doc) = serde_json::from_str::<DocLine>(line) else {
                return;
            };
            if let Some(&s) = doc.scores.get("spin") {
                self.spin.add(&spin_edges, s);
            }
            if let Some(&m) = doc.scores.get("machine_text") {
                self.machine_text.add(&machine_edges, m);
            }
            let reason = doc.error.or(doc.warning).or(doc.reason);
            match doc.status.as_ref() {
                "kept" | "empty" if doc.bytes_in > 0 => {
                    let share = 1.0 - (doc.bytes_out as f64 / doc.bytes_in as f64).min(1.0);
                    if doc.status == "kept" {
                        self.removed.add(&removed_edges, share);
                    }
                    lost.push((
                        share,
                        doc.bytes_in - doc.bytes_out.min(doc.bytes_in),
                        doc.id.into_owned(),
                        doc.status.into_owned(),
                        doc.bytes_in,
                        doc.bytes_out,
                    ));
                    // Keep the candidates bounded: the best LOST_MOST survive every cut.
                    if lost.len() >= 8 * LOST_MOST {
                        rank_losses(&mut lost);
                    }
                }
                "failed" | "skipped" | "pending" => {
                    self.problem_count += 1;
                    if self.problems.len() < PROBLEMS_SHOWN {
                        self.problems.push(Problem {
                            id: doc.id.into_owned(),
                            status: doc.status.into_owned(),
                            reason: reason.map(Cow::into_owned).unwrap_or_default(),
                        });
                    }
                }
                _ => {}
            }
        })?;
        rank_losses(&mut lost);
        self.lost_most = lost
            .into_iter()
            .filter(|l| l.0 > 0.0)
            .map(|(share, _, id, status, bytes_in, bytes_out)| LossDoc {
                id,
                status,
                share,
                bytes_in,
                bytes_out,
                edits: Vec::new(),
                edits_total: 0,
            })
            .collect();
        Ok(self.lost_most.iter().map(|d| d.id.clone()).collect())
    }

    /// Per rule: its samples and sites; and the edits of the documents that lost the most.
    fn read_edits(&mut self, dir: &Path, lost: HashSet<String>) -> Result<()> {
        // Rules in pipeline order (the summary's steps), most edits first within a stage.
        let order: Vec<String> = self.summary["steps"]
            .as_array()
            .map(|s| {
                s.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        let mut rules: Vec<RuleStats> = Vec::new();
        if let Some(stages) = self.summary["rules"].as_object() {
            for (stage, by_rule) in stages {
                for (rule, n) in by_rule.as_object().into_iter().flatten() {
                    rules.push(RuleStats {
                        stage: stage.clone(),
                        rule: rule.clone(),
                        edits: n.as_u64().unwrap_or(0),
                        ..RuleStats::default()
                    });
                }
            }
        }
        let stage_rank = |s: &str| order.iter().position(|o| o == s).unwrap_or(order.len());
        rules.sort_by(|a, b| {
            stage_rank(&a.stage)
                .cmp(&stage_rank(&b.stage))
                .then(b.edits.cmp(&a.edits))
                .then_with(|| a.rule.cmp(&b.rule))
        });
        // stage -> rule -> its place in `rules`, looked up by the record's borrowed names.
        let mut index: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for (i, r) in rules.iter().enumerate() {
            index
                .entry(r.stage.clone())
                .or_default()
                .insert(r.rule.clone(), i);
        }
        // Per rule, the SAMPLES_PER_RULE lines of lowest hash (a uniform sample that does not
        // depend on the order lines were read in), and edits per site.
        let mut picked: Vec<Vec<(u64, u64, String)>> = vec![Vec::new(); rules.len()];
        let mut sites: Vec<HashMap<String, u64>> = vec![HashMap::new(); rules.len()];
        let mut by_doc: HashMap<String, (Vec<EditSample>, u64)> = HashMap::new();
        let mut number = 0u64;
        for_each_line(&dir.join("edits.jsonl"), |line| {
            let Ok(key) = serde_json::from_str::<EditKey>(line) else {
                return;
            };
            number += 1;
            self.edits_logged += key.count;
            if lost.contains(key.doc.as_ref()) {
                let (edits, total) = by_doc.entry(key.doc.to_string()).or_default();
                *total += 1;
                if edits.len() < EDITS_PER_DOCUMENT {
                    if let Ok(e) = serde_json::from_str::<EditSample>(line) {
                        edits.push(e);
                    }
                }
            }
            let Some(&r) = index
                .get(key.stage.as_ref())
                .and_then(|rules| rules.get(key.rule.as_ref()))
            else {
                return;
            };
            *sites[r].entry(site_of(&key.doc)).or_default() += key.count;
            let hash = xxh3_64(line.as_bytes());
            let sample = &mut picked[r];
            if sample.len() < SAMPLES_PER_RULE || hash < sample.last().map_or(u64::MAX, |s| s.0) {
                sample.push((hash, number, line.to_string()));
                sample.sort_unstable_by_key(|s| (s.0, s.1));
                sample.truncate(SAMPLES_PER_RULE);
            }
        })?;
        for ((rule, mut sample), site_counts) in rules.iter_mut().zip(picked).zip(sites) {
            sample.sort_unstable_by_key(|s| s.1);
            rule.samples = sample
                .iter()
                .filter_map(|(_, _, line)| serde_json::from_str(line).ok())
                .collect();
            let mut site_counts: Vec<(String, u64)> = site_counts.into_iter().collect();
            site_counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            site_counts.truncate(SITES_PER_RULE);
            rule.sites = site_counts;
        }
        self.rules = rules;
        for doc in &mut self.lost_most {
            if let Some((edits, total)) = by_doc.remove(&doc.id) {
                doc.edits = edits;
                doc.edits_total = total;
            }
        }
        Ok(())
    }

    /// Cluster sizes, and the largest clusters (ties: first in the file).
    fn read_clusters(&mut self, dir: &Path) -> Result<()> {
        let mut largest: Vec<(u64, u64, serde_json::Value)> = Vec::new();
        let mut number = 0u64;
        for_each_line(&dir.join("clusters.jsonl"), |line| {
            let Ok(cluster @ serde_json::Value::Object(_)) = serde_json::from_str(line) else {
                return;
            };
            number += 1;
            let size = cluster["size"]
                .as_u64()
                .unwrap_or_else(|| cluster["members"].as_array().map_or(0, |m| m.len() as u64) + 1);
            *self.cluster_sizes.entry(size).or_default() += 1;
            largest.push((size, number, cluster));
            if largest.len() >= 8 * LARGEST_CLUSTERS {
                keep_largest(&mut largest, LARGEST_CLUSTERS);
            }
        })?;
        keep_largest(&mut largest, LARGEST_CLUSTERS);
        self.clusters = largest
            .into_iter()
            .map(|(_, _, mut c)| {
                if let Some(members) = c["members"].as_array_mut() {
                    members.truncate(MEMBERS_SHOWN);
                }
                c
            })
            .collect();
        Ok(())
    }

    /// The passages found in the most documents (then the longest; ties: first in the file).
    fn read_passages(&mut self, dir: &Path) -> Result<()> {
        let mut best: Vec<(u64, u64, serde_json::Value)> = Vec::new();
        let mut number = 0u64;
        for_each_line(&dir.join("passages.jsonl"), |line| {
            let Ok(mut passage @ serde_json::Value::Object(_)) = serde_json::from_str(line) else {
                return;
            };
            number += 1;
            self.passage_count += 1;
            let members = passage["members"].as_array().map_or(0, Vec::len) as u64;
            let words = passage["members"][0]["words"].as_u64().unwrap_or(0);
            if let Some(members) = passage["members"].as_array_mut() {
                for m in members.iter_mut() {
                    if let Some(text) = m["text"].as_str() {
                        m["text"] = truncate(text, PASSAGE_CHARS).into();
                    }
                }
                members.truncate(MEMBERS_SHOWN);
            }
            // Documents first, words second: one rank.
            best.push((members << 32 | words.min(u32::MAX.into()), number, passage));
            if best.len() >= 8 * PASSAGES_SHOWN {
                keep_largest(&mut best, PASSAGES_SHOWN);
            }
        })?;
        keep_largest(&mut best, PASSAGES_SHOWN);
        self.passages = best.into_iter().map(|(_, _, p)| p).collect();
        Ok(())
    }
}

/// The spin stage's default threshold, for a summary from before settings were recorded.
const SPIN_THRESHOLD: f64 = 18.0;

/// Most removed first (share, then bytes), then by id; the first LOST_MOST kept.
fn rank_losses(lost: &mut Vec<(f64, u64, String, String, u64, u64)>) {
    lost.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then_with(|| a.2.cmp(&b.2))
    });
    lost.truncate(LOST_MOST);
}

/// The `n` of highest rank, ties to the first in the file, in that order.
fn keep_largest(items: &mut Vec<(u64, u64, serde_json::Value)>, n: usize) {
    items.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    items.truncate(n);
}

/// The site of a document, for the per-rule site lists: the site the reader gives a document
/// (a URL id's host, else a host-named folder or the first folder of its path), else its file (a
/// JSON Lines record's id `file:line`).
pub fn site_of(id: &str) -> String {
    let site = crate::read::site_of(id, Some(id));
    if site.is_empty() {
        id.rsplit_once(':').map_or(id, |(file, _)| file).to_string()
    } else {
        site
    }
}

/// `text` escaped for HTML text and SVG text.
fn esc(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

/// Call `f` with each line of `path`; a missing file has none.
fn for_each_line(path: &Path, mut f: impl FnMut(&str)) -> Result<()> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut line = String::new();
    loop {
        line.clear();
        let n = reader
            .read_line(&mut line)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            return Ok(());
        }
        f(line.trim_end());
    }
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// At most `max` characters of `text`, with an ellipsis when cut.
pub fn truncate(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_come_from_hosts_folders_and_files() {
        assert_eq!(
            site_of("https://news.example.org/a/b?x"),
            "news.example.org"
        );
        assert_eq!(site_of("example.org/page.html"), "example.org");
        assert_eq!(site_of("corpus.jsonl:17"), "corpus.jsonl");
        assert_eq!(site_of("page.txt"), "page.txt");
    }

    #[test]
    fn histograms_put_values_in_their_bars_and_the_rest_in_the_last() {
        let edges = [0.0, 0.5, 1.0];
        let mut h = Histogram::new(&edges, percent);
        for v in [0.0, 0.2, 0.5, 0.99, 1.0, 7.0, -1.0] {
            h.add(&edges, v);
        }
        let counts: Vec<u64> = h.bars.iter().map(|b| b.1).collect();
        assert_eq!(counts, [3, 2, 2]);
        assert_eq!(h.bars[2].0, "≥ 100%");
    }

    #[test]
    fn lines_that_are_not_records_are_passed_over() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("summary.json"), "{\"steps\": []}").unwrap();
        std::fs::write(
            dir.path().join("clusters.jsonl"),
            "[1,2]\n\"x\"\nnot json\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("passages.jsonl"),
            "\"x\"\n{\"members\": 3}\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("documents.jsonl"), "[]\n{\"id\": 1}\n").unwrap();
        std::fs::write(dir.path().join("edits.jsonl"), "7\n").unwrap();
        let data = PageData::gather(dir.path()).unwrap();
        assert!(data.clusters.is_empty());
        assert_eq!(data.passage_count, 1);
        write(dir.path()).unwrap();
    }

    #[test]
    fn truncation_keeps_whole_characters() {
        assert_eq!(truncate("café au lait", 4), "café…");
        assert_eq!(truncate("short", 10), "short");
    }
}
