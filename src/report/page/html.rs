//! The page itself: one HTML file with its style inline and no script. Its Content Security
//! Policy forbids every request (`default-src 'none'`): the page cannot reach the network even by
//! mistake, and a browser would report any attempt as an error.

use super::chart;
use super::{esc, EditSample, Histogram, PageData, EDIT_CHARS};
use std::fmt::Write;

fn attr(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

/// `text` as one shell word: ids come from scraped data, and a reader may paste the command.
fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-:@+=,".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// A fragment id made of `text`'s letters and digits.
fn anchor(prefix: &str, text: &str) -> String {
    let slug: String = text
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{prefix}-{slug}")
}

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --bar: #2f6db5;
  --past: #c2410c; --del: #ffe1e1; --ins: #dcf5dc; }
* { box-sizing: border-box; }
body { font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  margin: 0 auto; padding: 1rem 1.5rem 4rem; max-width: 80rem; }
h1 { font-size: 1.8rem; margin: .5rem 0; }
h2 { font-size: 1.4rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; margin-top: 2.5rem; }
h3 { font-size: 1.1rem; margin-top: 1.75rem; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
a { color: #0b5cad; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .95rem; max-width: 100%; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.text { max-width: 38rem; overflow-wrap: anywhere; white-space: pre-wrap; }
.note { color: var(--muted); }
figure { margin: 1rem 0; }
figcaption { font-weight: 600; }
svg.chart { width: 100%; max-width: 54rem; height: auto; display: block; font-size: 12px; }
svg .bar { fill: var(--bar); }
svg .past { fill: var(--past); }
svg .hatch { stroke: #fff; stroke-width: 2; }
svg .label, svg .value { fill: var(--ink); }
svg .marker { stroke: var(--ink); stroke-width: 2; stroke-dasharray: 6 4; }
svg .marker-label { fill: var(--ink); font-weight: 600; }
del { background: var(--del); text-decoration: line-through; text-decoration-thickness: 2px; }
ins { background: var(--ins); text-decoration: underline; text-decoration-thickness: 2px; }
blockquote { margin: .5rem 0; padding: .25rem 1rem; border-left: 4px solid var(--line); white-space: pre-wrap; }
details { margin: .5rem 0; }
summary { cursor: pointer; }
.status { font-weight: 600; }
"#;

/// The whole page.
pub fn render(d: &PageData) -> String {
    let s = &d.summary;
    let mut h = String::with_capacity(256 * 1024);
    let title = format!(
        "thresh {} report: {}",
        s["command"].as_str().unwrap_or("run"),
        inputs(d)
    );
    let _ = write!(
        h,
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="generator" content="thresh {version}">
<title>{title}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>{title}</h1>
<nav aria-label="Sections"><ul><li><a href="#run">The run</a></li><li><a href="#rules">Rules</a></li><li><a href="#documents">Documents</a></li><li><a href="#duplicates">Duplicates</a></li><li><a href="#problems">Problems</a></li></ul></nav>
</header>
<main>
"##,
        version = attr(s["version"].as_str().unwrap_or("")),
        title = esc(&title),
    );
    run_section(&mut h, d);
    rules_section(&mut h, d);
    documents_section(&mut h, d);
    duplicates_section(&mut h, d);
    problems_section(&mut h, d);
    h.push_str("</main>\n</body>\n</html>\n");
    h
}

fn inputs(d: &PageData) -> String {
    d.summary["inputs"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

fn num(v: &serde_json::Value) -> u64 {
    v.as_u64().unwrap_or(0)
}

/// A table of two columns from (name, value) rows, the values right-aligned as numbers.
fn key_values(h: &mut String, caption: &str, head: (&str, &str), rows: &[(String, String)]) {
    table_of(h, caption, head, rows, "n");
}

/// [`key_values`] with the values' cell class given (`""` for text).
fn table_of(
    h: &mut String,
    caption: &str,
    head: (&str, &str),
    rows: &[(String, String)],
    class: &str,
) {
    let _ = write!(h, "<table><caption>{}</caption>", esc(caption));
    if !head.0.is_empty() || !head.1.is_empty() {
        let _ = write!(
            h,
            "<thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"{class}\">{}</th></tr></thead>",
            esc(head.0),
            esc(head.1)
        );
    }
    h.push_str("<tbody>");
    for (k, v) in rows {
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th><td class=\"{class}\">{}</td></tr>",
            esc(k),
            esc(v)
        );
    }
    h.push_str("</tbody></table>\n");
}

/// A chart in a figure, with a table of its numbers a click away.
fn chart_figure(
    h: &mut String,
    svg: String,
    caption: &str,
    head: (&str, &str),
    rows: &[(String, u64)],
) {
    let _ = write!(h, "<figure>{svg}<figcaption>{}</figcaption>", esc(caption));
    h.push_str("<details><summary>The numbers</summary>");
    let rows: Vec<(String, String)> = rows
        .iter()
        .map(|(k, v)| (k.clone(), v.to_string()))
        .collect();
    key_values(h, caption, head, &rows);
    h.push_str("</details></figure>\n");
}

fn run_section(h: &mut String, d: &PageData) {
    let s = &d.summary;
    let c = &s["counts"];
    h.push_str("<section id=\"run\" aria-labelledby=\"run-h\">\n<h2 id=\"run-h\">The run</h2>\n");
    let bytes_in = num(&s["bytes_in"]);
    let bytes_out = num(&s["bytes_out"]);
    let kept_share = if bytes_in > 0 {
        format!(
            " ({:.1}% of the text read)",
            bytes_out as f64 / bytes_in as f64 * 100.0
        )
    } else {
        String::new()
    };
    let steps = s["steps"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let rows = vec![
        (
            "Command".to_string(),
            format!(
                "thresh {} {}",
                s["command"].as_str().unwrap_or(""),
                s["version"].as_str().unwrap_or("")
            ),
        ),
        ("Inputs".into(), inputs(d)),
        ("Steps".into(), steps),
        ("Documents".into(), num(&c["documents"]).to_string()),
        ("Written".into(), num(&c["written"]).to_string()),
        ("Bytes of text read".into(), bytes_in.to_string()),
        ("Bytes written".into(), format!("{bytes_out}{kept_share}")),
        ("Edits".into(), num(&s["edits"]).to_string()),
        (
            "Interrupted".into(),
            if s["interrupted"].as_bool().unwrap_or(false) {
                "yes: documents not reached are pending".into()
            } else {
                "no".into()
            },
        ),
    ];
    table_of(h, "What was run", ("", ""), &rows, "");

    let statuses: Vec<(String, u64)> = c["by_status"]
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), num(v))).collect())
        .unwrap_or_default();
    chart_figure(
        h,
        chart::bars("chart-status", "Documents by status", &statuses),
        "Documents by status",
        ("status", "documents"),
        &statuses,
    );

    let mut stages: Vec<(String, f64)> = s["stage_seconds"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_f64().unwrap_or(0.0)))
                .collect()
        })
        .unwrap_or_default();
    stages.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    // Times differ from run to run; all else on the page is the report's, whatever the threads.
    h.push_str("<div id=\"run-timing\">");
    let _ = write!(
        h,
        "<p>Wall time: {:.2} s, on {} threads.</p>",
        s["wall_seconds"].as_f64().unwrap_or(0.0),
        match s["settings"]["threads"].as_u64() {
            Some(0) | None => "all the machine's".to_string(),
            Some(n) => n.to_string(),
        }
    );
    let millis: Vec<(String, u64)> = stages
        .iter()
        .map(|(k, v)| (k.clone(), (v * 1000.0).round() as u64))
        .collect();
    chart_figure(
        h,
        chart::bars(
            "chart-time",
            "Time per stage (milliseconds, summed over threads)",
            &millis,
        ),
        "Time per stage, in milliseconds summed over threads",
        ("stage", "milliseconds"),
        &millis,
    );
    h.push_str("</div>");

    if let Some(settings) = s["settings"].as_object() {
        let rows: Vec<(String, String)> = settings
            .iter()
            // The threads change nothing in the report; they are told with the times.
            .filter(|(k, _)| *k != "threads")
            .map(|(k, v)| {
                let shown = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => "(default)".into(),
                    serde_json::Value::Array(a) if a.is_empty() => "(none)".into(),
                    serde_json::Value::Array(a) => a
                        .iter()
                        .map(|x| x.as_str().map_or_else(|| x.to_string(), String::from))
                        .collect::<Vec<_>>()
                        .join(", "),
                    other => other.to_string(),
                };
                (k.clone(), shown)
            })
            .collect();
        h.push_str("<details><summary>Settings</summary>");
        table_of(
            h,
            "Settings (flags over config over defaults)",
            ("setting", "value"),
            &rows,
            "",
        );
        h.push_str("</details>\n");
    }
    h.push_str("</section>\n");
}

