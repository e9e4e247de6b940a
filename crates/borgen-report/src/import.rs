//! Reading uploaded spreadsheets: CSV (comma or semicolon, UTF-8 with or
//! without byte-order mark) and XLSX (the first sheet), into rows of text.

use crate::ReportError;

/// The kinds of file an import accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetKind {
    Csv,
    Xlsx,
}

impl SheetKind {
    /// Guesses the kind from the bytes: XLSX files are ZIP archives.
    pub fn sniff(bytes: &[u8]) -> SheetKind {
        if bytes.starts_with(b"PK\x03\x04") { SheetKind::Xlsx } else { SheetKind::Csv }
    }
}

/// Reads a sheet into rows of trimmed text. Errors are the file's fault and
/// are reported to the user as "not a readable CSV or XLSX file".
pub fn read_table(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReportError> {
    match SheetKind::sniff(bytes) {
        SheetKind::Csv => read_csv(bytes),
        SheetKind::Xlsx => read_xlsx(bytes),
    }
}

/// The reader's limits. A file over any of them is refused with the limit's
/// own message before the part that would exceed it is read into memory.
pub mod limits {
    /// Cells of the used area (rows × columns), blank lines counted as one.
    pub const CELLS: usize = 2_000_000;
    /// Columns of a row. Registers have a few dozen.
    pub const COLUMNS: usize = 500;
    /// Characters in one cell: the most a spreadsheet cell can hold.
    pub const CELL_CHARS: usize = 32_767;
    /// Parts (files) in an XLSX archive.
    pub const ENTRIES: usize = 10_000;
    /// Uncompressed bytes of one part of an XLSX archive (a sheet's XML).
    pub const ENTRY_BYTES: u64 = 256 * 1024 * 1024;
    /// Uncompressed bytes of the shared strings, which are held in memory.
    pub const SHARED_STRINGS_BYTES: u64 = 128 * 1024 * 1024;
    /// Uncompressed bytes of all parts together.
    pub const TOTAL_BYTES: u64 = 512 * 1024 * 1024;
}

fn limit(key: &'static str, line: usize) -> ReportError {
    ReportError::Limit { key, line }
}

fn too_large() -> ReportError {
    limit("error.import_limit_cells", 1)
}

fn check_cell(cell: &str, line: usize) -> Result<(), ReportError> {
    // Bytes bound characters from above: count only when it could matter.
    if cell.len() > limits::CELL_CHARS && cell.chars().count() > limits::CELL_CHARS {
        return Err(limit("error.import_limit_cell", line));
    }
    Ok(())
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReportError> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| ReportError::Unreadable("not UTF-8 text".into()))?;
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut rdr =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut cells = 0usize;
    let (mut counted_to, mut line) = (0usize, 1usize);
    for rec in rdr.records() {
        let rec = rec?;
        // Blank lines are skipped by the reader: keep their place, so that a
        // row's index is its line in the file (counted from the record's byte
        // offset; the reader's own line count skips blank lines).
        if let Some(at) = rec.position().map(|p| p.byte() as usize) {
            // The position is where the reader started: before any blank lines it skipped.
            let mut at = at.min(text.len());
            while matches!(text.as_bytes().get(at), Some(b'\n' | b'\r')) {
                at += 1;
            }
            line += text.as_bytes()[counted_to.min(at)..at].iter().filter(|b| **b == b'\n').count();
            counted_to = at;
            // Each blank line kept costs a row: it counts as a cell, so that
            // a file of newlines meets the same limit as a file of cells.
            let blank = line.saturating_sub(out.len() + 1);
            cells = cells.saturating_add(blank);
            if cells > limits::CELLS {
                return Err(too_large());
            }
            out.resize_with(out.len() + blank, Vec::new);
        }
        if rec.len() > limits::COLUMNS {
            return Err(limit("error.import_limit_columns", line));
        }
        cells += rec.len().max(1);
        if cells > limits::CELLS {
            return Err(too_large());
        }
        let mut row = Vec::with_capacity(rec.len());
        for c in rec.iter() {
            check_cell(c, line)?;
            // Our CSV exports prefix formula-like cells with `'`; take it off again.
            row.push(crate::undefuse(c.trim()).trim().to_string());
        }
        out.push(row);
    }
    // Lines before the header row are not part of the table.
    let lead = out.iter().take_while(|r| r.iter().all(|c| c.is_empty())).count();
    out.drain(..lead);
    Ok(out)
}

