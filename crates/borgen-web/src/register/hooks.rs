//! What a declared register shows on a record's page besides its fields, its
//! children and its history: the hooks of the registers that need one, by
//! key. A hook reads through the use cases (so the member's rights apply)
//! and returns its sections; a register without one shows none.

use super::Held;
use crate::ctx::OrgPage;
use crate::error::WebError;
use crate::state::AppState;
use borgen_core::i18n::{t, tf};
use borgen_core::register::{Kind, Register, Value};
use borgen_core::risk::RiskFilter;
use borgen_store::risk::RiskSort;
use maud::{Markup, html};

/// How many linked risks a section lists; the rest are a count.
const SHOWN: i64 = 50;

/// What a register's list offers beside "New …": the asset inventory's
/// import, documents made from a template.
pub(crate) fn list_actions(o: &OrgPage, reg: &Register) -> Markup {
    let l = o.lang();
    let manager = o.ctx.can(borgen_core::role::Permission::ManageIsms);
    html! {
        @if reg.key == "asset" && manager {
            " " a.button href={(o.base()) "/" (reg.path) "/import"} { (t(l, "import.action")) }
        }
        @if reg.key == "document" && reg.may_create(&o.ctx.roles) {
            " " a.button href={(o.base()) "/" (reg.path) "/templates"} { (t(l, "template.action")) }
        }
    }
}

/// What a register's list shows above its records: on the roles list, whether
/// the two responsibilities 5.3 names are assigned.
pub(crate) async fn list_sections(state: &AppState, o: &OrgPage, reg: &Register) -> Result<Markup, WebError> {
    match reg.key {
        "org_role" => duties(state, o).await,
        // The resources per year, added up.
        "resource" => {
            let mut q = reg.query(&Default::default()).map_err(|_| WebError::App(borgen_app::AppError::NotFound))?;
            q.per_page = borgen_core::register::EXPORT_MAX;
            let reg: &'static Register =
                borgen_core::registers::by_key(reg.key).ok_or(WebError::App(borgen_app::AppError::NotFound))?;
            let (items, _) = state.app.reg_list(&o.ctx, reg, &q).await?;
            Ok(crate::views::objectives::totals(o.lang(), reg, &items))
        }
        _ => Ok(html! {}),
    }
}

/// The responsibilities of 5.3 a and b, who holds each today, and plainly
/// what is missing.
pub(crate) async fn duties(state: &AppState, o: &OrgPage) -> Result<Markup, WebError> {
    let l = o.lang();
    let duties = state.app.isms_duties(&o.ctx).await?;
    Ok(html! {
        section.card #duties {
            h2 { (t(l, "org_roles.duties")) }
            dl.duties {
                @for d in &duties {
                    dt { (t(l, &format!("org_roles.duty.{}", d.code))) }
                    dd {
                        @if d.assigned() {
                            span.ok { "✓ " } (d.holders.join(", ")) " "
                            span.muted { "(" (d.roles.join(", ")) ")" }
                        } @else if d.roles.is_empty() {
                            strong.missing { (t(l, "org_roles.duty_missing")) } " " (t(l, "org_roles.duty_no_role"))
                        } @else {
                            strong.missing { (t(l, "org_roles.duty_missing")) } " "
                            (tf(l, "org_roles.duty_no_holder", &[("roles", &d.roles.join(", "))]))
                        }
                    }
                }
            }
        }
    })
}

/// The extra sections of `h`'s page.
pub(crate) async fn sections(state: &AppState, o: &OrgPage, reg: &Register, h: &Held) -> Result<Markup, WebError> {
    let back = linked_from(state, o, reg, h).await?;
    let own = own_sections(state, o, reg, h).await?;
    let reg: &'static Register =
        borgen_core::registers::by_key(reg.key).ok_or(WebError::App(borgen_app::AppError::NotFound))?;
    let files = crate::views::evidence::section(state, o, borgen_app::evidence::Subject::Record(reg, h.rec.id)).await?;
    Ok(html! { (back) (own) (files) })
}

