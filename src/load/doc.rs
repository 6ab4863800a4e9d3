//! A file's TOML as the loader reads it: tables, values, and the span of each.
//!
//! Almost every file HR writes keeps to a small part of TOML: bare keys, `[table]` and
//! `[[table]]` headers, one-line strings without escapes, plain numbers, dates, booleans and
//! arrays of these. Such a file is read here in one pass ([`fast`]). Anything else (an
//! escape, a multi-line string, an inline table, a dotted key, a time, a key given twice, any
//! error at all) is read by the `toml` crate and its tree converted, so every other form, and
//! every error message, is the crate's own. Both ways give the same tree with the same spans:
//! the tests compare them on every fixture and on thousands of altered files.

use std::borrow::Cow;

pub use toml::Spanned;
use toml::de::{DeTable, DeValue};
use toml::value::Datetime;

/// A key, as written (without quotes), and where.
pub type Key<'i> = Spanned<Cow<'i, str>>;

/// A TOML value.
#[derive(Clone, Debug)]
pub enum Value<'i> {
    String(Cow<'i, str>),
    Integer(Number<'i>),
    Float(Number<'i>),
    Boolean(bool),
    Datetime(Datetime),
    Array(Vec<Spanned<Value<'i>>>),
    Table(Table<'i>),
}

/// A number as written, for the reader to convert: the digits (sign and `_` included, radix
/// prefix left out) and the radix.
#[derive(Clone, Debug)]
pub struct Number<'i> {
    text: Cow<'i, str>,
    radix: u32,
}

impl Number<'_> {
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn radix(&self) -> u32 {
        self.radix
    }
}

impl Value<'_> {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

/// A TOML table: its entries in key order (as the `toml` crate's map keeps them).
#[derive(Clone, Debug, Default)]
pub struct Table<'i> {
    entries: Vec<(Key<'i>, Spanned<Value<'i>>)>,
}

impl<'i> Table<'i> {
    pub fn new() -> Self {
        Table::default()
    }

    fn find(&self, key: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|(k, _)| k.get_ref().as_ref().cmp(key))
    }

    pub fn get(&self, key: &str) -> Option<&Spanned<Value<'i>>> {
        self.get_key_value(key).map(|(_, v)| v)
    }

    pub fn get_key_value(&self, key: &str) -> Option<(&Key<'i>, &Spanned<Value<'i>>)> {
        // A file's tables have a few keys, asked for by name dozens of times: comparing
        // lengths first rules out almost every key without comparing text.
        let at = if self.entries.len() <= 32 {
            self.entries
                .iter()
                .position(|(k, _)| k.get_ref().len() == key.len() && k.get_ref() == key)?
        } else {
            self.find(key).ok()?
        };
        let (k, v) = &self.entries[at];
        Some((k, v))
    }

    /// Sets `key` to `value`; a key already there keeps its own span (as in a map).
    pub fn insert(&mut self, key: Key<'i>, value: Spanned<Value<'i>>) {
        match self.find(key.get_ref()) {
            Ok(i) => self.entries[i].1 = value,
            Err(i) => self.entries.insert(i, (key, value)),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Key<'i>, &Spanned<Value<'i>>)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<'i> IntoIterator for Table<'i> {
    type Item = (Key<'i>, Spanned<Value<'i>>);
    type IntoIter = std::vec::IntoIter<Self::Item>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// Parses a whole file: in one pass when it keeps to the common forms, else by the `toml`
/// crate (whose error this returns).
pub fn parse(text: &str) -> Result<Table<'_>, toml::de::Error> {
    if let Some(table) = fast::parse(text) {
        return Ok(table);
    }
    by_crate(text)
}

/// Parses by the `toml` crate alone (what [`parse`] falls back to).
pub fn by_crate(text: &str) -> Result<Table<'_>, toml::de::Error> {
    DeTable::parse(text).map(|t| from_crate_table(t.into_inner()))
}

