//! thresh's mojibake repair on ftfy's public test cases (tests/fixtures/ftfy, Apache-2.0): real
//! tweets and web text that nobody on the project wrote, each with ftfy's own repair.
//!
//! The expected text is ftfy's encoding repair alone (`fixed-encoding`, else `fixed`): quote
//! straightening, NFC and the like are other rules in thresh, as they are in ftfy.

use serde_json::Value;
use thresh::stages::normalize::fix_encoding;

struct Case {
    label: String,
    original: String,
    expected: String,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ftfy/test_cases.json"
    ))
    .unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    cases
        .iter()
        .filter(|c| c["expect"] == "pass")
        .map(|c| {
            let s = |k: &str| c[k].as_str().map(str::to_string);
            Case {
                label: s("label").unwrap_or_default(),
                original: s("original").unwrap(),
                expected: s("fixed-encoding").or_else(|| s("fixed")).unwrap(),
            }
        })
        .collect()
}

/// Each case as its label, its text and thresh's repair of it, for a failure message.
fn described<'a>(cases: impl Iterator<Item = &'a Case>) -> Vec<String> {
    cases
        .map(|c| {
            format!(
                "{}: {:?} -> {:?}",
                c.label,
                c.original,
                fix_encoding(&c.original)
            )
        })
        .collect()
}

#[test]
fn repairs_ftfys_cases() {
    let cases = cases();
    assert_eq!(
        cases.len(),
        151,
        "the fixture holds ftfy 6.3.1's 151 passing cases"
    );
    let misses = described(
        cases
            .iter()
            .filter(|c| fix_encoding(&c.original) != c.expected),
    );
    let passed = cases.len() - misses.len();
    println!(
        "ftfy's cases: {passed}/{} repaired as ftfy does",
        cases.len()
    );
    assert!(
        passed >= 145,
        "{passed}/151; misses:\n{}",
        misses.join("\n")
    );
}

#[test]
fn leaves_every_clean_case_alone() {
    // The cases where ftfy's repair leaves the text as it is: text that only looks odd.
    let clean: Vec<Case> = cases()
        .into_iter()
        .filter(|c| c.original == c.expected)
        .collect();
    assert!(clean.len() >= 31);
    let changed = described(
        clean
            .iter()
            .filter(|c| fix_encoding(&c.original) != c.original),
    );
    assert!(changed.is_empty(), "changed:\n{}", changed.join("\n"));
}
