//! Markup that chatbot tools leave in text copied out of them: citation chips, file and search
//! references, attribution records and tracking parameters. None of it is text anyone wrote, and
//! each form is a token no prose contains ("oaicite", "turn0search3", U+E200), so it is cut out
//! wherever it stands (inline, glued to a word, inside brackets) and the sentence around it is kept
//! whole, with its spacing and punctuation repaired. A tool's link keeps its target and loses the
//! tracking parameter.

use crate::patch::Patch;
use regex::Regex;
use std::sync::LazyLock;

/// The fragments every form below contains, searched for before any pattern is run: almost no line
/// holds one.
static FRAGMENTS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::new([
        "oaicite",
        "oai_citation",
        "attached_file:",
        "attributableIndex",
        "\u{e200}",
        "\u{e201}",
        "\u{e202}",
        "turn0",
        "turn1",
        "turn2",
        "turn3",
        "turn4",
        "turn5",
        "turn6",
        "turn7",
        "turn8",
        "turn9",
        "utm_source=chatgpt.com",
        "utm_source=openai",
        "grok-card",
        "[cite",
        "\u{3010}",
    ])
    .expect("valid fragments")
});

/// The tokens that go whole.
static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        // ChatGPT's copied citations: ":contentReference[oaicite:3]{index=3}", "[oaicite:3]".
        r":?contentReference\[oaicite:\d+\](?:\{index=\d+\})?",
        r"|【?\[?oaicite:\d+\]?】?",
        // A citation chip with its link ("[oai_citation:1‡reuters.com](https://…)"), or its
        // label alone once the link was dropped ("oai_citation:1‡reuters.com").
        r"|\[oai_citation(?::\d+)?‡[^\]\n]{0,120}\]\([^)\s]{0,2000}\)",
        r"|oai_citation(?::\d+)?‡[^\s\]\)]{0,120}",
        r"|\[attached_file:\d+\]",
        // An attribution record, alone ("({"attribution":…})") or closing a "^[text](…)" wrapper
        // whose opener `attribution_openers` cuts.
        r#"|(?:\]\(|\(?)\{"attribution":\{"attributableIndex":"[^"]{0,40}"\}\}\)?"#,
        // Gemini's citations: "[cite_start]" before a claim, "[cite: 4, 5, 212]" after it.
        r"|\[cite_start\]",
        r"|\[cite: ?\d{1,4}(?: ?[-\x{2013}] ?\d{1,4})?(?:, ?\d{1,4}(?: ?[-\x{2013}] ?\d{1,4})?){0,20}\]",
        // File-search citations in lenticular brackets: "【24†source】", "【4:2†notes.pdf】", and
        // DeepSeek's line references "【85 L261-269】".
        r"|\x{3010}\d{1,4}(?::\d{1,4})?\x{2020}[^\x{3011}\n]{0,80}\x{3011}",
        r"|\x{3010}\d{1,4} L\d{1,6}(?:-L?\d{1,6})?\x{3011}",
        // Search references between private-use brackets ("\u{e200}cite\u{e202}turn0search3
        // \u{e201}"), and the same once the brackets were stripped ("citeturn0search3turn1news2").
        r"|\x{e200}[^\x{e200}\x{e201}\n]{0,300}\x{e201}",
        // The reference's shape is its own, so it goes even glued to the word before it
        // ("Weltlageturn0news0"), and a chain goes whole, commas and all.
        r"|(?:\b(?:cite|navlist|image_group|entity)\x{e202}?)?turn\d{1,2}(?:search|news|view|fetch|image|academia|product|file|finance|sports|forecast|calculator|time)\d{1,3}(?:(?:\x{e202}|, ?)?turn\d{1,2}(?:search|news|view|fetch|image|academia|product|file|finance|sports|forecast|calculator|time)\d{1,3})*\x{e202}?",
        r"|[\x{e200}-\x{e202}]",
        // Grok's cards.
        r"|<grok-card\b[^>]{0,500}?(?:/>|>(?:[^<]{0,2000}</grok-card>)?)",
    ))
    .expect("valid pattern")
});

