//! Does a line look like mojibake? The heuristic of ftfy 6.3 (`ftfy/badness.py`, Apache-2.0),
//! written out here: the few hundred characters that UTF-8 misread through the supported tables
//! produces are sorted into families, and certain juxtapositions of families ("a lowercase accented
//! letter followed by a currency sign", "Ã followed by a no-break space") almost never occur in
//! text a person wrote. A line with none of them is never touched, whatever characters it holds.

use regex::Regex;
use std::sync::LazyLock;

/// A family of characters, written as in a regex class: single characters, and `a-b` for a range.
struct Family(&'static str);

const COMMON: Family = Family("\u{a0}\u{ad}·´–—―…’");
const C1: Family = Family("\u{80}-\u{9f}");
const BAD: Family = Family("¦¤¨¬¯¸ƒˆˇ˘˛˜†‡‰⌐◊\u{fffd}ªº");
const LAW: Family = Family("¶§");
const CURRENCY: Family = Family("¢£¥₧€");
const START_PUNCT: Family = Family("¡«¿©΄΅‘‚“„•‹\u{f8ff}");
const END_PUNCT: Family = Family("®»˝”›™");
const NUMERIC: Family = Family("²³¹±¼½¾×µ÷⁄∂∆∏∑√∞∩∫≈≠≡≤≥№");
const KAOMOJI: Family = Family("Ò-ÖÙ-Üò-öø-üŐŌŪŲ°");
const UPPER_ACCENTED: Family = Family("À-ÑØÜÝĂĀĄĆČĎĐĘĚĒĖĞĢİĪĶĹĽŁĻŃŇŅŒŘŚŞŠŢŤŮŰŸŹŻŽҐ");
const LOWER_ACCENTED: Family = Family("ßà-ñăąāćčďđęěēėğģįīķĺľłļœŕśşšťüźżžґﬁﬂ");
const UPPER_COMMON: Family = Family("ÞΑ-ΩΆΈΉΊΌΎΏΪΫЁ-Я");
const LOWER_COMMON: Family = Family("α-ωάέήίΰа-џ");
const BOX: Family = Family("│┌┐┘├┤┬┼═-╬▀▄█▌▐░▒▓");

/// The members of some families and extra characters as the body of a regex class: every
/// character written as a `\x{..}` escape, ranges kept.
fn members(families: &[&Family], extra: &str) -> String {
    let mut out = String::new();
    let mut push = |spec: &str| {
        let chars: Vec<char> = spec.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            out.push_str(&format!("\\x{{{:x}}}", chars[i] as u32));
            if i + 2 < chars.len() && chars[i + 1] == '-' {
                out.push_str(&format!("-\\x{{{:x}}}", chars[i + 2] as u32));
                i += 3;
            } else {
                i += 1;
            }
        }
    };
    for f in families {
        push(f.0);
    }
    // Extra characters are literal (never ranges): escape each alone.
    for c in extra.chars() {
        out.push_str(&format!("\\x{{{:x}}}", c as u32));
    }
    out
}

fn class(families: &[&Family], extra: &str) -> String {
    format!("[{}]", members(families, extra))
}

