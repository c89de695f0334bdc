//! Every command-line flag, defined in one place.

use crate::config::{ConfigFile, Overrides, Settings, Step};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  thresh clean ./scraped --out ./clean --report ./report
  thresh clean corpus.jsonl.zst --out ./clean --text-field body --id-field url
  thresh clean ./scraped --out ./clean --steps normalize -j 4
  thresh clean ./scraped --dry-run --keep content-lines.txt > would-change.jsonl
  thresh clean ./scraped --out ./clean --rule-off glued_words --filter gopher --languages en
  zcat corpus.jsonl.gz | thresh clean - --stdin-format jsonl > clean.jsonl
  cat page.txt | thresh clean -
  thresh dedup ./scraped --report ./dups --out ./unique --threshold 0.85
  thresh diff ./scrape-2026-10 ./scrape-2026-11
  thresh diff old.jsonl.zst ./new-folder --json > changes.json
  thresh diff ./scrape-2026-10 ./scrape-2026-11 --show news/ferry.txt

Exit status: 0 success, 1 finished but some inputs failed (see the report),
2 usage or fatal error (nothing written), 130 interrupted (finished files stay valid).
thresh diff: 0 identical, 1 different, 2 error.";

#[derive(Debug, Parser)]
#[command(
    name = "thresh",
    version,
    about = "Turn a messy scraped text corpus into a clean, deduplicated one",
    after_help = EXAMPLES
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Clean a corpus: normalize, strip boilerplate and machine text, repair, deduplicate.
    #[command(after_help = EXAMPLES)]
    Clean(CleanArgs),
    /// Deduplicate: compare documents as `clean` would leave them (every step but repair), cluster
    /// near-duplicate documents and passages, and write the cluster report and (with --out) the
    /// corpus without its duplicates, rewritten by normalize only.
    #[command(after_help = EXAMPLES)]
    Dedup(DedupArgs),
    /// Compare two versions of a corpus after cleaning both: documents added, removed, renamed
    /// (moved) and modified. Exit 0 when identical, 1 when different, 2 on error.
    #[command(after_help = EXAMPLES)]
    Diff(DiffArgs),
    /// Write each document's dedup signature (MinHash, LSH band hashes, exact sets) to
    /// --out/signatures.parquet, compared as `thresh dedup` compares: the map step of dedup at
    /// scale, one run per shard (--shard).
    Sign(SignArgs),
    /// Cluster the documents of signature files (from `thresh sign`, one per shard) as one
    /// `thresh dedup` run over them all would, and write the clusters file.
    Cluster(ClusterArgs),
    /// Show what a run did to one document: its status, flags and cluster, and each edit with
    /// its rule, as a coloured diff, from the run's report.
    Show(ShowArgs),
    /// Build the report page, DIR/index.html, from a report folder (`--report` of clean, dedup
    /// or sign): what the run did, to open in a browser. Runs write it themselves; this
    /// rebuilds it.
    Report(ReportArgs),
    /// Print the shell completion script for SHELL (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print thresh's man page (roff), or write one page per command into --out.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The document's id, as in documents.jsonl.
    #[arg(value_name = "ID")]
    pub id: String,

    /// The report folder of the run (`--report` of clean or dedup).
    #[arg(long, value_name = "DIR", required = true)]
    pub report: PathBuf,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The report folder.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// Print only errors.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write thresh.1 and thresh-COMMAND.1 for every command into this folder instead.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older version: a folder (walked recursively) or a file (text or JSONL).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,

    /// The newer version, of either kind.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,

    /// Folder for the report: diff.json (what --json prints), documents.jsonl (every input
    /// document of both versions with its status) and summary.json.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,

    /// Print one JSON object instead of the human summary: {"added", "removed", "renamed",
    /// "modified", "unchanged"}.
    #[arg(long, conflicts_with = "show")]
    pub json: bool,

    /// Print a passage-level diff of one document (its id in OLD or in NEW) and nothing else.
    #[arg(long, value_name = "ID")]
    pub show: Option<String>,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct SignArgs {
    /// Folders (walked recursively) and files.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Folder for signatures.parquet (with --shard, in a folder of the shard's own inside it).
    #[arg(short, long, value_name = "DIR", required = true)]
    pub out: PathBuf,

    /// Folder for the report: documents.jsonl, edits.jsonl, summary.json.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,

    /// Sign only shard I of N (from 0) of the input files; `N` alone takes I from
    /// SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX. A finished shard is not signed again.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ClusterArgs {
    /// Signature files, or folders holding them (walked for *.parquet in name order); their
    /// documents are numbered in the order given.
    #[arg(required = true, value_name = "SIGNATURES")]
    pub signatures: Vec<PathBuf>,

    /// The clusters file to write: clusters.jsonl's records (see the README).
    #[arg(short, long, value_name = "FILE", required = true)]
    pub out: PathBuf,

    /// Which copy of a cluster is kept: `longest` or `first` (in the order of the files given
    /// and their rows) [default: longest].
    #[arg(long, value_name = "WHICH")]
    pub keep_duplicate: Option<crate::config::KeepDuplicate>,

    /// Incremental dedup at scale: cluster with the documents that earlier runs with this index
    /// kept as well, keep their copy of any duplicate, and add the kept documents of these
    /// signature files to DIR.
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// Print only errors.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct DedupArgs {
    /// Folders (walked recursively) and files, compared as one corpus.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Folder for the report: clusters.jsonl, passages.jsonl, documents.jsonl, edits.jsonl,
    /// summary.json.
    #[arg(long, value_name = "DIR", required = true)]
    pub report: PathBuf,

    /// Folder for the corpus without its duplicates (normalized, mirroring the input layout).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    #[command(flatten)]
    pub dedup: DedupOptions,

    #[command(flatten)]
    pub output: OutputOptions,

    #[command(flatten)]
    pub common: CommonArgs,
}

