//! Settings for a run: command-line flags over a TOML config file over defaults, and the options
//! they choose among. The bottom of the crate: it imports nothing of thresh.

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use std::path::Path;

/// The steps a user can select with `--steps` / `--skip`, in pipeline order.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    clap::ValueEnum,
    serde::Deserialize,
    serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    Normalize,
    Boilerplate,
    MachineText,
    Repair,
    Spin,
    Dedup,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Normalize,
        Step::Boilerplate,
        Step::MachineText,
        Step::Repair,
        Step::Spin,
        Step::Dedup,
    ];

    /// Their names, in the order of [`Step::ALL`].
    pub const NAMES: [&'static str; 6] = [
        "normalize",
        "boilerplate",
        "machine-text",
        "repair",
        "spin",
        "dedup",
    ];

    pub fn name(self) -> &'static str {
        Step::NAMES[self as usize]
    }
}

/// What `thresh clean` does with spun documents (`--spun`).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    clap::ValueEnum,
    serde::Deserialize,
    serde::Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum SpunMode {
    /// Flag spun documents and repair what can be repaired with confidence.
    #[default]
    Repair,
    /// Flag spun documents, change nothing.
    Flag,
    /// Flag spun documents and leave them out of the output (status `dropped`).
    Drop,
}

/// What to do with later copies of a passage found in several kept documents (`--passages`).
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    clap::ValueEnum,
    serde::Deserialize,
    serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum PassageMode {
    /// List them in `passages.jsonl`, change nothing.
    #[default]
    Report,
    /// List them and cut every copy after the first out of the documents that are written.
    Drop,
    /// Do not look for them: documents only.
    Off,
}

/// The keys a `--config` file may hold: the long flag names (kebab-case or snake_case).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    pub threads: Option<usize>,
    pub quiet: Option<bool>,
    #[serde(default, deserialize_with = "step_list")]
    pub steps: Option<Vec<Step>>,
    #[serde(default, deserialize_with = "step_list")]
    pub skip: Option<Vec<Step>>,
    pub threshold: Option<f64>,
    #[serde(alias = "text_field")]
    pub text_field: Option<String>,
    #[serde(alias = "id_field")]
    pub id_field: Option<String>,
    #[serde(alias = "html_field")]
    pub html_field: Option<String>,
    pub spun: Option<SpunMode>,
    pub passages: Option<PassageMode>,
    #[serde(alias = "min_span_words")]
    pub min_span_words: Option<u32>,
    pub containment: Option<f64>,
    #[serde(alias = "on_error")]
    pub on_error: Option<OnError>,
    #[serde(alias = "html_output")]
    pub html_output: Option<HtmlOutput>,
    #[serde(alias = "out_format")]
    pub out_format: Option<OutFormat>,
    pub edits: Option<EditLog>,
    #[serde(alias = "keep_duplicate")]
    pub keep_duplicate: Option<KeepDuplicate>,
    #[serde(alias = "cluster_field")]
    pub cluster_field: Option<String>,
    #[serde(default, alias = "rule_off", deserialize_with = "name_list")]
    pub rule_off: Option<Vec<String>>,
    #[serde(alias = "repeated_min_docs")]
    pub repeated_min_docs: Option<u32>,
    #[serde(alias = "spin_threshold")]
    pub spin_threshold: Option<f64>,
    #[serde(default, deserialize_with = "name_list")]
    pub filter: Option<Vec<String>>,
    #[serde(alias = "min_words")]
    pub min_words: Option<usize>,
    #[serde(default, deserialize_with = "name_list")]
    pub languages: Option<Vec<String>>,
}

/// A list of names in a config file (steps, rules, filters, languages): an array of them, or one
/// string of them separated by commas, as the flags take them (`"dedup"`, `"normalize,dedup"`).
/// `what` names one of them, for the error a value of another type gets.
fn names<'de, D: serde::Deserializer<'de>>(
    d: D,
    what: &'static str,
) -> Result<Vec<String>, D::Error> {
    struct Names(&'static str);
    impl<'de> serde::de::Visitor<'de> for Names {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(
                f,
                "a {0}, a comma-separated string of them, or an array of them",
                self.0
            )
        }
        fn visit_str<E: serde::de::Error>(self, names: &str) -> Result<Vec<String>, E> {
            Ok(names
                .split(',')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(String::from)
                .collect())
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Vec<String>, A::Error> {
            let mut names = Vec::new();
            while let Some(name) = seq.next_element::<String>()? {
                names.push(name);
            }
            Ok(names)
        }
    }
    d.deserialize_any(Names(what))
}

/// `rule-off`, `filter` and `languages` in a config file (checked by the parts that know them).
fn name_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    names(d, "name").map(Some)
}

