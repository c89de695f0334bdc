//! The repair stage: words a scraper glued together, and garbled phrasing.
//!
//! Rules, each a rule name in `edits.jsonl`:
//! - `glued_words`: "patientswith" -> "patients with" (see [`glue`] for when a token is split);
//! - `doubled_word`: "the the" -> "the", for English function words only, in English text;
//! - `space_before_punct`: "word ," -> "word,";
//! - `space_after_punct`: "management,utilization" -> "management, utilization", in English text;
//! - `double_hyphen_dash`: "portion-- estimates" -> "portion — estimates";
//! - `stray_quote`: a lone `"` between words in a line whose quotes do not pair up.
//!
//! Lines that look like program text are left alone, and the English-only rules (glued words,
//! doubled words, spacing before `; : ! ?`) run only on documents the lexicon can read, and not on
//! a paragraph in another language inside them.

pub mod garble;
pub mod glue;

use crate::document::Document;
use crate::patch::Patch;
use crate::stages::stage::{Recorder, RuleSwitches};
use crate::stages::stage::{Stage, StageOutput};
use glue::WordCounts;
use std::sync::Arc;

/// A rule that proposes patches to one line: its name, whether it applies to English text only,
/// and its finder.
type RepairRule<'a> = (&'static str, bool, &'a dyn Fn(&str) -> Vec<Patch>);

/// Names of every rule this stage can record.
pub const RULES: &[&str] = &[
    "glued_words",
    "doubled_word",
    "space_before_punct",
    "space_after_punct",
    "double_hyphen_dash",
    "stray_quote",
];

#[derive(Default)]
pub struct Repair {
    /// Word frequencies of the corpus, when a first pass gathered them.
    pub corpus: Option<Arc<crate::corpus::CorpusStats>>,
    pub rules: RuleSwitches,
}

impl Stage for Repair {
    fn name(&self) -> &'static str {
        "repair"
    }

    fn run(&self, mut doc: Document) -> StageOutput {
        let mut rec = Recorder::new(&doc.id, "repair").with_switches(&self.rules);
        // One copy of the text: the language test reads its first words, the vocabulary the rest.
        let corpus: &dyn WordCounts = match &self.corpus {
            Some(stats) => stats.as_ref(),
            None => &(),
        };
        let vocab = glue::Vocabulary::new(corpus, doc.text());
        // English by its words, confirmed by the language identifier only for a document some
        // English rule would change.
        let english = crate::lexicon::English::of(vocab.text());
        let english_words = english.by_words();
        let english = || english.confirmed();
        for line in &mut doc.lines {
            if line.is_blank() || crate::text::looks_like_code(&line.text) {
                continue;
            }
            // (name, English text only, finder): the language is decided here, once.
            let rules: [RepairRule; 6] = [
                ("glued_words", true, &|l| glued_words(l, &vocab)),
                ("doubled_word", true, &garble::doubled_word),
                ("space_before_punct", false, &|l| {
                    garble::space_before_punct(l, &english)
                }),
                ("space_after_punct", true, &garble::space_after_punct),
                ("double_hyphen_dash", false, &garble::double_hyphen_dash),
                ("stray_quote", false, &garble::stray_quote),
            ];
            // A paragraph in another language inside an English text: asked only of a line an
            // English rule would change.
            let mut other_language = None;
            for (rule, english_only, find) in rules {
                if english_only && !english_words || !rec.is_on(rule) {
                    continue;
                }
                let patches = find(&line.text);
                if english_only
                    && !patches.is_empty()
                    && (!english()
                        || *other_language
                            .get_or_insert_with(|| crate::lexicon::is_other_language(&line.text)))
                {
                    continue;
                }
                rec.patch_line(rule, line, &patches);
            }
        }
        rec.finish(doc)
    }
}

