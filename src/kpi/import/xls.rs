//! What calamine does not tell about a legacy `.xls` (BIFF8) workbook: which number cells are
//! formatted as percentages. calamine 0.38 reads their values but no cell formats, so the
//! `Workbook` stream is read out of the OLE container here and scanned for the FORMAT and XF
//! records and the number cells that use them ([MS-CFB], [MS-XLS]).
//!
//! The file is untrusted: every read is bounds-checked, the work and the memory are bounded by
//! the size of the file, and anything unexpected gives up with "no percent cells known" (the
//! values still come from calamine). A small reader of our own rather than a CFB crate, so that
//! a damaged container cannot panic in code the fuzz target does not expect to panic.

use std::collections::HashSet;

use super::formats::{PercentCells, is_percent_format};

/// The `Workbook` stream of an `.xls` file, read out of its container once for the checks
/// before calamine and for the percent cells after.
pub(super) struct Workbook {
    /// `None` when the container cannot be followed to the stream.
    stream: Option<Vec<u8>>,
}

impl Workbook {
    pub(super) fn read(file: &[u8]) -> Workbook {
        Workbook {
            stream: workbook_stream(file),
        }
    }

    /// The percent-formatted number cells; none when the stream is not a BIFF8 workbook we
    /// can follow to the end.
    pub(super) fn percent_cells(&self) -> PercentCells {
        self.stream.as_deref().and_then(scan).unwrap_or_default()
    }

    /// Whether every sheet stays inside the grid an `.xls` can hold (65,536 rows, 256
    /// columns): its DIMENSIONS record (first row not after last) and the column of every
    /// cell. calamine reserves room for the declared range before reading, and then
    /// allocates the box around all cells, so a damaged record claiming billions of cells,
    /// or one cell in column 60,000, would take all memory. `true` when the stream cannot be
    /// read: calamine then fails on its own.
    pub(super) fn fits_the_grid(&self) -> bool {
        self.stream.as_deref().is_none_or(fits_the_grid)
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

// ---- the OLE compound file [MS-CFB] ----

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;
const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

struct Cfb<'a> {
    file: &'a [u8],
    sector: usize,
    /// How many whole sectors the file holds: no chain is longer.
    sectors: usize,
    fat: Vec<u32>,
}

impl Cfb<'_> {
    /// Sector `id`; the header takes the place of sector -1.
    fn sector(&self, id: u32) -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(self.sector)?;
        self.file.get(start..start.checked_add(self.sector)?)
    }

    /// The sectors of a chain, which visits each sector once: one longer than `max` (the
    /// number of sectors there are) has a cycle. A link out of the table ends the chain, as
    /// calamine, which stops once it has a stream's stated size, reads it.
    fn chain(table: &[u32], start: u32, max: usize) -> Option<Vec<u32>> {
        let mut out = Vec::new();
        let mut id = start;
        while let Some(&next) = table.get(id as usize) {
            if out.len() >= max {
                return None;
            }
            out.push(id);
            id = next;
        }
        Some(out)
    }

    /// The bytes of the chain at `start`, cut to `len` when given. A chain shorter than `len`
    /// gives what it holds, as calamine reads it: the records it reads are the ones to check.
    fn read(&self, start: u32, len: Option<usize>) -> Option<Vec<u8>> {
        let chain = Self::chain(&self.fat, start, self.sectors)?;
        let mut out = Vec::with_capacity(chain.len().saturating_mul(self.sector));
        for id in chain {
            out.extend_from_slice(self.sector(id)?);
        }
        if let Some(n) = len {
            out.truncate(n);
        }
        Some(out)
    }
}

