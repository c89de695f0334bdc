//! Invariants, checked on generated input.

mod common;

use common::Work;
use proptest::prelude::*;
use thresh::stages::normalize::normalize_text;

/// The configuration of these properties: `cases` inputs drawn from a fixed seed, so that the
/// README's test command gives the same verdict on every run and a failure is a regression, not a
/// roll of the dice. `PROPTEST_RNG_SEED=N cargo test --release --test properties` (with
/// `PROPTEST_CASES` for more) explores other inputs; a failure it finds is saved to
/// `properties.proptest-regressions` and replayed on every run from then on.
fn config(cases: u32) -> ProptestConfig {
    let mut config = ProptestConfig::with_cases(cases);
    if matches!(config.rng_seed, proptest::test_runner::RngSeed::Random) {
        config.rng_seed = proptest::test_runner::RngSeed::Fixed(0x7468_7265_7368);
    }
    config
}

/// A case random exploration found that normalize does not yet get right: page breaks between
/// long lines, which a second pass joins as hard-wrapped (left for the normalize issue, 19).
/// `cargo test --release --test properties -- --ignored` runs it.
#[test]
#[ignore = "open: normalize is not idempotent on this input yet"]
fn open_normalize_is_idempotent_on_page_breaks_between_long_lines() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/open/normalize-idempotence-page-breaks.txt"
    ))
    .unwrap();
    let once = normalize_text(&text);
    assert_eq!(normalize_text(&once), once);
}

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
    let sentence = (
        "[A-Z][a-z]{2,9}",
        prop::collection::vec("[a-z]{1,10}", 2..14),
    )
        .prop_map(|(first, mut rest)| {
            rest.dedup();
            format!("{first} {}.", rest.join(" "))
        });
    let paragraph = prop::collection::vec(sentence, 1..5).prop_map(|s| s.join(" "));
    (prop::collection::vec(paragraph, 1..8), any::<bool>())
        .prop_map(|(paras, blank)| paras.join(if blank { "\n\n" } else { "\n" }) + "\n")
}

/// Words of ordinary prose, for hard-wrapped paragraphs.
const WORDS: &[&str] = &[
    "the",
    "river",
    "council",
    "voted",
    "on",
    "a",
    "new",
    "plan",
    "for",
    "housing",
    "near",
    "station",
    "after",
    "months",
    "of",
    "debate",
    "residents",
    "said",
    "they",
    "were",
    "worried",
    "about",
    "traffic",
    "and",
    "noise",
    "but",
    "most",
    "welcomed",
    "homes",
    "that",
    "families",
    "could",
    "afford",
    "in",
    "town",
    "where",
    "rents",
    "have",
    "risen",
    "sharply",
    "since",
    // Names and numbers: a line that starts with one is joined only as hard-wrapped text, not
    // as a sentence visibly carrying on in lowercase.
    "Mayor",
    "Jones",
    "London",
    "March",
    "2026",
    "40%",
];

/// An article: paragraphs of prose, each starting with a capital and ending with a full stop,
/// hard-wrapped at a width of 60 to 100 characters, a blank line between paragraphs. (Narrower,
/// every line is shorter than a verse line may be, and a short template line attached above makes
/// a block of verse, whose lines are never joined; the article alone is not one.)
fn wrapped_article() -> impl Strategy<Value = String> {
    let paragraph = prop::collection::vec(prop::sample::select(WORDS), 12..80);
    (prop::collection::vec(paragraph, 1..4), 60usize..100).prop_map(|(paragraphs, width)| {
        let mut out = Vec::new();
        for words in paragraphs {
            let mut text = words.join(" ");
            text[..1].make_ascii_uppercase();
            text.push('.');
            let mut line = String::new();
            for w in text.split(' ') {
                if !line.is_empty() && line.len() + 1 + w.len() > width {
                    out.push(std::mem::take(&mut line));
                }
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(w);
            }
            out.push(line);
            out.push(String::new());
        }
        out.pop();
        out.join("\n")
    })
}

/// A page template's lines: menus and bylines above the article (attached to it or after a blank
/// line), notices below it after a blank line, long ones included.
fn template() -> impl Strategy<Value = (String, String)> {
    let above = prop::sample::select(vec![
        "Home | News | Sport | Weather",
        "Local news",
        "By Staff Reporter",
        "Updated 3 December 2026",
    ]);
    let below = prop::sample::select(vec![
        "Copyright 2026 Example Media. All rights reserved.",
        "Share this article",
        "Terms of use | Privacy policy | Contact us",
        "Sign up for our newsletter to get the day's local news, weather and sport delivered to your inbox every morning, and never miss a story that matters to you.",
    ]);
    (
        prop::collection::vec(above, 0..3),
        any::<bool>(),
        prop::collection::vec(below, 0..3),
    )
        .prop_map(|(above, blank, below)| {
            let mut head = above.join("\n");
            if !head.is_empty() {
                head.push_str(if blank { "\n\n" } else { "\n" });
            }
            let tail = if below.is_empty() {
                String::new()
            } else {
                format!("\n\n{}", below.join("\n"))
            };
            (head, tail)
        })
}

