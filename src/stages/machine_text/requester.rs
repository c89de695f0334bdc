//! Sentences a chatbot addressed to whoever asked it, or said about itself, left in the text it
//! wrote: offers ("Would you like me to add a section on costs?"), notes on its own editing ("I
//! formalized the tone and clarified the timeline."), advice on the text ("You can copy and paste
//! this into your newsletter."), knowledge and access disclaimers ("As of my last knowledge update,
//! ..."), unfilled placeholders ("[Entertainer's Name]").
//!
//! No one phrase decides. Each sentence is described by what it does, as a few dozen features
//! (whom it addresses, whether it speaks of the text itself or of a model, how it ends, where it
//! stands in the document), and a logistic model fit on real chatbot output against the real
//! sentences of the dev pages (`data/fit-machine-text.py`, weights in
//! `data/machine-text-model.tsv`) weighs them. How-to pages and forum posts speak to "you" all
//! the time; what they do not do is speak to "you" about "this article" or offer to rewrite it.

use regex::Regex;
use std::sync::LazyLock;

/// Where a sentence stands: a chatbot talks to the requester before and after the text it was
/// asked for, seldom in the middle of it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Position {
    pub first_in_document: bool,
    pub last_in_document: bool,
    pub first_in_block: bool,
    pub last_in_block: bool,
}

/// A feature: its name in the model file, and what it counts in a sentence.
struct Feature {
    name: &'static str,
    pattern: &'static str,
}

/// The lexical features, matched case-insensitively on the sentence. Each counts (up to
/// [`MAX_COUNT`]) what a sentence does, not whole sentences: the model weighs them together.
const LEXICAL: &[Feature] = &[
    Feature {
        name: "second_person",
        pattern: r"\b(?:you|your|yours|yourself|yourselves)\b",
    },
    Feature {
        name: "first_person",
        pattern: r"\b(?:i|me|my|mine|myself|i['’](?:m|ve|ll|d))\b",
    },
    Feature {
        name: "first_plural",
        pattern: r"\b(?:we|us|our|ours|we['’](?:re|ve|ll|d))\b",
    },
    Feature {
        name: "offer",
        pattern: r"\b(?:would you like|do you want|would you prefer|shall i|should i|want me to|let me know|feel free|if you(?:['’]d| would) like|i can (?:also )?(?:help|provide|create|write|draft|adjust|tailor|expand|make|guide|add|suggest|rewrite|format|turn|prepare|generate|refine|convert|put)|i(?:['’]d| would) be (?:happy|glad)|happy to help|i hope (?:this|that|it) helps)\b",
    },
    Feature {
        name: "text_reference",
        pattern: r"\b(?:this|the|that|your|above|below|following) (?:article|section|draft|text|version|post|paragraph|letter|email|essay|summary|content|response|answer|passage|outline|piece|revision|rewrite|bio|caption|description|template|sentence|wording|tone|structure|format)s?\b",
    },
    Feature {
        name: "your_work",
        pattern: r"\byour (?:article|section|draft|text|post|blog|paper|essay|piece|website|page|newsletter|content|readers|audience|letter|email|bio|story|book|speech|thesis|report|manuscript|submission|profile|listing|request|question|needs|goals|brand)\b",
    },
    Feature {
        name: "own_editing",
        pattern: r"\bi(?:['’]ve| have)? (?:(?:also|just) )?(?:formalized|clarified|revised|rewrote|rewritten|rephrased|adjusted|added|removed|improved|polished|condensed|streamlined|tweaked|kept|made|restructured|reorganized|simplified|expanded|shortened|corrected|fixed|updated|incorporated|replaced|changed|included|highlighted|emphasized|softened|tightened|refined|organized|used|focused)\b",
    },
    Feature {
        name: "model_word",
        pattern: r"\b(?:ai|a\.i\.|language model|llm|chatbot|ai assistant|virtual assistant|chatgpt|gpt-?\d|openai|gemini|claude|copilot)\b",
    },
    Feature {
        name: "knowledge_limit",
        pattern: r"\b(?:knowledge (?:cutoff|cut-off|update|base)|training (?:data|cutoff)|real-time (?:data|information|access|updates)|(?:don['’]t|do not|cannot|can['’]t|am unable to|unable to) (?:browse|access|search|verify|provide real)|as of my|last (?:knowledge )?update|i (?:don['’]t|do not) have (?:specific|access|information|any information|real-time|personal|the ability|details|data))\b",
    },
    Feature {
        name: "placeholder",
        pattern: r"\[(?:your|insert|describe|add|enter|name|date|company|address|title|link|number|phone|email|city|contact|recipient|specific|relevant|x+)\b[^\]]{0,60}\]|\[[A-Z][\w’'.-]*(?: [A-Z][\w’'.-]*){0,4}['’]s? (?:Name|Title|Date|Address|Company|Position|Number|Email|Website|Link|Organization|Department)\]|\b20\d\d-XX-XX\b|\bXX/XX/\d{2,4}\b",
    },
    Feature {
        name: "instruction",
        pattern: r"\b(?:copy and paste|copy-paste|you can (?:use|copy|paste|post|share|adapt|customize|modify|adjust|replace|add|include|insert|tailor|edit|tweak|personalize)|adjust (?:it )?(?:as needed|accordingly)|tailor (?:it|this)|customi[sz]e (?:it|this|the)|replace the placeholders?|fill in (?:the|your)|depending on (?:your|the) (?:platform|audience|needs))\b",
    },
    Feature {
        name: "posting",
        pattern: r"\b(?:post|publish|submit|share|upload|send) (?:it|this|them|the (?:article|text|post|letter|email|draft)) (?:on|to|in|as|via)\b|\bwhere to (?:post|publish|submit|share)\b",
    },
    Feature {
        name: "label_start",
        pattern: r"^\s*(?:\*\*[^*]{1,60}\*\*:?|(?:note|notes|summary of changes|changes made|edit summary|key changes|tips?|why this works|explanation)\s*:)",
    },
    Feature {
        name: "here_is",
        // The opener and "here" apart, by a mark or a space: glued ("certainlyhere's"), "here"
        // starts no word, and its cue would not see it.
        pattern: r"^\s*(?:(?:certainly|sure|of course|absolutely|great)(?:[!,.]\s*|\s+))?(?:here['’]s|here (?:is|are)|below (?:is|are))\b",
    },
    Feature {
        name: "hedge_preamble",
        pattern: r"\b(?:based on (?:the )?(?:available|provided|current) information|it['’]s (?:important|worth) (?:to note|noting)|please (?:note|verify|check|consult)|i recommend|i suggest|i['’]d recommend|i['’]d suggest)\b",
    },
];

