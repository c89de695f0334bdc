//! HTML pages as text: parsed with html5ever (through `scraper`), a browser's parser, so broken
//! real pages parse as browsers show them. What a reader sees comes out one block a line with a
//! blank line between blocks, as the boilerplate stage reads scraped text: headings, paragraphs,
//! list items (`- `), table rows (cells split by ` | `), preformatted text line by line. Scripts,
//! styles, templates, forms' controls, hidden elements and comments never reach the text.

use scraper::{ElementRef, Html, Node};

/// A page's text and what its head says of it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageText {
    pub text: String,
    pub title: Option<String>,
    /// `<link rel="canonical">`, else `og:url`.
    pub url: Option<String>,
}

/// Does this text start like an HTML document (a doctype or an `<html` tag, after a BOM and
/// blank space)?
pub fn looks_like_html(text: &str) -> bool {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let head = start.get(..start.len().min(15)).unwrap_or("");
    let head = head.to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// Elements whose content is never text a reader sees.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "math", "iframe", "object", "embed",
    "select", "option", "textarea", "input", "button", "canvas", "audio", "video", "map",
];

/// Elements that start and end a block.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// More tags opened than closed by this much is no real page's structure but a broken or hostile
/// one (thousands of unclosed `<div>`s), whose tree html5ever builds in time that grows with the
/// square of its depth: such a page is read without its tree ([`flat_text`]).
const MAX_UNCLOSED: usize = 20_000;

pub fn extract(html: &str) -> PageText {
    if unclosed_tags(html) > MAX_UNCLOSED {
        return PageText {
            text: flat_text(html),
            ..PageText::default()
        };
    }
    let document = Html::parse_document(html);
    let mut page = PageText {
        title: first(&document, "title", |e| {
            let title = e.text().collect::<String>();
            Some(title.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|t| !t.is_empty())
        }),
        url: first(&document, "link[rel=canonical]", |e| {
            e.attr("href").map(str::to_string)
        })
        .or_else(|| {
            first(&document, "meta[property=\"og:url\"]", |e| {
                e.attr("content").map(str::to_string)
            })
        }),
        ..PageText::default()
    };
    let mut out = Blocks::default();
    // The tree may be deeper than any stack (a page of nested divs): walked with a stack of
    // its own. `true` marks the exit of an element entered before.
    let mut stack: Vec<(ego_tree::NodeRef<Node>, bool)> = vec![(document.tree.root(), false)];
    while let Some((node, exit)) = stack.pop() {
        match node.value() {
            Node::Text(text) if !exit => out.text(&text.text),
            Node::Element(element) => {
                let name = element.name();
                if exit {
                    out.close(name);
                    continue;
                }
                if SKIPPED.contains(&name) || hidden(element) {
                    continue;
                }
                out.open(name);
                stack.push((node, true));
                for child in node.children().rev() {
                    stack.push((child, false));
                }
            }
            Node::Document | Node::Fragment => {
                for child in node.children().rev() {
                    stack.push((child, false));
                }
            }
            _ => {}
        }
    }
    out.flush();
    page.text = out.text;
    page
}

/// Tags opened minus tags closed, counted on the bytes: an upper bound of the tree's depth (void
/// elements and unclosed paragraphs count too, so real pages reach a few hundred).
fn unclosed_tags(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut open, mut close) = (0usize, 0usize);
    for at in memchr::memchr_iter(b'<', bytes) {
        match bytes.get(at + 1) {
            Some(b'/') => close += 1,
            Some(b) if b.is_ascii_alphabetic() => open += 1,
            _ => {}
        }
    }
    open.saturating_sub(close)
}

/// The text of a page whose tree is not built: scripts, styles and comments dropped, block tags
/// as block breaks, other tags removed (entities are decoded by normalize, as in any text).
fn flat_text(html: &str) -> String {
    static DROPPED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?is)<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->")
            .expect("a valid pattern")
    });
    static BLOCK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?i)</?(?:p|div|br|li|tr|h[1-6]|table|ul|ol|section|article|header|footer|nav|pre|blockquote)\b[^>]*>")
            .expect("a valid pattern")
    });
    static TAG: std::sync::LazyLock<regex::Regex> =
        std::sync::LazyLock::new(|| regex::Regex::new(r"<[^>]*>").expect("a valid pattern"));
    let text = DROPPED.replace_all(html, " ");
    let text = BLOCK.replace_all(&text, "\n");
    let text = TAG.replace_all(&text, " ");
    text.split('\n')
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// What `value` gives of the first element matching `selector` that gives something.
fn first(
    document: &Html,
    selector: &str,
    value: impl Fn(ElementRef) -> Option<String>,
) -> Option<String> {
    let selector = scraper::Selector::parse(selector).expect("a valid selector");
    document.select(&selector).find_map(value)
}

/// Hidden from the reader: `hidden`, `aria-hidden="true"`, or an inline `display: none` or
/// `visibility: hidden`.
fn hidden(element: &scraper::node::Element) -> bool {
    element.attr("hidden").is_some()
        || element.attr("aria-hidden") == Some("true")
        || element.attr("style").is_some_and(|style| {
            let style: String = style
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            style.contains("display:none") || style.contains("visibility:hidden")
        })
}

