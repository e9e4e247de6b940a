//! The start page, an organisation's overview, and the areas still to come.

use super::{html, see_other};
use crate::ctx::{OrgPage, Page};
use crate::error::{WebError, WebResult};
use crate::layout::{self, AREAS};
use crate::state::AppState;
use axum::extract::{Path, State};
use borgen_app::AppError;
use borgen_core::context::{IssueQuery, PartyQuery};
use borgen_core::i18n::{t, tf};
use borgen_core::role::Permission;
use maud::html;

pub async fn index(State(state): State<AppState>, page: Page) -> WebResult {
    if state.app.setup_needed().await? {
        return Ok(see_other("/setup"));
    }
    let Some(actor) = page.actor() else { return Ok(see_other("/login")) };
    let orgs = state.app.my_orgs(&actor).await?;
    if orgs.len() == 1 {
        return Ok(see_other(&format!("/o/{}", orgs[0].slug)));
    }
    let l = page.lang;
    let is_admin = actor.is_admin();
    Ok(html(layout::plain(
        &page,
        t(l, "home.title"),
        html! {
            h1 { (t(l, "home.title")) }
            @if orgs.is_empty() {
                p { (t(l, "home.no_orgs")) }
                @if is_admin { p { a.button href="/admin" { (t(l, "nav.admin")) } } }
            } @else {
                ul.cards {
                    @for o in &orgs {
                        li.card { a href={"/o/" (o.slug)} { strong { (o.name) } } }
                    }
                }
            }
        },
    )))
}

pub async fn org_home(State(state): State<AppState>, o: OrgPage) -> WebResult {
    let l = o.lang();
    let base = o.base();
    let counts = if o.ctx.can(Permission::ReadRegisters) {
        let one = |p| IssueQuery { per_page: 1, page: p, ..Default::default() };
        let (_, issues) = state.app.list_issues(&o.ctx, &one(1)).await?;
        let (_, parties) =
            state.app.list_parties(&o.ctx, &PartyQuery { per_page: 1, page: 1, ..Default::default() }).await?;
        let soa = borgen_core::soa::progress(&state.app.soa_rows(&o.ctx).await?);
        Some((issues, parties, soa))
    } else {
        None
    };
    let roles: Vec<&str> = o.ctx.roles.0.iter().map(|r| t(l, r.label_key())).collect();
    Ok(html(layout::org(
        &o,
        "home",
        &o.ctx.org.name,
        html! {
            h1 { (o.ctx.org.name) }
            p.muted { (tf(l, "home.your_roles", &[("roles", &roles.join(", "))])) }
            @if let Some((issues, parties, soa)) = counts {
                section.cards {
                    div.card {
                        h2 { (t(l, "nav.context")) }
                        p { a href={(base) "/context/issues"} { (tf(l, "home.issue_count", &[("n", &issues.to_string())])) } }
                        p { a href={(base) "/context/parties"} { (tf(l, "home.party_count", &[("n", &parties.to_string())])) } }
                    }
                    div.card {
                        h2 { (t(l, "nav.soa")) }
                        p { a href={(base) "/soa"} { (tf(l, "soa.progress", &[("applicable", &soa.applicable.to_string()), ("implemented", &soa.implemented.to_string()), ("excluded", &soa.excluded.to_string()), ("undecided", &soa.undecided.to_string())])) } }
                        p { a href={(base) "/catalog"} { (t(l, "nav.catalog")) } }
                    }
                    @for (area, key) in AREAS.iter().skip(1).filter(|(a, _)| *a != "soa") {
                        div.card.pending {
                            h2 { (t(l, key)) }
                            p.muted { a href={(base) "/area/" (area)} { (t(l, "area.not_yet_short")) } }
                        }
                    }
                }
            } @else {
                p { (t(l, "home.viewer_intro")) }
            }
        },
    )))
}

/// An area of the ISMS that has no register in this version yet. It says so
/// plainly and names what it will hold.
pub async fn area(o: OrgPage, Path((_, area)): Path<(String, String)>) -> WebResult {
    let l = o.lang();
    if area == "soa" {
        return Ok(see_other(&format!("{}/soa", o.base())));
    }
    let Some((code, key)) = AREAS.iter().find(|(a, _)| *a == area && *a != "context") else {
        return Err(WebError::App(AppError::NotFound));
    };
    Ok(html(layout::org(
        &o,
        code,
        t(l, key),
        html! {
            h1 { (t(l, key)) }
            div.card.pending {
                p { strong { (t(l, "area.not_yet")) } }
                p { (t(l, &format!("area.{code}.holds"))) }
            }
        },
    )))
}
