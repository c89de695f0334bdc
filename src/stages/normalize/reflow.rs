//! Line structure: line endings, blank lines, and lines that PDF extraction, page breaks or hard
//! wrapping split in the middle of a sentence.
//!
//! Joining is where normalization can do real damage (gluing a heading to its paragraph), so each
//! join needs positive evidence: the first line stops mid-sentence and the next one visibly carries
//! on (a lowercase word), or the whole block is wrapped at a fixed width. Headings, list items and
//! lines inside code fences are never joined.

use super::lists::parse_item;
use crate::document::Line;
use crate::lexicon;
use crate::stages::stage::Recorder;

/// Characters that break a line besides `\n`: a lone CR, Unicode line and paragraph separators,
/// vertical tab and form feed (a PDF page break). Not NEL (U+0085): in scraped text it is the
/// Windows-1252 byte of "…" read as Latin-1, which `c1_controls` restores.
const EXTRA_BREAKS: &[char] = &['\r', '\u{2028}', '\u{2029}', '\u{0B}', '\u{0C}'];

/// CRLF becomes LF (one edit per document, with its count); other line breaks split the line.
pub fn line_endings(lines: &mut Vec<Line>, rec: &mut Recorder) {
    if !rec.is_on("line_endings") {
        return;
    }
    let mut crlf = 0u32;
    let mut first_crlf = 0;
    let mut out = Vec::with_capacity(lines.len());
    for mut line in lines.drain(..) {
        if line.text.ends_with('\r') {
            line.text.pop();
            if crlf == 0 {
                first_crlf = line.origin;
            }
            crlf += 1;
        }
        // CR, VT and FF are ASCII; the Unicode breaks start with byte 0xC2 or 0xE2.
        let candidate = |b: u8| matches!(b, b'\r' | 0x0b | 0x0c | 0xc2 | 0xe2);
        if !crate::text::any_byte(line.text.as_bytes(), candidate)
            || !line.text.contains(EXTRA_BREAKS)
        {
            out.push(line);
            continue;
        }
        let mut rest = line.text.as_str();
        while let Some(at) = rest.find(EXTRA_BREAKS) {
            // A break char starts at `at` (found by `find`): a boundary, with a char after it.
            let brk = rest[at..].chars().next().unwrap();
            out.push(Line::new(&rest[..at], line.origin));
            rec.record("line_endings", brk.to_string(), "\n", line.origin);
            rest = &rest[at + brk.len_utf8()..];
        }
        out.push(Line::new(rest, line.origin));
    }
    if crlf > 0 {
        rec.record_many("line_endings", "\r\n", "\n", first_crlf, crlf);
    }
    *lines = out;
}

/// Which lines are code, whose layout is content: inside a fenced block
/// ([`crate::text::fenced_blocks`]), or an indented block (four spaces or a tab) that starts
/// after a blank line. Indented list items are not code.
pub fn fenced(lines: &[Line]) -> Vec<bool> {
    let fences = crate::text::fenced_blocks(lines.iter().map(|l| l.text.as_str()));
    let mut prev_blank_or_code = true;
    lines
        .iter()
        .zip(fences)
        .map(|(l, (mut code, is_fence))| {
            let indented = l.text.starts_with("    ") || l.text.starts_with('\t');
            if !code
                && indented
                && prev_blank_or_code
                && !l.text.trim().is_empty()
                && !is_item(&l.text)
            {
                code = true;
            }
            prev_blank_or_code = l.text.trim().is_empty() || (code && !is_fence);
            code
        })
        .collect()
}

/// A Markdown link reference definition (`[label]: https://...`): a line of its own, never part
/// of a wrapped paragraph.
fn is_link_definition(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('[')
        && t.find("]:")
            .is_some_and(|i| i > 1 && t[i + 2..].chars().next().is_none_or(char::is_whitespace))
}

/// What a line is to the rules: prose, a table row, or code; ordered by how much is left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LineKind {
    Prose,
    Table,
    Code,
}

