//! Markdown as HTML for a document's text: CommonMark with tables, through
//! pulldown-cmark, then cleaned by ammonia, which keeps only a list of safe
//! tags and attributes: no script, no event handlers, no styles, no frames,
//! and links and images only to `http`, `https` and `mailto` addresses.

use pulldown_cmark::{Options, Parser, html};

/// The HTML of `md`, safe to put into a page as it is.
pub fn to_html(md: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(md, opts));
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&raw)
        .to_string()
}

/// The words of `md` without its markup, for a PDF or a spreadsheet cell:
/// a blank line between blocks, a dash before each list item, table cells
/// apart by " · ". Raw HTML is dropped.
pub fn to_plain(md: &str) -> String {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    let mut out = String::new();
    for e in Parser::new_ext(md, opts) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::Start(Tag::Item) => out.push_str("– "),
            Event::Start(Tag::TableCell) if !out.ends_with('\n') && !out.is_empty() => out.push_str(" · "),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableRow | TagEnd::TableHead,
            ) => out.push('\n'),
            Event::End(TagEnd::List(_) | TagEnd::Table) => out.push('\n'),
            _ => {}
        }
    }
    let mut text = String::new();
    for line in out.lines() {
        let line = line.trim_end();
        if line.is_empty() && (text.is_empty() || text.ends_with("\n\n")) {
            continue;
        }
        text.push_str(line);
        text.push('\n');
    }
    text.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::{to_html, to_plain};

    #[test]
    fn plain_text_keeps_the_words_and_drops_the_markup() {
        let p = to_plain(
            "# Scope\n\nThe **ISMS** covers:\n\n- the office\n- the *cloud*\n\n| Unit | In |\n|---|---|\n| IT | yes |\n\n<script>x</script>",
        );
        assert_eq!(p, "Scope\nThe ISMS covers:\n– the office\n– the cloud\n\nUnit · In\nIT · yes");
    }

    #[test]
    fn markdown_becomes_html() {
        let h =
            to_html("# Beleid\n\nDit is **vet** en *schuin*.\n\n- een\n- twee\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(h.contains("<h1>Beleid</h1>"), "{h}");
        assert!(h.contains("<strong>vet</strong>") && h.contains("<em>schuin</em>"), "{h}");
        assert!(h.contains("<li>een</li>") && h.contains("<table>") && h.contains("<td>2</td>"), "{h}");
        let link = to_html("[site](https://example.org)");
        assert!(
            link.contains("href=\"https://example.org\"") && link.contains("rel=\"noopener noreferrer nofollow\""),
            "{link}"
        );
    }

    #[test]
    fn nothing_that_runs_survives() {
        let cases = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<div style=\"background:url(javascript:alert(1))\" onclick=\"x()\">y</div>",
            "<svg onload=alert(1)><circle/></svg>",
            "<form action=\"https://evil.example\"><input name=p></form>",
            "<object data=\"x.swf\"></object><embed src=\"x\">",
            "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
            "<style>body{display:none}</style>",
        ];
        for c in cases {
            let h = to_html(c).to_lowercase();
            for bad in [
                "<script",
                "onerror",
                "onclick",
                "onload",
                "javascript:",
                "data:",
                "<iframe",
                "style=",
                "<svg",
                "<form",
                "<input",
                "<object",
                "<embed",
                "<meta",
                "<style",
            ] {
                assert!(!h.contains(bad), "{c:?} left {bad:?} in {h:?}");
            }
        }
    }
}
