//! MinHash signatures by one-permutation hashing with optimal densification (Li, Owen & Zhang
//! 2012; Shrivastava 2017): each shingle is hashed once and falls into one of `k` bins, each bin
//! keeps its minimum, and an empty bin borrows the minimum of a bin chosen by a fixed random
//! sequence. Two sets agree on a bin with probability equal to their Jaccard similarity, as with
//! `k` separate hash functions, at the cost of one hash per shingle instead of `k`.
//!
//! Values are stored b-bit (Li & König): only the low 16 bits of each minimum are kept. Two
//! different minima agree on 16 bits once in 65,536 times, which moves an estimate by less than
//! 0.0001, and halves the memory a signature takes.

/// A signature: `k` values, one per bin.
pub type Signature = Box<[u16]>;

/// The hashing of one kind of signature, fixed by a seed so every run (and every thread)
/// computes the same signatures.
pub struct MinHasher {
    k: usize,
    seed: u64,
}

/// A 64-bit finalizer (splitmix64's): every input bit moves every output bit.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `x` scaled from the 32-bit range onto `0..k`, without a division.
fn bin_of(x: u32, k: usize) -> usize {
    ((x as u64 * k as u64) >> 32) as usize
}

impl MinHasher {
    pub fn new(k: usize, seed: u64) -> MinHasher {
        assert!(k > 0 && k <= u32::MAX as usize);
        MinHasher { k, seed: mix(seed) }
    }

    /// The signature of the set of `shingles` (repeats change nothing, so a text's shingles can be
    /// given in order, without building the set). An empty set has the all-ones signature.
    pub fn signature(&self, shingles: &[u64]) -> Signature {
        let mut out = vec![0; self.k].into_boxed_slice();
        self.signature_into(shingles.iter().copied(), &mut out);
        out
    }

    /// [`MinHasher::signature`] written into `out` (`k` values), from shingles given one at a
    /// time: a passage's signature is taken with no allocation at all.
    pub fn signature_into(&self, shingles: impl IntoIterator<Item = u64>, out: &mut [u16]) {
        let k = self.k;
        assert_eq!(out.len(), k, "a signature has k values");
        // An empty bin holds EMPTY, above every 32-bit value.
        const EMPTY: u64 = u64::MAX;
        // On the stack, in an array no larger than needed: filling the bins is a cost per
        // signature, and passage signatures (32 bins) are many.
        let (mut small, mut large, mut heap);
        let mins: &mut [u64] = if k <= 32 {
            small = [EMPTY; 32];
            &mut small[..k]
        } else if k <= 256 {
            large = [EMPTY; 256];
            &mut large[..k]
        } else {
            heap = vec![EMPTY; k];
            &mut heap
        };
        let mut any = false;
        for x in shingles {
            any = true;
            // The bin comes from the high half of the hash and the value from the low half, so
            // the two are independent.
            let h = mix(x ^ self.seed);
            let slot = &mut mins[bin_of((h >> 32) as u32, k)]; // bin_of(x, k) < k for any u32 x
            *slot = (*slot).min(h & 0xFFFF_FFFF);
        }
        if !any {
            out.fill(u16::MAX);
            return;
        }
        let filled = |bin: usize| (mins[bin] != EMPTY).then_some(mins[bin]);
        for (i, value) in out.iter_mut().enumerate() {
            let m = filled(i).unwrap_or_else(|| {
                // The same sequence of bins for every set: two sets that both lack bin `i`
                // borrow from the same bin whenever they both have it.
                (1u64..)
                    .find_map(|attempt| {
                        filled(bin_of(
                            mix(self.seed ^ ((i as u64) << 32) ^ attempt) as u32,
                            k,
                        ))
                    })
                    .expect("a non-empty set fills at least one bin")
            });
            *value = m as u16;
        }
    }
}

/// Estimated Jaccard similarity: the share of positions where two signatures agree, corrected for
/// the chance agreement of 16-bit values.
pub fn estimate(a: &[u16], b: &[u16]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / a.len().max(1) as f64;
    const CHANCE: f64 = 1.0 / 65_536.0;
    ((same - CHANCE) / (1.0 - CHANCE)).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(range: std::ops::Range<u64>) -> Vec<u64> {
        range
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect()
    }

    #[test]
    fn estimates_track_true_jaccard() {
        let hasher = MinHasher::new(256, 7);
        // |A| = |B| = 1000 with 600 shared: J = 600 / 1400.
        let (a, b) = (set(0..1000), set(400..1400));
        let est = estimate(&hasher.signature(&a), &hasher.signature(&b));
        let truth = 600.0 / 1400.0;
        assert!((est - truth).abs() < 0.08, "estimate {est} vs {truth}");
        assert_eq!(estimate(&hasher.signature(&a), &hasher.signature(&a)), 1.0);
    }

    #[test]
    fn small_sets_leave_bins_empty_and_still_estimate() {
        // 40 shingles in 128 bins: most bins are borrowed.
        let hasher = MinHasher::new(128, 11);
        let (a, b) = (set(0..40), set(10..50));
        let truth = 30.0 / 50.0;
        let est = estimate(&hasher.signature(&a), &hasher.signature(&b));
        assert!((est - truth).abs() < 0.15, "estimate {est} vs {truth}");
        assert!(estimate(&hasher.signature(&a), &hasher.signature(&set(1000..1040))) < 0.1);
        assert_eq!(hasher.signature(&[]).len(), 128);
    }

    #[test]
    fn estimates_are_unbiased_over_many_sets() {
        // Averaged over 200 pairs at J = 0.5, the estimate is within 0.02 of the truth.
        let hasher = MinHasher::new(64, 5);
        let mean: f64 = (0..200u64)
            .map(|n| {
                let base = n * 10_000;
                estimate(
                    &hasher.signature(&set(base..base + 300)),
                    &hasher.signature(&set(base + 100..base + 400)),
                )
            })
            .sum::<f64>()
            / 200.0;
        assert!((mean - 0.5).abs() < 0.02, "mean estimate {mean}");
    }

    #[test]
    fn repeated_shingles_change_nothing() {
        let hasher = MinHasher::new(64, 3);
        let once = set(0..50);
        let mut twice: Vec<u64> = once.iter().chain(&once).copied().collect();
        twice.reverse();
        assert_eq!(hasher.signature(&once), hasher.signature(&twice));
    }

    #[test]
    fn the_same_seed_gives_the_same_signature() {
        let set = [1u64, 2, 3, 99];
        assert_eq!(
            MinHasher::new(32, 1).signature(&set),
            MinHasher::new(32, 1).signature(&set)
        );
        assert_ne!(
            MinHasher::new(32, 1).signature(&set),
            MinHasher::new(32, 2).signature(&set)
        );
    }
}
