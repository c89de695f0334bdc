//! The module graph points one way. Every `use` and every inline `crate::`/`super::` path in
//! `src/` (the library; `main.rs` only calls it) is an edge from the file it is in to the module it
//! names; the graph of files and the graph of top-level modules (a folder counted as one) must both
//! be acyclic, and the README's architecture section must draw the top-level graph the code has.
//!
//! A parent folder's `mod.rs` may re-export its children, so a child must not reach back into
//! `super::Item` defined or re-exported there: it names the sibling that owns the item instead.
//! Test modules (`#[cfg(test)] mod ...` at the end of a file) are left out: they may use anything.
//!
//! `cargo test --test architecture -- --nocapture` prints both graphs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

const README_BEGIN: &str = "<!-- module graph: begin (tests/architecture.rs checks it) -->";
const README_END: &str = "<!-- module graph: end -->";

#[test]
fn module_graph_of_files_is_acyclic() {
    let graph = file_graph();
    if std::env::var_os("THRESH_PRINT_GRAPH").is_some() {
        println!("{}", render(&graph));
    }
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import circle between files: {}", cycle.join(" -> "));
    }
}

#[test]
fn module_graph_of_top_level_modules_is_acyclic_and_drawn_in_the_readme() {
    let graph = top_level(&file_graph());
    let drawn = render(&graph);
    println!("{drawn}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import circle between modules: {}", cycle.join(" -> "));
    }
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let begin = readme
        .find(README_BEGIN)
        .expect("README has the module graph markers");
    let end = readme
        .find(README_END)
        .expect("README has the module graph end marker");
    let block = &readme[begin + README_BEGIN.len()..end];
    let block = block
        .trim()
        .trim_start_matches("```text")
        .trim_end_matches("```")
        .trim();
    assert_eq!(
        block,
        drawn.trim(),
        "the README's module graph is not the code's; paste the graph printed above"
    );
}

/// Names say what things are, once: no two types of the crate share a name (module-level
/// structs, enums, traits, unions and type aliases; test modules left out).
#[test]
fn every_type_has_a_name_of_its_own() {
    let src = root().join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut twice = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read source");
        let code = strip(&text);
        let code = code
            .match_indices("#[cfg(test)]")
            .find(|(at, attr)| code[at + attr.len()..].trim_start().starts_with("mod "))
            .map_or(&code[..], |(at, _)| &code[..at]);
        let rel = path
            .strip_prefix(&src)
            .expect("under src")
            .display()
            .to_string();
        for line in code.lines().filter(|l| !l.starts_with(char::is_whitespace)) {
            let words: Vec<&str> = line.split_whitespace().collect();
            let Some(kind) = words
                .iter()
                .position(|w| matches!(*w, "struct" | "enum" | "trait" | "type" | "union"))
            else {
                continue;
            };
            if !words[..kind].iter().all(|w| w.starts_with("pub")) {
                continue;
            }
            let Some(name) = words.get(kind + 1) else {
                continue;
            };
            let name: String = name
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if let Some(first) = seen.insert(name.clone(), rel.clone()) {
                twice.push(format!("{name} in {first} and {rel}"));
            }
        }
    }
    assert!(
        seen.len() > 50,
        "the declarations are found: {}",
        seen.len()
    );
    assert!(twice.is_empty(), "types with the same name: {twice:#?}");
}

