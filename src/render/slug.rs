//! Position ids -> anchors and file names that can never leave the output folder.
//!
//! Ids are file stems and the format allows letters, digits, `-` and `_`, but a build with
//! `--allow-errors` may meet anything a file system allows. Whatever the id, its slug is one
//! plain path component: no separators, no dots, no device names, not too long, and unique
//! even on a case-insensitive file system.

use std::collections::HashMap;

/// Longest slug before the hash, in characters (file names are limited to 255 bytes).
const MAX_CHARS: usize = 60;

/// Names that must not be used for a page: the split index, and Windows device names.
const RESERVED: &[&str] = &[
    "index", "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Slugs for a set of ids, in the same order: each one a safe, unique file stem and anchor.
pub fn slugs<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = ids.into_iter().map(slug).collect();
    // Two ids that differ only in case would share a file on macOS and Windows.
    let mut seen: HashMap<String, usize> = HashMap::new();
    for s in &out {
        *seen.entry(s.to_lowercase()).or_default() += 1;
    }
    for s in out.iter_mut() {
        if seen[&s.to_lowercase()] > 1 {
            *s = format!("{s}-{:08x}", fnv1a(s));
        }
    }
    out
}

/// The slug of one id: the id itself when it is already safe.
pub fn slug(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .take(MAX_CHARS)
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let changed = cleaned != id;
    let reserved = RESERVED.contains(&cleaned.to_lowercase().as_str());
    if changed || reserved || cleaned.is_empty() {
        format!("{cleaned}-{:08x}", fnv1a(id))
    } else {
        cleaned
    }
}

/// A small stable hash (FNV-1a, 32 bits): the same id gives the same file name on every run.
fn fnv1a(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Component, Path};

    fn is_one_plain_component(name: &str) -> bool {
        let mut c = Path::new(name).components();
        matches!(c.next(), Some(Component::Normal(_))) && c.next().is_none()
    }

    #[test]
    fn safe_ids_are_kept_as_they_are() {
        assert_eq!(slug("cs-manager"), "cs-manager");
        assert_eq!(slug("客服部经理"), "客服部经理");
        assert_eq!(slug("a_b-1"), "a_b-1");
    }

    #[test]
    fn odd_ids_never_leave_the_folder() {
        for id in [
            "..",
            "../../etc/passwd",
            "/abs",
            "a/b",
            "a\\b",
            "C:x",
            ".hidden",
            "",
            "con",
            "INDEX",
            "a b?c#d%e",
            "\u{0}nul",
            &"长".repeat(300),
        ] {
            let s = slug(id);
            let file = format!("{s}.html");
            assert!(is_one_plain_component(&file), "{id:?} -> {file:?}");
            assert!(!s.contains(['.', '/', '\\', ':', ' ']), "{id:?} -> {s:?}");
            assert!(file.len() < 255, "{id:?} -> {} bytes", file.len());
        }
    }

    #[test]
    fn different_ids_get_different_slugs() {
        let s = slugs(["a/b", "a_b", "a?b", "Mgr", "mgr", "index"]);
        let mut lower: Vec<String> = s.iter().map(|x| x.to_lowercase()).collect();
        lower.sort();
        lower.dedup();
        assert_eq!(lower.len(), s.len(), "{s:?}");
        assert_eq!(s[1], "a_b");
    }
}
