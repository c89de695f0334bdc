//! The five real scraped samples against `tests/fixtures/samples-expectations.json` (a copy of the
//! shared expectations), folded the way `check-samples.py` folds them.
//!
//! `samples-stages.json` says which stage each check waits for: checks of stages that are built
//! must pass; the others are listed as pending until their stage lands.

mod common;

use common::{samples_dir, Work};
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use thresh::config::Step;
use thresh::pipeline::Pipeline;
use unicode_normalization::UnicodeNormalization;

fn fold(s: &str) -> String {
    let mapped: String = s
        .nfkc()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' => '"',
            '\u{a0}' | '\u{202f}' | '\u{2009}' => ' ',
            c => c,
        })
        .collect();
    let mut out = String::with_capacity(mapped.len());
    let mut in_space = false;
    for c in mapped.chars() {
        if c == ' ' || c == '\t' {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

fn load(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn samples_meet_the_expectations_of_every_built_stage() {
    let work = Work::new();
    work.thresh()
        .arg("clean")
        .arg(samples_dir())
        .args(["--out", "out", "--report", "rep", "-q"])
        .assert()
        .success();

    // Every stage of the pipeline, and dedup, which works on the whole corpus.
    let mut built: HashSet<&str> = Pipeline::new(&Step::ALL, &Default::default())
        .stage_names()
        .into_iter()
        .collect();
    built.insert(Step::Dedup.name());
    let expectations = load("samples-expectations.json");
    let stages = load("samples-stages.json");
    let stage_of: BTreeMap<(String, String, String), String> = stages["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let key = (
                c["file"].as_str().unwrap().into(),
                c["kind"].as_str().unwrap().into(),
                c["text"].as_str().unwrap().into(),
            );
            (key, c["stage"].as_str().unwrap().to_string())
        })
        .collect();
    let flags: BTreeMap<String, Vec<String>> = work
        .jsonl("rep/documents.jsonl")
        .into_iter()
        .map(|d| {
            let flags = d["flags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap().to_string())
                .collect();
            (d["id"].as_str().unwrap().to_string(), flags)
        })
        .collect();

    let (mut failures, mut pending, mut passed) = (Vec::new(), Vec::new(), 0);
    for (file, exp) in expectations["files"].as_object().unwrap() {
        let text = fold(&work.read(&format!("out/{file}")));
        let lines: Vec<&str> = text.split('\n').map(str::trim).collect();
        let mut checks: Vec<(&str, String, bool)> = Vec::new();
        for s in exp["absent"].as_array().unwrap() {
            let s = s.as_str().unwrap();
            checks.push(("absent", s.into(), !text.contains(&fold(s))));
        }
        for s in exp["present"].as_array().unwrap() {
            let s = s.as_str().unwrap();
            checks.push((
                "present",
                s.into(),
                lines.iter().any(|l| l.contains(&fold(s))),
            ));
        }
        for rule in exp["max_lines_equal"].as_array().unwrap() {
            let want = fold(rule["text"].as_str().unwrap()).trim().to_lowercase();
            let n = lines.iter().filter(|l| l.to_lowercase() == want).count() as u64;
            checks.push((
                "max_lines_equal",
                rule["text"].as_str().unwrap().into(),
                n <= rule["max"].as_u64().unwrap(),
            ));
        }
        if let Some(spun) = exp.get("spun").and_then(Value::as_bool) {
            let got = flags
                .get(file)
                .is_some_and(|f| f.iter().any(|f| f == "spun"));
            checks.push(("spun", String::new(), got == spun));
        }
        for (kind, s, ok) in checks {
            let key = (file.clone(), kind.to_string(), s.clone());
            let stage = stage_of
                .get(&key)
                .unwrap_or_else(|| panic!("samples-stages.json does not classify {key:?}"));
            match (ok, built.contains(stage.as_str())) {
                (true, _) => passed += 1,
                (false, true) => failures.push(format!("{file}: {kind} {s:?} (stage {stage})")),
                (false, false) => pending.push(format!("{stage}: {file}: {kind} {s:?}")),
            }
        }
    }
    eprintln!(
        "samples: {passed} passed, {} pending on stages not built yet",
        pending.len()
    );
    for p in &pending {
        eprintln!("  pending {p}");
    }
    assert!(
        failures.is_empty(),
        "checks of built stages fail:\n{}",
        failures.join("\n")
    );
    assert!(passed >= 26, "the normalize checks alone pass 26");
}

#[test]
fn fold_matches_the_shared_checker() {
    assert_eq!(
        fold("“Quoted”\u{a0}and  ’tabs’\t\there ﬁ"),
        "\"Quoted\" and 'tabs' here fi"
    );
}

/// Text written for the tests, already clean, in several styles (news with quotes and a list, verse,
/// German, a technical note with code and identifiers, a list-heavy page, prose that uses the words
/// chatbots use): every built stage must leave every byte as it is.
#[test]
fn clean_documents_pass_through_every_stage_untouched() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/clean");
    let work = Work::new();
    work.thresh()
        .arg("clean")
        .arg(&dir)
        .args(["--out", "out", "--report", "rep", "-q"])
        .assert()
        .success();
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let original = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            work.read(&format!("out/{name}")),
            original,
            "normalize changed clean text in {name}"
        );
        checked += 1;
    }
    assert!(checked >= 5);
    assert_eq!(work.read("rep/edits.jsonl"), "", "no edits on clean text");
}