/// Checks an XLSX archive before calamine opens it: the number of parts,
/// each part's and all parts' uncompressed bytes (measured by inflating,
/// never trusted from the archive's own headers), and the count of shared
/// strings the workbook declares, which calamine reserves room for up front.
pub fn prescan_xlsx(bytes: &[u8]) -> Result<(), ReportError> {
    use std::io::Read;
    let unreadable = |e: zip::result::ZipError| ReportError::Unreadable(e.to_string());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    if zip.len() > limits::ENTRIES {
        return Err(limit("error.import_limit_parts", 1));
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(unreadable)?;
        let shared = entry.name().map_err(unreadable)?.to_ascii_lowercase().ends_with("sharedstrings.xml");
        let cap = if shared { limits::SHARED_STRINGS_BYTES } else { limits::ENTRY_BYTES };
        let over_key = if shared { "error.import_limit_strings" } else { "error.import_limit_bytes" };
        if entry.size() > cap {
            return Err(limit(over_key, 1));
        }
        let mut capped = entry.take(cap + 1);
        let size = if shared {
            check_shared_strings(&mut capped)?;
            // The rest of the part, after the declaration.
            std::io::copy(&mut capped, &mut std::io::sink())
        } else {
            std::io::copy(&mut capped, &mut std::io::sink())
        };
        let size = size.map_err(|e| ReportError::Unreadable(e.to_string()))?;
        if size > cap {
            return Err(limit(over_key, 1));
        }
        total += size;
        if total > limits::TOTAL_BYTES {
            return Err(limit("error.import_limit_bytes", 1));
        }
    }
    Ok(())
}

/// Reads a shared-strings part up to its root element and refuses a declared
/// `uniqueCount` above the cell limit (it is read the way calamine reads it).
fn check_shared_strings(part: &mut impl std::io::Read) -> Result<(), ReportError> {
    use quick_xml::events::Event;
    let mut xml = quick_xml::Reader::from_reader(std::io::BufReader::new(part));
    let config = xml.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                if e.local_name().as_ref() != "sst" {
                    return Ok(());
                }
                for a in e.attributes().with_checks(false).flatten() {
                    if a.key.local_name().as_ref() == "uniqueCount"
                        && declared_count(a.value.as_bytes()) > limits::CELLS
                    {
                        return Err(limit("error.import_limit_strings", 1));
                    }
                }
                return Ok(());
            }
            // Anything calamine cannot read it refuses itself.
            Ok(Event::Eof) | Err(_) => return Ok(()),
            Ok(_) => {}
        }
    }
}

/// The number an attribute declares, generously: its digits without leading
/// zeros, saturating (any reading of it as a count is at most this).
fn declared_count(value: &[u8]) -> usize {
    value
        .iter()
        .filter(|b| b.is_ascii_digit())
        .fold(0usize, |n, b| n.saturating_mul(10).saturating_add(usize::from(b - b'0')))
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReportError> {
    use calamine::{DataRef, Reader, Xlsx};
    prescan_xlsx(bytes)?;
    let unreadable = |e: calamine::XlsxError| ReportError::Unreadable(e.to_string());
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let name =
        wb.sheet_names().first().cloned().ok_or_else(|| ReportError::Unreadable("the workbook has no sheet".into()))?;
    // Cell by cell, so that a sheet with one far-away cell cannot make us
    // allocate its whole rectangle.
    let mut reader = wb.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut cells: Vec<((usize, usize), String)> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        let text = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) => cell_text(s, r)?,
            DataRef::SharedString(s) => cell_text(s, r)?,
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            DataRef::Float(f) => f.to_string(),
            DataRef::Int(i) => i.to_string(),
            DataRef::Bool(b) => b.to_string(),
            DataRef::DateTime(d) if d.is_datetime() => excel_date(d.as_f64()),
            DataRef::DateTime(d) => d.as_f64().to_string(),
            DataRef::DateTimeIso(s) => cell_text(s.get(..10).unwrap_or(s), r)?,
            DataRef::DurationIso(s) => cell_text(s, r)?,
            DataRef::Error(e) => e.to_string(),
        };
        if text.is_empty() {
            continue;
        }
        if cells.len() >= limits::CELLS {
            return Err(too_large());
        }
        cells.push(((r, c), text));
    }
    let Some(top) = cells.iter().map(|((r, _), _)| *r).min() else { return Ok(Vec::new()) };
    let bottom = cells.iter().map(|((r, _), _)| *r).max().unwrap_or(top);
    let left = cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    let right = cells.iter().map(|((_, c), _)| *c).max().unwrap_or(left);
    let (height, width) = (bottom - top + 1, right - left + 1);
    if width > limits::COLUMNS {
        return Err(limit("error.import_limit_columns", 1));
    }
    if height.saturating_mul(width) > limits::CELLS {
        return Err(too_large());
    }
    let mut out = vec![vec![String::new(); width]; height];
    for ((r, c), text) in cells {
        out[r - top][c - left] = text;
    }
    Ok(out)
}

/// A text cell, trimmed; refused when longer than a cell may be. `row` counts from 0.
fn cell_text(s: &str, row: usize) -> Result<String, ReportError> {
    check_cell(s, row + 1)?;
    Ok(s.trim().to_string())
}

