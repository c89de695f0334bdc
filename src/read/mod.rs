//! Readers: find the input files, decide what each one is, and turn them into documents.

pub mod charset;
mod files;
pub mod html;
pub mod jsonl;
mod records;
pub mod shard;

pub use files::{
    bytes_read, discover, input_bytes, open_regular, read_regular, Compression, Kind, Source,
    WalkError, MANIFEST,
};
pub use records::{
    fallback_id, site_of, Item, NotRead, PageCache, Reader, Record, OTHER_KIND, PAGE_CACHE_BUDGET,
};
pub use shard::Shard;