/// A chip naming a product, place or person, with the name it shows (group 1), bracketed or not:
/// "entity["turn0product0","Lenovo IdeaPad 1"]".
static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r#"\x{e200}?entity\x{e202}?\[\s*"turn\d{1,2}[a-z]{2,12}\d{1,3}"\s*,\s*"([^"\n]{1,200})""#,
        r#"(?:\s*,\s*"[^"\n]{0,200}")*\s*\]\x{e201}?"#,
    ))
    .expect("valid pattern")
});

/// A tracking parameter a chatbot adds to the links it cites.
static TRACKING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[?&]utm_source=(?:chatgpt\.com|openai)(&?)").expect("valid pattern")
});

/// The patches that cut the tool markup out of a line, in order and not overlapping.
pub fn tool_markup(line: &str) -> Vec<Patch> {
    if !FRAGMENTS.is_match(line) {
        return Vec::new();
    }
    let mut patches: Vec<Patch> = Vec::new();
    let spans = crate::text::code_spans(line);
    let mentioned = |r: &std::ops::Range<usize>| is_mentioned(line, r, &spans);
    // A product or place chip keeps its name: "models like the entity["turn0product0","Lenovo
    // IdeaPad 1"] cost" -> "models like the Lenovo IdeaPad 1 cost".
    let named: Vec<(std::ops::Range<usize>, &str)> = ENTITY
        .captures_iter(line)
        .filter_map(|c| Some((c.get(0)?.range(), c.get(1)?.as_str())))
        .filter(|(r, _)| !mentioned(r))
        .collect();
    let overlaps_named = |r: &std::ops::Range<usize>| {
        named
            .iter()
            .any(|(n, _)| n.start < r.end && r.start < n.end)
    };
    let mut cuts: Vec<std::ops::Range<usize>> = TOKEN
        .find_iter(line)
        .map(|m| {
            // A label's trailing punctuation ends the sentence: "controls oai_citation:1‡Wiki."
            let t = m.as_str();
            let keep = if t.starts_with("oai_citation") {
                t.len() - t.trim_end_matches(['.', ',', ';', ':', '!', '?']).len()
            } else {
                0
            };
            m.start()..m.end() - keep
        })
        .filter(|r| !mentioned(r) && !overlaps_named(r) && !after_escape(line, r.start))
        .collect();
    // Markers side by side ("[oaicite:1] [oaicite:2]") go as one cut.
    cuts.dedup_by(|next, previous| {
        let between = &line[previous.end..next.start];
        if between.chars().all(|c| c == ' ' || c == '\t') {
            previous.end = next.end;
            true
        } else {
            false
        }
    });
    let mut named = named.into_iter().peekable();
    for c in cuts {
        while let Some((r, name)) = named.next_if(|(r, _)| r.start < c.start) {
            patches.push(Patch::new(r, name));
        }
        let previous_end = patches.last().map_or(0, |p| p.range.end);
        patches.push(cut_with_spacing(line, c, previous_end));
    }
    patches.extend(named.map(|(r, name)| Patch::new(r, name)));
    for c in TRACKING.captures_iter(line) {
        let whole = c.get(0).expect("group 0");
        if patches
            .iter()
            .any(|p| p.range.start < whole.end() && whole.start() < p.range.end)
        {
            continue; // Inside a chip that goes whole.
        }
        if mentioned(&whole.range()) {
            continue;
        }
        // Only in a link: "`?utm_source=chatgpt.com`" in a text about tracking is its subject.
        let token_start = line[..whole.start()]
            .rfind(|c: char| c.is_whitespace() || matches!(c, '(' | '<' | '"' | '`' | '['))
            .map_or(0, |i| i + 1);
        if !line[token_start..whole.start()].contains("://") {
            continue;
        }
        // "?utm_source=…&a=b" keeps "?a=b": the "?" stays and the "&" after it goes.
        let range = if line[whole.range()].starts_with('?') && !c[1].is_empty() {
            whole.start() + 1..whole.end()
        } else if !c[1].is_empty() {
            whole.start()..whole.end() - 1
        } else {
            whole.range()
        };
        patches.push(Patch::delete(range));
    }
    patches.sort_by_key(|p| p.range.start);
    patches
}

