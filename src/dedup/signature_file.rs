//! Dedup signatures as data: the fingerprints of an index written to a Parquet file
//! (`thresh sign`), and read back, from one file or the files of many shards, into an index that
//! clusters as one run would (`thresh cluster`).
//!
//! The schema is a contract (see the README's "Scale out"): one row per document, in input order.
//!
//! | column | type | what |
//! |---|---|---|
//! | `id` | string | the document id, as in `documents.jsonl` |
//! | `row` | int64 | the row's number in the file, from 0: the documents' input order |
//! | `words` | int64 | words in its compared text, site template lines left out |
//! | `exact` | fixed_size_binary(16) | hash of its compared lines (exact copies share it) |
//! | `signature` | binary | its MinHash: 128 little-endian u16 values |
//! | `bands` | list<int64> | its LSH band hashes at the file's threshold: two documents that share one are a candidate pair |
//! | `sets` | binary | its exact word and 3-gram sets, thresh's encoding, for verification |
//!
//! The file's key-value metadata holds `thresh.version`, `thresh.signature_format`, `thresh.threshold`,
//! `thresh.bands` and `thresh.rows`; files of other parameters are refused together.

use super::fingerprint::DOC_PERMS;
use super::index::{Index, IndexedDoc, PrintStore};
use super::lsh::Banding;
use super::verify::{trigram_floor, Shingled};
use arrow_array::builder::{Int64Builder, ListBuilder};
use arrow_array::{
    Array, ArrayRef, BinaryArray, FixedSizeBinaryArray, Int64Array, RecordBatch, StringArray,
};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use std::io;
use std::path::Path;
use std::sync::Arc;

/// The version of this layout: a reader refuses files of another.
pub const FORMAT: &str = "1";
/// Rows per record batch written.
const BATCH: usize = 4096;
/// Rows per row group: about 40 MB of signatures and sets held by the writer at most.
const ROW_GROUP: usize = 16 * BATCH;

/// What a signature file was made with; files clustered together must agree on all of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Parameters {
    pub threshold: f64,
    pub bands: usize,
    pub rows: usize,
}

impl Parameters {
    pub fn for_threshold(threshold: f64) -> Parameters {
        let banding = Banding::for_threshold(trigram_floor(threshold), DOC_PERMS);
        Parameters {
            threshold,
            bands: banding.bands,
            rows: banding.rows,
        }
    }

    fn metadata(&self) -> Vec<KeyValue> {
        [
            ("thresh.version", env!("CARGO_PKG_VERSION").to_string()),
            ("thresh.signature_format", FORMAT.to_string()),
            ("thresh.threshold", self.threshold.to_string()),
            ("thresh.bands", self.bands.to_string()),
            ("thresh.rows", self.rows.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| KeyValue::new(k.to_string(), v))
        .collect()
    }

    fn from_metadata(meta: &[KeyValue], path: &Path) -> io::Result<Parameters> {
        let get = |key: &str| {
            meta.iter()
                .find(|kv| kv.key == key)
                .and_then(|kv| kv.value.clone())
                .ok_or_else(|| invalid(path, &format!("no {key} in its metadata")))
        };
        let format = get("thresh.signature_format")?;
        if format != FORMAT {
            return Err(invalid(
                path,
                &format!("signature format {format}, this thresh reads {FORMAT}"),
            ));
        }
        let number = |key: &str| -> io::Result<f64> {
            get(key)?
                .parse()
                .map_err(|_| invalid(path, &format!("{key} is not a number")))
        };
        Ok(Parameters {
            threshold: number("thresh.threshold")?,
            bands: number("thresh.bands")? as usize,
            rows: number("thresh.rows")? as usize,
        })
    }
}

fn invalid(path: &Path, what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{}: not a thresh signature file: {what}", path.display()),
    )
}

fn schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("id", DataType::Utf8, false),
        Field::new("row", DataType::Int64, false),
        Field::new("words", DataType::Int64, false),
        Field::new("exact", DataType::FixedSizeBinary(16), false),
        Field::new("signature", DataType::Binary, false),
        Field::new(
            "bands",
            DataType::List(Arc::new(Field::new("item", DataType::Int64, true))),
            false,
        ),
        Field::new("sets", DataType::Binary, false),
    ]))
}

impl Index {
    /// Write the fingerprints of every document to a Parquet file at `path`, atomically (a
    /// temporary file beside it, renamed when whole).
    pub fn write_signatures(&self, parameters: &Parameters, path: &Path) -> io::Result<()> {
        let all: Vec<u32> = (0..self.docs.len() as u32).collect();
        self.write_signatures_of(&all, parameters, path)
    }