/// A lexical feature's count is capped: a third "you" says nothing the second did not.
const MAX_COUNT: usize = 3;

static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    LEXICAL
        .iter()
        .map(|f| {
            regex::RegexBuilder::new(f.pattern)
                .case_insensitive(f.name != "placeholder")
                .build()
                .expect("valid pattern")
        })
        .collect()
});

/// The names of the features, in the order [`features`] gives them.
pub fn feature_names() -> Vec<&'static str> {
    LEXICAL
        .iter()
        .map(|f| f.name)
        .chain([
            "ends_question",
            "ends_exclamation",
            "ends_colon",
            "short",
            "first_in_document",
            "last_in_document",
            "first_in_block",
            "last_in_block",
            "alone_in_block",
        ])
        .collect()
}

/// The features of one sentence, in the order of [`feature_names`].
pub fn features(sentence: &str, at: Position) -> Vec<f32> {
    let mut out: Vec<f32> = PATTERNS
        .iter()
        .map(|p| p.find_iter(sentence).take(MAX_COUNT).count() as f32)
        .collect();
    out.extend(cheap_features(sentence, at));
    out
}

/// The features read off a sentence's ends and place, without a pattern.
fn cheap_features(sentence: &str, at: Position) -> [f32; 9] {
    let trimmed = sentence.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | ')' | '”' | '’' | '*')
    });
    let words = crate::text::count_words(sentence);
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    [
        flag(trimmed.ends_with('?')),
        flag(trimmed.ends_with('!')),
        flag(trimmed.ends_with(':')),
        flag(words < 8),
        flag(at.first_in_document),
        flag(at.last_in_document),
        flag(at.first_in_block),
        flag(at.last_in_block),
        flag(at.first_in_block && at.last_in_block),
    ]
}

