//! Turning a file's bytes into text: UTF-8 (BOM removed), UTF-16 with a BOM, or a legacy charset
//! detected with chardetng; binary files are recognised and refused.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The charset the bytes were read as (`UTF-8`, `UTF-16LE`, `windows-1252`, ...).
    pub charset: &'static str,
    /// Set when some bytes could not be decoded and were replaced with U+FFFD.
    pub warning: Option<String>,
}

/// Why a file is not text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotText(pub String);

/// How much of the start of a file is sniffed for binary content.
const SNIFF: usize = 8192;

pub fn decode(bytes: &[u8]) -> Result<Decoded, NotText> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(Decoded {
            text: text.into_owned(),
            charset: enc.name(),
            warning: had_errors
                .then(|| format!("invalid {} sequences replaced with U+FFFD", enc.name())),
        });
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return Ok(Decoded {
            text: text.into_owned(),
            charset: enc.name(),
            warning: None,
        });
    }
    if let Some(reason) = binary(bytes) {
        return Err(NotText(reason));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: text.to_string(),
            charset: "UTF-8",
            warning: None,
        }),
        Err(first) => Ok(decode_non_utf8(bytes, first.valid_up_to())),
    }
}

/// [`decode`] of bytes the caller gives up: UTF-8 (the common case) becomes the text in place,
/// with no copy, which for a huge document is its size in memory saved.
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<Decoded, NotText> {
    let bom = bytes.starts_with(b"\xef\xbb\xbf");
    if !bom && (Encoding::for_bom(&bytes).is_some() || utf16_without_bom(&bytes).is_some()) {
        return decode(&bytes);
    }
    if bom {
        bytes.drain(..3);
    } else if let Some(reason) = binary(&bytes) {
        return Err(NotText(reason));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text,
            charset: "UTF-8",
            warning: None,
        }),
        // After a UTF-8 BOM the text is UTF-8, its damage replaced, as `decode` has it.
        Err(e) if bom => {
            let (text, _) = encoding_rs::UTF_8.decode_without_bom_handling(e.as_bytes());
            Ok(Decoded {
                text: text.into_owned(),
                charset: "UTF-8",
                warning: Some("invalid UTF-8 sequences replaced with U+FFFD".into()),
            })
        }
        Err(e) => {
            let first = e.utf8_error().valid_up_to();
            Ok(decode_non_utf8(e.as_bytes(), first))
        }
    }
}

/// How much of a page's start is searched for its `<meta charset>`, as browsers' prescan does.
const META_PRESCAN: usize = 1024;

/// [`decode_owned`] of an HTML page's bytes, its charset found as a browser finds it: the BOM,
/// then the charset its `<meta>` declares, then detection. A declaration that the bytes belie is
/// not followed: a page that declares a legacy charset but is valid UTF-8 with non-ASCII text in
/// it is UTF-8 (real pages are mis-declared that way; legacy text is almost never valid UTF-8
/// by chance), and one that declares UTF-8 but is not is detected.
pub fn decode_html(bytes: Vec<u8>) -> Result<Decoded, NotText> {
    if Encoding::for_bom(&bytes).is_some() {
        return decode_owned(bytes);
    }
    let declared = declared_charset(&bytes[..bytes.len().min(META_PRESCAN)])
        .filter(|enc| *enc != encoding_rs::UTF_8 && *enc != UTF_16LE && *enc != UTF_16BE);
    match declared {
        Some(enc) if std::str::from_utf8(&bytes).is_err() => {
            if let Some(reason) = binary(&bytes) {
                return Err(NotText(reason));
            }
            let (text, _, had_errors) = enc.decode(&bytes);
            Ok(Decoded {
                text: text.into_owned(),
                charset: enc.name(),
                warning: had_errors
                    .then(|| format!("bytes invalid in {} replaced with U+FFFD", enc.name())),
            })
        }
        _ => decode_owned(bytes),
    }
}

/// The charset a page's start declares: `<meta charset="...">` or `<meta http-equiv=
/// "Content-Type" content="text/html; charset=...">`, when it names one encoding_rs knows.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    static META: std::sync::LazyLock<regex::bytes::Regex> = std::sync::LazyLock::new(|| {
        regex::bytes::Regex::new(r#"(?i-u)<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#)
            .expect("a valid pattern")
    });
    let label = META.captures(head)?.get(1)?.as_bytes();
    Encoding::for_label(label)
}

