//! Applying small replacements to a line and describing them as readable edits.
//!
//! Rules that work inside a line say *where* they change it (a [`Patch`]: a byte range and its
//! replacement) instead of returning a new string, so that `edits.jsonl` can show each change with a
//! little context ("10\u{a0}kg" -> "10 kg") rather than the whole line, which may be megabytes long.

use std::ops::Range;

/// Replace `range` of a line (byte offsets, on char boundaries) with `with`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Patch {
    pub range: Range<usize>,
    pub with: String,
}

impl Patch {
    pub fn new(range: Range<usize>, with: impl Into<String>) -> Self {
        Patch {
            range,
            with: with.into(),
        }
    }
    pub fn delete(range: Range<usize>) -> Self {
        Patch {
            range,
            with: String::new(),
        }
    }
}

/// A change as it will be recorded: the text before and after, with context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub before: String,
    pub after: String,
}

/// How far (in bytes) context may reach on each side of a change.
const CONTEXT: usize = 24;

/// Apply patches to `line`. Returns the new line and one [`Change`] per group of patches whose
/// contexts touch. Patches that change nothing are ignored.
///
/// Rules give sorted, non-overlapping patches on char boundaries ([`well_formed`]); any other list
/// is still applied without panicking, see [`usable`].
pub fn apply(line: &str, patches: &[Patch]) -> (String, Vec<Change>) {
    // usable() keeps only patches in range and on char boundaries, sorted and not overlapping: every
    // slice of `line` below is between such bounds, or context bounds taken on char boundaries.
    let patches: Vec<&Patch> = usable(line, patches)
        .into_iter()
        .filter(|p| line[p.range.clone()] != *p.with)
        .collect();
    if patches.is_empty() {
        return (line.to_string(), Vec::new());
    }

    let mut out = String::with_capacity(line.len());
    let mut at = 0;
    for p in &patches {
        out.push_str(&line[at..p.range.start]);
        out.push_str(&p.with);
        at = p.range.end;
    }
    out.push_str(&line[at..]);

    // Group patches whose context windows overlap, then describe each group once.
    let mut changes = Vec::new();
    // i <= j < patches.len(); start <= the group's first patch, end >= its last patch's end.
    let mut i = 0;
    while i < patches.len() {
        let start = context_start(line, patches[i].range.start);
        let mut j = i;
        let mut end = context_end(line, patches[j].range.end);
        while j + 1 < patches.len() && context_start(line, patches[j + 1].range.start) <= end {
            j += 1;
            end = context_end(line, patches[j].range.end);
        }
        let mut after = String::new();
        let mut cursor = start;
        for p in &patches[i..=j] {
            after.push_str(&line[cursor..p.range.start]);
            after.push_str(&p.with);
            cursor = p.range.end;
        }
        after.push_str(&line[cursor..end]);
        changes.push(Change {
            before: line[start..end].to_string(),
            after,
        });
        i = j + 1;
    }
    (out, changes)
}

/// Whether `patches` are what [`apply`] expects of a rule: in range, on char boundaries, sorted and
/// not overlapping (an insertion, an empty range, may touch the patches on either side).
pub fn well_formed(line: &str, patches: &[Patch]) -> bool {
    patches.iter().all(|p| in_line(line, &p.range))
        && patches
            .windows(2)
            .all(|w| w[0].range.end <= w[1].range.start)
}

fn in_line(line: &str, range: &Range<usize>) -> bool {
    range.start <= range.end
        && range.end <= line.len()
        && line.is_char_boundary(range.start)
        && line.is_char_boundary(range.end)
}

