//! `scores.json` (and `score --format json`): the scorecards with unrounded numbers, the
//! calibration, and every problem.

use std::io::{self, Write};

use serde::Serialize;

use crate::kpi::score::calibration::Calibration;
use crate::kpi::score::{Scorecard, Scored};

#[derive(Serialize)]
struct JsonProblem<'a> {
    code: &'a str,
    severity: &'a str,
    file: Option<&'a str>,
    sheet: Option<&'a str>,
    cell: Option<&'a str>,
    message: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    help: &'a Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<String>,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    version: u32,
    scorecards: &'a [Scorecard],
    calibration: &'a Calibration,
    problems: Vec<JsonProblem<'a>>,
}

/// `scores.json` and `--format json`: unrounded numbers; `scorecards` is empty when there
/// are errors and `partial` is off.
pub fn json(scored: &Scored, partial: bool) -> String {
    let mut out = Vec::new();
    // Writing into memory fails only on a value serde_json cannot write (never here).
    if write_json(scored, partial, &mut out).is_err() {
        return "{}\n".into();
    }
    String::from_utf8(out).unwrap_or_else(|_| "{}\n".into())
}

/// [`json`], streamed to `w`.
pub fn write_json(scored: &Scored, partial: bool, mut w: impl Write) -> io::Result<()> {
    let empty = Calibration::default();
    let (cards, calibration): (&[Scorecard], _) = if scored.errors() > 0 && !partial {
        (&[], &empty)
    } else {
        (&scored.scorecards, &scored.calibration)
    };
    let out = JsonOut {
        version: 1,
        scorecards: cards,
        calibration,
        problems: scored
            .problems
            .iter()
            .map(|p| JsonProblem {
                code: p.code,
                severity: p.severity.as_str(),
                file: p.at.file_name(),
                sheet: p.at.cell().map(|c| c.sheet.as_str()),
                cell: p.at.cell().map(|c| c.cell.as_str()),
                message: &p.message,
                help: &p.help,
                related: p
                    .related
                    .iter()
                    .filter_map(|r| Some(format!("{}: {}", r.at.place(None)?, r.message)))
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut w, &out)?;
    w.write_all(b"\n")
}
