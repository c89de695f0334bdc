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
        r#"|\(?\{"attribution":\{"attributableIndex":"[^"]{0,40}"\}\}\)?"#,
        // Search references between private-use brackets ("\u{e200}cite\u{e202}turn0search3
        // \u{e201}"), and the same once the brackets were stripped ("citeturn0search3turn1news2").
        r"|\x{e200}[^\x{e200}\x{e201}\n]{0,300}\x{e201}",
        r"|(?:\b(?:cite|navlist|image_group|entity)\x{e202}?|\b)(?:turn\d{1,2}(?:search|news|view|fetch|image|academia|product|file|finance|sports|forecast|calculator|time)\d{1,3}\x{e202}?)+",
        r"|[\x{e200}-\x{e202}]",
        // Grok's cards.
        r"|<grok-card\b[^>]{0,500}?(?:/>|>(?:[^<]{0,2000}</grok-card>)?)",
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
    let mut cuts: Vec<std::ops::Range<usize>> = TOKEN.find_iter(line).map(|m| m.range()).collect();
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
    for c in cuts {
        let previous_end = patches.last().map_or(0, |p| p.range.end);
        patches.push(cut_with_spacing(line, c, previous_end));
    }
    for c in TRACKING.captures_iter(line) {
        let whole = c.get(0).expect("group 0");
        if patches
            .iter()
            .any(|p| p.range.start < whole.end() && whole.start() < p.range.end)
        {
            continue; // Inside a chip that goes whole.
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
    let closes = next.is_none_or(|c| {
        matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | ']' | '"' | '\u{201d}'
        )
    });
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
        ] {
            assert_eq!(cleaned(dirty), clean, "{dirty}");
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
