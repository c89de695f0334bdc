//! `thresh diff` end to end on two scrapes of a real-looking site: articles (README prose from
//! `tests/fixtures/dedup/articles`) on a site template whose footer year, share line and "related"
//! links change from one scrape to the next.

mod common;

use common::Work;
use serde_json::{json, Value};
use std::path::PathBuf;

fn article(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/dedup/articles")
        .join(format!("{name}.txt"));
    std::fs::read_to_string(path).unwrap()
}

const NAMES: [&str; 12] = [
    "anyhow",
    "bstr",
    "console",
    "fnv",
    "thiserror",
    "aho-corasick",
    "assert_cmd",
    "linux-raw-sys",
    "pin-project-lite",
    "memchr",
    "regex",
    "serde_json",
];

/// A page of the site as a scraper saves it: navigation, title, the article, then the template.
fn page(title: &str, body: &str, scrape: u32) -> String {
    let (year, share, related) = if scrape == 1 {
        (
            2025,
            "Share on Facebook | Share on Twitter | Email this page",
            "Related: Ten tips for faster builds",
        )
    } else {
        (
            2026,
            "Share: Facebook · X · LinkedIn · Copy link",
            "Related: Why we moved to a new CI provider",
        )
    };
    format!(
        "Home | Blog | Docs | About\n{title}\n\n{body}\n\n{share}\n{related}\nSubscribe to our newsletter\n\
         © {year} Crate Notes. All rights reserved.\nWe use cookies to improve your experience. Accept all cookies\n"
    )
}

/// Scrape 1 of the site, and scrape 2 where one page moved, one was edited, one was taken down
/// and one is new; every page's template changed.
fn two_scrapes(w: &Work) {
    for (n, name) in NAMES.iter().enumerate().take(11) {
        w.write(
            &format!("old/site/{name}.txt"),
            page(name, &article(name), 1),
        );
        match n {
            // Moved into the archive, text unchanged.
            0 => {
                w.write(
                    &format!("new/site/archive/{name}.txt"),
                    page(name, &article(name), 2),
                );
            }
            // Edited: a paragraph reworded and one added.
            1 => {
                let body = article(name).replacen("UTF-8", "valid UTF-8", 1)
                    + "\n\nUpdate: the maintainers have since published a migration guide for the next major version.";
                w.write(&format!("new/site/{name}.txt"), page(name, &body, 2));
            }
            // Taken down.
            2 => {}
            _ => {
                w.write(
                    &format!("new/site/{name}.txt"),
                    page(name, &article(name), 2),
                );
            }
        }
    }
    w.write(
        "new/site/serde_json.txt",
        page("serde_json", &article("serde_json"), 2),
    );
}

