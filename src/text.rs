//! Text helpers every part of thresh shares: splitting lines, counting words, folding a line
//! for comparison and the key a line is counted and looked up by (corpus statistics, boilerplate,
//! dedup). Nothing here knows about documents, stages or files.

/// The lines of `text`, as `text.split('\n')` gives them, found with the `memchr` crate's
/// vectorized search: lines are short, and the standard library's search costs more per call.
#[inline]
pub fn split_lines(text: &str) -> impl Iterator<Item = &str> + Clone {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .chain(std::iter::once(text.len()))
        .map(move |end| {
            // Both bounds are at a `\n` (ASCII), just after one, or at the text's ends.
            let line = &text[start..end];
            start = end + 1;
            line
        })
}

/// Whether any byte of `text` satisfies `pred`. Every byte of a 64-byte block is tested without
/// stopping early, which the compiler vectorizes: several times faster than `Iterator::any` for
/// the per-line checks that let a rule pass over a line, where the answer is nearly always no.
#[inline]
pub fn any_byte(text: &[u8], pred: impl Fn(u8) -> bool) -> bool {
    text.chunks(64)
        .any(|block| block.iter().fold(false, |seen, &b| seen | pred(b)))
}

/// Whether some character of `text` starting with one of the `leads` bytes is accepted by
/// `accept`, which sees the bytes from that lead on. A per-line test for rules whose targets are a
/// few multi-byte characters that share lead bytes with common ones (curly quotes, accented
/// letters): only the lead positions are looked at, never a decoded character.
#[inline]
pub fn any_encoded(text: &[u8], leads: &[u8], accept: impl Fn(&[u8]) -> bool) -> bool {
    let mut is_lead = [false; 256];
    for &b in leads {
        is_lead[b as usize] = true;
    }
    if !any_byte(text, |b| is_lead[b as usize]) {
        return false;
    }
    text.iter()
        .enumerate()
        .any(|(i, &b)| is_lead[b as usize] && accept(&text[i..]))
}

/// `text.split_whitespace().count()`, counted for an ASCII text as the bytes that start a word:
/// a sum over every byte with no branch, which the compiler vectorizes (the standard library's
/// splitter decodes and tests a character at a time).
#[inline]
pub fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    // ASCII whitespace as `char::is_whitespace` has it: tab to carriage return, and space.
    let space = |b: u8| u8::from(b == b' ' || (b'\t'..=b'\r').contains(&b));
    let bytes = text.as_bytes();
    let first = bytes.first().map_or(0, |&b| usize::from(space(b) == 0));
    // windows(2): w[0] and w[1] exist.
    let starts = bytes
        .windows(2)
        .map(|w| usize::from(space(w[0]) & (1 - space(w[1]))))
        .sum::<usize>();
    first + starts
}

/// The key of a line: its folded form (case, digits, spacing and list markers ignored) hashed,
/// with the ASCII letters of that form.
#[inline]
pub fn line_key(line: &str) -> Option<(u64, u32)> {
    let body = line.trim().trim_start_matches(|c: char| {
        matches!(c, '-' | '*' | '+' | '•' | '·' | '◦' | '▪' | '>') || c.is_whitespace()
    });
    fold_key(body)
}

/// A line folded for comparison: lowercase, single spaces, no edge punctuation, and years (1900 to
/// 2099) as `0000`, so "© 2024 X" and "© 2025 X" are one line while "Part 2" and "Part 3" are not.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// `fold`, appended to a buffer the caller reuses.
pub fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        let mut buf = std::mem::take(out).into_bytes();
        fold_ascii_bytes(text.as_bytes(), &mut buf);
        // `buf` was a String, and only ASCII bytes were appended to it.
        *out = String::from_utf8(buf).expect("ASCII in, ASCII out");
    } else {
        fold_chars_into(text, out);
    }
}