/// For every link field (of any register) that can name records of `reg`,
/// except the one naming a child's parent: the records naming this one
/// ("Supported by", "Roles held"), titled `{locale}.{field}_from` of the
/// register that holds the field. A record that belongs to another is named
/// with it ("Risk owner" under the role it belongs to).
async fn linked_from(state: &AppState, o: &OrgPage, reg: &Register, h: &Held) -> Result<Markup, WebError> {
    let l = o.lang();
    let mut out = Vec::new();
    for r in borgen_core::registers::ALL.iter().copied() {
        for (i, f) in r.fields.iter().enumerate() {
            let names_it =
                matches!(f.kind, Kind::Records { register, .. } | Kind::Link(register) if register == reg.key);
            if !names_it || r.parent == Some(f.name) {
                continue;
            }
            let mut q = r.query(&Default::default()).map_err(|_| WebError::App(borgen_app::AppError::NotFound))?;
            q.filters = vec![(i, Value::Text(h.rec.id.as_text()))];
            q.per_page = SHOWN as u32;
            let (items, total) = state.app.reg_list(&o.ctx, r, &q).await?;
            let titles = state.app.reg_titles(&o.ctx, r, &items).await?;
            let up = r.parent_register();
            let line = |x: &Held| -> (String, String) {
                // Named by a link (a holder, a RACI letter, a completion): its
                // first required choice says what it is ("C — Consulted", "Completed").
                let own = match r.title_link(&x.rec) {
                    Some(_) => r
                        .fields
                        .iter()
                        .zip(&x.rec.values)
                        .find(|(f, _)| f.required && matches!(f.kind, Kind::Choice { .. }))
                        .and_then(|(f, v)| v.as_text().and_then(|c| f.choice_key(c)))
                        .map(|k| t(l, &k).to_string())
                        .unwrap_or_default(),
                    None => r.title_of(&x.rec).to_string(),
                };
                match up.and_then(|(p, j)| x.rec.values[j].as_text().map(|id| (p, id))) {
                    Some((p, id)) => {
                        let parent = titles.get(id).cloned().unwrap_or_default();
                        let text = if own.is_empty() { parent } else { format!("{parent} — {own}") };
                        (format!("{}/{}/{}", o.base(), p.path, id), text)
                    }
                    None => (format!("{}/{}/{}", o.base(), r.path, x.rec.id), own),
                }
            };
            let more = format!("{}/{}?{}={}", o.base(), r.path, f.name, h.rec.id);
            out.push(html! {
                section id={(f.name) "-from"} {
                    h2 { (t(l, &format!("{}.{}_from", r.locale, f.name))) }
                    @if items.is_empty() {
                        p.empty { "—" }
                    } @else {
                        ul.plain {
                            @for x in &items {
                                @let (href, text) = line(x);
                                li.archived[x.rec.archived] { a href=(href) { (text) } }
                            }
                        }
                        @if total > SHOWN {
                            p.muted { a href=(more) { (borgen_core::i18n::tf(l, "list.more", &[("n", &(total - SHOWN).to_string())])) } }
                        }
                    }
                }
            });
        }
    }
    Ok(html! { @for m in out { (m) } })
}

async fn own_sections(state: &AppState, o: &OrgPage, reg: &Register, h: &Held) -> Result<Markup, WebError> {
    let id = h.rec.id;
    match reg.key {
        // Traceability both ways: the risks this applied control treats.
        "applied_control" => {
            let f = RiskFilter { applied_control: Some(id), ..Default::default() };
            risks(state, o, &f, "applied", &format!("applied_control={id}")).await
        }
        // The risks on this asset.
        "asset" => {
            let f = RiskFilter { asset: borgen_core::ids::AssetId::parse(&id.as_text()), ..Default::default() };
            risks(state, o, &f, "asset", &format!("asset={id}")).await
        }
        // The risks that name this threat.
        "threat" => {
            let f = RiskFilter { threat: Some(id.as_text()), ..Default::default() };
            risks(state, o, &f, "own_threat", &format!("threat={id}")).await
        }
        // The document's versions, with the one in force.
        "document" => crate::views::documents::section(state, o, h).await,
        // The measured values against the target.
        "objective" => Ok(crate::views::objectives::chart(o.lang(), reg, h)),
        // Who completed the campaign, and the import of a completion list.
        "campaign" => crate::views::awareness::section(state, o, h).await,
        _ => Ok(html! {}),
    }
}

/// A section listing the current risks a filter selects, by reference and title.
/// `query` selects the same risks in the risk register's list; the texts are
/// `{locale}.risks` and `{locale}.no_risks`.
async fn risks(state: &AppState, o: &OrgPage, f: &RiskFilter, locale: &str, query: &str) -> Result<Markup, WebError> {
    let l = o.lang();
    let page = state.app.list_risks(&o.ctx, f, RiskSort::Number, SHOWN, 0).await?;
    Ok(html! {
        section #risks {
            h2 { (t(l, &format!("{locale}.risks"))) }
            @if page.risks.is_empty() {
                p.empty { (t(l, &format!("{locale}.no_risks"))) }
            } @else {
                ul.plain {
                    @for r in &page.risks {
                        li { a href={(o.base()) "/risks/" (r.id)} { (r.reference()) " " (r.data.title) } }
                    }
                }
                @if page.total > SHOWN {
                    p.muted { a href={(o.base()) "/risks?" (query)} { (borgen_core::i18n::tf(l, "list.more", &[("n", &(page.total - SHOWN).to_string())])) } }
                }
            }
        }
    })
}
