//! MinHash signatures, stored as b-bit values (Li & König): only the low 16 bits of each minimum
//! are kept. Two different minima agree on 16 bits once in 65,536 times, which moves an estimate by
//! less than 0.0001, and halves or quarters the memory a signature takes.

/// A signature: `k` values, one per hash function.
pub type Signature = Box<[u16]>;

/// `k` independent hash functions of the multiply-add-shift family, fixed by a seed so every run
/// (and every thread) computes the same signatures.
pub struct MinHasher {
    a: Vec<u64>,
    b: Vec<u64>,
}

impl MinHasher {
    pub fn new(k: usize, seed: u64) -> MinHasher {
        let mut state = seed;
        let mut next = || {
            // splitmix64
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let a = (0..k).map(|_| next() | 1).collect();
        let b = (0..k).map(|_| next()).collect();
        MinHasher { a, b }
    }

    pub fn len(&self) -> usize {
        self.a.len()
    }

    /// The signature of a set of shingle hashes. An empty set has the all-ones signature.
    pub fn signature(&self, shingles: &[u64]) -> Signature {
        let mut mins = vec![u32::MAX; self.a.len()];
        for &x in shingles {
            for ((m, &a), &b) in mins.iter_mut().zip(&self.a).zip(&self.b) {
                let v = (a.wrapping_mul(x).wrapping_add(b) >> 32) as u32;
                *m = (*m).min(v);
            }
        }
        mins.into_iter().map(|m| m as u16).collect()
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

    #[test]
    fn estimates_track_true_jaccard() {
        let hasher = MinHasher::new(256, 7);
        // |A| = |B| = 1000 with 600 shared: J = 600 / 1400.
        let a: Vec<u64> = (0..1000u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect();
        let b: Vec<u64> = (400..1400u64).map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).collect();
        let est = estimate(&hasher.signature(&a), &hasher.signature(&b));
        let truth = 600.0 / 1400.0;
        assert!((est - truth).abs() < 0.08, "estimate {est} vs {truth}");
        assert_eq!(estimate(&hasher.signature(&a), &hasher.signature(&a)), 1.0);
    }

    #[test]
    fn the_same_seed_gives_the_same_signature() {
        let set = [1u64, 2, 3, 99];
        assert_eq!(MinHasher::new(32, 1).signature(&set), MinHasher::new(32, 1).signature(&set));
        assert_ne!(MinHasher::new(32, 1).signature(&set), MinHasher::new(32, 2).signature(&set));
    }
}
