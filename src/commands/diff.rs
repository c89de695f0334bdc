//! `thresh diff OLD NEW`: clean both versions in memory (nothing is written unless `--report` is
//! given), fingerprint every document, and compare them (`crate::diff`). Each version is one
//! streaming pass like `thresh clean`, after its own corpus pass, so boilerplate that churns
//! from one scrape to the next (dates in footers, share lines) is gone before anything is compared.

use super::exit::Exit;
use super::job::{check_disjoint, corpus_stats, tell, wants_corpus, DocumentStep, Event};
use crate::cli::DiffArgs;
use crate::config::{Settings, Step};
use crate::console::{Console, Paint};
use crate::dedup::{Fingerprinter, Print, PrintLog, PrintStore};
use crate::diff::{Changes, DiffDoc, Version};
use crate::engine::{Engine, RunEnd, Sink};
use crate::pipeline::Pipeline;
use crate::read::{self, Item, Reader};
use crate::report::{DocReport, Status};
use crate::stages::StageOptions;
use crate::store::TextLog;
use crate::write::{write_atomic, Output};
use anyhow::{bail, Result};
use serde_json::json;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub fn run(args: DiffArgs) -> Result<Exit> {
    let settings = args.common.settings(|_| {})?;
    for input in [&args.old, &args.new] {
        if input.as_os_str() == "-" {
            bail!("thresh diff compares two corpora: give folders or files, not `-`");
        }
        if !input.exists() {
            bail!("input {} does not exist", input.display());
        }
    }
    let inputs = [args.old.clone(), args.new.clone()];
    if let Some(dir) = &args.report {
        check_disjoint("--report", dir, &inputs)?;
    }
    let spill_dir = args.report.clone().unwrap_or_else(std::env::temp_dir);
    let start = Instant::now();
    let console = Console::new(settings.quiet);
    let keep_texts = args.show.is_some();
    let old = scan(&args.old, &settings, &console, &spill_dir, keep_texts)?;
    let new = scan(&args.new, &settings, &console, &spill_dir, keep_texts)?;
    if old.interrupted || new.interrupted {
        return Ok(Exit::Interrupted);
    }
    let changes = crate::diff::compare(old.version(), new.version(), settings.threshold)?;
    console.finish();
    if let Some(dir) = &args.report {
        write_report(dir, &args, &settings, &old, &new, &changes, start)?;
    }

    let color = crate::console::stdout_in_colour();
    let mut out = std::io::stdout().lock();
    let different = match &args.show {
        Some(id) => show(&mut out, id, &changes, &old, &new, color)?,
        None => {
            if args.json {
                serde_json::to_writer(&mut out, &changes)?;
                writeln!(out)?;
            } else {
                print_stat(&mut out, &changes, color)?;
            }
            !changes.is_empty()
        }
    };
    out.flush()?;
    let failed = old.failed + new.failed;
    if failed > 0 {
        console.info(&format!(
            "{failed} documents could not be read; the comparison leaves them out"
        ));
        return Ok(Exit::Fatal);
    }
    Ok(if different {
        Exit::Different
    } else {
        Exit::Success
    })
}

/// One version, cleaned and fingerprinted.
struct ScannedVersion {
    input: PathBuf,
    docs: Vec<DiffDoc>,
    sets: PrintLog,
    /// Every input document with what became of it (status of reading and cleaning).
    reports: Vec<DocReport>,
    /// With `--show`: the cleaned text of every document, by its position in `docs`.
    texts: Option<TextLog>,
    failed: usize,
    interrupted: bool,
    seconds: f64,
}

impl ScannedVersion {
    fn version(&self) -> Version<'_> {
        Version {
            docs: &self.docs,
            sets: &self.sets as &dyn PrintStore,
        }
    }

    fn text(&self, id: &str) -> Result<Option<String>> {
        let Some(texts) = &self.texts else {
            return Ok(None);
        };
        match self.docs.iter().position(|d| d.id == id) {
            Some(n) => Ok(Some(texts.get(n as u32)?)),
            None => Ok(None),
        }
    }
}

