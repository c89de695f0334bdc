//! Recovery and false-split rates of the repair stage on prose written for the tests
//! (`tests/fixtures/prose/`, a dozen documents on unrelated topics, none from the samples).
//!
//! Goals (issue 4): at least 95% of glued word pairs split back, fewer than 1 false split per
//! 1,000 tokens, and clean prose left byte for byte as it is. This is a regression test on our
//! own prose, not evidence (that is `benches/eval_glue.py`, on real pages). Since issue 20 a
//! Capitalised token is split only at a sentence's start after a function word ("Theresults"):
//! on real pages nearly every other such split was a name or a brand, so the pairs here that
//! glue a name or a sentence's first content word ("Surveyssuggest", "Englandand") are given
//! up, and the floor is 92%.

mod common;

use common::Lcg;
use std::path::Path;
use thresh::document::Document;
use thresh::stages::repair::Repair;
use thresh::stages::stage::Stage;

fn prose() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/prose");
    let mut docs: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    docs.sort();
    assert!(docs.len() >= 10, "the prose fixtures are missing");
    docs
}

fn repair(id: &str, text: &str) -> (String, Vec<thresh::document::Edit>) {
    let out = Repair::default().run(Document::from_text(id, text));
    (out.doc.text(), out.edits)
}

#[test]
fn clean_prose_is_left_untouched() {
    for (id, text) in prose() {
        let (out, edits) = repair(&id, &text);
        assert_eq!(out, text, "{id}: edits on clean prose: {edits:?}");
    }
}

/// Glue one pair of neighbouring words at a time, in its own paragraph, and check the stage
/// gives the paragraph back exactly: the split at the right place and nothing else touched.
#[test]
fn glued_pairs_are_split_back_and_nothing_else_is() {
    let mut rng = Lcg(4);
    let (mut glued, mut recovered, mut unrecoverable, mut false_splits, mut tokens) =
        (0, 0, 0, 0, 0);
    let mut missed = Vec::new();
    for (id, text) in prose() {
        for paragraph in text.lines().filter(|l| l.split(' ').count() > 12) {
            let words: Vec<&str> = paragraph.split(' ').collect();
            for i in 0..words.len() - 1 {
                if rng.next(3) != 0 {
                    continue; // A third of the pairs: every paragraph contributes, none dominates.
                }
                let (left, right) = (words[i], words[i + 1]);
                let right_core = right.trim_end_matches(['.', ',', ';', ':', '!', '?', '"']);
                let plain = |w: &str| w.len() > 1 && w.bytes().all(|b| b.is_ascii_alphabetic());
                if !plain(left)
                    || !plain(right_core)
                    || right_core.bytes().any(|b| b.is_ascii_uppercase())
                {
                    continue;
                }
                let joined = format!("{left}{right_core}");
                if thresh::lexicon::zipf(&joined).is_some() {
                    unrecoverable += 1; // "in" + "to": the glued form is a word in its own right.
                    continue;
                }
                let mut damaged = words.clone();
                let merged = format!("{left}{right}");
                damaged.splice(i..i + 2, [merged.as_str()]);
                let input = damaged.join(" ") + "\n";
                let (out, edits) = repair(&id, &input);
                glued += 1;
                tokens += damaged.len();
                if out == format!("{paragraph}\n") {
                    recovered += 1;
                } else {
                    missed.push(joined);
                }
                let right_split = format!("{left} {right_core}");
                false_splits += edits
                    .iter()
                    .filter(|e| !e.after.contains(&right_split))
                    .count();
            }
        }
    }
    let rate = recovered as f64 / glued as f64;
    let false_per_k = false_splits as f64 * 1000.0 / tokens as f64;
    eprintln!(
        "glued pairs: {glued} ({unrecoverable} more are words when glued); recovered {recovered} ({:.1}%); \
         false splits {false_splits} ({false_per_k:.2} per 1,000 tokens); missed: {missed:?}",
        rate * 100.0
    );
    assert!(glued > 300, "too few pairs to measure: {glued}");
    assert!(
        rate >= 0.92,
        "recovered only {:.1}% of glued pairs",
        rate * 100.0
    );
    assert!(
        false_per_k < 1.0,
        "{false_per_k:.2} false splits per 1,000 tokens"
    );
}