/// A hash of `fold(text)`, or `None` when it folds to nothing. The corpus pass and dedup look up
/// every line of the corpus by it: the folded form goes to a reused buffer, never to a string.
pub fn fold_hash(text: &str) -> Option<u64> {
    fold_key(text).map(|(hash, _)| hash)
}

/// [`fold_hash`] and the number of ASCII letters in `fold(text)`. Folding keeps every ASCII
/// letter of an ASCII text, so for such a text that number is [`ascii_letters`] of the text
/// itself: a lookup can rule out most keys without folding.
pub fn fold_key(text: &str) -> Option<(u64, u32)> {
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUF.with_borrow_mut(|buf| {
        buf.clear();
        if text.is_ascii() {
            fold_ascii_bytes(text.as_bytes(), buf);
        } else {
            let mut folded = String::new();
            fold_chars_into(text, &mut folded);
            buf.extend_from_slice(folded.as_bytes());
        }
        (!buf.is_empty()).then(|| (xxhash_rust::xxh3::xxh3_64(buf), ascii_letters(buf)))
    })
}

/// The number of ASCII letters in `bytes`. Counted in bytes, 255 at a time, which the compiler
/// vectorizes at full width.
#[inline]
pub fn ascii_letters(bytes: &[u8]) -> u32 {
    let letter = |b: u8| u8::from((b | 0x20).wrapping_sub(b'a') < 26);
    bytes
        .chunks(255)
        .map(|chunk| u32::from(chunk.iter().fold(0u8, |n, &b| n + letter(b))))
        .sum()
}

/// `fold_chars_into` for ASCII text, appended to `out`: nearly every line is ASCII, and the
/// corpus pass and dedup fold every line of the corpus. A regular line (single spaces only) is
/// copied and lowercased in bulk, then its words are checked for years; any other is folded a
/// byte at a time, each word's year rewritten in place when it ends (`0000` is as long as a year).
fn fold_ascii_bytes(text: &[u8], out: &mut Vec<u8>) {
    // Unicode whitespace within ASCII: `split_whitespace` also splits on vertical tab.
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r');
    let (Some(start), Some(end)) = (
        text.iter().position(u8::is_ascii_alphanumeric),
        text.iter().rposition(u8::is_ascii_alphanumeric),
    ) else {
        return;
    };
    // start <= end (first and last alphanumeric byte of one slice): `src` is not empty, so
    // `src[1..]` below is in range; `from` was out.len(), so `out[from..]` is what was appended.
    let src = &text[start..=end];
    let from = out.len();
    // Most lines are regular: no whitespace but single spaces. Those are copied and lowercased
    // in bulk; then, if they hold digits, their words are checked for years. The tests look at
    // every byte without stopping early, so that they vectorize (whitespace other than the space
    // is below 0x20; `src` ends on a letter or digit, so its last byte needs no successor).
    let irregular = src.iter().zip(&src[1..]).fold(false, |seen, (&b, &next)| {
        seen | (b < b' ') | (b == b' ' && next == b' ')
    });
    if !irregular {
        out.extend_from_slice(src);
        out[from..].make_ascii_lowercase();
        if crate::text::any_byte(src, |b| b.is_ascii_digit()) {
            for word in out[from..].split_mut(|&b| b == b' ') {
                let digits = word.iter().filter(|b| b.is_ascii_digit()).count();
                zero_year(word, digits);
            }
        }
        return;
    }
    // The folded text is never longer than `text[start..=end]`: written by index into that much
    // room, then cut to length (each byte written follows the byte read for it, and a space stands
    // for at least one whitespace byte, so j never passes the bytes read). The range starts and
    // ends on a letter or digit.
    out.resize(from + src.len(), 0);
    let dst = &mut out[from..];
    let (mut j, mut word, mut digits, mut after_space) = (0, 0, 0, false);
    for &b in src {
        if space(b) {
            after_space = true;
            continue;
        }
        if after_space {
            zero_year(&mut dst[word..j], digits);
            dst[j] = b' ';
            j += 1;
            word = j;
            digits = 0;
            after_space = false;
        }
        digits += usize::from(b.is_ascii_digit());
        dst[j] = b.to_ascii_lowercase();
        j += 1;
    }
    zero_year(&mut dst[word..j], digits);
    out.truncate(from + j);
}