/// Options of the written corpus, for `clean` and `dedup`.
#[derive(Debug, Args, Clone)]
pub struct OutputOptions {
    /// Write into a non-empty --out folder that thresh did not write (files of the same name are
    /// replaced; other files are left alone). A folder thresh wrote before is replaced without
    /// it: nothing of the earlier run survives that the new report does not account for.
    #[arg(long)]
    pub overwrite: bool,

    /// A document that fails with an internal error is reported `failed` and the run goes on:
    /// `skip` leaves it out of the output, `keep` writes its input unchanged [default: skip].
    #[arg(long, value_name = "MODE")]
    pub on_error: Option<crate::config::OnError>,

    /// How a page read from HTML is written: `text`, one block a line (`page.html` ->
    /// `page.txt`), or `markdown`, its headings, tables, code and quotations marked
    /// (`page.md`) [default: text].
    #[arg(long, value_name = "FORMAT")]
    pub html_output: Option<crate::config::HtmlOutput>,

    /// `mirror`: --out mirrors the inputs; `jsonl`: one file, --out/documents.jsonl, a record per
    /// document with its id, text and a page's metadata [default: mirror].
    #[arg(long, value_name = "FORMAT")]
    pub out_format: Option<crate::config::OutFormat>,

    /// Process only shard I of N (from 0) of the input files, into --out/shard-IIII-of-NNNN and
    /// --report/shard-IIII-of-NNNN, and mark it done; a finished shard is not run again. `N`
    /// alone takes I from SLURM_ARRAY_TASK_ID (less SLURM_ARRAY_TASK_MIN) or
    /// JOB_COMPLETION_INDEX. Dedup and corpus statistics are per shard.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,

    /// Which edits go to edits.jsonl: `all`, `changes` (those that change the words, not those
    /// that only change spacing and line breaks, such as joined line breaks), or `none`; the
    /// summary counts every edit either way [default: all].
    #[arg(long, value_name = "WHICH")]
    pub edits: Option<crate::config::EditLog>,

    /// Write each JSON Lines output record's cluster id (or null) into this field, replacing a
    /// field of that name the record had.
    #[arg(long, value_name = "NAME")]
    pub cluster_field: Option<String>,
}

