//! Least-significant-digit radix sort, a byte a digit, for the shingle sets of documents and the
//! postings of the span finder. On
//! 32-bit hashes (spread evenly, no structure to exploit) and from a few hundred items, it is
//! about twice as fast as the standard sort, which mispredicts a branch on most comparisons;
//! below that, its fixed cost (256 counters a digit) dominates and the standard sort is used.
//! The `radsort` crate, tried first, was slower here; so was this sort on LSH's 64-bit band
//! hashes (twice the passes, and larger items to move).

/// Below this many values, the standard sort is used.
const RADIX_MIN: usize = 256;

/// `values`, sorted.
pub fn sort(mut values: Vec<u32>) -> Vec<u32> {
    if values.len() < RADIX_MIN {
        values.sort_unstable();
        return values;
    }
    // The counts of every digit, taken in one read.
    let mut counts = [[0u32; 256]; 4];
    for &v in &values {
        for (digit, count) in counts.iter_mut().enumerate() {
            count[(v >> (8 * digit)) as usize & 0xFF] += 1;
        }
    }
    let mut other = vec![0u32; values.len()];
    for (digit, count) in counts.iter_mut().enumerate() {
        // A digit all values share moves nothing.
        if count.iter().any(|&c| c as usize == values.len()) {
            continue;
        }
        let mut next = 0;
        for c in count.iter_mut() {
            (*c, next) = (next, next + *c);
        }
        for &v in &values {
            let slot = &mut count[(v >> (8 * digit)) as usize & 0xFF];
            other[*slot as usize] = v;
            *slot += 1;
        }
        std::mem::swap(&mut values, &mut other);
    }
    values
}

/// `items` sorted by the bytes `digits` (0 the lowest) of `key`, stably: items of equal key keep
/// their order. For keys whose other bytes are all zero (the span finder's 40-bit hashes) this
/// sorts by key in `digits.len()` passes.
pub fn sort_stable_by_bytes<T: Copy + Default>(
    mut items: Vec<T>,
    key: impl Fn(&T) -> u64,
    digits: std::ops::Range<u32>,
) -> Vec<T> {
    if items.len() < RADIX_MIN {
        items.sort_by_key(|t| key(t));
        return items;
    }
    let mut other = vec![T::default(); items.len()];
    for digit in digits {
        let mut count = [0u32; 256];
        for t in &items {
            count[(key(t) >> (8 * digit)) as usize & 0xFF] += 1;
        }
        // A digit all items share moves nothing.
        if count.iter().any(|&c| c as usize == items.len()) {
            continue;
        }
        let mut next = 0;
        for c in count.iter_mut() {
            (*c, next) = (next, next + *c);
        }
        for t in &items {
            let slot = &mut count[(key(t) >> (8 * digit)) as usize & 0xFF];
            other[*slot as usize] = *t;
            *slot += 1;
        }
        std::mem::swap(&mut items, &mut other);
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn sorts_as_the_standard_sort(values in proptest::collection::vec(any::<u32>(), 0..1200), repeats in 0usize..400) {
            let mut values = values;
            let copies: Vec<u32> = values.iter().take(repeats).copied().collect();
            values.extend(copies);
            let mut expected = values.clone();
            expected.sort_unstable();
            prop_assert_eq!(sort(values), expected);
        }
    }

    proptest! {
        #[test]
        fn sorts_by_the_bytes_given_as_a_stable_sort_does(
            keys in proptest::collection::vec(0u64..1 << 16, 0..1200),
        ) {
            // Keys in the top bytes, as the span finder's are; the index shows the order kept.
            let items: Vec<(u64, u32)> =
                keys.iter().enumerate().map(|(i, &k)| (k << 48, i as u32)).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|t| t.0);
            prop_assert_eq!(sort_stable_by_bytes(items, |t| t.0, 6..8), expected);
        }
    }

    #[test]
    fn values_that_share_digits_sort_too() {
        let values: Vec<u32> = (0..1000u32).rev().map(|i| (i % 7) << 24).collect();
        let mut expected = values.clone();
        expected.sort_unstable();
        assert_eq!(sort(values), expected);
    }
}
