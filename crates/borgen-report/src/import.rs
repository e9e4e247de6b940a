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

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReportError> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|_| ReportError::Unreadable("not UTF-8 text".into()))?;
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.matches(';').count() > first.matches(',').count() { b';' } else { b',' };
    let mut rdr =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec?;
        out.push(rec.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(out)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, ReportError> {
    use calamine::{Data, Reader, Xlsx};
    let mut wb: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(|e| ReportError::Unreadable(e.to_string()))?;
    let range = wb
        .worksheet_range_at(0)
        .ok_or_else(|| ReportError::Unreadable("the workbook has no sheet".into()))?
        .map_err(|e| ReportError::Unreadable(e.to_string()))?;
    Ok(range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::String(s) => s.trim().to_string(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
                    Data::DateTime(d) if d.is_datetime() => excel_date(d.as_f64()),
                    Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
                    other => other.to_string().trim().to_string(),
                })
                .collect()
        })
        .collect())
}

/// A spreadsheet date (days since 30 December 1899) as `YYYY-MM-DD`, with
/// the time of day when it has one.
fn excel_date(serial: f64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).expect("a valid date");
    let days = serial.floor();
    let Some(date) = epoch.checked_add_signed(chrono::Duration::days(days as i64)) else {
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
    }

    #[test]
    fn semicolons_and_garbage() {
        let rows = read_table("control;applicable\n5.1;ja\n".as_bytes()).unwrap();
        assert_eq!(rows[1], ["5.1", "ja"]);
        assert!(read_table(b"PK\x03\x04 not really a zip").is_err());
        assert!(read_table(&[0xff, 0xfe, 0x00]).is_err());
    }
}
