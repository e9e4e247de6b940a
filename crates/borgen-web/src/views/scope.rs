//! The parts of a scope statement (4.3) on its version's page and in its
//! draft's editor: a list per part (one item a line) and the exclusions as
//! pairs of what is left out and why.

use borgen_core::FieldErrors;
use borgen_core::i18n::{Lang, t};
use borgen_core::scope::{LISTS, Parts, REQUIRED};
use maud::{Markup, html};

/// Blank exclusion rows the editor offers beside those written.
const BLANK_ROWS: usize = 2;

/// The scope's fields as the editor holds them (as typed).
#[derive(Clone, Debug, Default)]
pub struct ScopeForm {
    /// Per list in [`LISTS`], its text (one item a line).
    pub lists: Vec<(&'static str, String)>,
    /// What is left out and why, in order.
    pub exclusions: Vec<(String, String)>,
}

impl ScopeForm {
    pub fn from_parts(p: Option<&Parts>) -> ScopeForm {
        let p = p.cloned().unwrap_or_default();
        ScopeForm {
            lists: LISTS.iter().map(|l| (*l, p.list(l).join("\n"))).collect(),
            exclusions: p.exclusions.iter().map(|x| (x.what.clone(), x.why.clone())).collect(),
        }
    }

    /// From the posted fields: a field per list, and `exclusion_what` /
    /// `exclusion_why` repeated in pairs.
    pub fn from_pairs(pairs: &[(String, String)]) -> ScopeForm {
        let lists = LISTS
            .iter()
            .map(|l| (*l, pairs.iter().find(|(k, _)| k == l).map(|(_, v)| v.clone()).unwrap_or_default()))
            .collect();
        let whats = pairs.iter().filter(|(k, _)| k == "exclusion_what").map(|(_, v)| v.clone());
        let mut whys = pairs.iter().filter(|(k, _)| k == "exclusion_why").map(|(_, v)| v.clone());
        let exclusions = whats.map(|w| (w, whys.next().unwrap_or_default())).collect();
        ScopeForm { lists, exclusions }
    }

    pub fn parse(&self) -> Result<Parts, FieldErrors> {
        Parts::parse(
            self.lists.iter().map(|(l, v)| (*l, v.as_str())),
            self.exclusions.iter().map(|(a, b)| (a.as_str(), b.as_str())),
        )
    }
}

fn part_key(part: &str) -> String {
    format!("scope.part.{part}")
}

/// The parts in the draft's editor.
pub fn editor(l: Lang, f: &ScopeForm, errs: &FieldErrors) -> Markup {
    html! {
        fieldset #scope-parts {
            legend { (t(l, "scope.title")) }
            p.hint { (t(l, "scope.intro")) }
            @for (name, text) in &f.lists {
                @let hint = format!("scope-hint-{name}");
                div.field.invalid[errs.for_field(name).is_some()] {
                    label for=(name) {
                        (t(l, &part_key(name)))
                        @if REQUIRED.contains(name) { span.req aria-hidden="true" { " *" } }
                    }
                    p.hint id=(hint) { (t(l, &format!("scope.hint.{name}"))) " " (t(l, "scope.one_per_line")) }
                    textarea id=(name) name=(name) rows=((text.lines().count() + 1).clamp(3, 12)) aria-describedby=(hint)
                        aria-invalid=[errs.for_field(name).map(|_| "true")] { (text) }
                    @if let Some(k) = errs.for_field(name) { p.field-error { (t(l, k)) } }
                }
            }
            div.field.invalid[errs.for_field("exclusions").is_some()] #exclusions {
                p { strong { (t(l, "scope.part.exclusions")) } }
                p.hint { (t(l, "scope.exclusions_hint")) }
                table.register {
                    thead { tr {
                        th scope="col" { (t(l, "scope.exclusion_what")) }
                        th scope="col" { (t(l, "scope.exclusion_why")) }
                    } }
                    tbody {
                        @for (i, (what, why)) in f.exclusions.iter().map(|(a, b)| (a.as_str(), b.as_str())).chain(std::iter::repeat_n(("", ""), BLANK_ROWS)).enumerate() {
                            tr {
                                td { input type="text" name="exclusion_what" maxlength="300" value=(what)
                                    aria-label={(t(l, "scope.exclusion_what")) " " (i + 1)}; }
                                td { input type="text" name="exclusion_why" maxlength="300" value=(why)
                                    aria-label={(t(l, "scope.exclusion_why")) " " (i + 1)}; }
                            }
                        }
                    }
                }
                @if let Some(k) = errs.for_field("exclusions") { p.field-error { (t(l, k)) } }
            }
        }
    }
}

/// The parts on the version's page (what an auditor checks first).
pub fn shown(l: Lang, p: Option<&Parts>) -> Markup {
    html! {
        section #scope-parts {
            h2 { (t(l, "scope.title")) }
            @match p.filter(|p| !p.is_empty()) {
                None => { p.empty { (t(l, "scope.none_written")) } }
                Some(p) => {
                    dl.details {
                        @for name in LISTS {
                            dt { (t(l, &part_key(name))) }
                            dd {
                                @if p.list(name).is_empty() { "—" } @else {
                                    ul { @for i in p.list(name) { li { (i) } } }
                                }
                            }
                        }
                        dt { (t(l, "scope.part.exclusions")) }
                        dd {
                            @if p.exclusions.is_empty() { (t(l, "scope.no_exclusions")) } @else {
                                ul { @for x in &p.exclusions { li { strong { (x.what) } ": " (x.why) } } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The parts as Markdown headed in the reader's language (the SoA's print
/// view and its exports put them before the statement's text).
pub fn markdown(l: Lang, p: &Parts) -> String {
    p.to_markdown(|k| t(l, &part_key(k)).to_string())
}
