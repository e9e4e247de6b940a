//! 5.3 The RACI matrix: the ISMS processes against the organisational roles,
//! each cell the letters the role has for the process; a process without
//! exactly one accountable role is flagged. Printable and exported.

use super::html;
use crate::ctx::OrgPage;
use crate::error::WebResult;
use crate::layout;
use crate::state::AppState;
use axum::extract::{Path, State};
use borgen_app::people::RaciMatrix;
use borgen_core::i18n::{Lang, t};
use borgen_core::registers::{ISMS_PROCESSES, ORG_ROLES};
use borgen_report::Table;
use maud::html;

/// The path of the matrix under the organisation.
pub const PATH: &str = "leadership/raci-matrix";

fn letters(cell: Option<&Vec<String>>) -> String {
    cell.map(|l| l.iter().map(|x| x.to_uppercase()).collect::<Vec<_>>().join(", ")).unwrap_or_default()
}

fn warning(l: Lang, m: &RaciMatrix, process: &str) -> Option<&'static str> {
    match m.accountable(process) {
        0 => Some(t(l, "raci.no_accountable")),
        1 => None,
        _ => Some(t(l, "raci.many_accountable")),
    }
}

pub async fn page(State(state): State<AppState>, o: OrgPage) -> WebResult {
    let l = o.lang();
    let m = state.app.raci_matrix(&o.ctx).await?;
    let base = o.base();
    let title = t(l, "raci.matrix");
    Ok(html(layout::org(
        &o,
        "raci",
        title,
        html! {
            div.page-head {
                h1 { (title) " " span.clause { "5.3" } }
                div.actions {
                    @for f in ["xlsx", "pdf", "csv"] {
                        a.button href={(base) "/" (PATH) "/export/" (f)} { (t(l, "raci.export")) " " (f.to_uppercase()) }
                    }
                }
            }
            p.muted { (t(l, "raci.matrix_intro")) }
            @if m.processes.is_empty() {
                p.empty { (t(l, "raci.matrix_empty")) " " a href={(base) "/" (ISMS_PROCESSES.path)} { (t(l, "processes.title")) } }
            } @else {
                div.table-scroll {
                    table.register.grid #raci {
                        caption.sr-only { (title) }
                        thead { tr {
                            th scope="col" { (t(l, "processes.field.name")) }
                            @for (id, name) in &m.roles {
                                th scope="col" { a href={(base) "/" (ORG_ROLES.path) "/" (id)} { (name) } }
                            }
                        } }
                        tbody {
                            @for (pid, name, clause) in &m.processes {
                                tr {
                                    th scope="row" {
                                        a href={(base) "/" (ISMS_PROCESSES.path) "/" (pid)} { (name) }
                                        @if let Some(c) = clause { " " span.clause { (c) } }
                                        @if let Some(w) = warning(l, &m, pid) { br; strong.missing { (w) } }
                                    }
                                    @for (rid, _) in &m.roles {
                                        td.raci { (letters(m.cells.get(&(pid.clone(), rid.clone())))) }
                                    }
                                }
                            }
                        }
                    }
                }
                p.small.legend {
                    @for x in borgen_core::competence::RACI_LETTERS { (t(l, &format!("raci.letter.{x}"))) ". " }
                }
            }
        },
    )))
}

/// The matrix as an export table: a row per process, a column per role.
pub fn table(l: Lang, m: &RaciMatrix) -> Table {
    let mut headers = vec![t(l, "processes.field.name").to_string(), t(l, "processes.field.clause").to_string()];
    headers.extend(m.roles.iter().map(|(_, n)| n.clone()));
    let rows = m
        .processes
        .iter()
        .map(|(pid, name, clause)| {
            let mut r = vec![name.clone(), clause.clone().unwrap_or_default()];
            r.extend(m.roles.iter().map(|(rid, _)| letters(m.cells.get(&(pid.clone(), rid.clone())))));
            r
        })
        .collect();
    Table { title: t(l, "raci.matrix").to_string(), headers, rows }
}

pub async fn export(State(state): State<AppState>, o: OrgPage, Path((_, format)): Path<(String, String)>) -> WebResult {
    let l = o.lang();
    let m = state.app.raci_matrix(&o.ctx).await?;
    let stem = format!("{}-raci", o.ctx.org.slug);
    crate::risk_export::download(&state.app, l, &o.ctx.org, &stem, table(l, &m), &format).await
}
