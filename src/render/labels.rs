//! The handbook's labels as templates see them (`{{ labels.summary }}`): the texts of
//! [`crate::vocab`]'s terms in the organization's language, gathered in one struct.

use serde::Serialize;

use crate::model::{Education, Lang};
use crate::vocab::{self, Term};

/// Every label a template may show (`{{ labels.summary }}`).
#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    /// The language the texts are in.
    #[serde(skip)]
    pub language: Lang,
    /// The HTML language tag.
    pub lang: &'static str,
    pub form: &'static str,
    pub title: &'static str,
    pub code: &'static str,
    pub department: &'static str,
    pub headcount: &'static str,
    pub reports_to: &'static str,
    pub pay_grade: &'static str,
    pub direct_reports: &'static str,
    pub pay_type: &'static str,
    pub staff_supervised: &'static str,
    pub analysis_date: &'static str,
    pub summary: &'static str,
    pub duties: &'static str,
    pub duty_title: &'static str,
    pub tasks: &'static str,
    pub assessment: &'static str,
    pub duty_kpis: &'static str,
    pub authorities: &'static str,
    pub relations: &'static str,
    pub internal: &'static str,
    pub external: &'static str,
    pub qualifications: &'static str,
    pub education: &'static str,
    pub majors: &'static str,
    pub training: &'static str,
    pub experience: &'static str,
    pub knowledge: &'static str,
    pub skills: &'static str,
    pub traits: &'static str,
    pub conditions: &'static str,
    pub tools: &'static str,
    pub environment: &'static str,
    pub hours: &'static str,
    pub records: &'static str,
    pub kpis: &'static str,
    pub kpi_name: &'static str,
    pub kpi_weight: &'static str,
    pub kpi_target: &'static str,
    pub kpi_unit: &'static str,
    pub notes: &'static str,
    pub level: &'static str,
    pub handbook_title: &'static str,
    pub contents: &'static str,
    pub chart: &'static str,
    pub code_index: &'static str,
    pub no_code: &'static str,
    pub date: &'static str,
    pub positions: &'static str,
    pub edition_internal: &'static str,
    pub edition_public: &'static str,
    pub external_superior: &'static str,
    pub back: &'static str,
    pub separator: &'static str,
}

pub const ZH: Labels = Labels::of_lang(Lang::Zh);
pub const EN: Labels = Labels::of_lang(Lang::En);

impl Labels {
    pub fn of(lang: Lang) -> &'static Labels {
        match lang {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// The labels of `lang`, each the text of its [`Term`].
    const fn of_lang(lang: Lang) -> Labels {
        Labels {
            language: lang,
            lang: vocab::lang_tag(lang),
            form: Term::Form.text(lang),
            title: Term::PositionTitle.text(lang),
            code: Term::PositionCode.text(lang),
            department: Term::Department.text(lang),
            headcount: Term::Headcount.text(lang),
            reports_to: Term::ReportsTo.text(lang),
            pay_grade: Term::PayGrade.text(lang),
            direct_reports: Term::DirectReports.text(lang),
            pay_type: Term::PayType.text(lang),
            staff_supervised: Term::StaffSupervised.text(lang),
            analysis_date: Term::AnalysisDate.text(lang),
            summary: Term::Purpose.text(lang),
            duties: Term::Duties.text(lang),
            duty_title: Term::DutyTitle.text(lang),
            tasks: Term::Tasks.text(lang),
            assessment: Term::Assessment.text(lang),
            duty_kpis: Term::DutyKpis.text(lang),
            authorities: Term::Authorities.text(lang),
            relations: Term::Relations.text(lang),
            internal: Term::InternalRelations.text(lang),
            external: Term::ExternalRelations.text(lang),
            qualifications: Term::Qualifications.text(lang),
            education: Term::Education.text(lang),
            majors: Term::Majors.text(lang),
            training: Term::Training.text(lang),
            experience: Term::Experience.text(lang),
            knowledge: Term::Knowledge.text(lang),
            skills: Term::Skills.text(lang),
            traits: Term::Traits.text(lang),
            conditions: Term::Conditions.text(lang),
            tools: Term::Tools.text(lang),
            environment: Term::Environment.text(lang),
            hours: Term::Hours.text(lang),
            records: Term::Records.text(lang),
            kpis: Term::Kpis.text(lang),
            kpi_name: Term::KpiName.text(lang),
            kpi_weight: Term::Weight.text(lang),
            kpi_target: Term::Target.text(lang),
            kpi_unit: Term::Unit.text(lang),
            notes: Term::Notes.text(lang),
            level: Term::Level.text(lang),
            handbook_title: Term::HandbookTitle.text(lang),
            contents: Term::Contents.text(lang),
            chart: Term::Chart.text(lang),
            code_index: Term::CodeIndex.text(lang),
            no_code: Term::NoCode.text(lang),
            date: Term::Date.text(lang),
            positions: Term::PositionCount.text(lang),
            edition_internal: Term::EditionInternal.text(lang),
            edition_public: Term::EditionPublic.text(lang),
            external_superior: Term::ExternalSuperior.text(lang),
            back: Term::BackToContents.text(lang),
            separator: Term::ListSeparator.text(lang),
        }
    }

    /// 职责一, 职责二, … / Duty 1, Duty 2, …
    pub fn duty_number(&self, n: usize) -> String {
        vocab::duty_number(self.language, n)
    }

    /// The heading above a form: 客服部经理职务说明书 / Position description: …
    pub fn form_heading(&self, title: &str) -> String {
        vocab::form_heading(self.language, title)
    }

    /// 教育水平 as a minimum: 本科及以上 / Bachelor's degree or above.
    pub fn education(&self, e: Education) -> String {
        vocab::education(self.language, e)
    }

    /// 经验 from the numbers, when no text is given.
    pub fn experience(&self, years: Option<&str>, management: Option<&str>) -> Option<String> {
        vocab::experience(self.language, years, management)
    }

    /// A page's footer, `{page}` and `{total}` replaced by the writer.
    pub fn page_footer(&self) -> &'static str {
        Term::PageFooter.text(self.language)
    }

    /// After a label run into its value: 相关指标：… / KPIs: …
    pub fn colon(&self) -> &'static str {
        Term::Colon.text(self.language)
    }

    /// After a list cut short: 等（共 N 个岗位） / … (N positions in all).
    pub fn more_positions(&self, total: usize) -> String {
        vocab::and_more(self.language, total)
    }

    /// A cover date: 2024年1月22日 / 2024-01-22.
    pub fn date(&self, d: crate::model::Date) -> String {
        vocab::date(self.language, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_the_vocabulary_texts() {
        assert_eq!(ZH.title, "岗位名称");
        assert_eq!(EN.kpi_weight, "Weight");
        assert_eq!(Labels::of(Lang::En).lang, "en");
        assert_eq!(ZH.duty_number(2), "职责二");
        assert_eq!(EN.duty_number(2), "Duty 2");
    }
}
