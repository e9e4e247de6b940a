//! The threat catalogue: Borgen's built-in threats by group, and the
//! organisation's own threats beside them (a declared register,
//! [`OWN_THREATS`], with its own pages under `risks/threats/own`).

use super::{Done, html};
use crate::ctx::{OrgPage, Query};
use crate::error::WebResult;
use crate::layout::{self, notice};
use crate::state::AppState;
use axum::extract::State;
use borgen_core::i18n::t;
use borgen_core::registers::OWN_THREATS;
use borgen_core::threat;
use maud::html;

pub async fn list(State(state): State<AppState>, o: OrgPage, Query(done): Query<Done>) -> WebResult {
    let l = o.lang();
    let own = state.app.own_threats(&o.ctx).await?;
    let base = format!("{}/{}", o.base(), OWN_THREATS.path);
    Ok(html(layout::org(
        &o,
        "threats",
        t(l, "threat.title"),
        html! {
            p.crumbs { a href={(o.base()) "/risks"} { (t(l, "risk.title")) } }
            div.page-head {
                h1 { (t(l, "threat.title")) }
                div.actions {
                    a.button href=(base) { (t(l, "own_threat.title")) }
                    @if state.app.may_create(&o.ctx, &OWN_THREATS) {
                        a.button.primary href={(base) "/new"} { (t(l, "own_threat.new")) }
                    }
                }
            }
            p.muted { (t(l, "threat.intro")) }
            p.exports {
                (t(l, "list.export")) ": "
                a href={(o.base()) "/risks/threats/export/csv"} download { "CSV" } " · "
                a href={(o.base()) "/risks/threats/export/xlsx"} download { "XLSX" } " · "
                a href={(o.base()) "/risks/threats/export/pdf"} download { "PDF" }
            }
            (notice(l, done.done.as_deref()))
            @for g in threat::groups() {
                h2 { (g.name(l)) }
                table.register {
                    thead { tr { th scope="col" { (t(l, "field.name")) } th scope="col" { (t(l, "field.description")) } th scope="col" { (t(l, "risk.cia")) } } }
                    tbody {
                        @for th in threat::threats().iter().filter(|x| x.group == g.code) {
                            tr { td { (th.name(l)) } td { (th.description(l)) } td.mono { (crate::layout::cia(l, th.c, th.i, th.a)) } }
                        }
                        @for th in own.iter().filter(|x| x.group_code == g.code && !x.archived) {
                            tr {
                                td { a href={(base) "/" (th.id)} { (th.name) } " " span.badge { (t(l, "threat.own")) } }
                                td { (th.description.as_deref().unwrap_or("")) }
                                td.mono { (crate::layout::cia(l, th.affects_c, th.affects_i, th.affects_a)) }
                            }
                        }
                    }
                }
            }
        },
    )))
}
