//! The block features of every line of a folder of scraped pages, as the boilerplate stage sees
//! them (normalized, the corpus's repetition counted as the corpus pass counts it), one JSON line
//! per nonblank line: `boilerplate_features FOLDER > features.jsonl`. The fitting script
//! `data/fit-boilerplate-model.py` learns the block model from them.

use std::path::Path;
use thresh::corpus::CorpusStats;
use thresh::document::Document;
use thresh::stages::boilerplate::{Boilerplate, FEATURES};
use thresh::stages::normalize::Normalize;
use thresh::stages::stage::Stage;

fn main() {
    let root = std::env::args()
        .nth(1)
        .expect("usage: boilerplate_features FOLDER");
    let root = Path::new(&root);
    let mut paths: Vec<_> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    paths.sort();
    let docs: Vec<Document> = paths
        .iter()
        .map(|p| {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            // Decoded as `thresh clean` decodes a file (BOM, then detection).
            let text = thresh::read::charset::decode_owned(std::fs::read(p).unwrap())
                .map_or_else(|_| String::new(), |d| d.text);
            let mut doc = Document::from_text(rel.clone(), &text);
            doc.site = thresh::read::site_of(&rel, None);
            Normalize.run(doc).doc
        })
        .collect();
    let mut stats = CorpusStats::new(false);
    for d in &docs {
        stats.add_lines(&d.site, d.lines.iter().map(|l| l.text.as_str()));
    }
    let stage = Boilerplate {
        stats: Some(stats.into()),
        ..Boilerplate::default()
    };
    println!("{}", serde_json::json!({ "features": FEATURES }));
    for doc in &docs {
        let page = stage.measure(doc);
        for block in &page.blocks {
            let line = serde_json::json!({
                "doc": doc.id,
                "line": block.line,
                "text": doc.lines[block.line].text,
                "x": block.x.iter().map(|v| (v * 1e4).round() / 1e4).collect::<Vec<f32>>(),
            });
            println!("{line}");
        }
    }
}
