//! Arbitrary bytes as an HTML page: decoded as a page is (BOM, declared charset, detection),
//! read as its text, then through the boilerplate stage with the page's markup. Truncated
//! pages, unclosed tags, deep nesting, junk after `</html>` and wrong charsets must give text,
//! with one markup fact per line of it, and never a panic.

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
    assert_eq!(page.markup.len(), lines, "one markup fact per line");
    let mut doc = Document::from_text("page", &page.text);
    doc.markup = Some(page.markup.into());
    let out = Boilerplate::default().run(doc);
    assert!(out.doc.lines.iter().all(|l| !l.text.contains('\n')));
}
