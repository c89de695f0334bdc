//! The unit that flows through the pipeline: a [`Document`] made of [`Line`]s, and the [`Edit`]s
//! that stages record against it.
//!
//! A document's text is held as lines rather than one string because every edit must name the line
//! of the *input* it touched, even after earlier rules have joined or dropped lines. Each [`Line`]
//! carries the 1-based input line it started on, and keeps it through every rewrite.

use crate::text::split_lines;
use serde::Serialize;

/// One line of a document, with the input line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// 1-based line number in the input document (for a JSONL record: in its text field).
    pub origin: u32,
}

impl Line {
    pub fn new(text: impl Into<String>, origin: u32) -> Self {
        Line {
            text: text.into(),
            origin,
        }
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// A document in flight: its id, its text as lines, and what stages learned about it.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub id: String,
    pub lines: Vec<Line>,
    /// Document-level flags for the report (`mojibake`, `spun`, ...). Kept sorted and unique.
    pub flags: Vec<String>,
    /// Document-level scores for the report (`spin`), by name.
    pub scores: std::collections::BTreeMap<&'static str, f64>,
    /// The site the document comes from (a URL's host, or its top folder), for corpus statistics
    /// that only make sense within one site's template.
    pub site: String,
    /// For a page read from HTML: what its markup said of each line of its text, indexed by the
    /// line's `origin` - 1 (origins survive every rewrite, so the facts stay with their lines).
    pub markup: Option<std::sync::Arc<Vec<Markup>>>,
}

/// What an HTML page's markup says of one line of the text read from it: the facts a reader of
/// the page sees and a scraped text loses (is it a link, inside a menu, a footer, the page's main
/// column?). The HTML reader gathers them; the boilerplate stage weighs them.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Markup {
    /// Share of the block's characters inside links.
    pub link_density: f32,
    /// The same share over the block's container (the element around it), and that container's
    /// length in characters.
    pub container_link_density: f32,
    pub container_chars: u32,
    /// The share of the page's prose (its long paragraphs that are not links) inside its
    /// container, and inside the container's container: the text's column holds most of it, a
    /// sidebar next to none.
    pub container_prose_share: f32,
    pub outer_prose_share: f32,
    /// The elements it is inside of (bits of [`Markup::NAV`] ...).
    pub within: u32,
    /// The class and id words of its nearest elements (bits of [`Markup::NAMED_BOILERPLATE`] ...).
    pub named: u8,
    /// How deep it is in the tree.
    pub depth: u16,
    /// Where it is against the page's main column: the deepest element holding most of the
    /// page's prose.
    pub region: Region,
    /// Its heading level (1 to 6), 0 for a line that is no heading.
    pub heading: u8,
    /// Share of its words that the page's `<title>` holds (a headline), for lines of 25 words
    /// or fewer.
    pub title_share: f32,
}

/// Where a block is against the page's main column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Region {
    /// The page has no prose to find a main column by.
    #[default]
    Unknown,
    Before,
    Inside,
    After,
}

impl Markup {
    pub const NAV: u32 = 1 << 0;
    pub const HEADER: u32 = 1 << 1;
    pub const FOOTER: u32 = 1 << 2;
    pub const ASIDE: u32 = 1 << 3;
    pub const FORM: u32 = 1 << 4;
    pub const ARTICLE: u32 = 1 << 5;
    pub const LIST_ITEM: u32 = 1 << 6;
    pub const TABLE_CELL: u32 = 1 << 7;
    pub const HEADING: u32 = 1 << 8;
    pub const PARAGRAPH: u32 = 1 << 9;
    pub const QUOTE: u32 = 1 << 10;
    pub const FIGURE: u32 = 1 << 11;
    pub const PRE: u32 = 1 << 12;
    /// A class or id word of page furniture (`sidebar`, `share`, `related`, `cookie`, ...).
    pub const NAMED_BOILERPLATE: u8 = 1 << 0;
    /// A class or id word of the text (`article`, `content`, `post`, `story`, ...).
    pub const NAMED_CONTENT: u8 = 1 << 1;
    /// A class or id word of readers' comments.
    pub const NAMED_COMMENT: u8 = 1 << 2;

