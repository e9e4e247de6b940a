//! Every PDF Borgen produces can be read: on the demo organisation, in both
//! languages, the words as poppler reads them back with their positions
//! (`pdftotext -bbox-layout`) neither overlap on a line nor run past the page
//! edge, no two header labels run into one word, the text is not shrunk out
//! of reach, and every control (SoA) or risk number is there.

use crate::common::*;

#[derive(Debug)]
struct Word {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

struct Page {
    width: f64,
    words: Vec<Word>,
}

fn attr(tag: &str, name: &str) -> f64 {
    let start = tag.find(&format!("{name}=\"")).map(|i| i + name.len() + 2).expect(name);
    tag[start..].split('"').next().and_then(|v| v.parse().ok()).expect(name)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The pages of a PDF with their words and boxes (points, origin top left).
fn bbox(pdf: &[u8]) -> Vec<Page> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new("pdftotext")
        .args(["-bbox-layout", "-enc", "UTF-8", "-", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("pdftotext (apt-get install -y poppler-utils)");
    child.stdin.take().unwrap().write_all(pdf).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let xml = String::from_utf8(out.stdout).unwrap();
    xml.split("<page ")
        .skip(1)
        .map(|p| {
            let head = &p[..p.find('>').unwrap()];
            let words = p
                .split("<word ")
                .skip(1)
                .map(|w| {
                    let tag = &w[..w.find('>').unwrap()];
                    let text = &w[w.find('>').unwrap() + 1..w.find("</word>").unwrap()];
                    Word {
                        x0: attr(tag, "xMin"),
                        y0: attr(tag, "yMin"),
                        x1: attr(tag, "xMax"),
                        y1: attr(tag, "yMax"),
                        text: unescape(text),
                    }
                })
                .collect();
            Page { width: attr(head, "width"), words }
        })
        .collect()
}

/// What is wrong with the layout of `pages`, whose table has the header
/// labels `headers` (as the CSV of the same export has them).
fn faults(pages: &[Page], headers: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (n, p) in pages.iter().enumerate() {
        let n = n + 1;
        for w in &p.words {
            // The page's side margins are 1.4 cm (39.7 pt); nothing runs into them.
            if w.x0 < 39.0 || w.x1 > p.width - 39.0 {
                out.push(format!(
                    "page {n}: {:?} runs past the page edge ({:.1}–{:.1} of {:.1})",
                    w.text, w.x0, w.x1, p.width
                ));
            }
            if w.y1 - w.y0 < 7.5 {
                out.push(format!("page {n}: {:?} is set too small ({:.1} pt high)", w.text, w.y1 - w.y0));
            }
        }
        for (i, a) in p.words.iter().enumerate() {
            for b in &p.words[i + 1..] {
                let vertical = a.y1.min(b.y1) - a.y0.max(b.y0);
                let horizontal = a.x1.min(b.x1) - a.x0.max(b.x0);
                if vertical > 0.5 * (a.y1 - a.y0).min(b.y1 - b.y0) && horizontal > 0.5 {
                    out.push(format!("page {n}: {:?} and {:?} overlap", a.text, b.text));
                }
            }
        }
        // Two header cells that touch are read as one word ("BeheersmaatregelTitel").
        for a in headers {
            for b in headers {
                let (Some(last), Some(first)) = (a.split_whitespace().last(), b.split_whitespace().next()) else {
                    continue;
                };
                let glued = format!("{last}{first}");
                if let Some(w) = p.words.iter().find(|w| w.text.contains(&glued)) {
                    out.push(format!("page {n}: header labels run together in {:?}", w.text));
                }
            }
        }
    }
    out
}

fn words(pages: &[Page]) -> Vec<&str> {
    pages.iter().flat_map(|p| p.words.iter().map(|w| w.text.as_str())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_pdf_is_laid_out_readably_in_both_languages() {
    let s = TestServer::start_with(Engine::Sqlite, TestOptions::default()).await.expect("server");
    assert!(s.app.seed_demo(PW).await.expect("demo"), "the demo was made");
    let c = s.login("isms@voorbeeld.nl", PW).await;
    let base = "/o/voorbeeld";
    let exports = [
        ("SoA draft", "soa/export/{f}"),
        ("SoA version 1", "soa/export/{f}?version=1"),
        ("risk register", "risks/export/{f}"),
        ("treatment plan", "risks/treatment/export/{f}"),
        ("threat register", "risks/threats/export/{f}"),
        ("asset inventory", "assets/export/{f}"),
    ];
    for lang in ["nl", "en"] {
        let r = c.post_form("/lang", &[("lang", lang), ("next", base)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        for (what, path) in exports {
            let url = |f: &str| format!("{base}/{}", path.replace("{f}", f));
            let pdf = c.get(&url("pdf")).await;
            assert_eq!(pdf.status, StatusCode::OK, "{what} ({lang})");
            assert!(pdf.bytes.starts_with(b"%PDF-"), "{what} ({lang})");
            let csv = c.get(&url("csv")).await;
            assert_eq!(csv.status, StatusCode::OK, "{what} ({lang})");
            let mut reader = csv::Reader::from_reader(csv.bytes.as_slice());
            let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
            let first: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_string()).collect();
            let pages = bbox(&pdf.bytes);
            let problems = faults(&pages, &headers);
            assert!(problems.is_empty(), "{what} ({lang}): {problems:#?}");
            // The language of the labels.
            let label = if lang == "nl" { "pagina" } else { "page" };
            assert!(words(&pages).contains(&label), "{what} ({lang}): no '{label} X of Y'");
            // Every control and every risk is there, by its number.
            let all = words(&pages);
            if what.starts_with("SoA") {
                assert_eq!(first.len(), 93);
                for id in &first {
                    assert!(all.contains(&id.as_str()), "{what} ({lang}): control {id} missing");
                }
            }
            if what == "risk register" {
                assert_eq!(first.len(), 40);
                for number in &first {
                    assert!(all.contains(&number.as_str()), "{what} ({lang}): {number} missing");
                }
            }
        }
    }
}
