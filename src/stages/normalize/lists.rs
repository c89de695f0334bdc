//! List items and indentation.
//!
//! Scrapers stack markers (`- · Fear`, `- 1. Initial screening`) and indent items arbitrarily.
//! Each item ends with exactly one marker: its number when it has one, else `-`; nesting is kept as
//! two spaces per level. Other lines lose their indentation, which in scraped text is layout noise.

/// Unordered markers that need a following space (they are also ordinary punctuation).
const ASCII_BULLETS: &[char] = &['-', '*', '+'];
/// Unordered markers that are bullets wherever they start a line.
const SYMBOL_BULLETS: &[char] = &[
    '•', '·', '◦', '▪', '▫', '‣', '⁃', '●', '○', '■', '□', '►', '▶', '➢', '➤', '✓', '✔', '❖', '∙',
];

/// A line parsed as a list item.
#[derive(Debug, PartialEq, Eq)]
pub struct ListItem<'a> {
    /// Leading whitespace width, in characters.
    pub indent: usize,
    /// `None` for an unordered item, else the ordered marker as written (`1.`, `2)`, `a)`).
    pub number: Option<&'a str>,
    /// How many markers were stacked.
    pub markers: usize,
    /// The item's text after its markers.
    pub body: &'a str,
}

/// Parse a list item: indentation, then stacked markers (all of them, so that what is left is
/// never a marker itself and a second pass finds nothing to do), then text.
pub fn parse_item(line: &str) -> Option<ListItem<'_>> {
    // Where trim_start's result begins: a char boundary.
    let body_start = line.len() - line.trim_start().len();
    let indent = line[..body_start].chars().count();
    let mut rest = &line[body_start..];
    let mut number = None;
    let mut markers = 0;
    loop {
        let mut chars = rest.chars();
        let Some(c) = chars.next() else { break };
        let after = chars.as_str();
        let symbol = SYMBOL_BULLETS.contains(&c) && !after.is_empty();
        let ascii = ASCII_BULLETS.contains(&c) && after.starts_with(' ');
        if symbol || ascii {
            rest = after.trim_start();
        } else if let Some(len) = ordered_marker(rest) {
            // `len` ends after an ASCII `.` or `)` (see ordered_marker): a char boundary.
            number = Some(&rest[..len]);
            rest = rest[len..].trim_start();
        } else {
            break;
        }
        markers += 1;
        // Only a number may follow a number ("1. 2." is not an item).
        if number.is_some() {
            break;
        }
    }
    (markers > 0 && !rest.is_empty()).then_some(ListItem {
        indent,
        number,
        markers,
        body: rest,
    })
}

/// `12.` or `12)` or `a)` followed by a space: the length of the marker.
fn ordered_marker(s: &str) -> Option<usize> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let len = if (1..=3).contains(&digits) && matches!(s.as_bytes().get(digits), Some(b'.' | b')'))
    {
        digits + 1
    } else if s.len() > 1 && s.as_bytes()[0].is_ascii_lowercase() && s.as_bytes()[1] == b')' {
        // [0], [1]: s.len() > 1
        2
    } else {
        return None;
    };
    // len <= s.len(): the byte before it was read above, and it is ASCII, so a char boundary.
    s[len..].starts_with(' ').then_some(len)
}

/// The canonical spelling of a list item at a nesting level.
pub fn canonical(item: &ListItem, level: usize) -> String {
    format!(
        "{}{} {}",
        "  ".repeat(level),
        item.number.unwrap_or("-"),
        item.body
    )
}

/// Nesting levels for a run of list items: an item is nested only under an earlier, shallower
/// item, so a run that merely starts indented is still level 0.
pub fn levels(indents: &[usize]) -> Vec<usize> {
    let mut open: Vec<usize> = Vec::new();
    indents
        .iter()
        .map(|&indent| {
            while open.last().is_some_and(|&top| top > indent) {
                open.pop();
            }
            if open.last().is_none_or(|&top| indent > top) {
                open.push(indent);
            }
            // Not empty: `indent` was pushed unless an equal one is on top.
            open.len() - 1
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(line: &str) -> Option<String> {
        parse_item(line).map(|i| canonical(&i, 0))
    }

    #[test]
    fn stacked_markers_become_one() {
        assert_eq!(
            canon("- · Fear of losing control").unwrap(),
            "- Fear of losing control"
        );
        assert_eq!(
            canon("- 1. Initial screening.").unwrap(),
            "1. Initial screening."
        );
        assert_eq!(canon("  • Dizziness").unwrap(), "- Dizziness");
        assert_eq!(canon("•Nausea").unwrap(), "- Nausea");
        assert_eq!(canon("* a) first").unwrap(), "a) first");
        assert_eq!(
            canon("  1. Generalized Anxiety Disorder").unwrap(),
            "1. Generalized Anxiety Disorder"
        );
        // Four stacked markers: all go at once, or a second pass would find one more.
        assert_eq!(canon("- · * * Dizziness").unwrap(), "- Dizziness");
    }

    #[test]
    fn ordinary_lines_are_not_items() {
        for s in [
            "-5 degrees overnight",
            "*Note:* bring water",
            "2019. A year to remember",
            "1.5 million people",
            "A. Smith wrote it",
            "—Mark Twain",
            "-",
            "e.g. this one",
        ] {
            assert_eq!(canon(s), None, "{s:?} parsed as an item");
        }
    }

    #[test]
    fn nesting_follows_distinct_indentation() {
        assert_eq!(levels(&[2, 6, 6, 2, 10]), vec![0, 1, 1, 0, 1]);
        assert_eq!(levels(&[2, 0, 0]), vec![0, 0, 0]);
        assert_eq!(levels(&[0, 4, 8, 4, 0]), vec![0, 1, 2, 1, 0]);
    }
}