impl OutputOptions {
    /// These flags over the config file: the settings of the written corpus.
    pub fn override_into(&self, o: &mut Overrides) {
        o.on_error = self.on_error;
        o.edits = self.edits;
        o.cluster_field = self.cluster_field.clone();
        o.html_output = self.html_output;
        o.out_format = self.out_format;
    }
}

/// The shard a `--shard` flag names, if any, from this process's environment.
pub fn shard_flag(spec: Option<&str>) -> anyhow::Result<Option<crate::read::Shard>> {
    spec.map(|spec| shard(spec, |k| std::env::var(k).ok()))
        .transpose()
}

/// The shard `--shard` names: `I/N`, or `N` with I from an array job's environment (`env` looks
/// a variable up).
pub fn shard(
    spec: &str,
    env: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<crate::read::Shard> {
    let number = |s: &str, what: &str| -> anyhow::Result<u32> {
        s.trim()
            .parse()
            .map_err(|_| anyhow::anyhow!("--shard {spec}: {what} {s:?} is not a number"))
    };
    let (index, count) = match spec.split_once('/') {
        Some((i, n)) => (number(i, "the shard")?, number(n, "the count")?),
        None => {
            let count = number(spec, "the count")?;
            let index = if let Some(id) = env("SLURM_ARRAY_TASK_ID") {
                let min = env("SLURM_ARRAY_TASK_MIN").unwrap_or_else(|| "0".into());
                let (id, min) = (
                    number(&id, "SLURM_ARRAY_TASK_ID")?,
                    number(&min, "SLURM_ARRAY_TASK_MIN")?,
                );
                id.checked_sub(min).ok_or_else(|| {
                    anyhow::anyhow!("--shard {spec}: SLURM_ARRAY_TASK_ID {id} is below SLURM_ARRAY_TASK_MIN {min}")
                })?
            } else if let Some(id) = env("JOB_COMPLETION_INDEX") {
                number(&id, "JOB_COMPLETION_INDEX")?
            } else {
                anyhow::bail!(
                    "--shard {spec}: give I/N, or run in an array job (SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX is not set)"
                );
            };
            (index, count)
        }
    };
    crate::read::Shard::new(index, count).ok_or_else(|| {
        anyhow::anyhow!(
            "--shard {spec}: shard {index} of {count} does not exist (shards are numbered from 0)"
        )
    })
}

/// Options of the dedup step, for `clean` and `dedup`.
#[derive(Debug, Args, Clone)]
pub struct DedupOptions {
    /// Passages (spans of text shared by kept documents, wherever they stand) found in several
    /// documents: `report` lists them in passages.jsonl, `drop` also cuts every copy after the
    /// first out of the documents written, in whole sentences [default: report].
    #[arg(long, value_name = "MODE")]
    pub passages: Option<crate::config::PassageMode>,

    /// Words a shared span needs to be a passage, at least 16 (a shorter shared run is found
    /// only by chance) [default: 30 words, or two whole sentences of 16 words or more].
    #[arg(long, value_name = "N")]
    pub min_span_words: Option<u32>,

    /// Make a kept document a duplicate when this share of its words are copies of earlier
    /// documents' passages (e.g. 0.8); documents from half copied on are reported in
    /// clusters.jsonl as partial duplicates either way.
    #[arg(long, value_name = "SHARE")]
    pub containment: Option<f64>,

    /// Take dedup's decisions from a clusters file (`thresh cluster` over every shard's
    /// signatures) instead of clustering: the documents it names as duplicates are not written.
    /// With --shard, each shard is written without the duplicates found across all of them.
    #[arg(long, value_name = "FILE")]
    pub clusters: Option<PathBuf>,

    /// Incremental dedup: compare with the documents that earlier runs with this index kept
    /// (their signatures are in DIR; the old corpus is not read), keep their copy of any
    /// duplicate, and add this run's kept documents to DIR when the run completes. Made if
    /// missing; one made at another --threshold is refused.
    #[arg(long, value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// Which copy of a cluster of duplicates is kept: `longest`, the most complete (most words;
    /// ties: first by id); `first`, the first in input order; `field:NAME`, the one whose field
    /// NAME (a JSON record's, or a page's `date`, `title`, ...) holds the lowest value (the
    /// oldest date), or `field:-NAME` the highest; copies without it come last, ties go to the
    /// most complete [default: longest].
    #[arg(long, value_name = "WHICH")]
    pub keep_duplicate: Option<crate::config::KeepDuplicate>,
}

impl DedupOptions {
    /// These flags over the config file: the settings of the dedup step.
    pub fn override_into(&self, o: &mut Overrides) {
        o.passages = self.passages;
        o.min_span_words = self.min_span_words;
        o.containment = self.containment;
        o.keep_duplicate = self.keep_duplicate.clone();
    }
}

/// What standard input holds (`--stdin-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum StdinFormat {
    /// One document.
    Text,
    /// JSON Lines records, each a document.
    Jsonl,
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Folders (walked recursively), files, or `-` for one document on standard input.
    /// Reads .txt/.text/.md, .html/.htm/.xhtml (as their text) and .jsonl/.ndjson (these two
    /// optionally .gz or .zst); other files are skipped and counted.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Folder for the cleaned corpus, mirroring the input layout and formats. Required unless the
    /// input is `-`, whose cleaned text goes to standard output.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Folder for the report: summary.json, documents.jsonl, edits.jsonl, clusters.jsonl,
    /// passages.jsonl.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,

    /// Report what cleaning would change without writing the cleaned corpus. With --report the
    /// report is written; without it, every edit is printed to standard output as a JSON line.
    #[arg(long)]
    pub dry_run: bool,

    /// What `-` (standard input) holds: `text`, one document, or `jsonl`, JSON Lines records
    /// (`cat corpus.jsonl | thresh clean - --stdin-format jsonl`), cleaned and deduplicated as a
    /// file of them would be and written to standard output as JSON Lines [default: text].
    #[arg(long, value_name = "FORMAT", alias = "format")]
    pub stdin_format: Option<StdinFormat>,

    /// A file of lines (one per line) that are content: boilerplate never removes them, however
    /// often they repeat across the corpus. Compared ignoring case, digits and spacing.
    #[arg(long, value_name = "FILE")]
    pub keep: Option<PathBuf>,

    /// What to do with documents the spin stage flags as spun (rewritten by an article
    /// spinner): `repair` flags them and rewrites the substitutions it is sure of, `flag` only
    /// flags them, `drop` flags them and leaves them out of the output (status `dropped`)
    /// [default: repair].
    #[arg(long, value_name = "MODE")]
    pub spun: Option<crate::config::SpunMode>,

    /// Quality filters to run on each cleaned document (comma-separated, repeatable; none by
    /// default): `gopher` (symbol_ratio, mean_word_length, ellipsis_lines, bullet_lines,
    /// alpha_words), `c4` (lorem_ipsum, curly_braces), or one filter, with `=LIMIT` for its own
    /// limit (`bullet_lines=0.5`, `mean_word_length=3-12`). A document a filter drops is reported
    /// `filtered` with the filter's name and is not written.
    #[arg(long, value_delimiter = ',', value_name = "FILTERS")]
    pub filter: Option<Vec<String>>,

    /// Filter documents left with fewer than N words after cleaning.
    #[arg(long, value_name = "N")]
    pub min_words: Option<usize>,

    /// Keep only documents in these languages (comma-separated ISO 639-1 or 639-3 codes:
    /// `en,de`); a document identified with confidence as another language is filtered. Every
    /// document's identified language is in documents.jsonl either way.
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub languages: Option<Vec<String>>,

    #[command(flatten)]
    pub dedup: DedupOptions,

    #[command(flatten)]
    pub output: OutputOptions,

    #[command(flatten)]
    pub common: CommonArgs,
}

