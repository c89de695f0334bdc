//! The machine-text stage on the real leftovers shipped in `data/machine-text` (paragraphs of
//! public text holding chatbot and tool leftovers nobody on the project wrote; see its README) and
//! on the real look-alikes that must survive. These are regression floors: the figures reported
//! in the README come from `benches/machine_text_eval.py`, which also measures the dev pages.

use thresh::document::Document;
use thresh::stages::machine_text::MachineText;
use thresh::stages::normalize::Normalize;
use thresh::stages::stage::Stage;

fn records(name: &str) -> Vec<serde_json::Value> {
    let path = format!("{}/data/machine-text/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON record"))
        .collect()
}

/// The text as the pipeline's normalize and machine-text stages leave it, and the machine-text
/// rules that fired.
fn clean(id: usize, text: &str) -> (String, Vec<&'static str>) {
    let doc = Normalize::default()
        .run(Document::from_text(format!("r{id}"), text))
        .doc;
    let out = MachineText::default().run(doc);
    let rules = out.edits.iter().map(|e| e.rule).collect();
    (out.doc.text(), rules)
}

fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn real_leftovers_are_removed_family_by_family() {
    let mut by_family: std::collections::BTreeMap<String, (usize, usize)> = Default::default();
    let mut missed = Vec::new();
    for (i, r) in records("real.jsonl").iter().enumerate() {
        let (out, _) = clean(i, r["text"].as_str().unwrap());
        let out = fold(&out);
        let family = r["family"].as_str().unwrap().to_string();
        for lo in r["leftovers"].as_array().unwrap() {
            let lo = fold(lo.as_str().unwrap());
            let entry = by_family.entry(family.clone()).or_default();
            entry.1 += 1;
            if out.contains(&lo) {
                missed.push(format!("[{family}] {lo}"));
            } else {
                entry.0 += 1;
            }
        }
    }
    let share = |f: &str| by_family.get(f).map_or(0.0, |(r, n)| *r as f64 / *n as f64);
    let (removed, total) = by_family
        .values()
        .fold((0, 0), |(a, b), (r, n)| (a + r, b + n));
    eprintln!("{by_family:?}");
    // Floors a little under the measured figures (0.86 overall, markup 120/123, placeholder
    // 14/18), so that a change that loses real leftovers fails here.
    assert!(
        removed as f64 / total as f64 >= 0.84,
        "{removed}/{total}: {missed:#?}"
    );
    assert!(share("markup") >= 0.95, "{by_family:?}: {missed:#?}");
    assert!(share("placeholder") >= 0.75, "{by_family:?}: {missed:#?}");
}

#[test]
fn real_look_alikes_survive() {
    let looks = records("lookalikes.jsonl");
    let changed: Vec<String> = looks
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let (_, rules) = clean(i, r["text"].as_str().unwrap());
            (!rules.is_empty()).then(|| format!("{rules:?}: {}", r["why"]))
        })
        .collect();
    // Six are known and left (see the README): a README that opens with a fake refusal as a
    // joke, an audit that quotes a marker inside a code block, a quoted letter with an unfilled
    // slot, two templates whose slots look like a chatbot's, and a prompt telling a model what to
    // leave out of "your responses".
    assert!(
        changed.len() <= 6,
        "{} of {} changed: {changed:#?}",
        changed.len(),
        looks.len()
    );
}
