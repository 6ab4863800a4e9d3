//! "Did you mean": the known name closest to a misspelt one (a TOML key, a level, a
//! position id, a KPI name in a workbook).

/// The closest known name, when it is close enough to be a typo.
pub fn did_you_mean<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    let key_l = key.to_lowercase();
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&key_l, &k.to_lowercase()), *k))
        .filter(|(d, k)| *d <= (k.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let known = ["title", "department", "summary"];
        assert_eq!(did_you_mean("titel", &known), Some("title"));
        assert_eq!(did_you_mean("departmnet", &known), Some("department"));
        assert_eq!(did_you_mean("colour", &known), None);
    }
}