/// One alternative per juxtaposition; a match anywhere makes the text look bad.
static BADNESS: LazyLock<Regex> = LazyLock::new(|| {
    let c = class;
    let (la, ua, lc, uc) = (
        &LOWER_ACCENTED,
        &UPPER_ACCENTED,
        &LOWER_COMMON,
        &UPPER_COMMON,
    );
    let (sp, ep, cur, num, bx, bad, law) = (
        &START_PUNCT,
        &END_PUNCT,
        &CURRENCY,
        &NUMERIC,
        &BOX,
        &BAD,
        &LAW,
    );
    let alternatives = [
        c(&[&C1], ""),
        c(&[bad, la, ua, bx, sp, ep, cur, num, law], "") + &c(&[bad], ""),
        "[a-zA-Z]".to_string() + &c(&[lc, uc], "") + &c(&[bad], ""),
        c(&[bad], "") + &c(&[la, ua, bx, sp, ep, cur, num, law], ""),
        c(&[la, lc, bx, ep, cur, num], "") + &c(&[ua], ""),
        c(&[bx, ep, cur, num], "") + &c(&[la], ""),
        c(&[la, bx, ep], "") + &c(&[cur], ""),
        r"\s".to_string() + &c(&[ua], "") + &c(&[cur], ""),
        c(&[ua, bx], "") + &c(&[num, law], ""),
        c(&[la, ua, bx, cur, ep], "") + &c(&[sp], "") + &c(&[num], ""),
        c(&[la, ua, cur, num, bx, law], "") + &c(&[ep], "") + &c(&[sp], ""),
        c(&[cur, num, bx], "") + &c(&[sp], ""),
        "[a-z]".to_string() + &c(&[ua], "") + &c(&[sp, cur], ""),
        c(&[bx], "") + &c(&[&KAOMOJI], ""),
        c(&[la, ua, cur, num, sp, ep, law], "") + &c(&[bx], ""),
        c(&[bx], "") + &c(&[ep], ""),
        c(&[la, ua], "") + &c(&[sp, ep], "") + r"\w",
        // Œ and œ are French ligatures, always followed by a letter.
        "[ŒœŒ]".to_string() + "[^A-Za-z]",
        // An accented capital before a degree sign: `Ä°` is the UTF-8 of `İ`.
        c(&[ua], "") + "°",
        // Common letter pairs of UTF-8 misread as Windows-1252.
        "[ÂÃÎÐ]".to_string() + &c(&[sp, ep], "€œŠš¢£Ÿž\u{a0}\u{ad}®©°·»–—´"),
        "×[²³]".to_string(),
        // Arabic misread as Windows-1252: two such pairs in a row.
        {
            let pair = "[ØÙ]".to_string() + &c(&[&COMMON, cur, bad, num, sp], "ŸŠ®°µ»");
            pair.clone() + &pair
        },
        "à[²µ¹¼½¾]".to_string(),
        // UTF-8 misread as MacRoman.
        "√[±∂†≠®™´≤≥¥µø]".to_string(),
        "≈[°¢]".to_string(),
        "‚Ä[ìîïòôúùû†°¢π]".to_string(),
        "‚[âó][àä°ê]".to_string(),
        // UTF-8 misread as Windows-1251.
        "вЂ".to_string(),
        "[ВГРС]".to_string() + &c(&[&C1, bad, sp, ep, cur], "°µ") + "[ВГРС]",
        "ГўВЂВ.[A-Za-z ]".to_string(),
        // Windows-1252 misreadings with a lost no-break space.
        "Ã[\u{a0}¡]".to_string(),
        r"[a-z]\s?[ÃÂ]\x20".to_string(),
        r"^[ÃÂ]\x20".to_string(),
        "[a-z.,?!".to_string() + &members(&[ep], "") + r"]\x20Â\x20" + &c(&[sp, ep], " "),
        // UTF-8 misread as Windows-1253.
        "β€[™\u{a0}Ά\u{ad}®°]".to_string(),
        "[ΒΓΞΟ]".to_string() + &c(&[&C1, bad, sp, ep, cur], "°") + "[ΒΓΞΟ]",
        // UTF-8 misread as Windows-1257.
        "ā€".to_string(),
    ];
    Regex::new(&alternatives.join("|")).expect("the badness expression compiles")
});

/// Does the text hold a sequence that is far likelier mojibake than anything a person wrote?
pub fn is_bad(text: &str) -> bool {
    BADNESS.is_match(text)
}

/// Is the character one that could begin a UTF-8 lead byte's misreading or stand in the
/// families above? Text without any such character is never bad: a cheap first test.
pub fn could_be_bad(text: &str) -> bool {
    text.chars().any(|c| {
        let u = c as u32;
        (0x80..0x250).contains(&u)
            || (0x2b0..0x530).contains(&u)
            || (0x2000..0x2600).contains(&u)
            || c == '\u{f8ff}'
            || ('\u{fb01}'..='\u{fb02}').contains(&c)
            || c == '\u{fffd}'
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_looks_bad() {
        for s in [
            "cafÃ©",
            "doesnâ€™t",
            "It\u{92}s",
            "RUF MICH ZURÃœCK",
            "Ä°stanbul",
            "РґРѕСЂРѕРіРµ Р\u{98}Р·-РїРѕРґ",
            "pour un r√©gime √©quilibr√©.",
            "LiĂ¨ge",
            "─îe┼ítina",
            "Ã perturber",
        ] {
            assert!(is_bad(s), "{s:?} should look bad");
        }
    }

    #[test]
    fn written_text_does_not() {
        for s in [
            "The café doesn’t open",
            "Größe, Übung, señor, naïve, œuvre, ½ cup, 25°C, © 2024",
            "“Curly quotes” stay curly — and dashes too.",
            "Ελληνικά, русский, 日本語, العربية",
            "C O N C L U S Ã O",
            "Oborzos, per. Vahbarz, frataraká§ 141",
            "Mâine e o zi frumoasă în România. Vou à praia amanhã.",
        ] {
            assert!(!is_bad(s), "{s:?} should not look bad");
        }
    }

    #[test]
    fn the_first_test_admits_every_bad_text() {
        for s in ["cafÃ©", "вЂ", "─îe┼ítina", "r√©gime √©", "β€™"] {
            assert!(could_be_bad(s) && is_bad(s), "{s:?}");
        }
    }
}