/// Bytes that are not valid UTF-8: either UTF-8 with a few damaged sequences (kept as UTF-8, the
/// damage replaced and reported) or text in a legacy charset, which chardetng identifies.
fn decode_non_utf8(bytes: &[u8], first_error: usize) -> Decoded {
    let (mut valid_multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    if valid_multibyte > invalid {
        return Decoded {
            text: String::from_utf8_lossy(bytes).into_owned(),
            charset: "UTF-8",
            warning: Some(format!(
                "invalid UTF-8 at byte {first_error}: {invalid} sequence(s) replaced with U+FFFD"
            )),
        };
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    // UTF-8 was ruled out above; allowing it here could only re-propose it.
    let enc = detector.guess(None, Utf8Detection::Deny);
    let (text, _, had_errors) = enc.decode(bytes);
    Decoded {
        text: text.into_owned(),
        charset: enc.name(),
        warning: had_errors
            .then(|| format!("bytes invalid in {} replaced with U+FFFD", enc.name())),
    }
}

/// UTF-16 without a BOM shows as ASCII letters alternating with NULs.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(SNIFF) & !1];
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let even_nul = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_nul = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_nul * 10 >= pairs * 9 && even_nul * 10 < pairs {
        Some(UTF_16LE)
    } else if even_nul * 10 >= pairs * 9 && odd_nul * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Known signatures of files that are never text, with the offset they stand at.
const SIGNATURES: &[(&[u8], usize, &str)] = &[
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image"),
    (b"\xff\xd8\xff", 0, "JPEG image"),
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"II*\0", 0, "TIFF image"),
    (b"MM\0*", 0, "TIFF image"),
    (b"\0\0\x01\0", 0, "icon"),
    (b"RIFF", 0, "RIFF media (WebP, WAV, AVI)"),
    (b"ftyp", 4, "MP4/QuickTime media"),
    (b"OggS", 0, "Ogg media"),
    (b"fLaC", 0, "FLAC audio"),
    (b"ID3", 0, "MP3 audio"),
    (b"\x1aE\xdf\xa3", 0, "Matroska/WebM media"),
    (b"%PDF-", 0, "PDF document"),
    (
        b"PK\x03\x04",
        0,
        "ZIP archive (or DOCX, XLSX, ODT, EPUB, JAR)",
    ),
    (b"PK\x05\x06", 0, "ZIP archive"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        0,
        "OLE document (DOC, XLS, PPT, MSG)",
    ),
    (b"\x1f\x8b", 0, "gzip archive"),
    (b"\x28\xb5\x2f\xfd", 0, "zstd archive"),
    (b"BZh", 0, "bzip2 archive"),
    (b"\xfd7zXZ\0", 0, "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7z archive"),
    (b"Rar!\x1a\x07", 0, "RAR archive"),
    (b"ustar", 257, "tar archive"),
    (b"\x7fELF", 0, "ELF executable"),
    (b"\xcf\xfa\xed\xfe", 0, "Mach-O executable"),
    (b"\xce\xfa\xed\xfe", 0, "Mach-O executable"),
    (b"\xca\xfe\xba\xbe", 0, "Mach-O or Java class file"),
    (b"\0asm", 0, "WebAssembly module"),
    (b"SQLite format 3\0", 0, "SQLite database"),
    (b"wOFF", 0, "WOFF font"),
    (b"wOF2", 0, "WOFF2 font"),
];

/// A file is binary when it is: it starts with a known binary signature, or its start is mostly
/// not text. Stray NULs and short UTF-16 runs in otherwise good text do not make it binary (they
/// are text damage, which normalize removes and records); runs of NULs and other control bytes
/// in quantity do. Text of any charset has next to no C0 control bytes, while compressed or
/// encoded data has about one byte in nine of them.
fn binary(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(SNIFF)];
    for &(magic, at, what) in SIGNATURES {
        if head.get(at..at + magic.len()) == Some(magic) {
            return Some(format!("binary file ({what})"));
        }
    }
    // "MZ" opens a Windows executable, but also words: it counts only with the PE header's NULs.
    if head.starts_with(b"MZ") && head.iter().take(64).filter(|&&b| b == 0).count() > 8 {
        return Some("binary file (Windows executable)".into());
    }
    // A file is sampled at its start, middle and end: a fragment of a binary file can open with
    // text (the XMP metadata of a PDF, say). It is binary when most of the samples are not text.
    let windows: Vec<&[u8]> = if bytes.len() > 3 * SNIFF {
        let mid = bytes.len() / 2 - SNIFF / 2;
        vec![
            head,
            &bytes[mid..mid + SNIFF],
            &bytes[bytes.len() - SNIFF..],
        ]
    } else {
        vec![head]
    };
    let non_text = windows.iter().filter(|w| mostly_non_text(w)).count();
    (non_text * 2 > windows.len()).then(|| "binary file (mostly non-text bytes)".to_string())
}

