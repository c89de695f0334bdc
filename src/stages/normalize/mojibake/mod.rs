//! Mojibake: UTF-8 that was decoded through the wrong single-byte table ("cafÃ©", "doesnâ€™t",
//! "g√¢teaux", "РґРѕСЂРѕРіРµ"), read back.
//!
//! The method is ftfy's (`ftfy/__init__.py`, `fixes.py`, `chardata.py`, Apache-2.0), written here
//! in Rust: a line is repaired only when it looks bad ([`badness::is_bad`]); the repair encodes the
//! whole line back through the first table that can hold every character and accepts it only when
//! the bytes decode as UTF-8. When no table explains the whole line (correct text around embedded
//! mojibake), each run of characters that spell out UTF-8 sequences is repaired alone, if that run
//! looks bad by itself. The steps repeat until the line stops changing, which undoes double
//! encodings too. A line that does not look bad is never touched, so correct text stays as it is.
//!
//! Entities, C1 controls left alone by the repair, and spacing are other rules' business, each
//! recorded under its own name.

mod badness;
mod codecs;

use crate::patch::Patch;
use codecs::{decode_utf8_variants, Codec, CODECS};
use regex::bytes::Regex as BytesRegex;
use regex::Regex;
use std::sync::LazyLock;

/// The patches that repair a line's mojibake: one per changed stretch, so that edits.jsonl shows the
/// words that changed rather than the whole line.
pub fn mojibake(line: &str) -> Vec<Patch> {
    if line.is_ascii() || !badness::could_be_bad(line) {
        return Vec::new();
    }
    let fixed = fix_encoding(line);
    if fixed == line {
        return Vec::new();
    }
    crate::patch::diff_patches(line, &fixed)
}

/// Repeat one repair step until the text stops changing (a double encoding takes two steps).
pub fn fix_encoding(text: &str) -> String {
    let mut current = text.to_string();
    // Each step that changes the text shortens it or maps C1 controls away, so this ends; the bound
    // is a guard, as in ftfy.
    for _ in 0..16 {
        match fix_one_step(&current) {
            Some(next) if next != current => current = next,
            _ => break,
        }
    }
    current
}

/// One repair, or None when the text does not look bad or nothing explains it.
fn fix_one_step(text: &str) -> Option<String> {
    if text.is_ascii() || !badness::is_bad(text) {
        return None;
    }
    // The whole text read back through one table.
    for codec in CODECS.iter() {
        if let Some(fixed) = read_back(text, codec) {
            return Some(fixed);
        }
    }
    // Mojibake embedded in correct text: each run of UTF-8-looking characters alone.
    let fixed = fix_embedded(text);
    if fixed != text {
        return Some(fixed);
    }
    // Windows-1252 bytes read as Latin-1 (C1 controls): as browsers read them.
    if text.chars().any(is_c1) {
        let fixed: String = text
            .chars()
            .map(|c| {
                if is_c1(c) {
                    CODECS[1].decode_byte(c as u32 as u8)
                } else {
                    c
                }
            })
            .collect();
        return Some(fixed);
    }
    None
}

fn is_c1(c: char) -> bool {
    ('\u{80}'..='\u{9f}').contains(&c)
}

/// The text encoded through `codec` and decoded as UTF-8, with the two kinds of damage that
/// misread text often carries on top undone first: a byte 0xA0 turned into a space, and bytes lost
/// to U+FFFD (in the sloppy tables).
fn read_back(text: &str, codec: &Codec) -> Option<String> {
    let mut bytes = codec.encode(text)?;
    // MacRoman's no-break space is 0xCA, so a space there never stood for byte 0xA0.
    if codec.name != "macroman" && ALTERED_UTF8.is_match(&bytes) {
        bytes = restore_byte_a0(&bytes);
    }
    // A no-break space at the end of a line, misread as `Â` + U+A0, loses its second half to
    // whoever trims lines: a bad line that ends in a lone 0xC2 ends in a no-break space.
    if codec.name != "macroman" && bytes.last() == Some(&0xc2) {
        bytes.push(0xa0);
    }
    if codec.sloppy {
        bytes = LOSSY_UTF8
            .replace_all(&bytes, "\u{fffd}".as_bytes())
            .into_owned();
    }
    decode_utf8_variants(&bytes)
}

