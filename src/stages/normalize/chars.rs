//! Character-level rules: invisible and control characters, odd spaces, compatibility forms, NFC.
//! Each returns the patches it would make to one line.

use crate::patch::Patch;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// C1 controls (U+0080..U+009F) in text are Windows-1252 bytes that were decoded as Latin-1:
/// `It\u{92}s` is "It’s", `\u{93}quoted\u{94}` is "“quoted”", `\u{85}` is "…". Each becomes the
/// Windows-1252 character it stands for, as browsers and ftfy's `fix_c1_controls` read it. The
/// five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) stand for nothing and
/// are left to `control_chars`. No clean text holds a C1 control, so no clean line changes.
pub fn c1_controls(line: &str) -> Vec<Patch> {
    // C1 controls are encoded as 0xC2 0x80..0x9F.
    if !crate::text::any_byte(line.as_bytes(), |b| b == 0xc2) {
        return Vec::new();
    }
    let mut patches = Vec::new();
    for (at, c) in line.char_indices() {
        if let Some(mapped) = windows_1252(c) {
            patches.push(Patch::new(at..at + c.len_utf8(), mapped.to_string()));
        }
    }
    patches
}

/// The Windows-1252 character a C1 control's byte stands for, if it stands for one.
fn windows_1252(c: char) -> Option<char> {
    if !('\u{80}'..='\u{9f}').contains(&c) {
        return None;
    }
    let byte = [c as u32 as u8];
    let (decoded, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
    decoded
        .chars()
        .next()
        .filter(|&d| !('\u{80}'..='\u{9f}').contains(&d) && d != '\u{fffd}')
}

/// C0 and C1 controls (tab aside, which `odd_spaces` handles), DEL, and Unicode noncharacters.
/// C1 controls left after mojibake repair are never text. The line breaks CR, VT and FF are
/// `line_endings`' to split on: a line holds one only when that rule is switched off, and then
/// deleting it would glue the words on either side.
pub fn control_chars(line: &str) -> Vec<Patch> {
    // C1 controls start with byte 0xC2, noncharacters with 0xEF or 0xF0..0xF4.
    let bytes = line.as_bytes();
    let ascii = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\r' | 0x0b | 0x0c)) || b == 0x7f;
    // C1: C2 80..9F; noncharacters: EF B7 90..AF, EF BF BE..BF, and F0..F4 sequences.
    let encoded = |s: &[u8]| {
        matches!(
            s,
            [0xc2, 0x80..=0x9f, ..]
                | [0xef, 0xb7, 0x90..=0xaf, ..]
                | [0xef, 0xbf, 0xbe..=0xbf, ..]
                | [0xf0..=0xf4, ..]
        )
    };
    if !crate::text::any_byte(bytes, ascii)
        && !crate::text::any_encoded(bytes, &[0xc2, 0xef, 0xf0, 0xf1, 0xf2, 0xf3, 0xf4], encoded)
    {
        return Vec::new();
    }
    delete_matching(line, |c, _, _| {
        (c < ' ' && !matches!(c, '\t' | '\r' | '\u{0b}' | '\u{0c}'))
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || is_noncharacter(c)
    })
}

fn is_noncharacter(c: char) -> bool {
    let n = c as u32;
    (0xFDD0..=0xFDEF).contains(&n) || (n & 0xFFFE) == 0xFFFE
}

/// Zero-width and other invisible format characters that only get in the way of matching and
/// tokenizing: zero-width space, word joiner, stray BOMs, soft hyphens, invisible math operators.
/// ZWJ and ZWNJ shape emoji and several scripts, so they go only between two ASCII characters, where
/// they can have no job.
pub fn invisible_chars(line: &str) -> Vec<Patch> {
    // The targets: C2 AD, E1 A0 8E, E2 80 8B..8D, E2 81 A0..A4, EF BB BF.
    let target = |s: &[u8]| {
        matches!(
            s,
            [0xc2, 0xad, ..]
                | [0xe1, 0xa0, 0x8e, ..]
                | [0xe2, 0x80, 0x8b..=0x8d, ..]
                | [0xe2, 0x81, 0xa0..=0xa4, ..]
                | [0xef, 0xbb, 0xbf, ..]
        )
    };
    if line.is_ascii()
        || !crate::text::any_encoded(line.as_bytes(), &[0xc2, 0xe1, 0xe2, 0xef], target)
    {
        return Vec::new();
    }
    delete_matching(line, |c, prev, next| match c {
        '\u{200B}'
        | '\u{2060}'
        | '\u{FEFF}'
        | '\u{00AD}'
        | '\u{180E}'
        | '\u{2061}'..='\u{2064}' => true,
        '\u{200C}' | '\u{200D}' => {
            prev.is_some_and(|p| p.is_ascii()) && next.is_some_and(|n| n.is_ascii())
        }
        _ => false,
    })
}

/// A private-use character standing alone: an icon font's glyph ("\u{f095} Call us"), or a
/// chatbot's footnote marker, which carry no text once the font is gone. A run of them is left, as
/// text in a script the Unicode standard lacks (Klingon, a legacy CJK mapping) would be, and so are
/// U+E200–U+E202, which bracket a chatbot's search references for the machine-text stage to cut
/// out with what they hold.
pub fn private_use(line: &str) -> Vec<Patch> {
    // Private use is EE 80 80..EF A3 BF (U+E000..U+F8FF) and F3 B0 80 80.. (planes 15 and 16).
    let target = |s: &[u8]| {
        matches!(
            s,
            [0xee, ..]
                | [0xef, 0x80..=0xa3, ..]
                | [0xf3, 0xb0..=0xbf, ..]
                | [0xf4, 0x80..=0x8f, ..]
        )
    };
    if line.is_ascii()
        || !crate::text::any_encoded(line.as_bytes(), &[0xee, 0xef, 0xf3, 0xf4], target)
    {
        return Vec::new();
    }
    let private = |c: char| matches!(c, '\u{E000}'..='\u{F8FF}' | '\u{F0000}'..='\u{10FFFF}');
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut patches = Vec::new();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let bracket = ('\u{E200}'..='\u{E202}').contains(&c);
        let after_private = k > 0 && private(chars[k - 1].1);
        let before_private = chars.get(k + 1).is_some_and(|&(_, n)| private(n));
        let alone = !after_private && !before_private;
        if private(c) && !bracket && alone {
            patches.push(Patch::delete(i..i + c.len_utf8()));
        }
    }
    patches
}

