//! Evidence files: which kinds of file may be stored, decided by their
//! content (magic bytes through `infer`, and for text a strict check), the
//! name a file is kept under, and its SHA-256, by which it is stored once.

use sha2::{Digest, Sha256};

/// The kinds of file the evidence store accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Odt,
    Ods,
    Txt,
    Csv,
    Eml,
}

impl FileKind {
    pub const ALL: [FileKind; 10] = [
        FileKind::Pdf,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Odt,
        FileKind::Ods,
        FileKind::Txt,
        FileKind::Csv,
        FileKind::Eml,
    ];

    /// The media type the file is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileKind::Txt => "text/plain; charset=utf-8",
            FileKind::Csv => "text/csv; charset=utf-8",
            FileKind::Eml => "message/rfc822",
        }
    }

    pub fn from_media_type(s: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.media_type() == s)
    }

    /// The file name endings that name this kind.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Png => &["png"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Docx => &["docx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Odt => &["odt"],
            FileKind::Ods => &["ods"],
            FileKind::Txt => &["txt", "log", "md"],
            FileKind::Csv => &["csv"],
            FileKind::Eml => &["eml"],
        }
    }

    /// A short label (the list of accepted kinds, the evidence index).
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Png => "PNG",
            FileKind::Jpeg => "JPEG",
            FileKind::Docx => "DOCX",
            FileKind::Xlsx => "XLSX",
            FileKind::Odt => "ODT",
            FileKind::Ods => "ODS",
            FileKind::Txt => "TXT",
            FileKind::Csv => "CSV",
            FileKind::Eml => "EML",
        }
    }
}

/// Why a file is refused; each is a locale key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge,
    /// Not one of the accepted kinds (by content).
    Kind,
    /// The name's ending says another accepted kind than the content is.
    Mismatch,
    Name,
}

impl Refusal {
    pub fn key(self) -> &'static str {
        match self {
            Refusal::Empty => "evidence.error.empty",
            Refusal::TooLarge => "evidence.error.too_large",
            Refusal::Kind => "evidence.error.kind",
            Refusal::Mismatch => "evidence.error.mismatch",
            Refusal::Name => "evidence.error.name",
        }
    }
}

fn extension(name: &str) -> Option<String> {
    name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())
}

/// Text the store takes as TXT, CSV or EML: UTF-8 (a byte-order mark
/// allowed), no control characters but tab, line breaks and form feed.
fn is_text(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => !s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0C')),
        Err(_) => false,
    }
}

/// A message as saved by a mail program: it starts with header lines
/// (`Name: value`) among which a From, Date or Received header.
fn is_message(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(16 * 1024)]);
    let mut known = false;
    for line in text.lines() {
        if line.is_empty() {
            return known;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((name, _)) = line.split_once(':') else { return false };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic()) {
            return false;
        }
        let n = name.to_ascii_lowercase();
        known |= matches!(n.as_str(), "from" | "date" | "received" | "return-path" | "message-id" | "subject");
    }
    known
}

/// What the content of a file is, or why it is refused. The name decides
/// only between the text kinds; for the others it must not contradict the
/// content ("report.pdf" that is a PNG image is refused).
pub fn sniff(bytes: &[u8], name: &str, max_bytes: u64) -> Result<FileKind, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() as u64 > max_bytes {
        return Err(Refusal::TooLarge);
    }
    let ext = extension(name);
    let binary = if infer::archive::is_pdf(bytes) {
        Some(FileKind::Pdf)
    } else if infer::image::is_png(bytes) {
        Some(FileKind::Png)
    } else if infer::image::is_jpeg(bytes) {
        Some(FileKind::Jpeg)
    } else if infer::doc::is_docx(bytes) {
        Some(FileKind::Docx)
    } else if infer::doc::is_xlsx(bytes) {
        Some(FileKind::Xlsx)
    } else if infer::odf::is_odt(bytes) {
        Some(FileKind::Odt)
    } else if infer::odf::is_ods(bytes) {
        Some(FileKind::Ods)
    } else {
        None
    };
    let kind = match binary {
        Some(k) => k,
        None if !is_text(bytes) => return Err(Refusal::Kind),
        None => match ext.as_deref() {
            Some("csv") => FileKind::Csv,
            Some("eml") if is_message(bytes) => FileKind::Eml,
            Some("eml") => return Err(Refusal::Mismatch),
            _ => FileKind::Txt,
        },
    };
    if let Some(ext) = ext {
        let named = FileKind::ALL.into_iter().find(|k| k.extensions().contains(&ext.as_str()));
        if named.is_some_and(|n| n != kind) {
            return Err(Refusal::Mismatch);
        }
    }
    Ok(kind)
}