/// Clean and fingerprint every document of one version.
fn scan(
    input: &Path,
    settings: &Settings,
    console: &Console,
    spill_dir: &Path,
    keep_texts: bool,
) -> Result<ScannedVersion> {
    let start = Instant::now();
    let (sources, walk_errors) = read::discover(std::slice::from_ref(&input.to_path_buf()));
    console.pass("reading", read::input_bytes(&sources), read::bytes_read());
    // The dedup step is what fingerprints; here it never removes anything.
    let mut steps = settings.steps.clone();
    if !steps.contains(&Step::Dedup) {
        steps.push(Step::Dedup);
    }
    let settings = Settings {
        steps,
        ..settings.clone()
    };
    let options = StageOptions::of(&settings)?;
    let corpus_stats =
        wants_corpus(&settings).then(|| corpus_stats(&settings, &options, &sources, console));
    let options = StageOptions {
        corpus_stats: corpus_stats.clone(),
        ..options
    };
    let pipeline = Pipeline::new(&settings.steps, &options);
    let fingerprinter = Fingerprinter {
        view: None,
        corpus_stats,
        defer_templates: false,
        // diff compares documents and their lines, never spans.
        spans: false,
    };
    let reader = Reader {
        sources: &sources,
        text_field: &settings.text_field,
        id_field: &settings.id_field,
        html_field: settings.html_field.as_deref(),
        pages: None,
        keep_fields: false,
    };
    let step = DocumentStep {
        settings: &settings,
        filters: &Default::default(),
        reader: &reader,
        pipeline: &pipeline,
        fingerprinter: Some(&fingerprinter),
        writes: false,
        keeps_output: true,
        normalized: None,
    };
    let mut sink = DiffSink {
        input,
        console,
        scanned: ScannedVersion {
            input: input.to_path_buf(),
            docs: Vec::new(),
            sets: PrintLog::create_in(spill_dir),
            reports: Vec::new(),
            texts: keep_texts.then(|| TextLog::create_in(spill_dir)),
            failed: 0,
            interrupted: false,
            seconds: 0.0,
        },
    };
    let engine = Engine {
        threads: settings.threads,
    };
    let end = engine.run(
        |each| reader.items(&walk_errors, each),
        Item::bytes,
        |item| step.run(item),
        &mut sink,
    )?;
    let mut scanned = sink.scanned;
    scanned.interrupted = end == RunEnd::Interrupted;
    scanned.seconds = start.elapsed().as_secs_f64();
    Ok(scanned)
}

struct DiffSink<'a> {
    input: &'a Path,
    console: &'a Console,
    scanned: ScannedVersion,
}

impl Sink<Event> for DiffSink<'_> {
    fn event(&mut self, event: Event) -> Result<()> {
        let Event::Doc(outcome) = event else {
            return Ok(());
        };
        self.console.document_done(read::bytes_read());
        let mut report = outcome.report;
        // Name the version in messages: the same relative path exists on both sides.
        let named = DocReport {
            source: format!("{}/{}", self.input.display(), report.source),
            ..report.clone()
        };
        tell(self.console, &named);
        if report.status == Status::Failed {
            self.scanned.failed += 1;
        }
        // An empty document (nothing left after cleaning) still exists in its version.
        let print = match (outcome.fingerprint, report.status) {
            // The diff runs a corpus pass: every print is done.
            (Some(Print::Done(print)), _) => Some(print),
            (Some(Print::Scanned { .. }), _) => {
                unreachable!("diff counts templates first")
            }
            (None, Status::Empty) => Some(crate::dedup::Fingerprint::of(
                &crate::document::Document::from_text(report.id.as_str(), ""),
            )),
            _ => None,
        };
        if let Some(print) = print {
            let sets = self.scanned.sets.put(&print.sets)?;
            if let Some(texts) = &mut self.scanned.texts {
                let text = match (outcome.dedup_text, outcome.output) {
                    (Some(text), _) | (None, Output::Text(text)) => text,
                    _ => String::new(),
                };
                texts.push(&text)?;
            }
            self.scanned.docs.push(DiffDoc {
                id: report.id.clone(),
                exact: print.exact,
                sequence: print.sequence,
                signature: print.signature,
                sets,
                passages: print.lines,
            });
        }
        report.cluster = None;
        self.scanned.reports.push(report);
        Ok(())
    }
}

