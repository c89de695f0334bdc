//! A page's cleaned text written as Markdown (`--html-output markdown`): the structure its
//! markup gave each line, put back in Markdown's terms. The stages work on the plain text (one
//! block a line, as their models were fit); only the writer dresses it.

use crate::document::{Document, Markup};

/// The document's text as Markdown: headings as `#`s, table rows as `| a | b |` (a rule under
/// each table's first row), preformatted text fenced, quotations as `> `; list items are already
/// `- `. A document without markup is its text.
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    // What the last nonblank line written was: a table row, or preformatted text.
    let (mut in_table, mut in_pre) = (false, false);
    let (mut blank_pending, mut blanks) = (false, 0);
    for line in &doc.lines {
        if line.is_blank() {
            blank_pending = !out.is_empty();
            blanks += 1;
            continue;
        }
        let markup = doc.markup_of(line).copied().unwrap_or_default();
        let pre = markup.is_within(Markup::PRE);
        let table = markup.is_within(Markup::TABLE_CELL) && !pre;
        if in_pre && !pre {
            out.push_str("```\n");
        }
        // A table's rows stay together, with no blank line between them; any other block is
        // set off by one.
        let continues_table = in_table && table;
        if in_table && !table {
            blank_pending = true;
        }
        if in_pre && pre {
            // Blank lines inside preformatted text are its own.
            out.push_str(&"\n".repeat(blanks));
        } else if blank_pending && !continues_table {
            out.push('\n');
        }
        (blank_pending, blanks) = (false, 0);
        if pre && !in_pre {
            out.push_str("```\n");
        }
        let text = line.text.as_str();
        if table {
            let cells: Vec<&str> = text.split(" | ").map(str::trim).collect();
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
            if !in_table {
                out.push_str(&format!("|{}\n", " --- |".repeat(cells.len())));
            }
        } else if pre {
            out.push_str(text);
            out.push('\n');
        } else if markup.heading > 0 {
            out.push_str(&"#".repeat(usize::from(markup.heading)));
            out.push(' ');
            out.push_str(text.trim());
            out.push('\n');
        } else if markup.is_within(Markup::QUOTE) {
            out.push_str("> ");
            out.push_str(text.trim());
            out.push('\n');
        } else {
            out.push_str(text);
            out.push('\n');
        }
        in_table = table;
        in_pre = pre;
    }
    if in_pre {
        out.push_str("```\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_comes_back_as_markdown() {
        let page = crate::read::html::extract(
            "<html><body><h1>Sea Wall</h1><p>The council voted.</p><h2>Cost</h2>\
             <ul><li>Forty million</li><li>Paid by the state</li></ul>\
             <table><tr><th>Year</th><th>Homes</th></tr><tr><td>2027</td><td>200</td></tr></table>\
             <blockquote><p>A good day.</p></blockquote><pre>let x = 1;\n    x + 1</pre><p>End.</p></body></html>",
        );
        let mut doc = Document::from_text("p", &page.text);
        doc.markup = Some(page.markup.into());
        assert_eq!(
            render(&doc),
            "# Sea Wall\n\nThe council voted.\n\n## Cost\n\n- Forty million\n\n- Paid by the state\n\n\
             | Year | Homes |\n| --- | --- |\n| 2027 | 200 |\n\n> A good day.\n\n```\nlet x = 1;\n    x + 1\n```\n\nEnd.\n"
        );
        // Without markup, the text as it is.
        let plain = Document::from_text("t", "# Not a page\n\ntext");
        assert_eq!(render(&plain), "# Not a page\n\ntext\n");
    }
}
