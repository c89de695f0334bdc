//! No document, file or signal ends a run (issue 15), on the real binary: a panic in one document,
//! FIFOs, sockets and symlink loops, stray NULs and UTF-16 runs, signals in each phase, a stale or
//! foreign `--out`, a closed standard output. Every run has a timeout: nothing may hang.

mod common;

use common::{samples_dir, Work};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest any run here may take: a hang fails the test instead of stalling the suite.
const TIMEOUT: Duration = Duration::from_secs(60);

fn statuses(work: &Work, report: &str) -> BTreeMap<String, String> {
    work.jsonl(&format!("{report}/documents.jsonl"))
        .into_iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn prose(seed: usize) -> String {
    let text = std::fs::read_to_string(samples_dir().join("002_c83c861c09e7f106.txt")).unwrap();
    let words: Vec<&str> = text.split_whitespace().collect();
    // A different stretch of real text for each seed, so documents are not near-duplicates.
    let start = (seed * 97) % (words.len() - 120);
    format!("{}\n", words[start..start + 120].join(" "))
}

#[test]
fn a_panic_in_one_document_fails_only_that_document() {
    let work = Work::new();
    for i in 0..6 {
        work.write(&format!("in/doc{i}.txt"), prose(i));
    }
    // Not UTF-8: kept with --on-error keep, it must come out byte for byte as it went in.
    let mut latin1 =
        b"Le caf\xe9 \xe9tait tr\xe8s fr\xe9quent\xe9. BOOM marks this one.\n".to_vec();
    latin1.extend(prose(7).as_bytes());
    work.write("in/bad.txt", &latin1);
    work.write(
        "in/records.jsonl",
        format!(
            "{}\n{}\n",
            json!({"id": "r1", "text": prose(8)}),
            json!({"id": "r2", "text": format!("BOOM {}", prose(9)), "meta": 3})
        ),
    );

    for (step, steps) in [
        ("machine-text", "all"),
        ("normalize", "all"),
        ("dedup", "all"),
        ("spin", "normalize,spin"),
    ] {
        for keep in [false, true] {
            let (out, rep) = (format!("out-{step}-{keep}"), format!("rep-{step}-{keep}"));
            let mut cmd = work.thresh();
            cmd.args(["clean", "in", "--out", &out, "--report", &rep])
                .env("THRESH_TEST_FAULT", format!("{step}:BOOM"))
                .timeout(TIMEOUT);
            if steps != "all" {
                cmd.args(["--steps", steps]);
            }
            if keep {
                cmd.args(["--on-error", "keep"]);
            }
            let assert = cmd.assert().code(1);
            let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
            assert!(
                !stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"),
                "{stderr}"
            );
            let error_lines: Vec<&str> = stderr
                .lines()
                .filter(|l| l.starts_with("thresh: error:"))
                .collect();
            assert_eq!(
                error_lines.len(),
                2,
                "one line per failed document:\n{stderr}"
            );
            for id in ["bad.txt", "r2"] {
                let doc = work.doc(&rep, id);
                assert_eq!(doc["status"], "failed", "{step}");
                let error = doc["error"].as_str().unwrap();
                assert!(
                    error.starts_with(&format!("internal error in {step}: injected fault")),
                    "{error}"
                );
                assert!(
                    doc["bytes_in"].as_u64().unwrap() > 100,
                    "what it read is counted: {doc}"
                );
            }
            // The rest of the run is untouched.
            for i in 0..6 {
                assert_eq!(work.doc(&rep, &format!("doc{i}.txt"))["status"], "kept");
                assert!(work.exists(&format!("{out}/doc{i}.txt")));
            }
            let records = work.jsonl(&format!("{out}/records.jsonl"));
            if keep {
                assert_eq!(
                    std::fs::read(work.path(&format!("{out}/bad.txt"))).unwrap(),
                    latin1,
                    "kept unchanged"
                );
                assert_eq!(records.len(), 2);
                assert_eq!(
                    records[1],
                    json!({"id": "r2", "text": format!("BOOM {}", prose(9)), "meta": 3})
                );
            } else {
                assert!(!work.exists(&format!("{out}/bad.txt")));
                assert_eq!(records.len(), 1);
            }
            let summary: Value =
                serde_json::from_str(&work.read(&format!("{rep}/summary.json"))).unwrap();
            assert_eq!(summary["counts"]["failed"], 2);
        }
    }
}

#[test]
fn a_panic_while_writing_one_document_fails_only_that_document() {
    let work = Work::new();
    for i in 0..4 {
        work.write(&format!("in/doc{i}.txt"), prose(i));
    }
    work.write("in/bad.txt", format!("BOOM {}", prose(5)));
    work.write(
        "in/records.jsonl",
        format!(
            "{}\n{}\n",
            json!({"id": "r1", "text": prose(8)}),
            json!({"id": "r2", "text": format!("BOOM {}", prose(9))})
        ),
    );
    let assert = work
        .thresh()
        .args(["clean", "in", "--out", "out", "--report", "rep", "-j", "2"])
        .env("THRESH_TEST_FAULT", "write:BOOM")
        .timeout(TIMEOUT)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    for id in ["bad.txt", "r2"] {
        let doc = work.doc("rep", id);
        assert_eq!(doc["status"], "failed");
        assert!(
            doc["error"]
                .as_str()
                .unwrap()
                .starts_with("internal error in write: injected fault"),
            "{doc}"
        );
    }
    assert!(!work.exists("out/bad.txt"));
    assert_eq!(
        work.jsonl("out/records.jsonl"),
        vec![json!({"id": "r1", "text": prose(8).trim_end()})]
    );
    for i in 0..4 {
        assert!(work.exists(&format!("out/doc{i}.txt")));
    }
}

#[test]
fn fifos_sockets_and_symlink_loops_never_block_the_run() {
    let work = Work::new();
    work.write("in/good.txt", prose(1));
    let fifo = work.path("in/pipe.txt");
    assert!(Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let _socket = std::os::unix::net::UnixListener::bind(work.path("in/socket.jsonl")).unwrap();
    std::fs::create_dir_all(work.path("in/sub")).unwrap();
    std::os::unix::fs::symlink(work.path("in"), work.path("in/sub/loop")).unwrap();
    std::os::unix::fs::symlink(work.path("in/nowhere.txt"), work.path("in/dangling.txt")).unwrap();
    std::os::unix::fs::symlink(&fifo, work.path("in/link-to-pipe.txt")).unwrap();

    let assert = work
        .thresh()
        .args(["clean", "in", "--out", "out", "--report", "rep"])
        .timeout(TIMEOUT)
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let expect = [
        ("pipe.txt", "not a regular file (a FIFO)"),
        ("link-to-pipe.txt", "not a regular file (a FIFO)"),
        ("socket.jsonl", "not a regular file (a socket)"),
        ("sub/loop", "symlink loop"),
        ("dangling.txt", "dangling symlink"),
    ];
    for (id, reason) in expect {
        let doc = work.doc("rep", id);
        assert_eq!(doc["status"], "skipped", "{id}");
        assert!(
            doc["warning"].as_str().unwrap().starts_with(reason),
            "{id}: {doc}"
        );
        assert_eq!(
            stderr
                .lines()
                .filter(|l| l.contains(&format!(": {id}: ")) && l.contains(reason))
                .count(),
            1,
            "{id} reported once:\n{stderr}"
        );
    }
    assert_eq!(work.doc("rep", "good.txt")["status"], "kept");
    assert_eq!(
        work.jsonl("rep/documents.jsonl").len(),
        6,
        "every path accounted for, the loop not followed"
    );

    // A FIFO named as an input itself is skipped too, not opened.
    let assert = work
        .thresh()
        .args(["clean", "in/pipe.txt", "--out", "out2", "--report", "rep2"])
        .timeout(TIMEOUT)
        .assert()
        .success();
    assert_eq!(work.doc("rep2", "pipe.txt")["status"], "skipped");
    assert!(String::from_utf8_lossy(&assert.get_output().stderr).contains("no documents found"));
}

#[test]
fn stray_nuls_and_utf16_runs_are_text_and_binary_files_are_not() {
    let work = Work::new();
    let text = prose(3);
    let (head, tail) = text.split_at(200);
    work.write("in/nul.txt", format!("{head}\0{tail}"));
    let utf16: Vec<u8> = "Copied from a UTF-16 tool"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    work.write(
        "in/utf16-run.txt",
        [head.as_bytes(), b" ", &utf16, b" ", tail.as_bytes()].concat(),
    );
    work.write(
        "in/report.txt",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    );
    work.write(
        "in/photo.txt",
        b"\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0",
    );
    work.write(
        "in/archive.txt",
        b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0word/document.xml",
    );
    work.thresh()
        .args([
            "clean",
            "in",
            "--out",
            "out",
            "--report",
            "rep",
            "--steps",
            "normalize",
        ])
        .timeout(TIMEOUT)
        .assert()
        .success();

    assert_eq!(
        work.read("out/nul.txt"),
        text,
        "the NUL removed, nothing else"
    );
    assert_eq!(
        work.read("out/utf16-run.txt"),
        format!("{head} Copied from a UTF-16 tool {tail}")
    );
    let edits = work.jsonl("rep/edits.jsonl");
    let rules: Vec<(&str, &str)> = edits
        .iter()
        .map(|e| (e["doc"].as_str().unwrap(), e["rule"].as_str().unwrap()))
        .collect();
    assert!(rules.contains(&("nul.txt", "control_chars")), "{rules:?}");
    assert!(rules.contains(&("utf16-run.txt", "utf16_run")), "{rules:?}");
    for (id, what) in [
        ("report.txt", "PDF"),
        ("photo.txt", "JPEG"),
        ("archive.txt", "ZIP"),
    ] {
        let doc = work.doc("rep", id);
        assert_eq!(doc["status"], "skipped");
        assert!(doc["warning"].as_str().unwrap().contains(what), "{doc}");
    }
}

#[test]
fn a_rerun_into_its_own_output_leaves_nothing_stale_and_a_foreign_folder_is_refused() {
    let work = Work::new();
    for i in 0..4 {
        work.write(&format!("in/sub/doc{i}.txt"), prose(i));
    }
    work.write("in/z-copy.txt", prose(0));
    work.thresh()
        .args(["clean", "in", "--out", "out", "-q"])
        .timeout(TIMEOUT)
        .assert()
        .success();
    assert!(work.exists("out/sub/doc0.txt") && !work.exists("out/z-copy.txt"));

    // The corpus changes: doc3 becomes a copy of doc1, doc2 is gone.
    work.write("in/sub/doc3.txt", prose(1));
    std::fs::remove_file(work.path("in/sub/doc2.txt")).unwrap();
    work.write("out/notes-of-mine.txt", "the user's own file");
    work.thresh()
        .args(["clean", "in", "--out", "out", "--report", "rep", "-q"])
        .timeout(TIMEOUT)
        .assert()
        .success();
    let status = statuses(&work, "rep");
    assert_eq!(status["sub/doc3.txt"], "duplicate");
    for (id, st) in &status {
        assert_eq!(
            work.exists(&format!("out/{id}")),
            st == "kept",
            "{id} is {st}"
        );
    }
    assert!(
        !work.exists("out/sub/doc2.txt"),
        "an input that is gone leaves no output"
    );
    assert!(
        work.exists("out/notes-of-mine.txt"),
        "a file thresh did not write is never removed"
    );
    let summary: Value = serde_json::from_str(&work.read("rep/summary.json")).unwrap();
    assert_eq!(summary["stale_removed"], 2);

    // A folder of someone else's files is refused before anything is written.
    work.write("theirs/keep.md", "mine");
    let assert = work
        .thresh()
        .args(["clean", "in", "--out", "theirs"])
        .timeout(TIMEOUT)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--overwrite"), "{stderr}");
    assert_eq!(std::fs::read_dir(work.path("theirs")).unwrap().count(), 1);
    work.thresh()
        .args(["clean", "in", "--out", "theirs", "--overwrite", "-q"])
        .timeout(TIMEOUT)
        .assert()
        .success();
    assert!(work.exists("theirs/keep.md") && work.exists("theirs/sub/doc0.txt"));

    // --out or --report naming a file: a usage error, not a failure per document.
    work.write("a-file", "x");
    for flag in ["--out", "--report"] {
        let mut cmd = work.thresh();
        cmd.args(["clean", "in", flag, "a-file"]);
        if flag == "--report" {
            cmd.args(["--out", "out3"]);
        }
        let assert = cmd.timeout(TIMEOUT).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert_eq!(
            stderr.trim(),
            format!("thresh: error: {flag} a-file is a file, not a folder")
        );
        assert!(!work.exists("out3"));
    }
}

#[test]
fn an_interrupted_rerun_keeps_the_earlier_output_and_reports_what_the_walk_passed_over() {
    let work = Work::new();
    for i in 0..30 {
        work.write(&format!("in/d{i:02}.txt"), prose(i));
    }
    std::os::unix::fs::symlink(work.path("in/nowhere.txt"), work.path("in/dangling.txt")).unwrap();
    work.thresh()
        .args(["clean", "in", "--out", "out", "-q"])
        .timeout(TIMEOUT)
        .assert()
        .success();
    let before = common::snapshot(&work.path("out"));
    // Interrupted in the corpus pass: nothing of this run is written, nothing earlier removed.
    let (status, _) = work.signalled(
        &[
            "clean", "in", "--out", "out", "--report", "rep", "-q", "-j", "1",
        ],
        "corpus:100",
        Duration::from_millis(400),
        "-INT",
    );
    assert_eq!(status.code(), Some(130));
    assert_eq!(
        common::snapshot(&work.path("out")),
        before,
        "an interrupted run costs nothing of the earlier output"
    );
    let status = statuses(&work, "rep");
    assert_eq!(status.len(), 31, "every path accounted for: {status:?}");
    assert_eq!(
        status["dangling.txt"], "skipped",
        "what the walk passed over is reported even when interrupted first"
    );
    assert!(status
        .iter()
        .filter(|(id, _)| id.starts_with('d') && *id != "dangling.txt")
        .all(|(_, st)| st == "pending"));
    // The next complete run takes the folder back as its own.
    work.thresh()
        .args(["clean", "in", "--out", "out", "-q"])
        .timeout(TIMEOUT)
        .assert()
        .success();
    // --out and --report must be apart: the report's files would replace documents of the same name.
    work.write(
        "in2/documents.jsonl",
        format!("{}\n", json!({"text": prose(3)})),
    );
    for (out, report) in [("o", "o"), ("o", "o/rep"), ("r/out", "r")] {
        let assert = work
            .thresh()
            .args(["clean", "in2", "--out", out, "--report", report])
            .timeout(TIMEOUT)
            .assert()
            .code(2);
        assert!(
            String::from_utf8_lossy(&assert.get_output().stderr).contains("two separate folders")
        );
    }
}

/// Run with stdout into a pipe whose reader takes `take` bytes and then closes it.
fn run_into_closed_pipe(work: &Work, args: &[&str], stdin: Option<&str>) -> (Option<i32>, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("thresh"))
        .current_dir(work.dir.path())
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let text = text.to_string();
        std::thread::spawn(move || std::io::Write::write_all(&mut pipe, text.as_bytes()));
    }
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut stderr = String::new();
            child
                .stderr
                .take()
                .unwrap()
                .read_to_string(&mut stderr)
                .unwrap();
            return (status.code(), stderr);
        }
        assert!(
            started.elapsed() < TIMEOUT,
            "hangs after its output was closed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_closed_standard_output_ends_the_run_quietly() {
    let work = Work::new();
    for i in 0..600 {
        work.write(
            &format!("in/d{i}.txt"),
            format!("Caf\u{c3}\u{a9} &amp; more\u{a0}text.\n{}", prose(i)),
        );
    }
    let (code, stderr) = run_into_closed_pipe(&work, &["clean", "in", "--dry-run", "-q"], None);
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    let big = format!("Caf\u{c3}\u{a9} &amp; text.\n{}", prose(1)).repeat(20_000);
    let (code, stderr) = run_into_closed_pipe(&work, &["clean", "-"], Some(&big));
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
}

