//! The first phase of [`super::score`]: each row matched to its position, grouped by period,
//! employee and position, and each of its results matched to a KPI and validated into that
//! group's slot; a result in error is reported at its cell and leaves its group unscored.

use rustc_hash::FxHashMap as HashMap;
use unicode_normalization::UnicodeNormalization;

use super::matching::{
    Found, find_kpi, kpi_list, or_broken, position_problem, show_position, unscorable_help,
};
use super::{
    Broken, DUPLICATE_ROW, IMPLAUSIBLE_VALUE, KPI_UNKNOWN, KPI_UNSCORABLE, PERIOD,
    POSITION_UNKNOWN, Rule, Run, TWO_POSITIONS, VALUE, check_actual, implausible,
};
use crate::diag::Diagnostic;
use crate::kpi::import::{Entry, Field, Number, Row, Value, parse_number, parse_number_text};
use crate::kpi::{Loc, SheetSrc, cell_at};
use crate::model::{Direction, Kpi, Lang, Position, Target};
use crate::util::did_you_mean;
use crate::vocab::Term;

/// Counts a row without a period into its sheet's [`NoPeriod`].
fn no_period_at(sheets: &mut Vec<(u32, NoPeriod)>, row: &Row) {
    let sheet = row.loc.sheet;
    if let Some((_, np)) = sheets.iter_mut().find(|(s, _)| *s == sheet) {
        np.rows += 1;
        return;
    }
    sheets.push((
        sheet,
        NoPeriod {
            first: row.period.as_ref().map_or(row.position.loc, |f| f.loc),
            column: row.period.is_some(),
            rows: 1,
        },
    ));
}

/// One KPI slot of a person: the value given, or the empty cell that should have held it.
#[derive(Debug, Clone, Copy)]
pub(super) enum Slot {
    Value {
        actual: f64,
        loc: Loc,
        target: Option<Target>,
    },
    Empty(Loc),
}

/// The results of one person (or, without an employee column, one position) in one period.
pub(super) struct Group {
    /// The index of the position in [`crate::model::Org::positions`].
    pub(super) position: usize,
    pub(super) employee: Option<String>,
    /// The first 工号 the group's rows give.
    pub(super) employee_id: Option<String>,
    pub(super) period: String,
    /// The position cell of the group's first row.
    pub(super) first: Loc,
    /// Where a missing KPI is reported when it has no cell of its own.
    pub(super) missing_at: Loc,
    /// One per KPI of the position, in its order: `None` where no row gave it.
    pub(super) slots: Vec<Option<Slot>>,
    /// Some result of the group is in error: it is not scored.
    pub(super) broken: bool,
}

/// The bookkeeping of the grouping phase.
#[derive(Default)]
struct Grouping {
    groups: Vec<Group>,
    /// The group of each (period, employee, position).
    index: HashMap<(String, Option<String>, usize), usize>,
    /// The cell of the first result of each (group, KPI), to report a second one.
    seen: HashMap<(usize, usize), Loc>,
    /// The position each position text names, looked up once.
    found: HashMap<String, Option<usize>>,
}

impl Grouping {
    /// The index of the group of `row`, whose position is `pi` and period `period`, made on
    /// first sight.
    fn group_of(&mut self, row: &Row, pi: usize, p: &Position, period: String) -> usize {
        let employee = row
            .employee
            .as_ref()
            .map(|e| e.value.text())
            .filter(|e| !e.is_empty());
        let groups = &mut self.groups;
        let employee_id = row
            .employee_id
            .as_ref()
            .map(|e| e.value.text())
            .filter(|e| !e.is_empty());
        let gkey = (period, employee, pi);
        if let Some(&gi) = self.index.get(&gkey) {
            let g = &mut groups[gi];
            if g.employee_id.is_none() {
                g.employee_id = employee_id;
            }
            return gi;
        }
        let missing_at = row.entries.first().map_or(row.position.loc, |e| {
            if e.kpi.loc.row == row.loc.row {
                e.kpi.loc
            } else {
                row.position.loc
            }
        });
        groups.push(Group {
            position: pi,
            employee: gkey.1.clone(),
            employee_id,
            period: gkey.0.clone(),
            first: row.position.loc,
            missing_at,
            slots: vec![None; p.kpis.len()],
            broken: false,
        });
        self.index.insert(gkey, groups.len() - 1);
        groups.len() - 1
    }
}

