//! `kpi-template --roster`: the people to write the template for, read from a workbook or CSV
//! file with a 姓名 column, a position column (岗位编号, a position's id, `code` or unique
//! title) and optionally 工号, under the same header names `score` reads (the vocabulary's,
//! either language).
//!
//! Every problem is a finding at its cell (`people.csv › people!B4`), all of them at once: a
//! position that is unknown or a title two positions share (with a did-you-mean, as `score`
//! says it), a row without a name, a person listed twice for one position.

use std::path::Path;

use rustc_hash::FxHashMap as HashMap;

use crate::check::Rule;
use crate::diag::{Diagnostic, Location, Severity};
use crate::kpi::import::{RawRow, RawSheet, Role, names_term, read_table, role_of};
use crate::kpi::score::POSITION_UNKNOWN;
use crate::kpi::score::matching::{Found, Positions, position_problem, show_position};
use crate::kpi::{Loc, SheetSrc, cell_at};
use crate::model::{Lang, Org};
use crate::vocab::Term;

pub const ROSTER: Rule = Rule::new(
    "roster",
    Severity::Error,
    "the roster of `kpi-template --roster` has no 姓名 or no position column, a row without a name, or a person listed twice for one position",
    "give each person one row with a 姓名 and a position (岗位编号: an id, `code` or unique title)",
)
.fixed()
.of_score();

/// One person of the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    /// 工号, when the roster has that column and the cell is filled in.
    pub employee_id: Option<String>,
    /// The index of the position in [`Org::positions`].
    pub position: usize,
}

/// The people of a roster, in its order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    pub people: Vec<Person>,
}

/// The columns of a roster sheet.
struct Columns {
    /// Index into the sheet's rows where the people start.
    data_start: usize,
    name: u32,
    position: u32,
    employee_id: Option<u32>,
}

/// A roster's header: in the first rows, the first with a 姓名 and a position column.
fn find_columns(sheet: &RawSheet) -> Option<Columns> {
    sheet.rows.iter().take(10).enumerate().find_map(|(i, row)| {
        let col = |want: &dyn Fn(&str) -> bool| {
            row.cells
                .iter()
                .find(|(_, v)| want(&v.text()))
                .map(|(c, _)| *c)
        };
        Some(Columns {
            data_start: i + 1,
            name: col(&|t| role_of(t) == Some(Role::Employee))?,
            position: col(&|t| role_of(t) == Some(Role::Position))?,
            employee_id: col(&|t| names_term(t, Term::EmployeeId)),
        })
    })
}

/// Reads the roster at `path` (`display` as the user wrote it) against the organization's
/// positions; `Err` holds every problem found.
pub fn read(org: &Org, path: &Path, display: &str) -> Result<Roster, Vec<Diagnostic>> {
    let raw = read_table(path, display)?;
    let mut reader = Reader {
        org,
        positions: Positions::new(org),
        sheets: Vec::new(),
        roster: Roster::default(),
        seen: HashMap::default(),
        problems: Vec::new(),
    };
    let mut headed = 0;
    for sheet in raw.iter().filter(|s| !s.rows.is_empty()) {
        let Some(cols) = find_columns(sheet) else {
            continue;
        };
        headed += 1;
        let id = reader.sheets.len() as u32;
        reader.sheets.push(SheetSrc {
            file: display.to_string(),
            sheet: sheet.name.clone(),
        });
        for row in &sheet.rows[cols.data_start..] {
            reader.person(id, row, &cols);
        }
    }
    if headed == 0 {
        return Err(vec![no_header(&raw, display)]);
    }
    if reader.problems.is_empty() {
        Ok(reader.roster)
    } else {
        Err(reader.problems)
    }
}

/// The problem of a roster none of whose sheets has the columns.
fn no_header(raw: &[RawSheet], display: &str) -> Diagnostic {
    let both = |t: Term| format!("{} ({})", t.text(Lang::Zh), t.text(Lang::En));
    let first = raw.iter().find_map(|s| s.rows.first().map(|r| (s, r)));
    let help = format!(
        "the first row names the columns: {}, {} (or {}), and optionally {}",
        both(Term::Employee),
        both(Term::PositionId),
        both(Term::PositionTitle),
        both(Term::EmployeeId)
    );
    let Some((sheet, row)) = first else {
        return ROSTER
            .located(
                Location::File(display.to_string()),
                format!("the roster `{display}` is empty"),
            )
            .help(help);
    };
    let found: Vec<String> = row
        .cells
        .iter()
        .map(|(_, v)| format!("\"{}\"", v.text()))
        .collect();
    let src = SheetSrc {
        file: display.to_string(),
        sheet: sheet.name.clone(),
    };
    let loc = Loc {
        sheet: 0,
        row: row.row,
        col: row.cells.first().map_or(0, |c| c.0),
    };
    ROSTER
        .located(
            cell_at(&src, loc),
            format!(
                "the roster has no header with a name and a position column; found {}",
                found.join(", ")
            ),
        )
        .help(help)
}

/// The reading of one roster: the people so far and the problems.
struct Reader<'a> {
    org: &'a Org,
    positions: Positions<'a>,
    sheets: Vec<SheetSrc>,
    roster: Roster,
    /// The name cell of each (name, position) seen, to report a second one.
    seen: HashMap<(String, usize), Loc>,
    problems: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn at(&self, loc: Loc) -> Location {
        cell_at(&self.sheets[loc.sheet as usize], loc)
    }

    /// One row of sheet `id`: a person, or its problems; an empty row is skipped.
    fn person(&mut self, id: u32, row: &RawRow, cols: &Columns) {
        let loc = |col| Loc {
            sheet: id,
            row: row.row,
            col,
        };
        let text = |col| row.get(col).map(|v| v.text()).unwrap_or_default();
        let (name, ptext) = (text(cols.name), text(cols.position));
        let employee_id = cols.employee_id.map(text).filter(|t| !t.is_empty());
        if name.is_empty() && ptext.is_empty() && employee_id.is_none() {
            return;
        }
        let position = if ptext.is_empty() {
            let d = POSITION_UNKNOWN
                .located(
                    self.at(loc(cols.position)),
                    format!(
                        "{} has no position",
                        if name.is_empty() { "this row" } else { &name }
                    ),
                )
                .help("give the position's id (岗位编号), code or title in this cell");
            self.problems.push(d);
            None
        } else {
            match self.positions.find(&ptext) {
                Found::One(i) => Some(i),
                _ => {
                    let d = position_problem(
                        &self.positions,
                        self.org,
                        &ptext,
                        loc(cols.position),
                        &self.sheets,
                    );
                    self.problems.push(d);
                    None
                }
            }
        };
        if name.is_empty() {
            let d = ROSTER
                .located(
                    self.at(loc(cols.name)),
                    "this row of the roster has no name",
                )
                .help("write the person's name, or delete the row");
            self.problems.push(d);
            return;
        }
        let Some(position) = position else {
            return;
        };
        let key = (name.clone(), position);
        if let Some(&first) = self.seen.get(&key) {
            let d = ROSTER
                .located(
                    self.at(loc(cols.name)),
                    format!(
                        "{name} is listed twice for {}",
                        show_position(&self.org.positions[position])
                    ),
                )
                .related_at(self.at(first), "first listed here")
                .help(
                    "keep one of the two rows; two people of one name in one position need \
                     names told apart (score matches results by name), e.g. 张三 (1024)",
                );
            self.problems.push(d);
            return;
        }
        self.seen.insert(key, loc(cols.name));
        self.roster.people.push(Person {
            name,
            employee_id,
            position,
        });
    }
}