/// UTF-8 sequences that would be valid if a byte 0xA0 had not become a space (a program took the
/// misread no-break space for a space). Only leads whose 0xA0 continuation gives a likely character
/// are taken: U+A0, à, Š, Π, Р, ٠ for two bytes; three-byte sequences from E0..E3; four from F0.
static ALTERED_UTF8: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(
        r"(?-u)[\xc2\xc3\xc5\xce\xd0\xd9]\x20|[\xe2\xe3]\x20[\x80-\x84\x86-\x9f\xa1-\xbf]|[\xe0-\xe3][\x80-\x84\x86-\x9f\xa1-\xbf]\x20|\xf0\x20[\x80-\xbf][\x80-\xbf]|\xf0[\x80-\xbf]\x20[\x80-\xbf]|\xf0[\x80-\xbf][\x80-\xbf]\x20",
    )
    .expect("the altered-UTF-8 expression compiles")
});

/// UTF-8 sequences with some bytes lost (0x1A stands for a byte a sloppy decoder turned into
/// U+FFFD; `?` for one a strict encoder replaced, at most once a sequence): the sequence becomes a
/// single U+FFFD instead of failing the whole line.
static LOSSY_UTF8: LazyLock<BytesRegex> = LazyLock::new(|| {
    BytesRegex::new(
        r"(?-u)[\xc2-\xdf]\x1a|[\xc2-\xc3]\?|\xed[\xa0-\xaf][\x1a?]\xed[\xb0-\xbf][\x1a?\x80-\xbf]|\xed[\xa0-\xaf][\x1a?\x80-\xbf]\xed[\xb0-\xbf][\x1a?]|[\xe0-\xef][\x1a?][\x1a\x80-\xbf]|[\xe0-\xef][\x1a\x80-\xbf][\x1a?]|[\xf0-\xf4][\x1a?][\x1a\x80-\xbf][\x1a\x80-\xbf]|[\xf0-\xf4][\x1a\x80-\xbf][\x1a?][\x1a\x80-\xbf]|[\xf0-\xf4][\x1a\x80-\xbf][\x1a\x80-\xbf][\x1a?]|\x1a",
    )
    .expect("the lossy-UTF-8 expression compiles")
});

