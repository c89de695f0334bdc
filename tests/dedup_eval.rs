//! Dedup measured on a labelled near-duplicate set (tests/fixtures/dedup/labelled.jsonl, built by
//! make_labelled.py from real README prose): syndicated copies under other site templates, copies
//! with 5% and 10% of their words edited, partial copies, and hard negatives (pages of one site
//! sharing a long template, and one-paragraph stubs that the template outweighs).

mod common;

use common::Work;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

fn labelled() -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dedup/labelled.jsonl");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

struct Score {
    precision: f64,
    recall: f64,
    f1: f64,
    /// Pairs merged that are different articles from one site: merged for their template alone.
    template_merges: usize,
}

fn score(docs: &[Value], cluster_of: &HashMap<String, Option<String>>) -> Score {
    let (mut tp, mut fp, mut fn_, mut template_merges) = (0, 0, 0, 0);
    for (i, a) in docs.iter().enumerate() {
        for b in &docs[i + 1..] {
            let same = a["label"] == b["label"];
            let ca = &cluster_of[a["id"].as_str().unwrap()];
            let merged = ca.is_some() && ca == &cluster_of[b["id"].as_str().unwrap()];
            match (same, merged) {
                (true, true) => tp += 1,
                (false, true) => {
                    fp += 1;
                    let site = |d: &Value| {
                        d["url"]
                            .as_str()
                            .unwrap()
                            .split('/')
                            .nth(2)
                            .unwrap()
                            .to_string()
                    };
                    if site(a) == site(b) {
                        template_merges += 1;
                    }
                }
                (true, false) => fn_ += 1,
                (false, false) => {}
            }
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    Score {
        precision,
        recall,
        f1: 2.0 * precision * recall / (precision + recall),
        template_merges,
    }
}

fn run(work: &Work, command: &[&str]) -> HashMap<String, Option<String>> {
    let input = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dedup/labelled.jsonl");
    work.thresh()
        .args(command)
        .arg(&input)
        .args(["--report", "rep", "-q"])
        .assert()
        .success();
    work.jsonl("rep/documents.jsonl")
        .into_iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["cluster"].as_str().map(String::from),
            )
        })
        .collect()
}

#[test]
fn near_duplicates_are_clustered_and_template_sharing_pages_are_not() {
    let docs = labelled();
    assert!(docs.len() > 100);
    for command in [&["clean", "--dry-run"][..], &["dedup"][..]] {
        let work = Work::new();
        let s = score(&docs, &run(&work, command));
        eprintln!(
            "{command:?}: precision {:.3} recall {:.3} F1 {:.3}",
            s.precision, s.recall, s.f1
        );
        assert_eq!(s.template_merges, 0, "{command:?}");
        assert!(s.f1 >= 0.95, "{command:?}: F1 {:.3}", s.f1);
        assert!(
            s.precision >= 0.99,
            "{command:?}: precision {:.3}",
            s.precision
        );

        // Every cluster keeps its most complete member, and says why.
        let report: BTreeMap<String, Value> = work
            .jsonl("rep/documents.jsonl")
            .into_iter()
            .map(|d| (d["id"].as_str().unwrap().to_string(), d))
            .collect();
        for cluster in work.jsonl("rep/clusters.jsonl") {
            let kept = cluster["kept"].as_str().unwrap();
            assert_eq!(report[kept]["status"], "kept");
            let reason = cluster["reason"].as_str().unwrap();
            assert!(
                reason.starts_with("most complete") || reason.starts_with("the source"),
                "{reason}"
            );
            for m in cluster["members"].as_array().unwrap() {
                let doc = &report[m["doc"].as_str().unwrap()];
                // A partial duplicate (mostly copied passages) is reported and still written.
                let partial = m["measure"] == "spans";
                assert_eq!(m["duplicate"], !partial);
                assert_eq!(doc["status"], if partial { "kept" } else { "duplicate" });
                assert_eq!(doc["cluster"], cluster["id"]);
                assert!(m["similarity"].as_f64().unwrap() > 0.0);
            }
        }
    }
}

#[test]
fn no_document_is_in_two_clusters_and_every_duplicate_is_in_one() {
    let work = Work::new();
    run(&work, &["dedup"]);
    let mut seen = HashSet::new();
    let mut members = 0;
    let clusters = work.jsonl("rep/clusters.jsonl");
    assert!(clusters.len() > 10);
    for cluster in &clusters {
        assert!(seen.insert(cluster["kept"].as_str().unwrap().to_string()));
        for m in cluster["members"].as_array().unwrap() {
            assert!(
                seen.insert(m["doc"].as_str().unwrap().to_string()),
                "{} is in two clusters",
                m["doc"]
            );
            members += usize::from(m["duplicate"] == true);
        }
    }
    let duplicates = work
        .jsonl("rep/documents.jsonl")
        .into_iter()
        .filter(|d| d["status"] == "duplicate")
        .count();
    assert_eq!(duplicates, members);
}
