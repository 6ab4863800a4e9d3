//! Where in a file's TOML a byte offset is: the key path (`duties`, 2, `tasks`) of the value
//! or key it falls in. Findings keep byte spans; the preview (`rolebook serve`) turns them into
//! the form row they are about with this.

use super::doc::{self, Spanned, Table, Value};

/// One step of a key path: a table key, or an index into an array (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// The key path of the innermost key or value of `text` that holds `offset`; empty when the
/// text is not TOML or the offset is in no key or value (a comment, a blank line).
pub fn key_path_at(text: &str, offset: usize) -> Vec<Step> {
    let Ok(table) = doc::parse(text) else {
        return Vec::new();
    };
    let mut path = Vec::new();
    in_table(&table, offset, &mut path);
    path
}

fn holds(span: std::ops::Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset < span.end.max(span.start + 1)
}

/// Pushes the path below `table` to `offset`; false when nothing in it holds the offset.
fn in_table(table: &Table<'_>, offset: usize, path: &mut Vec<Step>) -> bool {
    for (key, value) in table.iter() {
        path.push(Step::Key(key.get_ref().to_string()));
        // A table's own span may be only its header, so its entries are searched either way.
        if in_value(value, offset, path) || holds(key.span(), offset) || holds(value.span(), offset)
        {
            return true;
        }
        path.pop();
    }
    false
}

fn in_value(value: &Spanned<Value<'_>>, offset: usize, path: &mut Vec<Step>) -> bool {
    match value.get_ref() {
        Value::Table(t) => in_table(t, offset, path),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Step::Index(i));
                if in_value(item, offset, path) || holds(item.span(), offset) {
                    return true;
                }
                path.pop();
            }
            false
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str, at: &str) -> Vec<Step> {
        key_path_at(text, text.find(at).unwrap())
    }

    fn keys(steps: &[Step]) -> String {
        steps
            .iter()
            .map(|s| match s {
                Step::Key(k) => k.clone(),
                Step::Index(i) => i.to_string(),
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    #[test]
    fn finds_keys_in_sections_and_arrays_of_tables() {
        let text = "title = \"A\"\nsummary = \"S\"\n\n[[duties]]\ntitle = \"D1\"\n\n[[duties]]\n\
                    title = \"D2\"\ntasks = [\"T1\", \"T2\"]\n\n[qualifications]\nskills = \"K\"\n";
        assert_eq!(keys(&path(text, "\"S\"")), "summary");
        assert_eq!(keys(&path(text, "summary")), "summary");
        assert_eq!(keys(&path(text, "\"D2\"")), "duties.1.title");
        assert_eq!(keys(&path(text, "\"T2\"")), "duties.1.tasks.1");
        assert_eq!(keys(&path(text, "skills")), "qualifications.skills");
        assert_eq!(keys(&path(text, "\"K\"")), "qualifications.skills");
    }

    #[test]
    fn broken_toml_has_no_path() {
        assert!(key_path_at("title = \"A", 3).is_empty());
    }
}