    /// Write the fingerprints of documents `docs`, in that order, as [`Index::write_signatures`]
    /// does.
    pub fn write_signatures_of(
        &self,
        docs: &[u32],
        parameters: &Parameters,
        path: &Path,
    ) -> io::Result<()> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
        let temp = tempfile::NamedTempFile::new_in(dir.unwrap_or(Path::new(".")))?;
        // Row groups of a bounded size: the writer holds one in memory until it is full (by
        // default a million rows, the whole file of a shard).
        let props = WriterProperties::builder()
            .set_key_value_metadata(Some(parameters.metadata()))
            .set_max_row_group_size(ROW_GROUP)
            .build();
        let mut writer = ArrowWriter::try_new(temp.as_file().try_clone()?, schema(), Some(props))
            .map_err(io::Error::other)?;
        let banding = Banding {
            bands: parameters.bands,
            rows: parameters.rows,
        };
        for (n, chunk) in docs.chunks(BATCH).enumerate() {
            let batch = self.batch(chunk, n * BATCH, &banding)?;
            writer.write(&batch).map_err(io::Error::other)?;
        }
        writer.close().map_err(io::Error::other)?;
        temp.as_file().sync_all()?;
        temp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    fn batch(
        &self,
        numbers: &[u32],
        first_row: usize,
        banding: &Banding,
    ) -> io::Result<RecordBatch> {
        let docs: Vec<&IndexedDoc> = numbers.iter().map(|&d| &self.docs[d as usize]).collect();
        let mut bands = ListBuilder::new(Int64Builder::new());
        let mut sets = Vec::with_capacity(docs.len());
        let mut signature: Vec<Vec<u8>> = Vec::with_capacity(docs.len());
        for (&n, d) in numbers.iter().zip(&docs) {
            let values = self.sets.signature(n)?;
            for hash in banding.band_hashes(&values) {
                bands.values().append_value(hash as i64);
            }
            bands.append(true);
            signature.push(values.iter().flat_map(|v| v.to_le_bytes()).collect());
            sets.push(self.sets.get_encoded(d.sets)?);
        }
        let exact: Vec<[u8; 16]> = docs.iter().map(|d| d.exact.to_le_bytes()).collect();
        let columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from_iter_values(docs.iter().map(|d| &*d.id))),
            Arc::new(Int64Array::from_iter_values(
                (first_row..first_row + docs.len()).map(|r| r as i64),
            )),
            Arc::new(Int64Array::from_iter_values(
                docs.iter().map(|d| i64::from(d.words)),
            )),
            Arc::new(FixedSizeBinaryArray::try_from_iter(exact.iter()).map_err(io::Error::other)?),
            Arc::new(BinaryArray::from_iter_values(signature.iter())),
            Arc::new(bands.finish()),
            Arc::new(BinaryArray::from_iter_values(sets.iter())),
        ];
        RecordBatch::try_new(schema(), columns).map_err(io::Error::other)
    }

    /// An index of the documents in the signature files at `paths`, in the order given (each
    /// file's rows in order), with their sets in `store`; and the parameters they share.
    pub fn read_signatures(
        paths: &[std::path::PathBuf],
        store: Box<dyn PrintStore>,
    ) -> io::Result<(Index, Parameters)> {
        let mut index = Index::with_store(store);
        let parameters = index
            .append_signatures(paths, None)?
            .unwrap_or_else(|| Parameters::for_threshold(0.8));
        Ok((index, parameters))
    }

    /// Add the documents that earlier runs kept, from the signature files at `paths` (an
    /// `--index` folder's parts), after this run's: they are compared with this run's documents
    /// and preferred to their copies, never made duplicates. The files must have been made with
    /// `parameters`.
    pub fn add_earlier(
        &mut self,
        paths: &[std::path::PathBuf],
        parameters: &Parameters,
    ) -> io::Result<()> {
        let first = self.docs.len() as u32;
        self.append_signatures(paths, Some(parameters))?;
        self.earlier_from = Some(first);
        Ok(())
    }

    /// Append the documents of the signature files at `paths`; returns the parameters they
    /// share, which must be `expected` when given.
    fn append_signatures(
        &mut self,
        paths: &[std::path::PathBuf],
        expected: Option<&Parameters>,
    ) -> io::Result<Option<Parameters>> {
        let mut shared: Option<Parameters> = expected.cloned();
        for path in paths {
            let file = std::fs::File::open(path)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            let builder = ParquetRecordBatchReaderBuilder::try_new(file)
                .map_err(|e| invalid(path, &e.to_string()))?;
            let meta = builder
                .metadata()
                .file_metadata()
                .key_value_metadata()
                .cloned()
                .unwrap_or_default();
            let parameters = Parameters::from_metadata(&meta, path)?;
            match &shared {
                Some(p) if *p != parameters => {
                    return Err(invalid(
                        path,
                        &format!("made with {parameters:?}, the files before with {p:?}"),
                    ))
                }
                _ => shared = Some(parameters),
            }
            let reader = builder.build().map_err(|e| invalid(path, &e.to_string()))?;
            for batch in reader {
                let batch = batch.map_err(|e| invalid(path, &e.to_string()))?;
                self.push_rows(&batch, path)?;
            }
        }
        Ok(shared)
    }

    fn push_rows(&mut self, batch: &RecordBatch, path: &Path) -> io::Result<()> {
        fn column<'a, T: 'static>(
            batch: &'a RecordBatch,
            name: &str,
            path: &Path,
        ) -> io::Result<&'a T> {
            batch
                .column_by_name(name)
                .and_then(|c| c.as_any().downcast_ref::<T>())
                .ok_or_else(|| invalid(path, &format!("no column {name} of the right type")))
        }
        let ids = column::<StringArray>(batch, "id", path)?;
        let words = column::<Int64Array>(batch, "words", path)?;
        let exact = column::<FixedSizeBinaryArray>(batch, "exact", path)?;
        let signature = column::<BinaryArray>(batch, "signature", path)?;
        let sets = column::<BinaryArray>(batch, "sets", path)?;
        for row in 0..batch.num_rows() {
            let damaged = |what: &str| invalid(path, &format!("row {row}: {what}"));
            let sig = signature.value(row);
            if sig.len() != 2 * DOC_PERMS || exact.value_length() != 16 {
                return Err(damaged("a signature or hash of the wrong size"));
            }
            let set = Shingled::decode(sets.value(row)).ok_or_else(|| damaged("damaged sets"))?;
            let values: Vec<u16> = sig
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .collect();
            // Signature files carry documents only: no spans.
            self.push_doc(
                ids.value(row).into(),
                u32::try_from(words.value(row)).map_err(|_| damaged("words"))?,
                u128::from_le_bytes(exact.value(row).try_into().expect("16 bytes")),
                &values,
                &set,
                None,
            )?;
        }
        Ok(())
    }
}