/// Whether the token at `r` is mentioned, not left over: in a code span ("strip `[oaicite:1]`
/// markers") or named as an example ("citations like 【12:1†source】", "markers such as
/// turn0search0").
fn is_mentioned(line: &str, r: &std::ops::Range<usize>, spans: &[std::ops::Range<usize>]) -> bool {
    if spans.iter().any(|s| s.start < r.end && r.start < s.end) {
        return true;
    }
    let before = &line[..r.start];
    if !before.ends_with(' ') {
        return false; // Glued to the word before it: a leftover.
    }
    let word = before.trim_end().rsplit(' ').next().unwrap_or("");
    matches!(
        word.to_lowercase().as_str(),
        "like"
            | "as"
            | "e.g."
            | "e.g.,"
            | "eg"
            | "i.e."
            | "i.e.,"
            | "namely"
            | "called"
            | "marker"
            | "markers"
            | "token"
            | "tokens"
            | "tag"
            | "tags"
    )
}

/// Whether a token starts right after a written escape of a private-use bracket ("\ue202turn0news26"
/// in a text explaining the format): the escape is spelled out, so the token is too.
fn after_escape(line: &str, start: usize) -> bool {
    static ESCAPE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\\u(?:[0-9a-fA-F]{4}|\{[0-9a-fA-F]{1,6}\})(?:cite)?$").expect("valid pattern")
    });
    let before = &line[..start];
    before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '}') && ESCAPE.is_match(before)
}

/// What the rest of a document says about a line's markup: forms that are a tool's only when
/// the document shows the tool elsewhere.
#[derive(Debug, Default)]
pub struct DocumentMarkup {
    /// Reference numbers defined by a tool's cited link ("[3]: https://…?utm_source=chatgpt.com
    /// "Title""): "([en.wikipedia.org][3])" in the text is then the tool's citation.
    cited: Vec<u32>,
    /// The document holds attribution records, so "^[" opening a line is their wrapper's opener
    /// (the record closes it, maybe lines later).
    attributed: bool,
}

static CITED_DEFINITION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^ {0,3}\[(\d{1,3})\]:\s*\S*[?&]utm_source=(?:chatgpt\.com|openai)")
        .expect("valid pattern")
});
static REFERENCE_CITATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(\[[^\[\]\n]{1,100}\]\[(\d{1,3})\](?:, ?\[[^\[\]\n]{1,100}\]\[\d{1,3}\]){0,5}\)")
        .expect("valid pattern")
});
static LINE_OPENER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:(?:[-*+]|\d{1,3}[.)]|>)\s+)*\^\[").expect("valid pattern")
});

impl DocumentMarkup {
    pub fn scan<'a>(lines: impl Iterator<Item = &'a str>) -> Self {
        let mut found = DocumentMarkup::default();
        for line in lines {
            // The substring test first: the pattern is for the few lines that pass it.
            let cited = line
                .contains("utm_source=")
                .then(|| CITED_DEFINITION.captures(line));
            if let Some(c) = cited.flatten() {
                found.cited.extend(c[1].parse::<u32>().ok());
            }
            found.attributed |= line.contains("\"attributableIndex\"");
        }
        found
    }

    /// Whether no line of the document can hold the forms below.
    pub fn is_empty(&self) -> bool {
        self.cited.is_empty() && !self.attributed
    }
}

/// The patches that cut the forms `doc` vouches for out of a line: reference citations to a tool's
/// links, and attribution wrappers' openers.
pub fn document_markup(line: &str, doc: &DocumentMarkup) -> Vec<Patch> {
    let spans = crate::text::code_spans(line);
    let mentioned = |r: &std::ops::Range<usize>| is_mentioned(line, r, &spans);
    let mut patches: Vec<Patch> = Vec::new();
    if !doc.cited.is_empty() {
        for c in REFERENCE_CITATION.captures_iter(line) {
            let whole = c.get(0).expect("group 0").range();
            let number: Option<u32> = c[1].parse().ok();
            if number.is_some_and(|n| doc.cited.contains(&n)) && !mentioned(&whole) {
                let previous_end = patches.last().map_or(0, |p| p.range.end);
                patches.push(cut_with_spacing(line, whole, previous_end));
            }
        }
    }
    if doc.attributed {
        let record = line.find("\"attributableIndex\"");
        let line_opener = LINE_OPENER.find(line).map(|m| m.end());
        for (i, _) in line.match_indices("^[") {
            let r = i..i + 2;
            let opens = line_opener == Some(r.end) || record.is_some_and(|at| at > r.end);
            let free = !patches
                .iter()
                .any(|p| p.range.start < r.end && r.start < p.range.end);
            if opens && free && !mentioned(&r) {
                patches.push(Patch::delete(r));
            }
        }
    }
    patches.sort_by_key(|p| p.range.start);
    patches
}