/// The container's header and FAT, or `None` when they do not follow [MS-CFB].
fn open(file: &[u8]) -> Option<Cfb<'_>> {
    if file.get(..8)? != SIGNATURE {
        return None;
    }
    let sector = match u16_at(file, 0x1E)? {
        9 => 512,
        12 => 4096,
        _ => return None,
    };
    // Mini sectors are always 64 bytes.
    if u16_at(file, 0x20)? != 6 {
        return None;
    }
    let sectors_in_file = (file.len() / sector).saturating_sub(1);
    let mut cfb = Cfb {
        file,
        sector,
        sectors: sectors_in_file,
        fat: Vec::new(),
    };
    // The FAT's own sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
    // They are distinct sectors of the file, so the table is no larger than the file.
    let mut fat_sectors: Vec<u32> = (0..109)
        .map(|i| u32_at(file, 0x4C + 4 * i))
        .collect::<Option<_>>()?;
    let mut difat = u32_at(file, 0x44)?;
    let mut hops = 0;
    while difat != END_OF_CHAIN && difat != FREE {
        hops += 1;
        if hops > sectors_in_file {
            return None;
        }
        let s = cfb.sector(difat)?;
        let per = sector / 4 - 1;
        let ids = (0..per).filter_map(|i| u32_at(s, 4 * i));
        fat_sectors.extend(ids.filter(|&id| id != FREE));
        if fat_sectors.len() > sectors_in_file {
            return None;
        }
        difat = u32_at(s, 4 * per)?;
    }
    fat_sectors.retain(|&id| id != FREE);
    if fat_sectors.len() > sectors_in_file {
        return None;
    }
    let mut fat = Vec::with_capacity(fat_sectors.len() * sector / 4);
    for id in fat_sectors {
        let s = cfb.sector(id)?;
        fat.extend(
            s.chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        );
    }
    cfb.fat = fat;
    Some(cfb)
}

/// Whether every sector chain of an `.xls` container ends: the FAT and the mini FAT hold no
/// cycle. calamine follows chains without a bound (the directory's to its end, the others up
/// to a length the file states), so a damaged file whose chain loops back takes all memory;
/// such files are refused before calamine opens them.
pub(super) fn chains_end(file: &[u8]) -> bool {
    let Some(cfb) = open(file) else {
        return false;
    };
    if !acyclic(&cfb.fat) {
        return false;
    }
    // The mini FAT is a chain of ordinary sectors, which now cannot loop.
    match u32_at(file, 0x3C) {
        Some(END_OF_CHAIN) | Some(FREE) => true,
        Some(start) => cfb.read(start, None).is_some_and(|bytes| {
            let minifat: Vec<u32> = bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            acyclic(&minifat)
        }),
        None => false,
    }
}

/// [`Workbook::fits_the_grid`] of a stream.
fn fits_the_grid(wb: &[u8]) -> bool {
    const DIMENSIONS: u16 = 0x0200;
    let mut at = 0;
    while let Some((typ, data, next)) = record(wb, at) {
        at = next;
        // Past FILEPASS the record data is encrypted: calamine asks for the password.
        if typ == FILEPASS {
            return true;
        }
        // Cells: row and column first; MULRK ends with its last column.
        const CELLS: [u16; 7] = [NUMBER, RK, FORMULA, 0x0204, 0x0205, 0x00D6, 0x00FD];
        let columns = match typ {
            _ if CELLS.contains(&typ) => [u16_at(data, 2), None],
            MULRK => [
                u16_at(data, 2),
                data.len().checked_sub(2).and_then(|at| u16_at(data, at)),
            ],
            _ => [None, None],
        };
        if columns.iter().flatten().any(|&c| c >= 256) {
            return false;
        }
        if typ != DIMENSIONS {
            continue;
        }
        // BIFF8 (14 or 16 bytes): rows as u32; BIFF5 (10 bytes): u16. Last row and column
        // are stored plus one.
        let (first_row, end_row, end_col) = match data.len() {
            10 => (
                u16_at(data, 0).map(u32::from),
                u16_at(data, 2).map(u32::from),
                u16_at(data, 6),
            ),
            14 | 16 => (u32_at(data, 0), u32_at(data, 4), u16_at(data, 10)),
            _ => continue,
        };
        let (Some(first_row), Some(end_row), Some(end_col)) = (first_row, end_row, end_col) else {
            continue;
        };
        if end_row > 65_536 || end_col > 256 || (end_row >= 1 && first_row > end_row) {
            return false;
        }
    }
    true
}