/// A space inserted into every token of the line that is two glued words.
fn glued_words(line: &str, vocab: &glue::Vocabulary) -> Vec<Patch> {
    let mut patches = Vec::new();
    // What the line is (a list, a title, prose) is worked out only for a line with a token that
    // may be glue: most lines have none.
    let facts = std::cell::OnceCell::new();
    let line_facts =
        || *facts.get_or_init(|| (word_list(line), title_cased(line), prose_line(line)));
    let mut runs = line.split(' ').peekable();
    let mut at = 0;
    let mut next_buf = String::new();
    while let Some(run) = runs.next() {
        let start = at;
        at += run.len() + 1;
        // Handles, hashtags, URLs, paths, code and numbers with units are never words to split.
        if run.len() < 4
            || run.contains(['@', '#', '/', '\\', '_', '=', '<', '>', '`', '|', '{', '}'])
        {
            continue;
        }
        let opened = run.trim_start_matches(['(', '[', '"', '\'', '‘', '“', '*']);
        let lead = run.len() - opened.len();
        let core = opened.trim_end_matches([
            '.', ',', ';', ':', '!', '?', ')', ']', '"', '\'', '’', '”', '*',
        ]);
        if !glue::may_split(core) {
            continue;
        }
        let (listed, titled, prose) = line_facts();
        if listed {
            break; // Names, handles or tags, one after another: no sentence to mend.
        }
        // `start` follows an ASCII space (or is 0); `lead` is what trim_start_matches took off `run`;
        // `split` is a byte offset into `core`, which glue::split accepts only when it is ASCII.
        // A title-cased line (a headline, a byline, a menu) has no sentence start: its capitals
        // are names and title words.
        let sentence_start = !titled
            && (line[..start].trim_end().is_empty()
                || line[..start].trim_end().ends_with(['.', '!', '?']));
        // The next word, when nothing stands between: a pair the tail makes with it is evidence.
        next_buf.clear();
        if core.len() + lead == run.len() {
            if let Some(next) = runs.peek() {
                if next.len() <= 40 && next.bytes().all(|b| b.is_ascii_alphabetic()) {
                    next_buf.push_str(next);
                    next_buf.make_ascii_lowercase();
                }
            }
        }
        let place = glue::Place {
            sentence_start,
            next_word: &next_buf,
            prose,
        };
        if let Some(split) = glue::split(core, &place, vocab) {
            let pos = start + lead + split;
            patches.push(Patch::new(pos..pos, " "));
        }
    }
    patches
}

/// Running prose: a sentence or more of ten words or more ending as sentences end, or a long
/// line; not a menu, a byline, a caption or a heading.
fn prose_line(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let end = line
        .trim_end()
        .trim_end_matches(['"', '\'', '’', '”', ')', ']']);
    words >= 25 || words >= 10 && end.ends_with(['.', '!', '?', ':'])
}

/// A list of single words or pairs between commas (usernames, tags, keywords): six items or
/// more, nearly all of them one or two words long.
fn word_list(line: &str) -> bool {
    let mut items = 0;
    let mut short = 0;
    for item in line.split(',') {
        items += 1;
        if item.split_whitespace().count() <= 2 {
            short += 1;
        }
    }
    items >= 6 && short * 10 >= items * 9
}

