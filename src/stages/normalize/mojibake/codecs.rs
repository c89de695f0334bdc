//! The single-byte encodings that UTF-8 gets misread as, and the UTF-8 decoder that reads the bytes
//! back.
//!
//! Mojibake is UTF-8 bytes decoded with a single-byte table. Undoing it means encoding the text back
//! through the same table and decoding the bytes as UTF-8. The tables are those of the WHATWG
//! Encoding Standard (through `encoding_rs`), made "sloppy" as ftfy's are: a byte the table leaves
//! undefined decodes to the Latin-1 character of the same number (that is what a program that
//! misread it most likely produced), and in the Windows tables byte 0x1A stands for U+FFFD, the mark
//! a lossy decoder left where a byte was lost. Code page 437 is not in the Encoding Standard; its
//! table is IBM's, as published by the Unicode Consortium (`MAPPINGS/VENDORS/MICSFT/PC/CP437.TXT`).

use std::sync::LazyLock;

/// One single-byte encoding: what each byte 0x80..=0xFF decodes to, and the way back.
pub struct Codec {
    pub name: &'static str,
    /// Sloppy Windows tables: 0x1A stands for U+FFFD, and lost bytes may be repaired.
    pub sloppy: bool,
    high: [char; 128],
    /// The byte of each character below U+0100 (0: not in the table), the common case, looked up
    /// directly.
    back_low: [u8; 256],
    /// (character, byte) for the other characters of bytes 0x80..=0xFF, and U+FFFD's 0x1A in
    /// sloppy tables; sorted.
    back: Vec<(char, u8)>,
}

impl Codec {
    fn new(name: &'static str, sloppy: bool, high: [char; 128]) -> Codec {
        let mut back: Vec<(char, u8)> = high
            .iter()
            .enumerate()
            .map(|(i, &c)| (c, 0x80 + i as u8))
            .collect();
        if sloppy {
            back.push(('\u{fffd}', 0x1a));
        }
        back.sort_unstable();
        // Two bytes never decode to one character in these tables; should one ever, the lower
        // byte wins, deterministically.
        back.dedup_by_key(|(c, _)| *c);
        let mut back_low = [0u8; 256];
        for &(c, b) in &back {
            if (c as u32) < 0x100 {
                back_low[c as usize] = b;
            }
        }
        back.retain(|&(c, _)| c as u32 >= 0x100);
        Codec {
            name,
            sloppy,
            high,
            back_low,
            back,
        }
    }

    /// The byte this character comes from, if the table has it. ASCII is itself, except 0x1A in a
    /// sloppy table, which stands for U+FFFD and so cannot be written as itself.
    fn byte(&self, c: char) -> Option<u8> {
        if c.is_ascii() {
            return (!(self.sloppy && c == '\u{1a}')).then_some(c as u8);
        }
        if (c as u32) < 0x100 {
            let b = self.back_low[c as usize];
            return (b != 0).then_some(b);
        }
        self.back
            .binary_search_by_key(&c, |&(k, _)| k)
            .ok()
            .map(|i| self.back[i].1)
    }

    /// The text as the bytes it was decoded from, if every character is in the table.
    pub fn encode(&self, text: &str) -> Option<Vec<u8>> {
        text.chars().map(|c| self.byte(c)).collect()
    }

    /// What a byte decodes to.
    pub fn decode_byte(&self, b: u8) -> char {
        match b {
            0x1a if self.sloppy => '\u{fffd}',
            0..=0x7f => b as char,
            _ => self.high[(b - 0x80) as usize],
        }
    }
}

/// The upper half of a WHATWG single-byte table, undefined bytes read as Latin-1.
fn whatwg(encoding: &'static encoding_rs::Encoding) -> [char; 128] {
    let mut high = ['\0'; 128];
    for (i, slot) in high.iter_mut().enumerate() {
        let byte = [0x80 + i as u8];
        let (decoded, _) = encoding.decode_without_bom_handling(&byte);
        *slot = decoded
            .chars()
            .next()
            .filter(|&c| c != '\u{fffd}')
            .unwrap_or(char::from(byte[0]));
    }
    high
}

fn latin1() -> [char; 128] {
    std::array::from_fn(|i| char::from(0x80 + i as u8))
}

fn table(chars: &str) -> [char; 128] {
    let v: Vec<char> = chars.chars().collect();
    v.try_into()
        .expect("a code page's upper half has 128 characters")
}

const CP437_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";