#[test]
fn the_parser_finds_every_kind_of_path() {
    let modules: BTreeSet<String> = ["a", "a::b", "a::c", "d", "d::e"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let src = r#"
        use crate::a::{b::Thing, c};
        use super::e::X; // from d::f this is d::e
        pub(crate) use crate::d as dd;
        pub(in crate::a) fn g() {}
        use std::collections::HashMap;
        fn f() -> crate::a::c::Y { let s = "crate::d::e in a string"; /* crate::d */ todo!() }
        #[cfg(test)]
        mod tests { use crate::d::e; }
    "#;
    let edges = edges_of("d::f", src, &modules);
    let want: BTreeSet<String> = ["a::b", "a::c", "d", "d::e"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(edges, want);
    // A file that names only std and itself has no edges.
    assert!(edges_of(
        "a::b",
        "use std::io; use self::inner::X; mod inner {}",
        &modules
    )
    .is_empty());
    // A cycle is found, a chain is not.
    let mut g = Graph::new();
    g.entry("x".into()).or_default().insert("y".into());
    g.entry("y".into()).or_default().insert("z".into());
    assert!(find_cycle(&g).is_none());
    g.entry("z".into()).or_default().insert("x".into());
    assert_eq!(find_cycle(&g).unwrap().len(), 4);
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Module path of a source file: `src/a/b.rs` and `src/a/b/mod.rs` are `a::b`.
fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" {
        parts.push(stem.to_string());
    }
    parts.join("::")
}

fn file_graph() -> Graph {
    let src = root().join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    let mut modules = BTreeSet::new();
    let mut sources = Vec::new();
    for path in files {
        let rel = path.strip_prefix(&src).expect("under src").to_path_buf();
        if rel == Path::new("main.rs") {
            continue;
        }
        let module = module_of(&rel);
        modules.insert(module.clone());
        sources.push((module, std::fs::read_to_string(&path).expect("read source")));
    }
    let mut graph = Graph::new();
    for (module, text) in &sources {
        let edges = edges_of(module, text, &modules);
        graph.entry(module.clone()).or_default().extend(edges);
    }
    graph
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The modules one file names. A bare path (`use child::X`) starts from the file's own module, as
/// Rust 2018 resolves it; one that names no module of the crate is another crate's.
fn edges_of(module: &str, text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut code = strip(text);
    // `pub(in crate::x)` names where an item is seen, not a module it uses.
    while let Some(at) = code.find("pub(in ") {
        let end = code[at..].find(')').map_or(code.len(), |e| at + e + 1);
        code.replace_range(at..end, "pub");
    }
    let code = code
        .match_indices("#[cfg(test)]")
        .find(|(at, attr)| code[at + attr.len()..].trim_start().starts_with("mod "))
        .map_or(&code[..], |(at, _)| &code[..at]);
    let here: Vec<&str> = if module.is_empty() {
        vec![]
    } else {
        module.split("::").collect()
    };
    let mut paths = Vec::new();
    // `use` trees, expanded.
    let mut rest = code;
    let mut outside_uses = String::with_capacity(code.len());
    while let Some(at) = find_word(rest, "use") {
        outside_uses.push_str(&rest[..at]);
        let tail = &rest[at + 3..];
        let end = tail.find(';').unwrap_or(tail.len());
        expand(tail[..end].trim(), String::new(), &mut paths);
        rest = &tail[end..];
    }
    outside_uses.push_str(rest);
    let code = outside_uses.as_str();
    // Inline paths everywhere else.
    for anchor in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(pos) = code[from..].find(anchor) {
            let start = from + pos;
            let before = code[..start].chars().next_back();
            from = start + anchor.len();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let len = code[start..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(code.len() - start);
            paths.push(code[start..start + len].trim_end_matches(':').to_string());
        }
    }
    let mut edges = BTreeSet::new();
    for path in paths {
        let segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        let Some(first) = segments.first() else {
            continue;
        };
        let (mut base, rest): (Vec<&str>, &[&str]) = match *first {
            "crate" => (vec![], &segments[1..]),
            "super" => {
                let mut base = here.clone();
                let mut i = 0;
                while segments.get(i) == Some(&"super") {
                    base.pop();
                    i += 1;
                }
                (base, &segments[i..])
            }
            "self" => (here.clone(), &segments[1..]),
            // A bare path names a child module of this one (Rust 2018), or something outside.
            _ => (here.clone(), &segments[..]),
        };
        let mut target = None;
        for segment in rest {
            base.push(segment);
            let candidate = base.join("::");
            if modules.contains(&candidate) {
                target = Some(candidate);
            } else {
                break;
            }
        }
        let target = match target {
            Some(t) => t,
            // `crate::Item` or `super::Item`: the module the path starts from.
            None if *first != "self" && matches!(*first, "crate" | "super") => {
                let start = match *first {
                    "crate" => String::new(),
                    _ => {
                        let ups = segments.iter().take_while(|s| **s == "super").count();
                        here[..here.len().saturating_sub(ups)].join("::")
                    }
                };
                start
            }
            None => continue,
        };
        if target != module {
            edges.insert(target);
        }
    }
    edges
}

/// The byte offset of `word` as a whole word followed by whitespace.
fn find_word(text: &str, word: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = text[from..].find(word) {
        let at = from + pos;
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            && after.is_some_and(char::is_whitespace)
        {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// Expands a use tree (`a::{b, c::{d, e}}`) into full paths.
fn expand(tree: &str, prefix: String, out: &mut Vec<String>) {
    let tree = tree.trim();
    if tree.is_empty() {
        return;
    }
    let tree = tree.split(" as ").next().unwrap_or(tree).trim();
    match tree.find('{') {
        Some(open) => {
            let head = tree[..open].trim().trim_end_matches("::");
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let prefix = join(&prefix, head);
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&inner[start..i], prefix.clone(), out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            expand(&inner[start..], prefix, out);
        }
        None => {
            let path = join(&prefix, tree);
            out.push(
                path.trim_end_matches("::self")
                    .trim_end_matches("::*")
                    .to_string(),
            );
        }
    }
}

fn join(prefix: &str, rest: &str) -> String {
    match (prefix.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (_, true) => prefix.to_string(),
        _ => format!("{prefix}::{rest}"),
    }
}

/// Source without comments, string literals and char literals (their contents blanked).
fn strip(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && (next == Some('#') || next == Some('"'))
            && !chars[..i]
                .last()
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            let mut hashes = 0;
            let mut j = i + 1;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}') is blanked; a lifetime ('a) is kept.
            if next == Some('\\') {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                out.push_str("' '");
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The graph with each top-level module (a file of `src/` or a folder) as one node.
fn top_level(files: &Graph) -> Graph {
    let head = |m: &str| m.split("::").next().unwrap_or("").to_string();
    let mut graph = Graph::new();
    for (from, tos) in files {
        if from.is_empty() {
            continue;
        }
        let node = graph.entry(head(from)).or_default();
        for to in tos {
            let to = head(to);
            if !to.is_empty() && to != head(from) {
                node.insert(to);
            }
        }
    }
    graph
}

fn render(graph: &Graph) -> String {
    let mut out = String::new();
    for (from, tos) in graph {
        if from.is_empty() {
            continue;
        }
        let tos: Vec<&str> = tos.iter().map(String::as_str).collect();
        out.push_str(&format!(
            "{from} -> {}\n",
            if tos.is_empty() {
                "(nothing)".to_string()
            } else {
                tos.join(", ")
            }
        ));
    }
    out
}

/// One cycle of the graph as a closed path, if there is one (depth-first search).
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &Graph,
        marks: &mut BTreeMap<String, Mark>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(node.to_string(), Mark::Open);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match marks.get(next).copied().unwrap_or(Mark::New) {
                Mark::Open => {
                    let at = stack
                        .iter()
                        .position(|n| n == next)
                        .expect("open nodes are on the stack");
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                Mark::New => {
                    if let Some(cycle) = visit(next, graph, marks, stack) {
                        return Some(cycle);
                    }
                }
                Mark::Done => {}
            }
        }
        stack.pop();
        marks.insert(node.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for node in graph.keys() {
        if marks.get(node).copied().unwrap_or(Mark::New) == Mark::New {
            let mut stack = Vec::new();
            if let Some(cycle) = visit(node, graph, &mut marks, &mut stack) {
                return Some(cycle);
            }
        }
    }
    None
}
