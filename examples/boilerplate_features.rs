//! The block features of every line of a folder of scraped pages, as the boilerplate stage sees
//! them (normalized, the corpus's repetition counted as the corpus pass counts it), one JSON line
//! per nonblank line: `boilerplate_features FOLDER > features.jsonl`; with `--html`, of a folder
//! of HTML pages read as `thresh clean` reads them (their markup's features too). The fitting
//! script `data/fit-boilerplate-model.py` learns the block models from them.

use std::path::Path;
use thresh::corpus::CorpusStats;
use thresh::document::Document;
use thresh::stages::boilerplate::{Boilerplate, FEATURES, HTML_MODEL, MODEL, N_TEXT_FEATURES};
use thresh::stages::normalize::Normalize;
use thresh::stages::stage::Stage;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let html = args.iter().any(|a| a == "--html");
    let root = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .expect("usage: boilerplate_features [--html] FOLDER");
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
            // Decoded as `thresh clean` decodes a file (BOM, then detection; a page's declared
            // charset before detection), and a page read as its text.
            let bytes = std::fs::read(p).unwrap();
            if html {
                let text = thresh::read::charset::decode_html(bytes)
                    .map_or_else(|_| String::new(), |d| d.text);
                let page = thresh::read::html::extract(&text);
                let mut doc = Document::from_text(rel.clone(), &page.text);
                doc.site = thresh::read::site_of(&rel, page.meta.url.as_deref());
                doc.markup = Some(page.markup.into());
                return Normalize::default().run(doc).doc;
            }
            let text = thresh::read::charset::decode_owned(bytes)
                .map_or_else(|_| String::new(), |d| d.text);
            let mut doc = Document::from_text(rel.clone(), &text);
            doc.site = thresh::read::site_of(&rel, None);
            Normalize::default().run(doc).doc
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
    // The text model weighs the text's features only.
    let n = if html {
        FEATURES.len()
    } else {
        N_TEXT_FEATURES
    };
    println!("{}", serde_json::json!({ "features": &FEATURES[..n] }));
    for doc in &docs {
        let page = stage.measure(doc);
        // What the shipped model and the stage make of each block, to study the stage's guards.
        let model = if html { &*HTML_MODEL } else { &*MODEL };
        let content = model.content_probabilities(&page.blocks);
        let verdicts = stage.verdicts(doc);
        for (block, p) in page.blocks.iter().zip(content) {
            let line = serde_json::json!({
                "doc": doc.id,
                "line": block.line,
                "text": doc.lines[block.line].text,
                "p": (p * 1e3).round() / 1e3,
                "removed": verdicts[block.line],
                "x": block.x[..n].iter().map(|v| (v * 1e4).round() / 1e4).collect::<Vec<f32>>(),
            });
            println!("{line}");
        }
    }
}
