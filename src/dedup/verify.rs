//! Exact verification of a candidate pair, on the texts themselves (not their signatures).

use super::intersect::intersection;
use super::shingle::{narrow_set, narrow_set_in_place, trigrams, word_hashes};
use rayon::prelude::*;

/// The exact shingle sets of one text (narrowed to 32 bits), computed once when the text is
/// fingerprinted and read back whenever it is compared.
#[derive(Debug, Clone, PartialEq)]
pub struct Shingled {
    pub words: usize,
    word_set: Vec<u32>,
    trigrams: Vec<u32>,
}

impl Shingled {
    pub fn new(text: &str) -> Shingled {
        Shingled::of_words(&word_hashes(text))
    }

    /// The sets of a text given by its word hashes, in order.
    pub fn of_words(words: &[u64]) -> Shingled {
        Shingled::of_shingles(words, &trigrams(words))
    }

    /// From the word hashes of a text and its 3-gram hashes (both in order, repeats included).
    pub fn of_shingles(words: &[u64], trigrams: &[u64]) -> Shingled {
        Shingled {
            words: words.len(),
            word_set: narrow_set(words),
            trigrams: narrow_set(trigrams),
        }
    }

    /// [`Shingled::of_shingles`], with the 3-gram hashes given one at a time (a huge document's
    /// are not held in a list), and its sets sorted in place.
    pub fn of_shingle_iter(words: &[u64], trigrams: impl Iterator<Item = u64>) -> Shingled {
        Shingled {
            words: words.len(),
            word_set: narrow_set_in_place(words.iter().copied()),
            trigrams: narrow_set_in_place(trigrams),
        }
    }

    /// Little-endian u32s: word count, number of distinct words, then the two sets.
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.reserve(4 * (2 + self.word_set.len() + self.trigrams.len()));
        out.extend_from_slice(&(self.words as u32).to_le_bytes());
        out.extend_from_slice(&(self.word_set.len() as u32).to_le_bytes());
        for v in self.word_set.iter().chain(&self.trigrams) {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }

    pub fn decode(bytes: &[u8]) -> Option<Shingled> {
        if bytes.len() < 8 || !bytes.len().is_multiple_of(4) {
            return None;
        }
        let mut values = bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")));
        let words = values.next()? as usize;
        let n = values.next()? as usize;
        let rest: Vec<u32> = values.collect();
        if n > rest.len() {
            return None;
        }
        let (word_set, trigrams) = rest.split_at(n);
        Some(Shingled {
            words,
            word_set: word_set.to_vec(),
            trigrams: trigrams.to_vec(),
        })
    }
}

/// How alike two texts are, and whether that makes them duplicates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    /// Jaccard similarity of their sets of distinct words.
    pub jaccard: f64,
    /// Share of the shorter text's word 3-grams found in the longer one.
    pub containment: f64,
    pub duplicate: bool,
    /// Why they are duplicates: `jaccard` or `containment` (a partial copy).
    pub measure: &'static str,
}

/// A partial copy must keep at least this share of the longer text's words to count as a copy of
/// it: most of its paragraphs (paragraphs differ in length, so 60% of them can be 45% of the
/// words), not a quotation.
pub const PARTIAL_MIN_SHARE: f64 = 0.4;

/// A text this much of whose 3-grams are in a longer one says nothing the longer one does not,
/// however short it is beside it: the article under another site's template, its readers'
/// comments or link lists left on the longer page. A quotation comes with text of its own.
pub const WHOLLY_CONTAINED: f64 = 0.9;
/// ... provided it says something: a few words are contained in many pages.
pub const WHOLLY_CONTAINED_MIN_WORDS: usize = 50;

/// Share of word 3-grams that survive when a share `e` of the words is edited at random.
fn survival(edits: f64) -> f64 {
    (1.0 - edits).powi(3)
}

/// The edit rate that brings the word-set Jaccard of a copy down to `threshold`: a copy with a share
/// `e` of its words replaced keeps a Jaccard of about `(1-e)/(1+e)`.
fn edit_rate(threshold: f64) -> f64 {
    (1.0 - threshold) / (1.0 + threshold)
}

