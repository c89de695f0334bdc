//! The report page, `index.html` (issue 26): made by every run with `--report`, rebuilt by
//! `thresh report DIR`, and rendered in a real browser.
//!
//! The browser is headless Chromium from the distribution's packages (`/usr/bin/chromium`, or
//! `chromium`, `chromium-browser`, `google-chrome` on the PATH, or `THRESH_CHROMIUM`). `.ci/run`
//! installs it and sets `THRESH_BROWSER_REQUIRED=1`, so that in CI a missing browser fails the
//! test; on a machine with only the Rust toolchain, the browser test says it did not run and
//! passes, and the page's other tests still run.

mod common;

use common::Work;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The sections every page has, by id.
const SECTIONS: [&str; 5] = ["run", "rules", "documents", "duplicates", "problems"];

/// The five samples, and a generated corpus that gives every section something to show: a site
/// whose pages share a template, near-duplicate pages, a passage shared by several, a spun page,
/// a chatbot's leftovers, and a binary file that is skipped.
fn corpus(work: &Work) {
    for entry in std::fs::read_dir(common::samples_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        work.write(&format!("in/samples/{name}"), std::fs::read(&path).unwrap());
    }
    let topics = [
        ("ferry", "The ferry service between the two islands will resume next month after a winter of repairs to the northern pier"),
        ("baths", "The council voted last night to reopen the swimming baths on the seafront after a decade of closure"),
        ("market", "Fishermen report the best mackerel season in years and the market hall has extended its opening hours"),
        ("bus", "A new bus route will link the station with the hospital from March, running every twenty minutes on weekdays"),
        ("library", "The town library will open on Sundays from the spring, its volunteers said at a meeting on Tuesday evening"),
        ("school", "Pupils at the harbour school raised enough money to restore the old lifeboat that stood in the playground"),
    ];
    let shared = "Readers who wish to comment on any of these stories may write to the editor at the \
                  Quay Street office, where letters are read every morning and the best of them are \
                  printed on Saturdays with the writer's name and town.";
    for (i, (name, lead)) in topics.iter().enumerate() {
        let body = format!(
            "{lead}. Residents welcomed the news, and several said they had waited a long time for it. \
             The work is expected to cost less than first planned, according to the figures \
             published by the council this week.\n\n{}",
            if i % 2 == 0 { shared } else { "" }
        );
        let page = format!(
            "Home | News | Sport | Weather | Contact\n\n{body}\n\nShare this article on Facebook\n\n\
             Harbour Gazette, printed at the Quay Street works since 1921\n\n\
             © 2026 Harbour Gazette. All rights reserved.\n"
        );
        work.write(&format!("in/gazette/{name}.txt"), &page);
        if i < 3 {
            // A copy of the page re-scraped with a line more.
            work.write(
                &format!("in/mirror/{name}-copy.txt"),
                format!("{page}\nUpdated at 10:42.\n"),
            );
        }
    }
    let spun = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/spin/spun/blood-pressure.txt"),
    )
    .unwrap();
    work.write("in/health/blood-pressure.txt", spun);
    work.write(
        "in/health/chatbot.txt",
        "Certainly! Here is the revised text for your article:\n\nRegular walking lowers blood \
         pressure in most adults, and the effect lasts for several hours after each walk.\n\n\
         I hope this helps! Let me know if you need any further changes.\n",
    );
    // A PNG under a text name: skipped, with its reason.
    work.write(
        "in/health/scan.txt",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01",
    );
}

fn run_clean(work: &Work, report: &str, threads: &str) {
    work.thresh()
        .args([
            "clean",
            "in",
            "--out",
            &format!("{report}-out"),
            "--report",
            report,
        ])
        .args(["-q", "-j", threads])
        .assert()
        .success();
}

/// The page without what differs between two runs of the same command: the times.
fn without_times(page: &str) -> String {
    let start = page
        .find("<div id=\"run-timing\">")
        .expect("a timing block");
    let end = start + page[start..].find("</div>").expect("its end") + "</div>".len();
    format!("{}{}", &page[..start], &page[end..])
}

#[test]
fn the_page_is_self_contained_and_the_same_whatever_the_threads() {
    let work = Work::new();
    corpus(&work);
    run_clean(&work, "one", "1");
    run_clean(&work, "two", "2");
    let page = work.read("one/index.html");
    assert_eq!(
        without_times(&page),
        without_times(&work.read("two/index.html"))
    );
    // Nothing is fetched: a policy that forbids every request, no script, no external link.
    assert!(page.contains("Content-Security-Policy\" content=\"default-src 'none'"));
    assert!(!page.contains("<script"));
    for attribute in [
        "src=\"http",
        "href=\"http",
        "src=\"//",
        "href=\"//",
        "url(http",
    ] {
        assert!(!page.contains(attribute), "{attribute}");
    }
    for section in SECTIONS {
        assert!(
            page.contains(&format!("<section id=\"{section}\"")),
            "{section}"
        );
    }
    // What the report holds shows on the page: a rule's samples, a cluster, the skipped file.
    assert!(
        page.contains("boilerplate / repeated_line"),
        "no repeated_line section"
    );
    assert!(page.contains("Cluster d1"));
    assert!(page.contains("health/scan.txt") && page.contains("skipped"));
    assert!(page.contains("flagged spun from 18"));
    // Accessible: every table has a caption, every chart a title.
    assert_eq!(
        page.matches("<table").count(),
        page.matches("<caption>").count()
    );
    assert_eq!(
        page.matches("<svg").count(),
        page.matches("<title id=").count()
    );

    // `thresh report DIR` rebuilds the same page from the report's files.
    let built = work.read("one/index.html");
    std::fs::remove_file(work.path("one/index.html")).unwrap();
    work.thresh()
        .args(["report", "one", "-q"])
        .assert()
        .success();
    assert_eq!(work.read("one/index.html"), built);
    work.thresh()
        .args(["report", "in"])
        .assert()
        .failure()
        .code(2);
}