/// The fitted model: a weight per feature, the intercept, and the score from which a sentence
/// is machine talk.
struct Model {
    weights: Vec<f32>,
    intercept: f32,
    threshold: f32,
}

static MODEL_RAW: &str = include_str!("../../../data/machine-text-model.tsv");

static MODEL: LazyLock<Model> = LazyLock::new(|| {
    let names = feature_names();
    let mut weights = vec![0.0; names.len()];
    let (mut intercept, mut threshold) = (0.0, f32::INFINITY);
    for line in MODEL_RAW.lines().filter(|l| !l.starts_with('#')) {
        let Some((name, value)) = line.split_once('\t') else {
            continue;
        };
        let value: f32 = value.trim().parse().expect("a number in the model file");
        match name {
            "intercept" => intercept = value,
            "threshold" => threshold = value,
            _ => {
                let at = names
                    .iter()
                    .position(|n| *n == name)
                    .unwrap_or_else(|| panic!("unknown feature {name} in the model file"));
                weights[at] = value;
            }
        }
    }
    Model {
        weights,
        intercept,
        threshold,
    }
});

/// The model's score of a sentence (log-odds that it is machine talk).
pub fn score(sentence: &str, at: Position) -> f32 {
    let model = &*MODEL;
    features(sentence, at)
        .iter()
        .zip(&model.weights)
        .map(|(x, w)| x * w)
        .sum::<f32>()
        + model.intercept
}

/// Whether a sentence is machine talk: its score reaches the model's threshold, chosen on the
/// dev pages' real sentences for at most one false removal in 10,000. Most sentences are settled
/// by [`ceiling`] without running a pattern.
pub fn is_machine_talk(sentence: &str, at: Position) -> bool {
    ceiling(sentence, at) >= MODEL.threshold && score(sentence, at) >= MODEL.threshold
}

/// A literal that every match of a feature's pattern contains (ASCII case folded), with whether
/// the pattern puts a word boundary before and after it. Counting the cues found bounds the
/// count of the pattern's matches from above.
struct Cue {
    feature: &'static str,
    text: &'static str,
    left: bool,
    right: bool,
}

const fn cue(feature: &'static str, text: &'static str, left: bool, right: bool) -> Cue {
    Cue {
        feature,
        text,
        left,
        right,
    }
}

