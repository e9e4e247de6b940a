//! The start page, an organisation's overview, and the areas still to come.

use super::{html, see_other};
use crate::ctx::{OrgPage, Page};
use crate::error::{WebError, WebResult};
use crate::layout::{self, AREAS};
use crate::state::AppState;
use axum::extract::{Path, State};
use borgen_app::AppError;
use borgen_core::i18n::{t, tf, tn};
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

/// One line of an area's card on the overview: (link under the
/// organisation, text).
type Line = (String, String);

pub async fn org_home(State(state): State<AppState>, o: OrgPage) -> WebResult {
    let l = o.lang();
    let base = o.base();
    let roles: Vec<&str> = o.ctx.roles.0.iter().map(|r| t(l, r.label_key())).collect();
    let mut cards: Vec<(&str, &str, Vec<Line>)> = Vec::new();
    if o.ctx.can(Permission::ReadRegisters) {
        for (area, key) in AREAS {
            let mut lines: Vec<Line> = Vec::new();
            match *area {
                "planning" => {
                    let risks =
                        state.app.list_risks(&o.ctx, &Default::default(), Default::default(), 1, 0).await?.total;
                    lines.push(("/risks".into(), tn(l, "home.risk_count", risks, &[])));
                    lines.push(("/risks/treatment".into(), t(l, "nav.treatment").to_string()));
                }
                // The policy (5.2) and the scope (4.3) as they stand.
                "leadership" | "context" => {
                    let (kind, key) =
                        if *area == "leadership" { ("policy", "home.policy") } else { ("scope", "home.scope") };
                    lines.push(key_document(&state, &o, kind, key).await?);
                    if *area == "leadership" {
                        lines.push(duties_line(&state, &o).await?);
                    }
                }
                "soa" => {
                    let soa = borgen_core::soa::progress(&state.app.soa_rows(&o.ctx).await?);
                    lines.push((
                        "/soa".into(),
                        tf(
                            l,
                            "soa.progress",
                            &[
                                ("applicable", &soa.applicable.to_string()),
                                ("implemented", &soa.implemented.to_string()),
                                ("excluded", &soa.excluded.to_string()),
                                ("undecided", &soa.undecided.to_string()),
                            ],
                        ),
                    ));
                    lines.push(("/catalog".into(), t(l, "nav.catalog").to_string()));
                }
                _ => {}
            }
            let mut declared: Vec<Line> = Vec::new();
            for reg in borgen_core::registers::ALL.iter().filter(|r| r.area == *area && r.parent.is_none()) {
                let n = state.app.reg_count(&o.ctx, reg).await?.unwrap_or(0);
                let nav = format!("{}.nav", reg.locale);
                let name = t(l, &nav);
                let n = n.to_string();
                // A register may say its count in its own words (`{locale}.count`).
                let own = format!("{}.count", reg.locale);
                let text = if t(l, &own) == own {
                    tf(l, "home.register_count", &[("n", &n), ("register", name)])
                } else {
                    tf(l, &own, &[("n", &n)])
                };
                declared.push((format!("/{}", reg.path), text));
            }
            // The clause's own registers first in the context area (4.1 before 4.2).
            if *area == "context" {
                declared.append(&mut lines);
                lines = declared;
            } else {
                lines.append(&mut declared);
            }
            cards.push((area, key, lines));
        }
    }
    let waiting = queue_lines(l, &o, &state.app.work_queue(&o.ctx).await?);
    Ok(html(layout::org(
        &o,
        "home",
        &o.ctx.org.name,
        html! {
            h1 { (o.ctx.org.name) }
            p.muted { (tf(l, "home.your_roles", &[("roles", &roles.join(", "))])) }
            @if !waiting.is_empty() {
                section.card.queue #waiting {
                    h2 { (t(l, "queue.title")) }
                    ul { @for (href, text) in &waiting { li { a href={(base) (href)} { (text) } } } }
                }
            }
            @if cards.is_empty() {
                p { (t(l, "home.viewer_intro")) }
            } @else {
                section.cards {
                    @for (area, key, lines) in &cards {
                        @if lines.is_empty() {
                            div.card.pending {
                                h2 { (t(l, key)) }
                                p.muted { a href={(base) "/area/" (area)} { (t(l, "area.not_yet_short")) } }
                            }
                        } @else {
                            div.card {
                                h2 { (t(l, key)) }
                                @for (href, text) in lines {
                                    p { a href={(base) (href)} { (text) } }
                                }
                            }
                        }
                    }
                }
            }
        },
    )))
}

/// The line of the overview on the two responsibilities of 5.3: both
/// assigned, or which is not.
async fn duties_line(state: &AppState, o: &OrgPage) -> Result<Line, WebError> {
    let l = o.lang();
    let missing: Vec<String> = state
        .app
        .isms_duties(&o.ctx)
        .await?
        .iter()
        .filter(|d| !d.assigned())
        .map(|d| t(l, &format!("org_roles.duty.{}", d.code)).to_string())
        .collect();
    let path = format!("/{}", borgen_core::registers::ORG_ROLES.path);
    Ok(if missing.is_empty() {
        (path, t(l, "home.duties_assigned").to_string())
    } else {
        (path, tf(l, "home.duties_missing", &[("duties", &missing.join("; "))]))
    })
}

