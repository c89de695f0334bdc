//! Mojibake: UTF-8 that was decoded as Windows-1252, Latin-1, MacRoman and the like
//! ("cafÃ©", "donâ€™t"), repaired with the `plsfix` crate (a Rust port of ftfy).
//!
//! plsfix does much more than encoding repair; we switch all of that off (quote uncurling, NFC,
//! line breaks, HTML) because those are separate rules here, each recorded under its own name, and
//! because straightening quotes would change correct text.

use crate::patch::{diff_patch, Patch};

use plsfix::TextFixerConfig;
use std::sync::LazyLock;

static CONFIG: LazyLock<TextFixerConfig> = LazyLock::new(|| TextFixerConfig {
    unescape_html: Some(false),
    remove_terminal_escapes: false,
    fix_encoding: true,
    restore_byte_a0: true,
    replace_lossy_sequences: true,
    decode_inconsistent_utf8: true,
    fix_c1_controls: true,
    fix_latin_ligatures: false,
    fix_character_width: false,
    uncurl_quotes: false,
    fix_line_breaks: false,
    remove_control_chars: false,
    normalization: None,
    max_decode_length: 1_000_000,
});

/// Could this character start mojibake? A UTF-8 lead byte (0xC2..0xF4) read as Latin-1 or
/// Windows-1252 is one of `Â`..`ô`; read as MacRoman, the common ones are `√`, `‚`, `ƒ`.
/// A no-break space or `©` alone is ordinary text and opens no window.
fn suspect(c: char) -> bool {
    matches!(
        c,
        '\u{C2}'..='\u{F4}' | '\u{221A}' | '\u{201A}' | '\u{0192}'
    )
}

/// The fixer runs on small windows, not whole lines: each run of words holding a suspect character,
/// with the word after it (mojibake of a no-break space swallows the space that follows). That
/// keeps ASCII text out of the fixer, and each repair is recorded as the words it changed rather than
/// as a line that may be megabytes long.
pub fn mojibake(line: &str) -> Vec<Patch> {
    if line.is_ascii() {
        return Vec::new();
    }
    let mut patches = Vec::new();
    for window in windows(line) {
        // windows() gives ranges on char boundaries; diff_patch's range lies within `text`.
        let text = &line[window.clone()];
        let fixed = fix_encoding_only(text);
        if let Some(p) = diff_patch(text, &fixed) {
            patches.push(Patch::new(
                window.start + p.range.start..window.start + p.range.end,
                p.with,
            ));
        }
    }
    patches
}

/// plsfix 0.1.8 decodes HTML entities whatever its config says; entities are the `html_entities`
/// rule's business (and must stay as they are in code blocks), so `&` is hidden from it behind a
/// private-use character the text does not contain.
///
/// Fixing C1 controls can expose mojibake that the same call leaves (`â\u{80}\u{99}` becomes
/// `â€™`), so the fixer runs until the text stops changing, at most three times.
fn fix_encoding_only(text: &str) -> String {
    const AMP_STAND_IN: char = '\u{F8FF}';
    if text.contains(AMP_STAND_IN) {
        return text.to_string();
    }
    let mut current = text.replace('&', "\u{F8FF}");
    for _ in 0..3 {
        let fixed = plsfix::fix_text(&current, Some(&CONFIG));
        let again = fixed != current && !windows(&fixed).is_empty();
        current = fixed;
        if !again {
            break;
        }
    }
    current.replace(AMP_STAND_IN, "&")
}

/// Could this character stand for a UTF-8 continuation byte (0x80..0xBF) read as Latin-1 or
/// Windows-1252? Spaces count too: a continuation 0xA0 often became a space.
fn continuation(c: char) -> bool {
    matches!(
        c,
        '\u{80}'
            ..='\u{BF}'
                | ' '
                | '€'
                | '‚'
                | 'ƒ'
                | '„'
                | '…'
                | '†'
                | '‡'
                | 'ˆ'
                | '‰'
                | 'Š'
                | '‹'
                | 'Œ'
                | 'Ž'
                | '‘'
                | '’'
                | '“'
                | '”'
                | '•'
                | '–'
                | '—'
                | '˜'
                | '™'
                | 'š'
                | '›'
                | 'œ'
                | 'ž'
                | 'Ÿ'
    )
}

