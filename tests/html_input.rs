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

/// A page in the form a crawler may store it: compressed, in a legacy charset it declares, with
/// what it states about itself in its head.
#[test]
fn compressed_and_legacy_charset_pages_are_read_with_their_metadata() {
    let work = Work::new();
    let html = page("harbor.example", "Harbor Town Approves Sea Wall", BODY).replace(
        "<title>",
        "<meta name=\"author\" content=\"Ann Lee\"><meta property=\"article:published_time\" content=\"2024-05-01\"><title>",
    );
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, html.as_bytes()).unwrap();
    work.write("in/harbor.example/sea-wall.html.gz", gz.finish().unwrap());
    work.write(
        "in/coast.example/sea-wall.htm.zst",
        zstd::encode_all(
            page("coast.example", "Sea Wall Approved", BODY).as_bytes(),
            3,
        )
        .unwrap(),
    );
    // Declared windows-1251 (its bytes alone could be read as another Cyrillic charset).
    let russian = "<html lang=ru><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"><title>Новости</title></head>\
                   <body><p>Городской совет во вторник проголосовал за строительство новой дамбы в северной гавани.</p></body></html>";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(russian);
    work.write("in/ru.example/dam.html", &bytes);
    work.thresh()
        .args([
            "clean", "in", "--out", "out", "--report", "rep", "-q", "--skip", "dedup",
        ])
        .assert()
        .success();
    for out in [
        "out/harbor.example/sea-wall.txt",
        "out/coast.example/sea-wall.txt",
    ] {
        let text = work.read(out);
        assert!(text.contains(BODY[1]), "{out}: {text}");
        assert!(!text.contains("Privacy Policy"), "{out}: {text}");
    }
    assert!(work
        .read("out/ru.example/dam.txt")
        .contains("Городской совет во вторник"));
    let doc = work.doc("rep", "harbor.example/sea-wall.html.gz");
    assert_eq!(
        doc["page"]["title"],
        "Harbor Town Approves Sea Wall | harbor.example"
    );
    assert_eq!(doc["page"]["url"], "https://www.harbor.example/news/1");
    assert_eq!(doc["page"]["language"], "en");
    assert_eq!(doc["page"]["author"], "Ann Lee");
    assert_eq!(doc["page"]["date"], "2024-05-01");
    assert_eq!(
        work.doc("rep", "ru.example/dam.html")["charset"],
        "windows-1251"
    );
}

/// JSON Lines records that hold pages (`--html-field`): each is read as HTML, written back with
/// its other fields, its text in the text field and the page's metadata, the HTML left out.
#[test]
fn pages_in_a_json_lines_field_are_read_as_html() {
    let work = Work::new();
    let record = |id: &str, crawl: &str, html: &str| {
        serde_json::json!({"id": id, "crawl": crawl, "html": html}).to_string() + "\n"
    };
    work.write(
        "in/pages.jsonl",
        record(
            "p1",
            "2024-05",
            &page("harbor.example", "Harbor Town Approves Sea Wall", BODY),
        ) + &record(
            "p2",
            "2024-06",
            &page("coast.example", "Other News", &BODY[..1]),
        ),
    );
    work.thresh()
        .args([
            "clean",
            "in",
            "--out",
            "out",
            "--report",
            "rep",
            "-q",
            "--skip",
            "dedup",
            "--html-field",
            "html",
        ])
        .assert()
        .success();
    let records = work.jsonl("out/pages.jsonl");
    assert_eq!(records.len(), 2, "{records:?}");
    let first = &records[0];
    assert_eq!(first["id"], "p1");
    assert_eq!(first["crawl"], "2024-05");
    assert!(first.get("html").is_none(), "{first}");
    let text = first["text"].as_str().unwrap();
    assert!(text.contains(BODY[2]), "{text}");
    assert!(
        !text.contains("<p>") && !text.contains("Privacy Policy"),
        "{text}"
    );
    assert_eq!(first["url"], "https://www.harbor.example/news/1");
    assert_eq!(
        first["title"],
        "Harbor Town Approves Sea Wall | harbor.example"
    );
    assert_eq!(first["language"], "en");
    assert_eq!(
        work.doc("rep", "p2")["page"]["url"],
        "https://www.coast.example/news/1"
    );
}