/// `steps` and `skip` in a config file.
fn step_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<Step>>, D::Error> {
    names(d, "step name")?
        .iter()
        .map(|n| {
            Step::ALL
                .into_iter()
                .find(|s| s.name() == n)
                .ok_or_else(|| serde::de::Error::unknown_variant(n, &Step::NAMES))
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

/// Which copy of a cluster of duplicates is kept (`--keep-duplicate`): `longest`, `first`,
/// `field:NAME` or `field:-NAME`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub enum KeepDuplicate {
    /// The most complete: most words in the compared text (ties: first by id).
    #[default]
    Longest,
    /// The first in input order.
    First,
    /// The one whose field `name` holds the lowest value (the oldest date, the first priority),
    /// or with `highest` the highest; a copy without the field comes after those with it, and
    /// ties go to the most complete.
    Field { name: String, highest: bool },
}

impl std::str::FromStr for KeepDuplicate {
    type Err = String;

    fn from_str(s: &str) -> Result<KeepDuplicate, String> {
        match s {
            "longest" => Ok(KeepDuplicate::Longest),
            "first" => Ok(KeepDuplicate::First),
            _ => match s.strip_prefix("field:") {
                Some(name) => {
                    let (name, highest) = match name.strip_prefix('-') {
                        Some(name) => (name, true),
                        None => (name, false),
                    };
                    if name.is_empty() {
                        return Err("field: needs a field's name (field:date)".into());
                    }
                    Ok(KeepDuplicate::Field {
                        name: name.to_string(),
                        highest,
                    })
                }
                None => Err(format!(
                    "{s:?}: give longest, first, field:NAME (lowest value kept) or field:-NAME (highest kept)"
                )),
            },
        }
    }
}

impl std::fmt::Display for KeepDuplicate {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            KeepDuplicate::Longest => f.write_str("longest"),
            KeepDuplicate::First => f.write_str("first"),
            KeepDuplicate::Field { name, highest } => {
                write!(f, "field:{}{name}", if *highest { "-" } else { "" })
            }
        }
    }
}

impl serde::Serialize for KeepDuplicate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KeepDuplicate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// Which edits go to `edits.jsonl` (`--edits`); the summary counts every edit either way.
#[derive(
    Debug, Default, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum EditLog {
    /// Every edit.
    #[default]
    All,
    /// Edits that change the words: not those that only change spacing and line breaks.
    Changes,
    /// None: `edits.jsonl` is written empty.
    None,
}

/// How the text of a page read from HTML is written.
#[derive(
    Debug, Default, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum HtmlOutput {
    /// Plain text, one block a line (`.txt`).
    #[default]
    Text,
    /// Markdown: headings, tables, code and quotations marked (`.md`).
    Markdown,
}

/// The shape of the written corpus.
#[derive(
    Debug, Default, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum OutFormat {
    /// `--out` mirrors the inputs, each document in its input's format.
    #[default]
    Mirror,
    /// One JSON Lines file, `--out/documents.jsonl`: a record per document with its `id`,
    /// `text`, and for a page its `url`, `title`, `language`, `date` and `author`.
    Jsonl,
}

/// What becomes of a document that fails with an internal error (a bug met on its text). It is
/// reported `failed` either way; the run goes on.
#[derive(
    Debug, Default, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// Leave it out of the output.
    #[default]
    Skip,
    /// Write its input unchanged to the output, so the output corpus still holds every document.
    Keep,
}

impl ConfigFile {
    pub fn load(path: &Path) -> Result<ConfigFile> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config {}", path.display()))?;
        toml::from_str(&text)
            .map_err(|e| anyhow::anyhow!("config {}: {}", path.display(), e.message()))
    }
}

