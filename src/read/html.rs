//! HTML pages as text: parsed with html5ever (through `scraper`), a browser's parser, so broken
//! real pages parse as browsers show them. What a reader sees comes out one block a line with a
//! blank line between blocks, as the boilerplate stage reads scraped text: headings, paragraphs,
//! list items (`- `), table rows (cells split by ` | `), preformatted text line by line. Scripts,
//! styles, templates, forms' controls, hidden elements and comments never reach the text.

use crate::document::{Markup, Region};
use scraper::{ElementRef, Html, Node};

/// A page's text, what its markup says of each line, and what its head says of it.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageText {
    pub text: String,
    /// One per line of `text` (blank lines have the default); none for a page read without its
    /// tree.
    pub markup: Vec<Markup>,
    pub meta: PageMeta,
}

/// What a page states about itself, where it states it.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PageMeta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `<link rel="canonical">`, else `og:url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `<html lang>`, else the `content-language` it declares.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// The publication date its metadata gives (`article:published_time`, `datePublished`,
    /// `<meta name="date">`, the first `<time datetime>`), as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// `<meta name="author">`, `article:author`, `itemprop="author"`, `rel="author"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

impl PageMeta {
    pub fn is_empty(&self) -> bool {
        *self == PageMeta::default()
    }
}

/// Does this text start like an HTML document (a doctype or an `<html` tag, after a BOM and
/// blank space)?
pub fn looks_like_html(text: &str) -> bool {
    looks_like_html_bytes(text.as_bytes())
}

