//! The education scale of 任职资格: 高中 < 中专 < 大专 < 本科 < 硕士 < 博士.

/// 教育水平, ordered lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Education {
    HighSchool,
    Vocational,
    Associate,
    Bachelor,
    Master,
    Doctorate,
}

const NAMES: [(Education, &str, &str); 6] = [
    (Education::HighSchool, "高中", "high-school"),
    (Education::Vocational, "中专", "vocational"),
    (Education::Associate, "大专", "associate"),
    (Education::Bachelor, "本科", "bachelor"),
    (Education::Master, "硕士", "master"),
    (Education::Doctorate, "博士", "doctorate"),
];

impl Education {
    /// The scale, lowest first.
    pub const ALL: [Education; 6] = [
        Education::HighSchool,
        Education::Vocational,
        Education::Associate,
        Education::Bachelor,
        Education::Master,
        Education::Doctorate,
    ];

    /// Every accepted spelling, for error messages.
    pub const ACCEPTED: &'static str = "高中, 中专, 大专 (专科), 本科, 硕士, 博士 or high-school, vocational, associate, bachelor, master, doctorate";

    /// Reads a name of the scale. Exact names (Chinese or English, and 专科) are accepted, and so
    /// are phrases as forms write them that contain exactly one of them ("大学本科以上").
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let lower = s.to_ascii_lowercase();
        if let Some((e, _, _)) = NAMES.iter().find(|(_, zh, en)| *zh == s || *en == lower) {
            return Some(*e);
        }
        let mut found: Vec<Education> = NAMES
            .iter()
            .filter(|(_, zh, _)| s.contains(zh))
            .map(|(e, _, _)| *e)
            .collect();
        if s.contains("专科") {
            found.push(Education::Associate);
        }
        if s.contains("研究生") && !s.contains("博士") {
            found.push(Education::Master);
        }
        found.sort();
        found.dedup();
        match found.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    pub fn zh(self) -> &'static str {
        NAMES[self as usize].1
    }

    pub fn en(self) -> &'static str {
        NAMES[self as usize].2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_aliases_and_form_phrases() {
        assert_eq!(Education::parse("本科"), Some(Education::Bachelor));
        assert_eq!(Education::parse("Bachelor"), Some(Education::Bachelor));
        assert_eq!(Education::parse("专科"), Some(Education::Associate));
        assert_eq!(Education::parse("大学专科以上"), Some(Education::Associate));
        assert_eq!(Education::parse("大学本科以上"), Some(Education::Bachelor));
        assert_eq!(Education::parse("本科或硕士"), None);
        assert_eq!(Education::parse("小学"), None);
        assert!(Education::HighSchool < Education::Doctorate);
    }
}