/// `dedup` and `diff` take folders of pages as `clean` does.
#[test]
fn dedup_and_diff_take_html_folders() {
    let work = Work::new();
    for (dir, extra) in [("old", ""), ("new", " It was approved by a wide margin.")] {
        work.write(
            &format!("{dir}/harbor.example/a.html"),
            page("harbor.example", "Harbor Town Approves Sea Wall", BODY),
        );
        let changed = format!("The ferry to the islands will run twice a day from June, the operator said, after a winter of complaints from residents.{extra}");
        work.write(
            &format!("{dir}/harbor.example/b.html"),
            page(
                "harbor.example",
                "Ferry Timetable Changes",
                &[&changed, "Tickets bought for the old timetable will be honoured until the end of the month, and refunds are available at the harbor office."],
            ),
        );
    }
    work.write(
        "old/coast.example/copy.html",
        page("coast.example", "Sea Wall Approved", BODY),
    );
    work.thresh()
        .args([
            "dedup",
            "old",
            "--out",
            "dedup-out",
            "--report",
            "rep",
            "-q",
        ])
        .assert()
        .success();
    let clusters = work.jsonl("rep/clusters.jsonl");
    assert_eq!(clusters.len(), 1, "{clusters:?}");
    // One copy of the article is written, as text; the other story is no one's copy.
    assert!(
        work.exists("dedup-out/harbor.example/a.txt")
            != work.exists("dedup-out/coast.example/copy.txt")
    );
    assert!(work.exists("dedup-out/harbor.example/b.txt"));
    let out = work
        .thresh()
        .args(["diff", "old", "new", "--json", "-q"])
        .output()
        .unwrap();
    let diff: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        diff["removed"],
        serde_json::json!(["coast.example/copy.html"]),
        "{diff}"
    );
    assert_eq!(diff["modified"].as_array().map(Vec::len), Some(1), "{diff}");
}

/// `--html-output markdown` writes a page's structure back in Markdown (`.md`); `--out-format
/// jsonl` writes every document, pages and text files alike, as a record of one file.
#[test]
fn pages_as_markdown_and_as_one_json_lines_file() {
    let work = Work::new();
    let html = page("harbor.example", "Harbor Town Approves Sea Wall", BODY).replace(
        "</article>",
        "<h2>What it costs</h2><table><tr><th>Item</th><th>Cost</th></tr><tr><td>Wall</td><td>$40m</td></tr></table>\
         <pre>cost = 40_000_000\n\nprint(cost)</pre></article>",
    );
    work.write("in/harbor.example/sea-wall.html", &html);
    work.write(
        "in/notes/plain.txt",
        "A plain note about the harbor, written by hand, with no markup in it at all.\n",
    );
    work.thresh()
        .args([
            "clean",
            "in",
            "--out",
            "md",
            "-q",
            "--skip",
            "dedup",
            "--html-output",
            "markdown",
        ])
        .assert()
        .success();
    let md = work.read("md/harbor.example/sea-wall.md");
    for expected in [
        "# Harbor Town Approves Sea Wall\n",
        "## What it costs\n",
        "| Item | Cost |\n| --- | --- |\n| Wall | $40m |\n",
        "```\ncost = 40_000_000\n\nprint(cost)\n```\n",
        BODY[1],
    ] {
        assert!(md.contains(expected), "no {expected:?} in {md}");
    }
    assert!(!md.contains("Privacy Policy"), "{md}");
    // A text file stays text.
    assert!(work.exists("md/notes/plain.txt"));

    work.thresh()
        .args([
            "clean",
            "in",
            "--out",
            "one",
            "-q",
            "--skip",
            "dedup",
            "--out-format",
            "jsonl",
        ])
        .assert()
        .success();
    let records = work.jsonl("one/documents.jsonl");
    assert_eq!(records.len(), 2, "{records:?}");
    let page = records
        .iter()
        .find(|r| r["id"] == "harbor.example/sea-wall.html")
        .expect("the page's record");
    assert_eq!(page["url"], "https://www.harbor.example/news/1");
    assert_eq!(
        page["title"],
        "Harbor Town Approves Sea Wall | harbor.example"
    );
    assert_eq!(page["language"], "en");
    let text = page["text"].as_str().unwrap();
    assert!(text.contains(BODY[0]) && !text.ends_with('\n'), "{text:?}");
    let note = records
        .iter()
        .find(|r| r["id"] == "notes/plain.txt")
        .unwrap();
    assert!(note.get("url").is_none(), "{note}");
    assert!(!work.exists("one/harbor.example"));
}
