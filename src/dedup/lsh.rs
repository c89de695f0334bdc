//! Locality-sensitive hashing by banding: a signature of `bands × rows` values is cut into bands,
//! and two documents become a candidate pair when any band agrees entirely. A pair with Jaccard
//! `s` collides with probability `1 - (1 - s^rows)^bands`.
//!
//! For each band, items are put in buckets by their band hash, in position order, so the
//! candidates are the same on every run. The table costs about 28 bytes per item, only while its
//! band is being read.

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64_with_seed;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Banding {
    pub bands: usize,
    pub rows: usize,
}

/// A bucket larger than this pairs each member with its first `BUCKET_CAP` members only, so a
/// thousand near-identical pages cost a thousand comparisons each, not half a million.
pub const BUCKET_CAP: usize = 64;

/// Bytes of band keys [`Banding::candidates_from`] holds at once, beyond one band.
pub const KEYS_BUDGET: usize = 64 << 20;

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

    /// The hash of each band of a signature: two signatures that share one collide.
    pub fn band_hashes(&self, signature: &[u16]) -> Vec<u64> {
        (0..self.bands)
            .map(|band| self.band_key(signature, band))
            .collect()
    }

    /// Candidate pairs `(i, j)` with `i < j` among `signatures` (indexed by position), sorted and
    /// without repeats. Within a bucket, lower positions pair with higher ones, so callers that
    /// order items by preference see each pair from the preferred side.
    pub fn candidates<S: AsRef<[u16]> + Sync>(self, signatures: &[S]) -> Vec<(u32, u32)> {
        let keys = |bands: &[usize], out: &mut [Vec<(u64, u32)>]| -> std::io::Result<()> {
            for (j, sig) in signatures.iter().enumerate() {
                for (&band, keys) in bands.iter().zip(out.iter_mut()) {
                    keys.push((self.band_key(sig.as_ref(), band), j as u32));
                }
            }
            Ok(())
        };
        self.candidates_from(signatures.len(), keys)
            .expect("signatures in memory cannot fail to be read")
    }

    /// The hash of band `band` of `signature`.
    pub fn band_key(self, signature: &[u16], band: usize) -> u64 {
        band_hash(
            &signature[band * self.rows..(band + 1) * self.rows],
            band as u64,
        )
    }

    /// [`Banding::candidates`] of `items` signatures that are not all at hand: `keys(bands, out)`
    /// pushes `(band key, item)` for every item, in item order, onto `out[k]` for each band
    /// `bands[k]`. As many bands at a time as [`KEYS_BUDGET`] holds (16 bytes a key), at least
    /// one: a small corpus is read once, a large one in passes.
    pub fn candidates_from(
        self,
        items: usize,
        mut keys: impl FnMut(&[usize], &mut [Vec<(u64, u32)>]) -> std::io::Result<()>,
    ) -> std::io::Result<Vec<(u32, u32)>> {
        // In a bucket, each item pairs with the first BUCKET_CAP items before it (in item order):
        // sorted by key and item, a bucket is a run, in that order.
        let band_pairs = |mut keyed: Vec<(u64, u32)>| {
            // In parallel within a band too: a large corpus takes one band a pass.
            keyed.par_sort_unstable();
            let mut pairs = Vec::new();
            for bucket in keyed.chunk_by(|a, b| a.0 == b.0) {
                for (p, &(_, j)) in bucket.iter().enumerate().skip(1) {
                    pairs.extend(bucket[..p.min(BUCKET_CAP)].iter().map(|&(_, i)| (i, j)));
                }
            }
            pairs
        };
        let bands: Vec<usize> = (0..self.bands).collect();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let per_pass = (KEYS_BUDGET / (16 * items.max(1))).max(1);
        for chunk in bands.chunks(per_pass) {
            let mut keyed: Vec<Vec<(u64, u32)>> =
                chunk.iter().map(|_| Vec::with_capacity(items)).collect();
            keys(chunk, &mut keyed)?;
            let per_band: Vec<Vec<(u32, u32)>> = keyed.into_par_iter().map(band_pairs).collect();
            let mut new: Vec<(u32, u32)> = per_band.into_iter().flatten().collect();
            new.sort_unstable();
            new.dedup();
            pairs = merge_distinct(&pairs, &new);
        }
        Ok(pairs)
    }
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
