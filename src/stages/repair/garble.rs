//! Garbled phrasing: small slips that a reader sees at once and that have one right reading.
//! Each finder returns the patches for one line; anything with a second reading is left alone.

use crate::patch::Patch;
use regex::Regex;
use std::sync::LazyLock;

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid pattern")
}

/// Function words that are never right twice in a row. "that that", "had had", "is is" and
/// emphatic doubles ("very very", "long long ago") are correct English, so they are not here, nor
/// is "my" ("my my", an exclamation).
static DOUBLED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i-u)\b(the|a|an|of|to|for|with|from|by|and|their|our|its|your|his|these|those)( +)(the|a|an|of|to|for|with|from|by|and|their|our|its|your|his|these|those)\b",
    )
});

/// `word the the next` -> `word the next`, in English text (the caller checks the language: "a a"
/// is Spanish, Portuguese or Italian grammar as often as a slip). The second copy must be
/// lowercase, so "A a" (a grade, a letter) and a sentence ending in "to" before "To ..." stay; both
/// copies must be whole words, Unicode letters counted ("exponía a la" holds no "a a").
pub fn doubled_word(line: &str) -> Vec<Patch> {
    let mut patches = Vec::new();
    let mut from = 0;
    // A cheap search first: the capturing engine is slow, and most lines have no double.
    while let Some(c) = DOUBLED
        .find_at(line, from)
        .and_then(|m| DOUBLED.captures_at(line, m.start()))
    {
        // Groups 1 to 3 are not optional in DOUBLED; their offsets are char boundaries.
        let (first, gap, second) = (c.get(1).unwrap(), c.get(2).unwrap(), c.get(3).unwrap());
        from = second.start();
        if !first.as_str().eq_ignore_ascii_case(second.as_str())
            || !whole_words(line, first.start(), second.end())
            || said_thrice(line, first.start(), second.end(), first.as_str())
            || !second.as_str().starts_with(|ch: char| ch.is_lowercase())
            || gap.as_str().contains('\n')
            || first.as_str().starts_with(|ch: char| ch.is_uppercase())
                && !starts_sentence(line, first.start())
            || is_quoted(line, first.start(), second.end())
        {
            continue;
        }
        patches.push(Patch::delete(first.end()..second.end()));
        from = second.end();
    }
    // The patch keeps the first copy's case ("The the" -> "The").
    patches
}

/// Whether the span starts and ends at word boundaries in the Unicode sense: the fast pattern's
/// ASCII `\b` sees one between `í` and `a`, so "exponía a la" would read as "a a".
fn whole_words(line: &str, start: usize, end: usize) -> bool {
    // start and end are match offsets: char boundaries.
    let word_char = |c: char| c.is_alphanumeric() || unicode_mark(c);
    !line[..start].chars().next_back().is_some_and(word_char)
        && !line[end..].chars().next().is_some_and(word_char)
}

/// A third copy just before or after the pair: said on purpose ("and and and").
fn said_thrice(line: &str, start: usize, end: usize, word: &str) -> bool {
    // start and end are match offsets: char boundaries.
    let before = line[..start].trim_end().rsplit(' ').next().unwrap_or("");
    let after = line[end..].trim_start().split(' ').next().unwrap_or("");
    let same = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .eq_ignore_ascii_case(word)
    };
    same(before) || same(after)
}

/// A combining mark (a decomposed accent continues the word it follows).
fn unicode_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

/// Whether a span is quoted as a phrase ("the the" mentioned, not used).
fn is_quoted(line: &str, start: usize, end: usize) -> bool {
    const QUOTES: [char; 6] = ['"', '\'', '“', '”', '‘', '’'];
    // start and end are match offsets: char boundaries.
    line[..start].ends_with(QUOTES) || line[end..].starts_with(QUOTES)
}

/// Whether `at` begins a sentence: the line's start, or after `. ! ?` and a space.
fn starts_sentence(line: &str, at: usize) -> bool {
    // `at` is a match offset: a char boundary.
    let before = line[..at].trim_end_matches([' ', '"', '\'', '“', '‘', '(']);
    before.is_empty() || before.ends_with(['.', '!', '?', ':'])
}