/// The name a file is kept under: the last part of the path a browser may
/// send, without control or bidirectional characters, at most 200
/// characters; `Err` when nothing is left.
pub fn clean_name(raw: &str) -> Result<String, Refusal> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = last
        .chars()
        .filter(|c| !c.is_control() && !crate::text::is_bidi_control(*c) && *c != '"')
        .collect::<String>()
        .trim()
        .chars()
        .take(200)
        .collect();
    if name.is_empty() || name == "." || name == ".." { Err(Refusal::Name) } else { Ok(name) }
}

/// The SHA-256 of a file as lower-case hex: its name in the store.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether `s` is a SHA-256 in the form [`sha256_hex`] writes.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A file size for people: "812 B", "14.2 KB", "3.1 MB".
pub fn size_text(bytes: i64) -> String {
    let b = bytes as f64;
    if bytes < 1024 {
        format!("{bytes} B")
    } else if b < 1024.0 * 1024.0 {
        format!("{:.1} KB", b / 1024.0)
    } else {
        format!("{:.1} MB", b / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAX: u64 = 1 << 20;
    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

    #[test]
    fn content_decides_and_the_name_may_not_contradict_it() {
        assert_eq!(sniff(PDF, "policy.pdf", MAX), Ok(FileKind::Pdf));
        assert_eq!(sniff(PDF, "policy", MAX), Ok(FileKind::Pdf));
        assert_eq!(sniff(PNG, "screen.PNG", MAX), Ok(FileKind::Png));
        assert_eq!(sniff(PNG, "report.pdf", MAX), Err(Refusal::Mismatch));
        assert_eq!(sniff(PDF, "notes.txt", MAX), Err(Refusal::Mismatch));
        // An unknown binary, and an executable called .pdf.
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\0\0\0", "tool.pdf", MAX), Err(Refusal::Kind));
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0", "setup.exe", MAX), Err(Refusal::Kind));
        // A zip that is not an office document.
        assert_eq!(sniff(b"PK\x03\x04\x14\0\0\0\x08\0", "x.zip", MAX), Err(Refusal::Kind));
    }

    #[test]
    fn text_kinds_follow_the_name() {
        assert_eq!(sniff(b"a;b\n1;2\n", "list.csv", MAX), Ok(FileKind::Csv));
        assert_eq!(sniff("Notities over één back-up\n".as_bytes(), "log.txt", MAX), Ok(FileKind::Txt));
        assert_eq!(sniff(b"\xEF\xBB\xBFhello", "bom.txt", MAX), Ok(FileKind::Txt));
        let mail = b"From: a@example.org\r\nSubject: Back-up test\r\n\r\nDone.\r\n";
        assert_eq!(sniff(mail, "mail.eml", MAX), Ok(FileKind::Eml));
        assert_eq!(sniff(b"just words", "mail.eml", MAX), Err(Refusal::Mismatch));
        // Not UTF-8, or with control characters: not text.
        assert_eq!(sniff(b"caf\xe9", "x.txt", MAX), Err(Refusal::Kind));
        assert_eq!(sniff(b"a\0b", "x.txt", MAX), Err(Refusal::Kind));
    }

    #[test]
    fn empty_and_too_large_are_refused() {
        assert_eq!(sniff(b"", "x.txt", MAX), Err(Refusal::Empty));
        assert_eq!(sniff(&[b'a'; 11], "x.txt", 10), Err(Refusal::TooLarge));
        assert_eq!(sniff(&[b'a'; 10], "x.txt", 10), Ok(FileKind::Txt));
    }

    #[test]
    fn names_lose_paths_and_controls() {
        assert_eq!(clean_name("C:\\Users\\x\\back-up.pdf").unwrap(), "back-up.pdf");
        assert_eq!(clean_name("../../etc/passwd").unwrap(), "passwd");
        assert_eq!(clean_name("a\u{202E}fdp.exe").unwrap(), "afdp.exe");
        assert_eq!(clean_name("say \"hi\".txt").unwrap(), "say hi.txt");
        assert_eq!(clean_name("dir/"), Err(Refusal::Name));
        assert_eq!(clean_name(".."), Err(Refusal::Name));
        assert_eq!(clean_name(&"x".repeat(300)).unwrap().chars().count(), 200);
    }

    #[test]
    fn hashes_are_sha256_hex() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(is_sha256(&sha256_hex(b"x")));
        assert!(!is_sha256("BA7816BF"));
        assert!(!is_sha256(&"g".repeat(64)));
        assert_eq!(size_text(812), "812 B");
        assert_eq!(size_text(14_540), "14.2 KB");
    }
}
