//! Leftover Markdown and LaTeX markup: the words stay, the markup goes.
//!
//! Every pattern needs both of its delimiters and word boundaries around them, so arithmetic
//! (`2**3`), footnote stars and snake_case names are not mistaken for emphasis.

use crate::patch::Patch;
use regex::{Captures, Regex};
use std::sync::LazyLock;

static HEADING: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\s*)(#{1,6})[ \t]+").unwrap());
static HEADING_TAIL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[ \t]+#+[ \t]*$").unwrap());
static RULE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$").unwrap());
/// `[text](url)` and `![alt](url)`, with an optional title.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(!?)\[([^\[\]]*)\]\(\s*<?(?:[a-z][a-z0-9+.-]*:|/|#|\.|www\.)[^()\s]*(?:\([^()\s]*\)[^()\s]*)*>?(?:\s+"[^"]*")?\s*\)"#).unwrap()
});
/// The tail of a link whose `[` was lost: `text](https://...)`.
static BROKEN_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\]\((?:https?://|www\.)[^()\s]*(?:\([^()\s]*\)[^()\s]*)*\)").unwrap()
});
static STRONG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\*\*|__|~~)([^*_~\s](?:[^*~]*?[^*_~\s])?)(\*\*|__|~~)").unwrap()
});
static EMPHASIS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\*([^*\s](?:[^*]*?[^*\s])?)\*").unwrap());
/// `\underline{x}`, `\textbf{x}`, ... with the `$...$` a converter may have put around them.
static LATEX_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\$?)\\(?:underline|uline|textbf|textit|textsl|textsc|texttt|textrm|emph|url|mathrm|mathbf|mathit|text)\{([^{}]*)\}(\$?)").unwrap()
});
static LATEX_HREF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\$?)\\href\{[^{}]*\}\{([^{}]*)\}(\$?)").unwrap());
static LATEX_ESCAPE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\\([&%_#$\{\}])").unwrap());

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric())
}

/// Markdown: heading hashes, horizontal rules, links and images (the words kept), a lost link's
/// `](url)` tail, and strong, struck and emphasized text.
pub fn markdown(line: &str) -> Vec<Patch> {
    let mut patches = Vec::new();
    // Rules and headings are anchored at the first non-blank character: most lines cannot be
    // either, and are not given to the regexes.
    let first = line.trim_start().as_bytes().first().copied();
    if matches!(first, Some(b'-' | b'*' | b'_')) && RULE_LINE.is_match(line) {
        return vec![Patch::delete(0..line.len())];
    }
    // Links and emphasis need one of these bytes; most lines have none.
    if first != Some(b'#')
        && !crate::text::any_byte(line.as_bytes(), |b| matches!(b, b']' | b'*' | b'_' | b'~'))
    {
        return patches;
    }
    let heading = if first == Some(b'#') {
        HEADING.captures(line)
    } else {
        None
    };
    if let Some(c) = heading {
        // Group 2 is not optional in HEADING; group 0 is the match.
        patches.push(Patch::delete(
            c.get(2).unwrap().start()..c.get(0).unwrap().end(),
        ));
        if let Some(t) = HEADING_TAIL.find(line) {
            if t.start() >= c.get(0).unwrap().end() {
                patches.push(Patch::delete(t.range()));
            }
        }
    }
    if line.contains("](") {
        for c in LINK.captures_iter(line) {
            // Group 2 is not optional in LINK (it may match nothing, but it takes part).
            let whole = c.get(0).unwrap();
            patches.push(Patch::new(whole.range(), &c[2]));
        }
        for m in BROKEN_LINK.find_iter(line) {
            if !overlaps(&patches, &m.range()) {
                patches.push(Patch::delete(m.range()));
            }
        }
    }
    if line.contains("**") || line.contains("__") || line.contains("~~") {
        // Groups 1 to 3 are not optional in STRONG.
        for c in STRONG.captures_iter(line) {
            // `__init__` is a name, not bold: underscores need a phrase between them.
            let dunder = &c[1] == "__" && !c[2].contains(char::is_whitespace);
            if c[1] == c[3] && !dunder && bounded(line, &c) {
                push_unwrapped(&mut patches, &c, 1, 3);
            }
        }
    }
    if line.contains('*') {
        for c in EMPHASIS.captures_iter(line) {
            let whole = c.get(0).unwrap();
            if bounded(line, &c) && !overlaps(&patches, &whole.range()) {
                // EMPHASIS starts and ends with an ASCII `*`: one byte each.
                patches.push(Patch::delete(whole.start()..whole.start() + 1));
                patches.push(Patch::delete(whole.end() - 1..whole.end()));
            }
        }
    }
    patches.sort_by_key(|p| p.range.start);
    drop_overlapping(patches)
}