#[test]
fn reports_moves_edits_additions_and_removals_but_not_template_churn() {
    let w = Work::new();
    two_scrapes(&w);
    let out = w
        .thresh()
        .args(["diff", "old", "new", "--json", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diff: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(diff["added"], json!(["site/serde_json.txt"]));
    assert_eq!(diff["removed"], json!(["site/console.txt"]));
    assert_eq!(
        diff["renamed"],
        json!([{"old": "site/anyhow.txt", "new": "site/archive/anyhow.txt", "similarity": 1.0}])
    );
    let modified = diff["modified"].as_array().unwrap();
    assert_eq!(
        modified.len(),
        1,
        "only the edited page, not the template churn: {diff}"
    );
    assert_eq!(modified[0]["old"], "site/bstr.txt");
    let similarity = modified[0]["similarity"].as_f64().unwrap();
    assert!(similarity > 0.8 && similarity < 1.0, "{similarity}");
    assert_eq!(
        modified[0]["passages_added"], 2,
        "the reworded paragraph and the new one"
    );
    assert_eq!(modified[0]["passages_removed"], 1);
    assert_eq!(diff["unchanged"], 8);
}

#[test]
fn identical_versions_exit_0_and_template_churn_alone_is_no_change() {
    let w = Work::new();
    for name in &NAMES[..8] {
        w.write(&format!("old/{name}.txt"), page(name, &article(name), 1));
        w.write(&format!("new/{name}.txt"), page(name, &article(name), 2));
    }
    let out = w
        .thresh()
        .args(["diff", "old", "new", "-q"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("0 documents changed") && stdout.contains("8 unchanged"),
        "{stdout}"
    );
    let same = w
        .thresh()
        .args(["diff", "old", "old", "--json", "-q"])
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(0));
}

#[test]
fn the_human_summary_has_a_line_per_changed_document_and_no_colour_off_a_terminal() {
    let w = Work::new();
    two_scrapes(&w);
    let out = w
        .thresh()
        .args(["diff", "old", "new", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        !stdout.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("site/anyhow.txt => site/archive/anyhow.txt")
                && l.contains("renamed 1.00 similar")),
        "{stdout}"
    );
    assert!(
        lines.iter().any(|l| l.contains("site/bstr.txt")
            && l.contains("modified")
            && l.contains("+2 -1 passages")),
        "{stdout}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("site/serde_json.txt") && l.ends_with("added")),
        "{stdout}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("site/console.txt") && l.ends_with("removed")),
        "{stdout}"
    );
    assert_eq!(
        lines[4],
        " 4 documents changed: 1 added, 1 removed, 1 renamed, 1 modified; 8 unchanged"
    );
}

#[test]
fn a_folder_and_a_jsonl_corpus_compare_by_id_stem_and_content() {
    let w = Work::new();
    two_scrapes(&w);
    // The new scrape exported as JSONL with ids without extension, and a URL per record.
    let mut jsonl = String::new();
    for entry in walk(&w.path("new")) {
        let rel = entry
            .strip_prefix(w.path("new"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let id = rel.trim_end_matches(".txt");
        let text = std::fs::read_to_string(&entry).unwrap();
        jsonl += &format!(
            "{}\n",
            json!({"id": id, "url": format!("https://cratenotes.example/{id}"), "text": text})
        );
    }
    w.write("new.jsonl", jsonl);
    let out = w
        .thresh()
        .args(["diff", "old", "new.jsonl", "--json", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diff: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(diff["added"], json!(["site/serde_json"]));
    assert_eq!(diff["removed"], json!(["site/console.txt"]));
    assert_eq!(diff["renamed"][0]["new"], "site/archive/anyhow");
    assert_eq!(diff["modified"][0]["new"], "site/bstr");
    assert_eq!(diff["unchanged"], 8);
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn show_prints_the_passages_that_changed() {
    let w = Work::new();
    two_scrapes(&w);
    let out = w
        .thresh()
        .args(["diff", "old", "new", "--show", "site/bstr.txt", "-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("--- old/site/bstr.txt\n+++ new/site/bstr.txt\n"),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with('+') && l.contains("migration guide")),
        "{stdout}"
    );
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with('-') && !l.starts_with("---")),
        "{stdout}"
    );
    assert!(
        !stdout.contains("Share"),
        "the template is cleaned away before comparing: {stdout}"
    );
    // A moved document is shown against its new place; an unknown id is an error.
    let moved = w
        .thresh()
        .args(["diff", "old", "new", "--show", "site/anyhow.txt", "-q"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&moved.stdout).contains("+++ new/site/archive/anyhow.txt"));
    let unknown = w
        .thresh()
        .args(["diff", "old", "new", "--show", "nope.txt", "-q"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no document with id nope.txt"));
}

#[test]
fn the_report_accounts_for_every_document_of_both_versions() {
    let w = Work::new();
    two_scrapes(&w);
    w.write(
        "old/site/broken.jsonl",
        "{\"id\": \"x\", \"text\": \"fine\"}\nnot json\n",
    );
    let out = w
        .thresh()
        .args(["diff", "old", "new", "--report", "rep", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "a document that cannot be read is an error"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.contains("broken.jsonl"))
            .count(),
        1,
        "{stderr}"
    );
    let docs = w.jsonl("rep/documents.jsonl");
    let count = |side: &str, status: &str| {
        docs.iter()
            .filter(|d| d["side"] == side && d["status"] == status)
            .count()
    };
    assert_eq!(
        docs.iter().filter(|d| d["side"] == "old").count(),
        13,
        "11 pages and the two JSONL lines"
    );
    assert_eq!(docs.iter().filter(|d| d["side"] == "new").count(), 11);
    assert_eq!(count("old", "failed"), 1);
    assert_eq!(
        count("old", "removed"),
        2,
        "the taken-down page and the JSONL record only OLD has"
    );
    assert_eq!(count("new", "added"), 1);
    assert_eq!(count("old", "renamed") + count("new", "renamed"), 2);
    assert_eq!(count("old", "unchanged"), 8);
    let renamed = docs
        .iter()
        .find(|d| d["side"] == "old" && d["status"] == "renamed")
        .unwrap();
    assert_eq!(renamed["match"], "site/archive/anyhow.txt");
    let diff: Value = serde_json::from_str(&w.read("rep/diff.json")).unwrap();
    assert_eq!(diff["unchanged"], 8);
    let summary: Value = serde_json::from_str(&w.read("rep/summary.json")).unwrap();
    assert_eq!(summary["counts"]["modified"], 1);
    assert_eq!(summary["old"]["failed"], 1);
}

#[test]
fn missing_inputs_and_standard_input_are_usage_errors() {
    let w = Work::new();
    w.write("old/a.txt", "Some text.");
    let out = w
        .thresh()
        .args(["diff", "old", "nowhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere does not exist"));
    let out = w.thresh().args(["diff", "-", "old"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