fn rules_section(h: &mut String, d: &PageData) {
    h.push_str(
        "<section id=\"rules\" aria-labelledby=\"rules-h\">\n<h2 id=\"rules-h\">Rules</h2>\n",
    );
    if d.rules.is_empty() {
        h.push_str("<p>No rule made an edit.</p></section>\n");
        return;
    }
    let total = num(&d.summary["edits"]);
    if d.edits_logged < total {
        let _ = writeln!(
            h,
            "<p class=\"note\">edits.jsonl holds {} of the {} edits (the run's <code>--edits</code> setting): the counts are of every edit, the samples of those logged.</p>",
            d.edits_logged, total
        );
    }
    let mut per_stage: Vec<(String, u64)> = Vec::new();
    for r in &d.rules {
        match per_stage.iter_mut().find(|(s, _)| *s == r.stage) {
            Some(entry) => entry.1 += r.edits,
            None => per_stage.push((r.stage.clone(), r.edits)),
        }
    }
    chart_figure(
        h,
        chart::bars("chart-stages", "Edits per stage", &per_stage),
        "Edits per stage",
        ("stage", "edits"),
        &per_stage,
    );
    let per_rule: Vec<(String, u64)> = d
        .rules
        .iter()
        .map(|r| (format!("{}/{}", r.stage, r.rule), r.edits))
        .collect();
    let _ = writeln!(
        h,
        "<figure>{}<figcaption>Edits per rule (stage/rule); the table below gives the numbers</figcaption></figure>",
        chart::bars("chart-rules", "Edits per rule", &per_rule)
    );
    let _ = write!(
        h,
        "<table><caption>Edits per rule</caption><thead><tr><th scope=\"col\">stage</th><th scope=\"col\">rule</th><th scope=\"col\" class=\"n\">edits</th></tr></thead><tbody>"
    );
    for r in &d.rules {
        let _ = write!(
            h,
            "<tr><td>{}</td><td><a href=\"#{}\">{}</a></td><td class=\"n\">{}</td></tr>",
            esc(&r.stage),
            anchor("rule", &format!("{}-{}", r.stage, r.rule)),
            esc(&r.rule),
            r.edits
        );
    }
    h.push_str("</tbody></table>\n");

    for r in &d.rules {
        let id = anchor("rule", &format!("{}-{}", r.stage, r.rule));
        let _ = writeln!(
            h,
            "<section class=\"rule\" id=\"{id}\" aria-labelledby=\"{id}-h\"><h3 id=\"{id}-h\">{} / {}: {} edits</h3>",
            esc(&r.stage),
            esc(&r.rule),
            r.edits
        );
        if !r.sites.is_empty() {
            key_values(
                h,
                &format!("Sites where {}/{} made the most edits", r.stage, r.rule),
                ("site", "edits"),
                &r.sites
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_string()))
                    .collect::<Vec<_>>(),
            );
        }
        if r.samples.is_empty() {
            h.push_str("<p class=\"note\">None of its edits is in edits.jsonl.</p>");
        } else {
            edit_table(
                h,
                &format!(
                    "{} of its edits, sampled: removed text struck through, added text underlined",
                    r.samples.len()
                ),
                &r.samples,
                true,
            );
        }
        h.push_str("</section>\n");
    }
    h.push_str("</section>\n");
}