/// A spreadsheet date (days since 30 December 1899) as `YYYY-MM-DD`, with
/// the time of day when it has one.
fn excel_date(serial: f64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("a valid date");
    let days = serial.floor();
    // Dates from 1900 to 9999; anything else is shown as the number it is.
    if !(1.0..=2_958_465.0).contains(&days) {
        return serial.to_string();
    }
    let Some(date) = chrono::TimeDelta::try_days(days as i64).and_then(|d| epoch.checked_add_signed(d)) else {
        return serial.to_string();
    };
    let seconds = ((serial - days) * 86_400.0).round() as u32;
    if seconds == 0 {
        date.format("%Y-%m-%d").to_string()
    } else {
        format!("{} {:02}:{:02}", date.format("%Y-%m-%d"), seconds / 3600, seconds / 60 % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Table, to_csv, to_xlsx};

    fn table() -> Table {
        Table {
            title: "SoA".into(),
            headers: vec!["Control".into(), "Applicable".into(), "Justification".into()],
            rows: vec![
                vec!["5.1".into(), "Yes".into(), "Beleid, \"vastgesteld\"".into()],
                vec!["7.6".into(), "No".into(), "".into()],
                vec!["8.1".into(), "'quoted".into(), "a;=1+1;b8".into()],
                vec!["8.2".into(), "-".into(), "=HYPERLINK(\"x\")".into()],
            ],
        }
    }

    #[test]
    fn our_exports_read_back() {
        let expect: Vec<Vec<String>> = std::iter::once(table().headers).chain(table().rows).collect();
        assert_eq!(read_table(&to_csv(&table()).unwrap()).unwrap(), expect);
        assert_eq!(read_table(&to_xlsx(&table()).unwrap()).unwrap(), expect);
    }

    #[test]
    fn spreadsheet_dates_read_as_dates() {
        assert_eq!(excel_date(46_418.0), "2027-01-31");
        assert_eq!(excel_date(46_418.5), "2027-01-31 12:00");
        assert_eq!(excel_date(1e15), "1000000000000000");
        assert_eq!(excel_date(f64::INFINITY), "inf");
    }

    #[test]
    fn a_rows_index_is_its_line_in_the_file() {
        // Line 3 is the table's row 2 (counting from 0), whatever blank lines lie between.
        let rows = read_table(b"name,type\n\nLaptop,hardware\n\n\nPhone,hardware\n").unwrap();
        assert_eq!(rows[0], ["name", "type"]);
        assert_eq!(rows[2], ["Laptop", "hardware"]);
        assert_eq!(rows[5], ["Phone", "hardware"]);
    }

    #[test]
    fn a_sheet_with_one_far_cell_is_refused_not_allocated() {
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "name").unwrap();
        ws.write_string(1_048_575, 16_383, "far away").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        assert!(read_table(&bytes).is_err());
        // A sheet whose table starts lower down reads from its first used row.
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(2, 1, "name").unwrap();
        ws.write_string(3, 1, "Laptop").unwrap();
        let rows = read_table(&wb.save_to_buffer().unwrap()).unwrap();
        assert_eq!(rows, [vec!["name".to_string()], vec!["Laptop".to_string()]]);
    }

    #[test]
    fn blank_lines_count_against_the_cell_limit() {
        // Finding 12: 24 MB of newlines grew memory by 600 MB; now each blank
        // line is a cell, and a file of them meets the cell limit.
        let mut csv = b"name,type\n".to_vec();
        csv.resize(csv.len() + limits::CELLS + 1, b'\n');
        csv.extend_from_slice(b"Laptop,hardware\n");
        assert!(matches!(read_table(&csv), Err(ReportError::Limit { key: "error.import_limit_cells", .. })));
    }

    #[test]
    fn long_cells_and_wide_rows_are_refused_with_their_line() {
        let long = format!("name\nok\n{}\n", "é".repeat(limits::CELL_CHARS + 1));
        assert!(matches!(
            read_table(long.as_bytes()),
            Err(ReportError::Limit { key: "error.import_limit_cell", line: 3 })
        ));
        // Exactly at the limit (in characters, not bytes) is fine.
        let at = format!("name\n{}\n", "é".repeat(limits::CELL_CHARS));
        assert_eq!(read_table(at.as_bytes()).unwrap()[1][0].chars().count(), limits::CELL_CHARS);
        let wide = format!("{}\n", vec!["x"; limits::COLUMNS + 1].join(","));
        assert!(matches!(
            read_table(wide.as_bytes()),
            Err(ReportError::Limit { key: "error.import_limit_columns", .. })
        ));
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "name").unwrap();
        ws.write_string(0, limits::COLUMNS as u16, "far right").unwrap();
        let r = read_table(&wb.save_to_buffer().unwrap());
        assert!(matches!(r, Err(ReportError::Limit { key: "error.import_limit_columns", .. })));
    }

    #[test]
    fn a_declared_count_is_read_generously() {
        assert_eq!(declared_count(b"1000000000000"), 1_000_000_000_000);
        assert_eq!(declared_count(b"00042"), 42);
        assert_eq!(declared_count(b"+9"), 9);
        assert_eq!(declared_count(b"99999999999999999999999999"), usize::MAX);
    }

    #[test]
    fn semicolons_and_garbage() {
        let rows = read_table("control;applicable\n5.1;ja\n".as_bytes()).unwrap();
        assert_eq!(rows[1], ["5.1", "ja"]);
        assert!(read_table(b"PK\x03\x04 not really a zip").is_err());
        assert!(read_table(&[0xff, 0xfe, 0x00]).is_err());
    }
}