proptest! {
    #![proptest_config(config(300))]

    /// Joins are decided by the article's own text: the same article gives the same lines
    /// whatever template surrounds it.
    #[test]
    fn a_template_around_an_article_changes_nothing_inside_it(
        article in wrapped_article(),
        (head, tail) in template(),
    ) {
        let alone = normalize_text(&article);
        let framed = normalize_text(&format!("{head}{article}{tail}"));
        let alone_lines: Vec<&str> = alone.lines().collect();
        let framed_lines: Vec<&str> = framed.lines().collect();
        let found = framed_lines
            .windows(alone_lines.len())
            .any(|w| w == alone_lines.as_slice());
        prop_assert!(found, "alone:\n{}\nframed:\n{}", alone, framed);
    }
}

proptest! {
    #![proptest_config(config(600))]

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
        let pipeline = thresh::pipeline::Pipeline::new(&thresh::config::Step::ALL, &Default::default());
        let out = pipeline.process(thresh::document::Document::from_text("p", &text));
        prop_assert_eq!(out.doc.text(), text, "edits: {:?}", out.edits);
    }

    #[test]
    fn normalized_text_has_no_invisible_or_control_characters(text in messy_text()) {
        let out = normalize_text(&text);
        // Code (fenced, or an indented block) keeps its bytes; table rows (pipes at both ends, or
        // three or more cells split by tabs) keep their spacing.
        let fenced = text.contains("```") || text.contains("~~~");
        for line in out.lines() {
            let t = line.trim();
            let table = (t.len() > 1 && t.starts_with('|') && t.ends_with('|'))
                || t.split('\t').filter(|c| !c.trim().is_empty()).count() >= 3;
            let code = fenced || line.starts_with("    ") || line.starts_with('\t');
            for c in line.chars() {
                prop_assert!(c == '\t' && (code || table) || !c.is_control(), "control {:?} left in {:?}", c, out);
                prop_assert!(code || !matches!(c, '\u{200b}' | '\u{feff}' | '\u{ad}') , "{:?} left in {:?}", c, out);
                prop_assert!(c != '\u{a0}' || code || table, "no-break space left in {:?}", out);
            }
        }
    }
}

/// Text from every corner of Unicode and markup: combining marks, right-to-left scripts and
/// marks, CJK, emoji sequences, control characters, very long words, stray quotes and brackets,
/// Markdown and HTML, escaped surrogates, and the phrases the machine-text stage looks for.
fn unicode_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => messy_fragment(),
        1 => "[a-z]{1,5}[\u{300}-\u{36f}]{1,3}",
        1 => "[\u{300}-\u{36f}\u{20d0}-\u{20ff}]{1,4}",
        1 => "[\u{5d0}-\u{5ea}\u{5b0}-\u{5c7} ]{1,20}",
        1 => "[\u{621}-\u{64a}\u{64b}-\u{652} ]{1,20}",
        1 => "[\u{200e}\u{200f}\u{202a}-\u{202e}\u{2066}-\u{2069}]",
        1 => "[\u{4e00}-\u{9fff}\u{3000}-\u{303f}\u{ff01}-\u{ff5e}]{1,20}",
        1 => "[\u{3040}-\u{30ff}\u{ac00}-\u{d7a3}]{1,10}",
        1 => Just("👩\u{200d}👩\u{200d}👧\u{200d}👦".to_string()),
        1 => Just("🏳\u{fe0f}\u{200d}🌈".to_string()),
        1 => Just("👍🏽".to_string()),
        1 => Just("🇫🇷".to_string()),
        1 => "[\u{1f300}-\u{1faff}]{1,3}",
        1 => "[\u{0}-\u{1f}\u{7f}-\u{9f}]{1,3}",
        1 => "[\u{feff}\u{fffd}\u{2028}\u{2029}\u{85}\u{ad}\u{2060}\u{fe0f}]",
        1 => "[a-zA-Z\u{e9}\u{df}]{500,3000}",
        1 => "[\"“”„'‘’«»‹›()\\[\\]{}<>]{1,3}",
        1 => Just("\"".to_string()),
        1 => Just("(".to_string()),
        1 => Just("]".to_string()),
        1 => Just("`".to_string()),
        1 => Just("\n> ".to_string()),
        1 => Just("\n| a | b |\n|---|---|\n| 1 | 2 |\n".to_string()),
        1 => Just("![img](x.png)".to_string()),
        1 => Just("[^1]".to_string()),
        1 => Just("\n1) ".to_string()),
        1 => Just("<p>".to_string()),
        1 => Just("</div>".to_string()),
        1 => Just("<br/>".to_string()),
        1 => Just("<a href=\"https://example.org/\">".to_string()),
        1 => Just("<!-- note -->".to_string()),
        1 => Just("<script>var x = 1;</script>".to_string()),
        1 => Just("&nbsp;".to_string()),
        1 => Just("&#xD800;".to_string()),
        1 => Just("&#55357;&#56832;".to_string()),
        1 => Just("\\ud83d\\ude00".to_string()),
        1 => Just("\\ud800".to_string()),
        1 => Just("As an AI language model, I cannot browse the web. ".to_string()),
        1 => Just("I am an AI language model. ".to_string()),
        1 => Just("Certainly! Here is the revised text: \"was seen.\" ".to_string()),
        1 => Just("Subscribe to our newsletter\n".to_string()),
    ]
}

