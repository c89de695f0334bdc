//! Quality filters: whether a cleaned document is kept at all. They judge the text the stages
//! left (so a page's menus and footers do not count for or against it) and decide; the document
//! step applies the verdict (status `filtered`). Every filter is off unless asked for: each one
//! drops documents some users want (a page of code has curly braces, a poem short lines).
//!
//! The heuristics are those of Gopher (Rae et al. 2021, appendix A) and C4 (Raffel et al. 2020)
//! as datatrove runs them, with their published limits as defaults; written here from the papers'
//! definitions.

/// A filter that dropped a document: its name (the rule in `documents.jsonl` and the summary)
/// and what it measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub filter: &'static str,
    pub reason: String,
}

/// One filter: its name, the groups that switch it on, its default limit and what it measures.
pub struct Filter {
    pub name: &'static str,
    pub group: &'static str,
    /// The limit it drops at, by default; `None` for a filter without one.
    pub default: Option<Limit>,
    pub about: &'static str,
}

/// A filter's limit: a bound on a share or a count, or a range of values a document must be in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    Max(f64),
    Min(f64),
    Range(f64, f64),
}

impl Limit {
    fn parse(value: &str, default: Limit) -> Result<Limit, String> {
        let number = |s: &str| {
            s.trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .ok_or_else(|| format!("{s:?} is not a number"))
        };
        Ok(match default {
            Limit::Max(_) => Limit::Max(number(value)?),
            Limit::Min(_) => Limit::Min(number(value)?),
            Limit::Range(..) => {
                let (low, high) = value
                    .split_once('-')
                    .ok_or_else(|| format!("{value:?} is not a range LOW-HIGH"))?;
                let (low, high) = (number(low)?, number(high)?);
                if low > high {
                    return Err(format!("{value:?}: the low end is above the high one"));
                }
                Limit::Range(low, high)
            }
        })
    }

    /// Whether `value` is out of bounds.
    fn fails(self, value: f64) -> bool {
        match self {
            Limit::Max(max) => value > max,
            Limit::Min(min) => value < min,
            Limit::Range(low, high) => value < low || value > high,
        }
    }
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Limit::Max(max) => write!(f, "at most {max}"),
            Limit::Min(min) => write!(f, "at least {min}"),
            Limit::Range(low, high) => write!(f, "{low} to {high}"),
        }
    }
}

/// Every filter `--filter` can switch on, in the order they are tried.
pub const FILTERS: &[Filter] = &[
    Filter {
        name: "symbol_ratio",
        group: "gopher",
        default: Some(Limit::Max(0.1)),
        about: "hashes and ellipses per word",
    },
    Filter {
        name: "mean_word_length",
        group: "gopher",
        default: Some(Limit::Range(3.0, 10.0)),
        about: "mean length of the words, in characters",
    },
    Filter {
        name: "ellipsis_lines",
        group: "gopher",
        default: Some(Limit::Max(0.3)),
        about: "share of lines ending in an ellipsis",
    },
    Filter {
        name: "bullet_lines",
        group: "gopher",
        default: Some(Limit::Max(0.9)),
        about: "share of lines starting with a bullet",
    },
    Filter {
        name: "alpha_words",
        group: "gopher",
        default: Some(Limit::Min(0.8)),
        about: "share of words holding a letter",
    },
    Filter {
        name: "lorem_ipsum",
        group: "c4",
        default: None,
        about: "placeholder text (\"lorem ipsum\")",
    },
    Filter {
        name: "curly_braces",
        group: "c4",
        default: None,
        about: "a curly brace anywhere (code, templates)",
    },
];

/// The filters a run applies, resolved from the settings.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Fewer words than this: `min_words`.
    min_words: Option<usize>,
    /// Languages kept (codes as [`language_code`] gives them); others reliably identified go.
    languages: Option<Vec<String>>,
    /// The heuristics on, with their limits, in [`FILTERS`] order.
    heuristics: Vec<(usize, Option<Limit>)>,
}