/// The tables tried, in order: the commonest misreadings first, so that text two tables could
/// both explain is read back through the likelier one (ftfy's order).
pub static CODECS: LazyLock<Vec<Codec>> = LazyLock::new(|| {
    use encoding_rs as e;
    vec![
        Codec::new("latin-1", false, latin1()),
        Codec::new("windows-1252", true, whatwg(e::WINDOWS_1252)),
        Codec::new("windows-1251", true, whatwg(e::WINDOWS_1251)),
        Codec::new("windows-1250", true, whatwg(e::WINDOWS_1250)),
        Codec::new("windows-1253", true, whatwg(e::WINDOWS_1253)),
        Codec::new("windows-1254", true, whatwg(e::WINDOWS_1254)),
        Codec::new("windows-1257", true, whatwg(e::WINDOWS_1257)),
        Codec::new("iso-8859-2", false, whatwg(e::ISO_8859_2)),
        Codec::new("macroman", false, whatwg(e::MACINTOSH)),
        Codec::new("cp437", false, table(CP437_HIGH)),
    ]
});

/// The tables whose upper halves are Latin-script letters and punctuation: their misreadings of
/// UTF-8 lead and continuation bytes are what an embedded run of mojibake is made of.
pub fn latin_like() -> impl Iterator<Item = &'static Codec> {
    CODECS.iter().filter(|c| {
        matches!(
            c.name,
            "latin-1"
                | "windows-1252"
                | "windows-1250"
                | "windows-1251"
                | "windows-1253"
                | "windows-1254"
                | "windows-1257"
        )
    })
}

/// Decode bytes as UTF-8, also accepting the two variants that real mojibake carries: CESU-8
/// (a character beyond U+FFFF written as two encoded surrogates, as Java and old MySQL wrote
/// emoji) and Java's `C0 80` for U+0000. Anything else that is not UTF-8 fails.
pub fn decode_utf8_variants(bytes: &[u8]) -> Option<String> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Some(s.to_string());
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let rest = &bytes[i..];
        if let [0xed, hi @ 0xa0..=0xaf, c1 @ 0x80..=0xbf, 0xed, lo @ 0xb0..=0xbf, c2 @ 0x80..=0xbf, ..] =
            *rest
        {
            let high = 0xd800 + (((hi & 0x0f) as u32) << 6) + (c1 & 0x3f) as u32;
            let low = 0xdc00 + (((lo & 0x0f) as u32) << 6) + (c2 & 0x3f) as u32;
            let c = char::from_u32(0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00))?;
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            i += 6;
        } else if let [0xc0, 0x80, ..] = *rest {
            out.push(0);
            i += 2;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codec(name: &str) -> &'static Codec {
        CODECS.iter().find(|c| c.name == name).unwrap()
    }

    #[test]
    fn tables_read_bytes_as_their_encodings_do() {
        assert_eq!(codec("windows-1252").decode_byte(0x92), '’');
        assert_eq!(codec("windows-1252").decode_byte(0x81), '\u{81}');
        assert_eq!(codec("windows-1251").decode_byte(0xd0), 'Р');
        assert_eq!(codec("windows-1250").decode_byte(0xc3), 'Ă');
        assert_eq!(codec("macroman").decode_byte(0xe2), '‚');
        assert_eq!(codec("cp437").decode_byte(0x82), 'é');
        assert_eq!(codec("cp437").decode_byte(0xff), '\u{a0}');
        // Undefined in Windows-1253: read as Latin-1.
        assert_eq!(codec("windows-1253").decode_byte(0xaa), 'ª');
        assert_eq!(codec("windows-1252").decode_byte(0x1a), '\u{fffd}');
        assert_eq!(codec("latin-1").decode_byte(0x1a), '\u{1a}');
    }

    #[test]
    fn every_table_round_trips() {
        for c in CODECS.iter() {
            for b in 0x80..=0xffu8 {
                let ch = c.decode_byte(b);
                assert_eq!(
                    c.encode(&ch.to_string()),
                    Some(vec![b]),
                    "{} {b:#x}",
                    c.name
                );
            }
        }
    }

    #[test]
    fn utf8_variants() {
        assert_eq!(decode_utf8_variants("café".as_bytes()).unwrap(), "café");
        // U+1F600 as CESU-8.
        assert_eq!(
            decode_utf8_variants(&[0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]).unwrap(),
            "😀"
        );
        assert_eq!(decode_utf8_variants(&[b'a', 0xc0, 0x80]).unwrap(), "a\0");
        assert_eq!(decode_utf8_variants(&[0xc3, 0x28]), None);
        assert_eq!(decode_utf8_variants(&[0xed, 0xa0, 0xbd]), None);
    }
}
