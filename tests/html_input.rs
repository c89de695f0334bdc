//! HTML pages as scrapers save them (issue 18, first step): read through an HTML5 parser into
//! text, one block a line, then cleaned like any scraped text; the output is the mirrored path with
//! `.txt` in place of `.html`.

mod common;

use common::Work;

fn page(site: &str, headline: &str, body: &[&str]) -> String {
    let paragraphs: String = body.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{headline} | {site}</title>\
         <link rel=\"canonical\" href=\"https://www.{site}/news/1\">\
         <script>window.dataLayer = [];</script><style>body {{ font: 12px serif }}</style></head>\n\
         <body><header><nav><ul><li><a href=\"/\">Home</a></li><li><a href=\"/world\">World</a></li>\
         <li><a href=\"/sport\">Sport</a></li></ul></nav></header>\n<main><article><h1>{headline}</h1>\n{paragraphs}\
         </article></main>\n<div style=\"display:none\">Tracking pixel text</div>\
         <footer><p>© 2024 {site}. All rights reserved.</p><p><a href=\"/privacy\">Privacy Policy</a> | \
         <a href=\"/terms\">Terms of Use</a></p></footer><script>track();</script></body></html>\n"
    )
}

const BODY: &[&str] = &[
    "The town council voted on Tuesday to build a sea wall along the northern harbor, ending a debate that has run for more than a decade.",
    "The wall will cost about forty million dollars, most of it paid by the state, and is due to be finished before the storm season of 2027.",
    "Opponents argued that the money would be better spent moving the most exposed houses inland, and several said they would appeal.",
];

#[test]
fn html_pages_come_out_as_their_text() {
    let work = Work::new();
    work.write(
        "in/harbor.example/sea-wall.html",
        page("harbor.example", "Harbor Town Approves Sea Wall", BODY),
    );
    // A page saved with a .txt name is read as HTML too, with a warning.
    work.write(
        "in/saved/page.txt",
        page("coast.example", "Sea Wall Approved", BODY),
    );
    work.thresh()
        .args([
            "clean", "in", "--out", "out", "--report", "rep", "-q", "--skip", "dedup",
        ])
        .assert()
        .success();
    for out in ["out/harbor.example/sea-wall.txt", "out/saved/page.txt"] {
        let text = work.read(out);
        for kept in BODY {
            assert!(text.contains(kept), "{out} lost {kept:?}: {text}");
        }
        for gone in [
            "dataLayer",
            "track()",
            "font:",
            "Tracking pixel",
            "<p>",
            "All rights reserved",
            "Privacy Policy",
        ] {
            assert!(!text.contains(gone), "{out} keeps {gone:?}: {text}");
        }
    }
    assert!(!work.exists("out/harbor.example/sea-wall.html"));
    let doc = work.doc("rep", "harbor.example/sea-wall.html");
    assert_eq!(doc["status"], "kept");
    let saved = work.doc("rep", "saved/page.txt");
    assert!(
        saved["warning"].as_str().unwrap_or("").contains("HTML"),
        "{saved}"
    );
}

#[test]
fn one_article_on_two_sites_html_pages_is_one_cluster() {
    let work = Work::new();
    work.write(
        "in/a/story.html",
        page("harbor.example", "Harbor Town Approves Sea Wall", BODY),
    );
    work.write(
        "in/b/story.htm",
        page("coast.example", "Sea Wall Approved", BODY),
    );
    work.thresh()
        .args(["clean", "in", "--out", "out", "--report", "rep", "-q"])
        .assert()
        .success();
    let clusters = work.jsonl("rep/clusters.jsonl");
    assert_eq!(clusters.len(), 1, "{clusters:?}");
}