/// Everything a command needs to know, resolved (and, in `summary.json`, what a run was told).
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Settings {
    /// Worker threads; 0 means all cores.
    pub threads: usize,
    pub quiet: bool,
    /// Steps to run, in pipeline order.
    pub steps: Vec<Step>,
    pub threshold: f64,
    pub text_field: String,
    pub id_field: String,
    /// The JSONL field holding a page's HTML, when records hold pages.
    pub html_field: Option<String>,
    /// What `clean` does with spun documents.
    pub spun: SpunMode,
    /// What dedup does with passages repeated across documents.
    pub passages: PassageMode,
    /// Words a span shared by two documents needs to be a passage; `None` for dedup's default.
    pub min_span_words: Option<u32>,
    /// The share of a document's words in copies of earlier documents' passages that makes it a
    /// duplicate; without it such documents are reported only.
    pub containment: Option<f64>,
    /// What is written for a document that failed with an internal error.
    pub on_error: OnError,
    pub html_output: HtmlOutput,
    pub out_format: OutFormat,
    pub edits: EditLog,
    pub keep_duplicate: KeepDuplicate,
    /// The field of JSON Lines output records that holds each one's cluster id.
    pub cluster_field: Option<String>,
    /// Rules switched off, each `rule` or `stage/rule` (checked by the stages, which know them).
    #[serde(rename = "rule-off")]
    pub rules_off: Vec<String>,
    /// Documents that must hold a line for boilerplate to count it repeated; `None` for the
    /// stage's default.
    pub repeated_min_docs: Option<u32>,
    /// The spin score from which a document is flagged; `None` for the stage's default.
    pub spin_threshold: Option<f64>,
    /// Quality filters switched on, each a filter or group name with an optional `=LIMIT`
    /// (checked by `filters`, which knows them).
    #[serde(rename = "filter")]
    pub filters: Vec<String>,
    /// Documents with fewer words are filtered.
    pub min_words: Option<usize>,
    /// Languages kept; documents reliably identified as another are filtered.
    pub languages: Option<Vec<String>>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threads: 0,
            quiet: false,
            steps: Step::ALL.to_vec(),
            threshold: 0.8,
            text_field: "text".into(),
            id_field: "id".into(),
            html_field: None,
            spun: SpunMode::default(),
            passages: PassageMode::default(),
            min_span_words: None,
            containment: None,
            on_error: OnError::default(),
            html_output: HtmlOutput::default(),
            out_format: OutFormat::default(),
            edits: EditLog::default(),
            keep_duplicate: KeepDuplicate::default(),
            cluster_field: None,
            rules_off: Vec::new(),
            repeated_min_docs: None,
            spin_threshold: None,
            filters: Vec::new(),
            min_words: None,
            languages: None,
        }
    }
}

/// The flags shared by every command, as parsed (all optional, so a config file can fill them).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub threads: Option<usize>,
    pub quiet: bool,
    pub steps: Option<Vec<Step>>,
    pub skip: Option<Vec<Step>>,
    pub threshold: Option<f64>,
    pub text_field: Option<String>,
    pub id_field: Option<String>,
    pub html_field: Option<String>,
    pub spun: Option<SpunMode>,
    pub passages: Option<PassageMode>,
    pub min_span_words: Option<u32>,
    pub containment: Option<f64>,
    pub on_error: Option<OnError>,
    pub html_output: Option<HtmlOutput>,
    pub out_format: Option<OutFormat>,
    pub edits: Option<EditLog>,
    pub keep_duplicate: Option<KeepDuplicate>,
    pub cluster_field: Option<String>,
    pub rule_off: Option<Vec<String>>,
    pub repeated_min_docs: Option<u32>,
    pub spin_threshold: Option<f64>,
    pub filter: Option<Vec<String>>,
    pub min_words: Option<usize>,
    pub languages: Option<Vec<String>>,
    /// The command's own default steps, when neither the flags nor the file name any.
    pub default_steps: Option<Vec<Step>>,
}

impl Settings {
    /// The settings without what only `thresh clean` runs (the quality filters): a config file
    /// shared by several commands may hold them, and a summary must not claim them.
    pub fn without_filters(mut self) -> Settings {
        self.filters.clear();
        self.min_words = None;
        self.languages = None;
        self
    }

