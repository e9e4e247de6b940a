//! Exports (and later imports). A register hands over a [`Table`] with headers
//! already in the user's language; this crate writes it as CSV, XLSX, Markdown
//! or PDF (typeset by Typst, see [`pdf`]).

pub mod import;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

#[cfg(feature = "pdf")]
pub mod pdf;
#[cfg(feature = "pdf")]
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

/// Characters that make a spreadsheet program read a cell as a formula when they
/// start it (`=`, `+`, `-`, `@`, and tab or carriage return, which some programs
/// skip before looking at the next character).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Where a spreadsheet program might split one CSV field into several cells: the
/// separators it may guess (`;` in Dutch Excel, `,`, tab) and line breaks.
const SPLIT_AT: [char; 5] = [';', ',', '\t', '\n', '\r'];

/// Does this CSV field need defusing? The rule, for every CSV export:
///
/// - the field, or any segment of it after a `;`, `,`, tab or line break (where a
///   program that guesses another separator, or ignores our quotes, could start a
///   new cell), starts — after spaces — with `=`, `+`, `-`, `@`, tab or CR; or
/// - the field starts with `'`, so that [`undefuse`] can tell our prefix from the
///   user's own apostrophe.
///
/// Such a field gets one leading apostrophe: spreadsheet programs show it as text,
/// and our own import takes the apostrophe off again ([`undefuse`]). So
/// `a;=1+1;b8` is written `"'a;=1+1;b8"`, and `-5` as `"'-5"`.
pub fn needs_defusing(cell: &str) -> bool {
    let starts_formula = |seg: &str| seg.trim_start_matches(' ').starts_with(FORMULA_START);
    cell.starts_with('\'') || starts_formula(cell) || cell.split(SPLIT_AT).skip(1).any(starts_formula)
}

/// A cell that a spreadsheet program could run as a formula gets a leading
/// apostrophe (see [`needs_defusing`] for the rule).
pub fn defuse(cell: &str) -> std::borrow::Cow<'_, str> {
    if needs_defusing(cell) { std::borrow::Cow::Owned(format!("'{cell}")) } else { std::borrow::Cow::Borrowed(cell) }
}

/// The inverse of [`defuse`], for reading a CSV file back: a leading apostrophe is
/// taken off when what follows is a field [`defuse`] would have prefixed. Any other
/// apostrophe is the user's and stays.
pub fn undefuse(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_defusing(rest) => rest,
        _ => cell,
    }
}

/// A CSV writer as every export uses it: every field quoted, so that no program
/// splits a field at a `;` or `,` inside it. Write fields through [`defuse`].
pub fn csv_writer<W: std::io::Write>(w: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().quote_style(csv::QuoteStyle::Always).from_writer(w)
}

/// CSV with a header row, UTF-8 with a byte-order mark so that spreadsheet
/// programs open accented text correctly. Every field is quoted and defused
/// ([`needs_defusing`]).
pub fn to_csv(t: &Table) -> Result<Vec<u8>, ReportError> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv_writer(&mut out);
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
    table_sheet(&mut wb, t)?;
    Ok(wb.save_to_buffer()?)
}

/// An XLSX workbook whose first sheet is the table (so that it reads back as
/// an import) and whose second sheet, named `about`, says what the document
/// is: one label and value per row (organisation, version, approval, …).
pub fn to_xlsx_doc(t: &Table, about: &str, front: &[(String, String)]) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    table_sheet(&mut wb, t)?;
    let ws = wb.add_worksheet();
    let name: String = about.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
    if !name.is_empty() {
        ws.set_name(&name)?;
    }
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    for (r, (k, v)) in front.iter().enumerate() {
        ws.write_string_with_format(r as u32, 0, k, &bold)?;
        ws.write_string_with_format(r as u32, 1, v, &wrap)?;
    }
    let widest = front.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(8);
    ws.set_column_width(0, (widest as f64 + 2.0).clamp(8.0, 40.0))?;
    ws.set_column_width(1, 80.0)?;
    Ok(wb.save_to_buffer()?)
}

fn table_sheet(wb: &mut Workbook, t: &Table) -> Result<(), ReportError> {
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
    Ok(())
}