/// Spaces before a comma or full stop (or, in English, `; ! ?`) that ends a word: `word ,` ->
/// `word,`. The mark must be followed by a space or the line's end, so ". . .", " .NET", " .5",
/// smileys and French spacing before `; : ! ?` are untouched.
pub fn space_before_punct(line: &str, english: &dyn Fn() -> bool) -> Vec<Patch> {
    let bytes = line.as_bytes();
    let mut patches = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b' ' {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if start == 0 || i >= bytes.len() {
            continue;
        }
        // i < bytes.len() (checked above); `start` is at an ASCII space: a char boundary.
        let mark = bytes[i];
        let allowed = match mark {
            b',' | b'.' => true,
            // "Note :" is usually a slip, but "echo :" quotes a command: leave colons.
            b';' | b'!' | b'?' => english(),
            _ => false,
        };
        let ends = bytes.get(i + 1).is_none_or(|&b| b == b' ');
        let before = line[..start].chars().next_back().unwrap_or(' ');
        let word_before =
            before.is_alphanumeric() || matches!(before, ')' | '"' | '\'' | '’' | '”' | '%');
        if allowed && ends && word_before && !is_ellipsis(bytes, i) {
            patches.push(Patch::delete(start..i));
        }
    }
    patches
}

/// Zipf both words around a missing space need: common words, so that names, jargon and file
/// names ("config.Json") are left.
const MIN_SPACE_AFTER_PUNCT_ZIPF: f32 = 3.0;

/// A missing space after punctuation between two words: `management,utilization` ->
/// `management, utilization`, `including:Claim` -> `including: Claim`, `ended.The` ->
/// `ended. The`. English text only (the caller checks): both sides must be common words of its
/// lexicon. A token with a digit, a slash, `@`, `_` or two marks is a number, a URL, an address,
/// an identifier or an abbreviation (`e.g.`, `U.S.`), never glue; after `.`, `!` or `?` the next
/// word must start a sentence (a capital) and the word before must be a lowercase word of three
/// letters or more (not `Mr.Smith`, `St.Louis`, `node.js`); after `:` too (`internal:local`
/// names a thing).
pub fn space_after_punct(line: &str) -> Vec<Patch> {
    let mut patches = Vec::new();
    let mut at = 0;
    for token in line.split(' ') {
        let start = at;
        at += token.len() + 1;
        if token.len() < 5
            || !token.is_ascii()
            || token.contains(|c: char| c.is_ascii_digit() || "/@_\\=<>#&%~|".contains(c))
        {
            continue;
        }
        let core = token.trim_start_matches(['(', '[', '"', '\'']);
        let lead = token.len() - core.len();
        let core = core.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '"', '\'']);
        let marks: Vec<usize> = core
            .match_indices([',', ';', ':', '.', '!', '?'])
            .map(|(i, _)| i)
            .collect();
        let [mark] = marks[..] else { continue };
        let (left, right) = (&core[..mark], &core[mark + 1..]);
        let letters = |w: &str| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_alphabetic());
        if !letters(left)
            || !letters(right)
            || right.bytes().skip(1).any(|b| b.is_ascii_uppercase())
        {
            continue;
        }
        let capital_next = right.as_bytes()[0].is_ascii_uppercase();
        let common =
            |w: &str| crate::lexicon::zipf(w).is_some_and(|z| z >= MIN_SPACE_AFTER_PUNCT_ZIPF);
        let lowercase = |w: &str| w.bytes().all(|b| b.is_ascii_lowercase());
        let slip = match core.as_bytes()[mark] {
            // A sentence ends before a capital: after a lowercase word ("injury.Antawn"), or
            // after a name when a function word opens the next ("Amazon.It", "Iraq.The"); a
            // name before a name is a domain or a product more often ("Node.Js", "Vue.Router").
            b'.' | b'!' | b'?' => {
                capital_next
                    && left.len() >= 3
                    && (lowercase(left) && (common(left) || common(right))
                        || crate::lexicon::is_function_word(&right.to_ascii_lowercase()))
            }
            // `word:word` in lowercase is a name of something more often than a slip
            // (`internal:local`, `color:red`, `mailto:x`); a label before a capital is a slip.
            b':' => capital_next && common(left) && common(right),
            // A list or clause goes on after a comma: one side is a common word and the other a
            // word of three letters or more, a name among them ("Toomer,who", "dad,Jindal").
            // Both words of three letters or more, or a two-letter function word ("so,if"):
            // `they,ll` and `don,t` are apostrophes typed as commas.
            _ => {
                let word = |w: &str| {
                    w.len() >= 3 || crate::lexicon::is_function_word(&w.to_ascii_lowercase())
                };
                word(left) && word(right) && (common(left) || common(right))
            }
        };
        if slip {
            // `start` follows an ASCII space; lead and mark count ASCII bytes of the token.
            let pos = start + lead + mark + 1;
            patches.push(Patch::new(pos..pos, " "));
        }
    }
    patches
}

