//! `thresh cluster`: the global step of dedup at scale. The signature files of every shard
//! (`thresh sign`) are read into one index, in the order given, and clustered as one `thresh
//! dedup` run over the whole corpus clusters its documents; the clusters file has
//! `clusters.jsonl`'s records.

use super::exit::Exit;
use super::job::write_document_clusters;
use crate::cli::ClusterArgs;
use crate::console::count;
use crate::dedup::signature_file::Parameters;
use crate::dedup::{ClusterSettings, Index, IndexFolder, PrintLog};
use anyhow::{bail, Context, Result};
use std::path::PathBuf;

pub fn run(args: ClusterArgs) -> Result<Exit> {
    if let Some(keep @ crate::config::KeepDuplicate::Field { .. }) = &args.keep_duplicate {
        anyhow::bail!(
            "--keep-duplicate {keep}: signature files hold no fields; keep by a field in `thresh dedup` or `thresh clean`"
        );
    }
    let mut files = Vec::new();
    for path in &args.signatures {
        if path.is_dir() {
            files.extend(parquet_files_under(path)?);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            bail!("{} is not a signature file or folder", path.display());
        }
    }
    if files.is_empty() {
        bail!("no signature files (*.parquet) in the folders given");
    }
    // The exact sets wait in a log beside the clusters file, spilled there past a budget.
    let spill = args
        .out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), PathBuf::from);
    std::fs::create_dir_all(&spill)
        .with_context(|| format!("cannot create {}", spill.display()))?;
    let (mut index, parameters): (Index, Parameters) =
        Index::read_signatures(&files, Box::new(PrintLog::create_in(&spill)))?;
    // The documents earlier runs kept come after these, as in `thresh dedup --index`.
    let mut folder = match &args.index {
        Some(dir) => {
            let inside = |f: &PathBuf| match (f.canonicalize(), dir.canonicalize()) {
                (Ok(f), Ok(dir)) => f.starts_with(dir),
                _ => false,
            };
            if let Some(part) = files.iter().find(|f| inside(f)) {
                bail!(
                    "{} is a part of --index {}: give this run's signature files only",
                    part.display(),
                    dir.display()
                );
            }
            let folder = IndexFolder::open(dir, &parameters)?;
            index
                .add_earlier(&folder.parts(), &parameters)
                .context("cannot read the --index")?;
            Some(folder)
        }
        None => None,
    };
    let settings = ClusterSettings {
        keep: args.keep_duplicate.clone().unwrap_or_default(),
        ..ClusterSettings::new(parameters.threshold)
    };
    let clusters = index.cluster_documents(&settings)?;
    write_document_clusters(&args.out, &index, &clusters)?;
    // Added once the clusters file is in place: a run killed before leaves the index as it was.
    let added = match &mut folder {
        Some(folder) => {
            let kept = index.kept_of_this_run(&clusters);
            Some(folder.commit(&index, &kept, "cluster")?)
        }
        None => None,
    };
    if !args.quiet {
        eprintln!(
            "thresh: {} from {}, {}: {}{}",
            count(u64::from(index.this_run()), "document", "documents"),
            count(files.len() as u64, "signature file", "signature files"),
            count(clusters.documents.len() as u64, "cluster", "clusters"),
            args.out.display(),
            match (added, &folder) {
                (Some(added), Some(folder)) => format!(
                    "; {} earlier documents in the index, {added} added",
                    folder.documents() - added
                ),
                _ => String::new(),
            }
        );
    }
    Ok(Exit::Success)
}

/// The `*.parquet` files under `dir`, walked in name order.
fn parquet_files_under(dir: &std::path::Path) -> Result<Vec<PathBuf>> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    entries.sort();
    let mut out = Vec::new();
    for path in entries {
        if path.is_dir() {
            out.extend(parquet_files_under(&path)?);
        } else if path.extension().is_some_and(|e| e == "parquet") {
            out.push(path);
        }
    }
    Ok(out)
}
