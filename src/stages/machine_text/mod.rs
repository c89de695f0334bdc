//! The machine-text stage: what a chatbot or a writing tool left in the text.
//!
//! Families, each a rule in `edits.jsonl`:
//! - `tool_markup`: citation chips, file and search references and tracking parameters that a
//!   chatbot tool leaves in copied text (`:contentReference[oaicite:0]{index=0}`,
//!   `oai_citation:1‡site`, `turn0search3`, `?utm_source=chatgpt.com`), cut out of the sentence
//!   ([`markup`]).
//! - `chatbot_preamble`: a line that introduces the text instead of being it ("Certainly! Here is
//!   the revised text:", "Here's a suggested ... section for your article:").
//! - `ui_residue`: buttons and notices of a chat interface ("Regenerate response", "Copy code").
//! - `error_banner`: rate-limit and error messages ("We've noticed unusual query volume").
//! - `self_reference`: a sentence in which the model speaks of itself ("As an AI language model,
//!   ...", knowledge cut-off and no-access statements).
//! - `closer`: a line of sign-off addressed to the requester ("I hope this helps! Let me know...").
//! - `placeholder`: a sentence holding a template's unfilled slot ("Best regards, [Your Name]",
//!   "[Describe the problem your project addresses]") ([`placeholder`]).
//! - `meta_prefix`: a preamble glued to the start of real text ("Answering your question ...: ").
//! - `revision_splice`: a rewrite spliced into a sentence ("ketamine has Certainly! The revised
//!   text is: "has been found." to have" -> "ketamine has been found to have").
//! - `quoted_fragment`: a rewritten predicate left in quotes mid-sentence ("Anxiety disorders
//!   "Are believed." to result" -> "Anxiety disorders are believed to result").
//!
//! Every family needs more than a word: "Certainly, the trial showed...", "As an AI researcher,
//! she...", "Here is the schedule." and quoted speech all survive (see the tests).

mod markup;
mod placeholder;
pub mod requester;

use crate::document::{Document, Line};
use crate::patch::Patch;
use crate::stages::stage::{Recorder, RuleSwitches};
use crate::stages::stage::{Stage, StageOutput};
use regex::Regex;
use std::sync::LazyLock;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid pattern")
}

const APOSTROPHE: &str = "['’]";

static PREAMBLE_START: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^(?:(?:certainly|sure|of course|absolutely|okay|ok|great question|great|got it|alright)\b[!,.]?\s*)?(?:here{APOSTROPHE}s|here (?:is|are)|below (?:is|are)|the following (?:is|are)|(?:the )?(?:revised|rewritten|updated|improved|edited) (?:text|version|paragraph))\b"
    ))
});
static EAGER_START: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)^(?:certainly|sure|of course|absolutely|okay|ok|great|got it|alright)\b")
});

