//! Arbitrary bytes as an HTML page: decoded as a page is (BOM, declared charset, detection),
//! read as its text, then through the boilerplate stage with the page's markup. Truncated
//! pages, unclosed tags, deep nesting, junk after `</html>` and wrong charsets must give text,
//! with one markup fact per line of it (none when read without its tree), and never a panic.

use thresh::document::Document;
use thresh::read::{charset, html};
use thresh::stages::boilerplate::Boilerplate;
use thresh::stages::stage::Stage;

pub fn run(data: &[u8]) {
    let Ok(decoded) = charset::decode_html(data.to_vec()) else {
        return;
    };
    let page = html::extract(&decoded.text);
    let lines = if page.text.is_empty() {
        0
    } else {
        page.text.split('\n').count()
    };
    // A page read without its tree (hostile nesting) has no markup.
    assert!(
        page.markup.len() == lines || page.markup.is_empty(),
        "one markup fact per line"
    );
    let mut doc = Document::from_text("page", &page.text);
    let input: std::collections::HashSet<String> =
        doc.lines.iter().map(|l| l.text.clone()).collect();
    doc.markup = (!page.markup.is_empty()).then(|| page.markup.into());
    // The stage removes lines; it never rewrites one.
    let out = Boilerplate::default().run(doc);
    assert!(out.doc.lines.iter().all(|l| input.contains(&l.text)));
}