/// [`looks_like_html`] of the bytes of a file, before they are decoded.
pub fn looks_like_html_bytes(bytes: &[u8]) -> bool {
    let start = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = &start[start.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    let head = start[..start.len().min(14)].to_ascii_lowercase();
    head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
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
const MAX_UNCLOSED: usize = 5_000;

pub fn extract(html: &str) -> PageText {
    if unclosed_tags(html) > MAX_UNCLOSED {
        // No tree, no markup: the page is cleaned as scraped text.
        return PageText {
            text: flat_text(html),
            markup: Vec::new(),
            meta: PageMeta::default(),
        };
    }
    let document = Html::parse_document(html);
    let meta = page_meta(&document);
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
                out.open(name, element);
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
    let markup = out.markup(meta.title.as_deref());
    PageText {
        text: out.text,
        markup,
        meta,
    }
}

/// The page's own statements about itself, from its head (and a few marked elements).
fn page_meta(document: &Html) -> PageMeta {
    let attr = |selector: &str, name: &str| {
        first(document, selector, |e| {
            e.attr(name)
                .map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|v| !v.is_empty())
        })
    };
    let text = |selector: &str| {
        first(document, selector, |e| {
            Some(e.text().collect::<Vec<_>>().join(" "))
                .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|t| !t.is_empty() && t.len() <= 200)
        })
    };
    // An author given as a profile URL is no name.
    let name = |v: String| Some(v).filter(|v| !v.contains("://"));
    PageMeta {
        title: text("title"),
        url: attr("link[rel=canonical]", "href").or_else(|| attr("meta[property=\"og:url\"]", "content")),
        language: attr("html", "lang")
            .or_else(|| attr("meta[http-equiv=content-language i]", "content")),
        date: attr("meta[property=\"article:published_time\"]", "content")
            .or_else(|| attr("meta[itemprop=datePublished]", "content"))
            .or_else(|| attr("[itemprop=datePublished]", "datetime"))
            .or_else(|| {
                attr(
                    "meta[name=date i], meta[name=pubdate i], meta[name=\"dc.date\" i], meta[name=\"dcterms.date\" i]",
                    "content",
                )
            })
            .or_else(|| attr("time[datetime]", "datetime")),
        author: attr("meta[name=author i]", "content")
            .and_then(name)
            .or_else(|| attr("meta[property=\"article:author\"]", "content").and_then(name))
            .or_else(|| text("[itemprop=author]"))
            .or_else(|| text("a[rel=author]")),
    }
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

/// Class and id words of page furniture. A feature of the block model, never a verdict: the
/// model weighs them against the text's own signals.
const FURNITURE_WORDS: &[&str] = &[
    "ad",
    "ads",
    "advert",
    "advertisement",
    "banner",
    "breadcrumb",
    "breadcrumbs",
    "consent",
    "cookie",
    "cookies",
    "copyright",
    "follow",
    "footer",
    "legal",
    "login",
    "masthead",
    "menu",
    "modal",
    "nav",
    "navbar",
    "navigation",
    "newsletter",
    "outbrain",
    "pagination",
    "pager",
    "popular",
    "popup",
    "promo",
    "recommended",
    "related",
    "rss",
    "share",
    "sharing",
    "sidebar",
    "signup",
    "skip",
    "social",
    "sponsor",
    "sponsored",
    "subscribe",
    "subscription",
    "taboola",
    "tags",
    "teaser",
    "teasers",
    "toolbar",
    "topbar",
    "trending",
    "widget",
    "widgets",
];
/// How many of a block's nearest elements (its own included) its class and id words are taken
/// from.
const NAMED_ANCESTORS: usize = 4;
/// Class and id words of the text itself.
const CONTENT_WORDS: &[&str] = &[
    "article", "body", "blog", "content", "entry", "hentry", "main", "post", "prose", "richtext",
    "story", "text",
];
/// Class and id words of readers' comments.
const COMMENT_WORDS: &[&str] = &[
    "comment",
    "commentlist",
    "comments",
    "discussion",
    "disqus",
    "replies",
    "reply",
    "respond",
];

/// A block is prose, for finding the page's main column, when it is this long and mostly not
/// links.
const PROSE_CHARS: u32 = 80;
const PROSE_MAX_LINK_DENSITY: f32 = 0.3;
/// The main column: the deepest element holding this share of the page's prose...
const MAIN_PROSE_SHARE: f32 = 0.6;
/// ... on a page with at least this much of it.
const MIN_PAGE_PROSE: u32 = 200;
/// Lines longer than this are no headline: their share of title words is not measured.
const MAX_TITLE_WORDS: usize = 25;

/// The markup bits of an element by its tag and ARIA role.
fn tag_bits(name: &str, element: &scraper::node::Element) -> u32 {
    let by_tag = match name {
        "nav" | "menu" => Markup::NAV,
        "header" => Markup::HEADER,
        "footer" => Markup::FOOTER,
        "aside" => Markup::ASIDE,
        "form" | "fieldset" => Markup::FORM,
        "article" | "main" => Markup::ARTICLE,
        "li" | "dt" | "dd" => Markup::LIST_ITEM,
        // A row is written as one line when its cells close: the row marks it.
        "td" | "th" | "tr" => Markup::TABLE_CELL,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Markup::HEADING,
        "p" => Markup::PARAGRAPH,
        "blockquote" | "q" => Markup::QUOTE,
        "figure" | "figcaption" => Markup::FIGURE,
        "pre" | "code" => Markup::PRE,
        _ => 0,
    };
    let by_role = match element.attr("role").map(str::to_ascii_lowercase).as_deref() {
        Some("navigation" | "menu" | "menubar") => Markup::NAV,
        Some("banner") => Markup::HEADER,
        Some("contentinfo") => Markup::FOOTER,
        Some("complementary") => Markup::ASIDE,
        Some("main" | "article") => Markup::ARTICLE,
        Some("form" | "search") => Markup::FORM,
        _ => 0,
    };
    by_tag | by_role
}

/// The named bits of an element's class and id words (`sidebar-widget`, `articleBody`,
/// `comment_list`: split at punctuation and at lower-to-upper case changes).
fn named_bits(element: &scraper::node::Element) -> u8 {
    let mut bits = 0;
    for value in [element.attr("class"), element.attr("id")]
        .into_iter()
        .flatten()
    {
        let mut word = String::new();
        let mut end_word = |word: &mut String| {
            let w = word.as_str();
            if FURNITURE_WORDS.contains(&w) {
                bits |= Markup::NAMED_BOILERPLATE;
            } else if CONTENT_WORDS.contains(&w) {
                bits |= Markup::NAMED_CONTENT;
            } else if COMMENT_WORDS.contains(&w) {
                bits |= Markup::NAMED_COMMENT;
            }
            word.clear();
        };
        let mut prev_lower = false;
        for c in value.chars() {
            if !c.is_ascii_alphanumeric() || (c.is_ascii_uppercase() && prev_lower) {
                end_word(&mut word);
            }
            if c.is_ascii_alphanumeric() {
                word.push(c.to_ascii_lowercase());
            }
            prev_lower = c.is_ascii_lowercase();
        }
        end_word(&mut word);
    }
    bits
}

/// The words of a text, lowercased.
fn lower_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// An element open around the walk's position.
struct Open {
    id: u32,
    /// A block element (its text starts and ends a block).
    block: bool,
    /// Its markup bits and its ancestors'; its own class and id words.
    within: u32,
    named: u8,
    /// The level of the heading it is or is inside of (0: none).
    heading: u8,
}

/// What the walk counted of an element's text: first of the text directly in it, then (in
/// [`Blocks::markup`]) of all the text in it.
#[derive(Default, Clone, Copy)]
struct Counted {
    /// Its parent's id (`u32::MAX` for a root), and the first id after its subtree: elements are
    /// numbered as they open, so an element's descendants are the ids from its own to `end`.
    parent: u32,
    end: u32,
    depth: u16,
    chars: u32,
    link_chars: u32,
    /// Characters of its prose blocks, and how many there are.
    prose: u32,
    prose_blocks: u32,
}

/// A block written to the text, with where it was in the tree.
struct Written {
    /// Its first line in the text, and how many it has.
    line: usize,
    lines: usize,
    chars: u32,
    link_chars: u32,
    /// Long and mostly not links: the prose the main column is found by.
    prose: bool,
    within: u32,
    named: u8,
    heading: u8,
    /// The element it is in, and how deep that is.
    innermost: Option<u32>,
    depth: u16,
    /// The element around its own block element, and the one around that.
    container: Option<u32>,
    outer: Option<u32>,
}

/// The text as it is built: the finished blocks, and the block being filled.
#[derive(Default)]
struct Blocks {
    text: String,
    /// Line breaks in `text` so far: the index of its last line.
    lines: usize,
    block: String,
    /// Characters of the block being filled, and how many of them are inside links.
    chars: u32,
    link_chars: u32,
    /// Inside `<pre>` (how deep): its line breaks are kept.
    pre: usize,
    /// Inside a table cell (how deep): blocks inside it stay on the row's line.
    cell: usize,
    /// Cells of the current row so far.
    cells_in_row: usize,
    /// Inside a link (how deep).
    link: usize,
    /// The block being filled is a list item.
    item: bool,
    open: Vec<Open>,
    elements: Vec<Counted>,
    written: Vec<Written>,
}

impl Blocks {
    fn text(&mut self, text: &str) {
        let chars = text.chars().filter(|c| !c.is_whitespace()).count() as u32;
        self.chars = self.chars.saturating_add(chars);
        if self.link > 0 {
            self.link_chars = self.link_chars.saturating_add(chars);
        }
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

    fn open(&mut self, name: &str, element: &scraper::node::Element) {
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
        if name == "a" {
            self.link += 1;
        }
        let (within, heading) = self.open.last().map_or((0, 0), |o| (o.within, o.heading));
        let heading = match name.as_bytes() {
            [b'h', level @ b'1'..=b'6'] => level - b'0',
            _ => heading,
        };
        // The body's class words speak of the whole page (`single-post`), not of a part of it.
        let own_named = if matches!(name, "html" | "body") {
            0
        } else {
            named_bits(element)
        };
        let id = self.elements.len() as u32;
        self.elements.push(Counted {
            parent: self.open.last().map_or(u32::MAX, |o| o.id),
            end: u32::MAX,
            depth: self.open.len().min(u16::MAX as usize) as u16,
            ..Counted::default()
        });
        self.open.push(Open {
            id,
            block: BLOCKS.contains(&name) || matches!(name, "td" | "th" | "tr" | "br"),
            within: within | tag_bits(name, element),
            named: own_named,
            heading,
        });
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
        if name == "a" {
            self.link = self.link.saturating_sub(1);
        }
        if let Some(o) = self.open.pop() {
            self.elements[o.id as usize].end = self.elements.len() as u32;
        }
    }

    /// End the block being filled: one line (lines, for preformatted text), then a blank line.
    fn flush(&mut self) {
        let block = std::mem::take(&mut self.block);
        let item = std::mem::replace(&mut self.item, false);
        let (chars, link_chars) = (
            std::mem::take(&mut self.chars),
            std::mem::take(&mut self.link_chars),
        );
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
            self.lines += 2;
        }
        if item {
            self.text.push_str("- ");
        }
        self.text.push_str(&body);
        let lines = 1 + memchr::memchr_iter(b'\n', body.as_bytes()).count();
        // A block's own element is the nearest block around it (a `br` or `tr` ends one, but
        // the block is its parent's); the container, the next one out.
        let mut blocks_around = self.open.iter().rev().filter(|o| o.block).map(|o| o.id);
        let own = blocks_around.next();
        let container = blocks_around.next().or(own);
        let outer = blocks_around.next().or(container);
        let prose =
            chars >= PROSE_CHARS && (link_chars as f32) < PROSE_MAX_LINK_DENSITY * chars as f32;
        // Counted in the element it is in; [`Blocks::markup`] adds each element's counts to its
        // parent's (a page thousands of elements deep costs no more per block).
        if let Some(o) = self.open.last() {
            let e = &mut self.elements[o.id as usize];
            e.chars = e.chars.saturating_add(chars);
            e.link_chars = e.link_chars.saturating_add(link_chars);
            if prose {
                e.prose = e.prose.saturating_add(chars);
                e.prose_blocks += 1;
            }
        }
        let (within, heading) = self.open.last().map_or((0, 0), |o| (o.within, o.heading));
        // Class and id words speak of what is near: a page's wrapper named `has-comments` or
        // `single-post` around everything says nothing of one paragraph.
        let named = self
            .open
            .iter()
            .rev()
            .take(NAMED_ANCESTORS)
            .fold(0, |bits, o| bits | o.named);
        self.written.push(Written {
            line: self.lines,
            lines,
            chars,
            link_chars,
            prose,
            within,
            named,
            heading,
            innermost: self.open.last().map(|o| o.id),
            depth: self.open.len().min(u16::MAX as usize) as u16,
            container,
            outer,
        });
        self.lines += lines - 1;
    }

    /// What the markup says of each line of the text, the page's main column found from the
    /// prose each element holds.
    fn markup(&self, title: Option<&str>) -> Vec<Markup> {
        let n_lines = if self.text.is_empty() {
            0
        } else {
            self.lines + 1
        };
        let mut markup = vec![Markup::default(); n_lines];
        let page_prose: u32 = self
            .written
            .iter()
            .filter(|w| w.prose)
            .map(|w| w.chars)
            .sum();
        // Each element's counts with its descendants': children come after their parent.
        let mut elements = self.elements.clone();
        for id in (0..elements.len()).rev() {
            let (child, parent) = (elements[id], elements[id].parent as usize);
            if let Some(p) = elements.get_mut(parent) {
                p.chars = p.chars.saturating_add(child.chars);
                p.link_chars = p.link_chars.saturating_add(child.link_chars);
                p.prose = p.prose.saturating_add(child.prose);
                p.prose_blocks = p.prose_blocks.saturating_add(child.prose_blocks);
            }
        }
        let n_elements = elements.len() as u32;
        let inside = |m: u32, w: &Written| {
            let end = elements[m as usize].end.min(n_elements);
            w.innermost.is_some_and(|i| m <= i && i < end)
        };
        // Elements holding that much prose are nested in one another: the deepest is the column.
        // A column holds paragraphs: one long paragraph is not the column, its parent is.
        let prose_blocks = self.written.iter().filter(|w| w.prose).count() as u32;
        let main = (page_prose >= MIN_PAGE_PROSE)
            .then(|| {
                elements
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| {
                        e.prose as f32 >= MAIN_PROSE_SHARE * page_prose as f32
                            && e.prose_blocks >= prose_blocks.min(2)
                    })
                    .max_by_key(|(_, e)| e.depth)
                    .map(|(id, _)| id as u32)
            })
            .flatten();
        let first_inside = main.and_then(|m| self.written.iter().position(|w| inside(m, w)));
        let title_words: std::collections::HashSet<String> = title
            .map(lower_words)
            .unwrap_or_default()
            .into_iter()
            .collect();
        let lines: Vec<&str> = self.text.split('\n').collect();
        for (k, w) in self.written.iter().enumerate() {
            let region = match (main, first_inside) {
                (Some(m), _) if inside(m, w) => Region::Inside,
                (Some(_), Some(first)) if k < first => Region::Before,
                (Some(_), _) => Region::After,
                (None, _) => Region::Unknown,
            };
            let container = w
                .container
                .map(|c| elements[c as usize])
                .unwrap_or_default();
            let density = |link: u32, all: u32| {
                if all == 0 {
                    0.0
                } else {
                    link as f32 / all as f32
                }
            };
            let title_share = lines.get(w.line).map_or(0.0, |line| {
                let words = lower_words(line);
                if words.is_empty() || words.len() > MAX_TITLE_WORDS {
                    0.0
                } else {
                    words.iter().filter(|w| title_words.contains(*w)).count() as f32
                        / words.len() as f32
                }
            });
            let outer = w.outer.map(|c| elements[c as usize]).unwrap_or_default();
            let facts = Markup {
                link_density: density(w.link_chars, w.chars),
                container_link_density: density(container.link_chars, container.chars),
                container_chars: container.chars,
                container_prose_share: density(container.prose, page_prose),
                outer_prose_share: density(outer.prose, page_prose),
                within: w.within,
                named: w.named,
                depth: w.depth,
                region,
                heading: w.heading,
                title_share,
            };
            for line in markup.iter_mut().skip(w.line).take(w.lines) {
                *line = facts;
            }
        }
        markup
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
        assert_eq!(page.meta.title.as_deref(), Some("Sea Wall"));
        assert_eq!(
            page.meta.url.as_deref(),
            Some("https://news.example/sea-wall")
        );
        assert_eq!(
            page.text,
            "Home World\n\nHarbor Town Approves Sea Wall\n\nThe council voted on Tuesday to build it.\n\n- Cost: $40m\n\n- Done by 2027\n\nYear | Homes\n\n2027 | 200\n\nlet x = 1;\n    let y = 2;\n\nLine one\n\nline two"
        );
    }

    /// The markup of the line of `page`'s text that starts with `start`.
    fn markup_of<'a>(page: &'a PageText, start: &str) -> &'a Markup {
        let at = page.text.split('\n').position(|l| l.starts_with(start));
        &page.markup[at.unwrap_or_else(|| panic!("no line {start:?} in {:?}", page.text))]
    }

    #[test]
    fn each_line_carries_what_the_markup_says_of_it() {
        let prose = "The council voted on Tuesday to build the wall, and the work starts in the spring, when the ground has thawed and the first crews arrive. ";
        let page = extract(&format!(
            "<html lang=en-GB><head><title>Harbor Town Approves Sea Wall | Daily News</title>\
             <meta name=author content='Ann Lee'><meta property='article:published_time' content='2024-05-01T09:00:00Z'></head>\
             <body class=single-post><header><nav><ul><li><a href=/>Home</a></li><li><a href=/w>World</a></li></ul></nav></header>\
             <main><article class=story><h1>Harbor Town Approves Sea Wall</h1><p>{prose}{prose}</p><p>{prose}<a href=/x>more</a></p></article>\
             <div class='sidebar-widget'><p>Most read this week</p></div>\
             <section id=comments><p>Great news for the town, finally someone listened.</p></section></main>\
             <footer><p>Copyright 2024</p></footer></body></html>"
        ));
        assert_eq!(page.meta.language.as_deref(), Some("en-GB"));
        assert_eq!(page.meta.author.as_deref(), Some("Ann Lee"));
        assert_eq!(page.meta.date.as_deref(), Some("2024-05-01T09:00:00Z"));
        let menu = markup_of(&page, "- Home");
        assert!(menu.is_within(Markup::NAV | Markup::HEADER) && menu.is_within(Markup::LIST_ITEM));
        assert_eq!(menu.link_density, 1.0);
        assert_eq!(menu.region, Region::Before);
        let headline = markup_of(&page, "Harbor Town");
        assert!(headline.is_within(Markup::HEADING) && headline.is_within(Markup::ARTICLE));
        assert!(headline.is_named(Markup::NAMED_CONTENT));
        assert_eq!(headline.title_share, 1.0);
        assert_eq!(headline.region, Region::Inside);
        let paragraph = markup_of(&page, "The council");
        assert!(paragraph.is_within(Markup::PARAGRAPH));
        assert_eq!(paragraph.link_density, 0.0);
        assert!(paragraph.container_prose_share > 0.9, "{paragraph:?}");
        let widget = markup_of(&page, "Most read");
        assert!(
            widget.is_named(Markup::NAMED_BOILERPLATE) && !widget.is_named(Markup::NAMED_CONTENT)
        );
        assert_eq!(widget.region, Region::After);
        assert!(markup_of(&page, "Great news").is_named(Markup::NAMED_COMMENT));
        assert!(markup_of(&page, "Copyright").is_within(Markup::FOOTER));
        // One fact per line of the text, blank lines included.
        assert_eq!(page.markup.len(), page.text.split('\n').count());
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