/// What marks a line as talk about the text: a revised or suggested piece, or the requester's work.
static META: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\b(?:revised|rewritten|updated|improved|edited|paraphrased|corrected|polished|expanded|condensed|shortened|simplified|suggested|proposed|requested|refined)\s+(?:\S+\s+){0,4}?(?:text|version|paragraph|article|section|content|draft|outline|list|sentence|introduction|conclusion|title|summary|passage|heading)s?\b|\bfor your (?:article|blog|post|essay|paper|website|piece|content|book|newsletter|readers|audience)\b|\bas (?:you )?requested\b|\byou (?:asked|requested)\b",
    )
});
static BARE_EAGERNESS: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?i)^(?:certainly|sure|of course|absolutely)[!.]?$"));
static UI_RESIDUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:regenerate(?: response)?|copy code|stop generating|continue generating|new chat|was this (?:response|answer) helpful\??|is this conversation helpful so far\??|(?:chatgpt|claude|gemini|copilot|the assistant) can make mistakes\b.*|ai-generated content may be (?:incorrect|inaccurate)\.?|thumbs (?:up|down))$",
    )
});
static ERROR_BANNER: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^(?:we{APOSTROPHE}ve noticed unusual (?:query volume|activity|traffic)|we have noticed unusual (?:query volume|activity|traffic)|too many requests\b|rate limit (?:reached|exceeded)|an error occurred (?:while|during) (?:generating|processing)|something went wrong(?: while generating|\. please try again)|there was an error generating|you{APOSTROPHE}ve reached (?:the|your) (?:message|usage|rate|daily) (?:limit|cap)|error in (?:body|message) stream|request failed with status code \d+|the (?:server|model) is (?:currently )?overloaded|unable to (?:generate|load) (?:a )?response)"
    ))
});
static SELF_REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?:as an ai(?: language)? (?:model|assistant|chatbot)|as a (?:large )?language model|i{APOSTROPHE}m an ai(?: language)? (?:model|assistant)|i am an ai(?: language)? (?:model|assistant)|i am (?:just )?a (?:large )?language model|as of my (?:last |latest )?(?:knowledge )?(?:cutoff|cut-off|update|training)|my (?:last |latest )?(?:knowledge|training) (?:cutoff|cut-off)|i (?:do not|don{APOSTROPHE}t|cannot|can{APOSTROPHE}t|am unable to) (?:browse|access|search) (?:the internet|the web|real-time|current|external|live)|i (?:do not|don{APOSTROPHE}t) have (?:access to )?(?:real-time|current|live) (?:information|data))\b"
    ))
});
static CLOSER: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^(?:i hope (?:this|that) helps|let me know if (?:you|there)|feel free to (?:ask|reach out|let me know)|is there anything else (?:i can|you)|happy (?:writing|editing|blogging)!|if you (?:have|need) any (?:other |more |further )?(?:questions|changes|revisions|adjustments|edits)\b[^.]*(?:let me know|feel free|don{APOSTROPHE}t hesitate))"
    ))
});
/// ", she told him": a closer-like line that is someone speaking in a story.
static SPEECH_TAG: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i),\s+(?:\S+\s+){1,3}?(?:said|says|told|asked|replied|added|whispered|called|shouted|wrote)\b",
    )
});
static META_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^(?:(?:answering|in response to|responding to) (?:your|the user{APOSTROPHE}s|this|the) (?:question|request|query|prompt)\b[^:]{{0,80}}:\s*|(?:certainly|sure|of course|absolutely)[!,.]\s+(?:here{APOSTROPHE}s|here is|here are) (?:the|a|an|your) [^:]{{0,80}}:\s+)"
    ))
});
static SPLICE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r#"(?i)\b(?:certainly|sure|of course|absolutely)[!,.]\s+(?:(?:the|here is the|here{APOSTROPHE}s the)\s+)?(?:revised|rewritten|updated|corrected|edited|improved|new)\s+(?:text|sentence|version|phrase|wording)(?:\s+is)?:\s*["“]([^"”]{{1,200}}?)["”]\s*"#
    ))
});
static QUOTED_FRAGMENT: LazyLock<Regex> = LazyLock::new(|| {
    re(r#"(\p{Ll}[\p{L}\p{N}]*) ["“](\p{Lu}\p{Ll}+(?: \p{Ll}+){0,6})\.?["”] \p{Ll}"#)
});

/// A rewritten predicate starts with one of these.
const AUXILIARIES: &[&str] = &[
    "are", "is", "was", "were", "has", "have", "had", "can", "could", "may", "might", "will",
    "would", "should", "must", "does", "do", "did", "been", "being",
];
/// Quotes after these are speech or a name, not a splice.
const SPEECH: &[&str] = &[
    "said", "says", "say", "asked", "asks", "wrote", "writes", "called", "calls", "titled",
    "named", "reads", "read", "replied", "answered", "shouted", "word", "words", "phrase", "term",
    "marked", "labeled", "labelled", "sign", "signs", "slogan", "motto", "headline",
];

/// Names of every rule this stage can record.
pub const RULES: &[&str] = &[
    "chatbot_preamble",
    "ui_residue",
    "error_banner",
    "closer",
    "tool_markup",
    "meta_prefix",
    "revision_splice",
    "quoted_fragment",
    "self_reference",
    "placeholder",
    "requester_talk",
    "blank_lines",
];

#[derive(Debug, Default, Clone)]
pub struct MachineText {
    pub rules: RuleSwitches,
}

impl Stage for MachineText {
    fn name(&self) -> &'static str {
        "machine-text"
    }

    fn run(&self, mut doc: Document) -> StageOutput {
        let mut rec = Recorder::new(&doc.id, "machine-text").with_switches(&self.rules);
        let lines = std::mem::take(&mut doc.lines);
        let bytes_in: usize = lines.iter().map(|l| l.text.len()).sum();
        doc.lines = clean_lines(lines, &mut rec);
        let bytes_out: usize = doc.lines.iter().map(|l| l.text.len()).sum();
        // The share of the text that was machine text, for the report: a user sorts by it to
        // find the documents that were mostly a chatbot's.
        let share = if bytes_in == 0 {
            0.0
        } else {
            bytes_in.saturating_sub(bytes_out) as f64 / bytes_in as f64
        };
        doc.scores
            .insert("machine_text", (share * 1000.0).round() / 1000.0);
        if !rec.edits.is_empty() {
            doc.flag("machine_text");
        }
        rec.finish(doc)
    }
}

