//! PDF documents typeset by the Typst compiler, used as a library.
//!
//! The layout is the small template `pdf.typ`. Every user text (title, front
//! matter, cells, footer) reaches it as a string value in `sys.inputs`, never
//! as markup, so `#`, `$`, `*`, `[` and friends are printed as they are.
//! The fonts come from `typst-assets` and are compiled into the binary: nothing
//! is read from the system or fetched.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, IntoValue, Str, Value};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::{ReportError, Table};

/// A document: a title, lines of front matter (label, value), then the table.
pub struct PdfDoc<'a> {
    pub title: &'a str,
    /// E.g. the organisation's name.
    pub subtitle: &'a str,
    /// E.g. `("Version", "3")`, `("Approved by", "…")`.
    pub front: &'a [(String, String)],
    pub table: &'a Table,
    /// Left part of each page footer; the right part is "page X of Y".
    pub footer: &'a str,
    /// `"nl"` or `"en"`: hyphenation and the page label ("pagina X van Y").
    pub lang: &'a str,
    /// A column printed as a heading above each run of rows that share its
    /// value (the SoA's theme), instead of as a column.
    pub group_by: Option<usize>,
}

const TEMPLATE: &str = include_str!("pdf.typ");

/// The template as a Typst source, parsed once.
static MAIN: LazyLock<Source> = LazyLock::new(|| {
    let path = VirtualPath::new("/report.typ").expect("a valid virtual path");
    Source::new(RootedPath::new(VirtualRoot::Project, path).intern(), TEMPLATE.to_string())
});

/// The embedded fonts and their book, parsed once per process.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
    Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
});

/// What one compilation sees: the standard library with this document's
/// inputs, the template, and the embedded fonts. No files, no packages.
struct DocWorld {
    library: LazyHash<Library>,
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.book
    }

    fn main(&self) -> FileId {
        MAIN.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == MAIN.id() { Ok(MAIN.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == MAIN.id() { Ok(Bytes::from_string(MAIN.clone())) } else { Err(FileError::AccessDenied) }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

/// Text as a Typst string value: line breaks kept (as `\n`), tabs as spaces,
/// other control characters dropped.
fn text(s: &str) -> Value {
    let s = s.replace("\r\n", "\n").replace('\r', "\n").replace('\t', " ");
    Value::Str(Str::from(s.chars().filter(|c| *c == '\n' || !c.is_control()).collect::<String>()))
}

/// The longest words of `texts` (by characters, at most `keep`), each cut
/// to `cap` characters: what the template measures to find how narrow a
/// column may be without a word running into the next.
fn longest_words<'t>(texts: impl Iterator<Item = &'t str>, keep: usize, cap: usize) -> Vec<String> {
    let mut words: Vec<&str> = texts.flat_map(str::split_whitespace).collect();
    words.sort_unstable_by_key(|w| (std::cmp::Reverse(w.chars().count()), *w));
    words.dedup();
    words.into_iter().take(keep).map(|w| w.chars().take(cap).collect()).collect()
}

/// A column's short cells of several words (a name, a status: at most 14
/// characters), which read better on one line when the table has the room.
fn phrases<'t>(cells: impl Iterator<Item = &'t str>) -> Vec<String> {
    let short = cells.map(str::trim).filter(|c| c.chars().count() <= 14 && c.contains(' '));
    longest_words_whole(short, 2)
}

/// The longest of `texts` (by characters), at most `keep`, whole.
fn longest_words_whole<'t>(texts: impl Iterator<Item = &'t str>, keep: usize) -> Vec<String> {
    let mut all: Vec<&str> = texts.collect();
    all.sort_unstable_by_key(|w| (std::cmp::Reverse(w.chars().count()), *w));
    all.dedup();
    all.into_iter().take(keep).map(str::to_string).collect()
}

/// How much room a column's text wants beyond its narrowest width: the
/// length (in characters) of its ninth-decile cell, at most 60, at least 1.
fn weight(cells: &[&str]) -> f64 {
    let mut lens: Vec<usize> = cells.iter().map(|c| c.chars().count()).collect();
    lens.sort_unstable();
    let p90 = lens.get(lens.len().saturating_sub(1) * 9 / 10).copied().unwrap_or(0);
    (p90.min(60) as f64).max(1.0)
}

