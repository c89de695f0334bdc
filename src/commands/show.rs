//! `thresh show ID --report DIR`: what a run did to one document, read back from its report:
//! the document's record, its cluster, and each of its edits as a diff hunk headed by its rule.

use super::exit::Exit;
use crate::cli::ShowArgs;
use crate::console::{stdout_in_colour, Paint};
use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::io::{BufRead, Write};
use std::path::Path;

pub fn run(args: ShowArgs) -> Result<Exit> {
    let mine = |d: &Value| d["id"] == args.id.as_str();
    let docs = records(&args.report.join("documents.jsonl"), mine)?;
    if docs.is_empty() {
        bail!(
            "no document with id {} in {}",
            args.id,
            args.report.join("documents.jsonl").display()
        );
    }
    let p = Paint(stdout_in_colour());
    let mut out = std::io::stdout().lock();
    for doc in &docs {
        writeln!(out, "{}", p.paint("1", &describe(doc)))?;
        if let Some(cluster) = doc["cluster"].as_str() {
            let clusters = args.report.join("clusters.jsonl");
            if let Some(c) = records(&clusters, |c| c["id"] == cluster)?.first() {
                writeln!(out, "{}", cluster_line(c, &args.id))?;
            }
        }
    }
    let mut shown = 0;
    let mut edits = records(&args.report.join("edits.jsonl"), |e| {
        e["doc"] == args.id.as_str()
    })?;
    // In the order of the document's lines (each stage's edits come together in the log).
    edits.sort_by_key(|e| e["line"].as_u64().unwrap_or(0));
    for edit in &edits {
        shown += 1;
        let text = |field: &str| edit[field].as_str().unwrap_or_default().to_string();
        let mut head = format!(
            "@@ line {} @@ {}/{}",
            edit["line"],
            text("stage"),
            text("rule")
        );
        if let Some(n) = edit["count"].as_u64() {
            head.push_str(&format!(" (x{n})"));
        }
        if let Some(evidence) = edit["evidence"].as_str() {
            head.push_str(&format!(" ({evidence})"));
        }
        writeln!(out, "{}", p.paint("36", &head))?;
        for (sign, colour, field) in [("-", "31", "before"), ("+", "32", "after")] {
            let value = text(field);
            if value.is_empty() {
                continue;
            }
            for line in value.split('\n') {
                writeln!(
                    out,
                    "{}",
                    p.paint(colour, &format!("{sign}{}", visible(line)))
                )?;
            }
        }
    }
    if shown == 0 {
        writeln!(out, "no edits")?;
    }
    Ok(Exit::Success)
}

/// The records of a JSON Lines file of the report that `keep` holds, read line by line (edits.jsonl
/// may be large); a damaged line is an error naming the file and line.
fn records(path: &Path, keep: impl Fn(&Value) -> bool) -> Result<Vec<Value>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let bad = || format!("{} line {}", path.display(), n + 1);
        let value: Value = serde_json::from_str(&line.with_context(bad)?).with_context(bad)?;
        if keep(&value) {
            out.push(value);
        }
    }
    Ok(out)
}

/// The document's line: id, source, status, flags, scores worth saying, error or warning.
fn describe(doc: &Value) -> String {
    let mut line = format!(
        "{} ({}): {}",
        doc["id"].as_str().unwrap_or_default(),
        doc["source"].as_str().unwrap_or_default(),
        doc["status"].as_str().unwrap_or_default()
    );
    if let Some(flags) = doc["flags"].as_array().filter(|f| !f.is_empty()) {
        let flags: Vec<&str> = flags.iter().filter_map(Value::as_str).collect();
        line.push_str(&format!("; flags {}", flags.join(", ")));
    }
    if let Some(cluster) = doc["cluster"].as_str() {
        line.push_str(&format!("; cluster {cluster}"));
    }
    for field in ["error", "warning"] {
        if let Some(text) = doc[field].as_str() {
            line.push_str(&format!("; {field}: {text}"));
        }
    }
    line
}

/// The cluster the document is in: who was kept, and how alike this one is.
fn cluster_line(cluster: &Value, id: &str) -> String {
    let kept = cluster["kept"].as_str().unwrap_or_default();
    if kept == id {
        let members = cluster["members"].as_array().map_or(0, Vec::len);
        return format!(
            "kept in cluster {} over {members} other(s)",
            cluster["id"].as_str().unwrap_or_default()
        );
    }
    let me = cluster["members"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["doc"] == id));
    match me {
        Some(m) => format!(
            "{} of {kept} ({}, similarity {})",
            if m["duplicate"] == false {
                "partial copy"
            } else {
                "duplicate"
            },
            m["measure"].as_str().unwrap_or_default(),
            m["similarity"]
        ),
        None => format!(
            "in cluster {}, kept {kept}",
            cluster["id"].as_str().unwrap_or_default()
        ),
    }
}

/// Whitespace that a terminal would not show, made visible: a line of spaces removed, a tab.
fn visible(line: &str) -> String {
    if line.is_empty() {
        return "⏎".to_string();
    }
    line.replace('\t', "→").replace('\u{a0}', "·")
}
