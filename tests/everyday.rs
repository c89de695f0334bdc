//! The conventions users of other command-line tools expect (issue 25), on the real binary.

mod common;

use common::Work;

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
        for word in ["dedup", "cluster", "index", "passages", "min-span-words"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    work.thresh()
        .args(["completions", "tcsh"])
        .assert()
        .failure()
        .code(2);
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
    let out = work
        .thresh()
        .args(["clean", "in", "--out", "out2", "--config", "bad.toml"])
        .assert()
        .failure()
        .code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("bad.toml") && err.contains("dedupe"), "{err}");
}
