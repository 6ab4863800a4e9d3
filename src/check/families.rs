//! Job families: the same role in parallel departments (a head office and its branches from
//! one template). Their identical duties are intended; `duplicate-duty` leaves them alone and
//! `family-template` says once per family that a shared template would keep them in step.
//!
//! A family is the positions with the same level whose titles are equal once a branch prefix
//! is cut: 华东客服专员, 华东分公司客服专员, 华东区客服专员 and 客服专员 are one role;
//! 客服专员 and 仓储专员 are not, nor 客服部经理 and 仓储部经理 (a department word is the
//! role, not a prefix).

use rustc_hash::FxHashMap as HashMap;

use super::Rule;
use crate::diag::Severity;
use crate::model::{Org, Position};

pub const FAMILY_TEMPLATE: Rule = Rule::new(
    "family-template",
    Severity::Info,
    "positions of one job family (the same title, or the same title but for a branch prefix such as 华东 or 华东分公司, at the same level) share duties word for word or nearly: intended, so not `duplicate-duty`; said once per family",
    "keep the family's shared duties in one template so the copies cannot drift apart",
);

/// Words that end a branch prefix: 华东分公司|客服专员.
const BRANCH_MARKERS: &[&str] = &[
    "分公司",
    "子公司",
    "分部",
    "办事处",
    "分中心",
    "分厂",
    "分院",
    "分行",
    "支行",
    "分店",
];

/// Regions and cities that start a title as a branch prefix: 华东|客服专员.
const REGIONS: &[&str] = &[
    "华东", "华南", "华北", "华中", "华西", "西南", "西北", "东北", "东南", "总部", "北京", "上海",
    "天津", "重庆", "广州", "深圳", "杭州", "南京", "苏州", "成都", "武汉", "西安", "长沙", "郑州",
    "青岛", "厦门", "沈阳", "大连", "济南", "合肥", "福州", "昆明",
];

/// What may follow a region in a prefix: 华东|区, 华东|大区.
const REGION_TAILS: &[&str] = &["大区", "地区", "片区", "区域", "区"];

/// The title without its branch prefix: 华东分公司客服部经理 -> 客服部经理. A title that
/// would keep fewer than two characters is kept whole.
pub fn role_title(title: &str) -> &str {
    let title = title.trim();
    let mut rest = title;
    if let Some((i, m)) = last_branch_marker(rest) {
        rest = &rest[i + m.len()..];
    } else if let Some(r) = REGIONS.iter().find_map(|r| rest.strip_prefix(r)) {
        rest = REGION_TAILS
            .iter()
            .find_map(|t| r.strip_prefix(t))
            .unwrap_or(r);
    }
    if rest.chars().count() >= 2 {
        rest
    } else {
        title
    }
}

/// The branch marker that starts last in `title`, and where. One walk from the right, looking
/// only where a marker's first character stands, instead of a substring search per marker
/// (this runs for every name in every text). No marker is a prefix of another, so at most
/// one starts at any place.
fn last_branch_marker(title: &str) -> Option<(usize, &'static str)> {
    title.char_indices().rev().find_map(|(i, c)| {
        if !matches!(c, '分' | '子' | '办' | '支') {
            return None;
        }
        BRANCH_MARKERS
            .iter()
            .find(|m| title[i..].starts_with(*m))
            .map(|m| (i, *m))
    })
}

/// The role of every position: positions with the same role are one family.
pub struct Families {
    /// Per position (index into `org.positions`), its role.
    pub role: Vec<usize>,
    /// Per role, its positions in file order.
    pub members: Vec<Vec<usize>>,
}

impl Families {
    pub fn new(org: &Org) -> Families {
        let mut ids: HashMap<(&str, Option<usize>), usize> = HashMap::default();
        let mut role = Vec::with_capacity(org.positions.len());
        let mut members: Vec<Vec<usize>> = Vec::new();
        for (i, p) in org.positions.iter().enumerate() {
            let key = (role_title(&p.title.value), p.level_index);
            let next = members.len();
            let r = *ids.entry(key).or_insert(next);
            if r == next {
                members.push(Vec::new());
            }
            members[r].push(i);
            role.push(r);
        }
        Families { role, members }
    }

    /// Whether the role has more than one position.
    pub fn is_family(&self, role: usize) -> bool {
        self.members[role].len() > 1
    }
}

/// `华东客服专员 (east-cs-specialist)`.
pub fn who(p: &Position) -> String {
    format!("{} ({})", p.title.value, p.id)
}

#[cfg(test)]
mod tests {
    use super::{BRANCH_MARKERS, last_branch_marker, role_title};

    /// The walk looks only at the markers' first characters: a marker added with another
    /// first character must be added there too.
    #[test]
    fn every_branch_marker_is_found_the_last_one_wins() {
        for m in BRANCH_MARKERS {
            let title = format!("华东{m}客服专员");
            assert_eq!(last_branch_marker(&title), Some(("华东".len(), *m)), "{m}");
        }
        assert_eq!(
            last_branch_marker("上海分公司浦东办事处客服专员"),
            Some(("上海分公司浦东".len(), "办事处"))
        );
        assert_eq!(last_branch_marker("客服专员"), None);
    }

    #[test]
    fn branch_prefixes_are_cut_department_words_are_not() {
        assert_eq!(role_title("华东分公司客服部经理"), "客服部经理");
        assert_eq!(role_title("华东客服专员"), "客服专员");
        assert_eq!(role_title("华南区客服专员"), "客服专员");
        assert_eq!(role_title("上海办事处销售代表"), "销售代表");
        assert_eq!(role_title("客服专员"), "客服专员");
        assert_eq!(role_title("仓储部经理"), "仓储部经理");
        // A region that is the whole role stays.
        assert_eq!(role_title("华东区"), "华东区");
    }
}