fn clean_lines(lines: Vec<Line>, rec: &mut Recorder) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    let (first, last) = non_empty_bounds(lines.iter().map(|l| l.text.as_str()));
    let tools = markup::DocumentMarkup::scan(lines.iter().map(|l| l.text.as_str()));
    let shown = shown_lines(lines.iter().map(|l| l.text.as_str()));
    let template = placeholder::is_template_source(lines.iter().map(|l| l.text.as_str()));
    for (index, mut line) in lines.into_iter().enumerate() {
        if let Some(rule) = whole_line_rule(&line.text).filter(|&r| !shown[index] && rec.is_on(r)) {
            rec.record(rule, line.text, "", line.origin);
            continue;
        }
        let had_text = !line.is_blank();
        let patches = markup::tool_markup(&line.text);
        let mut edited = rec.patch_line("tool_markup", &mut line, &patches);
        if !tools.is_empty() {
            let patches = markup::document_markup(&line.text, &tools);
            edited |= rec.patch_line("tool_markup", &mut line, &patches);
        }
        if shown[index] {
            // Shown or attributed text: a sentence there is someone's, even a model's, not the
            // page's own. Only the tools' markup, which no one means to show, goes.
            if edited && had_text && line.is_blank() {
                continue;
            }
            out.push(line);
            continue;
        }
        for (rule, find) in SENTENCE_RULES {
            let patches = find(&line.text);
            edited |= rec.patch_line(rule, &mut line, &patches);
        }
        // A template's source (`${name}`, `{{ name }}`) writes to its own readers: its slots and
        // its "let me know" are the generator's, not a chatbot's.
        if !template {
            let patches = unfilled_template(&line.text);
            edited |= rec.patch_line("placeholder", &mut line, &patches);
            let patches = requester_talk(&line.text, index, first, last);
            edited |= rec.patch_line("requester_talk", &mut line, &patches);
        }
        if edited && had_text && line.is_blank() {
            continue; // Nothing but machine text: the line goes.
        }
        out.push(line);
    }
    // A removed line can leave two blank lines side by side.
    if !rec.edits.is_empty() {
        crate::stages::normalize::blank_lines(&mut out, rec);
    }
    out
}

/// A rule that proposes patches to one line.
type InlineRule = (&'static str, fn(&str) -> Vec<Patch>);

/// The rules that judge what the page itself says, in order.
const SENTENCE_RULES: &[InlineRule] = &[
    ("meta_prefix", meta_prefix),
    ("revision_splice", revision_splice),
    ("quoted_fragment", quoted_fragment),
    ("self_reference", self_reference_sentences),
];

/// Which lines the page shows or attributes rather than says: in a fenced code block, in a block
/// quote, after a speaker's label naming a model or its reply ("**Answer:** I'm sorry, but as an
/// AI language model ...", "Candidate response: As of my last update ..."), or in a block under
/// such a label ("### Response", "//ChatGPT"). A chatbot's words there are an example or a
/// transcript, which is content.
fn shown_lines<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<bool> {
    let lines: Vec<&str> = lines.collect();
    let fences = crate::text::fenced_blocks(lines.iter().copied());
    let mut labelled_block = false;
    lines
        .iter()
        .zip(fences)
        .map(|(line, (code, _))| {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                labelled_block = false;
            }
            let shown = code
                || labelled_block
                || t.starts_with('>')
                || (t.contains(':') && SPEAKER_LABEL.find(t).is_some_and(|m| m.end() < t.len()));
            // A label line has at most eight words (a marker, three words, the speaker, two
            // words, a rule): most lines are settled by counting them.
            if crate::text::count_words(t) <= 8 && SPEAKER_HEADING.is_match(t) {
                labelled_block = true;
            }
            shown
        })
        .collect()
}

/// Words that name a model or its reply as a speaker ("GPT-4", "Assistant", "Answer").
const SPEAKER: &str = r"(?:[\w./-]*gpt[\w./-]*|chatgpt|assistant|bot|ai|model|llm|response|answer|output|completion|reply|claude|gemini|llama|bard|copilot|deepseek|grok|mistral)";

/// A label naming a model or its reply as the speaker of what follows on the line.
static SPEAKER_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^(?:[-*+]\s+)?(?://\s*)?(?:\*\*|__)?(?:[\w./-]+\s+){{0,3}}?{SPEAKER}(?:[\s/-]+[\w.-]+){{0,2}}\s*(?::\s*(?:\*\*|__)?|(?:\*\*|__):)\s"
    ))
});
/// A line that is only such a label: a heading, a comment or a rule naming the speaker of the block
/// below ("### Response", "//ChatGPT", "---------- GPT ----------").
static SPEAKER_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)^(?:#{{1,6}}\s*|//\s*|-{{3,}}\s*)?(?:\*\*|__)?(?:[\w./-]+\s+){{0,3}}?{SPEAKER}(?:\s+[\w.-]+){{0,2}}\s*(?:\*\*|__)?:?(?:\s*-{{3,}})?$"
    ))
});

/// The rule under which a whole line goes, if it is nothing but machine talk.
fn whole_line_rule(text: &str) -> Option<&'static str> {
    let t = text.trim();
    if t.is_empty() || t.len() > 400 {
        return None;
    }
    if BARE_EAGERNESS.is_match(t) {
        return Some("chatbot_preamble");
    }
    let addresses_text = PREAMBLE_START.is_match(t) && META.is_match(t);
    if addresses_text && (t.ends_with(':') || EAGER_START.is_match(t)) {
        return Some("chatbot_preamble");
    }
    if UI_RESIDUE.is_match(t) {
        return Some("ui_residue");
    }
    if t.len() < 240 && ERROR_BANNER.is_match(t) {
        return Some("error_banner");
    }
    if t.len() < 300 && CLOSER.is_match(t) && !t.starts_with(['"', '“']) && !SPEECH_TAG.is_match(t)
    {
        return Some("closer");
    }
    None
}

