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

/// The largest sheet an import reads (rows × columns of the used area).
const MAX_CELLS: usize = 2_000_000;

fn too_large() -> ReportError {
    ReportError::Unreadable("the sheet is larger than an import takes".into())
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
            while out.len() + 1 < line {
                out.push(Vec::new());
            }
        }
        cells += rec.len().max(1);
        if cells > MAX_CELLS {
            return Err(too_large());
        }
        // Our CSV exports prefix formula-like cells with `'`; take it off again.
        out.push(rec.iter().map(|c| crate::undefuse(c.trim()).trim().to_string()).collect());
    }
    // Lines before the header row are not part of the table.
    let lead = out.iter().take_while(|r| r.iter().all(|c| c.is_empty())).count();
    out.drain(..lead);
    Ok(out)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReportError> {
    use calamine::{DataRef, Reader, Xlsx};
    let unreadable = |e: calamine::XlsxError| ReportError::Unreadable(e.to_string());
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(unreadable)?;
    let name =
        wb.sheet_names().first().cloned().ok_or_else(|| ReportError::Unreadable("the workbook has no sheet".into()))?;
    // Cell by cell, so that a sheet with one far-away cell cannot make us
    // allocate its whole rectangle.
    let mut reader = wb.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut cells: Vec<((usize, usize), String)> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let text = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) => s.trim().to_string(),
            DataRef::SharedString(s) => s.trim().to_string(),
            DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            DataRef::Float(f) => f.to_string(),
            DataRef::Int(i) => i.to_string(),
            DataRef::Bool(b) => b.to_string(),
            DataRef::DateTime(d) if d.is_datetime() => excel_date(d.as_f64()),
            DataRef::DateTime(d) => d.as_f64().to_string(),
            DataRef::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
            DataRef::DurationIso(s) => s.clone(),
            DataRef::Error(e) => e.to_string(),
        };
        if text.is_empty() {
            continue;
        }
        if cells.len() >= MAX_CELLS {
            return Err(too_large());
        }
        cells.push(((r as usize, c as usize), text));
    }
    let Some(top) = cells.iter().map(|((r, _), _)| *r).min() else { return Ok(Vec::new()) };
    let bottom = cells.iter().map(|((r, _), _)| *r).max().unwrap_or(top);
    let left = cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    let right = cells.iter().map(|((_, c), _)| *c).max().unwrap_or(left);
    let (height, width) = (bottom - top + 1, right - left + 1);
    if height.saturating_mul(width) > MAX_CELLS {
        return Err(too_large());
    }
    let mut out = vec![vec![String::new(); width]; height];
    for ((r, c), text) in cells {
        out[r - top][c - left] = text;
    }
    Ok(out)
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
    fn semicolons_and_garbage() {
        let rows = read_table("control;applicable\n5.1;ja\n".as_bytes()).unwrap();
        assert_eq!(rows[1], ["5.1", "ja"]);
        assert!(read_table(b"PK\x03\x04 not really a zip").is_err());
        assert!(read_table(&[0xff, 0xfe, 0x00]).is_err());
    }
}