    pub fn is_within(&self, bits: u32) -> bool {
        self.within & bits != 0
    }

    pub fn is_named(&self, bits: u8) -> bool {
        self.named & bits != 0
    }
}

impl Document {
    /// Build a document from text, splitting on `\n` only: line-ending repair is a rule of the
    /// normalize stage, so it can be recorded like any other edit.
    pub fn from_text(id: impl Into<String>, text: &str) -> Self {
        // A final newline ends the last line; it does not start an empty one.
        let body = text.strip_suffix('\n').unwrap_or(text);
        let mut lines = Vec::with_capacity(memchr::memchr_iter(b'\n', body.as_bytes()).count() + 1);
        lines.extend(
            split_lines(body)
                .enumerate()
                .map(|(i, l)| Line::new(l, i as u32 + 1)),
        );
        Document {
            id: id.into(),
            lines,
            flags: Vec::new(),
            scores: Default::default(),
            site: String::new(),
            markup: None,
        }
    }

    /// The document's text: lines joined with `\n`, ending in one `\n` unless empty.
    /// [`Document::from_text`] of a text the caller gives up: a text of one line (a minified
    /// page, a 200 MB record with no line break) becomes that line in place, with no copy, and the
    /// lines of any other are split off before the text is dropped.
    pub fn from_string(id: impl Into<String>, mut text: String) -> Self {
        if text.ends_with('\n') {
            text.pop();
        }
        if memchr::memchr(b'\n', text.as_bytes()).is_some() {
            return Document::from_text(id, &text);
        }
        Document {
            id: id.into(),
            lines: vec![Line::new(text, 1)],
            flags: Vec::new(),
            scores: Default::default(),
            site: String::new(),
            markup: None,
        }
    }

    /// [`Document::text`], taking the lines' text out of the document rather than copying it: a
    /// document of one line gives its line, with no copy. The document is left with no lines.
    pub fn take_text(&mut self) -> String {
        if self.lines.len() != 1 {
            let text = self.text();
            self.lines.clear();
            return text;
        }
        let mut text = std::mem::take(&mut self.lines[0].text); // exactly one line
        self.lines.clear();
        if text.trim().is_empty() {
            text.clear();
        } else {
            // Exactly one byte more: doubling the capacity of a huge line would be its size again.
            text.reserve_exact(1);
            text.push('\n');
        }
        text
    }

    pub fn text(&self) -> String {
        let mut out = String::with_capacity(self.lines.iter().map(|l| l.text.len() + 1).sum());
        for line in &self.lines {
            out.push_str(&line.text);
            out.push('\n');
        }
        if self.lines.iter().all(|l| l.is_blank()) {
            out.clear();
        }
        out
    }

    /// What the page's markup said of a line, for a document read from HTML.
    pub fn markup_of(&self, line: &Line) -> Option<&Markup> {
        self.markup
            .as_deref()
            .and_then(|m| m.get((line.origin as usize).checked_sub(1)?))
    }

    pub fn is_empty(&self) -> bool {
        self.lines.iter().all(|l| l.is_blank())
    }

    pub fn flag(&mut self, flag: &str) {
        if let Err(at) = self.flags.binary_search_by(|f| f.as_str().cmp(flag)) {
            self.flags.insert(at, flag.to_string());
        }
    }
}

/// One change made to a document, as written to `edits.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub doc: String,
    pub stage: &'static str,
    pub rule: &'static str,
    pub before: String,
    /// Empty for a removal.
    pub after: String,
    /// 1-based line in the input where the edit starts.
    pub line: u32,
    /// How many identical changes this record stands for (line endings, say); omitted when 1.
    #[serde(skip_serializing_if = "is_one")]
    pub count: u32,
    /// Why a rule that judges rather than matches made the edit (the spin stage's `spun_word`:
    /// the pairs it compared); omitted for others.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