/// Does the line hold any of these fragments? Each is a SIMD substring search, far cheaper than a
/// case-insensitive pattern over every line.
fn contains_any(line: &str, needles: &[memchr::memmem::Finder<'static>]) -> bool {
    needles.iter().any(|n| n.find(line.as_bytes()).is_some())
}

fn finders(needles: &[&'static str]) -> Vec<memchr::memmem::Finder<'static>> {
    needles
        .iter()
        .map(|n| memchr::memmem::Finder::new(n.as_bytes()))
        .collect()
}

static QUOTES: LazyLock<Vec<memchr::memmem::Finder<'static>>> =
    LazyLock::new(|| finders(&["\"", "“"]));
static SELF_FRAGMENTS: LazyLock<Vec<memchr::memmem::Finder<'static>>> = LazyLock::new(|| {
    finders(&[
        "AI", " ai ", " ai,", "model", " my ", "My ", " I ", "I'm", "I’m",
    ])
});

/// A splice quotes its rewrite after a colon.
fn may_hold_splice(line: &str) -> bool {
    line.contains(':') && contains_any(line, &QUOTES)
}

/// A self-reference speaks of an AI, a model, or "my" knowledge, or starts "I ...".
fn may_hold_self_reference(line: &str) -> bool {
    contains_any(line, &SELF_FRAGMENTS) || line.starts_with("I ")
}

/// "Answering your question ...: " or "Sure! Here's the revised paragraph: " before real text.
fn meta_prefix(line: &str) -> Vec<Patch> {
    match META_PREFIX.find(line) {
        Some(m) if m.end() < line.len() => vec![Patch::delete(m.range())],
        _ => Vec::new(),
    }
}

/// `X has Certainly! The revised text is: "has been found." to Y` -> `X has been found to Y`:
/// the quoted rewrite takes the place of the splice, and a word it repeats from just before the
/// splice is said once.
fn revision_splice(line: &str) -> Vec<Patch> {
    let mut patches: Vec<Patch> = Vec::new();
    if !may_hold_splice(line) {
        return patches;
    }
    for c in SPLICE.captures_iter(line) {
        // Group 0 is the match; group 1 is not optional in SPLICE; match offsets are char boundaries.
        let whole = c.get(0).unwrap();
        let rewrite = c[1].trim().trim_end_matches('.').trim();
        let before = line[..whole.start()].trim_end();
        let last_word = before.rsplit(' ').next().unwrap_or("");
        let mut words: Vec<&str> = rewrite.split(' ').collect();
        if words
            .first()
            .is_some_and(|w| w.eq_ignore_ascii_case(last_word))
        {
            words.remove(0);
        }
        let mut with = words.join(" ");
        let previous_end = patches.last().map_or(0, |p| p.range.end);
        let start = if with.is_empty() {
            // The rewrite is gone entirely: the spaces on both sides go with the splice, and one
            // space stays between the words around it, unless the line ends there, starts there,
            // or a splice just cut before this one left it (it took the spaces after it, and the
            // cut must not reach back into it).
            let start = before.len().max(previous_end);
            if whole.end() < line.len() && start > 0 && start != previous_end {
                with.push(' ');
            }
            start
        } else {
            if whole.end() < line.len() {
                with.push(' ');
            }
            whole.start()
        };
        patches.push(Patch::new(start..whole.end(), with));
    }
    patches
}

/// `Anxiety disorders "Are believed." to result` -> `Anxiety disorders are believed to result`.
fn quoted_fragment(line: &str) -> Vec<Patch> {
    if !line.contains(['"', '“']) {
        return Vec::new();
    }
    let mut patches = Vec::new();
    for c in QUOTED_FRAGMENT.captures_iter(line) {
        // Groups 1 and 2 are not optional in QUOTED_FRAGMENT; match offsets are char boundaries.
        let fragment = &c[2];
        let first = fragment.split(' ').next().unwrap_or("").to_lowercase();
        let whole = c.get(0).unwrap();
        if !AUXILIARIES.contains(&first.as_str()) || speech_before(&line[..c.get(1).unwrap().end()])
        {
            continue;
        }
        // From the opening quote to the space after the closing one. `+ 1`: group 1 is followed by
        // an ASCII space; the match ends on a `\p{Ll}`, whose own length is taken off.
        let open = c.get(1).unwrap().end() + 1;
        let next_len = line[..whole.end()]
            .chars()
            .next_back()
            .map_or(1, char::len_utf8);
        let close = whole.end() - next_len;
        let mut with: String = fragment.to_string();
        // `first` is one of AUXILIARIES, lowercased from the fragment's first word: only an ASCII
        // word lowercases to one of them (`İ` gives `i` + U+0307), so that word is as long.
        with.replace_range(..first.len(), &first);
        with.push(' ');
        patches.push(Patch::new(open..close, with));
    }
    patches
}

/// Is a quote at the end of `before` someone's words? A speech verb among the last six words of
/// the sentence says so ("She said the system "Is not ready."").
fn speech_before(before: &str) -> bool {
    let sentence = before.rsplit(['.', '!', '?']).next().unwrap_or(before);
    sentence.split_whitespace().rev().take(6).any(|w| {
        SPEECH.contains(
            &w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
                .as_str(),
        )
    })
}

/// Sentences in which the model speaks of itself. The whole line goes when nothing else is left.
/// A knowledge-cutoff clause before a claim ("As of my last update in September 2021, the tool
/// supports AES.") goes alone: the claim is the text the page kept.
fn self_reference_sentences(line: &str) -> Vec<Patch> {
    if !may_hold_self_reference(line) || !SELF_REFERENCE.is_match(line) {
        return Vec::new();
    }
    let mut clauses = Vec::new();
    let mut doomed = Vec::new();
    // sentences() cuts only after ASCII bytes (`.!?`, quotes, `)`, spaces): char boundaries.
    for r in sentences(line) {
        let sentence = &line[r.clone()];
        let Some(m) = SELF_REFERENCE.find(sentence) else {
            continue;
        };
        if SPEECH_TAG.is_match(sentence) || in_quotation(sentence, m.start()) {
            continue;
        }
        match cutoff_clause(sentence) {
            Some(cut) => clauses.push(Patch::new(
                r.start + cut.range.start..r.start + cut.range.end,
                cut.with,
            )),
            None => doomed.push(r),
        }
    }
    let mut patches = delete_sentences(line, doomed);
    patches.extend(clauses);
    patches.sort_by_key(|p| p.range.start);
    patches
}

/// "As of my last knowledge update in January 2022, " and "(as of my knowledge cutoff)".
static CUTOFF_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
    re(concat!(
        r#"(?i)\(\s*as of my [^()"“]{0,80}\)"#,
        r#"|\bas of my (?:last |latest |most recent )?(?:knowledge |training )?(?:update|cutoff|cut-off|training(?: data)?)\b[^,.;:!?()"“]{0,40},\s*"#,
    ))
});