fn from_crate_table(table: DeTable<'_>) -> Table<'_> {
    // The crate's map iterates in key order: the entries come sorted.
    Table {
        entries: table
            .into_iter()
            .map(|(k, v)| (k, from_crate_value(v)))
            .collect(),
    }
}

fn from_crate_value(v: Spanned<DeValue<'_>>) -> Spanned<Value<'_>> {
    let span = v.span();
    let value = match v.into_inner() {
        DeValue::String(s) => Value::String(s),
        DeValue::Integer(i) => Value::Integer(Number {
            text: Cow::Owned(i.as_str().to_owned()),
            radix: i.radix(),
        }),
        DeValue::Float(f) => Value::Float(Number {
            text: Cow::Owned(f.as_str().to_owned()),
            radix: 10,
        }),
        DeValue::Boolean(b) => Value::Boolean(b),
        DeValue::Datetime(d) => Value::Datetime(d),
        DeValue::Array(items) => Value::Array(items.into_iter().map(from_crate_value).collect()),
        DeValue::Table(t) => Value::Table(from_crate_table(t)),
    };
    Spanned::new(span, value)
}

/// The one-pass reader of the common forms. Every function returns `None` at the first thing
/// it does not take: the file is then read by the crate.
mod fast {
    use std::borrow::Cow;

    use super::{Key, Number, Spanned, Table, Value};

    /// Arrays nested deeper than this are left to the crate.
    const MAX_DEPTH: usize = 8;
    /// A table with more keys than this is left to the crate (a key given twice is found by
    /// comparing it with each key before it).
    const MAX_KEYS: usize = 128;

    /// Where the keys of the current line go.
    #[derive(Clone, Copy)]
    enum Target {
        Root,
        /// The `[table]` at this index of the root's entries.
        Table(usize),
        /// The last table of the `[[table]]` array at this index of the root's entries.
        Entry(usize),
    }

    struct Parser<'i> {
        text: &'i str,
        bytes: &'i [u8],
        pos: usize,
    }

    /// Entries in file order while reading (the indices of [`Target`] stay put); sorted at
    /// the end.
    type Entries<'i> = Vec<(Key<'i>, Spanned<Value<'i>>)>;

    pub(super) fn parse(text: &str) -> Option<Table<'_>> {
        let mut p = Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        };
        let mut root: Entries<'_> = Vec::new();
        // Root entries made by `[[name]]` headers: the only ones a header may add to.
        let mut arrays: Vec<usize> = Vec::new();
        let mut target = Target::Root;
        loop {
            p.skip_blank();
            let Some(c) = p.peek() else { break };
            match c {
                b'\n' => p.pos += 1,
                b'\r' => p.newline()?,
                b'#' => p.comment()?,
                b'[' => {
                    target = p.header(&mut root, &mut arrays)?;
                    p.line_end()?;
                }
                _ => {
                    let key = p.key()?;
                    p.skip_blank();
                    p.eat(b'=')?;
                    p.skip_blank();
                    let value = p.value(0)?;
                    p.line_end()?;
                    let entries = match target {
                        Target::Root => &mut root,
                        Target::Table(i) => table_entries(&mut root[i].1)?,
                        Target::Entry(i) => match root[i].1.get_mut() {
                            Value::Array(items) => table_entries(items.last_mut()?)?,
                            _ => return None,
                        },
                    };
                    add(entries, key, value)?;
                }
            }
        }
        Some(finish(root))
    }

    fn table_entries<'a, 'i>(v: &'a mut Spanned<Value<'i>>) -> Option<&'a mut Entries<'i>> {
        match v.get_mut() {
            Value::Table(t) => Some(&mut t.entries),
            _ => None,
        }
    }

    /// Adds a key that must be new to its table.
    fn add<'i>(entries: &mut Entries<'i>, key: Key<'i>, value: Spanned<Value<'i>>) -> Option<()> {
        if entries.len() >= MAX_KEYS || entries.iter().any(|(k, _)| k.get_ref() == key.get_ref()) {
            return None;
        }
        entries.push((key, value));
        Some(())
    }

    /// Sorts every table's entries by key (they are unique).
    fn finish(mut root: Entries<'_>) -> Table<'_> {
        for (_, v) in root.iter_mut() {
            match v.get_mut() {
                Value::Table(t) => sort(&mut t.entries),
                Value::Array(items) => {
                    for item in items {
                        if let Value::Table(t) = item.get_mut() {
                            sort(&mut t.entries);
                        }
                    }
                }
                _ => {}
            }
        }
        sort(&mut root);
        Table { entries: root }
    }

    fn sort(entries: &mut Entries<'_>) {
        entries.sort_unstable_by(|(a, _), (b, _)| a.get_ref().cmp(b.get_ref()));
    }

    /// A header's new table: `[name]` (a table not yet there) or `[[name]]` (the next table of
    /// an array that only such headers made).
    fn new_table<'i>(span: std::ops::Range<usize>) -> Spanned<Value<'i>> {
        Spanned::new(span, Value::Table(Table::new()))
    }

    impl<'i> Parser<'i> {
        fn peek(&self) -> Option<u8> {
            self.bytes.get(self.pos).copied()
        }

        fn eat(&mut self, c: u8) -> Option<()> {
            (self.peek()? == c).then(|| self.pos += 1)
        }

        /// Spaces and tabs.
        fn skip_blank(&mut self) {
            while let Some(b' ' | b'\t') = self.peek() {
                self.pos += 1;
            }
        }

        /// `\n` or `\r\n`.
        fn newline(&mut self) -> Option<()> {
            match self.peek()? {
                b'\n' => self.pos += 1,
                b'\r' if self.bytes.get(self.pos + 1) == Some(&b'\n') => self.pos += 2,
                _ => return None,
            }
            Some(())
        }

        /// A comment up to (not including) the end of its line; no control characters but tab.
        fn comment(&mut self) -> Option<()> {
            self.pos += 1;
            while let Some(c) = self.peek() {
                match c {
                    b'\n' | b'\r' => break,
                    b'\t' => {}
                    0..0x20 | 0x7f => return None,
                    _ => {}
                }
                self.pos += 1;
            }
            Some(())
        }

        /// What may follow a key/value pair or a header: blanks, a comment, the end of the
        /// line or of the file.
        fn line_end(&mut self) -> Option<()> {
            self.skip_blank();
            if self.peek() == Some(b'#') {
                self.comment()?;
            }
            match self.peek() {
                None => Some(()),
                Some(_) => self.newline(),
            }
        }

        /// Blanks, line ends and comments, as between the items of an array.
        fn skip_space(&mut self) -> Option<()> {
            loop {
                self.skip_blank();
                match self.peek() {
                    Some(b'\n' | b'\r') => self.newline()?,
                    Some(b'#') => self.comment()?,
                    _ => return Some(()),
                }
            }
        }

        /// A bare key, not followed by a dot.
        fn key(&mut self) -> Option<Key<'i>> {
            let start = self.pos;
            while let Some(b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.pos == start {
                return None;
            }
            let key = Spanned::new(start..self.pos, Cow::Borrowed(&self.text[start..self.pos]));
            self.skip_blank();
            (self.peek() != Some(b'.')).then_some(key)
        }

        /// `[name]` or `[[name]]`: where the keys that follow go.
        fn header(&mut self, root: &mut Entries<'i>, arrays: &mut Vec<usize>) -> Option<Target> {
            let start = self.pos;
            let array = self.bytes.get(start + 1) == Some(&b'[');
            self.pos += if array { 2 } else { 1 };
            self.skip_blank();
            let key = self.key()?;
            self.eat(b']')?;
            if array {
                self.eat(b']')?;
            }
            let span = start..self.pos;
            let at = root.iter().position(|(k, _)| k.get_ref() == key.get_ref());
            match (at, array) {
                (None, false) => {
                    add(root, key, new_table(span))?;
                    Some(Target::Table(root.len() - 1))
                }
                (None, true) => {
                    let items = vec![new_table(span.clone())];
                    add(root, key, Spanned::new(span, Value::Array(items)))?;
                    arrays.push(root.len() - 1);
                    Some(Target::Entry(root.len() - 1))
                }
                (Some(i), true) if arrays.contains(&i) => {
                    let Value::Array(items) = root[i].1.get_mut() else {
                        return None;
                    };
                    items.push(new_table(span));
                    Some(Target::Entry(i))
                }
                // A table defined twice, or a header over a key: the crate says which.
                (Some(_), _) => None,
            }
        }

        /// Any value of the common forms; `depth` is the number of arrays it is inside.
        fn value(&mut self, depth: usize) -> Option<Spanned<Value<'i>>> {
            let start = self.pos;
            let value = match self.peek()? {
                b'"' => Value::String(self.string(b'"')?),
                b'\'' => Value::String(self.string(b'\'')?),
                b'[' => return self.array(depth + 1),
                b't' => self.word("true", Value::Boolean(true))?,
                b'f' => self.word("false", Value::Boolean(false))?,
                b'0'..=b'9' | b'+' | b'-' => self.number_or_date()?,
                _ => return None,
            };
            Some(Spanned::new(start..self.pos, value))
        }

        /// A one-line string: basic (`"`, no escapes) or literal (`'`); no control characters
        /// but tab.
        fn string(&mut self, quote: u8) -> Option<Cow<'i, str>> {
            let start = self.pos + 1;
            // `"""` or `'''` opens a multi-line string.
            if self.bytes.get(start) == Some(&quote) && self.bytes.get(start + 1) == Some(&quote) {
                return None;
            }
            // The closing quote, unless an escape or the end of the line comes first.
            let rest = self.bytes.get(start..)?;
            let end = start
                + match quote {
                    b'"' => memchr::memchr3(quote, b'\\', b'\n', rest)?,
                    _ => memchr::memchr2(quote, b'\n', rest)?,
                };
            if self.bytes[end] != quote {
                return None;
            }
            // Control characters but tab (a loop without an early exit: the compiler makes it
            // a few vector instructions per 32 bytes).
            let control = self.bytes[start..end].iter().fold(false, |bad, &c| {
                bad | ((c < 0x20) & (c != b'\t')) | (c == 0x7f)
            });
            if control {
                return None;
            }
            self.pos = end + 1;
            Some(Cow::Borrowed(&self.text[start..end]))
        }

        /// A keyword (`true`, `false`) and the end of the value.
        fn word(&mut self, word: &str, value: Value<'i>) -> Option<Value<'i>> {
            if !self.bytes[self.pos..].starts_with(word.as_bytes()) {
                return None;
            }
            self.pos += word.len();
            self.value_ends()?;
            Some(value)
        }

        /// A value ends at a blank, a line end, a comment, a comma, a closing bracket or the
        /// end of the file.
        fn value_ends(&self) -> Option<()> {
            match self.peek() {
                None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'#' | b',' | b']') => Some(()),
                _ => None,
            }
        }

        fn digits(&mut self) -> usize {
            let start = self.pos;
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
            self.pos - start
        }

        /// A decimal integer, a float with a fraction and no exponent, or a date
        /// (`YYYY-MM-DD`); no `_` separators.
        fn number_or_date(&mut self) -> Option<Value<'i>> {
            let start = self.pos;
            if let Some(date) = self.date() {
                return Some(date);
            }
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            let int_start = self.pos;
            let int_digits = self.digits();
            // No digits, a leading zero, or more than i64 may hold: the crate decides.
            if int_digits == 0
                || int_digits > 18
                || (int_digits > 1 && self.bytes[int_start] == b'0')
            {
                return None;
            }
            let float = self.peek() == Some(b'.');
            if float {
                self.pos += 1;
                if self.digits() == 0 {
                    return None;
                }
            }
            self.value_ends()?;
            let number = Number {
                text: Cow::Borrowed(&self.text[start..self.pos]),
                radix: 10,
            };
            Some(if float {
                Value::Float(number)
            } else {
                Value::Integer(number)
            })
        }

        /// `YYYY-MM-DD` alone (no time after it), as the crate's date type reads it.
        fn date(&mut self) -> Option<Value<'i>> {
            let b = self.bytes.get(self.pos..self.pos + 10)?;
            let shape = b.iter().enumerate().all(|(i, c)| match i {
                4 | 7 => *c == b'-',
                _ => c.is_ascii_digit(),
            });
            if !shape {
                return None;
            }
            let end = self.pos + 10;
            // A time may follow after `T`, `t` or a space.
            match self.bytes.get(end) {
                None | Some(b'\t' | b'\n' | b'\r' | b'#' | b',' | b']') => {}
                Some(b' ') if !self.bytes.get(end + 1).is_some_and(u8::is_ascii_digit) => {}
                _ => return None,
            }
            let datetime: super::Datetime = self.text[self.pos..end].parse().ok()?;
            if datetime.date.is_none() || datetime.time.is_some() || datetime.offset.is_some() {
                return None;
            }
            self.pos = end;
            Some(Value::Datetime(datetime))
        }

        /// `[ value, … ]`, over lines and comments, a trailing comma allowed.
        fn array(&mut self, depth: usize) -> Option<Spanned<Value<'i>>> {
            if depth > MAX_DEPTH {
                return None;
            }
            let start = self.pos;
            self.pos += 1;
            let mut items = Vec::new();
            loop {
                self.skip_space()?;
                if self.eat(b']').is_some() {
                    break;
                }
                items.push(self.value(depth)?);
                self.skip_space()?;
                match self.peek()? {
                    b',' => self.pos += 1,
                    b']' => {
                        self.pos += 1;
                        break;
                    }
                    _ => return None,
                }
            }
            Some(Spanned::new(start..self.pos, Value::Array(items)))
        }
    }
}