/// The line of the overview on the document of `kind` in force: its
/// version, approval, confirmation rate and review date, or that there is
/// none yet.
async fn key_document(state: &AppState, o: &OrgPage, kind: &str, key: &str) -> Result<Line, WebError> {
    let l = o.lang();
    let docs = borgen_core::registers::DOCUMENTS.path;
    let zone = &o.ctx.org.time_zone;
    Ok(match state.app.key_document(&o.ctx, kind).await? {
        None => (format!("/{docs}?doc_type={kind}"), tf(l, &format!("{key}_none"), &[])),
        Some(d) => {
            let mut text = tf(
                l,
                key,
                &[
                    ("code", &d.code),
                    ("n", &d.number.to_string()),
                    ("date", &d.published_at.as_deref().map(|p| crate::layout::when(zone, p)).unwrap_or_default()),
                    ("who", d.approved_by_label.as_deref().unwrap_or("—")),
                ],
            );
            if let Some(r) = d.rate {
                text.push_str(" · ");
                text.push_str(&tf(l, "home.doc_rate", &[("percent", &r.percent().to_string())]));
            }
            if let Some(next) = &d.next_review {
                text.push_str(" · ");
                text.push_str(&tf(l, "home.doc_next_review", &[("date", next)]));
            }
            (format!("/{docs}/{}", d.document_id), text)
        }
    })
}

/// What waits for the member, as (link under the organisation, text).
/// The versions waiting for the member's review or approval, each with
/// its path under the organisation and its line.
pub(crate) fn doc_waiting(
    l: borgen_core::Lang,
    reviews: &[borgen_app::queue::DocWaiting],
    approvals: &[borgen_app::queue::DocWaiting],
) -> Vec<(String, String)> {
    let docs = borgen_core::registers::DOCUMENTS.path;
    let mut out = Vec::new();
    for (list, key) in [(reviews, "queue.doc_review"), (approvals, "queue.doc_approve")] {
        for d in list {
            let n = d.number.to_string();
            out.push((
                format!("/{docs}/{}/versions/{n}", d.document_id),
                tf(l, key, &[("code", &d.code), ("title", &d.title), ("n", &n)]),
            ));
        }
    }
    out
}

fn queue_lines(l: borgen_core::Lang, o: &OrgPage, q: &borgen_app::queue::WorkQueue) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    for p in &q.approvals {
        let n = p.number.to_string();
        let href = match p.kind {
            "soa_version" => format!("/soa/versions/{n}"),
            "risk_run" => format!("/risks/runs/{n}"),
            "treatment_plan" => format!("/risks/treatment/versions/{n}"),
            _ => format!("/risks/methodology?version={n}"),
        };
        out.push((href, tf(l, &format!("queue.approve_{}", p.kind), &[("n", &n)])));
    }
    for p in &q.sign_offs {
        let n = p.number.to_string();
        out.push((format!("/risks/treatment/versions/{n}"), tf(l, "queue.sign_treatment_plan", &[("n", &n)])));
    }
    let docs = borgen_core::registers::DOCUMENTS.path;
    for d in &q.to_read {
        out.push((
            format!("/reading/{}", d.document_id),
            tf(l, "queue.to_read", &[("code", &d.code), ("title", &d.title)]),
        ));
    }
    out.extend(doc_waiting(l, &q.doc_reviews, &q.doc_approvals));
    let me = o.ctx.actor.user_id().map(|u| u.to_string()).unwrap_or_default();
    let counts = [
        (q.to_accept, "/risks?unaccepted=1".to_string(), "queue.to_accept"),
        (q.my_unaccepted, format!("/risks?owner={me}&unaccepted=1"), "queue.my_unaccepted"),
        (q.my_overdue_tasks, "/tasks".to_string(), "task.overdue_count"),
        (q.risks_overdue, "/risks?overdue=1".to_string(), "queue.risks_overdue"),
        (
            q.stale_issues,
            format!("/{}?sort=last_reviewed", borgen_core::registers::CONTEXT_ISSUES.path),
            "queue.stale_issues",
        ),
        (q.docs_overdue, format!("/{docs}?sort=next_review"), "queue.docs_overdue"),
    ];
    for (n, href, key) in counts {
        if n > 0 {
            out.push((href, tn(l, key, n, &[])));
        }
    }
    out
}

/// An area of the ISMS: the registers it has, and plainly what is still to
/// come; an area with nothing yet says so and names what it will hold.
pub async fn area(o: OrgPage, Path((_, area)): Path<(String, String)>) -> WebResult {
    let l = o.lang();
    if area == "soa" {
        return Ok(see_other(&format!("{}/soa", o.base())));
    }
    let Some((code, key)) = AREAS.iter().find(|(a, _)| *a == area && *a != "context") else {
        return Err(WebError::App(AppError::NotFound));
    };
    let links = layout::area_links(&o, code);
    let base = o.base();
    Ok(html(layout::org(
        &o,
        code,
        t(l, key),
        html! {
            h1 { (t(l, key)) }
            @if links.is_empty() {
                div.card.pending {
                    p { strong { (t(l, "area.not_yet")) } }
                    p { (t(l, &format!("area.{code}.holds"))) }
                }
            } @else {
                ul.cards {
                    @for (href, name, _) in &links {
                        li.card { a href={(base) (href)} { strong { (t(l, name)) } } }
                    }
                }
                div.card.pending {
                    p { (t(l, &format!("area.{code}.later"))) }
                }
            }
        },
    )))
}