/// Most words of four letters or more capitalised: a headline, a byline, a menu.
fn title_cased(line: &str) -> bool {
    let words: Vec<&str> = line
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    let capital = words
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    words.len() >= 2 && capital * 10 >= words.len() * 6
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repair(text: &str) -> (String, Vec<&'static str>) {
        let out = Repair::default().run(Document::from_text("t", text));
        (out.doc.text(), out.edits.iter().map(|e| e.rule).collect())
    }

    #[test]
    fn repairs_glued_words_in_english_prose() {
        let (text, rules) = repair(
            "Ketamine has shown promise for many patientswith PTSD, and the patients receiving it reported \
             that the treatmentoptions were clearer. Call the clinic to book a visit with the team today.\n",
        );
        assert!(text.contains("many patients with PTSD"), "{text}");
        assert!(text.contains("the treatment options were"), "{text}");
        assert_eq!(rules, ["glued_words", "glued_words"]);
    }

    #[test]
    fn leaves_urls_handles_code_and_other_languages() {
        for clean in [
            "Visit https://example.com/patientswith and write to care@patientswith.org for the details of the program.\n",
            "Follow #patientswith and @treatmentoptions for news about the clinic and the treatment it offers here.\n",
            "let patientswith = load_patients(); // the patients of the trial and the clinic, with their data\n",
            "Les patientsavec le traitement ont signalé moins de symptômes après un mois de traitement.\n",
        ] {
            assert_eq!(repair(clean).0, clean);
        }
    }

    #[test]
    fn doubled_words_only_where_they_are_slips() {
        // Issue 20: real sentences whose "a a" is grammar, or no double at all.
        for clean in [
            "El gobierno exponía a la prensa su soberanía a todos los ciudadanos del país.\n",
            "O ministro anunciou a ação do governo para os próximos meses do ano.\n",
            "La ministra va a a Madrid mañana para hablar con el presidente del gobierno.\n",
        ] {
            assert_eq!(repair(clean).0, clean);
        }
        let (text, rules) = repair(
            "The results for the the patients in the trial were reported to the board last week.\n",
        );
        assert!(text.contains("for the patients"), "{text}");
        assert_eq!(rules, ["doubled_word"]);
        // An exclamation, and a word said three times on purpose (dev pages: "My my my and who
        // decides?").
        for clean in [
            "Let's see what the board says about it all. My my my and who decides that?\n",
            "Well, my my, look at what the new season of the show has brought to the city.\n",
        ] {
            assert_eq!(repair(clean).0, clean);
        }
        // Unicode letters end words in English text too: "café a" is not "a a".
        let line = "They met at the café a a few times before the trial began in the city.\n";
        assert_eq!(repair(line).0, line.replace("a a few", "a few"));
    }

    #[test]
    fn names_and_brands_stay_whole() {
        // Issue 20's cases from real pages: names and brands capitalised inside a sentence.
        for clean in [
            "Visit the 3D Printshow with the Homesteading Webloggers on the first day of the fair.\n",
            "The director general Yukia Amano said the agency had not been told of the plans.\n",
            "The reporter Trymaine Lee wrote about the case and the scanner, a Coolscan made in Japan.\n",
            // Rare real words, misspellings and code names are words too.
            "Samantha abases herself before the council, and the step globbed the frames.\n",
            "Stereoblindness is rare; the ingrafted habit of the devistating critic was to complain.\n",
            // Technical writing: a word and a particle name a tool.
            "Install the toolchain with rustup and then build it.\nRun cargo_build with RUST_LOG=debug set.\nThe config_path option sets std::env::var for it.\n",
            "The usernames were apathetica, hopsus, atolla, Readera, sheagar, bbcat and fightme in the end.\n",
            // Bylines and footers: two words run together there are a handle or a brand.
            "The shop was closed all week.\nPosted By: meowmeow | January 07 2008 at 03:06 PM\n",
            "The game ended late again.\n- HILARIOUS! by grimsan 01/15/2008 3:39 p.m. ET\n",
            "About us | Site map | Site help | Management | Link to us | Copyright swissinfo\n",
        ] {
            assert_eq!(repair(clean).0, clean);
        }
        // Other languages: a whole page, or a paragraph inside an English page.
        for clean in [
            "El daño causado por la tormenta fue grande y el gobierno exponía a la prensa su soberanía a todos.\n",
            "Il valore misurato dal laboratorio era più alto di quanto previsto dagli esperti della città.\n",
            "Das Weinfest in der Altstadt war gut besucht, und die Winzer verkauften mehr Wein als erwartet.\n",
        ] {
            assert_eq!(repair(clean).0, clean);
            let english = format!("The village held its autumn festival again this year, and the visitors came from far away.\n{clean}The report ended there, with a note on the weather and the roads.\n");
            assert_eq!(repair(&english).0, english);
        }
        // A sentence that starts with glue is still repaired.
        let (text, _) = repair(
            "Theresults of the study were clear, and the patients said the treatment had helped them.\n",
        );
        assert!(text.starts_with("The results of the study"), "{text}");
    }
}