/// The patch that cuts a knowledge-cutoff clause out of a sentence whose only self-reference it
/// is, when a claim of four words or more is left; the claim starts with a capital if the clause
/// started the sentence.
fn cutoff_clause(sentence: &str) -> Option<Patch> {
    let c = CUTOFF_CLAUSE.find(sentence)?;
    if SELF_REFERENCE.find_iter(sentence).count() != 1 {
        return None;
    }
    let rest = format!("{}{}", &sentence[..c.start()], &sentence[c.end()..]);
    if crate::text::count_words(&rest) < 4 {
        return None;
    }
    if c.as_str().starts_with('(') {
        // A parenthesis goes with the space before it: "space (as of my cutoff), and" -> "space, and".
        let start = sentence[..c.start()].trim_end().len();
        return Some(Patch::delete(start..c.end()));
    }
    let starts_sentence = sentence[..c.start()].trim().is_empty();
    let next = sentence[c.end()..].chars().next()?;
    if starts_sentence && next.is_lowercase() {
        let capital: String = next.to_uppercase().collect();
        return Some(Patch::new(c.start()..c.end() + next.len_utf8(), capital));
    }
    Some(Patch::delete(c.range()))
}

/// Whether `at` falls inside a quotation of the sentence: after an opening quote that has not
/// closed (straight quotes counted, curly ones paired).
fn in_quotation(sentence: &str, at: usize) -> bool {
    let before = &sentence[..at];
    let straight = before.matches('"').count() % 2 == 1;
    let curly = before
        .rfind(['“', '«', '„'])
        .is_some_and(|open| !before[open..].contains(['”', '»']));
    straight || curly
}

/// Sentences that still hold a template's unfilled slot ([`placeholder`]).
fn unfilled_template(line: &str) -> Vec<Patch> {
    if !line.contains('[') && !line.contains("XX") {
        return Vec::new();
    }
    let doomed = sentences(line)
        .into_iter()
        .filter(|r| placeholder::holds_slot(&line[r.clone()]));
    delete_sentences(line, doomed)
}

/// The patches that delete these sentences of a line (in order). Sentences side by side go as one
/// deletion: the last sentence's deletion reaches back into the one before it, and patches must
/// not overlap.
fn delete_sentences(
    line: &str,
    doomed: impl IntoIterator<Item = std::ops::Range<usize>>,
) -> Vec<Patch> {
    let mut runs: Vec<std::ops::Range<usize>> = Vec::new();
    for r in doomed {
        match runs.last_mut() {
            Some(last) if last.end == r.start => last.end = r.end,
            _ => runs.push(r),
        }
    }
    runs.into_iter()
        .map(|r| {
            // The last sentence of a line takes the space before it, so no trailing space is left.
            let start = if r.end == line.len() {
                line[..r.start].trim_end().len()
            } else {
                r.start
            };
            Patch::delete(start..r.end)
        })
        .collect()
}

/// Quotations are content: a sentence that quotes someone ("As of my last update, the bridge is
/// still closed," the spokesman said) or mentions a phrase as a phrase (the reply began "As an AI
/// language model") is never machine talk, whatever it quotes.
fn is_quoted(sentence: &str) -> bool {
    sentence.contains(['"', '“', '”', '«', '»', '„']) || SPEECH_TAG.is_match(sentence)
}

