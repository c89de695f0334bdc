//! The spin stage on documents written for the tests (`tests/fixtures/spin/`), none taken from
//! the samples: spun articles on blood pressure, machine learning, PTSD and solar panels, and
//! clean documents whose wording is unusual but correct ("residential properties", "semantic
//! networks", "complimentary breakfast", "Doctors Without Borders (MSF)").
//!
//! `spin/thesaurus-spun/` holds two articles written for these tests (`spin/originals/`) spun word
//! by word by `benches/spin_eval.py`'s spinner with the held-out half of the thesaurus: no table
//! entry matches them, so only the context evidence (issue 21) can flag them.
//!
//! Goals (issue 4): spun documents flagged; clean ones, including the unusual ones, the prose
//! fixtures and the clean fixtures, flagged under 2% of the time (here: never) and never edited.

use std::path::{Path, PathBuf};
use thresh::config::SpunMode;
use thresh::document::Document;
use thresh::stages::spin::Spin;
use thresh::stages::stage::Stage;

fn fixtures(dir: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

fn spin(text: &str, mode: SpunMode) -> thresh::stages::stage::StageOutput {
    Spin::new(mode).run(Document::from_text("t", text))
}

#[test]
fn spun_articles_are_flagged_and_repaired() {
    let spun = fixtures("spin/spun");
    assert!(spun.len() >= 4);
    for (path, text) in &spun {
        let out = spin(text, SpunMode::Repair);
        assert!(
            out.doc.flags.contains(&"spun".to_string()),
            "{path} not flagged: score {:?}",
            out.doc.scores
        );
        assert!(
            !out.edits.is_empty(),
            "{path}: flagged but nothing repaired"
        );
        // Repairing is idempotent: what is left holds no repairable substitution.
        let again = spin(&out.doc.text(), SpunMode::Repair);
        assert!(
            again.edits.is_empty(),
            "{path}: a second pass still repairs {:?}",
            again.edits
        );
    }
    let repaired = |name: &str| {
        let (_, text) = spun.iter().find(|(p, _)| p.ends_with(name)).unwrap();
        spin(text, SpunMode::Repair).doc.text()
    };
    let bp = repaired("blood-pressure.txt");
    assert!(
        bp.contains("High blood pressure is")
            && bp.contains("Your heart rate and your blood pressure"),
        "{bp}"
    );
    assert!(bp.contains("\nConclusion\n"), "{bp}");
    let ptsd = repaired("ptsd.txt");
    assert!(
        ptsd.contains("New Hope for Post-Traumatic Stress Disorder"),
        "{ptsd}"
    );
    assert!(
        ptsd.contains("The side effects were") && ptsd.contains("shortness of breath"),
        "{ptsd}"
    );
    let ml = repaired("machine-learning.txt");
    assert!(
        ml.contains("Machine learning and artificial intelligence have actually"),
        "{ml}"
    );
    // Weak evidence ("have actually") is never rewritten.
    assert!(ml.contains("have actually"));
}

#[test]
fn flag_mode_flags_without_changing_a_word() {
    for (path, text) in fixtures("spin/spun") {
        let out = spin(&text, SpunMode::Flag);
        assert!(out.doc.flags.contains(&"spun".to_string()), "{path}");
        assert!(out.edits.is_empty(), "{path}");
        assert_eq!(out.doc.text(), text);
    }
}

#[test]
fn clean_documents_are_not_flagged_or_touched() {
    let mut clean = fixtures("spin/unusual");
    clean.extend(fixtures("spin/originals"));
    clean.extend(fixtures("prose"));
    clean.extend(fixtures("clean"));
    assert!(clean.len() >= 20);
    let mut flagged = Vec::new();
    for (path, text) in &clean {
        let out = spin(text, SpunMode::Repair);
        if out.doc.flags.contains(&"spun".to_string()) {
            flagged.push((path.clone(), out.doc.scores.clone()));
        }
        assert!(out.edits.is_empty(), "{path}: {:?}", out.edits);
    }
    eprintln!(
        "clean documents flagged spun: {} of {}",
        flagged.len(),
        clean.len()
    );
    assert!(
        flagged.is_empty(),
        "clean documents flagged spun: {flagged:?}"
    );
}

fn trigrams(text: &str) -> std::collections::HashSet<(String, String, String)> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words
        .windows(3)
        .map(|w| (w[0].clone(), w[1].clone(), w[2].clone()))
        .collect()
}

fn jaccard(a: &str, b: &str) -> f64 {
    let (a, b) = (trigrams(a), trigrams(b));
    a.intersection(&b).count() as f64 / a.union(&b).count() as f64
}

#[test]
fn text_spun_by_an_unknown_thesaurus_is_flagged_by_its_collocations() {
    for (path, text) in fixtures("spin/thesaurus-spun") {
        let original =
            std::fs::read_to_string(path.replace("thesaurus-spun", "originals")).unwrap();
        let out = spin(&text, SpunMode::Repair);
        assert!(
            out.doc.flags.contains(&"spun".to_string()),
            "{path} not flagged: {:?}",
            out.doc.scores
        );
        // No table entry matched: every edit is a word judged by its context, with its evidence.
        assert!(!out.edits.is_empty(), "{path}: nothing repaired");
        for e in &out.edits {
            assert_eq!(e.rule, "spun_word", "{path}: {e:?}");
            assert!(
                e.evidence.as_deref().is_some_and(|ev| ev.contains("->")),
                "{e:?}"
            );
        }
        // Repair moves the text toward what was written, never away from it.
        let repaired = out.doc.text();
        assert!(
            jaccard(&repaired, &original) > jaccard(&text, &original),
            "{path}: repair moved away from the original"
        );
        // A flagged document's repair is stable: the repaired text repairs no further.
        let again = spin(&repaired, SpunMode::Flag);
        assert!(again.edits.is_empty());
    }
}

#[test]
fn the_score_is_a_density_and_short_slips_do_not_flag() {
    // One spun collocation in a short, otherwise fluent note: evidence, but far below the
    // threshold, since the score is per 1,000 words with a floor of 250.
    let text = "The council approved the budget on Tuesday. Members said the plan would help \
                the city grow, and the mayor praised the agreement. The plan raises total \
                spending by quadruped percent and keeps the tax rate where it is.";
    let out = spin(text, SpunMode::Repair);
    assert!(
        out.doc.scores["spin"] > 0.0,
        "the slip is evidence: {:?}",
        out.doc.scores
    );
    assert!(
        !out.doc.flags.contains(&"spun".to_string()),
        "{:?}",
        out.doc.scores
    );
    assert!(out.edits.is_empty());
}