impl Filters {
    /// The filters `settings` switch on: each `--filter` entry is a filter's name or a group
    /// (`gopher`, `c4`), with `=LIMIT` for a filter's own limit. An unknown name is an error
    /// that lists the known ones.
    pub fn new(
        filters: &[String],
        min_words: Option<usize>,
        languages: Option<&[String]>,
    ) -> Result<Filters, String> {
        let mut on: Vec<(usize, Option<Limit>)> = Vec::new();
        for setting in filters.iter().map(|f| f.trim()).filter(|f| !f.is_empty()) {
            let setting = match setting.split_once('=') {
                Some((name, limit)) => Setting {
                    name: name.trim(),
                    limit: Some(limit.trim()),
                },
                None => Setting {
                    name: setting,
                    limit: None,
                },
            };
            let picked: Vec<usize> = (0..FILTERS.len())
                .filter(|&i| FILTERS[i].name == setting.name || FILTERS[i].group == setting.name)
                .collect();
            if picked.is_empty() {
                let names: Vec<&str> = FILTERS.iter().map(|f| f.name).collect();
                return Err(format!(
                    "no filter is named {:?}; the filters are gopher, c4 (groups), {}",
                    setting.name,
                    names.join(", ")
                ));
            }
            for i in picked {
                let limit = match (setting.limit, FILTERS[i].default) {
                    (Some(_), _) if FILTERS[i].name != setting.name => {
                        return Err(format!(
                            "{}: a group takes no limit; give it to one filter",
                            setting.name
                        ))
                    }
                    (Some(value), Some(default)) => Some(
                        Limit::parse(value, default)
                            .map_err(|e| format!("{}={value}: {e}", setting.name))?,
                    ),
                    (Some(value), None) => {
                        return Err(format!(
                            "{}={value}: this filter takes no limit",
                            setting.name
                        ))
                    }
                    (None, default) => default,
                };
                match on.iter_mut().find(|(j, _)| *j == i) {
                    Some(entry) => entry.1 = limit,
                    None => on.push((i, limit)),
                }
            }
        }
        on.sort_by_key(|&(i, _)| i);
        let languages = match languages {
            // An empty list would leave nothing out but everything.
            Some([]) => return Err("--languages: no language given".into()),
            Some(list) => Some(
                list.iter()
                    .map(|code| {
                        canonical_code(code).ok_or_else(|| {
                            format!("--languages: {code:?} is not a language thresh identifies (ISO 639-1 or 639-3 codes: en, de, zh, ...)")
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            None => None,
        };
        Ok(Filters {
            min_words: min_words.filter(|&n| n > 0),
            languages,
            heuristics: on,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.min_words.is_none() && self.languages.is_none() && self.heuristics.is_empty()
    }

    /// The first filter that drops `text` (a cleaned document's text, identified as `language`),
    /// if any.
    pub fn judge(&self, text: &str, language: Option<&Identified>) -> Option<Rejection> {
        let stats = TextStats::of(text);
        if let Some(min) = self.min_words {
            if stats.words < min {
                return Some(Rejection {
                    filter: "min_words",
                    reason: format!("{} words, fewer than {min}", stats.words),
                });
            }
        }
        if let (Some(keep), Some(found)) = (&self.languages, language) {
            if found.reliable && !keep.iter().any(|k| k == found.code) {
                return Some(Rejection {
                    filter: "language",
                    reason: format!("language {}, not one of {}", found.code, keep.join(", ")),
                });
            }
        }
        for &(i, limit) in &self.heuristics {
            let filter = &FILTERS[i];
            let verdict = |value: f64, limit: Limit| {
                limit.fails(value).then(|| Rejection {
                    filter: filter.name,
                    reason: format!("{} {value:.3}, not {limit}", filter.about),
                })
            };
            let found = match (filter.name, limit) {
                ("lorem_ipsum", _) => stats.lorem_ipsum.then(|| Rejection {
                    filter: filter.name,
                    reason: "holds \"lorem ipsum\"".into(),
                }),
                ("curly_braces", _) => stats.curly_brace.then(|| Rejection {
                    filter: filter.name,
                    reason: "holds a curly brace".into(),
                }),
                // A text of symbols and no words is all symbols.
                ("symbol_ratio", Some(_)) if stats.words == 0 => {
                    (stats.symbols > 0).then(|| Rejection {
                        filter: filter.name,
                        reason: format!("{} symbols and no words", stats.symbols),
                    })
                }
                // The other share-based heuristics mean nothing without words (`min_words` is
                // the filter for short texts), and word shape nothing in unspaced text.
                (_, Some(_)) if stats.words == 0 => None,
                ("symbol_ratio" | "mean_word_length" | "alpha_words", _) if stats.unspaced() => {
                    None
                }
                ("symbol_ratio", Some(l)) => verdict(stats.symbols as f64 / stats.words as f64, l),
                ("mean_word_length", Some(l)) => verdict(stats.mean_word_length(), l),
                ("ellipsis_lines", Some(l)) => verdict(stats.share(stats.ellipsis_lines), l),
                ("bullet_lines", Some(l)) => verdict(stats.share(stats.bullet_lines), l),
                ("alpha_words", Some(l)) => {
                    verdict(stats.alpha_words as f64 / stats.words as f64, l)
                }
                _ => None,
            };
            if found.is_some() {
                return found;
            }
        }
        None
    }
}

/// One `--filter` entry: a filter's or a group's name, and a limit given with `=`.
struct Setting<'a> {
    name: &'a str,
    limit: Option<&'a str>,
}

/// What the heuristics measure of a text, in one pass over its lines.
///
/// A word is a whitespace-separated token holding something other than punctuation and symbols:
/// the ` | ` between a table's cells and a dash between clauses are no words. Text written
/// without spaces between words (Chinese, Japanese, Thai, ...) counts each of its characters as a
/// word, which overcounts (a Chinese word is 1.5 characters on average), so `min_words` keeps
/// rather than drops, and the measures of word shape (mean length, symbols and letters per word)
/// are not taken on such text.
#[derive(Debug, Default)]
struct TextStats {
    /// Words, as above.
    words: usize,
    /// Whitespace-separated words and their characters, for the mean word length.
    spaced_words: usize,
    spaced_chars: usize,
    /// Characters of scripts written without spaces, and all letters.
    unspaced_chars: usize,
    letters: usize,
    /// Words holding a letter.
    alpha_words: usize,
    /// `#` characters and ellipses (`...`, `…`).
    symbols: usize,
    lines: usize,
    ellipsis_lines: usize,
    bullet_lines: usize,
    lorem_ipsum: bool,
    curly_brace: bool,
}

impl TextStats {
    fn of(text: &str) -> TextStats {
        let mut s = TextStats::default();
        for line in text.lines() {
            let t = line.trim();
            if t.is_empty() {
                continue;
            }
            s.lines += 1;
            if t.ends_with("...") || t.ends_with('…') {
                s.ellipsis_lines += 1;
            }
            if t.starts_with(['•', '-', '*', '·', '‣', '◦', '▪']) {
                s.bullet_lines += 1;
            }
            for word in t.split_whitespace() {
                let (mut chars, mut letters, mut unspaced) = (0, 0, 0);
                let mut content = false;
                for c in word.chars() {
                    chars += 1;
                    if c.is_alphabetic() {
                        letters += 1;
                        unspaced += usize::from(is_unspaced(c));
                    }
                    content |= c.is_alphanumeric();
                }
                if !content {
                    continue;
                }
                s.letters += letters;
                s.unspaced_chars += unspaced;
                if unspaced > 0 {
                    s.words += unspaced;
                    s.alpha_words += unspaced;
                    continue;
                }
                s.words += 1;
                s.spaced_words += 1;
                s.spaced_chars += chars;
                if letters > 0 {
                    s.alpha_words += 1;
                }
            }
            s.symbols += t.matches('#').count() + t.matches("...").count() + t.matches('…').count();
            s.curly_brace |= t.contains(['{', '}']);
            s.lorem_ipsum = s.lorem_ipsum
                || t.as_bytes()
                    .windows(11)
                    .any(|w| w.eq_ignore_ascii_case(b"lorem ipsum"));
        }
        s
    }

    fn share(&self, n: usize) -> f64 {
        n as f64 / self.lines.max(1) as f64
    }

    fn mean_word_length(&self) -> f64 {
        if self.spaced_words == 0 {
            0.0
        } else {
            self.spaced_chars as f64 / self.spaced_words as f64
        }
    }

    /// Whether the text is mostly written without spaces between words: word shape means
    /// nothing there.
    fn unspaced(&self) -> bool {
        self.unspaced_chars * 2 > self.letters
    }
}

/// Letters of the scripts written without spaces between words: Han, kana, Thai, Lao, Khmer,
/// Myanmar, Tibetan.
fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF // Thai, Lao
        | 0x0F00..=0x0FFF // Tibetan
        | 0x1000..=0x109F // Myanmar
        | 0x1780..=0x17FF // Khmer
        | 0x3040..=0x30FF // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xF900..=0xFAFF // CJK compatibility ideographs
        | 0x20000..=0x3FFFF // CJK extensions B and later
    )
}

/// A document's language as identified from its cleaned text.
#[derive(Debug, Clone, PartialEq)]
pub struct Identified {
    /// ISO 639-1 where the language has a two-letter code, else ISO 639-3.
    pub code: &'static str,
    /// Whether the identifier is sure (whatlang's own test: enough text, a clear margin).
    pub reliable: bool,
}

/// The text the identifier reads: the first this many bytes. Trigram statistics settle long
/// before that, and a document of megabytes costs no more than a page.
const IDENTIFY_BYTES: usize = 2048;

/// The language of a cleaned text (whatlang's trigram model over its first
/// [`IDENTIFY_BYTES`]), if any: none for a text without letters.
pub fn identify(text: &str) -> Option<Identified> {
    let mut end = text.len().min(IDENTIFY_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let info = whatlang::detect(&text[..end])?;
    Some(Identified {
        code: language_code(info.lang()),
        reliable: info.is_reliable(),
    })
}

/// whatlang's languages with their ISO 639-1 codes (those with none keep their 639-3 code).
const TWO_LETTER: &[(&str, &str)] = &[
    ("afr", "af"),
    ("aka", "ak"),
    ("amh", "am"),
    ("ara", "ar"),
    ("aze", "az"),
    ("bel", "be"),
    ("ben", "bn"),
    ("bul", "bg"),
    ("cat", "ca"),
    ("ces", "cs"),
    ("cmn", "zh"),
    ("dan", "da"),
    ("deu", "de"),
    ("ell", "el"),
    ("eng", "en"),
    ("epo", "eo"),
    ("est", "et"),
    ("fin", "fi"),
    ("fra", "fr"),
    ("guj", "gu"),
    ("heb", "he"),
    ("hin", "hi"),
    ("hrv", "hr"),
    ("hun", "hu"),
    ("hye", "hy"),
    ("ind", "id"),
    ("ita", "it"),
    ("jav", "jv"),
    ("jpn", "ja"),
    ("kan", "kn"),
    ("kat", "ka"),
    ("khm", "km"),
    ("kor", "ko"),
    ("lat", "la"),
    ("lav", "lv"),
    ("lit", "lt"),
    ("mal", "ml"),
    ("mar", "mr"),
    ("mkd", "mk"),
    ("mya", "my"),
    ("nep", "ne"),
    ("nld", "nl"),
    ("nob", "nb"),
    ("ori", "or"),
    ("pan", "pa"),
    ("pes", "fa"),
    ("pol", "pl"),
    ("por", "pt"),
    ("ron", "ro"),
    ("rus", "ru"),
    ("sin", "si"),
    ("slk", "sk"),
    ("slv", "sl"),
    ("sna", "sn"),
    ("spa", "es"),
    ("srp", "sr"),
    ("swe", "sv"),
    ("tam", "ta"),
    ("tel", "te"),
    ("tgl", "tl"),
    ("tha", "th"),
    ("tuk", "tk"),
    ("tur", "tr"),
    ("ukr", "uk"),
    ("urd", "ur"),
    ("uzb", "uz"),
    ("vie", "vi"),
    ("yid", "yi"),
    ("zul", "zu"),
];

/// The code thresh reports for a whatlang language.
pub fn language_code(lang: whatlang::Lang) -> &'static str {
    let three = lang.code();
    TWO_LETTER
        .iter()
        .find(|(t, _)| *t == three)
        .map_or(three, |(_, two)| two)
}

/// The code thresh reports for a code a user gave (639-1 or 639-3, any case), if whatlang knows
/// the language.
fn canonical_code(code: &str) -> Option<String> {
    let code = code.trim().to_ascii_lowercase();
    let three = TWO_LETTER
        .iter()
        .find(|(_, two)| *two == code)
        .map_or(code.as_str(), |(three, _)| three);
    whatlang::Lang::from_code(three).map(|lang| language_code(lang).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(names: &[&str]) -> Filters {
        let settings: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        Filters::new(&settings, None, None).unwrap()
    }

    const PROSE: &str = "The ferry service between the two islands will resume next month after a \
        winter of repairs to the northern pier, which was badly damaged in the January storms.";

    #[test]
    fn every_whatlang_language_has_a_code_a_user_can_give_back() {
        for &lang in whatlang::Lang::all() {
            let code = language_code(lang);
            assert_eq!(canonical_code(code).as_deref(), Some(code), "{lang:?}");
            assert_eq!(
                canonical_code(lang.code()).as_deref(),
                Some(code),
                "{lang:?}"
            );
        }
        assert_eq!(canonical_code("EN").as_deref(), Some("en"));
        assert_eq!(canonical_code("xx"), None);
    }

    #[test]
    fn prose_passes_every_heuristic() {
        assert_eq!(filters(&["gopher", "c4"]).judge(PROSE, None), None);
    }

    #[test]
    fn each_heuristic_drops_what_it_measures() {
        let judge = |name: &str, text: &str| filters(&[name]).judge(text, None).map(|v| v.filter);
        assert_eq!(
            judge(
                "symbol_ratio",
                "#tag #news #today #sun and more #words here"
            ),
            Some("symbol_ratio")
        );
        assert_eq!(
            judge("mean_word_length", "a b c d e f g h i j k l m n o"),
            Some("mean_word_length")
        );
        let teasers = "Read more about the storm...\nThe pier was closed...\nA short line.";
        assert_eq!(judge("ellipsis_lines", teasers), Some("ellipsis_lines"));
        let bullets = "- one item\n- two items\n- three items\n- four items";
        assert_eq!(judge("bullet_lines", bullets), Some("bullet_lines"));
        assert_eq!(
            judge("alpha_words", "12 34 56 78 90 and 11 22"),
            Some("alpha_words")
        );
        assert_eq!(
            judge("lorem_ipsum", "Title\nLorem ipsum dolor sit amet."),
            Some("lorem_ipsum")
        );
        assert_eq!(
            judge("curly_braces", "function f() { return 1; }"),
            Some("curly_braces")
        );
        for name in [
            "symbol_ratio",
            "mean_word_length",
            "ellipsis_lines",
            "bullet_lines",
            "alpha_words",
            "lorem_ipsum",
            "curly_braces",
        ] {
            assert_eq!(judge(name, PROSE), None, "{name}");
        }
    }

    #[test]
    fn a_limit_can_be_given_and_a_bad_one_is_refused() {
        let bullets = "- one item\n- two items\nA line of prose.";
        assert_eq!(filters(&["bullet_lines"]).judge(bullets, None), None);
        assert!(filters(&["bullet_lines=0.5"])
            .judge(bullets, None)
            .is_some());
        let bad = |s: &str| Filters::new(&[s.to_string()], None, None).is_err();
        assert!(bad("bullet_line"));
        assert!(bad("gopher=0.5"));
        assert!(bad("lorem_ipsum=1"));
        assert!(bad("mean_word_length=3"));
        assert!(bad("symbol_ratio=x"));
        assert!(bad("mean_word_length=10-3"));
        assert!(Filters::new(&[], None, Some(&[])).is_err());
        // Symbols and no words: all symbols.
        let f = filters(&["gopher"]);
        assert_eq!(
            f.judge("### ... ###\n#### ......", None).unwrap().filter,
            "symbol_ratio"
        );
        assert_eq!(f.judge("| | |", None), None);
    }

    #[test]
    fn min_words_and_languages() {
        let f = Filters::new(&[], Some(5), None).unwrap();
        assert_eq!(f.judge("Too short.", None).unwrap().filter, "min_words");
        assert_eq!(f.judge(PROSE, None), None);
        let langs = ["de".to_string(), "fra".to_string()];
        let f = Filters::new(&[], None, Some(&langs)).unwrap();
        let english = identify(PROSE).unwrap();
        assert_eq!(english.code, "en");
        assert!(english.reliable);
        assert_eq!(f.judge(PROSE, Some(&english)).unwrap().filter, "language");
        let german = "Der Fährdienst zwischen den beiden Inseln wird nächsten Monat wieder \
            aufgenommen, nachdem der Nordpier im Winter repariert worden ist.";
        assert_eq!(f.judge(german, identify(german).as_ref()), None);
        assert!(Filters::new(&[], None, Some(&["xx".to_string()])).is_err());
    }

    #[test]
    fn table_bars_are_no_words_and_unspaced_text_counts_its_characters() {
        let f = Filters::new(&["gopher".to_string()], Some(10), None).unwrap();
        let table = format!("{PROSE}\n| | | |\n| Name | Age |\n| | |");
        assert_eq!(f.judge(&table, None), None);
        // Eleven characters of Chinese are eleven words, and their length is no word length.
        let chinese = "宇航员在太空中喝酒会怎么样";
        assert_eq!(f.judge(chinese, None), None);
        assert_eq!(f.judge("宇航员在太空", None).unwrap().filter, "min_words");
    }
}