/// Sentences addressed to the requester or about the model ([`requester`]), judged where they
/// stand.
fn requester_talk(line: &str, index: usize, first: usize, last: usize) -> Vec<Patch> {
    let doomed: Vec<std::ops::Range<usize>> = positioned_sentences(line, index, first, last)
        .filter(|(r, at)| {
            let sentence = &line[r.clone()];
            requester::is_machine_talk(sentence, *at) && !is_quoted(sentence)
        })
        .map(|(r, _)| r)
        .collect();
    delete_sentences(line, doomed)
}

/// The position of sentence `k` of `count` in line `index`, the document's first and last
/// non-empty lines being `first` and `last`.
fn position(
    index: usize,
    k: usize,
    count: usize,
    first: usize,
    last: usize,
) -> requester::Position {
    requester::Position {
        first_in_document: index == first && k == 0,
        last_in_document: index == last && k + 1 == count,
        first_in_block: k == 0,
        last_in_block: k + 1 == count,
    }
}

/// Every sentence of these lines with its line, its span and its position, as the stage judges
/// them (for the scripts that fit and evaluate the model).
pub fn sentence_positions(
    lines: &[&str],
) -> Vec<(usize, std::ops::Range<usize>, requester::Position)> {
    let (first, last) = non_empty_bounds(lines.iter().copied());
    lines
        .iter()
        .enumerate()
        .flat_map(|(index, line)| {
            positioned_sentences(line, index, first, last).map(move |(r, at)| (index, r, at))
        })
        .collect()
}

/// The sentences with text of line `index`, each with its position: what the model is fit on
/// and what the stage judges.
fn positioned_sentences(
    line: &str,
    index: usize,
    first: usize,
    last: usize,
) -> impl Iterator<Item = (std::ops::Range<usize>, requester::Position)> {
    let spans: Vec<_> = sentences(line)
        .into_iter()
        .filter(|r| !line[r.clone()].trim().is_empty())
        .collect();
    let count = spans.len();
    spans
        .into_iter()
        .enumerate()
        .map(move |(k, r)| (r, position(index, k, count, first, last)))
}

/// The indices of the first and last lines with text.
fn non_empty_bounds<'a>(lines: impl Iterator<Item = &'a str>) -> (usize, usize) {
    let mut bounds: Option<(usize, usize)> = None;
    for (i, l) in lines.enumerate() {
        if !l.trim().is_empty() {
            bounds = Some((bounds.map_or(i, |b| b.0), i));
        }
    }
    bounds.unwrap_or((0, 0))
}