/// Text for Markdown: HTML is escaped (`&`, `<`, `>` as entities, so that a note
/// with `<script>` reads as text in every renderer), the Markdown characters that
/// could change the layout or add a link (`\\`, `` ` ``, `*`, `_`, `[`, `]`, `|`,
/// `~`) get a backslash, and line breaks become spaces (a table row and a line of
/// front matter are one line).
pub fn md_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown document: a heading, lines of front matter, and the table; every
/// piece of text escaped with [`md_text`].
pub fn to_markdown(t: &Table, heading: &str, front: &[String]) -> String {
    let row = |cells: &[String]| format!("| {} |\n", cells.iter().map(|c| md_text(c)).collect::<Vec<_>>().join(" | "));
    let mut out = format!("# {}\n\n", md_text(heading));
    for line in front {
        out.push_str(&format!("{}  \n", md_text(line)));
    }
    if !front.is_empty() {
        out.push('\n');
    }
    out.push_str(&row(&t.headers));
    out.push_str(&format!("|{}\n", " --- |".repeat(t.headers.len())));
    for r in &t.rows {
        out.push_str(&row(r));
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
        assert_eq!(s, "\"Titel\",\"Categorie\"\n\"Klimaat, \"\"hitte\"\"\",\"climate_change\"\n");
    }

    #[test]
    fn csv_cells_never_become_formulas() {
        let t = Table {
            title: "x".into(),
            headers: vec!["h".into()],
            rows: vec![vec!["=HYPERLINK(\"http://x\")".into()], vec!["@SUM(A1)".into()], vec!["plain".into()]],
        };
        let s = String::from_utf8(to_csv(&t).unwrap()[3..].to_vec()).unwrap();
        assert_eq!(s, "\"h\"\n\"'=HYPERLINK(\"\"http://x\"\")\"\n\"'@SUM(A1)\"\n\"plain\"\n");
    }

    #[test]
    fn csv_formulas_after_a_separator_are_defused_and_every_field_quoted() {
        // The finding: Dutch Excel splits on `;` and would see `=1+1`.
        let t = Table {
            title: "x".into(),
            headers: vec!["h".into(), "i".into()],
            rows: vec![
                vec!["a;=1+1;b8".into(), "x, +1".into()],
                vec!["line\n@SUM(A1)".into(), "tab\t-2".into()],
                vec!["a; =cmd".into(), "'quoted".into()],
                vec!["2026-01-31".into(), "Laptop; spare".into()],
            ],
        };
        let s = String::from_utf8(to_csv(&t).unwrap()[3..].to_vec()).unwrap();
        assert_eq!(
            s,
            "\"h\",\"i\"\n\"'a;=1+1;b8\",\"'x, +1\"\n\"'line\n@SUM(A1)\",\"'tab\t-2\"\n\
             \"'a; =cmd\",\"''quoted\"\n\"2026-01-31\",\"Laptop; spare\"\n"
        );
        // Every cell that needed it reads back exactly, and ordinary apostrophes stay.
        for row in &t.rows {
            for c in row {
                assert_eq!(undefuse(&defuse(c)), c, "{c:?}");
            }
        }
        assert_eq!(undefuse("'tis"), "'tis");
        assert_eq!(undefuse("'=1"), "=1");
    }

    #[test]
    fn a_document_workbook_reads_back_as_its_table_and_says_what_it_is() {
        use calamine::{Data, Reader, Xlsx};
        let table = Table {
            title: "SoA".into(),
            headers: vec!["Control".into(), "Applicable".into()],
            rows: vec![vec!["5.1".into(), "Yes".into()]],
        };
        let front = vec![("Version".to_string(), "3".to_string()), ("Approval".to_string(), "Pieter".to_string())];
        let bytes = to_xlsx_doc(&table, "About", &front).unwrap();
        let back = crate::import::read_table(&bytes).unwrap();
        assert_eq!(back[0], table.headers);
        assert_eq!(back[1], table.rows[0]);
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(wb.sheet_names(), ["SoA", "About"]);
        let about = wb.worksheet_range("About").unwrap();
        let cells: Vec<Vec<String>> = about
            .rows()
            .map(|r| r.iter().map(|c| if let Data::String(s) = c { s.clone() } else { String::new() }).collect())
            .collect();
        assert_eq!(cells, [["Version", "3"], ["Approval", "Pieter"]]);
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
    fn markdown_escapes_html_and_markup() {
        let t = Table {
            title: "x".into(),
            headers: vec!["A".into(), "B".into()],
            rows: vec![vec!["<script>alert(1)</script>".into(), "[x](javascript:y) *b* a\\|c\r\nd & e".into()]],
        };
        let md = to_markdown(&t, "SoA <b>", &["Org <i>x</i>\nnext".into()]);
        assert!(!md.contains('<') && !md.contains('>'), "{md}");
        assert_eq!(
            md,
            "# SoA &lt;b&gt;\n\nOrg &lt;i&gt;x&lt;/i&gt; next  \n\n| A | B |\n| --- | --- |\n\
             | &lt;script&gt;alert(1)&lt;/script&gt; | \\[x\\](javascript:y) \\*b\\* a\\\\\\|c d &amp; e |\n"
        );
    }

    #[test]
    fn xlsx_is_a_zip() {
        let b = to_xlsx(&t()).unwrap();
        assert_eq!(&b[0..2], b"PK");
    }
}