/// The cues of the features that may weigh for machine talk. A feature missing here is bounded
/// by its largest count, so a refit that gives another feature a positive weight stays safe.
const CUES: &[Cue] = &[
    cue("second_person", "you", true, false),
    // `offer`: each alternative of its pattern starts with one of these.
    cue("offer", "would you", true, false),
    cue("offer", "do you want", true, false),
    cue("offer", "shall i", true, false),
    cue("offer", "should i", true, false),
    cue("offer", "want me to", true, false),
    cue("offer", "let me know", true, false),
    cue("offer", "feel free", true, false),
    cue("offer", "if you", true, false),
    cue("offer", "i can ", true, false),
    cue("offer", "i'd be", true, false),
    cue("offer", "i’d be", true, false),
    cue("offer", "i would be", true, false),
    cue("offer", "happy to help", true, false),
    cue("offer", "i hope", true, false),
    // `text_reference`: each match ends in one of its nouns.
    cue("text_reference", "article", true, false),
    cue("text_reference", "section", true, false),
    cue("text_reference", "draft", true, false),
    cue("text_reference", "text", true, false),
    cue("text_reference", "version", true, false),
    cue("text_reference", "post", true, false),
    cue("text_reference", "paragraph", true, false),
    cue("text_reference", "letter", true, false),
    cue("text_reference", "email", true, false),
    cue("text_reference", "essay", true, false),
    cue("text_reference", "summar", true, false),
    cue("text_reference", "content", true, false),
    cue("text_reference", "response", true, false),
    cue("text_reference", "answer", true, false),
    cue("text_reference", "passage", true, false),
    cue("text_reference", "outline", true, false),
    cue("text_reference", "piece", true, false),
    cue("text_reference", "revision", true, false),
    cue("text_reference", "rewrite", true, false),
    cue("text_reference", "bio", true, false),
    cue("text_reference", "caption", true, false),
    cue("text_reference", "description", true, false),
    cue("text_reference", "template", true, false),
    cue("text_reference", "sentence", true, false),
    cue("text_reference", "wording", true, false),
    cue("text_reference", "tone", true, false),
    cue("text_reference", "structure", true, false),
    cue("text_reference", "format", true, false),
    cue("model_word", "ai", true, true),
    cue("model_word", "a.i.", true, false),
    cue("model_word", "language model", true, true),
    cue("model_word", "llm", true, true),
    cue("model_word", "chatbot", true, true),
    cue("model_word", "virtual assistant", true, true),
    cue("model_word", "chatgpt", true, true),
    cue("model_word", "gpt", true, false),
    cue("model_word", "openai", true, true),
    cue("model_word", "gemini", true, true),
    cue("model_word", "claude", true, true),
    cue("model_word", "copilot", true, true),
    cue("knowledge_limit", "knowledge", true, false),
    cue("knowledge_limit", "training", true, false),
    cue("knowledge_limit", "real-time", true, false),
    cue("knowledge_limit", "don't", true, false),
    cue("knowledge_limit", "don’t", true, false),
    cue("knowledge_limit", "do not", true, false),
    cue("knowledge_limit", "cannot", true, false),
    cue("knowledge_limit", "can't", true, false),
    cue("knowledge_limit", "can’t", true, false),
    cue("knowledge_limit", "unable to", true, false),
    cue("knowledge_limit", "as of my", true, false),
    cue("knowledge_limit", "last update", true, false),
    cue("knowledge_limit", "last knowledge", true, false),
    cue("placeholder", "[", false, false),
    cue("placeholder", "xx/", false, false),
    cue("placeholder", "-xx-", false, false),
    cue("here_is", "here", true, false),
    cue("here_is", "below", true, false),
    cue("label_start", "**", false, false),
    cue("label_start", "note", true, false),
    cue("label_start", "summary of changes", true, false),
    cue("label_start", "changes made", true, false),
    cue("label_start", "edit summary", true, false),
    cue("label_start", "key changes", true, false),
    cue("label_start", "tip", true, false),
    cue("label_start", "why this works", true, false),
    cue("label_start", "explanation", true, false),
];

static CUE_FINDER: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(CUES.iter().map(|c| c.text))
        .expect("valid cues")
});

/// Each cue's feature, as an index into [`LEXICAL`].
static CUE_FEATURE: LazyLock<Vec<usize>> = LazyLock::new(|| {
    CUES.iter()
        .map(|c| {
            LEXICAL
                .iter()
                .position(|f| f.name == c.feature)
                .unwrap_or_else(|| panic!("cue for unknown feature {}", c.feature))
        })
        .collect()
});

/// For each lexical feature: its weight if positive (else none), its largest count (one for a
/// pattern anchored at the start), and whether it has cues.
static CEILING_TERMS: LazyLock<[(f32, usize, bool); LEXICAL.len()]> = LazyLock::new(|| {
    std::array::from_fn(|i| {
        let cap = if LEXICAL[i].pattern.starts_with('^') {
            1
        } else {
            MAX_COUNT
        };
        (MODEL.weights[i].max(0.0), cap, CUE_FEATURE.contains(&i))
    })
});