/// `i < bytes.len()`, so `bytes[i + 1..]` is in range (maybe empty); `i - 1` only when i > 0.
fn is_ellipsis(bytes: &[u8], i: usize) -> bool {
    bytes[i] == b'.'
        && (bytes[i + 1..].starts_with(b".")
            || bytes[i + 1..].starts_with(b" .")
            || i > 0 && bytes[i - 1] == b'.')
}

/// Two hyphens standing for a dash between words: "portion-- estimates" -> "portion — estimates",
/// "fear--the" -> "fear—the". Spacing follows the writer: closed if both sides are closed, spaced
/// otherwise. Command-line options ("use --all"), HTML comments, arrows and rules ("---") stay.
static DOUBLE_HYPHEN: LazyLock<Regex> =
    LazyLock::new(|| re(r#"([\p{L}\p{N}%)"'’”])( ?)--( ?)([\p{L}\p{N}"'‘“(])"#));

pub fn double_hyphen_dash(line: &str) -> Vec<Patch> {
    // A command line ("cargo run --release -- args"), where `--` ends the options.
    static OPTION: LazyLock<Regex> = LazyLock::new(|| re(r"(?:^|\s)--?[a-z]"));
    if !line.contains("--") || crate::text::looks_like_code(line) || OPTION.is_match(line) {
        return Vec::new();
    }
    let mut patches = Vec::new();
    let mut from = 0;
    while let Some(c) = DOUBLE_HYPHEN.captures_at(line, from) {
        // Groups 2 and 3 (`( ?)`) take part in every match; the dashes between them are ASCII, so
        // every offset below is a char boundary.
        let (left, right) = (c.get(2).unwrap(), c.get(3).unwrap());
        let dashes = left.end()..right.start();
        from = dashes.end;
        // "---" and "<!--": a rule or markup, not a dash.
        if line[..dashes.start].ends_with('-') || line[dashes.end..].starts_with('-') {
            continue;
        }
        // " --word" or "'--word": an option to a command.
        let after_quote = line[..dashes.start].ends_with(['"', '\'', '’', '”']);
        if right.is_empty() && (!left.is_empty() || after_quote) {
            continue;
        }
        // "word--word" closed up: only between plain words, not inside a URL, path or name.
        if left.is_empty() && right.is_empty() && !is_plain_run(line, dashes.clone()) {
            continue;
        }
        let with = if left.is_empty() && right.is_empty() {
            "—"
        } else {
            " — "
        };
        patches.push(Patch::new(left.start()..right.end(), with));
    }
    patches
}

/// Whether the whitespace-separated run around `dashes` is words and hyphens only.
fn is_plain_run(line: &str, dashes: std::ops::Range<usize>) -> bool {
    // After the last whitespace before the dashes, which may be wider than a byte (a no-break
    // space): what is left of the text before them once their own run is trimmed off.
    let start = line[..dashes.start]
        .trim_end_matches(|c: char| !c.is_whitespace())
        .len();
    // dashes.end + i: on a char boundary, the start of the whitespace `find` found.
    let end = line[dashes.end..]
        .find(char::is_whitespace)
        .map_or(line.len(), |i| dashes.end + i);
    let run =
        line[start..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'', '’', '”']);
    run.chars()
        .all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '’')
}