/// The browser to render with, if there is one.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("THRESH_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| {
            std::env::split_paths(&path)
                .map(move |dir| dir.join(name))
                .chain([PathBuf::from("/usr/bin").join(name)])
        })
        .find(|p| p.is_file())
}

/// What Chromium made of a page: the DOM after loading, what it logged of the page's console,
/// and the requests the page made (from its network log: those with the page as initiator;
/// the browser's own background requests have none).
struct Rendered {
    dom: String,
    console: Vec<String>,
    requests: Vec<String>,
}

fn render(browser: &Path, page: &Path, scratch: &Path, screenshot: Option<&Path>) -> Rendered {
    let profile = tempfile::tempdir_in(scratch).unwrap();
    let net_log = scratch.join(format!(
        "net-{}.json",
        page.file_stem().unwrap().to_string_lossy()
    ));
    let mut command = Command::new(browser);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--enable-logging=stderr",
        "--v=0",
        "--window-size=1280,2400",
    ]);
    command.arg(format!("--user-data-dir={}", profile.path().display()));
    command.arg(format!("--log-net-log={}", net_log.display()));
    match screenshot {
        Some(shot) => command.arg(format!("--screenshot={}", shot.display())),
        None => command.arg("--dump-dom"),
    };
    command.arg(format!("file://{}", page.display()));
    let out = command.output().expect("chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains(":ERROR:") && l.contains("file://"))
        .map(String::from)
        .collect();
    let log: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&net_log).expect("a network log")).unwrap();
    let requests = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| {
            let params = &e["params"];
            let url = params["url"].as_str()?;
            let initiator = params["initiator"].as_str()?;
            (initiator != "not an origin").then(|| format!("{url} (from {initiator})"))
        })
        .collect();
    Rendered {
        dom: String::from_utf8_lossy(&out.stdout).into_owned(),
        console,
        requests,
    }
}

#[test]
fn the_page_renders_in_a_browser_with_every_section_and_chart_and_no_request() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("THRESH_BROWSER_REQUIRED").is_none(),
            "THRESH_BROWSER_REQUIRED is set but no Chromium was found"
        );
        eprintln!("the browser test did not run: no Chromium (apt-get install chromium)");
        return;
    };
    let work = Work::new();
    corpus(&work);
    run_clean(&work, "rep", "2");
    let page = work.path("rep/index.html");
    let scratch = work.path("browser");
    std::fs::create_dir_all(&scratch).unwrap();
    let shown = render(&browser, &page, &scratch, None);
    for section in SECTIONS {
        let open = format!("<section id=\"{section}\"");
        assert!(shown.dom.contains(&open), "no section {section} rendered");
    }
    // Every chart is drawn with its bars: non-empty SVG.
    let charts: Vec<&str> = shown.dom.split("<svg").skip(1).collect();
    assert!(charts.len() >= 8, "{} charts", charts.len());
    for chart in &charts {
        let chart = &chart[..chart.find("</svg>").unwrap()];
        assert!(
            chart.contains("<rect class=\"bar\""),
            "a chart without bars: {chart:.200}"
        );
    }
    assert!(shown.console.is_empty(), "console: {:?}", shown.console);
    assert!(shown.requests.is_empty(), "requests: {:?}", shown.requests);

    // The checks can fail. With its policy, an image from the network is refused, and the
    // console says so; without the policy, the request is made and the network log shows it.
    let blocked = work.path("rep/blocked.html");
    let html = std::fs::read_to_string(&page).unwrap().replace(
        "<main>",
        "<main><img src=\"http://127.0.0.1:9/pixel.png\" alt=\"\">",
    );
    std::fs::write(&blocked, html).unwrap();
    let refused = render(&browser, &blocked, &scratch, None);
    assert!(
        refused
            .console
            .iter()
            .any(|l| l.contains("Content Security Policy")),
        "no refusal in the console: {:?}",
        refused.console
    );
    assert!(refused.requests.is_empty(), "{:?}", refused.requests);
    let leaky = work.path("rep/leaky.html");
    let html = std::fs::read_to_string(&page)
        .unwrap()
        .replace(
            "http-equiv=\"Content-Security-Policy\"",
            "name=\"x-policy-removed\"",
        )
        .replace(
            "<main>",
            "<main><img src=\"http://127.0.0.1:9/pixel.png\" alt=\"\">",
        );
    std::fs::write(&leaky, html).unwrap();
    let leaked = render(&browser, &leaky, &scratch, None);
    assert!(
        leaked.requests.iter().any(|r| r.contains("127.0.0.1:9")),
        "the request was not seen: {:?}",
        leaked.requests
    );

    // A screenshot, as a person would see the page; `THRESH_SCREENSHOT=FILE` keeps one.
    let shot = scratch.join("page.png");
    render(&browser, &page, &scratch, Some(&shot));
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{} bytes",
        png.len()
    );
    if let Some(keep) = std::env::var_os("THRESH_SCREENSHOT") {
        std::fs::copy(&shot, keep).unwrap();
    }
}
