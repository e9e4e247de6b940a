//! Exports (and later imports). A register hands over a [`Table`] with headers
//! already in the user's language; this crate writes it as CSV, XLSX, Markdown
//! or PDF (typeset by Typst, see [`pdf`]).

pub mod import;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub mod pdf;
pub use pdf::{PdfDoc, to_pdf};

/// A rectangular table of text, the common shape of every register export.
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// Sheet name (max. 31 characters in XLSX; longer names are cut).
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("xlsx: {0}")]
    Xlsx(#[from] XlsxError),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// An uploaded file that cannot be read as a sheet.
    #[error("unreadable file: {0}")]
    Unreadable(String),
    /// An uploaded file over one of the reader's limits: the locale key that
    /// says which, and the line (1 = the first) where it was found, if known.
    #[error("over the import limit {key} at line {line}")]
    Limit { key: &'static str, line: usize },
    #[error("pdf: {0}")]
    Pdf(String),
}

/// A cell that a spreadsheet program would run as a formula gets a leading
/// apostrophe, so that an exported title such as `=HYPERLINK(…)` stays text.
fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// CSV with a header row, UTF-8 with a byte-order mark so that spreadsheet
/// programs open accented text correctly.
pub fn to_csv(t: &Table) -> Result<Vec<u8>, ReportError> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        for row in std::iter::once(&t.headers).chain(&t.rows) {
            for cell in row {
                w.write_field(defuse(cell).as_bytes())?;
            }
            w.write_record(None::<&[u8]>)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// An XLSX workbook with one sheet: bold frozen header, autofilter, and column
/// widths fitted to the content (within limits).
pub fn to_xlsx(t: &Table) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let name: String = t.title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if !name.is_empty() {
        ws.set_name(&name)?;
    }
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for (c, h) in t.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string_with_format(r as u32 + 1, c as u16, v, &wrap)?;
        }
    }
    for c in 0..t.headers.len() {
        let longest = std::iter::once(&t.headers[c])
            .chain(t.rows.iter().filter_map(|r| r.get(c)))
            .map(|s| s.chars().count())
            .max()
            .unwrap_or(8);
        ws.set_column_width(c as u16, (longest as f64 + 2.0).clamp(8.0, 60.0))?;
    }
    ws.set_freeze_panes(1, 0)?;
    if !t.headers.is_empty() {
        ws.autofilter(0, 0, t.rows.len() as u32, t.headers.len() as u16 - 1)?;
    }
    Ok(wb.save_to_buffer()?)
}

/// A Markdown document: a heading, lines of front matter, and the table
/// (pipes and line breaks in cells escaped).
pub fn to_markdown(t: &Table, heading: &str, front: &[String]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace(['\r', '\n'], " ");
    let mut out = format!("# {heading}\n\n");
    for line in front {
        out.push_str(&format!("{line}  \n"));
    }
    if !front.is_empty() {
        out.push('\n');
    }
    out.push_str(&format!("| {} |\n", t.headers.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")));
    out.push_str(&format!("|{}\n", " --- |".repeat(t.headers.len())));
    for r in &t.rows {
        out.push_str(&format!("| {} |\n", r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Table {
        Table {
            title: "Context".into(),
            headers: vec!["Titel".into(), "Categorie".into()],
            rows: vec![vec!["Klimaat, \"hitte\"".into(), "climate_change".into()]],
        }
    }

    #[test]
    fn csv_quotes_and_keeps_accents() {
        let b = to_csv(&t()).unwrap();
        let s = String::from_utf8(b[3..].to_vec()).unwrap();
        assert_eq!(s, "Titel,Categorie\n\"Klimaat, \"\"hitte\"\"\",climate_change\n");
    }

    #[test]
    fn csv_cells_never_become_formulas() {
        let t = Table {
            title: "x".into(),
            headers: vec!["h".into()],
            rows: vec![vec!["=HYPERLINK(\"http://x\")".into()], vec!["@SUM(A1)".into()], vec!["plain".into()]],
        };
        let s = String::from_utf8(to_csv(&t).unwrap()[3..].to_vec()).unwrap();
        assert_eq!(s, "h\n\"'=HYPERLINK(\"\"http://x\"\")\"\n'@SUM(A1)\nplain\n");
    }

    #[test]
    fn markdown_escapes_pipes_and_newlines() {
        let t = Table {
            title: "x".into(),
            headers: vec!["A".into(), "B".into()],
            rows: vec![vec!["a|b".into(), "c\nd".into()]],
        };
        let md = to_markdown(&t, "SoA", &["Version 1".into()]);
        assert_eq!(md, "# SoA\n\nVersion 1  \n\n| A | B |\n| --- | --- |\n| a\\|b | c d |\n");
    }

    #[test]
    fn xlsx_is_a_zip() {
        let b = to_xlsx(&t()).unwrap();
        assert_eq!(&b[0..2], b"PK");
    }
}
