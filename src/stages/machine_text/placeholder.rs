//! Unfilled slots of a template a chatbot drafted: "[Your Name]", "[Your Company Name]",
//! "[Describe the existing problems …]", "[Insert relevant link]", "2025-XX-XX". A sentence that
//! still holds one was never finished by anyone ("Discover perfection in every stitch at [Your
//! Company Name].") and says nothing, so the stage drops the sentence, not just the slot.
//!
//! A slot is told from the brackets of real text by its form, not by a list of slots: square
//! brackets around a second-person possessive ("[your support email]"), around an instruction to
//! the writer ("[Describe …]", "[Insert …]"), or around a title-cased noun phrase ending in a
//! field noun ("[App Name]", "[Entertainer's Name]"). Editors' brackets in quotations
//! ("[originally published in 1966]", "[Annapolis]"), citation marks ("[citation needed]", "[12]"),
//! links ("[Privacy Policy](/privacy)") and form labels of one word ("[Name]") are none of these.
//! On the 45,580 gold sentences of the dev pages no bracket has one of these forms.

use regex::Regex;
use std::sync::LazyLock;

static SLOT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\[(?:",
        // "[Your Name]", "[your support email or phone number]": the requester's own details.
        r"(?i:your)\s+[\p{L}'’]{2,}[^\[\]\n]{0,80}",
        // "[Describe the impact …]", "[Insert relevant link]": an instruction, with what to write.
        r"|(?i:insert|describe|explain|specify|provide|mention|summarize|summarise|fill in|enter your|briefly describe|briefly explain|add your|list your)\s+\p{L}[^\[\]\n]{4,100}",
        // "[App Name]", "[Entertainer's Name]", "[Company Email Address]".
        r"|(?:\p{Lu}[\p{L}'’]*\s+){1,3}(?:Name|Email|E-mail|Email Address|Address|Phone Number|Phone|Contact Information|Contact Info|Website|URL|Link|Title|Date)",
        r")\]",
        // A date nobody filled in: "2025-XX-XX", "XX/XX/2025".
        r"|\b(?:19|20)\d\d-XX-XX\b|\bXX/XX/(?:19|20)\d\d\b",
    ))
    .expect("valid pattern")
});

/// Whether a sentence still holds a template's slot, written, not mentioned: a slot in a code span
/// or in quotation marks ("replace "[Your Name]" with yours"), or in a sentence about slots
/// ("Include signature placeholder 'Best regards, [Your Name]'"), is the subject of the sentence.
/// Two forms belong to templates people make on purpose, which are content: a slot in capitals
/// ("[INSERT RELEVANT DPA]", "[DATE]"), and a slot as the value of a field ("Company: [Your
/// Company Name]", "Email: [DPA BREACH EMAIL]").
pub fn holds_slot(sentence: &str) -> bool {
    if !sentence.contains('[') && !sentence.contains("XX") {
        return false;
    }
    if ABOUT_SLOTS.is_match(sentence) {
        return false;
    }
    let spans = crate::text::code_spans(sentence);
    SLOT.find_iter(sentence).any(|m| {
        let (before, after) = (&sentence[..m.start()], &sentence[m.end()..]);
        let link = after.starts_with('(');
        let quoted =
            before.ends_with(['"', '“', '\'', '‘']) && after.starts_with(['"', '”', '\'', '’']);
        let in_code = spans.iter().any(|s| s.start < m.end() && m.start() < s.end);
        let capitals = m.as_str().starts_with('[') && !m.as_str().chars().any(char::is_lowercase);
        let field = before.trim_end().strip_suffix(':').is_some_and(|label| {
            let label = label
                .rsplit(['.', '!', '?', '>', '*', '-', '|'])
                .next()
                .unwrap_or(label);
            (1..=3).contains(&label.split_whitespace().count())
        });
        !link && !quoted && !in_code && !capitals && !field
    })
}

/// A sentence that speaks about slots and templates.
static ABOUT_SLOTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:placeholders?|templates?|fill(?:ed)?[- ]in|fill (?:it|them|this) in|replace|replaced|replacing)\b")
        .expect("valid pattern")
});

/// Whether a document generates text from a template (`${name}`, `{{ name }}`): its slots are
/// the generator's, filled when it runs.
pub fn is_template_source<'a>(mut lines: impl Iterator<Item = &'a str>) -> bool {
    lines.any(|l| l.contains("${") || l.contains("{{"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unfilled_slots_are_found() {
        for sentence in [
            "Best regards, [Your Name]",
            "Discover perfection in every stitch at [Your Company Name].",
            "Please contact our support team at [your support email or phone number].",
            "[Describe the existing problems or pain points that your project addresses]",
            "Here are some resources that might help: [Insert relevant link].",
            "Welcome to [App Name], the app for runners.",
            "We were thrilled to welcome [Entertainer's Name] to the gala.",
            "The release is planned for 2025-XX-XX.",
        ] {
            assert!(holds_slot(sentence), "{sentence}");
        }
    }

    #[test]
    fn brackets_of_real_text_are_not_slots() {
        for sentence in [
            "\"He [the mayor] refused to comment,\" she said.",
            "The novel [originally published in 1966] was reissued.",
            "Paris is the capital of France.[citation needed]",
            "Read our [Privacy Policy](/privacy) before you sign up.",
            "Fill in the form: [Name] [Email]",
            "Replace \"[Your Name]\" with your own name.",
            "Replace `[Your Name]` with your own name.",
            "The array [1, 2, 3] is sorted.",
            "Press [Add to cart] to buy it.",
            "She wrote [sic] in the margin.",
            "The XXL shirt sold out.",
            "Include signature placeholder 'Best regards, [Your Name]'",
            "Notify the authority: [INSERT RELEVANT DPA]",
            "Company: [Your Company Name]",
            "- Email: [DPA BREACH EMAIL]",
        ] {
            assert!(!holds_slot(sentence), "{sentence}");
        }
    }
}