#[test]
fn an_input_with_no_documents_says_so() {
    let work = Work::new();
    std::fs::create_dir_all(work.path("empty")).unwrap();
    work.write("pictures/a.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    for input in ["empty", "pictures"] {
        let assert = work
            .thresh()
            .args(["clean", input, "--out", &format!("out-{input}")])
            .timeout(TIMEOUT)
            .assert()
            .success();
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(
            stderr
                .lines()
                .any(|l| l.starts_with("thresh: warning:") && l.contains("no documents found")),
            "{stderr}"
        );
    }
}

/// Send `signal` to a run `delay` into the phase that `THRESH_TEST_PAUSE` slows down, and check
/// what every interrupted run must be: exit 130 within a second or so, the report written and
/// marked interrupted, every document accounted for, and the output exactly what the report says
/// was written, with no half-written or temporary file.
fn interrupt_in_phase(phase: &str, steps: &str, delay_ms: u64, signal: &str, threads: &str) {
    let work = Work::new();
    let docs = 40;
    for i in 0..docs {
        work.write(&format!("in/texts/d{i:02}.txt"), prose(i));
    }
    let records: String = (0..docs)
        .map(|i| {
            format!(
                "{}\n",
                json!({"id": format!("r{i}"), "text": prose(100 + i)})
            )
        })
        .collect();
    work.write("in/records.jsonl", records);
    let (status, took) = work.signalled(
        &[
            "clean", "in", "--out", "out", "--report", "rep", "-q", "-j", threads, "--steps", steps,
        ],
        &format!("{phase}:25"),
        Duration::from_millis(delay_ms),
        signal,
    );
    let what = format!("{phase} +{delay_ms} ms, {signal}, -j {threads}, --steps {steps}");
    assert_eq!(status.code(), Some(130), "{what}");
    assert!(
        took < Duration::from_secs(3),
        "stopped {took:?} after the signal ({what})"
    );

    let summary: Value = serde_json::from_str(&work.read("rep/summary.json")).unwrap();
    assert_eq!(summary["interrupted"], true, "{what}");
    let reported = work.jsonl("rep/documents.jsonl");
    let pending = reported.iter().filter(|d| d["status"] == "pending").count();
    assert!(
        pending > 0,
        "{what}: the run was cut short, so something is pending"
    );
    for i in 0..docs {
        let id = format!("texts/d{i:02}.txt");
        let doc = work.doc("rep", &id);
        assert_eq!(
            doc["status"] == "kept",
            work.exists(&format!("out/{id}")),
            "{what}: {doc}"
        );
    }
    // JSON lines: the output holds exactly the records reported kept, each whole; what was not
    // read of the file is one pending record named after it.
    let kept: Vec<&str> = reported
        .iter()
        .filter(|d| d["source"] == "records.jsonl" && d["status"] == "kept")
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    let written: Vec<String> = if work.exists("out/records.jsonl") {
        work.jsonl("out/records.jsonl")
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    } else {
        Vec::new()
    };
    assert_eq!(kept, written, "{what}");
    let records_seen = reported
        .iter()
        .filter(|d| d["source"] == "records.jsonl" && d["id"] != "records.jsonl")
        .count();
    if records_seen < docs {
        assert_eq!(
            work.doc("rep", "records.jsonl")["status"],
            "pending",
            "{what}"
        );
    }
    let temporary: Vec<_> = walkdir::WalkDir::new(work.dir.path())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(temporary.is_empty(), "{what}: {temporary:?}");
}

#[test]
fn a_signal_in_any_phase_stops_the_run_honestly() {
    // The corpus pass (boilerplate needs it), the main pass streaming (no dedup) and with dedup
    // (documents spooled), and the final write of a dedup run; early and late in each.
    for (phase, steps) in [
        ("corpus", "normalize,boilerplate"),
        ("clean", "normalize,boilerplate"),
        ("clean", "normalize,dedup"),
        ("write", "normalize,dedup"),
    ] {
        for delay in [150, 600] {
            interrupt_in_phase(phase, steps, delay, "-INT", "2");
        }
    }
    interrupt_in_phase("clean", "normalize", 500, "-TERM", "1");
    interrupt_in_phase("write", "normalize,dedup", 500, "-TERM", "1");
}
