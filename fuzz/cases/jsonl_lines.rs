//! Arbitrary bytes as a JSONL stream: split into lines by `jsonl::Lines` (through a buffer of a
//! size the input chooses, so lines straddle refills), each line parsed both ways and written
//! back with `jsonl::serialize`.

use std::io::{BufReader, Cursor};
use thresh::read::jsonl;

pub fn run(data: &[u8]) {
    let Some((&capacity, stream)) = data.split_first() else {
        return;
    };
    let reader = BufReader::with_capacity(usize::from(capacity) + 1, Cursor::new(stream.to_vec()));
    let mut last = 0;
    for line in jsonl::Lines::new(Box::new(reader)) {
        let line = line.expect("an in-memory stream cannot fail to read");
        assert!(line.number > last, "line numbers go up");
        last = line.number;
        assert!(!line.bytes.contains(&b'\n'));
        check_record(&line.bytes);
    }
}

fn check_record(bytes: &[u8]) {
    let (full, light) = (
        jsonl::parse(bytes, "text", "id"),
        jsonl::parse_text(bytes, "text", "id"),
    );
    let full = match (full, light) {
        (Ok(full), Ok(light)) => {
            assert_eq!(
                (&full.text, &full.id, &full.url),
                (&light.text, &light.id, &light.url)
            );
            full
        }
        (Err(_), Err(_)) => return,
        (full, light) => panic!("the two parses disagree: {full:?} / {light:?}"),
    };
    // Written back unchanged, and with another text: one line, read back as written.
    for text in [
        full.text.clone(),
        format!("{}\n\"\\\u{2028}\u{0}", full.text),
    ] {
        let line = jsonl::serialize(&full, "text", &text);
        assert!(!line.contains('\n'), "a record is one line: {line:?}");
        let again = jsonl::parse(line.as_bytes(), "text", "id").expect("a written record parses");
        assert_eq!(again.text, text);
        assert_eq!((&again.id, &again.url), (&full.id, &full.url));
        let keys = |r: &jsonl::Parsed| r.fields.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&again), keys(&full));
    }
}