/// An upper bound of [`score`], from the cues a sentence holds and its exact cheap features: each
/// lexical feature with a positive weight counts as many matches as the sentence has cues for it
/// (every cue if it has none listed), up to its cap; features with a negative weight count none.
pub fn ceiling(sentence: &str, at: Position) -> f32 {
    // The patterns fold case by Unicode, the cues by ASCII: the two letters whose Unicode fold is
    // ASCII ("ſ" is "s", the Kelvin sign "K" is "k") would match a pattern and miss its cue.
    if sentence.contains(['\u{17f}', '\u{212a}']) {
        return f32::INFINITY;
    }
    let model = &*MODEL;
    let mut cues = [0usize; LEXICAL.len()];
    let bytes = sentence.as_bytes();
    let word = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric());
    for m in CUE_FINDER.find_overlapping_iter(sentence) {
        let cue = &CUES[m.pattern().as_usize()];
        let before = m.start().checked_sub(1).and_then(|i| bytes.get(i));
        if (cue.left && word(before)) || (cue.right && word(bytes.get(m.end()))) {
            continue;
        }
        cues[CUE_FEATURE[m.pattern().as_usize()]] += 1;
    }
    let lexical: f32 = CEILING_TERMS
        .iter()
        .zip(cues)
        .map(|(&(weight, cap, listed), found)| {
            weight * if listed { found.min(cap) } else { cap } as f32
        })
        .sum();
    let cheap: f32 = cheap_features(sentence, at)
        .iter()
        .zip(&model.weights[LEXICAL.len()..])
        .map(|(x, w)| x * w)
        .sum();
    model.intercept + lexical + cheap
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Words that the features look for, and others, to build sentences from.
    const WORDS: &[&str] = &[
        "you",
        "your",
        "You",
        "I",
        "I'm",
        "my",
        "we",
        "our",
        "would you like",
        "let me know",
        "feel free",
        "I can help",
        "I hope this helps",
        "this article",
        "the draft",
        "your post",
        "AI",
        "ChatGPT",
        "GPT-4",
        "language model",
        "as of my",
        "knowledge cutoff",
        "don't browse",
        "[Your Name]",
        "2025-XX-XX",
        "Here's",
        "Below is",
        "**Note**:",
        "Note:",
        "copy and paste",
        "I revised",
        "please note",
        "post it on",
        "the",
        "bridge",
        "closed",
        "said",
        "said.",
        "!",
        "?",
        ":",
        "again",
        "yours",
        "bayou",
        "chatgpt4",
        "said,",
        "ſhall",
        "\u{212a}nowledge",
    ];

    proptest! {
        #[test]
        fn the_ceiling_is_never_below_the_score(
            picks in proptest::collection::vec(0..WORDS.len(), 0..24),
            flags in proptest::array::uniform4(any::<bool>()),
        ) {
            let sentence: Vec<&str> = picks.iter().map(|&i| WORDS[i]).collect();
            let sentence = sentence.join(" ");
            let at = Position {
                first_in_document: flags[0],
                last_in_document: flags[1],
                first_in_block: flags[2],
                last_in_block: flags[3],
            };
            prop_assert!(ceiling(&sentence, at) >= score(&sentence, at) - 1e-4, "{sentence}");
        }
    }

    /// Text each lexical pattern matches, as its own generator makes it (word boundaries and the
    /// start anchor dropped: the text is set between spaces at a sentence's start).
    fn pattern_text() -> impl Strategy<Value = String> {
        let strategies: Vec<_> = LEXICAL
            .iter()
            .map(|f| {
                let pattern = f.pattern.replace(r"\b", "").replace('^', "");
                proptest::string::string_regex(&pattern)
                    .unwrap_or_else(|e| panic!("{}: {e}", f.name))
                    .boxed()
            })
            .collect();
        proptest::strategy::Union::new(strategies)
    }

    proptest! {
        // Every alternative of every pattern, not only the words above: a pattern changed
        // without its cues fails here.
        #[test]
        fn the_ceiling_is_never_below_the_score_of_any_pattern_s_text(
            matched in proptest::collection::vec(pattern_text(), 1..4),
            last in any::<bool>(),
        ) {
            let sentence = format!("{} end", matched.join(" "));
            let at = Position { last_in_document: last, ..Position::default() };
            prop_assert!(ceiling(&sentence, at) >= score(&sentence, at) - 1e-4, "{sentence:?}");
        }
    }

    #[test]
    fn plain_prose_is_settled_without_a_pattern() {
        let at = Position::default();
        for sentence in [
            "The bridge reopened on Monday after two years of work.",
            "You can walk across it at any hour.",
        ] {
            assert!(ceiling(sentence, at) < MODEL.threshold, "{sentence}");
        }
    }
}
