//! The threat catalogue: Borgen's built-in threats by group, and the
//! organisation's own threats beside them.

use super::{Done, html_status, see_other};
use crate::ctx::{Form, OrgPage, Query};
use crate::error::{WebError, WebResult};
use crate::layout::{self, action_button, csrf, notice, select, text_field, textarea};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use borgen_app::AppError;
use borgen_app::risk::ThreatForm;
use borgen_core::FieldErrors;
use borgen_core::i18n::t;
use borgen_core::ids::ThreatId;
use borgen_core::role::Permission;
use borgen_core::threat;
use maud::html;

fn cia(c: bool, i: bool, a: bool) -> String {
    [(c, 'C'), (i, 'I'), (a, 'A')].iter().filter(|x| x.0).map(|x| x.1).collect()
}

async fn page(state: &AppState, o: &OrgPage, f: &ThreatForm, errs: &FieldErrors, done: Option<&str>) -> WebResult {
    let l = o.lang();
    let own = state.app.own_threats(&o.ctx).await?;
    let base = format!("{}/risks/threats", o.base());
    let groups: Vec<(String, String)> =
        threat::groups().iter().map(|g| (g.code.clone(), g.name(l).to_string())).collect();
    let on = |v: &Option<String>| matches!(v.as_deref(), Some("on" | "true" | "1"));
    let status = if errs.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(html_status(
        status,
        layout::org(
            o,
            "threats",
            t(l, "threat.title"),
            html! {
                p.crumbs { a href={(o.base()) "/risks"} { (t(l, "risk.title")) } }
                h1 { (t(l, "threat.title")) }
                p.muted { (t(l, "threat.intro")) }
                p.exports {
                    (t(l, "list.export")) ": "
                    a href={(o.base()) "/risks/threats/export/csv"} download { "CSV" } " · "
                    a href={(o.base()) "/risks/threats/export/xlsx"} download { "XLSX" } " · "
                    a href={(o.base()) "/risks/threats/export/pdf"} download { "PDF" }
                }
                (notice(l, done))
                @for g in threat::groups() {
                    h2 { (g.name(l)) }
                    table.register {
                        thead { tr { th scope="col" { (t(l, "field.name")) } th scope="col" { (t(l, "field.description")) } th scope="col" { (t(l, "risk.cia")) } } }
                        tbody {
                            @for th in threat::threats().iter().filter(|x| x.group == g.code) {
                                tr { td { (th.name(l)) } td { (th.description(l)) } td.mono { (cia(th.c, th.i, th.a)) } }
                            }
                            @for th in own.iter().filter(|x| x.group_code == g.code) {
                                tr.archived[th.archived_at.is_some()] {
                                    td { (th.name) " " span.badge { (t(l, "threat.own")) } }
                                    td { (th.description.as_deref().unwrap_or("")) }
                                    td.mono {
                                        (cia(th.affects_c, th.affects_i, th.affects_a))
                                        @if o.ctx.can(Permission::ManageIsms) {
                                            @if th.archived_at.is_some() { " " (action_button(&o.page, &format!("{base}/{}/restore", th.id), t(l, "common.restore"), "", None)) }
                                            @else { " " (action_button(&o.page, &format!("{base}/{}/archive", th.id), t(l, "common.archive"), "", None)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if o.ctx.can(Permission::ManageIsms) {
                    section.card #new-threat {
                        h2 { (t(l, "threat.new")) }
                        (layout::error_summary(l, errs))
                        form method="post" action=(base) novalidate {
                            (csrf(&o.page))
                            (text_field(l, errs, "name", t(l, "field.name"), f.name.as_deref(), true, "text"))
                            (select(l, errs, "group_code", t(l, "threat.group"), &groups, f.group_code.as_deref(), true))
                            (textarea(l, errs, "description", t(l, "field.description"), f.description.as_deref(), None))
                            fieldset.field.checks #affects_c {
                                legend { (t(l, "risk.affects")) }
                                div.check { input #tc type="checkbox" name="affects_c" checked[on(&f.affects_c)]; label for="tc" { (t(l, "risk.c")) } }
                                div.check { input #ti type="checkbox" name="affects_i" checked[on(&f.affects_i)]; label for="ti" { (t(l, "risk.i")) } }
                                div.check { input #ta type="checkbox" name="affects_a" checked[on(&f.affects_a)]; label for="ta" { (t(l, "risk.a")) } }
                                @if let Some(k) = errs.for_field("affects_c") { p.field-error { (t(l, k)) } }
                            }
                            button.primary type="submit" { (t(l, "threat.add")) }
                        }
                    }
                }
            },
        ),
    ))
}

pub async fn list(State(state): State<AppState>, o: OrgPage, Query(done): Query<Done>) -> WebResult {
    page(&state, &o, &ThreatForm::default(), &FieldErrors::default(), done.done.as_deref()).await
}

pub async fn create(State(state): State<AppState>, o: OrgPage, Form(f): Form<ThreatForm>) -> WebResult {
    match state.app.create_threat(&o.ctx, &f).await {
        Ok(_) => Ok(see_other(&format!("{}/risks/threats?done=created", o.base()))),
        Err(AppError::Invalid(errs)) => page(&state, &o, &f, &errs, None).await,
        Err(e) => Err(e.into()),
    }
}

fn parse_id(id: &str) -> Result<ThreatId, WebError> {
    ThreatId::parse(id).ok_or(WebError::App(AppError::NotFound))
}

pub async fn archive(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(_): Form<Done>,
) -> WebResult {
    state.app.archive_threat(&o.ctx, parse_id(&id)?, true).await?;
    Ok(see_other(&format!("{}/risks/threats?done=archived", o.base())))
}

pub async fn restore(
    State(state): State<AppState>,
    o: OrgPage,
    Path((_, id)): Path<(String, String)>,
    Form(_): Form<Done>,
) -> WebResult {
    state.app.archive_threat(&o.ctx, parse_id(&id)?, false).await?;
    Ok(see_other(&format!("{}/risks/threats?done=restored", o.base())))
}
