//! The scope of the ISMS (4.3) in parts a reader and an auditor can check:
//! the organisational units, locations, processes and systems it covers, the
//! interfaces and dependencies with what others do, and what it leaves out,
//! each exclusion with its justification. The parts belong to a version of
//! the scope statement: saved with its draft, frozen with it, approved by top
//! management with it.

use crate::text::{FieldErrors, bad_chars};

/// The lists of a scope, in the order a statement names them.
pub const LISTS: [&str; 5] = ["units", "locations", "processes", "systems", "interfaces"];

/// The lists a scope must fill before it goes to review (4.3 a–c: the
/// boundaries and the interfaces; "none" is an answer).
pub const REQUIRED: [&str; 4] = ["units", "locations", "processes", "interfaces"];

/// The longest item of a list or an exclusion's part.
pub const ITEM_MAX: usize = 300;
/// The most items in one list.
pub const ITEMS_MAX: usize = 100;

/// One thing the scope leaves out, and why.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub what: String,
    pub why: String,
}

/// A scope's parts.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Parts {
    pub units: Vec<String>,
    pub locations: Vec<String>,
    pub processes: Vec<String>,
    pub systems: Vec<String>,
    pub interfaces: Vec<String>,
    pub exclusions: Vec<Exclusion>,
}

impl Parts {
    /// The list named `name` (one of [`LISTS`]).
    pub fn list(&self, name: &str) -> &[String] {
        match name {
            "units" => &self.units,
            "locations" => &self.locations,
            "processes" => &self.processes,
            "systems" => &self.systems,
            "interfaces" => &self.interfaces,
            _ => &[],
        }
    }

    fn list_mut(&mut self, name: &str) -> Option<&mut Vec<String>> {
        Some(match name {
            "units" => &mut self.units,
            "locations" => &mut self.locations,
            "processes" => &mut self.processes,
            "systems" => &mut self.systems,
            "interfaces" => &mut self.interfaces,
            _ => return None,
        })
    }

    pub fn is_empty(&self) -> bool {
        LISTS.iter().all(|l| self.list(l).is_empty()) && self.exclusions.is_empty()
    }

    /// From the editor: each list as text with one item per line (blank
    /// lines dropped), the exclusions as what/why pairs in order (a pair
    /// left blank dropped). Refused on the field of the part: an item too
    /// long or with control characters, too many items, an exclusion
    /// without its justification or a justification without what it
    /// justifies.
    pub fn parse<'a>(
        lists: impl IntoIterator<Item = (&'a str, &'a str)>,
        exclusions: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Parts, FieldErrors> {
        let mut e = FieldErrors::default();
        let mut p = Parts::default();
        for (name, text) in lists {
            let Some(field) = LISTS.iter().find(|l| **l == name) else { continue };
            let items: Vec<String> =
                text.lines().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect();
            if let Some(key) = items.iter().find_map(|i| item_error(i)) {
                e.add(field, key);
            } else if items.len() > ITEMS_MAX {
                e.add(field, "scope.error.too_many");
            }
            if let Some(slot) = p.list_mut(name) {
                slot.extend(items);
            }
        }
        for (what, why) in exclusions {
            let (what, why) = (what.trim(), why.trim());
            if what.is_empty() && why.is_empty() {
                continue;
            }
            if let Some(key) = item_error(what).or_else(|| item_error(why)) {
                e.add("exclusions", key);
            } else if why.is_empty() {
                e.add("exclusions", "scope.error.exclusion_unjustified");
            } else if what.is_empty() {
                e.add("exclusions", "scope.error.justification_alone");
            }
            p.exclusions.push(Exclusion { what: what.to_string(), why: why.to_string() });
        }
        if p.exclusions.len() > ITEMS_MAX {
            e.add("exclusions", "scope.error.too_many");
        }
        e.finish(p)
    }

    /// The same checks as [`Parts::parse`] on parts given whole (the API):
    /// items trimmed, blank ones dropped.
    pub fn checked(&self) -> Result<Parts, FieldErrors> {
        let joined: Vec<(&str, String)> = LISTS.iter().map(|l| (*l, self.list(l).join("\n"))).collect();
        // An item holding a line break would become two: refused as such.
        let mut e = FieldErrors::default();
        for l in LISTS {
            if self.list(l).iter().any(|i| i.contains(['\n', '\r'])) {
                e.add(l, "input.line_break");
            }
        }
        if !e.is_empty() {
            return Err(e);
        }
        Parts::parse(
            joined.iter().map(|(l, t)| (*l, t.as_str())),
            self.exclusions.iter().map(|x| (x.what.as_str(), x.why.as_str())),
        )
    }