/// The tree written out with every span, to compare the two readers.
pub fn outline(top: &Table<'_>) -> String {
    fn value(v: &Spanned<Value<'_>>, out: &mut String) {
        out.push_str(&format!("{:?}:", v.span()));
        match v.get_ref() {
            Value::Table(t) => {
                out.push('{');
                table(t, out);
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for i in items {
                    value(i, out);
                    out.push(',');
                }
                out.push(']');
            }
            Value::String(s) => out.push_str(&format!("s{s:?}")),
            Value::Integer(n) => out.push_str(&format!("i{:?}/{}", n.as_str(), n.radix())),
            Value::Float(n) => out.push_str(&format!("f{:?}", n.as_str())),
            Value::Boolean(b) => out.push_str(&format!("b{b}")),
            Value::Datetime(d) => out.push_str(&format!("d{d:?}")),
        }
    }
    fn table(t: &Table<'_>, out: &mut String) {
        for (k, v) in t.iter() {
            out.push_str(&format!("{:?}{:?}=", k.get_ref(), k.span()));
            value(v, out);
            out.push(';');
        }
    }
    let mut out = String::new();
    table(top, &mut out);
    out
}

/// Whether the one-pass reader took `text`; panics where it reads it otherwise than the crate
/// (other values or spans), or takes a file the crate refuses. For the tests and the fuzz
/// target.
pub fn agrees(text: &str) -> bool {
    let Some(fast) = fast::parse(text) else {
        return false;
    };
    match by_crate(text) {
        Ok(full) => assert_eq!(outline(&fast), outline(&full), "read differently: {text:?}"),
        Err(e) => panic!("took a file the crate refuses ({e}): {text:?}"),
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_forms_are_read_in_one_pass_as_the_crate_reads_them() {
        let text = "title = \"客服专员\"  # c\r\nn = -3\np = +4\nz = 0\nf = 0.5\ng = -1.25\n\
                    d = 2024-02-17\nb = true\nno = false\nlit = 'C:\\path'\nempty = \"\"\n\
                    arr = [\n  \"x\", # c\n  'y',\n]\nnest = [[1, 2], [], [\"a\"]]\n\
                    [ q ]\nk = 1\n\n[[duties]]\ntitle = \"t\"\ntasks = [\"a\", \"b\"]\n\
                    [[ duties ]] # again\ntitle = \"u\"\n[q2]";
        assert!(agrees(text));
    }

    /// Every TOML file of the fixtures and the sample organization, and thousands of altered
    /// copies (bytes cut, lines repeated, TOML's punctuation inserted): whatever the one-pass
    /// reader takes, it reads as the crate does. Most of the files themselves are taken.
    #[test]
    fn the_one_pass_reader_agrees_with_the_crate_on_every_fixture_and_its_alterations() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["tests/fixtures", "positions"] {
            collect(&root.join(dir), &mut files);
        }
        files.sort();
        assert!(files.len() >= 50, "found {} files", files.len());
        let mut taken = 0;
        let mut altered_taken = 0;
        let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |n: usize| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            (rng % n.max(1) as u64) as usize
        };
        const INSERTS: &[&str] = &[
            "\"",
            "'",
            "[",
            "]",
            "[[",
            "]]",
            "=",
            ",",
            "#",
            "\n",
            "\r\n",
            "\r",
            ".",
            "-",
            "+",
            "_",
            "\\",
            " ",
            "\t",
            "0",
            "1",
            "9",
            "e",
            "T",
            ":",
            "{",
            "}",
            "\u{7f}",
            "\u{1}",
            "\"\"\"",
            "true",
            "2024-02-30",
            "1979-05-27",
            "00",
            "1.",
            ".5",
            "a",
            "客",
        ];
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            if agrees(&text) {
                taken += 1;
            }
            for _ in 0..60 {
                let mut t = text.clone();
                for _ in 0..1 + next(3) {
                    let at = next(t.len() + 1);
                    let at = (0..=at).rev().find(|&i| t.is_char_boundary(i)).unwrap_or(0);
                    match next(3) {
                        0 => t.insert_str(at, INSERTS[next(INSERTS.len())]),
                        1 => {
                            let end = (at + 1 + next(8)).min(t.len());
                            let end = (end..=t.len()).find(|&i| t.is_char_boundary(i)).unwrap();
                            t.replace_range(at..end, "");
                        }
                        _ => {
                            let line_start = t[..at].rfind('\n').map_or(0, |i| i + 1);
                            let line_end = t[at..].find('\n').map_or(t.len(), |i| at + i + 1);
                            let line = t[line_start..line_end].to_string();
                            t.insert_str(line_end, &line);
                        }
                    }
                }
                if agrees(&t) {
                    altered_taken += 1;
                }
            }
        }
        assert!(
            taken * 10 >= files.len() * 7,
            "the one-pass reader took only {taken} of {} files",
            files.len()
        );
        assert!(
            altered_taken > 100,
            "took only {altered_taken} altered files"
        );
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, out);
            } else if path.extension().is_some_and(|e| e == "toml") {
                out.push(path);
            }
        }
    }

    #[test]
    fn other_forms_and_errors_are_left_to_the_crate() {
        for text in [
            "a = \"x\\ty\"",
            "a = \"\"\"x\"\"\"",
            "a = '''x'''",
            "a = { b = 1 }",
            "a.b = 1",
            "\"a\" = 1",
            "[a.b]",
            "a = 1\na = 2",
            "[a]\n[a]",
            "a = 1\n[a]",
            "a = []\n[[a]]",
            "[a]\n[[a]]",
            "a = 1_000",
            "a = 0x1f",
            "a = 007",
            "a = 1e3",
            "a = inf",
            "a = 1979-05-27T07:32:00",
            "a = 1979-05-27 07:32:00",
            "a = 07:32:00",
            "a = 2024-02-30",
            "a = 2024-13-01",
            "a = 1 2",
            "a = \"x\" \"y\"",
            "a = [1 2]",
            "a = [,]",
            "a = 1,",
            "a = \"x\ny\"",
            "a = \"\u{7f}\"",
            "# \u{1} comment",
            "a = 1\rb = 2",
            "\u{feff}a = 1",
            "a = 99999999999999999999",
            "a =",
            "= 1",
            "[a",
            "[[a]",
            "a = [",
            "a = [[[[[[[[[[1]]]]]]]]]]",
        ] {
            assert!(fast::parse(text).is_none(), "taken in one pass: {text:?}");
        }
    }
}