/// Per document path: its status and the path it was matched with.
type Statuses<'a> = HashMap<&'a str, (&'static str, &'a str)>;

/// The status of each document in `documents.jsonl`, and what it was matched with.
fn statuses(changes: &Changes) -> (Statuses<'_>, Statuses<'_>) {
    let (mut old, mut new) = (HashMap::new(), HashMap::new());
    for r in &changes.renamed {
        old.insert(r.old.as_str(), ("renamed", r.new.as_str()));
        new.insert(r.new.as_str(), ("renamed", r.old.as_str()));
    }
    for m in &changes.modified {
        old.insert(m.old.as_str(), ("modified", m.new.as_str()));
        new.insert(m.new.as_str(), ("modified", m.old.as_str()));
    }
    for a in &changes.added {
        new.insert(a.as_str(), ("added", ""));
    }
    for r in &changes.removed {
        old.insert(r.as_str(), ("removed", ""));
    }
    (old, new)
}

fn write_report(
    dir: &Path,
    args: &DiffArgs,
    settings: &Settings,
    old: &ScannedVersion,
    new: &ScannedVersion,
    changes: &Changes,
    start: Instant,
) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut diff = serde_json::to_vec_pretty(changes)?;
    diff.push(b'\n');
    write_atomic(&dir.join("diff.json"), &diff)?;

    let (old_status, new_status) = statuses(changes);
    let mut lines = Vec::new();
    for (side, scanned, status) in [("old", old, &old_status), ("new", new, &new_status)] {
        let compared: HashSet<&str> = scanned.docs.iter().map(|d| d.id.as_str()).collect();
        for r in &scanned.reports {
            // Read and cleaned documents are compared; the others keep their reading status.
            let (diff_status, other) =
                match (compared.contains(r.id.as_str()), status.get(r.id.as_str())) {
                    (true, Some(&(s, other))) => (json!(s), other),
                    (true, None) => (json!("unchanged"), r.id.as_str()),
                    (false, _) => (json!(r.status), ""),
                };
            let mut line =
                json!({ "side": side, "id": r.id, "source": r.source, "status": diff_status });
            if !other.is_empty() {
                line["match"] = json!(other);
            }
            if let Some(e) = &r.error {
                line["error"] = json!(e);
            }
            serde_json::to_writer(&mut lines, &line)?;
            lines.push(b'\n');
        }
    }
    write_atomic(&dir.join("documents.jsonl"), &lines)?;

    let side = |s: &ScannedVersion| json!({ "input": s.input, "documents": s.reports.len(), "compared": s.docs.len(), "failed": s.failed, "seconds": s.seconds });
    let summary = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "command": "diff",
        "old": side(old),
        "new": side(new),
        "steps": settings.steps.iter().map(|s| s.name()).collect::<Vec<_>>(),
        "threshold": settings.threshold,
        "counts": {
            "added": changes.added.len(),
            "removed": changes.removed.len(),
            "renamed": changes.renamed.len(),
            "modified": changes.modified.len(),
            "unchanged": changes.unchanged,
        },
        "identical": changes.is_empty(),
        "wall_seconds": start.elapsed().as_secs_f64(),
        "show": args.show,
    });
    let mut bytes = serde_json::to_vec_pretty(&summary)?;
    bytes.push(b'\n');
    write_atomic(&dir.join("summary.json"), &bytes)?;
    Ok(())
}

