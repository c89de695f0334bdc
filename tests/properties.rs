//! Invariants, checked on generated input.

mod common;

use common::Work;
use proptest::prelude::*;
use thresh::stages::normalize::normalize_text;

/// Fragments of the damage scraped text carries, to be strung together at random.
fn messy_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z]{1,12}",
        Just(" ".to_string()),
        Just("  ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just(". ".to_string()),
        Just(", ".to_string()),
        Just("-\n".to_string()),
        Just("\u{a0}".to_string()),
        Just("\u{200b}".to_string()),
        Just("\u{c}".to_string()),
        Just("&amp;".to_string()),
        Just("&quot;".to_string()),
        Just("caf\u{c3}\u{a9}".to_string()),
        Just("\u{e2}\u{80}\u{99}".to_string()),
        Just("**".to_string()),
        Just("*".to_string()),
        Just("__".to_string()),
        Just("[link](https://example.org/x)".to_string()),
        Just("](https://example.org/y)".to_string()),
        Just("\n- · ".to_string()),
        Just("\n  • ".to_string()),
        Just("\n- 1. ".to_string()),
        Just("\n# ".to_string()),
        Just("$\\underline{x\\&y}$".to_string()),
        Just("\n```\n".to_string()),
        Just("ﬁ".to_string()),
        Just("e\u{301}".to_string()),
        Just("\t".to_string()),
        Just(":".to_string()),
        any::<char>().prop_map(String::from),
    ]
}

fn messy_text() -> impl Strategy<Value = String> {
    prop::collection::vec(messy_fragment(), 0..80).prop_map(|v| v.concat())
}

/// Sentences of plain words, one paragraph per line or separated by blank lines: nothing to fix.
/// (A word twice in a row is a slip the repair stage mends, so the generator never makes one.)
fn clean_text() -> impl Strategy<Value = String> {
    let sentence = ("[A-Z][a-z]{2,9}", prop::collection::vec("[a-z]{1,10}", 2..14)).prop_map(|(first, mut rest)| {
        rest.dedup();
        format!("{first} {}.", rest.join(" "))
    });
    let paragraph = prop::collection::vec(sentence, 1..5).prop_map(|s| s.join(" "));
    (prop::collection::vec(paragraph, 1..8), any::<bool>())
        .prop_map(|(paras, blank)| paras.join(if blank { "\n\n" } else { "\n" }) + "\n")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn normalize_is_idempotent(text in messy_text()) {
        let once = normalize_text(&text);
        prop_assert_eq!(normalize_text(&once), once);
    }

    #[test]
    fn normalize_leaves_clean_prose_untouched(text in clean_text()) {
        prop_assert_eq!(normalize_text(&text), text);
    }

    #[test]
    fn every_built_stage_leaves_clean_prose_untouched(text in clean_text()) {
        let pipeline = thresh::pipeline::Pipeline::new(&thresh::pipeline::Step::ALL);
        let out = pipeline.process(thresh::document::Document::from_text("p", &text));
        prop_assert_eq!(out.doc.text(), text, "edits: {:?}", out.edits);
    }

    #[test]
    fn normalized_text_has_no_invisible_or_control_characters(text in messy_text()) {
        let out = normalize_text(&text);
        // Code (fenced, or an indented block) keeps its layout: tabs and spaces may stay there.
        let fenced = text.contains("```");
        for line in out.lines() {
            let code = fenced || line.starts_with("    ") || line.starts_with('\t');
            for c in line.chars() {
                prop_assert!(c == '\t' && code || !c.is_control(), "control {:?} left in {:?}", c, out);
                prop_assert!(!matches!(c, '\u{200b}' | '\u{feff}' | '\u{ad}') , "{:?} left in {:?}", c, out);
                prop_assert!(c != '\u{a0}' || code, "no-break space left in {:?}", out);
            }
        }
    }
}