impl Edit {
    /// Whether the edit changes only spacing and line breaks: the same words, in the same order,
    /// split at the same places (a joined line break, a non-breaking space made plain, a blank
    /// line dropped). A space put between two words (or taken from between them) is a change.
    pub fn is_layout(&self) -> bool {
        self.before
            .split_whitespace()
            .eq(self.after.split_whitespace())
    }
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

impl Edit {
    pub fn new(
        doc: &str,
        stage: &'static str,
        rule: &'static str,
        before: impl Into<String>,
        after: impl Into<String>,
        line: u32,
    ) -> Self {
        Edit {
            doc: doc.to_string(),
            stage,
            rule,
            before: before.into(),
            after: after.into(),
            line,
            count: 1,
            evidence: None,
        }
    }
}

/// The rule named `name`, as the `&'static str` edits carry, for edits read back from a log.
/// Rule names are a small fixed set, so each is made static once.
pub fn rule_name(name: &str) -> &'static str {
    static NAMES: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut names = NAMES.lock().expect("rule names lock");
    if let Some(&known) = names.iter().find(|&&n| n == name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.push(leaked);
    leaked
}

#[cfg(test)]
mod tests {

    #[test]
    fn layout_edits_change_only_spacing_and_line_breaks() {
        let edit = |before: &str, after: &str| Edit::new("d", "normalize", "x", before, after, 1);
        for (before, after) in [
            ("of\ntheir", "of their"),
            ("\n\n\n", "\n\n"),
            ("Philip\u{a0}Hensher", "Philip Hensher"),
            ("   list:", "list:"),
        ] {
            assert!(edit(before, after).is_layout(), "{before:?}");
        }
        for (before, after) in [
            ("thecat", "the cat"),
            ("end.Next", "end. Next"),
            ("exam-\nple", "example"),
            ("Home", ""),
            ("cafÃ©", "café"),
        ] {
            assert!(!edit(before, after).is_layout(), "{before:?}");
        }
    }

    use super::*;

    #[test]
    fn lines_split_as_the_standard_library_splits_them() {
        for text in ["", "a", "a\n", "\n", "a\nb", "a\n\nb\n\n", "é\nü\r\n"] {
            assert_eq!(
                split_lines(text).collect::<Vec<_>>(),
                text.split('\n').collect::<Vec<_>>(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn owned_text_makes_the_same_document_and_gives_the_same_text() {
        for text in [
            "",
            "\n",
            "one line",
            "one line\n",
            "a\nb\n\nc",
            "a\r\nb\n",
            "  \n",
            "   ",
        ] {
            let borrowed = Document::from_text("d", text);
            let mut owned = Document::from_string("d", text.to_string());
            assert_eq!(owned.lines, borrowed.lines, "{text:?}");
            assert_eq!(owned.take_text(), borrowed.text(), "{text:?}");
            assert!(owned.lines.is_empty());
        }
    }

    #[test]
    fn text_round_trips_lines_and_ends_with_newline() {
        let doc = Document::from_text("d", "a\nb\n\nc");
        assert_eq!(doc.lines.len(), 4);
        assert_eq!(doc.lines[3], Line::new("c", 4));
        assert_eq!(doc.text(), "a\nb\n\nc\n");
        assert_eq!(Document::from_text("d", "a\nb\n").lines.len(), 2);
    }

    #[test]
    fn a_blank_document_has_empty_text() {
        let doc = Document::from_text("d", "  \n\n");
        assert!(doc.is_empty());
        assert_eq!(doc.text(), "");
    }

    #[test]
    fn flags_stay_sorted_and_unique() {
        let mut doc = Document::default();
        doc.flag("spun");
        doc.flag("mojibake");
        doc.flag("spun");
        assert_eq!(doc.flags, vec!["mojibake", "spun"]);
    }
}