    pub fn resolve(flags: Overrides, file: ConfigFile) -> Result<Settings> {
        let d = Settings::default();
        let mut steps = flags
            .steps
            .or(file.steps)
            .or(flags.default_steps)
            .unwrap_or(d.steps);
        let skip = flags.skip.or(file.skip).unwrap_or_default();
        steps.retain(|s| !skip.contains(s));
        steps.sort();
        steps.dedup();
        let threshold = flags.threshold.or(file.threshold).unwrap_or(d.threshold);
        if !(0.0..=1.0).contains(&threshold) || threshold == 0.0 {
            bail!("--threshold must be a Jaccard similarity in (0, 1], got {threshold}");
        }
        let min_span_words = flags.min_span_words.or(file.min_span_words);
        let containment = flags.containment.or(file.containment);
        if let Some(c) = containment.filter(|c| !(*c > 0.0 && *c <= 1.0)) {
            bail!("--containment must be a share of a document's words in (0, 1], got {c}");
        }
        let repeated_min_docs = flags.repeated_min_docs.or(file.repeated_min_docs);
        if let Some(n) = repeated_min_docs.filter(|&n| n < 2) {
            bail!("--repeated-min-docs must be at least 2 (a line in one document is not repeated), got {n}");
        }
        let spin_threshold = flags.spin_threshold.or(file.spin_threshold);
        if let Some(t) = spin_threshold.filter(|t| !(*t > 0.0 && t.is_finite())) {
            bail!("--spin-threshold must be a score above 0, got {t}");
        }
        Ok(Settings {
            threads: flags.threads.or(file.threads).unwrap_or(d.threads),
            quiet: flags.quiet || file.quiet.unwrap_or(false),
            steps,
            threshold,
            text_field: flags.text_field.or(file.text_field).unwrap_or(d.text_field),
            id_field: flags.id_field.or(file.id_field).unwrap_or(d.id_field),
            html_field: flags.html_field.or(file.html_field),
            spun: flags.spun.or(file.spun).unwrap_or(d.spun),
            passages: flags.passages.or(file.passages).unwrap_or(d.passages),
            min_span_words,
            containment,
            on_error: flags.on_error.or(file.on_error).unwrap_or(d.on_error),
            html_output: flags
                .html_output
                .or(file.html_output)
                .unwrap_or(d.html_output),
            out_format: flags.out_format.or(file.out_format).unwrap_or(d.out_format),
            edits: flags.edits.or(file.edits).unwrap_or(d.edits),
            keep_duplicate: flags
                .keep_duplicate
                .or(file.keep_duplicate)
                .unwrap_or(d.keep_duplicate),
            cluster_field: flags.cluster_field.or(file.cluster_field),
            rules_off: flags.rule_off.or(file.rule_off).unwrap_or_default(),
            repeated_min_docs,
            spin_threshold,
            filters: flags.filter.or(file.filter).unwrap_or_default(),
            min_words: flags.min_words.or(file.min_words),
            languages: flags.languages.or(file.languages),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_skip_removes_steps() {
        let file: ConfigFile = toml::from_str(
            "threads = 3\nsteps = [\"normalize\", \"dedup\"]\ntext_field = \"body\"",
        )
        .unwrap();
        let flags = Overrides {
            threads: Some(1),
            skip: Some(vec![Step::Dedup]),
            ..Default::default()
        };
        let s = Settings::resolve(flags, file).unwrap();
        assert_eq!(s.threads, 1);
        assert_eq!(s.steps, vec![Step::Normalize]);
        assert_eq!(s.text_field, "body");
    }

    #[test]
    fn each_step_has_the_name_its_flag_and_config_key_use() {
        for step in Step::ALL {
            let parsed: ConfigFile =
                toml::from_str(&format!("skip = [\"{}\"]", step.name())).unwrap();
            assert_eq!(parsed.skip, Some(vec![step]), "{}", step.name());
        }
    }

    #[test]
    fn steps_and_skip_take_a_string_or_an_array() {
        let parse = |toml: &str| toml::from_str::<ConfigFile>(toml);
        assert_eq!(
            parse("skip = \"dedup\"").unwrap().skip,
            Some(vec![Step::Dedup])
        );
        assert_eq!(
            parse("steps = \"normalize, machine-text\"").unwrap().steps,
            Some(vec![Step::Normalize, Step::MachineText])
        );
        assert_eq!(
            parse("skip = [\"repair\", \"spin\"]").unwrap().skip,
            Some(vec![Step::Repair, Step::Spin])
        );
        assert_eq!(parse("threads = 2").unwrap().steps, None);
        for bad in ["skip = \"dedupe\"", "skip = [\"dedupe\"]", "skip = 3"] {
            let err = parse(bad).unwrap_err().to_string();
            assert!(
                err.contains("dedup") || err.contains("step"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn unknown_keys_and_bad_thresholds_are_refused() {
        assert!(toml::from_str::<ConfigFile>("thread = 3").is_err());
        let flags = Overrides {
            threshold: Some(1.5),
            ..Default::default()
        };
        assert!(Settings::resolve(flags, ConfigFile::default()).is_err());
    }
}