/// A straight double quote standing alone between spaces in a line whose quotes do not pair up:
/// a fragment's leftover ("the results " were significant"). A lone quote touching a word may be
/// an opening or closing one whose partner is on another line, so it stays.
pub fn stray_quote(line: &str) -> Vec<Patch> {
    if line.matches('"').count().is_multiple_of(2) {
        return Vec::new();
    }
    let mut patches = Vec::new();
    for (i, _) in line.match_indices(" \" ") {
        // `i` starts the ASCII match ` " `: a boundary, and `i + 2` is one too.
        let before = line[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, ',' | ';')) {
            patches.push(Patch::delete(i..i + 2));
        }
    }
    if patches.len() == 1 {
        patches
    } else {
        Vec::new() // Several lone quotes: a layout we do not understand.
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::rewrite;

    /// Every line comes out of `rule` as it went in.
    fn leaves(rule: impl Fn(&str) -> Vec<Patch>, lines: &[&str]) {
        for &line in lines {
            assert_eq!(rewrite(&rule, line), line);
        }
    }

    #[test]
    fn doubled_function_words_lose_a_copy() {
        assert_eq!(
            rewrite(doubled_word, "for the the patients"),
            "for the patients"
        );
        assert_eq!(
            rewrite(doubled_word, "The the trial ended"),
            "The trial ended"
        );
        assert_eq!(
            rewrite(doubled_word, "a review of of the data"),
            "a review of the data"
        );
        leaves(
            doubled_word,
            &[
                "He said that that was fine.",
                "She had had enough.",
                "What it is is a choice.",
                "Grade A a second time",
                "a very very long day",
                "the theme of the thesis",
                "the, the",
                "fixed the typo \"the the\" in the docs",
            ],
        );
    }

    #[test]
    fn space_before_punctuation_is_closed() {
        let english = |l: &str| space_before_punct(l, &|| true);
        assert_eq!(
            rewrite(english, "the results , however , varied"),
            "the results, however, varied"
        );
        assert_eq!(
            rewrite(english, "the results , however, varied"),
            "the results, however, varied"
        );
        assert_eq!(rewrite(english, "It worked !"), "It worked!");
        assert_eq!(rewrite(english, "It ended here ."), "It ended here.");
        leaves(
            english,
            &[
                "Wait . . . what",
                "Use .NET 8",
                "a value of .5 mg",
                "smile :)",
                "go on ...",
                ". Start",
            ],
        );
        let french = |l: &str| space_before_punct(l, &|| false);
        assert_eq!(
            rewrite(french, "Pourquoi ? Parce que !"),
            "Pourquoi ? Parce que !"
        );
    }

    #[test]
    fn double_hyphens_become_dashes() {
        assert_eq!(
            rewrite(double_hyphen_dash, "a portion-- estimates say"),
            "a portion — estimates say"
        );
        assert_eq!(
            rewrite(double_hyphen_dash, "the amygdala--the fear centre"),
            "the amygdala—the fear centre"
        );
        assert_eq!(
            rewrite(double_hyphen_dash, "worry -- and fear"),
            "worry — and fear"
        );
        leaves(
            double_hyphen_dash,
            &[
                "run ls --all to see them",
                "<!-- comment -->",
                "a rule ---- here",
                "for (i = 0; i < n; i--) {",
                "x -- y;",
                "pass '--help' for the options",
                "cargo run --release -- input.txt",
                "run it with \"--foo\" set",
                "see https://example.org/proc--macro2-docs",
            ],
        );
    }

    #[test]
    fn double_hyphen_after_a_multibyte_space() {
        // The run around a closed-up `--` starts after the whitespace before it: a no-break or
        // ideographic space is more than one byte, and the byte after its first is inside it.
        assert_eq!(
            rewrite(double_hyphen_dash, "in\u{a0}fear--the dark"),
            "in\u{a0}fear—the dark"
        );
        assert_eq!(
            rewrite(double_hyphen_dash, "in\u{3000}fear--the dark"),
            "in\u{3000}fear—the dark"
        );
        leaves(
            double_hyphen_dash,
            &["see\u{a0}https://example.org/proc--macro2-docs"],
        );
    }

    #[test]
    fn a_lone_quote_between_words_goes() {
        assert_eq!(
            rewrite(stray_quote, "the results \" were significant"),
            "the results were significant"
        );
        leaves(
            stray_quote,
            &[
                "He said \"wait\" and left",
                "a 12\" record",
                "she wrote: \"the end",
                "\" at the start",
            ],
        );
    }

    #[test]
    fn a_missing_space_after_punctuation_between_two_words() {
        for (glued, fixed) in [
            (
                "cost management,utilization review",
                "cost management, utilization review",
            ),
            (
                "benefits including:Claim forms",
                "benefits including: Claim forms",
            ),
            (
                "The meeting ended.The board left",
                "The meeting ended. The board left",
            ),
            // Names on one side: a common word on the other vouches for the slip.
            ("said Toomer,who left", "said Toomer, who left"),
            (
                "after the injury.Antawn Jamison",
                "after the injury. Antawn Jamison",
            ),
            ("sold on Amazon.It was", "sold on Amazon. It was"),
        ] {
            assert_eq!(rewrite(space_after_punct, glued), fixed);
        }
        for clean in [
            "see e.g.Smith, U.S.Army, Mr.Smith and St.Louis",
            "open config.json or index.html at http://example.com/a,b",
            "call node.js and serde_json::Value, 3.5,4.2 or 10:30",
            "write to me@example.com, and Foo.Bar.Baz",
            "the numbers 1,000,000 and a,b,c",
            "the merge tool internal:local and the style color:red",
            "they,ll see and we don,t",
            "use Node.Js or Vue.Router with Ab,Cd",
        ] {
            assert_eq!(rewrite(space_after_punct, clean), clean, "{clean}");
        }
    }
}