/// Whether following `table` from any entry ends (leaves the table) rather than loops.
fn acyclic(table: &[u32]) -> bool {
    // 0 not seen, 1 on the path being followed, 2 known to end.
    let mut state = vec![0u8; table.len()];
    let mut path = Vec::new();
    for start in 0..table.len() {
        let mut id = start;
        while let Some(0) = state.get(id) {
            state[id] = 1;
            path.push(id);
            id = table[id] as usize;
        }
        if state.get(id) == Some(&1) {
            return false;
        }
        for p in path.drain(..) {
            state[p] = 2;
        }
    }
    true
}

/// The `Workbook` (or, from Excel 5, `Book`) stream of an OLE compound file.
fn workbook_stream(file: &[u8]) -> Option<Vec<u8>> {
    let cfb = open(file)?;
    let sector = cfb.sector;
    let mini_sector = 64usize;
    let dir = cfb.read(u32_at(file, 0x30)?, None)?;
    let entry = |i: usize| dir.get(i.checked_mul(128)?..i.checked_mul(128)?.checked_add(128)?);
    let root = entry(0)?;
    // 0 storage-less, 1 storage, 2 stream, 5 root.
    if root[0x42] != 5 {
        return None;
    }
    let size = |e: &[u8]| -> Option<usize> {
        let low = u32_at(e, 0x78)? as usize;
        // Version 3 files (512-byte sectors) may leave garbage in the high half.
        let high = if sector == 512 {
            0
        } else {
            u32_at(e, 0x7C)? as usize
        };
        if high != 0 {
            return None;
        }
        Some(low)
    };
    let name = |e: &[u8]| -> Option<String> {
        let len = (u16_at(e, 0x40)? as usize).min(64);
        let units: Vec<u16> = (0..len.saturating_sub(2) / 2)
            .map(|i| u16_at(e, 2 * i))
            .collect::<Option<_>>()?;
        Some(String::from_utf16_lossy(&units))
    };
    let stream = ["Workbook", "Book"].iter().find_map(|want| {
        (1..dir.len() / 128).find_map(|i| {
            let e = entry(i)?;
            (e[0x42] == 2 && name(e)?.eq_ignore_ascii_case(want)).then_some(e)
        })
    })?;
    let (start, len) = (u32_at(stream, 0x74)?, size(stream)?);
    if len > file.len() {
        return None;
    }
    if len >= u32_at(file, 0x38)? as usize {
        return cfb.read(start, Some(len));
    }
    // A small stream lives in 64-byte sectors inside the root entry's stream.
    let mini = cfb.read(u32_at(root, 0x74)?, Some(size(root)?))?;
    let minifat: Vec<u32> = cfb
        .read(u32_at(file, 0x3C)?, None)?
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect();
    let mut out = Vec::with_capacity(len);
    for id in Cfb::chain(&minifat, start, mini.len() / mini_sector)? {
        let at = (id as usize).checked_mul(mini_sector)?;
        out.extend_from_slice(mini.get(at..at.checked_add(mini_sector)?)?);
    }
    out.truncate(len);
    Some(out)
}

// ---- the BIFF8 records [MS-XLS] ----

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const FILEPASS: u16 = 0x002F;
const BOUNDSHEET: u16 = 0x0085;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const MULRK: u16 = 0x00BD;
const FORMULA: u16 = 0x0006;

/// The record at `at`: its type, its data and where the next one starts.
fn record(stream: &[u8], at: usize) -> Option<(u16, &[u8], usize)> {
    let typ = u16_at(stream, at)?;
    let len = u16_at(stream, at.checked_add(2)?)? as usize;
    let start = at.checked_add(4)?;
    let end = start.checked_add(len)?;
    Some((typ, stream.get(start..end)?, end))
}

