fn main() {
    let text = std::env::args().nth(1).unwrap().replace("\\n", "\n");
    let once = thresh::stages::normalize::normalize_text(&text);
    println!("{once:?}");
    let doc = thresh::document::Document::from_text("x", &once);
    use thresh::pipeline::Stage;
    let out = thresh::stages::normalize::Normalize.run(doc);
    println!("{:?}", out.doc.text());
    for e in out.edits { println!("{e:?}"); }
}