fn delete_matching(
    line: &str,
    doomed: impl Fn(char, Option<char>, Option<char>) -> bool,
) -> Vec<Patch> {
    let mut patches = Vec::new();
    let mut prev = None;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if doomed(c, prev, next) {
            patches.push(Patch::delete(i..i + c.len_utf8()));
        } else {
            prev = Some(c);
        }
    }
    patches
}

/// Do these bytes start with a Unicode space that `is_odd_space` takes (tab aside)?
fn odd_space_bytes(s: &[u8]) -> bool {
    // U+A0: C2 A0; U+1680: E1 9A 80; U+2000..200A: E2 80 80..8A; U+202F: E2 80 AF;
    // U+205F: E2 81 9F; U+3000: E3 80 80.
    matches!(
        s,
        [0xc2, 0xa0, ..]
            | [0xe1, 0x9a, 0x80, ..]
            | [0xe2, 0x80, 0x80..=0x8a | 0xaf, ..]
            | [0xe2, 0x81, 0x9f, ..]
            | [0xe3, 0x80, 0x80, ..]
    )
}

fn is_odd_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Tabs and the many Unicode spaces become one ASCII space; runs of spaces inside a line collapse;
/// trailing spaces go. Leading indentation is left to the list and indentation rules, which need it.
pub fn odd_spaces(line: &str) -> Vec<Patch> {
    let nothing_to_do = !line.starts_with(' ')
        && !line.ends_with(' ')
        && memchr::memchr(b'\t', line.as_bytes()).is_none()
        && memchr::memmem::find(line.as_bytes(), b"  ").is_none()
        && (line.is_ascii()
            || !crate::text::any_encoded(
                line.as_bytes(),
                &[0xc2, 0xe1, 0xe2, 0xe3],
                odd_space_bytes,
            ));
    if nothing_to_do {
        return Vec::new();
    }
    let mut patches = Vec::new();
    let indent_end = line.len()
        - line
            .trim_start_matches(|c: char| c == ' ' || is_odd_space(c))
            .len();
    // `i` starts where trim_start's result does and moves by whole chars (or to the end of a run
    // of them): always a char boundary, and below line.len() inside the loop, so a char is there.
    let mut i = indent_end;
    while i < line.len() {
        let c = line[i..].chars().next().unwrap();
        if c == ' ' || is_odd_space(c) {
            let start = i;
            let mut end = i;
            for ch in line[i..].chars() {
                if ch == ' ' || is_odd_space(ch) {
                    end += ch.len_utf8();
                } else {
                    break;
                }
            }
            let with = if end == line.len() { "" } else { " " };
            if &line[start..end] != with {
                patches.push(Patch::new(start..end, with));
            }
            i = end;
        } else {
            i += c.len_utf8();
        }
    }
    // Indentation made only of spaces is whitespace too: normalize its odd members to ' '.
    if indent_end > 0 && line[..indent_end].chars().any(|c| c != ' ') {
        let width = line[..indent_end].chars().count();
        let with = if indent_end == line.len() {
            String::new()
        } else {
            " ".repeat(width)
        };
        patches.insert(0, Patch::new(0..indent_end, with));
    } else if indent_end == line.len() && indent_end > 0 {
        patches.push(Patch::delete(0..indent_end));
    }
    patches
}

