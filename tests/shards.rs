//! `--shard`: array jobs over a share of the input files each, on the real binary.

mod common;

use common::{snapshot, Work};
use std::collections::BTreeSet;

/// A folder of 30 small documents in three subfolders, two of them a JSONL file.
fn corpus(work: &Work) {
    for n in 0..30 {
        let body = format!(
            "Report number {n} from the valley.\n\nThe river rose by {n} centimetres overnight, and \
             the ferry at crossing {n} waited until noon before it sailed.\n"
        );
        work.write(&format!("in/site{}/page{n}.txt", n % 3), body);
    }
    work.write(
        "in/records.jsonl",
        "{\"id\":\"r1\",\"text\":\"One record.\"}\n{\"id\":\"r2\",\"text\":\"Another record.\"}\n",
    );
}

fn ids(work: &Work, report: &str) -> Vec<String> {
    work.jsonl(&format!("{report}/documents.jsonl"))
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn shards_hold_every_document_once_and_write_what_one_run_writes() {
    let work = Work::new();
    corpus(&work);
    // Steps that need no corpus statistics: each shard's text is the single run's.
    let steps = ["--steps", "normalize"];
    work.thresh()
        .args([
            "clean",
            "in",
            "--out",
            "whole",
            "--report",
            "whole-rep",
            "-q",
        ])
        .args(steps)
        .assert()
        .success();
    let mut seen = Vec::new();
    for i in 0..4 {
        work.thresh()
            .args(["clean", "in", "--out", "out", "--report", "rep", "-q"])
            .args(steps)
            .args(["--shard", &format!("{i}/4")])
            .assert()
            .success();
        let folder = format!("shard-{i:04}-of-0004");
        seen.extend(ids(&work, &format!("rep/{folder}")));
        assert!(work.exists(&format!("rep/{folder}/shard-done.json")));
        // Each written file is the single run's.
        for (rel, bytes) in snapshot(&work.path(&format!("out/{folder}"))) {
            if rel == ".thresh-output" {
                continue;
            }
            assert_eq!(
                std::fs::read(work.path(&format!("whole/{rel}"))).unwrap(),
                bytes,
                "{rel}"
            );
        }
    }
    let mut whole = ids(&work, "whole-rep");
    whole.sort();
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(
        unique.len(),
        seen.len(),
        "a document in two shards: {seen:?}"
    );
    seen.sort();
    assert_eq!(seen, whole, "every document in one shard");
}

#[test]
fn a_finished_shard_is_not_run_again_unless_its_files_or_settings_change() {
    let work = Work::new();
    corpus(&work);
    let run = |extra: &[&str]| {
        let out = work
            .thresh()
            .args(["dedup", "in", "--report", "rep", "--shard", "1/3"])
            .args(extra)
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stderr).to_string()
    };
    run(&[]);
    let marker = "rep/shard-0001-of-0003/shard-done.json";
    let done = work.read(marker);
    let report = work.read("rep/shard-0001-of-0003/documents.jsonl");
    // The same command again: nothing to do, nothing touched.
    std::fs::remove_file(work.path("rep/shard-0001-of-0003/documents.jsonl")).unwrap();
    let said = run(&[]);
    assert!(said.contains("done already"), "{said}");
    assert!(!work.exists("rep/shard-0001-of-0003/documents.jsonl"));
    // Other settings: it runs again.
    let said = run(&["--threshold", "0.9"]);
    assert!(!said.contains("done already"), "{said}");
    assert_eq!(work.read("rep/shard-0001-of-0003/documents.jsonl"), report);
    assert_ne!(work.read(marker), done);
    // A changed file of the shard: it runs again. (Which files the shard holds is fixed by their
    // paths: change one of them.)
    let mine = work
        .jsonl("rep/shard-0001-of-0003/documents.jsonl")
        .iter()
        .map(|d| d["source"].as_str().unwrap().to_string())
        .find(|s| s.ends_with(".txt"))
        .unwrap();
    work.write(&format!("in/{mine}"), "Changed text.\n");
    let said = run(&["--threshold", "0.9"]);
    assert!(!said.contains("done already"), "{said}");
    assert!(!work
        .jsonl("rep/shard-0001-of-0003/documents.jsonl")
        .is_empty());
}

#[test]
fn the_shard_comes_from_the_array_job_environment() {
    let work = Work::new();
    corpus(&work);
    let run = |env: &[(&str, &str)], rep: &str| {
        let mut cmd = work.thresh();
        cmd.env_remove("SLURM_ARRAY_TASK_ID")
            .env_remove("SLURM_ARRAY_TASK_MIN")
            .env_remove("JOB_COMPLETION_INDEX");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.args(["dedup", "in", "--report", rep, "-q", "--shard", "3"])
            .assert()
    };
    // Slurm arrays may count from 1 (--array=1-3): the index is taken from the first.
    run(
        &[("SLURM_ARRAY_TASK_ID", "3"), ("SLURM_ARRAY_TASK_MIN", "1")],
        "slurm",
    )
    .success();
    assert!(work.exists("slurm/shard-0002-of-0003/shard-done.json"));
    run(&[("JOB_COMPLETION_INDEX", "0")], "k8s").success();
    assert!(work.exists("k8s/shard-0000-of-0003/shard-done.json"));
    // Neither set, or a shard past the count: a usage error naming the flag.
    let out = run(&[], "none").failure().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("--shard"), "{err}");
    run(&[("JOB_COMPLETION_INDEX", "3")], "past")
        .failure()
        .code(2);
    // A shard needs a folder of its own.
    work.thresh()
        .args(["clean", "in/site0/page0.txt", "--dry-run", "--shard", "0/2"])
        .assert()
        .failure()
        .code(2);
}