/// Each line's kind: code (see [`fenced`]) and front matter (see [`front_matter`]) before table
/// rows (see [`table_rows`]).
pub fn line_kinds(lines: &[Line]) -> Vec<LineKind> {
    let front = front_matter(lines);
    fenced(lines)
        .into_iter()
        .zip(table_rows(lines))
        .enumerate()
        .map(|(i, (code, table))| match (code || i < front, table) {
            (true, _) => LineKind::Code,
            (false, true) => LineKind::Table,
            _ => LineKind::Prose,
        })
        .collect()
}

/// How many lines at the top of the document are front matter: a `---` (YAML) or `+++` (TOML)
/// line first, `key: value` or `key = value` next, up to the same delimiter (or YAML's `...`)
/// within a hundred lines. Metadata, not prose: its lines are kept as they are, like code.
pub fn front_matter(lines: &[Line]) -> usize {
    const MAX_LINES: usize = 100;
    let Some(first) = lines.first().map(|l| l.text.trim_end()) else {
        return 0;
    };
    if first != "---" && first != "+++" {
        return 0;
    }
    let keyed = lines.get(1).is_some_and(|l| {
        let t = l.text.as_str();
        let key_end = t
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(t.len());
        key_end > 0 && t[key_end..].trim_start().starts_with([':', '='])
    });
    if !keyed {
        return 0;
    }
    lines
        .iter()
        .enumerate()
        .skip(1)
        .take(MAX_LINES)
        .find(|(_, l)| {
            let t = l.text.trim_end();
            t == first || (first == "---" && t == "...")
        })
        .map_or(0, |(i, _)| i + 1)
}

/// Lines whose layout is content and that no prose rule joins, splits, re-marks or removes: code
/// and table rows.
pub fn verbatim(lines: &[Line]) -> Vec<bool> {
    line_kinds(lines)
        .into_iter()
        .map(|k| k != LineKind::Prose)
        .collect()
}

/// Table rows: Markdown rows with a pipe at both ends (`| a | b |`), rows of three or more cells
/// split by tabs (tabs before or after the text are indentation, not cells), and the rows of a block
/// holding a Markdown delimiter row (`--- | :---:`), which may leave out the outer pipes.
pub fn table_rows(lines: &[Line]) -> Vec<bool> {
    let mut rows: Vec<bool> = lines
        .iter()
        .map(|l| {
            let t = l.text.trim();
            (t.len() > 1 && t.starts_with('|') && t.ends_with('|'))
                || t.split('\t').filter(|cell| !cell.trim().is_empty()).count() >= 3
        })
        .collect();
    for (i, l) in lines.iter().enumerate() {
        if !is_delimiter_row(&l.text) {
            continue;
        }
        // The header above it, and the rows below it up to the first line without a pipe.
        let mut start = i;
        if i > 0 && lines[i - 1].text.contains('|') {
            start = i - 1;
        }
        let mut end = i;
        while end + 1 < lines.len() && lines[end + 1].text.contains('|') {
            end += 1;
        }
        rows[start..=end].iter_mut().for_each(|r| *r = true);
    }
    rows
}

/// `|---|:--:|`, `--- | ---`: cells of dashes with optional alignment colons, at least one pipe.
fn is_delimiter_row(text: &str) -> bool {
    let t = text.trim().trim_start_matches('|').trim_end_matches('|');
    text.contains('|')
        && t.split('|').all(|cell| {
            let c = cell.trim().trim_start_matches(':').trim_end_matches(':');
            c.len() >= 3 && c.chars().all(|x| x == '-')
        })
}

/// No blank lines at the start or end, and never more than one in a row.
pub fn blank_lines(lines: &mut Vec<Line>, rec: &mut Recorder) {
    if !rec.is_on("blank_lines") {
        return;
    }
    let fence = fenced(lines);
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut run: Vec<Line> = Vec::new();
    for (line, in_fence) in lines.drain(..).zip(fence) {
        if line.text.is_empty() && !in_fence {
            run.push(line);
            continue;
        }
        if !run.is_empty() {
            let keep = if out.is_empty() { 0 } else { 1 };
            if run.len() > keep {
                // run is not empty (checked just above).
                rec.record(
                    "blank_lines",
                    "\n".repeat(run.len() + 1),
                    "\n".repeat(keep + 1),
                    run[0].origin,
                );
            }
            out.extend(run.drain(..).take(keep));
        }
        out.push(line);
    }
    if !run.is_empty() && !out.is_empty() {
        rec.record("blank_lines", "\n".repeat(run.len()), "", run[0].origin);
    }
    *lines = out;
}