/// Put back the 0xA0 bytes that became spaces. `Ã ` is `à` followed by a real space in most words
/// ("voilÃ le travail"), but the space *is* the lost byte in Portuguese "às", "àquele", "àquela",
/// "àquilo"; a double space means the second one is real.
fn restore_byte_a0(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 4);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == 0xc3 && bytes.get(i + 1) == Some(&b' ') {
            let after = &bytes[i + 2..];
            let joined = [&b" "[..], b"quele", b"quela", b"quilo", b"s "]
                .iter()
                .any(|w| after.starts_with(w));
            if !joined {
                out.extend_from_slice(&[0xc3, 0xa0, b' ']);
                i += 2;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    ALTERED_UTF8
        .replace_all(&out, |m: &regex::bytes::Captures| {
            m[0].iter()
                .map(|&b| if b == b' ' { 0xa0 } else { b })
                .collect::<Vec<u8>>()
        })
        .into_owned()
}

/// The characters that UTF-8's lead and continuation bytes become when misread through the
/// Latin-script tables, and the expression that finds runs of whole sequences made of them.
struct Utf8Clues {
    runs: Regex,
    /// Continuation characters that seldom stand for themselves beside mojibake (no spaces,
    /// dashes, quotes, bullets or ellipses): a run that follows one is inside a larger garble and is
    /// left alone rather than half repaired.
    strict: Vec<char>,
}

static UTF8_CLUES: LazyLock<Utf8Clues> = LazyLock::new(|| {
    let chars_of = |bytes: &mut dyn Iterator<Item = u8>| -> Vec<char> {
        let bytes: Vec<u8> = bytes.collect();
        let mut v: Vec<char> = codecs::latin_like()
            .flat_map(|codec| bytes.iter().map(|&b| codec.decode_byte(b)))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let first_of_2 = chars_of(&mut (0xc2..=0xdf));
    let first_of_3 = chars_of(&mut (0xe0..=0xef));
    // Other four-byte leads stand only for unassigned code points or rare tag characters.
    let first_of_4 = chars_of(&mut [0xf0, 0xf3].into_iter());
    let mut continuation = chars_of(&mut (0x80..=0xbf));
    let strict: Vec<char> = continuation
        .iter()
        .copied()
        .filter(|c| !"–—―‘’‚“”„•…".contains(*c))
        .collect();
    // A space may stand for a continuation 0xA0 that became one.
    continuation.push(' ');
    let class = |chars: &[char]| {
        let body: String = chars
            .iter()
            .map(|c| format!("\\x{{{:x}}}", *c as u32))
            .collect();
        format!("[{body}]")
    };
    let cont = class(&continuation);
    let runs = format!(
        "(?:{}{cont}|{}{cont}{{2}}|{}{cont}{{3}})+",
        class(&first_of_2),
        class(&first_of_3),
        class(&first_of_4)
    );
    Utf8Clues {
        runs: Regex::new(&runs).expect("the UTF-8 run expression compiles"),
        strict,
    }
});

/// Repair each run of UTF-8-looking characters that looks bad by itself, leaving the text around it.
fn fix_embedded(text: &str) -> String {
    let clues = &*UTF8_CLUES;
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(m) = clues.runs.find_at(text, from) {
        let before = text[..m.start()].chars().next_back();
        if before.is_some_and(|c| clues.strict.binary_search(&c).is_ok()) {
            // Inside a larger garble: try again one character later.
            from = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let run = m.as_str();
        // A run as long as the text is the text itself, which the tables could not explain.
        if run.len() < text.len() && badness::is_bad(run) {
            out.push_str(&text[copied..m.start()]);
            out.push_str(&fix_encoding(run));
            copied = m.end();
        }
        from = m.end().max(m.start() + 1);
        if from > text.len() {
            break;
        }
        while !text.is_char_boundary(from) {
            from += 1;
        }
    }
    out.push_str(&text[copied..]);
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
    fn repairs_utf8_read_through_each_table() {
        for (bad, good) in [
            ("The cafÃ© doesnâ€™t open", "The café doesn\u{2019}t open"),
            ("â€œQuotedâ€\u{9d} text", "\u{201c}Quoted\u{201d} text"),
            ("naÃ¯ve coÃ¶perate", "naïve coöperate"),
            ("RUF MICH ZURÃœCK", "RUF MICH ZURÜCK"),
            ("Ä°stanbul", "İstanbul"),
            ("RÄ«ga", "Rīga"),
            ("âœ” No problems", "✔ No problems"),
            (
                "conseille g√¢teaux et baies pour un r√©gime √©quilibr√©.",
                "conseille gâteaux et baies pour un régime équilibré.",
            ),
            (
                "РґРѕСЂРѕРіРµ Р\u{98}Р·-РїРѕРґ #С„СѓС‚Р±РѕР»",
                "дороге Из-под #футбол",
            ),
            ("LiĂ¨ge Avenue de l'HĂ´pital", "Liège Avenue de l'Hôpital"),
            ("─îe┼ítina", "Čeština"),
            // Twice misread.
            (
                "The Mona Lisa doesnÃƒÂ¢Ã¢â€šÂ¬Ã¢â€žÂ¢t have eyebrows.",
                "The Mona Lisa doesn’t have eyebrows.",
            ),
            // Emoji written as CESU-8, then misread.
            ("emojis! \u{ed}\u{a0}\u{bd}\u{ed}\u{b8}\u{80}", "emojis! 😀"),
        ] {
            assert_eq!(run(bad), good, "{bad:?}");
        }
    }

    #[test]
    fn a_space_that_was_a_no_break_space() {
        assert_eq!(
            run("Ã perturber la rÃ©flexion des thÃ©ologiens jusqu'Ã nos jours"),
            "à perturber la réflexion des théologiens jusqu'à nos jours"
        );
        assert_eq!(
            run("com especial atenÃ§Ã£o Ã s crianÃ§as"),
            "com especial atenção às crianças"
        );
    }

    #[test]
    fn a_no_break_space_trimmed_off_the_end_of_a_line() {
        // Twice misread, then trimmed: what scraped pages of one news site carry on blank lines.
        assert_eq!(fix_encoding("Ã\u{82}Â"), "\u{a0}");
        assert_eq!(fix_encoding("cafÃ© Â"), "café \u{a0}");
    }

    #[test]
    fn mojibake_inside_correct_text() {
        assert_eq!(
            run("Café déjà vu, cafÃ© dÃ©jÃ\u{a0} vu"),
            "Café déjà vu, café déjà vu"
        );
    }

    #[test]
    fn each_repair_is_its_own_small_patch() {
        let line = format!("cafÃ© {} rÃ©sumÃ©", "plain words ".repeat(50));
        let patches = mojibake(&line);
        assert!(patches.len() >= 2, "{patches:?}");
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
            "Vou à praia amanhã. Ânimo, disse ele. Mâine e o zi frumoasă în România.",
            "C O N C L U S Ã O",
            "Bremer/Mccoy – DrÃ¥ber",
            "Oborzos, per. Vahbarz, frataraká§ 141",
            "AHÅ™, the new sofa from IKEA",
            "(-1/2)! = √π",
        ] {
            assert_eq!(run(s), s, "changed correct text {s:?}");
        }
    }
}