    /// What stops the scope going to review: each required list left
    /// empty (its field and the message).
    pub fn gaps(&self) -> FieldErrors {
        let mut e = FieldErrors::default();
        for l in REQUIRED {
            if self.list(l).is_empty() {
                e.add(
                    l,
                    match l {
                        "units" => "scope.error.required_units",
                        "locations" => "scope.error.required_locations",
                        "processes" => "scope.error.required_processes",
                        _ => "scope.error.required_interfaces",
                    },
                );
            }
        }
        e
    }

    /// Stored as JSON on the version; `None` for a version without parts.
    pub fn from_json(text: Option<&str>) -> Option<Parts> {
        text.and_then(|t| serde_json::from_str(t).ok())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// The parts as Markdown under `###` headings (below the heading of the scope) (`heading` gives each
    /// part's title in the reader's language), for print and export; empty
    /// parts left out.
    pub fn to_markdown(&self, heading: impl Fn(&str) -> String) -> String {
        let mut out = String::new();
        for l in LISTS {
            let items = self.list(l);
            if items.is_empty() {
                continue;
            }
            out.push_str(&format!("### {}\n\n", heading(l)));
            for i in items {
                out.push_str(&format!("- {}\n", escape(i)));
            }
            out.push('\n');
        }
        if !self.exclusions.is_empty() {
            out.push_str(&format!("### {}\n\n", heading("exclusions")));
            for x in &self.exclusions {
                out.push_str(&format!("- **{}**: {}\n", escape(&x.what), escape(&x.why)));
            }
            out.push('\n');
        }
        out
    }
}

fn item_error(s: &str) -> Option<&'static str> {
    if s.chars().count() > ITEM_MAX {
        return Some("scope.error.item_too_long");
    }
    bad_chars(s, false)
}

/// An item as literal Markdown text: what could start markup is escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\`*_[]<>#!|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_is_read_from_the_editor_one_item_a_line_and_each_exclusion_justified() {
        let p = Parts::parse(
            [("units", "Finance\n\n  IT \n"), ("locations", "Utrecht"), ("interfaces", "Payroll by Loonbureau B.V.")],
            [("Production site Tilburg", "Run by the parent; its own ISMS"), ("", "")],
        )
        .unwrap();
        assert_eq!(p.units, ["Finance", "IT"]);
        assert_eq!(p.locations, ["Utrecht"]);
        assert_eq!(
            p.exclusions,
            [Exclusion { what: "Production site Tilburg".into(), why: "Run by the parent; its own ISMS".into() }]
        );
        // Not yet ready for review: the processes are missing.
        let gaps = p.gaps();
        assert_eq!(gaps.for_field("processes"), Some("scope.error.required_processes"));
        assert_eq!(gaps.0.len(), 1);
        assert_eq!(Parts::from_json(Some(&p.to_json())), Some(p));
        assert_eq!(Parts::from_json(None), None);
    }

    #[test]
    fn an_exclusion_without_its_justification_and_bad_items_are_refused() {
        let e = Parts::parse([], [("Tilburg", " ")]).unwrap_err();
        assert_eq!(e.for_field("exclusions"), Some("scope.error.exclusion_unjustified"));
        let e = Parts::parse([], [("", "because")]).unwrap_err();
        assert_eq!(e.for_field("exclusions"), Some("scope.error.justification_alone"));
        let e = Parts::parse([("units", "Fin\u{0}ance")], []).unwrap_err();
        assert_eq!(e.for_field("units"), Some("input.control_char"));
        let long = "x".repeat(ITEM_MAX + 1);
        let e = Parts::parse([("systems", long.as_str())], []).unwrap_err();
        assert_eq!(e.for_field("systems"), Some("scope.error.item_too_long"));
        let many = "a\n".repeat(ITEMS_MAX + 1);
        let e = Parts::parse([("systems", many.as_str())], []).unwrap_err();
        assert_eq!(e.for_field("systems"), Some("scope.error.too_many"));
    }

    #[test]
    fn the_parts_print_as_markdown_with_their_text_kept_literal() {
        let p = Parts {
            units: vec!["IT <b>".into()],
            exclusions: vec![Exclusion { what: "R&D *lab*".into(), why: "Not ours".into() }],
            ..Parts::default()
        };
        let md = p.to_markdown(|k| k.to_uppercase());
        assert_eq!(md, "### UNITS\n\n- IT \\<b\\>\n\n### EXCLUSIONS\n\n- **R&D \\*lab\\***: Not ours\n\n");
    }
}