/// Ranges on char boundaries: every start and end is a char's start (from char_indices or `find`),
/// a char's start plus its length, or the end of the line.
fn windows(line: &str) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    let word_end = |from: usize| {
        line[from..]
            .find(char::is_whitespace)
            .map_or(line.len(), |e| from + e)
    };
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        // A lead needs a continuation after it (MacRoman's leads, any non-ASCII character):
        // `é` followed by a letter, as in correct French, never reaches the fixer.
        let next = chars.peek().map(|&(_, n)| n);
        let lead = match c {
            '\u{C2}'..='\u{F4}' => next.is_some_and(continuation),
            _ => suspect(c) && next.is_some_and(|n| !n.is_ascii()),
        };
        if !lead || out.last().is_some_and(|w| w.end > i) {
            continue;
        }
        // A control character before the lead byte cannot belong to its sequence (continuations
        // follow a lead); it is left out, as whitespace is.
        let start = line[..i]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace() || c.is_control())
            .map_or(0, |(s, c)| s + c.len_utf8());
        let mut end = word_end(i);
        // A word ending in a lead character lost its continuation byte to a (no-break) space:
        // `Ã` + space is `à`. Take the space and the next word with it.
        if end < line.len() && line[..end].chars().next_back().is_some_and(suspect) {
            let space = line[end..].chars().next().unwrap(); // end < line.len()
            end = word_end(end + space.len_utf8());
        }
        match out.last_mut() {
            Some(last) if start <= last.end => last.end = last.end.max(end),
            _ => out.push(start..end),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::apply;

    fn run(s: &str) -> String {
        crate::patch::rewrite(mojibake, s)
    }

    #[test]
    fn repairs_utf8_read_as_windows_1252() {
        assert_eq!(
            run("The cafÃ© doesnâ€™t open"),
            "The café doesn\u{2019}t open"
        );
        assert_eq!(run("â€œQuotedâ€\u{9d} text"), "\u{201c}Quoted\u{201d} text");
        assert_eq!(run("naÃ¯ve coÃ¶perate"), "naïve coöperate");
        // As in ftfy, the swallowed no-break space leaves two spaces; `odd_spaces` folds them.
        assert_eq!(
            run("Ã  perturber la rÃ©flexion"),
            "à  perturber la réflexion"
        );
        assert_eq!(
            super::super::normalize_text("Ã  perturber la rÃ©flexion"),
            "à perturber la réflexion\n"
        );
    }

    #[test]
    fn each_repair_is_its_own_small_patch() {
        let line = format!("cafÃ© {} rÃ©sumÃ©", "plain words ".repeat(50));
        let patches = mojibake(&line);
        assert_eq!(patches.len(), 2);
        assert!(patches.iter().all(|p| p.range.len() < 20), "{patches:?}");
        assert_eq!(
            apply(&line, &patches).0,
            format!("café {} résumé", "plain words ".repeat(50))
        );
    }

    #[test]
    fn leaves_html_entities_to_their_own_rule() {
        assert_eq!(run("cafÃ© &amp; bar"), "café &amp; bar");
    }

    #[test]
    fn leaves_correct_text_alone() {
        for s in [
            "The café doesn\u{2019}t open",
            "Größe, Übung, señor, naïve, œuvre, ½ cup, 25°C, © 2024",
            "“Curly quotes” stay curly — and dashes too.",
            "Ελληνικά, русский, 日本語, العربية",
            // A capital Â alone before a space reads as mojibake of a no-break space, to ftfy too;
            // as a word of its own it hardly occurs, inside words it is safe.
            "Vou à praia amanhã. Ânimo, disse ele. Mâine e o zi frumoasă în România.",
        ] {
            assert_eq!(run(s), s, "changed correct text {s:?}");
        }
    }
}