/// A table of edits, before and after, with what changed marked.
fn edit_table(h: &mut String, caption: &str, edits: &[EditSample], with_doc: bool) {
    let _ = write!(
        h,
        "<table class=\"edits\"><caption>{}</caption><thead><tr>{}<th scope=\"col\" class=\"n\">line</th>{}<th scope=\"col\">before</th><th scope=\"col\">after</th></tr></thead><tbody>",
        esc(caption),
        if with_doc { "<th scope=\"col\">document</th>" } else { "" },
        if with_doc { "" } else { "<th scope=\"col\">rule</th>" },
    );
    for e in edits {
        let (before, after) = marked(&e.before, &e.after);
        let count = if e.count > 1 {
            format!(" <span class=\"note\">(×{})</span>", e.count)
        } else {
            String::new()
        };
        let _ = write!(
            h,
            "<tr>{}<td class=\"n\">{}</td>{}<td class=\"text\">{before}</td><td class=\"text\">{after}{count}</td></tr>",
            if with_doc {
                format!("<td>{}</td>", esc(&e.doc))
            } else {
                String::new()
            },
            e.line,
            if with_doc {
                String::new()
            } else {
                format!("<td>{}/{}</td>", esc(&e.stage), esc(&e.rule))
            },
        );
    }
    h.push_str("</tbody></table>\n");
}

