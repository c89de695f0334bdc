//! Arbitrary bytes as a text file: `charset::decode` must take any bytes, give text or say it
//! is binary.

use thresh::read::charset;

pub fn run(data: &[u8]) {
    match charset::decode(data) {
        Ok(decoded) => {
            assert!(!decoded.charset.is_empty());
            if let Ok(text) = std::str::from_utf8(data) {
                if !text.starts_with('\u{feff}') && decoded.charset == "UTF-8" {
                    assert_eq!(decoded.text, text, "valid UTF-8 is read as it is");
                }
            }
        }
        Err(not_text) => assert!(!not_text.0.is_empty()),
    }
}