/// One line per changed document and a summary line, like `git diff --stat`.
fn print_stat(out: &mut impl Write, changes: &Changes, color: bool) -> Result<()> {
    let p = Paint(color);
    let mut rows: Vec<(String, String)> = Vec::new();
    for m in &changes.modified {
        let name = if m.old == m.new {
            m.old.clone()
        } else {
            format!("{} => {}", m.old, m.new)
        };
        let detail = format!(
            "{} {:.2} similar, {} {}",
            p.paint("33", "modified"),
            m.similarity,
            p.paint("32", &format!("+{}", m.passages_added)),
            p.paint("31", &format!("-{} passages", m.passages_removed))
        );
        rows.push((name, detail));
    }
    for r in &changes.renamed {
        let mut detail = format!("{} {:.2} similar", p.paint("36", "renamed"), r.similarity);
        if r.passages_added + r.passages_removed > 0 {
            detail += &format!(
                ", {} {}",
                p.paint("32", &format!("+{}", r.passages_added)),
                p.paint("31", &format!("-{} passages", r.passages_removed))
            );
        }
        rows.push((format!("{} => {}", r.old, r.new), detail));
    }
    for a in &changes.added {
        rows.push((a.clone(), p.paint("32", "added")));
    }
    for r in &changes.removed {
        rows.push((r.clone(), p.paint("31", "removed")));
    }
    rows.sort();
    let width = rows
        .iter()
        .map(|(name, _)| name.chars().count())
        .max()
        .unwrap_or(0)
        .min(60);
    for (name, detail) in &rows {
        writeln!(out, " {name:<width$} | {detail}")?;
    }
    let changed = rows.len();
    writeln!(
        out,
        " {} changed: {} added, {} removed, {} renamed, {} modified; {} unchanged",
        crate::console::count(changed as u64, "document", "documents"),
        changes.added.len(),
        changes.removed.len(),
        changes.renamed.len(),
        changes.modified.len(),
        changes.unchanged
    )?;
    Ok(())
}

/// A line-by-line diff of one document's cleaned text (each line a passage); returns whether it
/// changed.
fn show(
    out: &mut impl Write,
    id: &str,
    changes: &Changes,
    old: &ScannedVersion,
    new: &ScannedVersion,
    color: bool,
) -> Result<bool> {
    let (old_id, new_id) = match changes.counterpart(id) {
        Some(pair) => pair,
        None if old.docs.iter().any(|d| d.id == id) && new.docs.iter().any(|d| d.id == id) => {
            writeln!(out, "{id}: unchanged")?;
            return Ok(false);
        }
        None => bail!(
            "no document with id {id} in {} or {}",
            old.input.display(),
            new.input.display()
        ),
    };
    let old_text = match old_id {
        Some(i) => old.text(i)?.unwrap_or_default(),
        None => String::new(),
    };
    let new_text = match new_id {
        Some(i) => new.text(i)?.unwrap_or_default(),
        None => String::new(),
    };
    let old_name = format!("{}/{}", old.input.display(), old_id.unwrap_or("(none)"));
    let new_name = format!("{}/{}", new.input.display(), new_id.unwrap_or("(none)"));
    let diff = similar::TextDiff::from_lines(&old_text, &new_text);
    let p = Paint(color);
    writeln!(out, "{}", p.paint("1", &format!("--- {old_name}")))?;
    writeln!(out, "{}", p.paint("1", &format!("+++ {new_name}")))?;
    for hunk in diff.unified_diff().context_radius(1).iter_hunks() {
        writeln!(out, "{}", p.paint("36", &hunk.header().to_string()))?;
        for change in hunk.iter_changes() {
            let line = change.to_string_lossy();
            let line = line.trim_end_matches('\n');
            match change.tag() {
                similar::ChangeTag::Delete => {
                    writeln!(out, "{}", p.paint("31", &format!("-{line}")))?
                }
                similar::ChangeTag::Insert => {
                    writeln!(out, "{}", p.paint("32", &format!("+{line}")))?
                }
                similar::ChangeTag::Equal => writeln!(out, " {line}")?,
            }
        }
    }
    Ok(true)
}
