//! Arbitrary bytes as a compressed JSONL file, read through `jsonl::open` and `jsonl::Lines`:
//! a corrupt or truncated stream must end the file with an error, never panic or hang.
//!
//! The first byte chooses what the file holds: the bytes themselves as `.gz` or `.zst` (mostly
//! corrupt streams), or the bytes compressed (two gzip members, or two zstd frames), possibly cut
//! short or with one byte flipped (streams that go wrong late).

use std::io::Write;
use std::path::PathBuf;
use std::sync::LazyLock;
use thresh::read::{jsonl, Compression};

static DIR: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| tempfile::tempdir().expect("a temporary folder"));

fn gzip(parts: [&[u8]; 2]) -> Vec<u8> {
    let mut out = Vec::new();
    for part in parts {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(part).unwrap();
        out.extend(enc.finish().unwrap());
    }
    out
}

fn zstd_frames(parts: [&[u8]; 2]) -> Vec<u8> {
    parts
        .iter()
        .flat_map(|p| zstd::encode_all(*p, 1).unwrap())
        .collect()
}

pub fn run(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (file, compression) = match mode % 4 {
        0 => (rest.to_vec(), Compression::Gzip),
        1 => (rest.to_vec(), Compression::Zstd),
        m => {
            let split = rest
                .first()
                .map_or(0, |&b| usize::from(b) % (rest.len() + 1));
            let parts = [&rest[..split], &rest[split..]];
            let mut file = if m == 2 {
                gzip(parts)
            } else {
                zstd_frames(parts)
            };
            let at = rest
                .get(1)
                .map_or(0, |&b| usize::from(b) * file.len() / 256);
            match mode / 4 % 3 {
                0 => {}
                1 => file.truncate(at),
                _ => {
                    if let Some(b) = file.get_mut(at) {
                        *b ^= rest.get(2).copied().unwrap_or(0x55) | 1;
                    }
                }
            }
            (
                file,
                if m == 2 {
                    Compression::Gzip
                } else {
                    Compression::Zstd
                },
            )
        }
    };
    let path: PathBuf = DIR.path().join(if compression == Compression::Gzip {
        "in.jsonl.gz"
    } else {
        "in.jsonl.zst"
    });
    std::fs::write(&path, &file).unwrap();
    let Ok(reader) = jsonl::open(&path, compression) else {
        return;
    };
    let mut errors = 0;
    for line in jsonl::Lines::new(reader) {
        match line {
            Ok(line) => {
                let _ = jsonl::parse_text(&line.bytes, "text", "id");
            }
            Err(_) => errors += 1,
        }
    }
    assert!(errors <= 1, "a read error ends the file");
}