/// `before` and `after` as HTML, what the edit removed in `<del>` and what it added in `<ins>`,
/// word by word; line breaks and invisible characters made visible.
fn marked(before: &str, after: &str) -> (String, String) {
    let shown = |s: &str| {
        let s = super::truncate(s, EDIT_CHARS);
        let mut out = String::new();
        for c in s.chars() {
            match c {
                '\n' => out.push_str("↵\n"),
                '\t' => out.push('→'),
                c if c.is_control()
                    || matches!(c, '\u{a0}' | '\u{200b}'..='\u{200f}' | '\u{feff}') =>
                {
                    let _ = write!(out, "\\u{{{:04x}}}", c as u32);
                }
                c => out.push(c),
            }
        }
        out
    };
    let (b, a) = (shown(before), shown(after));
    if a.is_empty() {
        return (
            format!("<del>{}</del>", esc(&b)),
            "<span class=\"note\">(removed)</span>".into(),
        );
    }
    let diff = similar::TextDiff::from_words(b.as_str(), a.as_str());
    let (mut old, mut new) = (String::new(), String::new());
    for change in diff.iter_all_changes() {
        let v = esc(change.value());
        match change.tag() {
            similar::ChangeTag::Equal => {
                old.push_str(&v);
                new.push_str(&v);
            }
            similar::ChangeTag::Delete => {
                let _ = write!(old, "<del>{v}</del>");
            }
            similar::ChangeTag::Insert => {
                let _ = write!(new, "<ins>{v}</ins>");
            }
        }
    }
    (old, new)
}

fn histogram_figure(h: &mut String, id: &str, title: &str, hist: &Histogram, unit: &str) {
    let caption = match &hist.marker {
        Some((_, words)) => format!("{title}; dashed line: {words}, bars past it hatched"),
        None => title.to_string(),
    };
    chart_figure(
        h,
        chart::histogram(id, title, hist),
        &caption,
        (unit, "documents"),
        &hist.bars,
    );
}