/// Up to a few dozen fragments; sometimes with one line of them repeated to 10,000 characters
/// and more.
fn unicode_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(unicode_fragment(), 0..50),
        any::<bool>(),
        0usize..4,
    )
        .prop_map(|(parts, long_line, at)| {
            let mut text = parts.concat();
            if long_line {
                let line = parts
                    .iter()
                    .take(8)
                    .map(|p| p.replace(['\n', '\r'], " "))
                    .collect::<String>()
                    + " words ";
                let long = line.repeat(10_000 / line.chars().count().max(1) + 1);
                let at = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(at * 7)
                    .unwrap_or(text.len());
                text.insert_str(at, &format!("\n{long}\n"));
            }
            text
        })
}

/// The `\uXXXX` escapes of a surrogate that is not half of a pair.
fn lone_surrogate_escapes(text: &str) -> Vec<String> {
    let escapes: Vec<(usize, u32)> = text
        .match_indices("\\u")
        .filter_map(|(i, _)| Some((i, u32::from_str_radix(text.get(i + 2..i + 6)?, 16).ok()?)))
        .collect();
    let mut lone = Vec::new();
    let mut k = 0;
    while k < escapes.len() {
        let (i, unit) = escapes[k];
        let pairs = (0xd800..0xdc00).contains(&unit)
            && escapes
                .get(k + 1)
                .is_some_and(|&(j, low)| j == i + 6 && (0xdc00..0xe000).contains(&low));
        if pairs {
            k += 2;
            continue;
        }
        if (0xd800..0xe000).contains(&unit) {
            lone.push(text[i..i + 6].to_lowercase());
        }
        k += 1;
    }
    lone
}

proptest! {
    #![proptest_config(config(300))]

    /// A rule switched off makes no edit, whichever others are off too, and the text is what
    /// the rules left on make of it (the recorder's debug assertion also catches a rule that
    /// changed the text without asking whether it is on).
    #[test]
    fn a_rule_switched_off_makes_no_edit(text in messy_text(), mask in any::<u64>(), salt in 0usize..64) {
        use thresh::stages::{stage::RuleSwitches, StageOptions, RULES};
        let names: Vec<String> = RULES
            .iter()
            .flat_map(|&(stage, rules)| rules.iter().map(move |r| format!("{stage}/{r}")))
            .collect();
        let off: Vec<String> = names
            .iter()
            .enumerate()
            .filter(|(i, _)| mask >> ((i + salt) % 64) & 1 == 1)
            .map(|(_, n)| n.clone())
            .collect();
        let options = StageOptions {
            rules: RuleSwitches::off(&off, RULES).unwrap(),
            ..StageOptions::default()
        };
        let pipeline = thresh::pipeline::Pipeline::new(&thresh::config::Step::ALL, &options);
        let out = pipeline.process(thresh::document::Document::from_text("p", &text));
        for e in &out.edits {
            let name = format!("{}/{}", e.stage, e.rule);
            prop_assert!(!off.contains(&name), "{} is off but edited {:?}", name, e);
        }
    }
}

