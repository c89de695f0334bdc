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
            warning: had_errors.then(|| format!("invalid {} sequences replaced with U+FFFD", enc.name())),
        });
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        return Ok(Decoded { text: text.into_owned(), charset: enc.name(), warning: None });
    }
    if let Some(reason) = binary(bytes) {
        return Err(NotText(reason));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded { text: text.to_string(), charset: "UTF-8", warning: None }),
        Err(first) => Ok(decode_non_utf8(bytes, first.valid_up_to())),
    }
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
        warning: had_errors.then(|| format!("bytes invalid in {} replaced with U+FFFD", enc.name())),
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

/// A file is binary when its start holds NUL bytes or is mostly control bytes.
fn binary(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(SNIFF)];
    if let Some(at) = memchr::memchr(0, head) {
        return Some(format!("binary file (NUL byte at offset {at})"));
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    (!head.is_empty() && controls * 10 > head.len()).then(|| "binary file (mostly control bytes)".to_string())
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
        let be: Vec<u8> = "plain ascii text here".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let d = decode(&be).unwrap();
        assert_eq!((d.text.as_str(), d.charset), ("plain ascii text here", "UTF-16BE"));
    }

    #[test]
    fn legacy_charsets_are_detected() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("Le café était très fréquenté à l'époque où nous étions étudiants.");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.charset, "windows-1252");
        assert!(d.text.contains("café était très"));
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode("Привет, как дела? Это обычный русский текст для проверки кодировки.");
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
    fn binary_is_refused() {
        assert!(decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").is_err());
        assert!(decode(&[1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]).is_err());
    }
}