fn documents_section(h: &mut String, d: &PageData) {
    h.push_str("<section id=\"documents\" aria-labelledby=\"documents-h\">\n<h2 id=\"documents-h\">Documents</h2>\n");
    histogram_figure(
        h,
        "chart-removed",
        "Share of each written document's text that cleaning removed",
        &d.removed,
        "share removed",
    );
    if d.lost_most.is_empty() {
        h.push_str("<p>No document lost any text.</p>\n");
    } else {
        let _ = write!(
            h,
            "<table><caption>The {} documents that lost the most</caption><thead><tr><th scope=\"col\" class=\"n\">rank</th><th scope=\"col\">document</th><th scope=\"col\">status</th><th scope=\"col\" class=\"n\">removed</th><th scope=\"col\" class=\"n\">bytes before</th><th scope=\"col\" class=\"n\">bytes after</th><th scope=\"col\" class=\"n\">edits</th></tr></thead><tbody>",
            d.lost_most.len()
        );
        for (i, doc) in d.lost_most.iter().enumerate() {
            let _ = write!(
                h,
                "<tr><td class=\"n\">{}</td><td><a href=\"#doc-{}\">{}</a></td><td>{}</td><td class=\"n\">{:.1}%</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                i + 1,
                i + 1,
                esc(&doc.id),
                esc(&doc.status),
                doc.share * 100.0,
                doc.bytes_in,
                doc.bytes_out,
                doc.edits_total
            );
        }
        h.push_str("</tbody></table>\n");
    }
    histogram_figure(
        h,
        "chart-spin",
        "Spin scores (points per 1,000 words)",
        &d.spin,
        "score",
    );
    histogram_figure(
        h,
        "chart-machine",
        "Share of each document's text that was machine text",
        &d.machine_text,
        "share removed",
    );
    for (i, doc) in d.lost_most.iter().enumerate() {
        let _ = write!(
            h,
            "<section class=\"doc\" id=\"doc-{n}\" aria-labelledby=\"doc-{n}-h\"><h3 id=\"doc-{n}-h\">{n}. {id}: {share:.1}% removed</h3>",
            n = i + 1,
            id = esc(&doc.id),
            share = doc.share * 100.0
        );
        let shown = if (doc.edits.len() as u64) < doc.edits_total {
            format!(
                "Its first {} of {} edits in edits.jsonl, before and after",
                doc.edits.len(),
                doc.edits_total
            )
        } else {
            format!("Its {} edits, before and after", doc.edits.len())
        };
        if doc.edits.is_empty() {
            h.push_str("<p class=\"note\">None of its edits is in edits.jsonl.</p>");
        } else {
            edit_table(h, &shown, &doc.edits, false);
        }
        let _ = writeln!(
            h,
            "<p><a href=\"#documents\">Back to the documents</a>; <code>thresh show {} --report DIR</code> prints it on a terminal.</p></section>",
            esc(&shell_word(&doc.id))
        );
    }
    h.push_str("</section>\n");
}