/// The table as the template receives it: the columns shown (without the
/// grouping column and without columns empty in every row), per column the words that bound its width (header
/// words in bold, cell words) and its weight, the rows, and per row the
/// group heading that starts before it ("" for none).
struct Laid {
    headers: Vec<String>,
    header_words: Vec<Vec<String>>,
    cell_words: Vec<Vec<String>>,
    cell_phrases: Vec<Vec<String>>,
    weights: Vec<f64>,
    rows: Vec<Vec<String>>,
    groups: Vec<String>,
}

fn lay_out(t: &Table, group_by: Option<usize>) -> Laid {
    let n = t.headers.len();
    let group = group_by.filter(|g| *g < n);
    // A column empty in every row says nothing on paper (the CSV and XLSX
    // keep it); with no rows at all, the headers still show.
    let filled = |c: usize| t.rows.is_empty() || t.rows.iter().any(|r| r.get(c).is_some_and(|v| !v.trim().is_empty()));
    let shown: Vec<usize> = (0..n).filter(|c| Some(*c) != group && filled(*c)).collect();
    let cell = |r: &Vec<String>, c: usize| r.get(c).map_or("", String::as_str).to_string();
    let mut groups = Vec::with_capacity(t.rows.len());
    let mut last: Option<String> = None;
    for r in &t.rows {
        let g = group.map(|g| cell(r, g));
        groups.push(match (&g, &last) {
            (Some(now), Some(before)) if now == before => String::new(),
            (Some(now), _) => now.clone(),
            (None, _) => String::new(),
        });
        last = g;
    }
    let column = |c: usize| t.rows.iter().map(move |r| r.get(c).map_or("", String::as_str));
    Laid {
        headers: shown.iter().map(|c| t.headers[*c].clone()).collect(),
        header_words: shown.iter().map(|c| longest_words(std::iter::once(t.headers[*c].as_str()), 3, 40)).collect(),
        cell_words: shown.iter().map(|c| longest_words(column(*c), 3, 40)).collect(),
        cell_phrases: shown.iter().map(|c| phrases(column(*c))).collect(),
        weights: shown.iter().map(|c| weight(&column(*c).collect::<Vec<_>>())).collect(),
        rows: t.rows.iter().map(|r| shown.iter().map(|c| cell(r, *c)).collect()).collect(),
        groups,
    }
}

/// The document as `sys.inputs`: strings, arrays of strings, and numbers.
fn inputs(doc: &PdfDoc) -> Dict {
    let lang = if doc.lang == "nl" { "nl" } else { "en" };
    let laid = lay_out(doc.table, doc.group_by);
    let strings = |v: &[String]| v.iter().map(|s| text(s)).collect::<Vec<_>>().into_value();
    let front: Vec<Value> =
        doc.front.iter().map(|(k, v)| Value::Array(vec![text(k), text(v)].into_iter().collect())).collect();
    let entries: [(&str, Value); 13] = [
        ("lang", lang.into_value()),
        ("title", text(doc.title)),
        ("subtitle", text(doc.subtitle)),
        ("footer", text(doc.footer)),
        ("front", front.into_value()),
        ("headers", strings(&laid.headers)),
        ("header_words", laid.header_words.iter().map(|w| strings(w)).collect::<Vec<_>>().into_value()),
        ("cell_words", laid.cell_words.iter().map(|w| strings(w)).collect::<Vec<_>>().into_value()),
        ("cell_phrases", laid.cell_phrases.iter().map(|w| strings(w)).collect::<Vec<_>>().into_value()),
        ("weights", laid.weights.into_value()),
        // Every row gets exactly one cell per column, or the table would shift.
        ("rows", laid.rows.iter().map(|r| strings(r)).collect::<Vec<_>>().into_value()),
        ("groups", strings(&laid.groups)),
        ("group_span", (laid.headers.len() as i64).into_value()),
    ];
    entries.into_iter().map(|(k, v)| (Str::from(k), v)).collect()
}

fn diagnostics(errors: &[SourceDiagnostic]) -> ReportError {
    ReportError::Pdf(errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("; "))
}

