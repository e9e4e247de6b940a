//! Templates for the documented information the standard asks for, in
//! Dutch and English: a starting text for each, with placeholders that
//! Borgen fills in from what it already knows when a document is made from
//! one ([`fill`]).

use crate::i18n::Lang;

/// A template: what it is for and the document it starts.
#[derive(Debug)]
pub struct Template {
    /// Its code in URLs and the API (`policy`, `scope`, …).
    pub kind: &'static str,
    /// The clause it serves.
    pub clause: &'static str,
    /// The type of the document made from it.
    pub doc_type: &'static str,
    /// The code the document is proposed with.
    pub code: &'static str,
    en: &'static str,
    nl: &'static str,
}

impl Template {
    /// The locale key of its name (also the proposed document title).
    pub fn title_key(&self) -> String {
        format!("template.{}", self.kind)
    }
    /// The text in `lang`, placeholders unfilled.
    pub fn text(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Nl => self.nl,
            Lang::En => self.en,
        }
    }
}

macro_rules! template {
    ($kind:literal, $clause:literal, $doc_type:literal, $code:literal) => {
        Template {
            kind: $kind,
            clause: $clause,
            doc_type: $doc_type,
            code: $code,
            en: include_str!(concat!("templates/", $kind, ".en.md")),
            nl: include_str!(concat!("templates/", $kind, ".nl.md")),
        }
    };
}

/// Every template, in the order of the clauses.
pub static ALL: &[Template] = &[
    template!("scope", "4.3", "scope", "ISMS-001"),
    template!("policy", "5.2", "policy", "POL-001"),
    template!("risk_method", "6.1.2", "procedure", "PRC-RISK"),
    template!("soa_intro", "6.1.3", "record", "REC-SOA"),
    template!("objectives", "6.2", "record", "REC-OBJ"),
    template!("competence", "7.2", "procedure", "PRC-COMP"),
    template!("audit_programme", "9.2", "record", "REC-AUDIT"),
    template!("management_review", "9.3", "record", "REC-MR"),
    template!("nonconformity", "10.2", "procedure", "PRC-NC"),
];

pub fn by_kind(kind: &str) -> Option<&'static Template> {
    ALL.iter().find(|t| t.kind == kind)
}

/// What Borgen knows that a template may use, each already written as
/// Markdown in the template's language.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    pub organisation: String,
    pub date: String,
    pub likelihood_scale: String,
    pub impact_scale: String,
    pub risk_levels: String,
    pub review_months: String,
    pub scope: String,
    pub soa_summary: String,
}

/// The placeholders a template may hold.
pub const PLACEHOLDERS: &[&str] = &[
    "organisation",
    "date",
    "likelihood_scale",
    "impact_scale",
    "risk_levels",
    "review_months",
    "scope",
    "soa_summary",
];

impl Facts {
    fn get(&self, name: &str) -> Option<&str> {
        Some(match name {
            "organisation" => &self.organisation,
            "date" => &self.date,
            "likelihood_scale" => &self.likelihood_scale,
            "impact_scale" => &self.impact_scale,
            "risk_levels" => &self.risk_levels,
            "review_months" => &self.review_months,
            "scope" => &self.scope,
            "soa_summary" => &self.soa_summary,
            _ => return None,
        })
    }
}

/// `text` with every `{{name}}` replaced by its fact; an unknown name is
/// left as written. Facts are inserted as they are: they are Markdown
/// already, and the document's text is sanitised when shown.
pub fn fill(text: &str, facts: &Facts) -> String {
    let mut out = String::with_capacity(text.len() + 512);
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}").and_then(|end| facts.get(&after[..end]).map(|v| (end, v))) {
            Some((end, value)) => {
                out.push_str(value);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `md` made to sit under a heading of the template: each ATX heading
/// moves down two levels (`#` becomes `###`, at most `######`), outside
/// fenced code.
pub fn nested(md: &str) -> String {
    let mut fenced = false;
    let mut out: Vec<String> = Vec::new();
    for line in md.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
        }
        let level = trimmed.chars().take_while(|c| *c == '#').count();
        let heading = !fenced
            && (1..=6).contains(&level)
            && trimmed[level..].chars().next().is_none_or(char::is_whitespace)
            && line.len() - trimmed.len() < 4;
        if heading {
            out.push(format!("{}{}", "#".repeat((level + 2).min(6)), &trimmed[level..]));
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n")
}

/// A Markdown table: a header row and rows, each cell with `|` and line
/// breaks made harmless.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace(['\r', '\n'], " ");
    let mut out = String::new();
    out.push_str(&format!("| {} |\n", header.iter().map(|h| cell(h)).collect::<Vec<_>>().join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(header.len())));
    for r in rows {
        out.push_str(&format!("| {} |\n", r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_exists_in_both_languages_with_a_title_and_known_placeholders() {
        assert_eq!(ALL.len(), 9);
        for t in ALL {
            for lang in [Lang::En, Lang::Nl] {
                let text = t.text(lang);
                assert!(text.starts_with("# "), "{} {lang:?} starts with its title", t.kind);
                assert!(text.split_whitespace().count() > 150, "{} {lang:?} is a real starting text", t.kind);
                for part in text.split("{{").skip(1) {
                    let name = part.split("}}").next().unwrap_or("");
                    assert!(PLACEHOLDERS.contains(&name), "{} {lang:?}: unknown placeholder {{{{{name}}}}}", t.kind);
                }
                assert!(!text.contains('<'), "{} {lang:?}: no raw HTML", t.kind);
            }
            assert!(crate::document::TYPES.contains(&t.doc_type), "{}", t.kind);
        }
        assert_ne!(by_kind("policy").unwrap().text(Lang::En), by_kind("policy").unwrap().text(Lang::Nl));
    }

    #[test]
    fn filling_replaces_every_known_placeholder_and_leaves_the_rest() {
        let facts = Facts { organisation: "Acme B.V.".into(), review_months: "12".into(), ..Default::default() };
        assert_eq!(
            fill("{{organisation}} repeats it every {{review_months}} months {{unknown}} {{", &facts),
            "Acme B.V. repeats it every 12 months {{unknown}} {{"
        );
        let facts = Facts { organisation: "{{date}}".into(), date: "2026-12-02".into(), ..Default::default() };
        assert_eq!(fill("{{organisation}}", &facts), "{{date}}", "a fact is not filled in again");
        for t in ALL {
            let all = Facts {
                organisation: "O".into(),
                date: "D".into(),
                likelihood_scale: "L".into(),
                impact_scale: "I".into(),
                risk_levels: "R".into(),
                review_months: "M".into(),
                scope: "S".into(),
                soa_summary: "A".into(),
            };
            for lang in [Lang::En, Lang::Nl] {
                assert!(!fill(t.text(lang), &all).contains("{{"), "{} {lang:?}", t.kind);
            }
        }
    }

    #[test]
    fn a_nested_text_moves_its_headings_down_two_levels() {
        assert_eq!(
            nested("# Scope\n\nText #1\n## Parts\n##### Deep\n```\n# code\n```\n#hashtag"),
            "### Scope\n\nText #1\n#### Parts\n###### Deep\n```\n# code\n```\n#hashtag"
        );
    }

    #[test]
    fn a_table_keeps_its_cells_apart() {
        let t = table(&["Level", "Name"], &[vec!["1".into(), "Rare | seldom\nnever".into()]]);
        assert_eq!(t, "| Level | Name |\n|---|---|\n| 1 | Rare \\| seldom never |\n");
    }
}