/// The rows of one sheet that have no period while `--period` is not given: reported once
/// per sheet (a template filled in without one would otherwise give an error per row).
struct NoPeriod {
    /// The first such row's period cell, or its position cell when the sheet has no period
    /// column.
    first: Loc,
    column: bool,
    rows: usize,
}

impl Run<'_> {
    /// Phase 1: every row matched to its position and group, every result of it read into its
    /// KPI's slot of that group, or reported with its cell and the group marked broken.
    pub(super) fn group_rows(&mut self, rows: &[Row]) -> Vec<Group> {
        let org = self.org;
        let mut g = Grouping::default();
        let mut no_period: Vec<(u32, NoPeriod)> = Vec::new();
        for row in rows {
            let Some(pi) = self.row_position(row, &mut g.found) else {
                continue;
            };
            let p = &org.positions[pi];
            let period = self.row_period(row);
            let gi = g.group_of(row, pi, p, period.clone().unwrap_or_default());
            if period.is_none() {
                g.groups[gi].broken = true;
                no_period_at(&mut no_period, row);
            }
            for entry in &row.entries {
                match self.read_entry(&mut g, gi, pi, entry) {
                    Ok(None) => {}
                    Ok(Some((ki, slot))) => g.groups[gi].slots[ki] = Some(slot),
                    Err(Broken) => g.groups[gi].broken = true,
                }
            }
        }
        for (_, np) in no_period {
            self.no_period_problem(&np);
        }
        self.two_positions(&g.groups);
        g.groups
    }

    /// A person under two positions in one period: a warning at the first cell of the second
    /// position's rows, pointing at the first's (a slip of the position, or a person who
    /// changed position and is scored under both).
    fn two_positions(&mut self, groups: &[Group]) {
        let mut first: HashMap<(&str, &str), usize> = HashMap::default();
        for (gi, g) in groups.iter().enumerate() {
            let Some(who) = g.employee.as_deref() else {
                continue;
            };
            let f = *first.entry((g.period.as_str(), who)).or_insert(gi);
            let f = &groups[f];
            if f.position == g.position {
                continue;
            }
            let positions = &self.org.positions;
            let d = self
                .at(
                    &TWO_POSITIONS,
                    g.first,
                    format!(
                        "{who} is scored under two positions in {}: {} and {}",
                        g.period,
                        show_position(&positions[f.position]),
                        show_position(&positions[g.position])
                    ),
                )
                .related_at(self.cell(f.first), "first position given here")
                .help(TWO_POSITIONS.docs);
            self.problems.push((Some(g.first), d));
        }
    }

    /// A row's period: its own, else `--period`; `None` when it has neither.
    fn row_period(&self, row: &Row) -> Option<String> {
        row.period
            .as_ref()
            .map(|e| e.value.text())
            .filter(|e| !e.is_empty())
            .or_else(|| self.opts.period.clone())
    }

    /// The rows of a sheet without a period: one error, saying how to give one.
    fn no_period_problem(&mut self, np: &NoPeriod) {
        let sheet = &self.sheets[np.first.sheet as usize].sheet;
        let rows = if np.rows == 1 {
            "1 row".to_string()
        } else {
            format!("{} rows", np.rows)
        };
        let (period_zh, period_en) = (Term::Period.text(Lang::Zh), Term::Period.text(Lang::En));
        let msg = if np.column {
            format!(
                "no period: the {period_zh} ({period_en}) cell is blank in {rows} of sheet \"{sheet}\" (the first here), and --period is not given"
            )
        } else {
            format!(
                "no period: sheet \"{sheet}\" has no {period_zh} ({period_en}) column and --period is not given, so its {rows} cannot be scored"
            )
        };
        let d = self.at(&PERIOD, np.first, msg).help(format!(
            "fill in the {period_zh} column (e.g. 2024Q1), or give the period of every row \
                 without one: rolebook score ... --period 2024Q1"
        ));
        self.problems.push((Some(np.first), d));
    }

    /// The position a row names, looked up once per text; a row that names none (or several)
    /// is reported at its position cell.
    fn row_position(
        &mut self,
        row: &Row,
        found: &mut HashMap<String, Option<usize>>,
    ) -> Option<usize> {
        let loc = row.position.loc;
        let ptext = row.position.value.text();
        if ptext.is_empty() {
            let d = self
                .at(&POSITION_UNKNOWN, loc, "this row has no position".into())
                .help("give the position's id, code or title in this cell");
            self.problems.push((Some(loc), d));
            return None;
        }
        let hit = match found.get(&ptext) {
            Some(hit) => *hit,
            None => {
                let hit = match self.positions.find(&ptext) {
                    Found::One(i) => Some(i),
                    _ => None,
                };
                found.insert(ptext.clone(), hit);
                hit
            }
        };
        if hit.is_none() {
            let d = or_broken(
                position_problem(&self.positions, self.org, &ptext, loc, self.sheets),
                &self.opts.broken,
                &ptext,
            );
            self.problems.push((Some(loc), d));
        }
        hit
    }

    /// One result of a row of group `gi` (position `pi`): its KPI, given once, its own target
    /// and its value, each checked. `Ok(None)` for a result that names no KPI and has no value.
    fn read_entry(
        &mut self,
        g: &mut Grouping,
        gi: usize,
        pi: usize,
        entry: &Entry,
    ) -> Result<Option<(usize, Slot)>, Broken> {
        let p = &self.org.positions[pi];
        let Some(ki) = self.entry_kpi(p, entry)? else {
            return Ok(None);
        };
        let kpi = &p.kpis[ki];
        // The duplicate check comes first: the same result twice is wrong even when empty.
        self.first_given(g, gi, p, ki, entry.actual.loc)?;
        let target = self.row_target(kpi, entry.target.as_ref())?;
        if entry.actual.value.is_empty() {
            return Ok(Some((ki, Slot::Empty(entry.actual.loc))));
        }
        let actual = self.actual_value(kpi, &entry.actual)?;
        let rule = self.entry_rule(p, pi, ki, target, entry.actual.loc)?;
        if let Err(msg) = check_actual(kpi, &rule, actual) {
            let d = self.at(&VALUE, entry.actual.loc, msg).help(
                "correct the value; a KPI that can be negative (a growth rate) says so in its \
                 position file with a negative threshold",
            );
            self.problems.push((Some(entry.actual.loc), d));
            return Err(Broken);
        }
        if let Some(msg) = implausible(kpi, &rule, actual) {
            let d = self
                .at(&IMPLAUSIBLE_VALUE, entry.actual.loc, msg)
                .help(IMPLAUSIBLE_VALUE.docs);
            self.problems.push((Some(entry.actual.loc), d));
        }
        Ok(Some((
            ki,
            Slot::Value {
                actual,
                loc: entry.actual.loc,
                target,
            },
        )))
    }

    /// The index of the KPI of `p` a result names. A result with a value but no KPI name, or
    /// naming a KPI `p` does not have, is reported; one with neither is `Ok(None)`.
    fn entry_kpi(&mut self, p: &Position, entry: &Entry) -> Result<Option<usize>, Broken> {
        let kname = entry.kpi.value.text();
        if kname.is_empty() {
            if entry.actual.value.is_empty() {
                return Ok(None);
            }
            let d = self
                .at(
                    &KPI_UNKNOWN,
                    entry.kpi.loc,
                    format!("a result for {} names no KPI", show_position(p)),
                )
                .help(kpi_list(p));
            self.problems.push((Some(entry.kpi.loc), d));
            return Err(Broken);
        }
        if let Some(ki) = find_kpi(p, &kname) {
            return Ok(Some(ki));
        }
        // A summary sheet's column of another position's KPI: blank is "not applicable", and
        // a value is a mistake of this cell, not of the header.
        if entry.by_column && entry.actual.value.is_empty() {
            return Ok(None);
        }
        let names: Vec<&str> = p.kpis.iter().map(|k| k.name.value.as_str()).collect();
        let suggestion = did_you_mean(&kname, &names);
        if entry.by_column {
            let loc = entry.actual.loc;
            let mut prob = self
                .at(
                    &KPI_UNKNOWN,
                    loc,
                    format!(
                        "{} has no KPI \"{kname}\" (this column's header), but the cell holds {}",
                        show_position(p),
                        entry.actual.value.text()
                    ),
                )
                .related_at(self.cell(entry.kpi.loc), "the column's header");
            prob = match suggestion {
                Some(s) => prob.help(format!(
                    "did you mean \"{s}\"? then correct the column's header"
                )),
                None => prob
                    .help(format!(
                        "leave the cell blank: this KPI does not apply to {}",
                        p.title.value
                    ))
                    .help(kpi_list(p)),
            };
            if !self
                .org
                .positions
                .iter()
                .any(|q| find_kpi(q, &kname).is_some())
            {
                prob = prob.help(format!(
                    "no position has a KPI \"{kname}\": a column that holds no results (出勤, \
                     a figure of HR's own) can be deleted from the sheet"
                ));
            }
            self.problems.push((Some(loc), prob));
            return Err(Broken);
        }
        let mut prob = self.at(
            &KPI_UNKNOWN,
            entry.kpi.loc,
            format!("KPI \"{kname}\" is not defined for {}", show_position(p)),
        );
        prob = match suggestion {
            Some(s) => prob.help(format!("did you mean \"{s}\"?")),
            None => prob.help(kpi_list(p)),
        };
        self.problems.push((Some(entry.kpi.loc), prob));
        Err(Broken)
    }

    /// A second result for KPI `ki` of group `gi` is reported, with the cell of the first.
    fn first_given(
        &mut self,
        g: &mut Grouping,
        gi: usize,
        p: &Position,
        ki: usize,
        key_loc: Loc,
    ) -> Result<(), Broken> {
        let dup_key = (gi, ki);
        let Some(first) = g.seen.get(&dup_key) else {
            g.seen.insert(dup_key, key_loc);
            return Ok(());
        };
        let group = &g.groups[gi];
        let who = match &group.employee {
            Some(e) => format!("{e}, "),
            None => String::new(),
        };
        let d = self
            .at(
                &DUPLICATE_ROW,
                key_loc,
                format!(
                    "\"{}\" for {who}{} in {} is given twice",
                    p.kpis[ki].name.value,
                    show_position(p),
                    group.period
                ),
            )
            .related_at(self.cell(*first), "first given here")
            .help("keep one of the two rows");
        self.problems.push((Some(key_loc), d));
        Err(Broken)
    }

    /// A row's own target (目标值), if it gives one: a number, or for a band KPI a range (one
    /// number is the band from it to itself). Text that is neither is reported.
    fn row_target(&mut self, kpi: &Kpi, target: Option<&Field>) -> Result<Option<Target>, Broken> {
        let Some(t) = target.filter(|t| !t.value.is_empty()) else {
            return Ok(None);
        };
        let (unit, pct) = unit_of(kpi);
        let parsed = match kpi.direction.value {
            Direction::Band => match &t.value {
                Value::Text(s) => parse_range(s, unit).map(|(a, b)| Target::Band(a, b)),
                v => parse_number(v, unit).map(|n| Target::Value(n.for_unit(pct))),
            },
            _ => parse_number(&t.value, unit).map(|n| Target::Value(n.for_unit(pct))),
        };
        // One number for a band is the band from it to itself.
        let parsed = match (parsed, kpi.direction.value) {
            (Some(Target::Value(v)), Direction::Band) => Some(Target::Band(v, v)),
            (t, _) => t,
        };
        if parsed.is_some() {
            return Ok(parsed);
        }
        let d = self
            .at(
                &VALUE,
                t.loc,
                format!(
                    "target \"{}\" of \"{}\" is not a number",
                    t.value.text(),
                    kpi.name.value
                ),
            )
            .help(if kpi.direction.value == Direction::Band {
                "write a range such as 25-35, or leave it empty for the position's target"
            } else {
                "write a number such as 90 or 95%, or leave it empty for the position's target"
            });
        self.problems.push((Some(t.loc), d));
        Err(Broken)
    }

    /// The actual value of a result (not empty), as the KPI's unit reads it. A value that is
    /// not a number is reported, except a formula without a saved value (the importer's).
    fn actual_value(&mut self, kpi: &Kpi, f: &Field) -> Result<f64, Broken> {
        let (unit, pct) = unit_of(kpi);
        let Some(n) = actual_number(f, unit) else {
            if !matches!(f.value, Value::Unsaved(_)) {
                self.problems
                    .push((Some(f.loc), value_problem(f, kpi, self.sheets)));
            }
            return Err(Broken);
        };
        Ok(n.for_unit(pct))
    }

    /// The rule that scores KPI `ki` of position `pi` (with the row's own `target`, if any). A
    /// definition that cannot be scored is reported at `loc`: once per KPI, or for each row
    /// with its own target.
    fn entry_rule(
        &mut self,
        p: &Position,
        pi: usize,
        ki: usize,
        target: Option<Target>,
        loc: Loc,
    ) -> Result<Rule, Broken> {
        let f = match self.rule(pi, ki, target) {
            Ok(r) => return Ok(r),
            Err(f) => f,
        };
        if target.is_some() || self.rule_errors.insert((pi, ki)) {
            let d = self
                .at(
                    &KPI_UNSCORABLE,
                    loc,
                    format!("{}, so {} cannot be scored", f.message, show_position(p)),
                )
                .position(&p.id)
                .help(f.help)
                .help(unscorable_help(p, f.rule));
            self.problems.push((Some(loc), d));
        }
        Err(Broken)
    }
}