fn duplicates_section(h: &mut String, d: &PageData) {
    h.push_str("<section id=\"duplicates\" aria-labelledby=\"duplicates-h\">\n<h2 id=\"duplicates-h\">Duplicates</h2>\n");
    let clusters: u64 = d.cluster_sizes.values().sum();
    let sizes: Vec<(String, u64)> = d
        .cluster_sizes
        .iter()
        .map(|(size, n)| (format!("{size} documents"), *n))
        .collect();
    let _ = writeln!(
        h,
        "<p>{clusters} document clusters, {} passages found in several documents.</p>",
        d.passage_count
    );
    chart_figure(
        h,
        chart::bars("chart-clusters", "Clusters by size", &sizes),
        "Clusters by size (documents in the cluster, the kept one included)",
        ("size", "clusters"),
        &sizes,
    );
    if !d.clusters.is_empty() {
        let _ = writeln!(h, "<h3>The {} largest clusters</h3>", d.clusters.len());
    }
    for c in &d.clusters {
        let _ = write!(
            h,
            "<table><caption>Cluster {}: {} documents, kept {} ({})</caption><thead><tr><th scope=\"col\">member</th><th scope=\"col\" class=\"n\">similarity</th><th scope=\"col\" class=\"n\">containment</th><th scope=\"col\">measure</th><th scope=\"col\">duplicate</th></tr></thead><tbody>",
            esc(c["id"].as_str().unwrap_or("")),
            num(&c["size"]),
            esc(c["kept"].as_str().unwrap_or("")),
            esc(c["reason"].as_str().unwrap_or(""))
        );
        for m in c["members"].as_array().into_iter().flatten() {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{:.3}</td><td class=\"n\">{:.3}</td><td>{}</td><td>{}</td></tr>",
                esc(m["doc"].as_str().unwrap_or("")),
                m["similarity"].as_f64().unwrap_or(0.0),
                m["containment"].as_f64().unwrap_or(0.0),
                esc(m["measure"].as_str().unwrap_or("")),
                if m["duplicate"].as_bool().unwrap_or(true) { "yes" } else { "no (partial)" }
            );
        }
        h.push_str("</tbody></table>\n");
    }
    if !d.passages.is_empty() {
        let _ = writeln!(h, "<h3>Passages found in the most documents</h3>");
    }
    for p in &d.passages {
        let members = p["members"].as_array().cloned().unwrap_or_default();
        let first = members.first().cloned().unwrap_or_default();
        let _ = write!(
            h,
            "<figure class=\"passage\"><figcaption>Passage {}: {} documents, {} words</figcaption><blockquote>{}</blockquote>",
            esc(p["id"].as_str().unwrap_or("")),
            members.len(),
            num(&first["words"]),
            esc(first["text"].as_str().unwrap_or(""))
        );
        let _ = write!(
            h,
            "<table><caption>Where passage {} occurs (the first is its source)</caption><thead><tr><th scope=\"col\">document</th><th scope=\"col\" class=\"n\">line</th><th scope=\"col\" class=\"n\">similarity</th></tr></thead><tbody>",
            esc(p["id"].as_str().unwrap_or(""))
        );
        for m in &members {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.3}</td></tr>",
                esc(m["doc"].as_str().unwrap_or("")),
                num(&m["passage"]),
                m["similarity"].as_f64().unwrap_or(0.0)
            );
        }
        h.push_str("</tbody></table></figure>\n");
    }
    h.push_str("</section>\n");
}

fn problems_section(h: &mut String, d: &PageData) {
    h.push_str("<section id=\"problems\" aria-labelledby=\"problems-h\">\n<h2 id=\"problems-h\">Problems</h2>\n");
    if d.problem_count == 0 {
        h.push_str("<p>No input failed or was skipped.</p>\n");
    } else {
        let _ = write!(
            h,
            "<table><caption>Failed, skipped and pending inputs: {}{}</caption><thead><tr><th scope=\"col\">input</th><th scope=\"col\">status</th><th scope=\"col\">reason</th></tr></thead><tbody>",
            d.problem_count,
            if (d.problems.len() as u64) < d.problem_count {
                format!(" (the first {} shown)", d.problems.len())
            } else {
                String::new()
            }
        );
        for p in &d.problems {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"status\">{}</td><td class=\"text\">{}</td></tr>",
                esc(&p.id),
                esc(&p.status),
                esc(&p.reason)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edit_marks_what_it_removed_and_added_and_escapes_the_rest() {
        let (before, after) = marked("fish <b> chips", "fish & chips");
        assert!(before.contains("<del>&lt;b&gt;</del>"), "{before}");
        assert!(after.contains("<ins>&amp;</ins>"), "{after}");
        let (before, after) = marked("Share this\n", "");
        assert_eq!(before, "<del>Share this↵\n</del>");
        assert!(after.contains("removed"));
        let (before, _) = marked("10\u{a0}kg", "10 kg");
        assert!(before.contains("\\u{00a0}"), "{before}");
    }

    #[test]
    fn an_id_in_a_command_is_one_shell_word() {
        assert_eq!(shell_word("news/ferry.txt"), "news/ferry.txt");
        assert_eq!(shell_word("x; rm -rf ~"), "'x; rm -rf ~'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
    }
}