/// The 3-gram containment a partial copy needs at `threshold`: the share of 3-grams that a copy
/// edited just up to the threshold keeps (0.70 at the default 0.8). Two different texts never
/// share this much of their 3-grams.
pub fn containment_threshold(threshold: f64) -> f64 {
    survival(edit_rate(threshold))
}

pub fn verdict(a: &Shingled, b: &Shingled, threshold: f64) -> Verdict {
    let common = intersection(&a.word_set, &b.word_set);
    let union = a.word_set.len() + b.word_set.len() - common;
    let jaccard = if union == 0 {
        1.0
    } else {
        common as f64 / union as f64
    };
    let (short, long) = if a.words <= b.words { (a, b) } else { (b, a) };
    let containment = if short.trigrams.is_empty() {
        0.0
    } else {
        intersection(&short.trigrams, &long.trigrams) as f64 / short.trigrams.len() as f64
    };
    let partial = containment >= containment_threshold(threshold)
        && (short.words as f64 >= PARTIAL_MIN_SHARE * long.words as f64
            || (containment >= WHOLLY_CONTAINED && short.words >= WHOLLY_CONTAINED_MIN_WORDS));
    let (duplicate, measure) = if jaccard >= threshold {
        (true, "jaccard")
    } else if partial {
        (true, "containment")
    } else {
        (false, "")
    };
    Verdict {
        jaccard,
        containment,
        duplicate,
        measure,
    }
}

/// Star centres in preference order, each with its members and what was kept of their verdicts.
pub type Stars<V> = Vec<(u32, Vec<(u32, V)>)>;

/// Greedy stars over items in preference order (item 0 first): each item not yet taken gathers
/// every candidate `(i, j)` of its own (`i < j`, pairs sorted) that is not yet taken and verifies
/// as a duplicate on the exact sets (given by `sets_of(item)`). Members are always
/// verified against the star's centre itself: no chaining, and no item in two stars. Returns every
/// centre that was not taken, with its members (possibly none) and what `keep` takes of their
/// verdicts.
///
/// Only pairs whose two items are both free can change the result, so a pair with a taken item
/// is never read or verified: in a cluster of `k` copies that is `k - 1` verifications instead of
/// `k(k-1)/2`. Centres are verified in parallel a batch at a time, each on the pairs that are
/// free when the batch starts, and applied in order; a pair found free may be taken by an earlier
/// centre of the same batch, which costs a wasted verification but never changes the stars, so
/// they are the same whatever the number of threads.
pub fn verified_stars<V: Send, S: std::borrow::Borrow<Shingled>>(
    items: usize,
    candidates: &[(u32, u32)],
    sets_of: impl Fn(u32) -> std::io::Result<S> + Sync,
    threshold: f64,
    keep: impl Fn(Verdict) -> V + Sync,
) -> std::io::Result<Stars<V>> {
    let groups: Vec<&[(u32, u32)]> = candidates.chunk_by(|a, b| a.0 == b.0).collect();
    let batch = 8 * rayon::current_num_threads();
    let mut taken = vec![false; items];
    let mut stars = Vec::new();
    // Items up to `next` have been placed.
    let mut next = 0u32;
    let mut place = |taken: &mut Vec<bool>, i: u32, found: Vec<(u32, u32, V)>| {
        let mut members = Vec::new();
        for (_, j, v) in found {
            if !taken[i as usize] && !taken[j as usize] {
                taken[j as usize] = true;
                members.push((j, v));
            }
        }
        if !taken[i as usize] {
            stars.push((i, members));
        }
    };
    for batch in groups.chunks(batch) {
        let found: Vec<Vec<(u32, u32, V)>> = batch
            .par_iter()
            .map(|group| -> std::io::Result<Vec<(u32, u32, V)>> {
                let i = group[0].0;
                let mut out = Vec::new();
                let mut free = group
                    .iter()
                    .filter(|&&(_, j)| !taken[j as usize])
                    .peekable();
                if taken[i as usize] || free.peek().is_none() {
                    return Ok(out);
                }
                let a = sets_of(i)?;
                for &(_, j) in free {
                    let v = verdict(a.borrow(), sets_of(j)?.borrow(), threshold);
                    if v.duplicate {
                        out.push((i, j, keep(v)));
                    }
                }
                Ok(out)
            })
            .collect::<std::io::Result<_>>()?;
        for (group, found) in batch.iter().zip(found) {
            let centre = group[0].0;
            for i in next..centre {
                place(&mut taken, i, Vec::new());
            }
            place(&mut taken, centre, found);
            next = centre + 1;
        }
    }
    for i in next..items as u32 {
        place(&mut taken, i, Vec::new());
    }
    Ok(stars)
}

