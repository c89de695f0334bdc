//! The size of the intersection of two sorted sets of 32-bit shingle hashes: the inner loop of
//! verification, run twice for every candidate pair (distinct words, then 3-grams).
//!
//! On x86_64 the sets are compared four values against four at a time with SSE2 (part of the
//! x86_64 baseline, so no feature detection): each value of one block is compared with every
//! rotation of the other, and the block with the smaller last value moves on, as in a merge.
//! A common value lies in exactly one pair of blocks that the merge visits, so it is counted
//! once. What is left when either set has fewer than four values goes through the scalar merge.

/// Size of the intersection of two sorted lists of distinct values.
pub fn intersection(a: &[u32], b: &[u32]) -> usize {
    #[cfg(target_arch = "x86_64")]
    {
        let (i, j, n) = sse2::blocks(a, b);
        n + merge(&a[i..], &b[j..])
    }
    #[cfg(not(target_arch = "x86_64"))]
    merge(a, b)
}

/// The scalar merge: the values two sorted lists have in common (with repeats, each as often as
/// the list that has it fewer times). Branch-free: which side advances is unpredictable, and a
/// mispredicted branch per step costs more than the comparisons.
pub fn merge<T: Ord + Copy>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::*;

    /// Common values of whole blocks of four; returns where each set's unread values begin, and
    /// how many common values came before.
    pub(super) fn blocks(a: &[u32], b: &[u32]) -> (usize, usize, usize) {
        // Matches per 4-bit compare mask.
        const ONES: [u8; 16] = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];
        let (mut i, mut j, mut n) = (0usize, 0usize, 0usize);
        while i + 4 <= a.len() && j + 4 <= b.len() {
            // SAFETY: SSE2 is always present on x86_64, and both loads read four values inside
            // their slice (checked by the loop condition); unaligned loads accept any address.
            let mask = unsafe {
                let va = _mm_loadu_si128(a.as_ptr().add(i).cast());
                let vb = _mm_loadu_si128(b.as_ptr().add(j).cast());
                let r1 = _mm_shuffle_epi32::<0b00_11_10_01>(vb);
                let r2 = _mm_shuffle_epi32::<0b01_00_11_10>(vb);
                let r3 = _mm_shuffle_epi32::<0b10_01_00_11>(vb);
                let hits = _mm_or_si128(
                    _mm_or_si128(_mm_cmpeq_epi32(va, vb), _mm_cmpeq_epi32(va, r1)),
                    _mm_or_si128(_mm_cmpeq_epi32(va, r2), _mm_cmpeq_epi32(va, r3)),
                );
                _mm_movemask_ps(_mm_castsi128_ps(hits))
            };
            n += usize::from(ONES[mask as usize & 15]);
            let (last_a, last_b) = (a[i + 3], b[j + 3]);
            i += 4 * usize::from(last_a <= last_b);
            j += 4 * usize::from(last_b <= last_a);
        }
        (i, j, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Two sorted sets drawn from a small range, so that they share many values and runs of
    /// common values straddle block boundaries in every way.
    fn set(values: Vec<u32>) -> Vec<u32> {
        let mut values = values;
        values.sort_unstable();
        values.dedup();
        values
    }

    proptest! {
        #[test]
        fn blocks_count_what_the_merge_counts(a in proptest::collection::vec(0u32..300, 0..200), b in proptest::collection::vec(0u32..300, 0..200)) {
            let (a, b) = (set(a), set(b));
            let expected = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
            prop_assert_eq!(merge(&a, &b), expected);
            prop_assert_eq!(intersection(&a, &b), expected);
            prop_assert_eq!(intersection(&b, &a), expected);
        }

        #[test]
        fn extreme_values_are_compared_unsigned(a in proptest::collection::vec(any::<u32>(), 0..64), shared in proptest::collection::vec(prop_oneof![Just(0u32), Just(u32::MAX), Just(1 << 31), any::<u32>()], 0..16)) {
            // The SIMD compare is for equality only, so signedness cannot matter; the block
            // order uses the unsigned values.
            let b = set(a.iter().step_by(2).chain(&shared).copied().collect());
            let a = set(a.into_iter().chain(shared).collect());
            let expected = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
            prop_assert_eq!(intersection(&a, &b), expected);
        }
    }

    #[test]
    fn counts_common_members() {
        assert_eq!(intersection(&[1, 3, 5, 7], &[2, 3, 4, 7, 9]), 2);
        assert_eq!(intersection(&[], &[1]), 0);
        assert_eq!(intersection(&[1, 2, 3], &[1, 2, 3]), 3);
        let evens: Vec<u32> = (0..1000).map(|x| 2 * x).collect();
        let threes: Vec<u32> = (0..700).map(|x| 3 * x).collect();
        assert_eq!(
            intersection(&evens, &threes),
            (0..2000).filter(|x| x % 6 == 0).count()
        );
        assert_eq!(intersection(&evens, &evens), 1000);
    }
}