proptest! {
    #![proptest_config(config(400))]

    /// Any text, through every step: no panic, text out (a `String`, so valid UTF-8) with no
    /// lone surrogate escape the input did not have, and normalization idempotent as the README
    /// says. With corpus statistics too (the document counted as three pages of its site, so its
    /// lines are the site's template).
    #[test]
    fn every_step_takes_any_unicode(text in unicode_text(), with_stats in any::<bool>()) {
        use thresh::config::Step;
        use thresh::dedup::Fingerprinter;
        use thresh::pipeline::Pipeline;
        use thresh::stages::StageOptions;
        let corpus_stats = with_stats.then(|| {
            std::sync::Arc::new(thresh::corpus::CorpusStats::of_texts(true, std::iter::repeat_n(("example.org", text.as_str()), 3)))
        });
        let pipeline = Pipeline::new(&Step::ALL, &StageOptions { corpus_stats: corpus_stats.clone(), ..StageOptions::default() });
        let fingerprinter = Fingerprinter { view: None, corpus_stats, defer_templates: false, spans: true };
        let mut doc = thresh::document::Document::from_text("u", &text);
        doc.site = "example.org".into();
        let out = pipeline.process(doc);
        let cleaned: String = out.doc.text();
        let before = lone_surrogate_escapes(&text);
        for escape in lone_surrogate_escapes(&cleaned) {
            prop_assert!(before.contains(&escape), "{} made up in {:?}", escape, cleaned);
        }
        // Dedup's print of the cleaned document, as the document step makes it.
        fingerprinter.fingerprint(&out.doc);
        let once = normalize_text(&text);
        prop_assert_eq!(normalize_text(&once), once);
    }
}

proptest! {
    // Each case runs the real binary: few cases, many documents each.
    #![proptest_config(config(12))]

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
        // The manifest lists what thresh wrote; it is not a document.
        let files_out: Vec<_> = common::snapshot(&work.path("out")).into_iter().filter(|(rel, _)| rel != ".thresh-output").collect();
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
                if rng % 100 < edit as u64 {
                    format!("x{}", rng % 997)
                } else {
                    w.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn cluster(texts: &[String], threads: usize) -> Clusters {
        let docs = texts
            .iter()
            .enumerate()
            .map(|(i, t)| (format!("d{i:03}"), Document::from_text("d", t)));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| cluster_in_memory(docs, 0.8)).unwrap()
    }

    proptest! {
        #![proptest_config(super::config(48))]

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
                    // No chaining: each member is a duplicate of the kept document itself, or
                    // mostly made of passages of earlier documents (a partial duplicate).
                    prop_assert!(m.measure == "exact" || m.jaccard >= 0.8 || m.containment >= 0.7
                        || (m.measure == "spans" && m.containment >= 0.5));
                    prop_assert_eq!(m.duplicate, m.measure != "spans");
                    prop_assert_eq!(one.doc_of[m.doc as usize], Some((n as u32, m.duplicate)));
                }
            }
            let in_clusters = one.doc_of.iter().filter(|d| d.is_some()).count();
            prop_assert_eq!(in_clusters, seen.len());
        }

        #[test]
        fn a_span_planted_in_two_documents_is_a_passage_whatever_surrounds_it(
            seed in 0u64..1_000_000,
            len in 30usize..120,
            before in (0usize..150, 0usize..150),
            after in (0usize..100, 0usize..100),
            // Where the second copy's lines break: every `wrap` words (0 for one line).
            wrap in prop_oneof![Just(0usize), 6usize..20],
            others in 0usize..4,
        ) {
            let span = prose(seed, len);
            // Each document has at least as many words of its own as the span: mostly a copy, it
            // would be a duplicate document (or a partial one), not a document with a passage.
            let after = (
                after.0 + len.saturating_sub(before.0 + after.0),
                after.1 + len.saturating_sub(before.1 + after.1),
            );
            let rewrap = |text: &str| -> String {
                if wrap == 0 {
                    return text.to_string();
                }
                let words: Vec<&str> = text.split(' ').collect();
                words.chunks(wrap).map(|c| c.join(" ")).collect::<Vec<_>>().join("\n")
            };
            let mut texts = vec![
                format!("{} {span}. {}", prose(seed + 1, before.0), prose(seed + 2, after.0)),
                format!("{}\n{}\n{}", prose(seed + 3, before.1), rewrap(&span), prose(seed + 4, after.1)),
            ];
            // Unrelated documents around them share nothing with anyone.
            texts.extend((0..others).map(|k| prose(seed + 10 + k as u64, 80)));
            let found = cluster(&texts, 2);
            prop_assert_eq!(found.passages.len(), 1, "{:?}", found.passages);
            let members = &found.passages[0].members;
            let docs: Vec<u32> = members.iter().map(|m| m.doc).collect();
            prop_assert_eq!(docs, vec![0, 1]);
            for m in members {
                prop_assert!(m.words.len() + 10 >= len, "{:?}", m);
            }
        }

        #[test]
        fn unrelated_documents_share_no_passage(seed in 0u64..1_000_000, n in 2usize..8, len in 40usize..300) {
            let texts: Vec<String> = (0..n).map(|k| prose(seed * 31 + k as u64, len)).collect();
            let found = cluster(&texts, 2);
            prop_assert!(found.passages.is_empty(), "{:?}", found.passages);
            prop_assert!(found.documents.is_empty());
        }
    }

    /// Made-up prose: words drawn from a vocabulary large enough that two texts share no run.
    fn prose(seed: u64, n: usize) -> String {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                format!("w{}", x % 5000)
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}
