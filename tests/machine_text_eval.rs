//! Removal and survival rates of the machine-text stage on documents built for this test: content
//! paragraphs with machine text mixed in, phrased differently from the unit tests' examples.
//! Goals (issue 3): at least 95% of machine text removed, under 1% of content paragraphs altered.

mod common;

use common::Lcg;
use thresh::document::Document;
use thresh::stages::machine_text::MachineText;
use thresh::stages::stage::Stage;

/// Lines that are nothing but machine text.
const MACHINE_LINES: &[&str] = &[
    "Sure! Here is a rewritten version of the paragraph:",
    "Certainly! Below is the edited section you asked for:",
    "Absolutely, here's an expanded outline for your blog:",
    "Here's the corrected passage:",
    "Of course! Here are three suggested titles for your article:",
    "Great question! Here's a polished version:",
    "Here is a revised draft for your newsletter:",
    "Sure, here's the updated list as requested:",
    "Certainly! Here's an improved conclusion:",
    "As an AI language model, I don't have personal opinions.",
    "I'm an AI assistant and cannot verify these figures.",
    "As of my last update in September 2021, the drug had not been approved.",
    "I can't browse the internet, so please verify the latest guidelines.",
    "Regenerate response",
    "Copy code",
    "Stop generating",
    "Was this response helpful?",
    "An error occurred while generating the response. Please try again.",
    "Too many requests in 1 hour. Try again later.",
    "Rate limit exceeded. Please wait a moment.",
    "I hope this helps with your project!",
    "Let me know if there's anything else you'd like me to change.",
    "Feel free to reach out if you need more examples.",
    "Is there anything else I can help you with?",
    "If you need any further adjustments, just let me know.",
    "Claude can make mistakes. Please double-check responses.",
    "There was an error generating a response",
    "You've reached the message limit for today.",
];

/// Sentences with machine text spliced in, and what they must become.
const SPLICES: &[(&str, &str)] = &[
    (
        "The committee Certainly! Here is the revised sentence: \"has approved.\" the plan last week.",
        "The committee has approved the plan last week.",
    ),
    ("Residents \"Were advised.\" to stay indoors during the storm.", "Residents were advised to stay indoors during the storm."),
    (
        "The vaccine Sure! The rewritten phrase is: \"was shown.\" to reduce infections.",
        "The vaccine was shown to reduce infections.",
    ),
    ("Answering your request about the budget: the council approved new funds.", "the council approved new funds."),
    ("Older bridges “Must be inspected” every two years.", "Older bridges must be inspected every two years."),
    (
        "Early results Of course! The updated wording is: \"have been promising.\" in small trials.",
        "Early results have been promising in small trials.",
    ),
];

/// Content, some of it using the words machine text uses.
const CONTENT: &[&str] = &[
    "The library reopened on Monday after a two-year renovation that added a children's wing.",
    "Certainly the most striking change is the glass roof over the reading room.",
    "Here is what visitors will find: longer opening hours, more computers and a café.",
    "As an AI safety researcher, Dr. Lin has spent years studying how models fail.",
    "She said the system \"Is not ready.\" and asked for more testing before launch.",
    "Let me know if you need anything, her mother told her at the station.",
    "The revised version of the bill passed the senate by a narrow margin.",
    "Sure enough, attendance doubled in the first month.",
    "Of course, the council still has to approve next year's budget.",
    "Copy the configuration file into the project folder before running the tool.",
    "An error in the survey meant that some answers were counted twice.",
    "The server was overloaded on launch day, and the site went down for an hour.",
    "I hope this year's harvest will be better, the farmer wrote in his diary.",
    "Below is a list of the winners, sorted by category and then by name.",
    "Feel the texture of the bark before you decide which tree to plant.",
    "Rate limits on the old road were lowered after three accidents in one winter.",
    "Happy hour starts at five and lasts until seven on weekdays.",
    "Great care is needed when handling the samples, which are fragile.",
    "He was asked whether the report \"Was accurate.\" and he said it was.",
    "The new rules, as requested by local businesses, take effect in June.",
    "Doctors advise patients to keep a diary of their symptoms.",
    "The museum's collection includes over four thousand maps from the sixteenth century.",
    "Researchers measured the water temperature every hour for three months.",
    "Stop signs were added at two intersections near the school.",
    "Is there a better way to store energy than in batteries? Engineers think so.",
];

#[test]
fn machine_text_is_removed_and_content_survives() {
    let mut rng = Lcg(7);
    let (mut machine_total, mut machine_removed) = (0usize, 0usize);
    let (mut content_total, mut content_altered) = (0usize, 0usize);
    let mut misses = Vec::new();
    for doc_no in 0..200 {
        // A document: four to seven content paragraphs, machine text in between and spliced in.
        let mut paragraphs: Vec<String> = (0..4 + rng.next(4))
            .map(|_| CONTENT[rng.next(CONTENT.len())].to_string())
            .collect();
        let mut expected_content = paragraphs.clone();
        let machine_line = MACHINE_LINES[doc_no % MACHINE_LINES.len()];
        let at = rng.next(paragraphs.len() + 1);
        paragraphs.insert(at, machine_line.to_string());
        let splice = SPLICES[doc_no % SPLICES.len()];
        let at = rng.next(paragraphs.len() + 1);
        paragraphs.insert(at, splice.0.to_string());
        expected_content.push(splice.1.to_string());

        let text = paragraphs.join("\n\n") + "\n";
        let out = MachineText::default()
            .run(Document::from_text(format!("d{doc_no}"), &text))
            .doc
            .text();
        let lines: Vec<&str> = out.lines().collect();

        machine_total += 2;
        if !out.contains(machine_line) {
            machine_removed += 1;
        } else {
            misses.push(machine_line.to_string());
        }
        if lines.contains(&splice.1) {
            machine_removed += 1;
        } else {
            misses.push(splice.0.to_string());
        }
        for c in &expected_content[..expected_content.len() - 1] {
            content_total += 1;
            if !lines.contains(&c.as_str()) {
                content_altered += 1;
                misses.push(format!("altered: {c}"));
            }
        }
    }
    misses.sort();
    misses.dedup();
    let removed = machine_removed as f64 / machine_total as f64;
    let altered = content_altered as f64 / content_total as f64;
    eprintln!(
        "machine text removed {:.1}%, content altered {:.2}%; misses: {misses:#?}",
        removed * 100.0,
        altered * 100.0
    );
    assert!(
        removed >= 0.95,
        "removed only {:.1}% of machine text: {misses:#?}",
        removed * 100.0
    );
    assert!(
        altered < 0.01,
        "altered {:.2}% of content: {misses:#?}",
        altered * 100.0
    );
}