/// Latin ligatures (ﬁ, ﬂ, ...) and full-width ASCII forms (ＡＢＣ１２３) become plain letters.
/// Full-width punctuation is left alone: in CJK text it is the right form.
pub fn compat_chars(line: &str) -> Vec<Patch> {
    // Ligatures and full-width forms are all encoded with lead byte 0xEF.
    if memchr::memchr(0xef, line.as_bytes()).is_none() {
        return Vec::new();
    }
    let mut patches = Vec::new();
    for (i, c) in line.char_indices() {
        let with: Option<String> = match c {
            '\u{FB00}'..='\u{FB06}' => Some(c.nfkc().collect()),
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                // c >= U+FF10: no underflow.
                char::from_u32(c as u32 - 0xFEE0).map(String::from)
            }
            _ => None,
        };
        if let Some(with) = with {
            patches.push(Patch::new(i..i + c.len_utf8(), with));
        }
    }
    patches
}

/// Canonical composition (NFC), so "e" + combining acute and "é" are the same text.
/// Only runs of non-ASCII characters (with the character before them, which a combining mark may
/// compose with) can change, so only those are normalized.
pub fn nfc(line: &str) -> Vec<Patch> {
    if line.is_ascii() || is_nfc_quick(line.chars()) == IsNormalized::Yes {
        return Vec::new();
    }
    let mut patches = Vec::new();
    let mut i = 0;
    let bytes = line.as_bytes();
    // `i` moves past ASCII bytes one at a time and past a run to its end (an ASCII byte or the
    // end of the line), so a non-ASCII byte found at `i` starts a char: `line[..i]` and
    // `line[start..end]` are on char boundaries.
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            i += 1;
            continue;
        }
        // A non-ASCII run, starting one character back so a base letter can compose.
        let start = line[..i].char_indices().next_back().map_or(i, |(p, _)| p);
        let mut end = i;
        while end < bytes.len() && bytes[end] >= 0x80 {
            end += 1;
        }
        let segment = &line[start..end];
        let composed: String = segment.nfc().collect();
        if composed != segment {
            patches.push(Patch::new(start..end, composed));
        }
        i = end;
    }
    // Segments share no bytes except when one starts at the previous one's last ASCII byte, which
    // cannot happen: a segment ends on an ASCII byte or the end of the line.
    patches
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::rewrite as run;

    #[test]
    fn c1_controls_are_the_windows_1252_characters_they_stand_for() {
        assert_eq!(
            run(c1_controls, "It\u{92}s \u{96} \u{93}quoted\u{94}, \u{80} 5\u{85} Russia\u{92}s disarmament\u{97}a"),
            "It’s – “quoted”, € 5… Russia’s disarmament—a"
        );
        // Undefined in Windows-1252: left for control_chars to delete.
        assert_eq!(run(c1_controls, "a\u{81}b\u{9d}c"), "a\u{81}b\u{9d}c");
        assert_eq!(
            run(c1_controls, "Café “clean” text – as is…"),
            "Café “clean” text – as is…"
        );
    }

    #[test]
    fn removes_controls_but_keeps_tabs_for_the_space_rule() {
        assert_eq!(run(control_chars, "a\u{0}b\u{7}c\u{85}d\te"), "abcd\te");
        assert_eq!(run(control_chars, "plain text"), "plain text");
    }

    #[test]
    fn removes_invisibles_but_keeps_joiners_that_shape_text() {
        assert_eq!(
            run(
                invisible_chars,
                "zero\u{200B}width soft\u{AD}hyphen \u{FEFF}bom"
            ),
            "zerowidth softhyphen bom"
        );
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(run(invisible_chars, family), family);
        let persian = "می\u{200C}خواهم";
        assert_eq!(run(invisible_chars, persian), persian);
        assert_eq!(run(invisible_chars, "ab\u{200D}cd"), "abcd");
    }

    #[test]
    fn lone_private_use_glyphs_go_but_runs_and_chat_brackets_stay() {
        assert_eq!(run(private_use, "\u{f095} Call us"), " Call us");
        assert_eq!(run(private_use, "Sources\u{e000}1 cited"), "Sources1 cited");
        let klingon = "\u{f8e4}\u{f8d7}\u{f8dc} text";
        assert_eq!(run(private_use, klingon), klingon);
        let chat = "May \u{e200}cite\u{e202}turn0search3\u{e201}";
        assert_eq!(run(private_use, chat), chat);
        assert_eq!(run(private_use, "plain café"), "plain café");
    }

    #[test]
    fn spaces_are_folded_and_trailing_ones_dropped() {
        assert_eq!(
            run(odd_spaces, "10\u{A0}kg\t\tof  rice \u{2009} "),
            "10 kg of rice"
        );
        assert_eq!(run(odd_spaces, "  • item"), "  • item");
        assert_eq!(run(odd_spaces, "\u{A0}\u{A0}x"), "  x");
        assert_eq!(run(odd_spaces, "   "), "");
        assert_eq!(
            run(odd_spaces, "Clean text, one space."),
            "Clean text, one space."
        );
    }

    #[test]
    fn ligatures_and_fullwidth_letters_become_plain() {
        assert_eq!(
            run(compat_chars, "ﬁnal ﬂow ＡＢＣ１２３"),
            "final flow ABC123"
        );
        assert_eq!(run(compat_chars, "日本語、テスト。"), "日本語、テスト。");
    }

    #[test]
    fn nfc_composes_combining_marks_only_where_needed() {
        assert_eq!(
            run(nfc, "cafe\u{301} and re\u{301}sume\u{301}"),
            "café and résumé"
        );
        assert_eq!(run(nfc, "already café"), "already café");
        assert!(nfc("plain ascii").is_empty());
    }

    #[test]
    fn byte_tests_agree_with_the_character_tests() {
        for u in 0x80..0x11000u32 {
            let Some(c) = char::from_u32(u) else { continue };
            let mut buf = [0; 4];
            let bytes = c.encode_utf8(&mut buf).as_bytes();
            if c != '\t' {
                assert_eq!(odd_space_bytes(bytes), is_odd_space(c), "{c:?}");
            }
            let line = format!("a{c}b");
            let deleted = !control_chars(&line).is_empty() || !invisible_chars(&line).is_empty();
            let targeted = ('\u{80}'..='\u{9f}').contains(&c)
                || is_noncharacter(c)
                || matches!(
                    c,
                    '\u{200B}'
                        | '\u{200C}'
                        | '\u{200D}'
                        | '\u{2060}'
                        | '\u{FEFF}'
                        | '\u{00AD}'
                        | '\u{180E}'
                        | '\u{2061}'..='\u{2064}'
                );
            assert_eq!(deleted, targeted, "{c:?}");
        }
    }
}
