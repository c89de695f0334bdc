//! Locality-sensitive hashing by banding: a signature of `bands × rows` values is cut into bands,
//! and two documents become a candidate pair when any band agrees entirely. A pair with Jaccard
//! `s` collides with probability `1 - (1 - s^rows)^bands`.
//!
//! For each band, items are put in buckets by their band hash, in position order, so the
//! candidates are the same on every run. The table costs about 28 bytes per item, only while its
//! band is being read.

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;
use xxhash_rust::xxh3::xxh3_64_with_seed;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Banding {
    pub bands: usize,
    pub rows: usize,
}

/// A bucket larger than this pairs each member with its first `BUCKET_CAP` members only, so a
/// thousand near-identical pages cost a thousand comparisons each, not half a million.
pub const BUCKET_CAP: usize = 64;

impl Banding {
    /// Probability that a pair with Jaccard `s` becomes a candidate.
    pub fn probability(self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// The banding of at most `k` values that finds the most pairs at or above `lo` while pairs of
    /// unrelated texts (which share about 2% of their word 3-grams at most) collide less than once
    /// in a thousand: on a large corpus those pairs are nearly all pairs.
    pub fn for_threshold(lo: f64, k: usize) -> Banding {
        const BACKGROUND: f64 = 0.02;
        const BACKGROUND_MAX: f64 = 1e-3;
        let recall = |b: Banding| {
            let steps = 200;
            let h = (1.0 - lo) / steps as f64;
            (0..steps)
                .map(|i| b.probability(lo + (i as f64 + 0.5) * h) * h)
                .sum::<f64>()
        };
        (1..=k)
            .map(|rows| Banding {
                bands: k / rows,
                rows,
            })
            .filter(|&b| b.probability(BACKGROUND) <= BACKGROUND_MAX)
            .map(|b| (b, recall(b)))
            .max_by(|(_, x), (_, y)| x.total_cmp(y))
            .map_or(Banding { bands: 1, rows: k }, |(b, _)| b)
    }

    /// Candidate pairs `(i, j)` with `i < j` among `signatures` (indexed by position), sorted and
    /// without repeats. Within a bucket, lower positions pair with higher ones, so callers that
    /// order items by preference see each pair from the preferred side.
    /// The hash of each band of a signature: two signatures that share one collide.
    pub fn band_hashes(&self, signature: &[u16]) -> Vec<u64> {
        (0..self.bands)
            .map(|band| {
                band_hash(
                    &signature[band * self.rows..(band + 1) * self.rows],
                    band as u64,
                )
            })
            .collect()
    }

    pub fn candidates<S: AsRef<[u16]> + Sync>(self, signatures: &[S]) -> Vec<(u32, u32)> {
        let band_pairs = |band: usize| {
            // Buckets by band hash, each a list of its items in position order, chained through
            // `next`: one hash-table step per item, where sorting the hashes cost a dozen
            // mispredicted comparisons.
            let mut buckets: FxHashMap<u64, Bucket> =
                FxHashMap::with_capacity_and_hasher(signatures.len(), Default::default());
            let mut next = vec![u32::MAX; signatures.len()];
            let mut pairs = Vec::new();
            for (j, sig) in signatures.iter().enumerate() {
                let j = j as u32;
                let key = band_hash(
                    &sig.as_ref()[band * self.rows..(band + 1) * self.rows],
                    band as u64,
                );
                match buckets.entry(key) {
                    Entry::Vacant(e) => {
                        e.insert(Bucket {
                            first: j,
                            last: j,
                            len: 1,
                        });
                    }
                    Entry::Occupied(mut e) => {
                        let bucket = e.get_mut();
                        let mut i = bucket.first;
                        for _ in 0..(bucket.len as usize).min(BUCKET_CAP) {
                            pairs.push((i, j));
                            i = next[i as usize];
                        }
                        next[bucket.last as usize] = j;
                        bucket.last = j;
                        bucket.len += 1;
                    }
                }
            }
            pairs
        };
        // A true duplicate pair collides in most bands: merging a few bands at a time keeps
        // memory near the number of distinct pairs, not bands times that.
        let bands: Vec<usize> = (0..self.bands).collect();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        for chunk in bands.chunks(rayon::current_num_threads().max(2)) {
            let per_band: Vec<Vec<(u32, u32)>> =
                chunk.par_iter().map(|&band| band_pairs(band)).collect();
            let mut new: Vec<(u32, u32)> = per_band.into_iter().flatten().collect();
            new.sort_unstable();
            new.dedup();
            // Merged into the pairs so far rather than sorted with them again: the pairs so far
            // are many, and each chunk adds few.
            pairs = merge_distinct(&pairs, &new);
        }
        pairs
    }
}

/// The items of one LSH bucket so far: the first and last (in position order) and how many.
struct Bucket {
    first: u32,
    last: u32,
    len: u32,
}

/// The union of two sorted lists without repeats, sorted, without repeats.
fn merge_distinct<T: Ord + Copy>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The hash of one band of a signature. Bands of up to four rows (every threshold in practice)
/// are packed into one word and mixed: packing is one-to-one, so two bands share a hash only when
/// they are equal or the 64-bit mix collides. Wider bands are hashed with xxh3.
fn band_hash(rows: &[u16], seed: u64) -> u64 {
    if rows.len() <= 4 {
        let packed = rows.iter().fold(0u64, |h, &v| h << 16 | u64::from(v));
        return super::shingle::fmix64(packed ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    }
    let bytes: Vec<u8> = rows.iter().flat_map(|v| v.to_le_bytes()).collect();
    xxh3_64_with_seed(&bytes, seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dedup::minhash::MinHasher;

    #[test]
    fn merging_keeps_one_of_each() {
        assert_eq!(
            merge_distinct(&[1, 3, 5, 9], &[2, 3, 9, 10]),
            vec![1, 2, 3, 5, 9, 10]
        );
        assert_eq!(merge_distinct::<u8>(&[], &[4]), vec![4]);
    }

    #[test]
    fn the_banding_finds_pairs_above_the_threshold_and_few_unrelated_ones() {
        let b = Banding::for_threshold(0.25, 128);
        assert!(b.bands * b.rows <= 128);
        assert!(b.probability(0.3) > 0.65, "{b:?}: {}", b.probability(0.3));
        assert!(b.probability(0.45) > 0.98, "{b:?}");
        assert!(
            b.probability(0.02) < 0.001,
            "{b:?}: {}",
            b.probability(0.02)
        );
        let passages = Banding::for_threshold(0.25, 32);
        assert!(passages.probability(0.5) > 0.7, "{passages:?}");
    }

    #[test]
    fn similar_sets_become_candidates_and_different_ones_do_not() {
        let h = MinHasher::new(128, 3);
        let set = |r: std::ops::Range<u64>| {
            h.signature(
                &r.map(|i| i.wrapping_mul(0x2545_F491_4F6C_DD1D))
                    .collect::<Vec<_>>(),
            )
        };
        let sigs = vec![set(0..100), set(5000..5100), set(10..105), set(9000..9200)];
        let pairs = Banding::for_threshold(0.4, 128).candidates(&sigs);
        assert_eq!(pairs, vec![(0, 2)]);
    }
}
