//! 7.2 The competence matrix: everyone still here who holds a role that
//! requires a competence, against those competences, each cell met, expiring,
//! expired or missing (the rules are `borgen_core::competence`), and the gaps
//! listed and exported.

use super::html;
use crate::ctx::OrgPage;
use crate::error::WebResult;
use crate::layout;
use crate::state::AppState;
use axum::extract::{Path, State};
use borgen_core::competence::{EXPIRING_DAYS, Matrix, Status};
use borgen_core::i18n::{Lang, t, tf};
use borgen_core::registers::{COMPETENCE_EVIDENCE, ORG_ROLES, PEOPLE};
use borgen_report::Table;
use maud::html;

/// The path of the matrix under the organisation.
pub const PATH: &str = "support/competence-matrix";

fn status_cell(l: Lang, s: Status, expires: Option<&str>) -> maud::Markup {
    let mark = match s {
        Status::Met => "✓",
        Status::Expiring => "!",
        Status::Expired => "✗",
        Status::Missing => "✗",
    };
    html! {
        span class={"status status-" (s.code())} {
            span aria-hidden="true" { (mark) " " }
            (t(l, &s.label_key()))
            @if let Some(d) = expires.filter(|_| s != Status::Met) { " " span.muted { (crate::register::date(l, d)) } }
        }
    }
}

pub async fn page(State(state): State<AppState>, o: OrgPage) -> WebResult {
    let l = o.lang();
    let m = state.app.competence_matrix(&o.ctx).await?;
    let base = o.base();
    let title = t(l, "matrix.title");
    let counts = m.counts();
    let gaps = m.gaps();
    Ok(html(layout::org(
        &o,
        "matrix",
        title,
        html! {
            div.page-head {
                h1 { (title) " " span.clause { "7.2" } }
                div.actions {
                    @for f in ["csv", "xlsx", "pdf"] {
                        a.button href={(base) "/" (PATH) "/export/" (f)} { (t(l, "matrix.export")) " " (f.to_uppercase()) }
                    }
                }
            }
            p.muted { (tf(l, "matrix.intro", &[("days", &EXPIRING_DAYS.to_string())])) }
            @if m.rows.is_empty() || m.columns.is_empty() {
                p.empty {
                    (t(l, "matrix.empty")) " "
                    a href={(base) "/" (ORG_ROLES.path)} { (t(l, "org_roles.title")) }
                }
            } @else {
                p #matrix-counts {
                    @for (s, n) in Status::ALL.iter().zip(counts) {
                        (status_cell(l, *s, None)) ": " strong { (n) } "  "
                    }
                }
                div.table-scroll {
                    table.register.grid #competence {
                        caption.sr-only { (title) }
                        thead { tr {
                            th scope="col" { (t(l, "field.name")) }
                            th scope="col" { (t(l, "people.field.department")) }
                            th scope="col" { (t(l, "matrix.roles")) }
                            @for c in &m.columns {
                                th scope="col" { (c.name) br; span.muted { (c.roles.join(", ")) } }
                            }
                        } }
                        tbody {
                            @for r in &m.rows {
                                tr {
                                    th scope="row" { a href={(base) "/" (PEOPLE.path) "/" (r.person_id) "#" (COMPETENCE_EVIDENCE.api)} { (r.name) } }
                                    td { (r.department.as_deref().unwrap_or("—")) }
                                    td { (r.roles.join(", ")) }
                                    @for cell in &r.cells {
                                        td {
                                            @match cell {
                                                Some(c) => (status_cell(l, c.status, c.expires.as_deref())),
                                                None => span.muted title=(t(l, "matrix.not_required")) { "·" },
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                section #gaps {
                    h2 { (t(l, "matrix.gaps")) }
                    @if gaps.is_empty() {
                        p.empty { (t(l, "matrix.no_gaps")) }
                    } @else {
                        table.register {
                            thead { tr {
                                th scope="col" { (t(l, "field.name")) }
                                th scope="col" { (t(l, "people.field.department")) }
                                th scope="col" { (t(l, "competences.field.name")) }
                                th scope="col" { (t(l, "matrix.status_col")) }
                            } }
                            tbody {
                                @for g in &gaps {
                                    tr {
                                        td { (g.person) }
                                        td { (g.department.unwrap_or("—")) }
                                        td { (g.competence) }
                                        td { (status_cell(l, g.status, g.expires)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )))
}

/// The gaps as an export table: who, where, what, the status and its date.
pub fn gaps_table(l: Lang, m: &Matrix) -> Table {
    let headers = [
        "field.name",
        "people.field.department",
        "competences.field.name",
        "matrix.status_col",
        "competence_evidence.field.expires",
    ];
    Table {
        title: t(l, "matrix.gaps").to_string(),
        headers: headers.iter().map(|k| t(l, k).to_string()).collect(),
        rows: m
            .gaps()
            .iter()
            .map(|g| {
                vec![
                    g.person.to_string(),
                    g.department.unwrap_or("").to_string(),
                    g.competence.to_string(),
                    t(l, &g.status.label_key()).to_string(),
                    g.expires.unwrap_or("").to_string(),
                ]
            })
            .collect(),
    }
}

pub async fn export(State(state): State<AppState>, o: OrgPage, Path((_, format)): Path<(String, String)>) -> WebResult {
    let l = o.lang();
    let m = state.app.competence_matrix(&o.ctx).await?;
    let stem = format!("{}-competence-gaps", o.ctx.org.slug);
    crate::risk_export::download(&state.app, l, &o.ctx.org, &stem, gaps_table(l, &m), &format).await
}