/// A KPI's unit, and whether it is `%` (values are then read as fractions).
fn unit_of(kpi: &Kpi) -> (Option<&str>, bool) {
    let unit = kpi.unit.as_ref().map(|u| u.value.as_str());
    (unit, unit.is_some_and(|u| u.trim() == "%"))
}

/// A row's range target: `25-35`, `25~35`, `[25, 35]`, `25至35`.
pub(super) fn parse_range(text: &str, unit: Option<&str>) -> Option<(f64, f64)> {
    let s: String = text.nfkc().collect();
    let s = s
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim();
    for sep in ["~", "–", "—", "至", ","] {
        if let Some((a, b)) = s.split_once(sep) {
            let a = parse_number_text(a, unit)?;
            let b = parse_number_text(b, unit)?;
            return Some((a.shown, b.shown));
        }
    }
    // A dash between two numbers (not the sign of the first).
    let idx = s.char_indices().skip(1).find(|(_, c)| *c == '-')?.0;
    let a = parse_number_text(&s[..idx], unit)?;
    let b = parse_number_text(&s[idx + 1..], unit)?;
    Some((a.shown, b.shown))
}

fn actual_number(f: &Field, unit: Option<&str>) -> Option<Number> {
    parse_number(&f.value, unit)
}

/// The problem of a result that is not a number (text, a date, an error, TRUE or FALSE).
fn value_problem(f: &Field, kpi: &Kpi, sheets: &[SheetSrc]) -> Diagnostic {
    let src = &sheets[f.loc.sheet as usize];
    let what = match &f.value {
        Value::Date(d) => format!("a date ({d})"),
        Value::Error(e) => format!("the error {e}"),
        Value::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_string(),
        v => format!("\"{}\"", v.text()),
    };
    VALUE
        .located(
            cell_at(src, f.loc),
            format!(
                "the result for \"{}\" is {what}, not a number",
                kpi.name.value
            ),
        )
        .help("write a number such as 95, 95% or 1,234.5")
}
