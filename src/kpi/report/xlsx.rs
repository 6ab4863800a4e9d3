//! `scores.xlsx`: details, totals and skipped-rows sheets, streamed in constant memory.

use std::io::{self, Write};
use std::path::Path;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::view::flag_words;
use super::{direction_label, figure, labels, share, skipped, target_text};
use crate::diag::Diagnostic;
use crate::kpi::score::Scored;
use crate::kpi::score::calibration::Group;
use crate::model::Lang;
use crate::vocab::Term;

fn header(ws: &mut Worksheet, cols: &[&str], widths: &[f64], f: &Format) -> Result<(), XlsxError> {
    for (i, h) in cols.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, f)?;
        ws.set_column_width(i as u16, widths.get(i).copied().unwrap_or(12.0))?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// `scores.xlsx`: a details sheet (one row per person and KPI), a totals sheet (one row per
/// person), the 校准 sheet (calibration by department and by rater), and with `--partial` a
/// sheet of skipped rows; numbers are numbers rounded as the HTML shows them, the header is
/// frozen and filtered.
pub fn xlsx(scored: &Scored, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut out = io::Cursor::new(Vec::new());
    write_xlsx(scored, lang, None, &mut out)?;
    Ok(out.into_inner())
}

/// [`xlsx`], written to `w`. The two large sheets are in rust_xlsxwriter's constant-memory
/// mode: each row goes to a temporary file (in `tempdir`, else the system's) as soon as the
/// next one starts, and strings are stored in their cells rather than in a shared table, so
/// a run of any size holds one row in memory instead of every cell.
pub fn write_xlsx<W: Write + Send>(
    scored: &Scored,
    lang: Lang,
    tempdir: Option<&Path>,
    w: W,
) -> Result<(), XlsxError> {
    let l = labels(lang);
    let mut wb = Workbook::new();
    if let Some(dir) = tempdir {
        wb.set_tempdir(dir)?;
    }
    // Fast compression: the file is a little larger, written several times faster.
    wb.set_zip_compression_level(1);
    let head = Format::new()
        .set_bold()
        .set_background_color(0xDCE6F1)
        .set_align(FormatAlign::Center);
    let two = Format::new().set_num_format("0.00");
    let pct = Format::new().set_num_format("0.00%");

    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name(l.details_sheet)?;
    // Department, total and grade are on the totals sheet: not repeated on every KPI row.
    let cols = [
        l.position_id,
        l.position,
        l.employee,
        l.period,
        l.kpi,
        l.unit,
        l.direction,
        l.weight,
        l.target,
        l.threshold,
        l.actual,
        l.achievement,
        l.score,
        l.note,
    ];
    header(
        ws,
        &cols,
        &[
            16.0, 14.0, 10.0, 10.0, 18.0, 6.0, 10.0, 8.0, 10.0, 8.0, 10.0, 10.0, 8.0, 10.0,
        ],
        &head,
    )?;
    // Column formats, which the numbers written without one adopt: cheaper than a format per
    // cell (each one is hashed) in a sheet of a hundred thousand rows.
    ws.set_column_format(11, &pct)?;
    ws.set_column_format(12, &two)?;
    let mut r = 1u32;
    for c in &scored.scorecards {
        for k in &c.kpis {
            ws.write_string(r, 0, &c.position)?;
            ws.write_string(r, 1, &c.title)?;
            if let Some(e) = &c.employee {
                ws.write_string(r, 2, e)?;
            }
            ws.write_string(r, 3, &c.period)?;
            ws.write_string(r, 4, &k.name)?;
            if let Some(u) = &k.unit {
                ws.write_string(r, 5, u)?;
            }
            ws.write_string(r, 6, direction_label(k.direction, lang))?;
            ws.write_number(r, 7, figure(k.weight))?;
            match &k.target {
                serde_json::Value::Number(n) => {
                    ws.write_number(r, 8, figure(n.as_f64().unwrap_or(0.0)))?;
                }
                serde_json::Value::Array(_) => {
                    ws.write_string(r, 8, target_text(k))?;
                }
                _ => {}
            }
            ws.write_number(r, 9, figure(k.threshold))?;
            if let Some(a) = k.actual {
                ws.write_number(r, 10, figure(a))?;
            }
            ws.write_number(r, 11, share(k.achievement))?;
            ws.write_number(r, 12, figure(k.score))?;
            if k.missing {
                ws.write_string(r, 13, l.no_data)?;
            }
            r += 1;
        }
    }
    ws.autofilter(0, 0, r.saturating_sub(1).max(1), cols.len() as u16 - 1)?;

    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name(l.totals_sheet)?;
    let cols = [
        l.rank,
        l.position_id,
        l.position,
        l.department,
        l.employee,
        l.period,
        l.total,
        l.grade,
    ];
    header(
        ws,
        &cols,
        &[6.0, 16.0, 14.0, 10.0, 10.0, 10.0, 8.0, 8.0],
        &head,
    )?;
    ws.set_column_format(6, &two)?;
    for (i, c) in scored.scorecards.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, r as f64)?;
        ws.write_string(r, 1, &c.position)?;
        ws.write_string(r, 2, &c.title)?;
        ws.write_string(r, 3, &c.department)?;
        if let Some(e) = &c.employee {
            ws.write_string(r, 4, e)?;
        }
        ws.write_string(r, 5, &c.period)?;
        ws.write_number(r, 6, figure(c.total))?;
        if let Some(g) = &c.grade {
            ws.write_string(r, 7, g)?;
        }
    }
    ws.autofilter(
        0,
        0,
        (scored.scorecards.len() as u32).max(1),
        cols.len() as u16 - 1,
    )?;

    calibration_sheet(&mut wb, scored, lang, &head, &two)?;

    let skipped: Vec<&Diagnostic> = skipped(scored).collect();
    if !skipped.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(l.skipped_sheet)?;
        let cols = [l.place, l.code, l.message];
        header(ws, &cols, &[30.0, 18.0, 80.0], &head)?;
        for (i, p) in skipped.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, p.place().unwrap_or_default())?;
            ws.write_string(r, 1, p.code)?;
            ws.write_string(r, 2, &p.message)?;
        }
        ws.autofilter(0, 0, skipped.len() as u32, 2)?;
    }
    wb.save_to_writer(w)
}