/// The patches of `patches` that can be applied to `line`, sorted by where they start (an
/// insertion before a replacement that starts at the same place). A patch out of the line's range
/// or off its char boundaries is dropped, and so is one that overlaps a patch kept before it: two
/// rewrites of the same bytes cannot both be made, and applying part of one would leave text that
/// neither rule wrote (a sentence cut in half, a character split). Dropping keeps the line as the
/// other patch alone makes it, which is never more than a rule meant to change.
fn usable<'p>(line: &str, patches: &'p [Patch]) -> Vec<&'p Patch> {
    let mut sorted: Vec<&Patch> = patches.iter().filter(|p| in_line(line, &p.range)).collect();
    sorted.sort_by_key(|p| (p.range.start, p.range.end));
    let mut kept: Vec<&Patch> = Vec::with_capacity(sorted.len());
    for p in sorted {
        if kept
            .last()
            .is_none_or(|last| last.range.end <= p.range.start)
        {
            kept.push(p);
        }
    }
    kept
}

/// Start of the context before byte `pos`: back to the previous whitespace, at most [`CONTEXT`]
/// bytes, on a char boundary.
/// `pos` is a patch bound: on a char boundary.
fn context_start(line: &str, pos: usize) -> usize {
    let limit = pos.saturating_sub(CONTEXT);
    let mut start = pos;
    for (i, c) in line[..pos].char_indices().rev() {
        if i < limit || c.is_whitespace() {
            break;
        }
        start = i;
    }
    start
}

/// End of the context after byte `pos`: up to the next whitespace, at most [`CONTEXT`] bytes.
/// `pos` is a patch bound: on a char boundary.
fn context_end(line: &str, pos: usize) -> usize {
    let limit = pos + CONTEXT;
    let mut end = pos;
    for (i, c) in line[pos..].char_indices() {
        let i = pos + i;
        if i >= limit || c.is_whitespace() {
            break;
        }
        end = i + c.len_utf8();
    }
    end
}