/// Sentence spans of a line, each with the spaces after it.
fn sentences(line: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = line.as_bytes();
    let mut i = 0;
    // Every `bytes[..]` below is guarded by a `< bytes.len()` test just before it.
    while i < bytes.len() {
        if matches!(bytes[i], b'.' | b'!' | b'?') {
            let mut end = i + 1;
            while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')') {
                end += 1;
            }
            if end == bytes.len() || bytes[end] == b' ' {
                while end < bytes.len() && bytes[end] == b' ' {
                    end += 1;
                }
                out.push(start..end);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    if start < line.len() {
        out.push(start..line.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(text: &str) -> (String, Vec<&'static str>) {
        let out = MachineText::default().run(Document::from_text("t", text));
        (out.doc.text(), out.edits.iter().map(|e| e.rule).collect())
    }

    #[test]
    fn the_share_of_machine_text_is_scored() {
        let text = "The bridge opened in 1932.\n\nI hope this helps!";
        let out = MachineText::default().run(Document::from_text("t", text));
        let share = out.doc.scores["machine_text"];
        assert!(share > 0.3 && share < 0.5, "{share}");
        let clean =
            MachineText::default().run(Document::from_text("t", "The bridge opened in 1932."));
        assert_eq!(clean.doc.scores["machine_text"], 0.0);
    }

    #[test]
    fn a_closing_offer_to_the_requester_goes_and_the_text_stays() {
        let text = "The service exposes three endpoints for orders, invoices and refunds.\n\nLet me know if you'd like any adjustments!";
        let (out, rules) = clean(text);
        assert!(!out.contains("Let me know"), "{out:?}");
        assert!(out.contains("three endpoints"), "{out:?}");
        assert!(!rules.is_empty());
    }

    #[test]
    fn quotations_and_ordinary_phrasings_survive() {
        for text in [
            "\"As of my last update, the bridge is still closed,\" the spokesman said on Monday.",
            "The spokesman said: “As of my last update, the bridge is still closed.”",
            "Early chatbots began many replies with \"As an AI language model\", a phrase that became a meme.",
            "Here is a list of the ten best hiking trails in the county, ranked by our readers.",
            "As of January 2022, the company had 300 employees.",
            "You can copy the recipe card and pin it to your fridge.",
            "Would you like to know more about our history? Visit the museum on Sundays.",
        ] {
            let (out, rules) = clean(text);
            assert_eq!(out.trim_end(), text, "{rules:?}");
        }
    }

    #[test]
    fn transcripts_quotes_and_examples_keep_a_models_words() {
        for text in [
            "**Answer:** I'm sorry, but as an AI language model, I don't have the ability to feel emotions.",
            "- Candidate response: As of my last update in July 2024, the law was still evolving.",
            "> As of my last update in 2023, Mars does not have a capital.",
            "### Response\nAs of my knowledge cutoff of September 2021, the head of state is the Queen.",
            "//ChatGPT\n//As of my last knowledge update in January 2022, I can provide you with a list.",
            "**Bad:**\n\n```markdown\nNote: This information is current as of my last update in April 2024.\n```",
        ] {
            let (out, rules) = clean(text);
            assert_eq!(out.trim_end(), text, "{rules:?}");
        }
        // Outside the transcript, the page's own disclaimer still goes.
        let (out, rules) = clean(
            "### Response\nThe answer is 4.\n\nAs of my last knowledge update in January 2022, the library had no release.",
        );
        assert!(!out.contains("knowledge update"), "{out}");
        assert_eq!(rules, ["self_reference"]);
    }

    #[test]
    fn a_knowledge_cutoff_clause_goes_and_the_claim_stays() {
        for (dirty, clean_text) in [
            (
                "The library is mature. As of my last update in September 2021, here are the algorithms it supports:",
                "The library is mature. Here are the algorithms it supports:",
            ),
            (
                "Note that as of my last update in October 2023, there's no released version 9.0.",
                "Note that there's no released version 9.0.",
            ),
            (
                "As of my knowledge cutoff in September 2021, the command \"quasar build\" builds the app.",
                "The command \"quasar build\" builds the app.",
            ),
            (
                "A scan of the space (as of my knowledge cutoff and your notes), and its gaps.",
                "A scan of the space, and its gaps.",
            ),
        ] {
            let (out, rules) = clean(dirty);
            assert_eq!(out.trim_end(), clean_text, "{rules:?}");
        }
        // A sentence that is nothing but the model's limits goes whole.
        let (out, _) = clean(
            "FastSpeech 2 came first. Due to my last training cut-off in September 2021, I'm assuming hypothetical advancements.",
        );
        assert_eq!(out.trim_end(), "FastSpeech 2 came first.");
    }

    #[test]
    fn the_model_removes_offers_to_the_requester_the_phrase_rules_miss() {
        for (dirty, clean_text) in [
            (
                "Your dashboard is ready for testing.\n\nDoes it meet your quality expectations? Let me know if you'd like any adjustments!",
                "Your dashboard is ready for testing.\n\nDoes it meet your quality expectations?",
            ),
            (
                "The scraper reads the award pages.\nThis plan should give your coding assistant a solid start. Let me know if you'd like any adjustments or further details!",
                "The scraper reads the award pages.\nThis plan should give your coding assistant a solid start.",
            ),
        ] {
            let (out, rules) = clean(dirty);
            assert_eq!(out.trim_end(), clean_text, "{rules:?}");
            assert!(rules.contains(&"requester_talk"), "{rules:?}");
        }
        // The same words to a page's own readers, mid-text, stay.
        let text = "Let me know if you'd like a copy of the minutes, the secretary wrote.\nThe meeting ends at nine.";
        assert_eq!(clean(text).0.trim_end(), text);
    }

    #[test]
    fn a_sentence_with_an_unfilled_slot_goes_and_a_line_of_nothing_else_too() {
        let (out, rules) = clean(
            "Thank you for your patience.\nWelcome to [App Name]. The app tracks runs.\n[Your Company Name]\n",
        );
        assert_eq!(out, "Thank you for your patience.\nThe app tracks runs.\n");
        assert_eq!(rules, ["placeholder", "placeholder"]);
    }

    #[test]
    fn removes_preambles_written_many_ways() {
        for line in [
            "Certainly! The revised text is:",
            "Sure! Here's the rewritten paragraph:",
            "Here's a suggested “References and Further Readings” section for your article on sleep:",
            "Of course. Below is the updated version you requested:",
            "Here is an improved introduction for your blog post:",
            "Absolutely! Here's a polished draft of the conclusion.",
            "Certainly!",
        ] {
            let (out, rules) = clean(&format!("{line}\nThe real text stays.\n"));
            assert_eq!(out, "The real text stays.\n", "{line:?}");
            assert_eq!(rules, ["chatbot_preamble"], "{line:?}");
        }
    }

    #[test]
    fn removes_interface_residue_banners_and_closers() {
        for (line, rule) in [
            ("Regenerate response", "ui_residue"),
            ("Copy code", "ui_residue"),
            ("ChatGPT can make mistakes. Check important info.", "ui_residue"),
            ("We've noticed unusual query volume. Please get in touch with us.", "error_banner"),
            ("You’ve reached your message limit. Upgrade to continue.", "error_banner"),
            ("There was an error generating a response", "error_banner"),
            ("I hope this helps! Let me know if you need any other changes.", "closer"),
            ("Feel free to ask if you want a shorter version.", "closer"),
            ("If you have any other questions or need further revisions, feel free to let me know!", "closer"),
        ] {
            let (out, rules) = clean(&format!("Body text here.\n{line}\n"));
            assert_eq!(out, "Body text here.\n", "{line:?}");
            assert_eq!(rules, [rule], "{line:?}");
        }
    }

    #[test]
    fn cuts_self_reference_sentences_and_keeps_the_rest() {
        let (out, rules) = clean("Ketamine is an anesthetic. As an AI language model, I cannot give medical advice. Ask a doctor.\n");
        assert_eq!(out, "Ketamine is an anesthetic. Ask a doctor.\n");
        assert_eq!(rules, ["self_reference"]);
        // The cutoff clause goes; the claim after it is the page's text.
        let (out, _) = clean("As of my last knowledge update in 2023, no trials had finished.\n");
        assert_eq!(out, "No trials had finished.\n");
        let (out, _) = clean("Doses vary. I don't have access to real-time data.\n\nNext part.\n");
        assert_eq!(out, "Doses vary.\n\nNext part.\n");
        let (out, _) = clean("Intro.\n\nCertainly! Here is the revised text:\n\nBody.\n");
        assert_eq!(out, "Intro.\n\nBody.\n");
    }

    #[test]
    fn cuts_self_reference_sentences_side_by_side_at_the_end_of_a_line() {
        let prose =
            "The museum reopened in March after two years of repairs to its roof and galleries.";
        let (out, rules) = clean(&format!(
            "{prose} I am an AI language model. As an AI, I cannot browse the web.\n"
        ));
        assert_eq!(out, format!("{prose}\n"));
        assert_eq!(rules, ["self_reference"]);
        let (out, _) = clean(&format!("{prose} I am an AI language model. As an AI, I cannot browse the web. Visit on Sunday.\n"));
        assert_eq!(out, format!("{prose} Visit on Sunday.\n"));
        let (out, _) =
            clean("I am an AI language model. As an AI, I cannot browse the web.\nNext line.\n");
        assert_eq!(out, "Next line.\n");
        let patches = self_reference_sentences(&format!("{prose} I am an AI language model. Tickets cost five euros. My knowledge cutoff is 2021."));
        assert_eq!(patches.len(), 2, "sentences apart stay apart: {patches:?}");
    }

    #[test]
    fn repairs_spliced_rewrites() {
        let (out, rules) = clean("In lower doses, ketamine has Certainly! The revised text is: \"has been found.\" to have potent effects.\n");
        assert_eq!(
            out,
            "In lower doses, ketamine has been found to have potent effects.\n"
        );
        assert_eq!(rules, ["revision_splice"]);
        let (out, _) =
            clean("The dog Sure! Here's the revised sentence: \"was seen.\" near the lake.\n");
        assert_eq!(out, "The dog was seen near the lake.\n");
        let (out, rules) =
            clean("Anxiety disorders \"Are believed.\" to result from many factors.\n");
        assert_eq!(
            out,
            "Anxiety disorders are believed to result from many factors.\n"
        );
        assert_eq!(rules, ["quoted_fragment"]);
        let (out, _) = clean("These side effects “Can be reduced” with care.\n");
        assert_eq!(out, "These side effects can be reduced with care.\n");
    }

    #[test]
    fn splices_with_nothing_left_side_by_side_are_both_cut() {
        let line = "It rose Certainly! The revised text is: \" . \" Sure! The new text is: \" . \" to the top.";
        let patches = revision_splice(line);
        assert_eq!(patches.len(), 2);
        assert!(
            patches[0].range.end <= patches[1].range.start,
            "{patches:?}"
        );
        assert_eq!(
            crate::patch::rewrite(revision_splice, line),
            "It rose to the top."
        );
        // One such splice keeps a space between the words around it (they were glued before).
        let one = "It rose Certainly! The revised text is: \" . \" to the top.";
        assert_eq!(
            crate::patch::rewrite(revision_splice, one),
            "It rose to the top."
        );
        let at_end = "It rose. Certainly! The revised text is: \" . \"";
        assert_eq!(crate::patch::rewrite(revision_splice, at_end), "It rose.");
    }

    #[test]
    fn cuts_a_meta_prefix_glued_to_text() {
        let (out, rules) = clean("Answering your question without the Model Assistant: for anxiety represents a significant advance.\n");
        assert_eq!(out, "for anxiety represents a significant advance.\n");
        assert_eq!(rules, ["meta_prefix"]);
    }

    #[test]
    fn ordinary_sentences_with_the_same_words_survive() {
        for text in [
            "Certainly, the trial showed a clear benefit for patients.",
            "Sure enough, the results held up in the second cohort.",
            "As an AI researcher, she studied language models for a decade.",
            "Here is the schedule for the conference.",
            "Here are the revised guidelines from the ministry, published on Monday.",
            "Below is the updated version of the timetable.",
            "She said \"Stop it.\" and left the room.",
            "The sign read \"Are you ready.\" in bold letters.",
            "He asked whether the model is overloaded with parameters.",
            "Let me know if you need anything, she told him at the door.",
            "\"I hope this helps,\" he said, handing over the map.",
            "Something went wrong with the engine, so we stopped.",
            "The revised text of the treaty was signed in 1992.",
            "Copy the code below into your terminal.",
            "Of course, not every patient responds to ketamine.",
        ] {
            let (out, rules) = clean(&format!("{text}\n"));
            assert_eq!(out, format!("{text}\n"), "changed {text:?} by {rules:?}");
        }
    }
}