/// The 校准 sheet: the company, then each department, then each rater: count, mean, standard
/// deviation, the people in each grade, and the flags in words.
fn calibration_sheet(
    wb: &mut Workbook,
    scored: &Scored,
    lang: Lang,
    head: &Format,
    two: &Format,
) -> Result<(), XlsxError> {
    let l = labels(lang);
    let cal = &scored.calibration;
    let ws = wb.add_worksheet();
    ws.set_name(l.calibration)?;
    let mut cols = vec![
        l.calibration,
        l.department,
        l.rater,
        l.position_id,
        l.count,
        l.mean,
        l.stdev,
    ];
    let grades: Vec<&str> = scored
        .scoring
        .bands
        .iter()
        .map(|b| b.label.as_str())
        .collect();
    cols.extend(&grades);
    cols.push(l.flag);
    let mut widths = vec![16.0, 12.0, 14.0, 16.0, 6.0, 8.0, 8.0];
    widths.extend(std::iter::repeat_n(7.0, grades.len()));
    widths.push(30.0);
    header(ws, &cols, &widths, head)?;
    ws.set_column_format(5, two)?;
    ws.set_column_format(6, two)?;
    let company = Term::Company.text(lang);
    let mut r = 1u32;
    let mut row = |ws: &mut Worksheet, names: [&str; 4], g: &Group| -> Result<(), XlsxError> {
        for (c, n) in names.iter().enumerate() {
            if !n.is_empty() {
                ws.write_string(r, c as u16, *n)?;
            }
        }
        ws.write_number(r, 4, g.count as f64)?;
        ws.write_number(r, 5, figure(g.mean))?;
        ws.write_number(r, 6, figure(g.stdev))?;
        for (i, (_, n)) in g.grades.0.iter().enumerate() {
            ws.write_number(r, 7 + i as u16, *n as f64)?;
        }
        let words = flag_words(&g.flags, lang);
        if !words.is_empty() {
            ws.write_string(r, 7 + g.grades.0.len() as u16, words)?;
        }
        r += 1;
        Ok(())
    };
    row(ws, [company, "", "", ""], &cal.company)?;
    for d in &cal.departments {
        row(ws, [l.by_department, &d.name, "", ""], &d.group)?;
    }
    for m in &cal.managers {
        row(ws, [l.by_rater, "", &m.title, &m.position], &m.group)?;
    }
    Ok(())
}