/// Delimiters must not touch letters or digits on the outside (`2**3**4` is arithmetic).
fn bounded(line: &str, c: &Captures) -> bool {
    // Group 0 is the match; its offsets are char boundaries.
    let whole = c.get(0).unwrap();
    let before = line[..whole.start()].chars().next_back();
    let after = line[whole.end()..].chars().next();
    !is_word_char(before) && !is_word_char(after) && before != Some('*') && after != Some('*')
}

fn push_unwrapped(patches: &mut Vec<Patch>, c: &Captures, open: usize, close: usize) {
    // Called with STRONG's groups 1 and 3, which are not optional.
    let (o, cl) = (c.get(open).unwrap(), c.get(close).unwrap());
    if !overlaps(patches, &(o.start()..cl.end())) {
        if !o.is_empty() {
            patches.push(Patch::delete(o.range()));
        }
        if !cl.is_empty() {
            patches.push(Patch::delete(cl.range()));
        }
    }
}

fn overlaps(patches: &[Patch], r: &std::ops::Range<usize>) -> bool {
    patches
        .iter()
        .any(|p| p.range.start < r.end && r.start < p.range.end)
}

fn drop_overlapping(patches: Vec<Patch>) -> Vec<Patch> {
    let mut out: Vec<Patch> = Vec::with_capacity(patches.len());
    for p in patches {
        if out.last().is_none_or(|l| l.range.end <= p.range.start) {
            out.push(p);
        }
    }
    out
}

/// LaTeX left by a PDF or math converter: formatting commands (`\underline{x}`, `\textbf{x}`,
/// `\href{url}{x}`) keep their argument, with `\&`-style escapes inside it undone. The `$...$`
/// around such a command goes too, but only as a pair. Real math (`$x^2$`) is not touched.
pub fn latex(line: &str) -> Vec<Patch> {
    if !line.contains('\\') {
        return Vec::new();
    }
    let mut patches = Vec::new();
    for re in [&*LATEX_COMMAND, &*LATEX_HREF] {
        for c in re.captures_iter(line) {
            // Groups 1 to 3 take part in every match of both patterns (`(\$?)` may match nothing);
            // a `$` is one byte, so `- 1` and `+ 1` below step over exactly it.
            let whole = c.get(0).unwrap();
            let (open, close) = (&c[1], &c[3]);
            let mut range = whole.range();
            // A lone `$` belongs to something else: keep it.
            if open.len() != close.len() {
                range = if open.is_empty() {
                    range.start..range.end - 1
                } else {
                    range.start + 1..range.end
                };
            }
            let arg = LATEX_ESCAPE.replace_all(&c[2], "$1").into_owned();
            if !overlaps(&patches, &range) {
                patches.push(Patch::new(range, arg));
            }
        }
    }
    patches.sort_by_key(|p| p.range.start);
    patches
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::apply;

    fn md(s: &str) -> String {
        crate::patch::rewrite(markdown, s)
    }

    #[test]
    fn strips_strong_emphasis_and_headings() {
        assert_eq!(
            md("- **Effectiveness in resistant cases:** an option."),
            "- Effectiveness in resistant cases: an option."
        );
        assert_eq!(md("## Side effects ##"), "Side effects");
        assert_eq!(
            md("It was *very* __truly bold__ and ~~gone~~."),
            "It was very truly bold and gone."
        );
        assert_eq!(md("***"), "");
    }

    #[test]
    fn keeps_link_words_and_drops_lost_link_tails() {
        assert_eq!(
            md("See [the guide](https://example.org/a_(b)) now."),
            "See the guide now."
        );
        assert_eq!(
            md("Photo: ![a red kite](/img/kite.png)"),
            "Photo: a red kite"
        );
        assert_eq!(
            md("for anxiety](https://clinic.example/ketamine/) is new"),
            "for anxiety is new"
        );
    }

    #[test]
    fn leaves_look_alikes_alone() {
        for s in [
            "Compute 2**3**4 and 5 * 3 * 2.",
            "Use snake_case_names and __init__ methods.",
            "Footnote* and another* here.",
            "#1 priority and #hashtags stay.",
            "An array a[i](j) and [citation needed] stay.",
            "A - B - C is a list of one line.",
        ] {
            assert_eq!(md(s), s, "changed {s:?}");
        }
    }

    #[test]
    fn unwraps_latex_formatting_and_keeps_math() {
        let s = r" $\underline{https://example.org/pdf?ID=W-1\&title=self-study.pdf}$";
        assert_eq!(
            apply(s, &latex(s)).0,
            " https://example.org/pdf?ID=W-1&title=self-study.pdf"
        );
        let s = r"A \textbf{bold} claim and \href{https://x.org}{a link}.";
        assert_eq!(apply(s, &latex(s)).0, "A bold claim and a link.");
        for s in [
            r"Energy $E = mc^2$ and $\alpha + \beta$.",
            r"C:\Users\name\file.txt",
        ] {
            assert_eq!(apply(s, &latex(s)).0, s);
        }
    }
}
