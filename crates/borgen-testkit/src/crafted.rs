//! Spreadsheets made the way an attacker would make them, for the tests that
//! prove an import refuses them without hurting the server.

use std::io::{Read, Write};

/// A small real workbook: a header row and `rows` asset rows.
pub fn workbook(rows: usize) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["Name", "Type"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("a header cell");
    }
    for r in 1..=rows {
        ws.write_string(r as u32, 0, format!("Laptop {r}")).expect("a cell");
        ws.write_string(r as u32, 1, "hardware").expect("a cell");
    }
    wb.save_to_buffer().expect("a workbook")
}

/// Rewrites the parts of an XLSX archive: `change` gets each part's name,
/// its bytes and the new archive's writer positioned in the new part, and
/// writes the part's new content, or returns false to keep the part as it is.
pub fn rezip(xlsx: &[u8], change: impl Fn(&str, &[u8], &mut dyn Write) -> bool) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).expect("an archive");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).large_file(true);
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("a part");
        let name = f.name().expect("a part name").to_string();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).expect("a readable part");
        out.start_file(name.as_str(), opts).expect("a new part");
        if !change(&name, &bytes, &mut out) {
            out.write_all(&bytes).expect("written");
        }
    }
    out.finish().expect("an archive").into_inner()
}

/// Finding 1: a workbook of 5 KB whose shared strings declare a trillion
/// entries, which a reader that trusts the count reserves room for.
pub fn declared_trillion_strings() -> Vec<u8> {
    rezip(&workbook(2), |name, bytes, out| {
        if !name.ends_with("sharedStrings.xml") {
            return false;
        }
        let text = String::from_utf8_lossy(bytes);
        let at = text.find("uniqueCount=\"").expect("a declared count") + "uniqueCount=\"".len();
        let end = at + text[at..].find('"').expect("a closing quote");
        let changed = format!("{}1000000000000{}", &text[..at], &text[end..]);
        out.write_all(changed.as_bytes()).expect("written");
        true
    })
}

/// Finding 2: a zip bomb of about 1 MB whose one shared string inflates to
/// `mib` MiB (streamed into the archive, never held in memory whole).
pub fn shared_string_bomb(mib: usize) -> Vec<u8> {
    rezip(&workbook(1), |name, _, out| {
        if !name.ends_with("sharedStrings.xml") {
            return false;
        }
        out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"4\" uniqueCount=\"4\"><si><t>Name</t></si><si><t>Type</t></si><si><t>").expect("written");
        let chunk = vec![b'A'; 1024 * 1024];
        for _ in 0..mib {
            out.write_all(&chunk).expect("written");
        }
        out.write_all(b"</t></si><si><t>hardware</t></si></sst>").expect("written");
        true
    })
}