/// `chars` characters of a BIFF8 string whose flags byte is `flags` (bit 0: UTF-16LE, else
/// one byte per character, the low half of UTF-16), read from `b`; None when cut short (the
/// rest would be in a CONTINUE record, which a name or a format code never needs in practice).
fn biff_string(b: &[u8], chars: usize, flags: u8) -> Option<String> {
    if flags & 1 == 0 {
        Some(b.get(..chars)?.iter().map(|&c| char::from(c)).collect())
    } else {
        let units: Vec<u16> = (0..chars)
            .map(|i| u16_at(b, 2 * i))
            .collect::<Option<_>>()?;
        Some(String::from_utf16_lossy(&units))
    }
}

/// Scans the workbook globals for number formats, XFs and sheets, then each sheet for the
/// number cells whose XF shows a percentage.
fn scan(wb: &[u8]) -> Option<PercentCells> {
    let (typ, bof, mut at) = record(wb, 0)?;
    // BIFF8 only: BIFF5 lays its strings out differently.
    if typ != BOF || u16_at(bof, 0)? != 0x0600 {
        return None;
    }
    let mut percent_formats = HashSet::new();
    let mut xf_formats = Vec::new();
    let mut sheets = Vec::new();
    loop {
        let (typ, data, next) = record(wb, at)?;
        at = next;
        match typ {
            EOF => break,
            FILEPASS => return None,
            FORMAT => {
                let (id, chars) = (u16_at(data, 0)?, u16_at(data, 2)?);
                let code = data
                    .get(4)
                    .and_then(|&flags| biff_string(&data[5..], chars as usize, flags));
                if code.is_some_and(|c| is_percent_format(&c)) {
                    percent_formats.insert(id);
                }
            }
            // XFs are numbered in the order they appear; the format id is at offset 2.
            XF => xf_formats.push(u16_at(data, 2)?),
            BOUNDSHEET => {
                let pos = u32_at(data, 0)? as usize;
                let (chars, flags) = (*data.get(6)?, *data.get(7)?);
                let mut name = biff_string(data.get(8..)?, chars as usize, flags)?;
                // As calamine names the sheet.
                name.retain(|c| c != '\0');
                sheets.push((name, pos));
            }
            _ => {}
        }
    }
    // Built-in formats 9 (`0%`) and 10 (`0.00%`) have no FORMAT record.
    let percent_xf: Vec<bool> = xf_formats
        .iter()
        .map(|f| matches!(f, 9 | 10) || percent_formats.contains(f))
        .collect();
    let is_percent = |xf: u16| percent_xf.get(xf as usize).copied().unwrap_or(false);

    let mut out = PercentCells::new();
    // Sheets do not overlap, so reading more than the whole stream means offsets that do.
    let mut budget = wb.len();
    for (name, pos) in sheets {
        let (typ, _, mut at) = record(wb, pos)?;
        if typ != BOF {
            return None;
        }
        let cells = out.entry(name).or_default();
        // Charts embedded in the sheet are substreams of their own, BOF to EOF.
        let mut nested = 0usize;
        loop {
            let (typ, data, next) = record(wb, at)?;
            budget = budget.checked_sub(next - at)?;
            at = next;
            match typ {
                BOF => nested += 1,
                EOF if nested == 0 => break,
                EOF => nested -= 1,
                _ if nested > 0 => {}
                NUMBER | RK | FORMULA => {
                    let min = match typ {
                        NUMBER => 14,
                        RK => 10,
                        _ => 20,
                    };
                    if data.len() < min {
                        return None;
                    }
                    let (row, col, xf) = (u16_at(data, 0)?, u16_at(data, 2)?, u16_at(data, 4)?);
                    if is_percent(xf) {
                        cells.insert((row.into(), col.into()));
                    }
                }
                MULRK => {
                    // row, first column, (xf, rk) per column, last column.
                    let row = u16_at(data, 0)?;
                    let first = u16_at(data, 2)?;
                    let last = u16_at(data, data.len().checked_sub(2)?)?;
                    let body = data.get(4..data.len() - 2)?;
                    if last < first || body.len() != 6 * (usize::from(last - first) + 1) {
                        return None;
                    }
                    for (col, rk) in (u32::from(first)..).zip(body.chunks_exact(6)) {
                        if is_percent(u16::from_le_bytes([rk[0], rk[1]])) {
                            cells.insert((row.into(), col));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out.retain(|_, cells| !cells.is_empty());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_with_a_loop_is_found_and_chains_that_end_pass() {
        assert!(acyclic(&[1, 2, END_OF_CHAIN, FREE, 3]));
        // A chain leaving the table ends too (calamine then errs, it does not loop).
        assert!(acyclic(&[7, END_OF_CHAIN]));
        assert!(!acyclic(&[1, 2, 0]));
        assert!(!acyclic(&[END_OF_CHAIN, 1]));
        assert!(!acyclic(&[2, END_OF_CHAIN, 3, 4, 2]));
    }

    const FIXTURE: &[u8] =
        include_bytes!("../../../tests/fixtures/score/workbooks/results-percent.xls");

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    fn cell(typ: u16, row: u16, col: u16, xf: u16, rest: usize) -> Vec<u8> {
        let mut d = [row, col, xf].map(u16::to_le_bytes).concat();
        d.resize(6 + rest, 0);
        rec(typ, &d)
    }

    /// Globals with a custom percent format (164), XF 0 General, XF 1 `0%`, XF 2 the custom
    /// one, XF 3 a `0"%"` that only looks like one; one sheet "S" with each kind of cell.
    fn stream() -> Vec<u8> {
        let bof = rec(BOF, &[0x00, 0x06, 0x05, 0x00, 0, 0, 0, 0]);
        let format = |id: u16, code: &str| {
            let mut d = id.to_le_bytes().to_vec();
            d.extend_from_slice(&(code.len() as u16).to_le_bytes());
            d.push(0);
            d.extend_from_slice(code.as_bytes());
            rec(FORMAT, &d)
        };
        let xf = |fmt: u16| rec(XF, &[[0u8, 0], fmt.to_le_bytes(), [0; 2]].concat());
        let mut globals = [
            bof.clone(),
            format(164, "0.0%"),
            format(165, "0\"%\""),
            xf(0),
            xf(9),
            xf(164),
            xf(165),
        ]
        .concat();
        // BOUNDSHEET: position, state, type, "S" in UTF-16.
        let sheet_rec_len = 4 + 10;
        let pos = (globals.len() + sheet_rec_len + 4) as u32;
        let mut b = pos.to_le_bytes().to_vec();
        b.extend_from_slice(&[0, 0, 1, 1, b'S', 0]);
        globals.extend(rec(BOUNDSHEET, &b));
        globals.extend(rec(EOF, &[]));
        assert_eq!(globals.len() as u32, pos);
        let mut mulrk = [3u16, 1].map(u16::to_le_bytes).concat();
        for xf in [1u16, 0, 2] {
            mulrk.extend_from_slice(&xf.to_le_bytes());
            mulrk.extend_from_slice(&[0; 4]);
        }
        mulrk.extend_from_slice(&3u16.to_le_bytes());
        let sheet = [
            bof.clone(),
            cell(NUMBER, 1, 0, 1, 8),
            cell(NUMBER, 1, 1, 0, 8),
            cell(RK, 2, 0, 2, 4),
            cell(RK, 2, 1, 3, 4),
            rec(MULRK, &mulrk),
            cell(FORMULA, 4, 0, 1, 14),
            // A chart inside the sheet: its records are not the sheet's cells.
            bof,
            cell(NUMBER, 5, 0, 1, 8),
            rec(EOF, &[]),
            rec(EOF, &[]),
        ]
        .concat();
        [globals, sheet].concat()
    }

    #[test]
    fn finds_number_cells_with_percent_formats() {
        let found = scan(&stream()).unwrap();
        let want: HashSet<(u32, u32)> = [(1, 0), (2, 0), (3, 1), (3, 3), (4, 0)].into();
        assert_eq!(found, PercentCells::from([("S".to_string(), want)]));
    }

    #[test]
    fn finds_the_percent_cells_of_a_libreoffice_xls() {
        let found = Workbook::read(FIXTURE).percent_cells();
        // 一季度!E3 and E7, 二季度!D2: where results.fods has its percentages.
        let mut cells: Vec<_> = found
            .iter()
            .flat_map(|(s, c)| c.iter().map(move |c| (s.clone(), *c)))
            .collect();
        cells.sort();
        assert_eq!(
            cells,
            [("一季度", (2, 4)), ("一季度", (6, 4)), ("二季度", (1, 3))]
                .map(|(s, c)| (s.to_string(), c))
        );
    }

    /// A version 3 compound file holding `stream` as `name` in ordinary 512-byte sectors:
    /// sector 0 the FAT, 1 the directory, then the stream.
    fn compound_file(name: &str, stream: &[u8]) -> Vec<u8> {
        let mut head = vec![0u8; 512];
        head[..8].copy_from_slice(&SIGNATURE);
        let mut put = |at: usize, v: u32| head[at..at + 4].copy_from_slice(&v.to_le_bytes());
        put(0x18, 0x0003_003E);
        put(0x1C, 0x0009_FFFE);
        put(0x20, 6);
        put(0x2C, 1);
        put(0x30, 1);
        put(0x38, 4096);
        put(0x3C, END_OF_CHAIN);
        put(0x44, END_OF_CHAIN);
        put(0x4C, 0);
        for i in 1..109 {
            put(0x4C + 4 * i, FREE);
        }
        let n = stream.len().div_ceil(512) as u32;
        let mut fat = vec![0xFFFF_FFFD, END_OF_CHAIN];
        fat.extend((3..n + 2).chain([END_OF_CHAIN]));
        fat.resize(128, FREE);
        let entry = |name: &str, typ: u8, start: u32, size: u32| {
            let mut e = vec![0u8; 128];
            let units: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
            e[..units.len()].copy_from_slice(&units);
            e[0x40..0x42].copy_from_slice(&(units.len() as u16 + 2).to_le_bytes());
            e[0x42] = typ;
            e[0x74..0x78].copy_from_slice(&start.to_le_bytes());
            e[0x78..0x7C].copy_from_slice(&size.to_le_bytes());
            e
        };
        let mut dir = entry("Root Entry", 5, END_OF_CHAIN, 0);
        dir.extend(entry(name, 2, 2, stream.len() as u32));
        dir.resize(512, 0);
        let mut body = stream.to_vec();
        body.resize(n as usize * 512, 0);
        [
            head,
            fat.iter().flat_map(|v| v.to_le_bytes()).collect(),
            dir,
            body,
        ]
        .concat()
    }

    #[test]
    fn reads_a_workbook_stream_in_ordinary_sectors() {
        let mut padded = stream();
        // Past the last EOF, as Excel pads a small workbook to the 4096 bytes of a full stream.
        padded.resize(5000, 0);
        let want = scan(&stream()).unwrap();
        assert_eq!(
            Workbook::read(&compound_file("Workbook", &padded)).percent_cells(),
            want
        );
        assert_eq!(
            Workbook::read(&compound_file("BOOK", &padded)).percent_cells(),
            want
        );
        assert!(
            Workbook::read(&compound_file("Other", &padded))
                .percent_cells()
                .is_empty()
        );
        let file = compound_file("Workbook", &padded);
        // Cut inside the stream's sectors: the chain cannot be followed.
        for n in (0..file.len() - 512).step_by(13) {
            assert!(
                Workbook::read(&file[..n]).percent_cells().is_empty(),
                "cut at {n}"
            );
        }
    }

    #[test]
    fn sheets_beyond_the_xls_grid_are_found() {
        let dims = |first: u32, end: u32, end_col: u16| {
            let mut d = first.to_le_bytes().to_vec();
            d.extend(end.to_le_bytes());
            d.extend([0, 0]);
            d.extend(end_col.to_le_bytes());
            d.extend([0, 0]);
            let mut wb = rec(BOF, &[0, 6, 0x10, 0]);
            wb.extend(rec(0x0200, &d));
            wb.extend(rec(EOF, &[]));
            // Past 4096 bytes, so the stream is in ordinary sectors.
            wb.resize(5000, 0);
            compound_file("Workbook", &wb)
        };
        assert!(Workbook::read(&dims(0, 65_536, 256)).fits_the_grid());
        assert!(Workbook::read(&dims(0, 0, 0)).fits_the_grid());
        assert!(!Workbook::read(&dims(0, 65_537, 5)).fits_the_grid());
        assert!(!Workbook::read(&dims(0, 12, 257)).fits_the_grid());
        assert!(!Workbook::read(&dims(40, 12, 5)).fits_the_grid());
        assert!(!Workbook::read(&dims(0, 0xFFFC_000C, 5)).fits_the_grid());
        // A cell beyond column IV.
        let cell_at = |col: u16| {
            let mut wb = rec(BOF, &[0, 6, 0x10, 0]);
            wb.extend(cell(NUMBER, 3, col, 0, 8));
            wb.extend(rec(EOF, &[]));
            wb.resize(5000, 0);
            compound_file("Workbook", &wb)
        };
        assert!(Workbook::read(&cell_at(255)).fits_the_grid());
        assert!(!Workbook::read(&cell_at(256)).fits_the_grid());
        // Encrypted records past FILEPASS are not judged.
        let mut wb = rec(BOF, &[0, 6, 0x10, 0]);
        wb.extend(rec(FILEPASS, &[0; 6]));
        wb.extend(rec(0x0200, &[0xFF; 14]));
        wb.resize(5000, 0);
        assert!(Workbook::read(&compound_file("Workbook", &wb)).fits_the_grid());
    }

    #[test]
    fn damaged_streams_give_no_cells_and_never_panic() {
        let good = stream();
        for n in 0..good.len() {
            assert_eq!(scan(&good[..n]), None, "cut at {n}");
        }
        // Every byte set to values that make lengths, offsets and counts absurd.
        for i in 0..good.len() {
            for v in [0x00, 0x01, 0x7F, 0x80, 0xFF] {
                let mut bad = good.clone();
                bad[i] = v;
                let _ = scan(&bad);
            }
        }
        // A MULRK whose last column comes before its first.
        let mut bad = good.clone();
        let at = bad
            .windows(4)
            .position(|w| w == [0xBD, 0x00, 24, 0])
            .unwrap();
        bad[at + 4 + 22] = 0;
        assert_eq!(scan(&bad), None);
    }

    #[test]
    fn damaged_files_never_panic() {
        for n in (0..FIXTURE.len()).step_by(7) {
            let _ = Workbook::read(&FIXTURE[..n]).percent_cells();
        }
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..3000 {
            let mut bad = FIXTURE.to_vec();
            for _ in 0..4 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let i = (x as usize) % bad.len();
                bad[i] = (x >> 32) as u8;
            }
            let _ = Workbook::read(&bad).percent_cells();
        }
        // A header that sends every chain to one sector, and a DIFAT chain onto itself.
        let mut bad = FIXTURE.to_vec();
        bad[0x44..0x48].copy_from_slice(&0u32.to_le_bytes());
        let _ = Workbook::read(&bad).percent_cells();
        assert!(
            Workbook::read(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
                .percent_cells()
                .is_empty()
        );
        assert!(Workbook::read(b"").percent_cells().is_empty());
    }
}
