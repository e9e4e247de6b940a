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

#[cfg(test)]
mod tests {
    use super::to_html;

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
