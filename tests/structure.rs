//! Cleaning never touches the structure of real Markdown: every line of a code block (fenced with
//! backticks or tildes, or indented) and every table row of five crates' READMEs
//! (tests/fixtures/structure, with their licences) comes out of `thresh clean` byte for byte and in
//! order. `benches/eval_structure.py` runs the same check over all the READMEs of the local cargo
//! registry.

use std::path::Path;
use std::process::Command;

const CRATES: [&str; 5] = ["half", "encoding", "unicode-width", "num-bigint", "zerovec"];

/// Code and table lines, found independently of thresh's own detection.
fn structure_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    let mut prev_blank = true;
    let mut in_indented = false;
    for line in text.lines() {
        let t = line.trim_start();
        let marker: String = t.chars().take_while(|&c| c == '`' || c == '~').collect();
        let is_fence =
            marker.len() >= 3 && marker.chars().all(|c| c == marker.chars().next().unwrap());
        if let Some(open) = &fence {
            out.push(line);
            if is_fence && marker.starts_with(open.as_str()) && t.trim_end() == marker {
                fence = None;
            }
            continue;
        }
        if is_fence {
            fence = Some(marker);
            out.push(line);
            continue;
        }
        if line.trim().is_empty() {
            prev_blank = true;
            continue;
        }
        let item = t.starts_with("- ") || t.starts_with("* ");
        if line.starts_with("    ") && (prev_blank || in_indented) && !item {
            in_indented = true;
            out.push(line);
            continue;
        }
        in_indented = false;
        prev_blank = false;
        let row = line.trim();
        if row.len() > 1 && row.starts_with('|') && row.ends_with('|') {
            out.push(line);
        }
    }
    out
}

#[test]
fn code_blocks_and_tables_survive_byte_for_byte() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/structure");
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir(&input).unwrap();
    for name in CRATES {
        std::fs::copy(
            fixtures.join(name).join("README.md"),
            input.join(format!("{name}.md")),
        )
        .unwrap();
    }
    let out = tmp.path().join("out");
    let status = Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(["clean", "-q", "--out"])
        .arg(&out)
        .arg(&input)
        .status()
        .unwrap();
    assert!(status.success());
    let mut total = 0;
    for name in CRATES {
        let original = std::fs::read_to_string(input.join(format!("{name}.md"))).unwrap();
        let cleaned = std::fs::read_to_string(out.join(format!("{name}.md"))).unwrap();
        let wanted = structure_lines(&original);
        assert!(!wanted.is_empty(), "{name} has code or tables");
        let lines: Vec<&str> = cleaned.lines().collect();
        let mut at = 0;
        for w in &wanted {
            match lines[at..].iter().position(|l| l == w) {
                Some(k) => at += k + 1,
                None => panic!("{name}: {w:?} was changed or lost"),
            }
        }
        total += wanted.len();
    }
    // The fixtures hold well over a hundred such lines; the check must have seen them.
    assert!(total > 150, "{total}");
}

#[test]
fn front_matter_survives_byte_for_byte() {
    let front = "---\ntitle: \"Ferry  timetable\"\ndate: 2026-11-02\ntags: [ferry, winter]\nsummary: The winter timetable starts on Monday, with fewer sailings on the\n  early route and none at all on Sundays until March.\n---\n";
    let doc =
        format!("{front}\n# Winter timetable\n\nThe ferry will run less often from Monday.\n");
    let out = Command::new(env!("CARGO_BIN_EXE_thresh"))
        .args(["clean", "-", "-q"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(doc.as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let cleaned = String::from_utf8(out.stdout).unwrap();
    assert!(cleaned.starts_with(front), "{cleaned}");
    // The prose after it is still cleaned.
    assert!(cleaned.contains("\nWinter timetable\n"), "{cleaned}");
}