proptest! {
    // Each case runs the real binary: few cases, many documents each.
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn every_input_document_is_accounted_for(
        files in prop::collection::vec((0u8..6, messy_text()), 1..12),
    ) {
        let work = Work::new();
        let mut expected = 0;
        for (i, (kind, text)) in files.iter().enumerate() {
            match kind {
                0 | 1 => { work.write(&format!("in/f{i}.txt"), text); expected += 1; }
                2 => { work.write(&format!("in/f{i}.bin.txt"), [b"\0\x01\x02".as_slice(), text.as_bytes()].concat()); expected += 1; }
                3 => {
                    // Good records, a broken one, blank lines (not documents).
                    let body = format!("{}\n\n{{broken\n{}\n", serde_json::json!({"text": text}), serde_json::json!({"text": "second"}));
                    work.write(&format!("in/f{i}.jsonl"), body);
                    expected += 3;
                }
                4 => { work.write(&format!("in/f{i}.pdf"), text); expected += 1; }
                _ => { work.write(&format!("in/sub/f{i}.md"), text); expected += 1; }
            }
        }
        let out = work.thresh().args(["clean", "in", "--out", "out", "--report", "rep", "-q"]).output().unwrap();
        prop_assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out);
        let docs = work.jsonl("rep/documents.jsonl");
        prop_assert_eq!(docs.len(), expected);
        let written = docs.iter().filter(|d| d["status"] == "kept").count();
        let files_out = common::snapshot(&work.path("out"));
        let lines_out: usize = files_out.iter().map(|(rel, b)| if rel.ends_with(".jsonl") { b.iter().filter(|&&c| c == b'\n').count() } else { 1 }).sum();
        prop_assert_eq!(lines_out, written, "every kept document is written, nothing else");
    }
}

/// Dedup over corpora of variants of a few base texts: words dropped, replaced and cut off.
mod dedup_properties {
    use proptest::prelude::*;
    use thresh::dedup::{cluster_in_memory, Clusters};
    use thresh::document::Document;

    const BASES: [&str; 4] = [
        "the ferry between the two islands will run again next month after a winter of repairs to the northern pier which a cargo ship struck in the january storms and shopkeepers say the closure cut their takings by half",
        "volunteers counted more than four hundred swifts nesting under the eaves of the old church this summer the highest number since records began and the parish will delay the roof repairs until the young birds leave",
        "a teacher has written a short history of the railway that once ran along the valley using letters from drivers timetables found in an attic and the memories of pupils whose grandparents worked at the station",
        "the county archive keeps a ledger showing that the mill changed hands seven times in one century each owner adding a storey or a chimney and each leaving debts that the next one paid by selling part of the orchard",
    ];

    /// A variant of a base text: (base, seed for edits, share of words edited in percent, words kept in percent).
    fn variant() -> impl Strategy<Value = (usize, u64, u32, u32)> {
        (0..BASES.len(), any::<u64>(), 0u32..30, 40u32..=100)
    }

    fn render((base, seed, edit, keep): (usize, u64, u32, u32)) -> String {
        let mut rng = seed | 1;
        let words: Vec<&str> = BASES[base].split(' ').collect();
        let keep = (words.len() * keep as usize / 100).max(3);
        words[..keep]
            .iter()
            .map(|w| {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                if rng % 100 < edit as u64 { format!("x{}", rng % 997) } else { w.to_string() }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn cluster(texts: &[String], threads: usize) -> Clusters {
        let docs = texts.iter().enumerate().map(|(i, t)| (format!("d{i:03}"), Document::from_text("d", t)));
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| cluster_in_memory(docs, 0.8)).unwrap()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn clusters_do_not_depend_on_threads_and_never_overlap(variants in prop::collection::vec(variant(), 1..40)) {
            let texts: Vec<String> = variants.into_iter().map(render).collect();
            let one = cluster(&texts, 1);
            let four = cluster(&texts, 4);
            prop_assert_eq!(&one.documents, &four.documents);
            prop_assert_eq!(&one.passages, &four.passages);
            let mut seen = std::collections::HashSet::new();
            for (n, c) in one.documents.iter().enumerate() {
                prop_assert!(seen.insert(c.kept));
                prop_assert_eq!(one.doc_of[c.kept as usize], Some((n as u32, false)));
                for m in &c.members {
                    prop_assert!(seen.insert(m.doc), "document {} in two clusters", m.doc);
                    // No chaining: each member is a duplicate of the kept document itself.
                    prop_assert!(m.measure == "exact" || m.jaccard >= 0.8 || m.containment >= 0.7);
                    prop_assert_eq!(one.doc_of[m.doc as usize], Some((n as u32, true)));
                }
            }
            let in_clusters = one.doc_of.iter().filter(|d| d.is_some()).count();
            prop_assert_eq!(in_clusters, seen.len());
        }
    }
}