/// Whether more than one byte in twenty of `window` is not text: far above text's few stray
/// bytes, below random data's one in nine.
fn mostly_non_text(window: &[u8]) -> bool {
    // Text almost never holds a control byte at all: one pass with no branch per byte (which the
    // compiler vectorizes) settles it, and only a window with one is looked at closely.
    let suspect =
        |b: u8| (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b)) | (b == 0x7f);
    if !window
        .chunks(64)
        .any(|block| block.iter().fold(false, |seen, &b| seen | suspect(b)))
    {
        return false;
    }
    let text_byte = |b: u8| b >= 0x20 || matches!(b, b'\n' | b'\r' | b'\t');
    let non_text = window
        .iter()
        .enumerate()
        .filter(|&(i, &b)| match b {
            // A NUL between two text bytes is a stray NUL or a UTF-16 code unit of an ASCII
            // character; runs of NULs are not text.
            0 => {
                !(i > 0
                    && i + 1 < window.len()
                    && text_byte(window[i - 1])
                    && text_byte(window[i + 1]))
            }
            b'\n' | b'\r' | b'\t' | 0x0c | 0x1b => false,
            b => b < 0x20 || b == 0x7f,
        })
        .count();
    non_text * 20 > window.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("café".as_bytes()).unwrap().text, "café");
        let d = decode(b"\xef\xbb\xbfhello").unwrap();
        assert_eq!((d.text.as_str(), d.charset), ("hello", "UTF-8"));
    }

    #[test]
    fn utf16_with_bom_and_without() {
        let mut le = vec![0xff, 0xfe];
        le.extend("héllo wörld".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le).unwrap().text, "héllo wörld");
        let be: Vec<u8> = "plain ascii text here"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        let d = decode(&be).unwrap();
        assert_eq!(
            (d.text.as_str(), d.charset),
            ("plain ascii text here", "UTF-16BE")
        );
    }

    #[test]
    fn owned_bytes_decode_as_borrowed_ones_do() {
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend(
            "h\u{e9}llo w\u{f6}rld"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        let (latin1, _, _) = encoding_rs::WINDOWS_1252
            .encode("Le caf\u{e9} \u{e9}tait tr\u{e8}s fr\u{e9}quent\u{e9} \u{e0} l'\u{e9}poque.");
        let cases: [&[u8]; 9] = [
            b"plain",
            b"\xef\xbb\xbfwith a BOM",
            b"\xef\xbb\xbfBOM then bad \xff byte",
            b"caf\xc3\xa9 \xff",
            b"na\xc3\xafve caf\xc3\xa9 r\xc3\xa9sum\xc3\xa9 \xff x",
            &utf16,
            &latin1,
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            b"",
        ];
        for bytes in cases {
            assert_eq!(decode_owned(bytes.to_vec()), decode(bytes), "{bytes:?}");
        }
    }

    #[test]
    fn legacy_charsets_are_detected() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252
            .encode("Le café était très fréquenté à l'époque où nous étions étudiants.");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.charset, "windows-1252");
        assert!(d.text.contains("café était très"));
        let (bytes, _, _) = encoding_rs::WINDOWS_1251
            .encode("Привет, как дела? Это обычный русский текст для проверки кодировки.");
        assert!(decode(&bytes).unwrap().text.starts_with("Привет"));
    }

    #[test]
    fn damaged_utf8_is_kept_with_a_warning() {
        let mut bytes = "naïve café résumé ".as_bytes().to_vec();
        let bad_at = bytes.len();
        bytes.extend([0xff, b'x']);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.charset, "UTF-8");
        assert!(d.text.starts_with("naïve café") && d.text.contains('\u{FFFD}'));
        assert!(d.warning.unwrap().contains(&format!("byte {bad_at}")));
    }

    #[test]
    fn a_page_is_read_in_the_charset_it_declares_unless_its_bytes_belie_it() {
        let page = |meta: &str, body: &str, enc: &'static Encoding| {
            let page = format!("<html><head>{meta}</head><body>{body}</body></html>");
            let (bytes, _, _) = enc.encode(&page);
            decode_html(bytes.into_owned()).unwrap()
        };
        // Declared, and so it is: windows-1251 text that detection alone could take for another.
        let russian = page(
            "<meta charset=\"windows-1251\">",
            "Привет",
            encoding_rs::WINDOWS_1251,
        );
        assert_eq!(russian.charset, "windows-1251");
        assert!(russian.text.contains("Привет"));
        let greek = page(
            "<meta http-equiv='Content-Type' content='text/html; charset=ISO-8859-7'>",
            "Καλημέρα",
            encoding_rs::ISO_8859_7,
        );
        assert_eq!(greek.charset, "ISO-8859-7");
        assert!(greek.text.contains("Καλημέρα"));
        // Declared Latin-1 but written in UTF-8: UTF-8, as the bytes say.
        let misdeclared = page(
            "<meta charset=iso-8859-1>",
            "Café Zürich",
            encoding_rs::UTF_8,
        );
        assert_eq!(misdeclared.charset, "UTF-8");
        assert!(misdeclared.text.contains("Café Zürich"));
        // Declared UTF-8 but in windows-1252: detected.
        let wrong = page(
            "<meta charset=utf-8>",
            "Caf\u{e9} cr\u{e8}me br\u{fb}l\u{e9}e \u{e0} la fran\u{e7}aise",
            encoding_rs::WINDOWS_1252,
        );
        assert!(wrong.text.contains("Café crème brûlée"), "{}", wrong.text);
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").is_err());
        assert!(decode(&[1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]).is_err());
        assert_eq!(
            decode(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
                .unwrap_err()
                .0,
            "binary file (PDF document)"
        );
        assert!(decode(b"PK\x03\x04\x14\0\x06\0word/document.xml")
            .unwrap_err()
            .0
            .contains("ZIP"));
        // Pseudo-random bytes, as compressed data looks: about one byte in nine is a control byte.
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect();
        assert_eq!(
            decode(&noise).unwrap_err().0,
            "binary file (mostly non-text bytes)"
        );
        // A binary file whose first kilobytes are text (a PDF's tail opens with its XMP metadata).
        let mut fragment = b"<x:xmpmeta>\n<rdf:RDF>  </rdf:RDF>\n</x:xmpmeta>\n".repeat(400);
        fragment.extend(noise.iter().cycle().take(40_000));
        assert_eq!(
            decode(&fragment).unwrap_err().0,
            "binary file (mostly non-text bytes)"
        );
        // Text with a little binary at its end is text.
        let mut text = "A plain sentence of prose, written to be read. "
            .repeat(800)
            .into_bytes();
        text.extend(&noise[..2000]);
        assert!(decode(&text).is_ok());
        let mut padded = b"text".to_vec();
        padded.extend([0u8; 64]);
        assert!(decode(&padded).is_err(), "a run of NULs is not text");
    }

    #[test]
    fn stray_nuls_and_utf16_runs_are_text() {
        let d = decode(b"Good text with a stray\0 NUL byte in a sentence.").unwrap();
        assert_eq!(d.text, "Good text with a stray\0 NUL byte in a sentence.");
        let mut bytes = b"Prose before the fragment. ".to_vec();
        bytes.extend(
            "an embedded UTF-16 run"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        bytes.extend(b" and prose after it, which goes on for a while longer than the run.");
        assert!(decode(&bytes).unwrap().text.starts_with("Prose before"));
        // Words that merely start like a signature are text.
        assert!(decode(b"MZ was the monogram of Mark Zbikowski.").is_ok());
        assert!(decode(b"BM and ID are initials.").is_ok());
    }
}
