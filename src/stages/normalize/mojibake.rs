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

/// Could this line hold mojibake? Every UTF-8 lead byte read as a single-byte Western charset lands
/// in U+0080..U+00FF (MacRoman's land on a few other letters), so lines without such characters,
/// which is nearly all English text, skip the fixer entirely.
fn may_hold_mojibake(line: &str) -> bool {
    !line.is_ascii()
        && line.chars().any(|c| matches!(c, '\u{80}'..='\u{FF}' | '\u{221A}' | '\u{201A}' | '\u{0192}'))
}

pub fn mojibake(line: &str) -> Vec<Patch> {
    if !may_hold_mojibake(line) {
        return Vec::new();
    }
    let fixed = plsfix::fix_text(line, Some(&CONFIG));
    diff_patch(line, &fixed).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::apply;

    fn run(s: &str) -> String {
        apply(s, &mojibake(s)).0
    }

    #[test]
    fn repairs_utf8_read_as_windows_1252() {
        assert_eq!(run("The cafÃ© doesnâ€™t open"), "The café doesn\u{2019}t open");
        assert_eq!(run("â€œQuotedâ€\u{9d} text"), "\u{201c}Quoted\u{201d} text");
        assert_eq!(run("naÃ¯ve coÃ¶perate"), "naïve coöperate");
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