/// Options every command takes.
#[derive(Debug, Args, Clone)]
pub struct CommonArgs {
    /// Worker threads (default: all cores). Output is identical whatever the number.
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Print only errors: no progress bar, warnings or closing summary.
    #[arg(short, long)]
    pub quiet: bool,

    /// Run only these steps (comma-separated) [default: all; for dedup: all but repair].
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub steps: Option<Vec<Step>>,

    /// Run every step but these (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub skip: Option<Vec<Step>>,

    /// Near-duplicate threshold [default: 0.8]: two documents are duplicates when the Jaccard
    /// similarity of their sets of words reaches it, or when the shorter holds at least 40% of the
    /// longer's words and enough of its word 3-grams occur in the longer (0.70 at 0.8: a partial
    /// copy), or 90% of them in a shorter text of 50 words or more.
    #[arg(long, value_name = "J")]
    pub threshold: Option<f64>,

    /// TOML file whose keys are the long flags' names (threads, quiet, steps, skip, rule-off,
    /// repeated-min-docs, spin-threshold, threshold, text-field, id-field, html-field,
    /// html-output, out-format, edits, cluster-field, keep-duplicate, passages, min-span-words,
    /// containment, on-error, and for clean: spun, filter, min-words, languages; lists as an
    /// array or a comma-separated string); flags given on the command line win.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Switch rules off (comma-separated, repeatable): each a rule's name as edits.jsonl records
    /// it (`glued_words`), off in every stage that has it, or `stage/rule`
    /// (`boilerplate/blank_lines`). An unknown name is refused with the list of rules.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub rule_off: Option<Vec<String>>,