/// The text as it is built: the finished blocks, and the block being filled.
#[derive(Default)]
struct Blocks {
    text: String,
    block: String,
    /// Inside `<pre>` (how deep): its line breaks are kept.
    pre: usize,
    /// Inside a table cell (how deep): blocks inside it stay on the row's line.
    cell: usize,
    /// Cells of the current row so far.
    cells_in_row: usize,
    /// The block being filled is a list item.
    item: bool,
}

impl Blocks {
    fn text(&mut self, text: &str) {
        if self.pre > 0 {
            self.block.push_str(text);
            return;
        }
        // Spaces and line breaks inside a block are one space, as a browser shows them.
        let starts_space = text.starts_with(char::is_whitespace);
        let ends_space = text.ends_with(char::is_whitespace);
        let mut words = text.split_whitespace().peekable();
        if words.peek().is_none() {
            if !text.is_empty() && !self.block.is_empty() && !self.block.ends_with(' ') {
                self.block.push(' ');
            }
            return;
        }
        if starts_space && !self.block.is_empty() && !self.block.ends_with(' ') {
            self.block.push(' ');
        }
        let mut first = true;
        for word in words {
            if !first {
                self.block.push(' ');
            }
            self.block.push_str(word);
            first = false;
        }
        if ends_space {
            self.block.push(' ');
        }
    }

    fn open(&mut self, name: &str) {
        match name {
            "td" | "th" => {
                if self.cells_in_row > 0 {
                    self.block.push_str(" | ");
                }
                self.cells_in_row += 1;
                self.cell += 1;
            }
            "tr" => {
                self.flush();
                self.cells_in_row = 0;
            }
            "br" if self.pre == 0 && self.cell == 0 => self.flush(),
            "br" => self.block.push(if self.pre > 0 { '\n' } else { ' ' }),
            "img" => {}
            _ if self.cell > 0 => {}
            "pre" => {
                self.flush();
                self.pre += 1;
            }
            "li" => {
                self.flush();
                self.item = true;
            }
            _ if BLOCKS.contains(&name) => self.flush(),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "td" | "th" => self.cell = self.cell.saturating_sub(1),
            "tr" => {
                self.flush();
                self.cells_in_row = 0;
            }
            _ if self.cell > 0 => {}
            "pre" => {
                self.flush();
                self.pre = self.pre.saturating_sub(1);
            }
            _ if BLOCKS.contains(&name) => self.flush(),
            _ => {}
        }
    }

    /// End the block being filled: one line (lines, for preformatted text), then a blank line.
    fn flush(&mut self) {
        let block = std::mem::take(&mut self.block);
        let item = std::mem::replace(&mut self.item, false);
        let body = if self.pre > 0 {
            block.trim_matches('\n').to_string()
        } else {
            block.trim().to_string()
        };
        if body.trim().is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        if item {
            self.text.push_str("- ");
        }
        self.text.push_str(&body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_come_out_a_line_each_and_scripts_never() {
        let page = extract(
            "<!DOCTYPE html><html><head><title>Sea Wall</title><link rel=canonical href='https://news.example/sea-wall'><script>var x = 1;</script><style>p{}</style></head>\
             <body><nav><a href=/>Home</a> <a href=/world>World</a></nav><h1>Harbor Town\n  Approves Sea Wall</h1>\
             <p>The council voted on <b>Tuesday</b> to build it.</p><!-- a comment -->\
             <ul><li>Cost: $40m</li><li>Done by 2027</li></ul>\
             <table><tr><th>Year</th><th>Homes</th></tr><tr><td>2027</td><td><p>200</p></td></tr></table>\
             <pre>let x = 1;\n    let y = 2;</pre><div hidden>secret</div><p style='display: none'>also secret</p>\
             <p>Line one<br>line two</p></body></html>",
        );
        assert_eq!(page.title.as_deref(), Some("Sea Wall"));
        assert_eq!(page.url.as_deref(), Some("https://news.example/sea-wall"));
        assert_eq!(
            page.text,
            "Home World\n\nHarbor Town Approves Sea Wall\n\nThe council voted on Tuesday to build it.\n\n- Cost: $40m\n\n- Done by 2027\n\nYear | Homes\n\n2027 | 200\n\nlet x = 1;\n    let y = 2;\n\nLine one\n\nline two"
        );
    }

    #[test]
    fn broken_and_deep_pages_parse_without_harm() {
        let deep = "<div>".repeat(3_000) + "deep text";
        assert_eq!(extract(&deep).text, "deep text");
        // html5ever's cost grows with the square of the nesting: a page of a million unclosed
        // divs is read flat, at once.
        let hostile = "<div>".repeat(1_000_000) + "<script>x()</script>deep <b>text</b><p>more";
        let start = std::time::Instant::now();
        assert_eq!(extract(&hostile).text, "deep text\n\nmore");
        assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
        let broken =
            "<html><body><p>unclosed <b>bold <i>both</p><table><td>cell</html>\u{0}\u{1}junk";
        let text = extract(broken).text;
        assert!(text.contains("unclosed bold both"), "{text}");
        assert!(text.contains("cell"), "{text}");
    }

    #[test]
    fn html_is_recognised_by_its_start() {
        assert!(looks_like_html("\u{feff}  <!DOCTYPE HTML PUBLIC"));
        assert!(looks_like_html("<html lang=en>"));
        assert!(!looks_like_html("The <html> tag starts a page."));
    }
}