/// One patch covering what differs between `before` and `after` (common prefix and suffix
/// trimmed), for rules that can only rewrite a whole line (an external fixer, say).
pub fn diff_patch(before: &str, after: &str) -> Option<Patch> {
    if before == after {
        return None;
    }
    let prefix = before
        .char_indices()
        .zip(after.chars())
        .find(|((_, a), b)| a != b)
        .map(|((i, _), _)| i)
        .unwrap_or(before.len().min(after.len()));
    // `prefix` ends a run of chars both texts share, so it is a boundary of both (the floor is
    // a guard); `suffix` is a sum of whole chars shared at both ends, at most what is left after
    // `prefix` in either text.
    let prefix = floor_boundary(after, prefix.min(after.len()));
    let max_suffix = (before.len() - prefix).min(after.len() - prefix);
    let suffix = before[prefix..]
        .chars()
        .rev()
        .zip(after[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>()
        .min(max_suffix);
    Some(Patch::new(
        prefix..before.len() - suffix,
        &after[prefix..after.len() - suffix],
    ))
}

/// The patches that turn `before` into `after`, one per changed stretch: a diff of the part that
/// differs, token by token (runs of spaces and runs of other characters), with changes joined when
/// nothing but unchanged word characters lies between them. For rules that compute a whole new
/// line, so that each change is still recorded as the few words it touched.
pub fn diff_patches(before: &str, after: &str) -> Vec<Patch> {
    let Some(whole) = diff_patch(before, after) else {
        return Vec::new();
    };
    let old = &before[whole.range.clone()];
    let new = whole.with.as_str();
    let (old_tokens, new_tokens) = (tokens(old), tokens(new));
    let old_at = |i: usize| old_tokens.get(i).map_or(old.len(), |r| r.start);
    let new_at = |i: usize| new_tokens.get(i).map_or(new.len(), |r| r.start);
    let old_word = |i: usize| &old[old_tokens[i].clone()];
    let new_word = |j: usize| &new[new_tokens[j].clone()];
    // Rules that rewrite a line change a few words in place, so a greedy walk finds the same
    // stretches a full diff would: past equal tokens, and at a difference, on to the nearest pair
    // of equal tokens a few tokens ahead on each side (none: the rest is one change).
    const LOOK_AHEAD: usize = 8;
    let mut patches: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old_tokens.len() && j < new_tokens.len() {
        if old_word(i) == new_word(j) {
            i += 1;
            j += 1;
            continue;
        }
        let resync = (2..=2 * LOOK_AHEAD)
            .flat_map(|sum| (0..=sum).map(move |di| (di, sum - di)))
            .filter(|&(di, dj)| di <= LOOK_AHEAD && dj <= LOOK_AHEAD)
            .find(|&(di, dj)| {
                i + di < old_tokens.len()
                    && j + dj < new_tokens.len()
                    && old_word(i + di) == new_word(j + dj)
            });
        let (ni, nj) = match resync {
            Some((di, dj)) => (i + di, j + dj),
            None => (old_tokens.len(), new_tokens.len()),
        };
        let (o, n) = (old_at(i)..old_at(ni), new_at(j)..new_at(nj));
        match patches.last_mut() {
            Some((po, pn)) if !old[po.end..o.start].contains(char::is_whitespace) => {
                po.end = o.end;
                pn.end = n.end;
            }
            _ => patches.push((o, n)),
        }
        (i, j) = (ni, nj);
    }
    if i < old_tokens.len() || j < new_tokens.len() {
        // What is left on one side only (diff_patch trimmed the common suffix, so this is rare).
        let (o, n) = (old_at(i)..old.len(), new_at(j)..new.len());
        match patches.last_mut() {
            Some((po, pn)) if po.end == o.start => {
                po.end = o.end;
                pn.end = n.end;
            }
            _ => patches.push((o, n)),
        }
    }
    let base = whole.range.start;
    patches
        .into_iter()
        .map(|(o, n)| Patch::new(base + o.start..base + o.end, &new[n]))
        .collect()
}

/// Byte ranges of the runs of whitespace and the runs of everything else, in order.
fn tokens(s: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut last_space = None;
    for (i, c) in s.char_indices() {
        let space = c.is_whitespace();
        match out.last_mut() {
            Some(r) if last_space == Some(space) => r.end = i + c.len_utf8(),
            _ => out.push(i..i + c.len_utf8()),
        }
        last_space = Some(space);
    }
    out
}

/// A line rule's result on `line`, for tests.
#[cfg(test)]
pub fn rewrite(rule: impl Fn(&str) -> Vec<Patch>, line: &str) -> String {
    apply(line, &rule(line)).0
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    // i <= s.len() (callers), and 0 is a boundary: `i -= 1` stops before it could underflow.
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applies_patches_and_shows_word_context() {
        let line = "weighs 10\u{a0}kg and costs 5\u{a0}EUR";
        let a = line.find('\u{a0}').unwrap();
        let b = line.rfind('\u{a0}').unwrap();
        let (out, changes) = apply(
            line,
            &[Patch::new(a..a + 2, " "), Patch::new(b..b + 2, " ")],
        );
        assert_eq!(out, "weighs 10 kg and costs 5 EUR");
        assert_eq!(changes.len(), 2);
        assert_eq!(changes[0].before, "10\u{a0}kg");
        assert_eq!(changes[0].after, "10 kg");
    }

    #[test]
    fn nearby_patches_become_one_change() {
        let line = "a**b**c";
        let (out, changes) = apply(line, &[Patch::delete(1..3), Patch::delete(4..6)]);
        assert_eq!(out, "abc");
        assert_eq!(
            changes,
            vec![Change {
                before: "a**b**c".into(),
                after: "abc".into()
            }]
        );
    }

    #[test]
    fn no_op_patches_record_nothing() {
        let (out, changes) = apply("abc", &[Patch::new(0..1, "a")]);
        assert_eq!(out, "abc");
        assert!(changes.is_empty());
    }

    #[test]
    fn overlapping_patches_apply_the_first_whole_and_drop_the_other() {
        // The patches of two sentence deletions that share a space (the release panic of
        // `begin > end` when slicing).
        let line = "Real prose here. First. Second.";
        let (out, changes) = apply(line, &[Patch::delete(17..24), Patch::delete(22..31)]);
        assert_eq!(out, "Real prose here. Second.");
        assert_eq!(changes.len(), 1);
        // Given in any order, the one that starts first is kept.
        assert_eq!(
            apply(line, &[Patch::delete(22..31), Patch::delete(17..24)]).0,
            out
        );
        // A patch inside another, and one that shares its start.
        assert_eq!(
            apply("abcdef", &[Patch::delete(1..5), Patch::new(2..3, "X")]).0,
            "af"
        );
        assert_eq!(
            apply("abcdef", &[Patch::new(1..3, "X"), Patch::new(1..2, "Y")]).0,
            "aYcdef"
        );
        // An insertion at the same place as a replacement goes before it.
        assert_eq!(
            apply("abc", &[Patch::new(1..2, "X"), Patch::new(1..1, "+")]).0,
            "a+Xc"
        );
    }

    #[test]
    fn patches_out_of_range_or_inside_a_character_are_dropped() {
        let line = "café au lait";
        assert_eq!(apply(line, &[Patch::delete(10..20)]).0, line);
        assert_eq!(apply(line, &[Patch::new(14..14, "!")]).0, line);
        #[allow(clippy::reversed_empty_ranges)]
        let backwards = Patch::delete(5..2);
        assert_eq!(apply(line, &[backwards]).0, line);
        // 'é' is bytes 3..5: a range that ends or starts inside it would split it.
        assert_eq!(
            apply(line, &[Patch::delete(0..4), Patch::new(4..5, "e")]).0,
            line
        );
        assert_eq!(
            apply(line, &[Patch::delete(4..8), Patch::new(0..1, "C")]).0,
            "Café au lait"
        );
        assert!(well_formed(
            line,
            &[Patch::delete(0..1), Patch::delete(1..3)]
        ));
        assert!(!well_formed(
            line,
            &[Patch::delete(1..3), Patch::delete(0..1)]
        ));
        assert!(!well_formed(line, &[Patch::delete(0..4)]));
    }

    #[test]
    fn diff_patch_finds_the_changed_middle() {
        let p = diff_patch("caf\u{c3}\u{a9} noir", "café noir").unwrap();
        assert_eq!(p.with, "é");
        let (out, _) = apply("caf\u{c3}\u{a9} noir", &[p]);
        assert_eq!(out, "café noir");
        assert!(diff_patch("same", "same").is_none());
        let p = diff_patch("aaa", "aa").unwrap();
        assert_eq!(apply("aaa", &[p]).0, "aa");
    }

    #[test]
    fn diff_patches_rebuild_the_new_line() {
        use proptest::prelude::*;
        let word =
            prop::sample::select(vec!["a", "Ã©", "é", " ", "  ", "\u{a0}", "cafÃ", "x", "às"]);
        let line = prop::collection::vec(word, 0..40).prop_map(|w| w.concat());
        proptest!(|(before in line.clone(), after in line)| {
            let patches = diff_patches(&before, &after);
            prop_assert!(well_formed(&before, &patches));
            prop_assert_eq!(apply(&before, &patches).0, after);
        });
    }

    #[test]
    fn diff_patches_give_one_patch_per_changed_word() {
        let patches = diff_patches("one cafÃ© two rÃ©sumÃ© three", "one café two résumé three");
        let changed: Vec<&str> = patches.iter().map(|p| p.with.as_str()).collect();
        // The first change starts where the lines first differ; later ones are whole words.
        assert_eq!(changed, ["é", "résumé"], "{patches:?}");
        let patches = diff_patches("x cafÃ© y", "x café y");
        assert_eq!(patches, [Patch::new(5..9, "é")]);
    }
}