/// An A4 landscape PDF: title, subtitle, front matter, and the table with its
/// header row repeated on every page; each page's footer carries `doc.footer`
/// and "page X of Y".
pub fn to_pdf(doc: &PdfDoc) -> Result<Vec<u8>, ReportError> {
    let world = DocWorld { library: LazyHash::new(Library::builder().with_inputs(inputs(doc)).build()) };
    let compiled = typst::compile(&world).output;
    let pdf = compiled.and_then(|document| typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()));
    // Typst memoises across compilations in a global cache; a report's inputs
    // are rarely compiled twice, so drop it rather than let a server grow it.
    typst::comemo::evict(0);
    pdf.map_err(|e| diagnostics(&e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::process::{Command, Stdio};

    /// The text of a PDF as Debian's `pdftotext -layout` sees it; pages are
    /// separated by form feeds.
    fn pdftotext(pdf: &[u8]) -> String {
        let child = Command::new("pdftotext")
            .args(["-layout", "-enc", "UTF-8", "-", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn();
        let mut child = child.unwrap_or_else(|e| {
            panic!("cannot run `pdftotext` ({e}): install poppler-utils (apt-get install -y poppler-utils)")
        });
        child.stdin.take().unwrap().write_all(pdf).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    fn pages(text: &str) -> Vec<&str> {
        text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect()
    }

    /// The 93 Annex A control ids: 5.1–5.37, 6.1–6.8, 7.1–7.14, 8.1–8.34.
    fn control_ids() -> Vec<String> {
        [(5, 37), (6, 8), (7, 14), (8, 34)]
            .iter()
            .flat_map(|&(c, n)| (1..=n).map(move |i| format!("{c}.{i}")))
            .collect()
    }

    fn soa_table() -> Table {
        let long = "Het beleid wordt jaarlijks beoordeeld door de directie; de beoordeling wordt vastgelegd \
                    in het managementreview, met acties, eigenaren en termijnen, en opgevolgd in het \
                    ISMS-overleg. Geïdentificeerde risico's worden gecoördineerd met de ketenpartners.";
        let rows = control_ids()
            .into_iter()
            .enumerate()
            .map(|(i, id)| {
                vec![
                    id,
                    format!("Beheersmaatregel {} — privé-gegevens, financiële rapportage", i + 1),
                    ["Organisatorisch", "Mensen", "Fysiek", "Technologisch"][i % 4].to_string(),
                    if i % 7 == 3 { "Nee" } else { "Ja" }.to_string(),
                    "Risicobeoordeling, wettelijke eis".to_string(),
                    if i % 5 == 0 { long.to_string() } else { "Idee: één coördinator.".to_string() },
                    "Geïmplementeerd".to_string(),
                    "Zoë Ëlsen".to_string(),
                    "Toegangsbeleid; logging".to_string(),
                    if i % 9 == 0 { long.to_string() } else { String::new() },
                ]
            })
            .collect();
        Table {
            title: "VvT".into(),
            headers: [
                "Maatregel",
                "Titel",
                "Thema",
                "Van toepassing",
                "Redenen",
                "Rechtvaardiging",
                "Status",
                "Eigenaar",
                "Toegepaste maatregelen",
                "Eisen",
            ]
            .map(String::from)
            .to_vec(),
            rows,
        }
    }

    #[test]
    fn a_93_row_table_spans_pages_with_header_and_footer_on_each() {
        let t = soa_table();
        let front = [("Versie".to_string(), "3".to_string()), ("Goedgekeurd door".to_string(), "Directie".to_string())];
        let doc = PdfDoc {
            title: "Verklaring van toepasselijkheid",
            subtitle: "Voorbeeld B.V.",
            front: &front,
            table: &t,
            footer: "Verklaring van toepasselijkheid · Voorbeeld B.V. · versie 3",
            lang: "nl",
            group_by: None,
        };
        let pdf = to_pdf(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = pdftotext(&pdf);
        let tokens: Vec<&str> = text.split_whitespace().collect();
        for id in control_ids() {
            let n = tokens.iter().filter(|w| **w == id).count();
            assert_eq!(n, 1, "control {id} appears {n} times in:\n{text}");
        }
        let pages = pages(&text);
        assert!(pages.len() > 1, "expected several pages, got {}", pages.len());
        for (i, page) in pages.iter().enumerate() {
            // pdftotext may glue narrow header cells together ("MaatregelTitel").
            let headers = page.matches("Maatregel").count();
            assert_eq!(headers, 1, "header row not once on page {}:\n{page}", i + 1);
            let label = format!("pagina {} van {}", i + 1, pages.len());
            assert!(page.contains(&label), "no '{label}' on page {}:\n{page}", i + 1);
            assert!(page.contains("Verklaring van toepasselijkheid · Voorbeeld B.V. · versie 3"), "no footer:\n{page}");
        }
        assert_eq!(text.matches("Versie").count(), 1);
        // Words may be hyphenated across lines in narrow columns; these are not.
        for accented in ["Goedgekeurd door", "Zoë", "één", "privé"] {
            assert!(text.contains(accented), "no '{accented}' in:\n{text}");
        }
    }

    #[test]
    fn a_grouping_column_becomes_headings_and_empty_columns_are_left_out() {
        let row = |id: &str, theme: &str, note: &str| {
            vec![id.to_string(), theme.to_string(), note.to_string(), String::new()]
        };
        let t = Table {
            title: "x".into(),
            headers: ["Id", "Theme", "Note", "Empty"].map(String::from).to_vec(),
            rows: vec![row("5.1", "Organisational", "a"), row("5.2", "Organisational", ""), row("6.1", "People", "b")],
        };
        let laid = lay_out(&t, Some(1));
        assert_eq!(laid.headers, ["Id", "Note"], "the theme is a heading, the empty column goes");
        assert_eq!(laid.groups, ["Organisational", "", "People"], "a heading where the theme changes");
        assert_eq!(laid.rows, [vec!["5.1", "a"], vec!["5.2", ""], vec!["6.1", "b"]]);
        let text = pdftotext(
            &to_pdf(&PdfDoc {
                title: "T",
                subtitle: "",
                front: &[],
                table: &t,
                footer: "",
                lang: "en",
                group_by: Some(1),
            })
            .unwrap(),
        );
        assert_eq!(text.matches("Organisational").count(), 1, "{text}");
        assert!(!text.contains("Empty") && !text.contains("Theme"), "{text}");
        // Without rows, every header still shows.
        let empty = Table { rows: Vec::new(), ..t.clone() };
        assert_eq!(lay_out(&empty, None).headers.len(), 4);
    }

    #[test]
    fn the_longest_words_bound_a_column_and_long_text_weighs_more() {
        assert_eq!(longest_words(["a bb ccc", "dddd bb"].into_iter(), 2, 3), ["ddd", "ccc"]);
        let owners = ["Sanne de Vries", "Fatima El Amrani", "Ja"];
        assert_eq!(phrases(owners.into_iter()), ["Sanne de Vries"], "short cells of several words, whole");
        assert_eq!(weight(&["", "", ""]), 1.0);
        assert!(weight(&["een lange onderbouwing van de keuze"; 10]) > weight(&["Ja"; 10]));
    }

    #[test]
    fn user_text_is_printed_literally_never_run_as_typst() {
        let nasty = r#"#set page(width: 1cm) $x$ *bold* [link] \ "q" <l> @r _u_ `c` // no comment"#;
        let t = Table { title: "x".into(), headers: vec![nasty.into()], rows: vec![vec![nasty.into()]] };
        let front = [(nasty.to_string(), nasty.to_string())];
        let doc = PdfDoc {
            title: nasty,
            subtitle: nasty,
            front: &front,
            table: &t,
            footer: nasty,
            lang: "en",
            group_by: None,
        };
        let text = pdftotext(&to_pdf(&doc).unwrap());
        let pages = pages(&text);
        assert_eq!(pages.len(), 1, "{text}");
        let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| l.contains("#set")).collect();
        // Title, subtitle, front matter label and value, header, cell, footer.
        assert_eq!(lines.iter().map(|l| l.matches(nasty).count()).sum::<usize>(), 7, "{text}");
        assert!(text.contains("page 1 of 1"), "{text}");
    }

    #[test]
    fn template_compiles_without_rows_or_front_matter() {
        let t = Table { title: "x".into(), headers: vec![], rows: vec![] };
        let doc = PdfDoc { title: "Leeg", subtitle: "", front: &[], table: &t, footer: "", lang: "xx", group_by: None };
        let text = pdftotext(&to_pdf(&doc).unwrap());
        assert!(text.contains("Leeg") && text.contains("page 1 of 1"), "{text}");
    }

    #[test]
    fn ragged_rows_and_control_characters_are_tidied() {
        let t = Table {
            title: "x".into(),
            headers: vec!["A".into(), "B".into()],
            rows: vec![vec!["one\u{0}\u{7}".into()], vec!["x".into(), "y".into(), "dropped".into()]],
        };
        let doc = PdfDoc { title: "T", subtitle: "", front: &[], table: &t, footer: "f", lang: "en", group_by: None };
        let text = pdftotext(&to_pdf(&doc).unwrap());
        assert!(text.contains("one") && text.contains('y') && !text.contains("dropped"), "{text}");
    }
}
