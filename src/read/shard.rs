//! A deterministic share of the input files, for array jobs (Slurm job arrays, Kubernetes
//! indexed Jobs): shard `index` of `count` holds the files whose path relative to their input
//! hashes to it. The share of a file does not depend on which other files there are, so a file
//! added to the corpus leaves every other file in its shard, and shard `i` of a run on one
//! machine is shard `i` on another.

/// Shard `index` (from 0) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Shard `index` of `count`; `None` unless `index < count`.
    pub fn new(index: u32, count: u32) -> Option<Shard> {
        (index < count).then_some(Shard { index, count })
    }

    /// Whether the input file at `rel` (its path relative to its INPUT, as documents are named)
    /// is in this shard.
    pub fn holds(&self, rel: &str) -> bool {
        of(rel, self.count) == self.index
    }

    /// The folder of the shard's output and report inside `--out` and `--report`:
    /// `shard-0003-of-0016`, so that the shards of one array job, given the same folders, write
    /// beside each other and list in order.
    pub fn folder(&self) -> String {
        format!("shard-{:04}-of-{:04}", self.index, self.count)
    }
}

/// The shard of `count` that the file at `rel` belongs to.
pub fn of(rel: &str, count: u32) -> u32 {
    (xxhash_rust::xxh3::xxh3_64(rel.as_bytes()) % u64::from(count.max(1))) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn every_file_is_in_exactly_one_shard(
            rels in prop::collection::vec("[a-z]{1,6}(/[a-z0-9]{1,6}){0,2}\\.(txt|jsonl)", 1..50),
            count in 1u32..40,
        ) {
            for rel in &rels {
                let holders = (0..count)
                    .filter(|&i| Shard::new(i, count).unwrap().holds(rel))
                    .count();
                prop_assert_eq!(holders, 1, "{}", rel);
            }
        }
    }

    #[test]
    fn shards_are_stable_and_spread() {
        // The same file is in the same shard whatever else the corpus holds.
        assert_eq!(of("site/a.txt", 16), of("site/a.txt", 16));
        let counts = (0..1600).fold([0u32; 16], |mut counts, n| {
            counts[of(&format!("page-{n}.html"), 16) as usize] += 1;
            counts
        });
        assert!(
            counts.iter().all(|&c| (60..=140).contains(&c)),
            "{counts:?}"
        );
        assert_eq!(Shard::new(3, 16).unwrap().folder(), "shard-0003-of-0016");
        assert_eq!(Shard::new(16, 16), None);
    }
}