/// The cut of a token from `range`, with the spaces around it: a token between two words leaves
/// one space, a token before punctuation or the end of the line leaves none ("held. [oaicite:1]"
/// -> "held."), and a token glued to both neighbours leaves them glued as they were.
fn cut_with_spacing(line: &str, range: std::ops::Range<usize>, floor: usize) -> Patch {
    let is_space = |c: char| c == ' ' || c == '\t';
    let before = line[floor..range.start].trim_end_matches(is_space).len() + floor;
    let after = range.end
        + (line[range.end..].len() - line[range.end..].trim_start_matches(is_space).len());
    let spaced_before = before < range.start;
    let spaced_after = after > range.end;
    let next = line[after..].chars().next();
    let at_start = before == 0;
    // Closing punctuation, or a closing tag ("claim. [oaicite:4]</dd>").
    let closes = next.is_none_or(|c| {
        matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '"' | '\u{201d}'
        )
    }) || line[after..].starts_with("</");
    if closes || at_start {
        // Nothing or punctuation follows, or nothing precedes: no space is left on that side.
        return Patch::delete(if at_start {
            range.start..after
        } else {
            before..range.end.max(after)
        });
    }
    if spaced_before && spaced_after {
        return Patch::delete(range.start..after);
    }
    let glued = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    if !spaced_before
        && !spaced_after
        && glued(line[..range.start].chars().next_back())
        && glued(next)
    {
        // "Paris[oaicite:1]is": the token stood for a space.
        return Patch::new(range, " ");
    }
    Patch::delete(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cleaned(line: &str) -> String {
        let patches = tool_markup(line);
        assert!(
            crate::patch::well_formed(line, &patches),
            "{patches:?} for {line:?}"
        );
        crate::patch::apply(line, &patches).0
    }

    #[test]
    fn citation_tokens_go_and_the_sentence_stays_whole() {
        for (dirty, clean) in [
            (
                "The bridge opened in 1932.:contentReference[oaicite:0]{index=0} It carries rail.",
                "The bridge opened in 1932. It carries rail.",
            ),
            (
                "The bridge opened in 1932 :contentReference[oaicite:1]{index=1}.",
                "The bridge opened in 1932.",
            ),
            (
                "Sales rose 4% [oaicite:2] [oaicite:3] in March.",
                "Sales rose 4% in March.",
            ),
            (
                "Rates were cut oai_citation:1‡reuters.com last week.",
                "Rates were cut last week.",
            ),
            (
                "Rates were cut [oai_citation:1‡Reuters](https://www.reuters.com/x?utm_source=chatgpt.com).",
                "Rates were cut.",
            ),
            (
                "See the plan [attached_file:1] for details.",
                "See the plan for details.",
            ),
            (
                "It was built in 1890 ({\"attribution\":{\"attributableIndex\":\"1020-1\"}}).",
                "It was built in 1890.",
            ),
            (
                "The museum reopened in May. \u{e200}cite\u{e202}turn0search3\u{e202}turn1news2\u{e201}",
                "The museum reopened in May.",
            ),
            (
                "The museum reopened in May citeturn0search3turn1news2.",
                "The museum reopened in May.",
            ),
            (
                "Paris:contentReference[oaicite:4]{index=4}is the capital.",
                "Paris is the capital.",
            ),
            (
                "Ein Überblick zur Weltlageturn0news0,turn0news49,turn0news47",
                "Ein Überblick zur Weltlage",
            ),
        ] {
            assert_eq!(cleaned(dirty), clean, "{dirty}");
        }
    }

    #[test]
    fn other_tools_citations_go_too() {
        for (dirty, clean) in [
            (
                "[cite_start]The model reached 91% recall[cite: 43, 106].",
                "The model reached 91% recall.",
            ),
            (
                "* [cite_start]**Speed:** it runs in 2 ms[cite: 230-234]. It is small.",
                "* **Speed:** it runs in 2 ms. It is small.",
            ),
            (
                "Each neuron sets weights towards others\u{3010}81\u{2020}source\u{3011}.",
                "Each neuron sets weights towards others.",
            ),
            (
                "The file is parsed once \u{3010}4:2\u{2020}notes.pdf\u{3011} and cached.",
                "The file is parsed once and cached.",
            ),
            (
                "It <dd>keeps claims fast. :contentReference[oaicite:4]{index=4}</dd>",
                "It <dd>keeps claims fast.</dd>",
            ),
            (
                "It lacks controls oai_citation:1\u{2021}Wikipedia.",
                "It lacks controls.",
            ),
            (
                "Models like the entity[\"turn0product0\",\"Lenovo IdeaPad 1\"] cost less.",
                "Models like the Lenovo IdeaPad 1 cost less.",
            ),
            (
                "Try the \u{e200}entity\u{e202}[\"turn0product1\",\"Pixel 9\",\"phone\"]\u{e201} first.",
                "Try the Pixel 9 first.",
            ),
        ] {
            assert_eq!(cleaned(dirty), clean, "{dirty}");
        }
    }

    #[test]
    fn forms_the_rest_of_the_document_vouches_for() {
        let lines = [
            "- ^[WebSocket messaging.]({\"attribution\":{\"attributableIndex\":\"0-3\"}})",
            "^[Global water insecurity affects rural areas.",
            "Invoke only official commands. ([en.wikipedia.org][3])",
            "[3]: https://en.wikipedia.org/wiki/MCP?utm_source=chatgpt.com \"Model Context Protocol\"",
        ];
        let doc = DocumentMarkup::scan(lines.iter().copied());
        let clean = |line: &str| {
            let mut patches = tool_markup(line);
            let text = crate::patch::apply(line, &patches).0;
            patches = document_markup(&text, &doc);
            assert!(crate::patch::well_formed(&text, &patches), "{patches:?}");
            crate::patch::apply(&text, &patches).0
        };
        assert_eq!(clean(lines[0]), "- WebSocket messaging.");
        assert_eq!(
            clean(lines[1]),
            "Global water insecurity affects rural areas."
        );
        assert_eq!(clean(lines[2]), "Invoke only official commands.");
        assert_eq!(
            clean(lines[3]),
            "[3]: https://en.wikipedia.org/wiki/MCP \"Model Context Protocol\""
        );
        // Without the tool's definitions or records, the same forms are a writer's.
        let plain = DocumentMarkup::scan(
            ["See the spec ([w3.org][1]).", "[1]: https://w3.org/spec"].into_iter(),
        );
        assert!(plain.is_empty());
        assert!(document_markup("See the spec ([w3.org][1]).", &plain).is_empty());
        assert!(document_markup("x^[a footnote] y", &doc).is_empty());
    }

    #[test]
    fn markup_mentioned_as_markup_is_left() {
        for line in [
            "Strip markers such as `[oaicite:1]` and `turn0search0` from drafts.",
            "DO NOT include source citations like \u{3010}12:1\u{2020}source\u{3011} in your responses.",
            "Gemini leaves markers like [cite_start] in copied text.",
            "A ``[cite: 1]`` marker follows each claim.",
            r#"- **Metadata Example**: "\ue200cite\ue202turn0news26\ue201""#,
        ] {
            assert!(tool_markup(line).is_empty(), "{line}");
        }
    }

    #[test]
    fn tool_links_keep_their_target_and_lose_the_tracking() {
        assert_eq!(
            cleaned("Read https://example.org/a?utm_source=chatgpt.com today."),
            "Read https://example.org/a today."
        );
        assert_eq!(
            cleaned("Read https://example.org/a?utm_source=chatgpt.com&page=2 today."),
            "Read https://example.org/a?page=2 today."
        );
        assert_eq!(
            cleaned("Read https://example.org/a?page=2&utm_source=openai today."),
            "Read https://example.org/a?page=2 today."
        );
    }

    #[test]
    fn text_that_merely_looks_alike_is_left() {
        for line in [
            "Make a U-turn0 metres after the bridge.",
            "The return3 value is ignored.",
            "utm_source=newsletter tracks the campaign.",
            "Strip `?utm_source=chatgpt.com` from the links you paste.",
            "Turn 3 search lights on at dusk.",
            "Our citation index lists 4,000 journals.",
        ] {
            assert!(tool_markup(line).is_empty(), "{line}");
        }
    }
}
