//! `utf16_run`: a stretch of UTF-16 text pasted into an 8-bit document (a copy from a Windows
//! tool, a field of a binary format) shows as letters with a NUL byte between each. Read as UTF-16
//! its ASCII characters are the letters alone, so the run is decoded by dropping its NULs. Stray
//! NULs outside such runs are left to `control_chars`.

use crate::patch::Patch;

/// Shortest run taken for UTF-16: three characters (six bytes, alternating). Shorter alternations
/// are as likely to be two stray NULs.
const MIN_BYTES: usize = 6;

pub fn utf16_runs(line: &str) -> Vec<Patch> {
    let bytes = line.as_bytes();
    if memchr::memchr(0, bytes).is_none() {
        return Vec::new();
    }
    let mut patches = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // A run alternates NUL and a printable ASCII byte, starting on either.
        let mut end = i;
        while end < bytes.len() && alternates(bytes, i, end) {
            end += 1;
        }
        if end - i >= MIN_BYTES && bytes[i..end].contains(&0) {
            // Every byte in the run is ASCII, so its ends are char boundaries (i <= end <= len).
            let decoded: String = bytes[i..end]
                .iter()
                .filter(|&&b| b != 0)
                .map(|&b| b as char)
                .collect();
            patches.push(Patch::new(i..end, decoded));
            i = end;
        } else {
            i += 1;
        }
    }
    patches
}

/// Whether byte `at` continues a run that began at `start`: NULs and printable ASCII alternate.
fn alternates(bytes: &[u8], start: usize, at: usize) -> bool {
    let printable = |b: u8| (0x20..0x7f).contains(&b);
    // start <= at < bytes.len(): the caller's loop checks `at`.
    let nul_first = bytes[start] == 0;
    let expect_nul = (at - start).is_multiple_of(2) == nul_first;
    if expect_nul {
        bytes[at] == 0
    } else {
        printable(bytes[at])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16le(s: &str) -> String {
        s.chars().flat_map(|c| [c, '\0']).collect()
    }

    #[test]
    fn decodes_an_embedded_run_either_way_round() {
        let line = format!("Prose. {}and more prose.", utf16le("Hello world "));
        assert_eq!(
            crate::patch::rewrite(utf16_runs, &line),
            "Prose. Hello world and more prose."
        );
        let big_endian: String = "Hi there".chars().flat_map(|c| ['\0', c]).collect();
        assert_eq!(
            crate::patch::rewrite(utf16_runs, &format!("x {big_endian} y")),
            "x Hi there y"
        );
    }

    #[test]
    fn leaves_stray_nuls_and_clean_text() {
        assert!(utf16_runs("a stray\0 NUL").is_empty());
        assert!(utf16_runs("a\0b").is_empty());
        assert!(utf16_runs("no NUL at all").is_empty());
        assert!(
            utf16_runs("caf\u{e9}\0\u{e9}\0\u{e9}\0").is_empty(),
            "only ASCII runs are decoded"
        );
    }
}
