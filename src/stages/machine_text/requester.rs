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
        pattern: r"^\s*(?:(?:certainly|sure|of course|absolutely|great)[!,.]?\s*)?(?:here['’]s|here (?:is|are)|below (?:is|are))\b",
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
    let trimmed = sentence.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | ')' | '”' | '’' | '*')
    });
    let words = sentence.split_whitespace().count();
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    out.extend([
        flag(trimmed.ends_with('?')),
        flag(trimmed.ends_with('!')),
        flag(trimmed.ends_with(':')),
        flag(words < 8),
        flag(at.first_in_document),
        flag(at.last_in_document),
        flag(at.first_in_block),
        flag(at.last_in_block),
        flag(at.first_in_block && at.last_in_block),
    ]);
    out
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
/// dev pages' real sentences for at most one false removal in 10,000.
pub fn is_machine_talk(sentence: &str, at: Position) -> bool {
    score(sentence, at) >= MODEL.threshold
}

/// A cheap test that a line may hold such a sentence: every one the model can pass has a word
/// of address, of itself, of a model, or a placeholder's bracket.
pub fn may_hold(line: &str) -> bool {
    static CUES: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
        aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build([
                "you", "i ", "i'", "i’", "my ", "me ", "ai", "model", "[", "xx", "here", "note",
                "**", "chatgpt", "please",
            ])
            .expect("valid cues")
    });
    CUES.is_match(line)
}