/// Does the line end a sentence (or a clause that a list or quote follows)?
fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end();
    let mut rev = t.chars().rev();
    match rev.next() {
        Some('.' | '!' | '?' | ':' | ';' | '…') => true,
        Some('"' | '\'' | '”' | '’' | ')' | ']' | '»') => {
            matches!(rev.next(), Some('.' | '!' | '?' | '…'))
        }
        _ => false,
    }
}

/// Does the line start with a word written in lowercase (not `iPhone`, not a number)?
fn starts_lowercase_word(text: &str) -> bool {
    let word = text.split(' ').next().unwrap_or("");
    word.chars().next().is_some_and(|c| c.is_lowercase()) && !word.chars().any(|c| c.is_uppercase())
}

/// Title-like: most longer words capitalized, or all in capitals.
fn heading_like(text: &str) -> bool {
    if ends_sentence(text) {
        return false;
    }
    let words: Vec<&str> = text
        .split_whitespace()
        .filter(|w| w.chars().count() >= 4)
        .collect();
    if words.is_empty() {
        return true;
    }
    let capital = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    capital * 10 >= words.len() * 7
}

fn is_item(text: &str) -> bool {
    parse_item(text).is_some()
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// Lines hard-wrapped at a fixed width (e-mail, plain-text exports, PDF columns) are joined back
/// into paragraphs. A block qualifies only when it has several lines near one width (40 to 120
/// characters) and at least half of its line breaks fall mid-sentence.
pub fn hard_wrap(lines: &mut Vec<Line>, rec: &mut Recorder) {
    if !rec.is_on("hard_wrap") {
        return;
    }
    // fence, verse and joins hold one entry per line; `end + 1` is checked against lines.len().
    let fence = verbatim(lines);
    let verse = verse_lines(lines);
    let mut joins = vec![false; lines.len()];
    let mut start = 0;
    while start < lines.len() {
        let in_block = |i: usize| {
            !lines[i].text.is_empty()
                && !fence[i]
                && !verse[i]
                && !is_item(&lines[i].text)
                && !is_link_definition(&lines[i].text)
        };
        if !in_block(start) {
            start += 1;
            continue;
        }
        // A block quote's lines are a block of their own, and only with lines of the same
        // depth: joining never puts a `>` inside a line, nor a quote into the text around it.
        let marker = quote_marker(&lines[start].text);
        let mut end = start;
        while end + 1 < lines.len()
            && in_block(end + 1)
            && quote_marker(&lines[end + 1].text) == marker
        {
            end += 1;
        }
        mark_wrapped_block(&lines[start..=end], &mut joins[start..=end]);
        start = end + 1;
    }
    join_marked(lines, &joins, "hard_wrap", rec);
}

/// Longest line a hard-wrapped paragraph has; longer lines are not wrapped text.
const MAX_WRAP_WIDTH: usize = 120;

fn mark_wrapped_block(block: &[Line], joins: &mut [bool]) {
    if block.len() < 3 {
        return;
    }
    let lens: Vec<usize> = block.iter().map(|l| chars(&l.text)).collect();
    // The wrap width: the longest line that could be wrapped text. Lines past the limit (a long
    // link, a template's copyright line) say nothing about it and take no part below.
    let body = &lens[..lens.len() - 1]; // block.len() >= 3
    let width = body
        .iter()
        .copied()
        .filter(|&n| n <= MAX_WRAP_WIDTH)
        .max()
        .unwrap_or(0);
    if width < 40 {
        return;
    }
    let long: Vec<bool> = body
        .iter()
        .map(|&n| n <= MAX_WRAP_WIDTH && n * 4 >= width * 3)
        .collect();
    // The evidence comes from the wrapped stretch only, from its first long line to its last:
    // short lines around it (a heading, a menu line of the page's template) neither dilute nor
    // add to it, so the same paragraph is joined the same way whatever lines the page puts next
    // to it.
    let (Some(first), Some(last)) = (long.iter().position(|&x| x), long.iter().rposition(|&x| x))
    else {
        return;
    };
    let stretch = first..=last;
    let n_lines = last - first + 1;
    let n_long = long[stretch.clone()].iter().filter(|&&x| x).count();
    let mid_sentence = stretch
        .clone()
        .filter(|&i| long[i] && !ends_sentence(&block[i].text))
        .count();
    if n_long < 2 || n_long * 5 < n_lines * 3 || mid_sentence * 2 < n_long {
        return;
    }
    // i + 1 < block.len(): i <= last < body.len() = block.len() - 1.
    for i in stretch {
        let (a, b) = (&block[i].text, &block[i + 1].text);
        let b_starts_upper = b.chars().next().is_some_and(|c| !c.is_lowercase());
        if long[i] && !a.trim_end().ends_with(':') && !(heading_like(a) && b_starts_upper) {
            joins[i] = true;
        }
    }
}

/// The block-quote marker a line starts with (`> `, `>> `, `> > `), or `""`.
fn quote_marker(text: &str) -> &str {
    let end = text.bytes().take_while(|&b| b == b'>' || b == b' ').count();
    let marker = &text[..end];
    if marker.contains('>') {
        marker
    } else {
        ""
    }
}

/// Join each line marked in `joins` with the next one, with a space.
fn join_marked(lines: &mut Vec<Line>, joins: &[bool], rule: &'static str, rec: &mut Recorder) {
    if !joins.contains(&true) {
        return;
    }
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut glue_next = false;
    for (line, join) in lines.drain(..).zip(joins) {
        if glue_next {
            // Not empty: glue_next is only set after a line went into `out`.
            let prev = out.last_mut().unwrap();
            // A quoted line joins the quote it continues without its own marker.
            let marker = quote_marker(&prev.text);
            let next = line.text.strip_prefix(marker).unwrap_or(&line.text);
            join_into(prev, next, 0, 0, " ", rule, rec);
        } else {
            out.push(line);
        }
        glue_next = *join;
    }
    *lines = out;
}

/// Append `next` to `prev` with `glue`, first dropping `cut` bytes from the end of `prev` (a
/// hyphen), and record the seam (`blanks` blank lines stood between them).
fn join_into(
    prev: &mut Line,
    next: &str,
    blanks: usize,
    cut: usize,
    glue: &str,
    rule: &'static str,
    rec: &mut Recorder,
) {
    // Char boundaries: tail_start follows an ASCII space (or is 0), head_end is at one (or the
    // end); `cut` is 0, or 1 for the ASCII `-` hyphen_join found ending `prev`, and tail_start
    // comes before that hyphen (its word has two letters before it).
    let tail_start = tail_boundary(&prev.text);
    let kept_end = prev.text.len() - cut;
    let head_end = head_boundary(next);
    let before = format!(
        "{}{}{}",
        &prev.text[tail_start..],
        "\n".repeat(blanks + 1),
        &next[..head_end]
    );
    let after = format!(
        "{}{}{}",
        &prev.text[tail_start..kept_end],
        glue,
        &next[..head_end]
    );
    rec.record(rule, before, after, prev.origin);
    prev.text.truncate(kept_end);
    prev.text.push_str(glue);
    prev.text.push_str(next);
}

/// Start of the last word of a line (context for a join edit).
fn tail_boundary(text: &str) -> usize {
    text.trim_end().rfind(' ').map_or(0, |i| i + 1)
}

/// End of the first word of a line.
fn head_boundary(text: &str) -> usize {
    text.find(' ').unwrap_or(text.len())
}

/// Join lines split mid-sentence, within a paragraph or across a page or paragraph break, and
/// undo end-of-line hyphenation when the joined form is a word.
pub fn broken_lines(lines: &mut Vec<Line>, rec: &mut Recorder) {
    let (hyphenation, broken_line) = (rec.is_on("hyphenation"), rec.is_on("broken_line"));
    if !(hyphenation || broken_line) || lowercase_style(lines) {
        // Chat logs and all-lowercase writing start sentences in lowercase: no evidence there.
        return;
    }
    // Code and verse lines are never joined; the flag travels with each kept line.
    let fixed: Vec<bool> = verbatim(lines)
        .into_iter()
        .zip(verse_lines(lines))
        .map(|(f, v)| f || v)
        .collect();
    let mut out: Vec<Line> = Vec::with_capacity(lines.len());
    let mut out_fenced: Vec<bool> = Vec::with_capacity(lines.len());
    let mut blanks = 0usize;
    for (line, in_fence) in lines.drain(..).zip(fixed) {
        if line.text.is_empty() && !in_fence {
            blanks += 1;
            out.push(line);
            out_fenced.push(false);
            continue;
        }
        // The last non-blank line kept so far.
        let prev = out.len().checked_sub(blanks + 1);
        // p < out.len() == out_fenced.len() (checked_sub above).
        let joinable = prev.is_some_and(|p| !out_fenced[p]) && !in_fence && blanks <= 1;
        if joinable {
            let p = prev.unwrap(); // joinable implies Some
            let a = &out[p].text;
            let b = &line.text;
            let across = blanks > 0;
            if let Some(glue) = hyphen_join(a, b).filter(|_| hyphenation) {
                let glue = if glue { "-" } else { "" };
                join_into(&mut out[p], b, blanks, 1, glue, "hyphenation", rec);
                out.truncate(p + 1);
                out_fenced.truncate(p + 1);
                blanks = 0;
                continue;
            }
            if broken_line && continues(a, b, across) {
                join_into(&mut out[p], b, blanks, 0, " ", "broken_line", rec);
                out.truncate(p + 1);
                out_fenced.truncate(p + 1);
                blanks = 0;
                continue;
            }
        }
        blanks = 0;
        out.push(line);
        out_fenced.push(in_fence);
    }
    *lines = out;
}

/// Verse, addresses, marker-less lists: blocks of three or more lines, all short. Their line
/// breaks are meant, even mid-sentence, so no join touches them. Decided before any join, on whole
/// blocks: joins only lengthen lines and merge them, so a second pass sees the same verse blocks.
fn verse_lines(lines: &[Line]) -> Vec<bool> {
    const SHORT: usize = 50;
    // start < lines.len() and end + 1 < lines.len() are checked before each use.
    let mut verse = vec![false; lines.len()];
    let mut start = 0;
    while start < lines.len() {
        if lines[start].text.is_empty() {
            start += 1;
            continue;
        }
        let mut end = start;
        while end + 1 < lines.len() && !lines[end + 1].text.is_empty() {
            end += 1;
        }
        // A title or a menu line of the page's template above or below the lines is not part of
        // them: the verdict is the same with or without it.
        let (mut first, mut last) = (start, end);
        while first < last && heading_like(&lines[first].text) {
            first += 1;
        }
        while last > first && heading_like(&lines[last].text) {
            last -= 1;
        }
        if last - first >= 2 && lines[first..=last].iter().all(|l| chars(&l.text) < SHORT) {
            verse[first..=last].iter_mut().for_each(|v| *v = true);
        }
        start = end + 1;
    }
    verse
}

/// Does `b` carry on the sentence that `a` leaves unfinished?
fn continues(a: &str, b: &str, across_blank: bool) -> bool {
    // A line without a letter or digit (a bare `•` or `- ·`) is not an unfinished sentence.
    let wordless = !a.chars().any(char::is_alphanumeric);
    if wordless
        || ends_sentence(a)
        || a.trim_end().ends_with([':', '-', '—', '–'])
        || is_item(b)
        || !starts_lowercase_word(b)
    {
        return false;
    }
    // Across a blank line the first line must look like body text, not a title: long and not
    // title-cased, or ending on a word that cannot end a sentence or a heading.
    !across_blank || ends_with_function_word(a) || (chars(a) >= 50 && !heading_like(a))
}

/// English words that leave a sentence unfinished when they end a line.
const DANGLING: &[&str] = &[
    "a", "an", "the", "and", "or", "nor", "but", "of", "to", "in", "on", "at", "by", "for", "from",
    "with", "into", "about", "than", "as", "that", "which", "whose", "is", "are", "was", "were",
    "be", "been", "their", "its", "his", "her", "our", "your", "my", "this", "these", "those",
];

fn ends_with_function_word(text: &str) -> bool {
    text.rsplit(' ')
        .next()
        .is_some_and(|w| DANGLING.contains(&w.to_lowercase().as_str()))
}

/// For `treat-` / `ment`: `Some(false)` to join without the hyphen (the result is a word),
/// `Some(true)` to keep it (`well-` / `known`), `None` when this is not end-of-line hyphenation.
fn hyphen_join(a: &str, b: &str) -> Option<bool> {
    let stem_with_hyphen = a.rsplit(' ').next()?;
    let stem = stem_with_hyphen.strip_suffix('-')?;
    if stem.chars().count() < 2
        || !stem.chars().all(char::is_alphabetic)
        || !starts_lowercase_word(b)
        || is_item(b)
    {
        return None;
    }
    let rest: String = b.chars().take_while(|c| c.is_alphabetic()).collect();
    if rest.is_empty() {
        return None;
    }
    let joined = lexicon::zipf(&format!("{stem}{rest}")).unwrap_or(0.0);
    let rest_is_word = lexicon::zipf(&rest).unwrap_or(0.0) >= 3.0;
    let stem_is_word = lexicon::zipf(stem).unwrap_or(0.0) >= 3.0;
    // A compound of two common words keeps its hyphen unless the closed form is common itself.
    let drop_hyphen = joined >= 3.0 || (joined >= 2.0 && !(rest_is_word && stem_is_word));
    Some(!drop_hyphen)
}

/// Text whose sentences often begin in lowercase: line starts are no evidence of a broken line.
fn lowercase_style(lines: &[Line]) -> bool {
    let mut after_end = 0;
    let mut lower_after_end = 0;
    let mut prev_ended = true;
    for l in lines
        .iter()
        .filter(|l| !l.text.is_empty() && !is_item(&l.text))
    {
        if prev_ended && chars(&l.text) >= 20 {
            after_end += 1;
            if starts_lowercase_word(&l.text) {
                lower_after_end += 1;
            }
        }
        prev_ended = ends_sentence(&l.text);
    }
    // Four lines at least: three quoted names in a page ("fitzgen > ...") are no style, and with
    // fewer the verdict on a whole document flips on one line of its template.
    after_end >= 4 && lower_after_end >= 4 && lower_after_end * 10 >= after_end * 3
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<Line> {
        text.split('\n')
            .enumerate()
            .map(|(i, l)| Line::new(l, i as u32 + 1))
            .collect()
    }

    fn run(
        f: fn(&mut Vec<Line>, &mut Recorder),
        text: &str,
    ) -> (String, Vec<crate::document::Edit>) {
        let mut ls = lines(text);
        let mut rec = Recorder::new("t", "normalize");
        f(&mut ls, &mut rec);
        (
            ls.iter()
                .map(|l| l.text.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            rec.edits,
        )
    }

    #[test]
    fn quoted_lines_join_their_quote_without_their_markers() {
        let quote = "> The compiler checks every borrow before the program runs, so a whole\n> class of memory errors never reaches production, and the checks cost\n> nothing at run time because they happen while the program is compiled.";
        let text = format!("Intro line that is long enough to look like a wrapped paragraph here,\nand it goes on for a while before it ends with a full stop.\n{quote}\nAfter the quote the text goes on in a paragraph of its own that is long,\nand wrapped like the first one was before the quote began here.");
        let (out, _) = run(hard_wrap, &text);
        for line in out.lines() {
            // A marker only ever starts a line.
            assert!(!line[1..].contains(" > "), "{line:?} in {out}");
        }
        assert!(out.contains("> The compiler checks every borrow before the program runs, so a whole class of memory errors"), "{out}");
        assert!(
            !out.contains("full stop. >") && !out.contains("compiled. After"),
            "{out}"
        );
    }

    #[test]
    fn line_endings_are_unified_with_one_counted_edit() {
        let (out, edits) = run(line_endings, "a\r\nb\r\nc\u{c}d");
        assert_eq!(out, "a\nb\nc\nd");
        assert_eq!(edits.len(), 2);
        assert_eq!(edits.iter().find(|e| e.before == "\r\n").unwrap().count, 2);
    }

    #[test]
    fn blank_runs_collapse_and_ends_are_trimmed() {
        let (out, _) = run(blank_lines, "\n\na\n\n\n\nb\n\n");
        assert_eq!(out, "a\n\nb");
    }

    #[test]
    fn joins_a_sentence_split_by_a_page_break() {
        let text = "Diagnosis involves identifying recurrent panic attacks along with persistent concern about more attacks or their\n\nconsequences. Symptoms may include:";
        let (out, edits) = run(broken_lines, text);
        assert_eq!(out, "Diagnosis involves identifying recurrent panic attacks along with persistent concern about more attacks or their consequences. Symptoms may include:");
        assert_eq!(edits[0].rule, "broken_line");
        assert_eq!(edits[0].before, "their\n\nconsequences.");
        assert_eq!(edits[0].line, 1);
    }

    #[test]
    fn never_glues_headings_titles_or_items() {
        for text in [
            "ketamine therapy for panic disorder\n\nketamine therapy for panic disorder has emerged as an option.",
            "Symptoms and Diagnosis\nDiagnosing panic disorder involves care.",
            "Symptoms may include:\n- rapid heartbeat\n- sweating",
            "The list\n- one item",
            "Introduction\n\nthe study began in 2019 and ran for years.",
            "Frequently Asked Questions\n\nwhat people ask most",
        ] {
            assert_eq!(run(broken_lines, text).0, text);
        }
    }

    #[test]
    fn joins_a_short_line_that_ends_on_a_function_word() {
        let (out, _) = run(
            broken_lines,
            "What is this therapy and how does it work for\n\npanic disorder?",
        );
        assert_eq!(
            out,
            "What is this therapy and how does it work for panic disorder?"
        );
    }

    #[test]
    fn dehyphenates_only_into_words() {
        let (out, _) = run(broken_lines, "The patients began treat-\nment in May.");
        assert_eq!(out, "The patients began treatment in May.");
        let (out, _) = run(broken_lines, "It is a well-\nknown effect.");
        assert_eq!(out, "It is a well-known effect.");
        let (out, _) = run(broken_lines, "The anti-\nNMDA effect.");
        assert_eq!(out, "The anti-\nNMDA effect.");
    }

    #[test]
    fn reflows_hard_wrapped_paragraphs_but_not_line_per_paragraph_text() {
        let wrapped = "This book presents ketamine as a promising alternative for people who have not\nresponded to conventional panic disorder treatments. It discusses neurobiological\ntheories behind panic attacks and how ketamine modulates brain pathways.\nThe text also reviews clinical trial results and future directions.";
        let (out, _) = run(hard_wrap, wrapped);
        assert_eq!(out.lines().count(), 1);
        assert!(out.contains("pathways. The text"));
        let per_line = "Refractory anxiety resists standard treatment.\nIt affects many people with anxiety disorders.\nKetamine has shown promise in recent trials.\nMore research is needed.";
        assert_eq!(run(hard_wrap, per_line).0, per_line);
        let with_heading = "Understanding Refractory Anxiety In Adults Today\nRefractory anxiety is a term often used but not always fully grasped by the\npublic, and these disorders defy conventional treatment methods in many\ncases seen in clinics.";
        assert!(run(hard_wrap, with_heading)
            .0
            .starts_with("Understanding Refractory Anxiety In Adults Today\n"));
    }

    #[test]
    fn verse_keeps_its_line_breaks() {
        let verse = "The boats come in\non a tide of copper light,\nand gulls lean\nover the tired water\nas if listening.";
        assert_eq!(run(broken_lines, verse).0, verse);
        assert_eq!(run(hard_wrap, verse).0, verse);
    }

    #[test]
    fn lowercase_style_text_is_left_alone() {
        let text = "are you still at the office now?\nyes i am still here for now.\nok then i will come by later\nsure thing, see you around six.\nwhat time works best for you\nmaybe around noon would be good.\nfine by me, noon it is then";
        assert_eq!(run(broken_lines, text).0, text);
    }

    #[test]
    fn front_matter_is_kept_as_it_is() {
        let text = "---\ntitle: \"Hello world\"\ndate: 2024-01-02\ntags: [rust, text]\n---\n\n# Hello\n\nSome text here.";
        assert_eq!(front_matter(&lines(text)), 5);
        assert_eq!(front_matter(&lines("+++\ntitle = \"x\"\n+++\nText.")), 3);
        // A rule line above prose is no front matter, nor is one never closed.
        assert_eq!(front_matter(&lines("---\nSome words here.\n---")), 0);
        assert_eq!(front_matter(&lines("---\ntitle: x\nText goes on.")), 0);
    }
}
