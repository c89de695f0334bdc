//! The conventions users of other command-line tools expect (issue 25), on the real binary.

mod common;

use common::Work;

/// `thresh ARGS`, which must fail as a usage error (exit 2).
fn refused(work: &Work, args: &[&str]) -> assert_cmd::assert::Assert {
    work.thresh().args(args).assert().failure().code(2)
}

fn stdout_of(work: &Work, args: &[&str]) -> String {
    let out = work.thresh().args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn completions_for_each_shell_know_every_command_and_flag() {
    let work = Work::new();
    for (shell, marker) in [
        ("bash", "_thresh()"),
        ("zsh", "#compdef thresh"),
        ("fish", "complete -c thresh"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[thresh]"),
    ] {
        let script = stdout_of(&work, &["completions", shell]);
        assert!(script.contains(marker), "{shell}: no {marker}");
        for word in [
            "dedup",
            "cluster",
            "index",
            "passages",
            "min-span-words",
            "rule-off",
            "filter",
        ] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    refused(&work, &["completions", "tcsh"]);
}

#[test]
fn the_man_page_is_made_from_the_flags() {
    let work = Work::new();
    let page = stdout_of(&work, &["man"]);
    assert!(page.contains(".TH thresh 1"), "{page}");
    assert!(page.contains("clean") && page.contains("dedup"));
    work.thresh()
        .args(["man", "--out", "man"])
        .assert()
        .success();
    let clean = work.read("man/thresh-clean.1");
    assert!(clean.contains(".TH thresh-clean 1"));
    assert!(clean.contains("\\-\\-dry\\-run"), "every flag of clean");
    assert!(work.exists("man/thresh.1") && work.exists("man/thresh-diff.1"));
}

#[test]
fn config_steps_take_a_string_and_the_closing_line_counts_in_words() {
    let work = Work::new();
    work.write("in/one.txt", "A single short document about the harbour.\n");
    work.write("c.toml", "skip = \"dedup\"\n");
    let out = work
        .thresh()
        .args([
            "clean", "in", "--out", "out", "--report", "rep", "--config", "c.toml",
        ])
        .assert()
        .success();
    let said = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(said.contains("1 document:"), "{said}");
    let summary: serde_json::Value = serde_json::from_str(&work.read("rep/summary.json")).unwrap();
    assert!(
        !summary["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "dedup"),
        "{summary}"
    );
    assert_eq!(summary["counts"]["by_status"]["kept"], 1, "{summary}");
    // A name that is no step: a one-line error naming the file.
    work.write("bad.toml", "skip = \"dedupe\"\n");
    let out = refused(
        &work,
        &["clean", "in", "--out", "out2", "--config", "bad.toml"],
    );
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("bad.toml") && err.contains("dedupe"), "{err}");
}

#[test]
fn edits_can_be_logged_all_changes_only_or_not_at_all() {
    let work = Work::new();
    let wrapped = "The ferry service between the two islands will resume next month after\n\
        a winter of repairs to the northern pier, which was badly damaged when a\n\
        cargo ship struck it during the January storms. The cafÃ© on the quay\n\
        reopens the same week, and its owner said she was glad to see the end\n\
        of a long and quiet season for everyone who works near the harbour.\n";
    work.write("in/news.txt", wrapped);
    let rules = |report: &str| -> Vec<String> {
        work.jsonl(&format!("{report}/edits.jsonl"))
            .iter()
            .map(|e| e["rule"].as_str().unwrap().to_string())
            .collect()
    };
    for (which, report) in [("all", "all"), ("changes", "changes"), ("none", "none")] {
        work.thresh()
            .args([
                "clean",
                "in",
                "--out",
                &format!("out-{which}"),
                "--report",
                report,
            ])
            .args(["-q", "--edits", which])
            .assert()
            .success();
        // The text written is the same whatever is logged.
        assert_eq!(
            work.read(&format!("out-{which}/news.txt")),
            work.read("out-all/news.txt")
        );
        // The summary counts every edit.
        let summary: serde_json::Value =
            serde_json::from_str(&work.read(&format!("{report}/summary.json"))).unwrap();
        assert!(summary["rules"]["normalize"]["hard_wrap"].as_u64().unwrap() >= 3);
    }
    let all = rules("all");
    assert!(all.iter().any(|r| r == "hard_wrap"), "{all:?}");
    assert!(all.iter().any(|r| r == "mojibake"), "{all:?}");
    let changes = rules("changes");
    assert!(!changes.iter().any(|r| r == "hard_wrap"), "{changes:?}");
    assert!(changes.iter().any(|r| r == "mojibake"), "{changes:?}");
    assert!(rules("none").is_empty());
    // A config file may say it too.
    work.write("c.toml", "edits = \"changes\"\n");
    work.thresh()
        .args([
            "clean", "in", "--out", "out-c", "--report", "c", "-q", "--config", "c.toml",
        ])
        .assert()
        .success();
    assert_eq!(rules("c"), changes);
}

#[test]
fn json_lines_pipe_through_standard_input_and_output_as_a_file_of_them_would() {
    let work = Work::new();
    let copy = "The ferry service between the two islands will resume next month after a winter \
                of repairs to the northern pier, which was badly damaged in the January storms.";
    let records = [
        serde_json::json!({"id": "a", "text": copy, "lang": "en"}),
        serde_json::json!({"id": "b", "text": copy, "lang": "en"}),
        serde_json::json!({"id": "c", "text": "The cafÃ© on the quay reopens next week, its owner said."}),
    ]
    .iter()
    .map(|r| format!("{r}\n"))
    .collect::<String>();
    work.write("in/corpus.jsonl", &records);
    work.thresh()
        .args(["clean", "in", "--out", "out", "-q"])
        .assert()
        .success();
    let out = work
        .thresh()
        .args([
            "clean",
            "-",
            "--stdin-format",
            "jsonl",
            "--report",
            "rep",
            "-q",
        ])
        .write_stdin(records.clone())
        .assert()
        .success();
    let piped = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert_eq!(piped, work.read("out/corpus.jsonl"));
    // The copy is left out, the mojibake mended, the other fields kept.
    assert_eq!(piped.lines().count(), 2, "{piped}");
    assert!(
        piped.contains("\"lang\":\"en\"") && piped.contains("café"),
        "{piped}"
    );
    let statuses: Vec<String> = work
        .jsonl("rep/documents.jsonl")
        .iter()
        .map(|d| {
            format!(
                "{}={}",
                d["id"].as_str().unwrap(),
                d["status"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(statuses, ["a=kept", "b=duplicate", "c=kept"]);
    // Without the flag, standard input is one document, as before.
    let out = work
        .thresh()
        .args(["clean", "-", "-q"])
        .write_stdin("One plain document.\n")
        .assert()
        .success();
    assert_eq!(out.get_output().stdout, b"One plain document.\n");
    // The flag with a file input is a usage error.
    refused(
        &work,
        &["clean", "in", "--out", "o2", "--stdin-format", "jsonl"],
    );
}

/// `thresh sign in --out sigs`, then `thresh cluster sigs --out c.jsonl` with `extra`.
fn sign_then_cluster(work: &Work, extra: &[&str]) -> assert_cmd::assert::Assert {
    work.thresh()
        .args(["sign", "in", "--out", "sigs", "-q"])
        .assert()
        .success();
    work.thresh()
        .args(["cluster", "sigs", "--out", "c.jsonl", "-q"])
        .args(extra)
        .assert()
}

#[test]
fn the_copy_kept_is_the_longest_or_the_first() {
    let work = Work::new();
    let story = "The harbour master confirmed late on Friday evening that the ferry service between \
                 the two islands will resume next month after a winter of repairs to the northern \
                 pier, which was badly damaged when a cargo ship struck it during the January storms.";
    work.write("in/a-first.txt", format!("{story}\n"));
    work.write(
        "in/b-longer.txt",
        format!("{story} Tickets go on sale at the harbour office on Monday.\n"),
    );
    let kept = |extra: &[&str], report: &str| -> String {
        work.thresh()
            .args(["dedup", "in", "--report", report, "-q"])
            .args(extra)
            .assert()
            .success();
        let clusters = work.jsonl(&format!("{report}/clusters.jsonl"));
        assert_eq!(clusters.len(), 1, "{clusters:?}");
        clusters[0]["kept"].as_str().unwrap().to_string()
    };
    assert_eq!(kept(&[], "longest"), "b-longer.txt");
    assert_eq!(kept(&["--keep-duplicate", "first"], "first"), "a-first.txt");
    work.write("c.toml", "keep-duplicate = \"first\"\n");
    assert_eq!(kept(&["--config", "c.toml"], "config"), "a-first.txt");
    let reason = work.jsonl("first/clusters.jsonl")[0]["reason"].to_string();
    assert!(reason.contains("first in input order"), "{reason}");
    // The global step at scale keeps the same copy.
    sign_then_cluster(&work, &["--keep-duplicate", "first"]).success();
    assert_eq!(work.jsonl("c.jsonl")[0]["kept"], "a-first.txt");
}

#[test]
fn show_prints_what_a_run_did_to_one_document() {
    let work = Work::new();
    work.write(
        "in/news.txt",
        "The cafÃ© on the quay reopens next week.\n\nIts owner said the winter was long.\n",
    );
    work.write("in/other.txt", "Another document, about the ferry.\n");
    work.thresh()
        .args(["clean", "in", "--out", "out", "--report", "rep", "-q"])
        .assert()
        .success();
    let shown = stdout_of(&work, &["show", "news.txt", "--report", "rep"]);
    let lines: Vec<&str> = shown.lines().collect();
    assert!(lines[0].starts_with("news.txt (news.txt): kept"), "{shown}");
    assert!(lines[0].contains("mojibake"), "the flags: {shown}");
    assert!(shown.contains("@@ line 1 @@ normalize/mojibake"), "{shown}");
    assert!(shown.contains("\n-cafÃ©\n"), "{shown}");
    assert!(shown.contains("\n+café\n"), "{shown}");
    assert!(!shown.contains('\x1b'), "no colour off a terminal");
    assert!(!shown.contains("ferry"), "only that document's edits");
    // An id the report does not hold: a usage error naming the file.
    let out = refused(&work, &["show", "missing.txt", "--report", "rep"]);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("missing.txt") && err.contains("documents.jsonl"),
        "{err}"
    );
}

#[test]
fn the_cluster_id_goes_into_json_lines_output_records() {
    let work = Work::new();
    let copy = "The ferry service between the two islands will resume next month after a winter \
                of repairs to the northern pier, which was badly damaged in the January storms.";
    let records = [
        serde_json::json!({"id": "a", "text": copy, "cluster": "from an earlier run"}),
        serde_json::json!({"id": "b", "text": format!("{copy} Tickets are on sale now.")}),
        serde_json::json!({"id": "c", "text": "Something else entirely, about the old mill."}),
    ]
    .iter()
    .map(|r| format!("{r}\n"))
    .collect::<String>();
    work.write("in/x.jsonl", records);
    work.thresh()
        .args(["dedup", "in", "--out", "out", "--report", "rep", "-q"])
        .args(["--cluster-field", "cluster"])
        .assert()
        .success();
    let written = work.jsonl("out/x.jsonl");
    let fields: Vec<(String, serde_json::Value)> = written
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r["cluster"].clone()))
        .collect();
    // b is the longer copy and kept; a, its duplicate, is not written; c is in no cluster.
    assert_eq!(
        fields,
        [
            ("b".to_string(), serde_json::json!("d1")),
            ("c".to_string(), serde_json::Value::Null)
        ]
    );
    // A field of that name the record had is replaced, not doubled.
    work.thresh()
        .args(["dedup", "in", "--out", "out2", "--report", "rep2", "-q"])
        .args(["--cluster-field", "cluster", "--keep-duplicate", "first"])
        .assert()
        .success();
    let line = work.read("out2/x.jsonl");
    let first = line.lines().next().unwrap();
    assert_eq!(first.matches("\"cluster\"").count(), 1, "{first}");
    assert!(first.ends_with("\"cluster\":\"d1\"}"), "{first}");
}

#[test]
fn a_rule_can_be_switched_off_by_flag_or_config() {
    let work = Work::new();
    work.write(
        "in/trial.txt",
        "The trial enrolled forty patientswith high blood pressure and followed them for the the \
         whole year. The results were published in the journal last spring, and the doctors \
         said that they were pleased with what they had found.\n",
    );
    let clean = |out: &str, extra: &[&str]| {
        work.thresh()
            .args([
                "clean",
                "in",
                "--out",
                out,
                "--report",
                &format!("{out}-rep"),
                "-q",
            ])
            .args(extra)
            .assert()
            .success();
        let rules: Vec<String> = work
            .jsonl(&format!("{out}-rep/edits.jsonl"))
            .iter()
            .map(|e| e["rule"].as_str().unwrap().to_string())
            .collect();
        (work.read(&format!("{out}/trial.txt")), rules)
    };
    let (text, rules) = clean("all", &[]);
    assert!(
        text.contains("patients with") && text.contains("for the whole"),
        "{text}"
    );
    assert!(rules.contains(&"glued_words".to_string()), "{rules:?}");

    let (text, rules) = clean("flag", &["--rule-off", "glued_words"]);
    assert!(
        text.contains("patientswith") && text.contains("for the whole"),
        "{text}"
    );
    assert!(!rules.contains(&"glued_words".to_string()), "{rules:?}");

    // In the config: a string or an array, a name with its stage or without.
    work.write(
        "off.toml",
        "rule-off = \"repair/glued_words, doubled_word\"\n",
    );
    let (text, _) = clean("config", &["--config", "off.toml"]);
    assert!(
        text.contains("patientswith") && text.contains("for the the"),
        "{text}"
    );
    work.write("off2.toml", "rule-off = [\"doubled_word\"]\n");
    let (text, _) = clean("config2", &["--config", "off2.toml"]);
    assert!(
        text.contains("patients with") && text.contains("for the the"),
        "{text}"
    );

    // A name no stage has is refused, with the names there are.
    let out = refused(
        &work,
        &["clean", "in", "--out", "bad", "--rule-off", "glued_word"],
    );
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        err.contains("\"glued_word\"") && err.contains("repair/glued_words"),
        "{err}"
    );
    assert!(!work.exists("bad"));
    refused(
        &work,
        &[
            "clean",
            "in",
            "--out",
            "bad",
            "--rule-off",
            "spin/glued_words",
        ],
    );
}

#[test]
fn how_many_documents_make_a_line_repeated_is_a_setting() {
    let work = Work::new();
    let footer = "Harbour Gazette, printed at the Quay Street works since 1921";
    let articles = [
        "The council voted last night to reopen the swimming baths on the seafront after a \
         decade of closure, once the roof and the pumps have been repaired.",
        "Fishermen report the best mackerel season in years, and the market hall has extended \
         its opening hours on Saturdays to keep up with the trade.",
        "A new bus route will link the station with the hospital from March, running every \
         twenty minutes on weekdays and every hour on Sundays.",
    ];
    for (i, article) in articles.iter().enumerate() {
        work.write(
            &format!("in/gazette/p{i}.txt"),
            format!("{article}\n\n{footer}\n"),
        );
    }
    let repeated = |report: &str, extra: &[&str]| {
        work.thresh()
            .args(["clean", "in", "--report", report, "--dry-run", "-q"])
            .args(extra)
            .assert()
            .success();
        work.jsonl(&format!("{report}/edits.jsonl"))
            .iter()
            .filter(|e| e["rule"] == "repeated_line" && e["before"] == footer)
            .count()
    };
    assert_eq!(repeated("default", &[]), 3);
    assert_eq!(repeated("three", &["--repeated-min-docs", "3"]), 3);
    assert_eq!(repeated("four", &["--repeated-min-docs", "4"]), 0);
    work.write("four.toml", "repeated-min-docs = 4\n");
    assert_eq!(repeated("file", &["--config", "four.toml"]), 0);
    refused(
        &work,
        &[
            "clean",
            "in",
            "--report",
            "r",
            "--dry-run",
            "--repeated-min-docs",
            "1",
        ],
    );
}

#[test]
fn the_spin_threshold_is_a_setting() {
    let work = Work::new();
    let spun = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/spin/spun/blood-pressure.txt"),
    )
    .unwrap();
    work.write("in/spun.txt", &spun);
    let flagged = |report: &str, extra: &[&str]| {
        work.thresh()
            .args(["clean", "in", "--report", report, "--dry-run", "-q"])
            .args(extra)
            .assert()
            .success();
        let doc = work.doc(report, "spun.txt");
        let spun = doc["flags"].as_array().unwrap().iter().any(|f| f == "spun");
        let edits = work
            .jsonl(&format!("{report}/edits.jsonl"))
            .iter()
            .filter(|e| e["stage"] == "spin")
            .count();
        (spun, edits)
    };
    let (spun, edits) = flagged("default", &[]);
    assert!(spun && edits > 0);
    assert_eq!(flagged("high", &["--spin-threshold", "1000"]), (false, 0));
    // Flagged, but its phrases and words kept.
    assert_eq!(
        flagged("off", &["--rule-off", "spun_term,spun_phrase,spun_word"]),
        (true, 0)
    );
    refused(
        &work,
        &[
            "clean",
            "in",
            "--report",
            "r",
            "--dry-run",
            "--spin-threshold",
            "0",
        ],
    );
}

const FERRY: &str = "The ferry service between the two islands will resume next month after a \
    winter of repairs to the northern pier, which was badly damaged in the January storms. \
    The operator said that the timetable would be the same as last year.";

#[test]
fn quality_filters_drop_what_they_measure_only_when_asked() {
    let work = Work::new();
    work.write("in/ferry.txt", format!("{FERRY}\n"));
    work.write(
        "in/template.txt",
        format!("{FERRY}\n\nLorem ipsum dolor sit amet, consectetur adipiscing elit.\n"),
    );
    work.write("in/short.txt", "Ferry resumes in March.\n");
    work.write(
        "in/list.txt",
        "- ferry tickets for the morning crossing\n- ferry tickets for the evening crossing\n\
         - ferry tickets for the night crossing\n- ferry tickets for the weekend crossings\n\
         - ferry tickets for groups of ten people or more\n",
    );
    work.write(
        "in/code.txt",
        format!("{FERRY}\n\nfunction timetable() {{ return load(\"ferry\"); }}\n"),
    );
    // No filter by default: every document is written.
    work.thresh()
        .args(["clean", "in", "--out", "all", "--report", "all-rep", "-q"])
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_str(&work.read("all-rep/summary.json")).unwrap();
    assert_eq!(summary["counts"]["written"], 5);
    assert_eq!(summary["counts"]["filtered"], 0);

    let out = work
        .thresh()
        .args(["clean", "in", "--out", "out", "--report", "rep"])
        .args(["--filter", "gopher,c4", "--min-words", "10"])
        .assert()
        .success();
    let closing = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(closing.contains("4 filtered"), "{closing}");
    let filter_of = |id: &str| {
        let doc = work.doc("rep", id);
        (doc["status"].clone(), doc["filter"].clone())
    };
    assert_eq!(
        filter_of("ferry.txt"),
        ("kept".into(), serde_json::Value::Null)
    );
    assert_eq!(
        filter_of("template.txt"),
        ("filtered".into(), "lorem_ipsum".into())
    );
    assert_eq!(
        filter_of("short.txt"),
        ("filtered".into(), "min_words".into())
    );
    assert_eq!(
        filter_of("list.txt"),
        ("filtered".into(), "bullet_lines".into())
    );
    assert_eq!(
        filter_of("code.txt"),
        ("filtered".into(), "curly_braces".into())
    );
    assert!(work.doc("rep", "short.txt")["reason"]
        .as_str()
        .unwrap()
        .contains("fewer than 10"));
    assert!(work.exists("out/ferry.txt") && !work.exists("out/template.txt"));
    let summary: serde_json::Value = serde_json::from_str(&work.read("rep/summary.json")).unwrap();
    assert_eq!(summary["counts"]["filtered"], 4);
    assert_eq!(summary["counts"]["by_status"]["filtered"], 4);
    assert_eq!(summary["counts"]["dropped"], 4);
    assert_eq!(summary["filters"]["curly_braces"], 1);
    assert_eq!(summary["filters"]["min_words"], 1);

    // One filter, with its own limit, from the config file.
    work.write("f.toml", "filter = \"bullet_lines=1\"\n");
    work.thresh()
        .args(["clean", "in", "--out", "cfg", "--report", "cfg-rep", "-q"])
        .args(["--config", "f.toml"])
        .assert()
        .success();
    assert_eq!(work.doc("cfg-rep", "list.txt")["status"], "kept");
    work.write("f2.toml", "filter = [\"bullet_lines=0.5\"]\n");
    work.thresh()
        .args(["clean", "in", "--out", "cfg2", "--report", "cfg2-rep", "-q"])
        .args(["--config", "f2.toml"])
        .assert()
        .success();
    assert_eq!(work.doc("cfg2-rep", "list.txt")["filter"], "bullet_lines");

    for bad in [
        ["--filter", "gopher2"],
        ["--filter", "c4=1"],
        ["--languages", "xx"],
    ] {
        refused(
            &work,
            &["clean", "in", "--out", "bad", "-q", bad[0], bad[1]],
        );
        assert!(!work.exists("bad"));
    }
}

#[test]
fn languages_are_identified_and_can_be_kept() {
    let work = Work::new();
    work.write("in/en.txt", format!("{FERRY}\n"));
    work.write(
        "in/de.txt",
        "Der Fährdienst zwischen den beiden Inseln wird im nächsten Monat wieder aufgenommen, \
         nachdem der nördliche Anleger im Winter repariert worden ist. Der Fahrplan bleibt \
         derselbe wie im letzten Jahr.\n",
    );
    work.write("in/numbers.txt", "12 34 56\n");
    work.thresh()
        .args(["clean", "in", "--out", "all", "--report", "all-rep", "-q"])
        .assert()
        .success();
    assert_eq!(work.doc("all-rep", "en.txt")["language"], "en");
    assert_eq!(work.doc("all-rep", "de.txt")["language"], "de");
    assert!(work.doc("all-rep", "numbers.txt").get("language").is_none());
    let summary: serde_json::Value =
        serde_json::from_str(&work.read("all-rep/summary.json")).unwrap();
    assert_eq!(summary["languages"]["en"], 1);

    work.thresh()
        .args(["clean", "in", "--out", "de", "--report", "de-rep", "-q"])
        .args(["--languages", "deu,fr"])
        .assert()
        .success();
    let en = work.doc("de-rep", "en.txt");
    assert_eq!(
        (en["status"].as_str(), en["filter"].as_str()),
        (Some("filtered"), Some("language"))
    );
    assert_eq!(work.doc("de-rep", "de.txt")["status"], "kept");
    // A text without letters has no language to judge: kept.
    assert_eq!(work.doc("de-rep", "numbers.txt")["status"], "kept");
    assert!(!work.exists("de/en.txt") && work.exists("de/de.txt"));
}

#[test]
fn the_copy_kept_can_be_chosen_by_a_field() {
    let work = Work::new();
    let story = "The harbour master confirmed late on Friday evening that the ferry service between \
                 the two islands will resume next month after a winter of repairs to the northern \
                 pier, which was badly damaged when a cargo ship struck it during the January storms.";
    let records = [
        serde_json::json!({"id": "a", "text": story, "date": "2024-03-02", "priority": 2}),
        serde_json::json!({"id": "b", "text": format!("{story} Tickets are on sale."), "date": "2023-11-20", "priority": 1}),
        serde_json::json!({"id": "c", "text": story, "priority": 7}),
    ]
    .iter()
    .map(|r| format!("{r}\n"))
    .collect::<String>();
    work.write("in/x.jsonl", records);
    let kept = |keep: &str, report: &str| -> (String, String) {
        work.thresh()
            .args([
                "dedup",
                "in",
                "--report",
                report,
                "-q",
                "--keep-duplicate",
                keep,
            ])
            .assert()
            .success();
        let clusters = work.jsonl(&format!("{report}/clusters.jsonl"));
        assert_eq!(clusters.len(), 1, "{clusters:?}");
        (
            clusters[0]["kept"].as_str().unwrap().to_string(),
            clusters[0]["reason"].as_str().unwrap().to_string(),
        )
    };
    // The oldest date; c has none and comes last.
    let (id, reason) = kept("field:date", "oldest");
    assert_eq!(id, "b");
    assert!(reason.contains("lowest date (2023-11-20"), "{reason}");
    assert_eq!(kept("field:-date", "newest").0, "a");
    // Numbers compare as numbers.
    assert_eq!(kept("field:-priority", "top").0, "c");
    assert_eq!(kept("field:priority", "low").0, "b");
    // No member has it: the most complete, as by default.
    let (id, reason) = kept("field:missing", "none");
    assert_eq!(id, "b");
    assert!(reason.contains("no member has missing"), "{reason}");
    // Written output keeps the chosen copy.
    work.thresh()
        .args([
            "clean",
            "in",
            "--out",
            "out",
            "-q",
            "--keep-duplicate",
            "field:-date",
        ])
        .assert()
        .success();
    let ids: Vec<String> = work
        .jsonl("out/x.jsonl")
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["a"]);
    work.write("k.toml", "keep-duplicate = \"field:date\"\n");
    work.thresh()
        .args(["dedup", "in", "--report", "cfg", "-q", "--config", "k.toml"])
        .assert()
        .success();
    assert_eq!(work.jsonl("cfg/clusters.jsonl")[0]["kept"], "b");
    for bad in [
        ["dedup", "--keep-duplicate", "field:"],
        ["dedup", "--keep-duplicate", "newest"],
    ] {
        refused(&work, &[bad[0], "in", "--report", "bad", bad[1], bad[2]]);
    }
    sign_then_cluster(&work, &["--keep-duplicate", "field:date"])
        .failure()
        .code(2);
}

/// The progress bar, drawn on a terminal: stderr is a pseudo-terminal here, as in a shell.
#[cfg(target_os = "linux")]
#[test]
fn the_progress_bar_names_each_pass_on_a_terminal() {
    use std::io::Read;
    use std::os::fd::FromRawFd;
    let work = Work::new();
    for i in 0..300 {
        work.write(
            &format!("in/site{}/page{i}.txt", i % 7),
            format!("{FERRY} Page {i} of the harbour news.\n\nHome | News | Contact\n"),
        );
    }
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 24,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors into the given places; the rest may be null.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(rc, 0, "openpty: {}", std::io::Error::last_os_error());
    // SAFETY: both descriptors are open and owned here from now on.
    let (mut master, slave) = unsafe {
        (
            std::fs::File::from_raw_fd(master),
            std::fs::File::from_raw_fd(slave),
        )
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_thresh"))
        .current_dir(work.path("."))
        .args(["clean", "in", "--out", "out", "--report", "rep", "-j", "1"])
        .stdout(std::process::Stdio::null())
        .stderr(slave)
        .spawn()
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success());
    // The terminal holds what was drawn; the child has closed its end, and reading the rest
    // ends with EIO.
    let mut drawn = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match master.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => drawn.extend_from_slice(&buf[..n]),
        }
    }
    let drawn = String::from_utf8_lossy(&drawn);
    // The first pass, with its bytes, rate, time left and documents. Later passes are drawn too
    // (with dedup: reading, dedup, writing), but indicatif draws at most 20 frames a second and
    // may skip all of a pass shorter than that, so they are not asserted.
    for shown in ["counting", "/82.51 KiB", "B/s", "ETA", "documents"] {
        assert!(drawn.contains(shown), "no {shown} in {drawn:?}");
    }
    // Only the bar's own style is ever drawn (indicatif's default bar is made of these).
    assert!(!drawn.contains('░'), "{drawn:?}");
    assert!(drawn.contains("report in rep"), "{drawn:?}");
}
