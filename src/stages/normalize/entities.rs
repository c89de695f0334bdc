//! HTML character references left in text by a scraper (`&amp;`, `&#8217;`, `&nbsp;`).

use crate::patch::Patch;
use regex::Regex;
use std::sync::LazyLock;

/// Named references need their `;`: without it "AT&T" or "R&D;" could be read as references.
/// Leading `amp;`s are a reference escaped more than once (`&amp;quot;`), which its author meant as
/// the reference itself.
static ENTITY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"&(?:amp;)*(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
        .unwrap()
});

/// Decode each well-formed reference; an unknown name (`&foo;`) is left as it is.
pub fn html_entities(line: &str) -> Vec<Patch> {
    if !line.contains('&') {
        return Vec::new();
    }
    let mut patches = Vec::new();
    for m in ENTITY.find_iter(line) {
        let mut reference = m.as_str().to_string();
        while let Some(rest) = reference.strip_prefix("&amp;").filter(|r| r.len() > 1) {
            reference = format!("&{rest}");
        }
        let decoded = html_escape::decode_html_entities(&reference);
        if decoded != m.as_str() {
            patches.push(Patch::new(m.range(), decoded.into_owned()));
        }
    }
    patches
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> String {
        crate::patch::rewrite(html_entities, s)
    }

    #[test]
    fn decodes_named_and_numeric_references() {
        assert_eq!(
            run("Tom &amp; Jerry&#8217;s &quot;show&quot;&nbsp;&#x263A;"),
            "Tom & Jerry\u{2019}s \"show\"\u{a0}\u{263a}"
        );
    }

    #[test]
    fn decodes_double_escapes() {
        assert_eq!(
            run("it&amp;#39;s &amp;quot;fine&amp;quot;"),
            "it's \"fine\""
        );
    }

    #[test]
    fn leaves_ampersands_that_are_not_references() {
        for s in [
            "AT&T and R&D",
            "Q&A; fish & chips",
            "a &unknownthing; b",
            "&",
            "x&#;y",
        ] {
            assert_eq!(run(s), s);
        }
    }
}