/// Rewrites a word whose core is a year (1900 to 2099) as `0000`, keeping its edge punctuation.
fn zero_year(word: &mut [u8], digits: usize) {
    if digits != 4 {
        return;
    }
    let (Some(lo), Some(hi)) = (
        word.iter().position(u8::is_ascii_alphanumeric),
        word.iter().rposition(u8::is_ascii_alphanumeric),
    ) else {
        return;
    };
    // lo <= hi: first and last alphanumeric byte of `word`.
    let core = &mut word[lo..=hi];
    if core.len() == 4 && (core.starts_with(b"19") || core.starts_with(b"20")) {
        core.copy_from_slice(b"0000");
    }
}

fn fold_chars_into(text: &str, out: &mut String) {
    let t = text.trim_matches(|c: char| !c.is_alphanumeric());
    for (i, word) in t.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let core = word.trim_matches(|c: char| !c.is_alphanumeric());
        let year = core.len() == 4
            && (core.starts_with("19") || core.starts_with("20"))
            && core.bytes().all(|b| b.is_ascii_digit());
        if year {
            out.push_str(&word.replace(core, "0000"));
        } else if word.is_ascii() {
            let start = out.len();
            out.push_str(word);
            // start was out.len() before the push: a char boundary.
            out[start..].make_ascii_lowercase();
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
}

/// Words in a line, counted as runs between spaces: normalized lines hold single ASCII spaces, and
/// counting bytes is many times faster than splitting on Unicode whitespace, on every line.
#[inline]
pub fn words(text: &str) -> usize {
    let t = text.trim();
    if t.is_empty() {
        0
    } else {
        t.bytes().filter(|&b| b == b' ' || b == b'\t').count() + 1
    }
}

/// The byte ranges of a line's inline code spans (`` `code` ``, ```` ``co`de`` ````), backticks
/// included: text there is mentioned, not written. A run of backticks opens a span that the next
/// run of the same length closes; an unclosed run is plain text, as in Markdown.
pub fn code_spans(line: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = line.as_bytes();
    let run_at = |i: usize| bytes[i..].iter().take_while(|&&b| b == b'`').count();
    let mut spans = Vec::new();
    let mut i = 0;
    while let Some(offset) = memchr::memchr(b'`', &bytes[i..]) {
        let start = i + offset;
        let n = run_at(start);
        let mut j = start + n;
        let mut closed = None;
        while let Some(o) = memchr::memchr(b'`', &bytes[j..]) {
            let k = j + o;
            let m = run_at(k);
            if m == n {
                closed = Some(k + m);
                break;
            }
            j = k + m;
        }
        match closed {
            Some(end) => {
                spans.push(start..end);
                i = end;
            }
            None => i = start + n,
        }
    }
    spans
}

/// For each line, whether it is in a fenced code block (three or more backticks or tildes, closed
/// by a fence of the same character at least as long, as CommonMark has it; fences included), and
/// whether it is a fence itself. Text there is shown, not written.
pub fn fenced_blocks<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<(bool, bool)> {
    let mut open: Option<(char, usize)> = None;
    lines
        .map(|l| {
            let inner = unquoted(l);
            let fence = fence_of(inner);
            let code = open.is_some() || fence.is_some();
            match (open, fence) {
                (None, Some(f)) => open = Some(f),
                // A closing fence: the same character, at least as long, and nothing after it.
                (Some((c, n)), Some((fc, fnn)))
                    if fc == c && fnn >= n && inner.trim().chars().all(|x| x == c) =>
                {
                    open = None
                }
                _ => {}
            }
            (code, fence.is_some())
        })
        .collect()
}

/// The text inside a line's block-quote markers (`> > text` → `text`): a quoted code block is
/// fenced like any other.
fn unquoted(text: &str) -> &str {
    let mut t = text;
    loop {
        let rest = t.trim_start_matches(' ');
        if t.len() - rest.len() > 3 {
            return t;
        }
        match rest.strip_prefix('>') {
            Some(r) => t = r.strip_prefix(' ').unwrap_or(r),
            None => return t,
        }
    }
}

/// A code fence's character and length: up to three spaces, then three or more backticks or
/// tildes (an info string may follow).
fn fence_of(text: &str) -> Option<(char, usize)> {
    let t = text.trim_start_matches(' ');
    if text.len() - t.len() > 3 {
        return None;
    }
    let c = t.chars().next().filter(|&c| c == '`' || c == '~')?;
    let n = t.chars().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

/// Lines of program text, where `--`, spacing and doubled words mean something else.
pub fn looks_like_code(line: &str) -> bool {
    let t = line.trim();
    t.contains('`')
        || t.ends_with(';')
        || t.ends_with('{')
        || t.starts_with('}')
        || t.starts_with('$')
        || t.starts_with("//")
        || t.contains("==")
        || t.contains("=>")
        || t.contains("->")
        || t.contains("::")
        || t.contains("();")
        || t.contains("</")
        || t.contains("<!--")
}

/// Whether a line names a program identifier: snake_case, camelCase or a call.
#[inline]
pub fn has_identifier(line: &str) -> bool {
    line.split_whitespace().any(|w| {
        let b = w.as_bytes();
        w.contains("()")
            || b.windows(3).any(|t| t[0].is_ascii_alphanumeric() && t[1] == b'_' && t[2].is_ascii_alphanumeric())
            // b[0]: split_whitespace gives no empty word; t[..] within windows of 3 and 2.
            || b.windows(2).any(|t| t[0].is_ascii_lowercase() && t[1].is_ascii_uppercase()) && b[0].is_ascii_lowercase()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn code_spans_pair_runs_of_the_same_length() {
        fn spans(l: &str) -> Vec<&str> {
            code_spans(l).into_iter().map(|r| &l[r]).collect()
        }
        assert_eq!(spans("Use `a` and `b`."), ["`a`", "`b`"]);
        assert_eq!(spans("Use ``a`b`` here"), ["``a`b``"]);
        assert_eq!(spans("An unclosed ` tick"), Vec::<&str>::new());
        assert_eq!(spans("`a` then ` alone"), ["`a`"]);
    }

    proptest! {
        #[test]
        fn count_words_counts_as_split_whitespace(text in "([a-z.]{1,6}|[ \t\n\r\u{b}\u{c}]{1,3}|[\u{a0}\u{2003}é]){0,30}") {
            prop_assert_eq!(count_words(&text), text.split_whitespace().count());
        }
    }

    #[test]
    fn count_words_on_plain_lines() {
        assert_eq!(count_words("  The cat sat.  "), 3);
        assert_eq!(count_words("one"), 1);
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words(" \t "), 0);
        assert_eq!(
            count_words("a\u{a0}b c"),
            3,
            "a no-break space separates words too"
        );
    }
}

#[cfg(test)]
mod fold_properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The ASCII fast path folds exactly as the general one.
        #[test]
        fn ascii_fold_matches_the_general_fold(text in "[ -~\t\n\x0b\x0c\r]{0,60}|([ ,.()©-]{0,2}(19|20|21)[0-9]{2}[ ,.()-]{0,2}|[A-Za-z]{1,6}|[ \t]{1,2}){0,8}") {
            let (mut fast, mut general) = (b"x".to_vec(), String::from("x"));
            fold_ascii_bytes(text.as_bytes(), &mut fast);
            fold_chars_into(&text, &mut general);
            prop_assert_eq!(String::from_utf8(fast).unwrap(), general.clone());
            let folded = general.strip_prefix('x').unwrap();
            prop_assert_eq!(fold_hash(&text), (!folded.is_empty()).then(|| xxhash_rust::xxh3::xxh3_64(folded.as_bytes())));
        }
    }
}