    /// Boilerplate counts a line as repeated (the site's template, or the web's furniture) when
    /// at least N documents of its site, or of the corpus, hold it [default: 2].
    #[arg(long, value_name = "N")]
    pub repeated_min_docs: Option<u32>,

    /// The spin score (points per 1,000 words) from which a document is flagged spun; words
    /// judged by their context are rewritten from twice it [default: 18].
    #[arg(long, value_name = "SCORE")]
    pub spin_threshold: Option<f64>,

    /// JSONL field holding the text [default: text].
    #[arg(long, value_name = "NAME")]
    pub text_field: Option<String>,

    /// JSONL field holding the document id [default: id]; without it the id is `<file>:<line>`.
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,

    /// JSONL field holding a page's HTML: it is read as HTML, and the record is written with its
    /// text in the text field (`--text-field`) and the page's metadata, the HTML left out.
    #[arg(long, value_name = "NAME")]
    pub html_field: Option<String>,
}

impl CommonArgs {
    /// The settings of a run: these flags (with the command's own, set by `extra`) over the
    /// config file they name, over the defaults.
    pub fn settings(&self, extra: impl FnOnce(&mut Overrides)) -> anyhow::Result<Settings> {
        let file = match &self.config {
            Some(path) => ConfigFile::load(path)?,
            None => ConfigFile::default(),
        };
        let mut overrides = self.overrides();
        extra(&mut overrides);
        let settings = Settings::resolve(overrides, file)?;
        let found = crate::dedup::spans::MIN_FOUND_WORDS;
        if let Some(n) = settings.min_span_words.filter(|&n| n < found) {
            anyhow::bail!(
                "--min-span-words must be at least {found}: a shorter shared run is found only by chance, got {n}"
            );
        }
        Ok(settings)
    }

    pub fn overrides(&self) -> Overrides {
        Overrides {
            threads: self.threads,
            quiet: self.quiet,
            steps: self.steps.clone(),
            skip: self.skip.clone(),
            threshold: self.threshold,
            text_field: self.text_field.clone(),
            id_field: self.id_field.clone(),
            html_field: self.html_field.clone(),
            spun: None,
            passages: None,
            min_span_words: None,
            containment: None,
            on_error: None,
            html_output: None,
            out_format: None,
            edits: None,
            keep_duplicate: None,
            cluster_field: None,
            rule_off: self.rule_off.clone(),
            repeated_min_docs: self.repeated_min_docs,
            spin_threshold: self.spin_threshold,
            filter: None,
            min_words: None,
            languages: None,
            default_steps: None,
        }
    }
}