/// The lowest word-3-gram Jaccard a pair can have and still be a duplicate at `threshold`, for
/// the two ways of being one: an edited copy keeps a share `s` of its 3-grams, a Jaccard of
/// `s / (2 - s)`; a partial copy of the smallest share `p` with containment `c` has `c·p / (1 + p - c·p)`.
pub fn trigram_floor(threshold: f64) -> f64 {
    let s = containment_threshold(threshold);
    let edited = s / (2.0 - s);
    let p = PARTIAL_MIN_SHARE;
    let partial = s * p / (1.0 + p - s * p);
    edited.min(partial)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "The river authority said on Tuesday that the new flood barrier would be finished \
        before the winter rains, two years later than planned and at almost twice the original cost. \
        Residents of the lower town, whose homes flooded three times in the past decade, welcomed the \
        news but said they would believe it when they saw the gates closed against a real storm.";

    const SEQUEL: &str = "Engineers from the authority will hold an open day at the barrier site next month, \
        with guided walks along the embankment and a model of the gates in the visitor hut. Questions about \
        compensation for last year's damage should be sent in writing to the regional office.";

    #[test]
    fn a_lightly_edited_copy_is_a_duplicate() {
        let edited = ARTICLE
            .replace("Tuesday", "Wednesday")
            .replace("almost twice", "nearly double")
            .replace("welcomed", "greeted");
        let v = verdict(&Shingled::new(ARTICLE), &Shingled::new(&edited), 0.8);
        assert!(v.duplicate && v.measure == "jaccard", "{v:?}");
    }

    #[test]
    fn a_copy_keeping_most_of_the_text_is_a_duplicate_by_containment() {
        let long = format!("{ARTICLE} {SEQUEL}");
        let v = verdict(&Shingled::new(&long), &Shingled::new(ARTICLE), 0.8);
        assert!(v.duplicate, "{v:?}");
        assert_eq!(v.measure, "containment");
    }

    #[test]
    fn a_quotation_or_a_different_article_is_not() {
        let quote = "Residents of the lower town, whose homes flooded three times in the past decade, welcomed the news.";
        let v = verdict(&Shingled::new(ARTICLE), &Shingled::new(quote), 0.8);
        assert!(!v.duplicate, "{v:?}");
        let other = "The city council voted on Tuesday to close the old swimming pool at the end of the summer, \
            saying that repairs to its roof and heating would cost more than a new building. Swimmers said \
            they would fight the decision and collect signatures before the next council meeting in the town hall.";
        let v = verdict(&Shingled::new(ARTICLE), &Shingled::new(other), 0.8);
        assert!(!v.duplicate && v.jaccard < 0.3, "{v:?}");
    }

    #[test]
    fn sets_survive_encoding() {
        let a = Shingled::new(ARTICLE);
        let mut bytes = Vec::new();
        a.encode(&mut bytes);
        assert_eq!(Shingled::decode(&bytes), Some(a));
        assert_eq!(Shingled::decode(&bytes[..5]), None);
    }

    #[test]
    fn the_trigram_floor_falls_with_the_threshold() {
        assert!(
            trigram_floor(0.8) > 0.2 && trigram_floor(0.8) < 0.3,
            "{}",
            trigram_floor(0.8)
        );
        assert!((containment_threshold(0.8) - 0.703).abs() < 0.01);
        assert!(trigram_floor(0.9) > trigram_floor(0.8));
    }
}
