//! The page shell, navigation and the small form components every page uses.
//! maud escapes every interpolated value; nothing here builds HTML by hand.

use crate::assets;
use crate::ctx::{CSRF_FIELD, OrgPage, Page};
use crate::error::ErrorMark;
use axum::http::StatusCode;
use borgen_core::i18n::{t, tf};
use borgen_core::{FieldErrors, Lang};
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// The ISMS areas in the navigation, by clause. `None` as route means the area
/// has no register yet and shows an honest "not yet" page.
pub const AREAS: &[(&str, &str)] = &[
    ("context", "nav.context"),
    ("leadership", "nav.leadership"),
    ("planning", "nav.planning"),
    ("support", "nav.support"),
    ("operation", "nav.operation"),
    ("performance", "nav.performance"),
    ("improvement", "nav.improvement"),
    ("soa", "nav.soa"),
];

/// The hidden CSRF field every form carries.
pub fn csrf(page: &Page) -> Markup {
    html! { input type="hidden" name=(CSRF_FIELD) value=(page.csrf); }
}

fn lang_switch(page: &Page) -> Markup {
    let l = page.lang;
    html! {
        form.lang-switch method="post" action="/lang" {
            (csrf(page))
            input type="hidden" name="next" value=(page.path);
            @for other in Lang::ALL {
                @if other == l {
                    span.lang-current aria-current="true" title=(t(l, "nav.language")) { (other.code().to_uppercase()) }
                } @else {
                    button.link type="submit" name="lang" value=(other.code()) lang=(other.code()) title=(t(other, "nav.switch_to")) { (other.code().to_uppercase()) }
                }
            }
        }
    }
}

fn header(page: &Page, org: Option<&OrgPage>) -> Markup {
    let l = page.lang;
    html! {
        header.topbar {
            a.brand href="/" { span.logo aria-hidden="true" { "◆" } " Borgen" }
            @if let Some(o) = org {
                span.org-name { (o.ctx.org.name) }
            }
            nav.user-nav aria-label=(t(l, "nav.account")) {
                (lang_switch(page))
                @if let Some(u) = &page.user {
                    @if let Some(o) = org {
                        a href={(o.base()) "/tokens"} { (t(l, "nav.tokens")) }
                    }
                    a href="/api-docs" { (t(l, "nav.api")) }
                    a href="/account" { (t(l, "security.account_link")) }
                    @if u.is_admin { a href="/admin" { (t(l, "nav.admin")) } }
                    span.user-email { (u.email) }
                    form method="post" action="/logout" {
                        (csrf(page))
                        button.link type="submit" { (t(l, "nav.logout")) }
                    }
                }
            }
        }
    }
}

/// The pages of an area in the navigation, as (path under the organisation,
/// label key, navigation id): the built-in ones, then each declared register
/// of the area. Empty when the area has nothing yet (or nothing the member may read).
pub fn area_links(o: &OrgPage, area: &str) -> Vec<(String, String, &'static str)> {
    let read = o.ctx.can(borgen_core::role::Permission::ReadRegisters);
    let fixed: &[(&str, &str, &'static str)] = match area {
        "planning" if read => &[
            ("/risks", "nav.risks", "risks"),
            ("/risks/opportunities", "opportunity.nav", "opportunity"),
            ("/assets", "nav.assets", "asset"),
            ("/risks/threats", "nav.threats", "threats"),
            ("/risks/methodology", "nav.methodology", "methodology"),
            ("/risks/treatment", "nav.treatment", "treatment"),
            ("/risks/runs", "nav.runs", "runs"),
            ("/risks/quantitative", "nav.quantitative", "quantitative"),
        ],
        "soa" => &[("/catalog", "nav.catalog", "catalog"), ("/soa", "nav.soa", "soa")],
        "leadership" if read => &[
            ("/leadership/evidence", "leadership_evidence.nav", "leadership_evidence"),
            ("/leadership/roles", "org_roles.nav", "org_role"),
            ("/leadership/processes", "processes.nav", "isms_process"),
            ("/leadership/raci-matrix", "raci.matrix_nav", "raci"),
        ],
        "support" if read => &[
            ("/support/resources", "resources.nav", "resource"),
            ("/support/people", "people.nav", "person"),
            ("/support/competence-matrix", "matrix.nav", "matrix"),
            ("/support/awareness", "campaigns.nav", "campaign"),
            ("/support/awareness-overview", "awareness.nav", "awareness"),
            ("/evidence", "nav.evidence", "evidence"),
        ],
        _ => &[],
    };
    let mut links: Vec<(String, String, &'static str)> =
        fixed.iter().map(|(p, k, id)| (p.to_string(), k.to_string(), *id)).collect();
    let declared = borgen_core::registers::ALL
        .iter()
        .filter(|r| r.area == area && r.parent.is_none() && (read || r.area == "context"))
        // A register the fixed list already places (the asset inventory after the risks).
        .filter(|r| !fixed.iter().any(|(p, _, _)| p.strip_prefix('/') == Some(r.path)))
        .map(|r| (format!("/{}", r.path), format!("{}.nav", r.locale), r.key));
    links.extend(declared);
    links
}

fn sidebar(o: &OrgPage, active: &str) -> Markup {
    let l = o.lang();
    let base = o.base();
    html! {
        nav.sidebar aria-label=(t(l, "nav.areas")) {
            a.nav-home href=(base) aria-current=[(active == "home").then_some("page")] { (t(l, "nav.overview")) }
            a.nav-home href={(base) "/tasks"} aria-current=[(active == "my_tasks").then_some("page")] { (t(l, "nav.my_tasks")) }
            a.nav-home href={(base) "/reading"} aria-current=[(active == "reading").then_some("page")] { (t(l, "nav.reading")) }
            @for (area, key) in AREAS {
                @let links = area_links(o, area);
                @if links.is_empty() {
                    a href={(base) "/area/" (area)} aria-current=[(active == *area).then_some("page")] { (t(l, key)) }
                } @else {
                    div.nav-group {
                        span.nav-area { (t(l, key)) }
                        @for (href, name, id) in links {
                            a href={(base) (href)} aria-current=[(active == id).then_some("page")] { (t(l, &name)) }
                        }
                    }
                }
            }
            @if o.ctx.can(borgen_core::role::Permission::ReadAuditTrail) {
                a.nav-audit href={(base) "/audit-log"} aria-current=[(active == "audit").then_some("page")] { (t(l, "nav.audit_log")) }
            }
            @if o.ctx.can(borgen_core::role::Permission::ManageIsms) {
                a.nav-audit href={(base) "/settings"} aria-current=[(active == "settings").then_some("page")] { (t(l, "orgsettings.title")) }
            }
        }
    }
}

fn document(lang: Lang, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Borgen" }
                link rel="stylesheet" href=(assets::url("app.css"));
                script src=(assets::url("app.js")) defer {}
            }
            body { (body) }
        }
    }
}

/// A page outside any organisation (setup, login, admin, organisation list).
pub fn plain(page: &Page, title: &str, body: Markup) -> Markup {
    let l = page.lang;
    document(
        l,
        title,
        html! {
            a.skip href="#main" { (t(l, "nav.skip")) }
            (header(page, None))
            main.narrow #main { (body) }
        },
    )
}

/// A page inside an organisation, with the area navigation.
pub fn org(o: &OrgPage, active: &str, title: &str, body: Markup) -> Markup {
    let l = o.lang();
    document(
        l,
        title,
        html! {
            a.skip href="#main" { (t(l, "nav.skip")) }
            (header(&o.page, Some(o)))
            div.layout {
                (sidebar(o, active))
                main #main { (body) }
            }
        },
    )
}

/// The error page the error middleware renders.
pub fn error_page(lang: Lang, status: StatusCode, mark: &ErrorMark, request_id: &str) -> Markup {
    let l = lang;
    let title = t(l, mark.key);
    document(
        l,
        title,
        html! {
            main.narrow #main {
                div.card.error-card {
                    p.status { (status.as_u16()) }
                    h1 { (title) }
                    @if !mark.fields.is_empty() {
                        ul { @for f in &mark.fields.0 { li { code { (f.field) } ": " (t(l, f.key)) } } }
                    }
                    @if !mark.problems.is_empty() {
                        ul.problems { @for p in &mark.problems { li { (crate::error::problem_text(l, p)) } } }
                    }
                    @if mark.internal.is_some() {
                        p { (tf(l, "error.request_id", &[("id", request_id)])) }
                    }
                    p { a href="/" { (t(l, "nav.back_home")) } }
                }
            }
        },
    )
}

/// Which of confidentiality, integrity and availability a risk or threat
/// affects, as letters: "CIA" in English, "BIV" (beschikbaarheid,
/// integriteit, vertrouwelijkheid, in that order) in Dutch; "—" for none.
pub fn cia(l: Lang, c: bool, i: bool, a: bool) -> String {
    let letters: &[(bool, char)] = match l {
        Lang::Nl => &[(a, 'B'), (i, 'I'), (c, 'V')],
        Lang::En => &[(c, 'C'), (i, 'I'), (a, 'A')],
    };
    let s: String = letters.iter().filter(|x| x.0).map(|x| x.1).collect();
    if s.is_empty() { "—".into() } else { s }
}

/// An approver as an approval names them, with the role they approve in (only
/// top management approves): "Pieter Janssen, directie".
pub fn approver(l: Lang, label: &str) -> String {
    match label {
        borgen_app::CLI_LABEL | borgen_app::DEMO_LABEL => actor(l, label, false),
        _ => format!("{label}, {}", t(l, "signed_as.top_management")),
    }
}

/// Who made a change: a person's name, or the command line or the demo in the
/// reader's language.
pub fn actor(l: Lang, label: &str, has_id: bool) -> String {
    match (has_id, label) {
        (false, borgen_app::CLI_LABEL) => t(l, "actor.cli").to_string(),
        (false, borgen_app::DEMO_LABEL) => t(l, "actor.demo").to_string(),
        _ => label.to_string(),
    }
}

/// A notice shown after a successful change (`?done=saved`).
pub fn notice(l: Lang, done: Option<&str>) -> Markup {
    let key = match done {
        Some("saved") => "notice.saved",
        Some("created") => "notice.created",
        Some("archived") => "notice.archived",
        Some("restored") => "notice.restored",
        Some("accepted") => "notice.accepted",
        Some("attached") => "notice.attached",
        Some("detached") => "notice.detached",
        Some("confirmed") => "notice.confirmed",
        _ => return html! {},
    };
    html! { p.notice role="status" { (t(l, key)) } }
}

/// The error under a field, if any.
fn field_error(l: Lang, errs: &FieldErrors, name: &str) -> Markup {
    html! {
        @if let Some(key) = errs.for_field(name) {
            p.field-error id={"err-" (name)} { (t(l, key)) }
        }
    }
}

/// The ids that describe a field: its hint and its error, if any.
fn described(errs: &FieldErrors, name: &str, has_hint: bool) -> Option<String> {
    let mut ids = Vec::new();
    if has_hint {
        ids.push(format!("hint-{name}"));
    }
    if errs.for_field(name).is_some() {
        ids.push(format!("err-{name}"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A labelled text input that keeps the typed value and shows its error.
pub fn text_field(
    l: Lang,
    errs: &FieldErrors,
    name: &str,
    label: &str,
    value: Option<&str>,
    required: bool,
    kind: &str,
) -> Markup {
    text_field_hint(l, errs, name, label, value, required, kind, None)
}

/// As [`text_field`], with a hint under the label that screen readers
/// announce with the field.
#[allow(clippy::too_many_arguments)]
pub fn text_field_hint(
    l: Lang,
    errs: &FieldErrors,
    name: &str,
    label: &str,
    value: Option<&str>,
    required: bool,
    kind: &str,
    hint: Option<&str>,
) -> Markup {
    html! {
        div.field.invalid[errs.for_field(name).is_some()] {
            label for=(name) { (label) @if required { span.req aria-hidden="true" { " *" } } }
            @if let Some(h) = hint { p.hint id={"hint-" (name)} { (h) } }
            input id=(name) name=(name) type=(kind) value=(value.unwrap_or(""))
                required[required] aria-invalid=[errs.for_field(name).map(|_| "true")]
                aria-describedby=[described(errs, name, hint.is_some())];
            (field_error(l, errs, name))
        }
    }
}

pub fn textarea(
    l: Lang,
    errs: &FieldErrors,
    name: &str,
    label: &str,
    value: Option<&str>,
    hint: Option<&str>,
) -> Markup {
    html! {
        div.field.invalid[errs.for_field(name).is_some()] {
            label for=(name) { (label) }
            @if let Some(h) = hint { p.hint id={"hint-" (name)} { (h) } }
            textarea id=(name) name=(name) rows="4" aria-invalid=[errs.for_field(name).map(|_| "true")]
                aria-describedby=[described(errs, name, hint.is_some())] { (value.unwrap_or("")) }
            (field_error(l, errs, name))
        }
    }
}

pub fn select(
    l: Lang,
    errs: &FieldErrors,
    name: &str,
    label: &str,
    options: &[(String, String)],
    value: Option<&str>,
    required: bool,
) -> Markup {
    html! {
        div.field.invalid[errs.for_field(name).is_some()] {
            label for=(name) { (label) @if required { span.req aria-hidden="true" { " *" } } }
            select id=(name) name=(name) required[required] aria-invalid=[errs.for_field(name).map(|_| "true")]
                aria-describedby=[described(errs, name, false)] {
                option value="" { "—" }
                @for (code, text) in options {
                    option value=(code) selected[value == Some(code.as_str())] { (text) }
                }
            }
            (field_error(l, errs, name))
        }
    }
}

/// A group of checkboxes under one name (one value per ticked box), as
/// (value, label) items, with an optional hint.
pub fn checks(
    l: Lang,
    errs: &FieldErrors,
    name: &str,
    legend: &str,
    hint: Option<&str>,
    items: &[(String, String)],
    chosen: &[String],
) -> Markup {
    html! {
        fieldset.field.checks.invalid[errs.for_field(name).is_some()] id=(name) {
            legend { (legend) }
            @if let Some(h) = hint { p.hint { (h) } }
            @if items.is_empty() { p.muted { (t(l, "common.none_yet")) } }
            @for (i, (id, label)) in items.iter().enumerate() {
                div.check {
                    input id={(name) "-" (i)} type="checkbox" name=(name) value=(id) checked[chosen.contains(id)];
                    label for={(name) "-" (i)} { (label) }
                }
            }
            (field_error(l, errs, name))
        }
    }
}

pub fn checkbox(l: Lang, errs: &FieldErrors, name: &str, label: &str, checked: bool) -> Markup {
    html! {
        div.field.check {
            input id=(name) name=(name) type="checkbox" checked[checked];
            label for=(name) { (label) }
            (field_error(l, errs, name))
        }
    }
}
/// The approval form of a numbered version (SoA version, assessment run,
/// methodology version): errors, a comment, the second-factor code for an
/// approver who uses one, and the button.
pub fn approval_form(o: &OrgPage, errs: &FieldErrors, action: &str, comment_label: &str, button: &str) -> Markup {
    let l = o.lang();
    html! {
        (error_summary(l, errs))
        form method="post" action=(action) novalidate {
            (csrf(&o.page))
            (textarea(l, errs, "comment", comment_label, None, None))
            @if o.ctx.second_factor {
                (code_field(l, errs, "code", t(l, "totp.field_code"), Some(t(l, "totp.approve_hint")), false))
            }
            button.primary type="submit" { (button) }
        }
    }
}

/// The field for a second-factor code (`code`): one-time-code autofill, no
/// spell checking, digits on a phone's keyboard unless a recovery code may
/// be typed too.
/// `id` tells several such fields on one page apart (the name is `code`).
pub fn code_field(l: Lang, errs: &FieldErrors, id: &str, label: &str, hint: Option<&str>, recovery: bool) -> Markup {
    let err = errs.for_field("code");
    let mut describe = Vec::new();
    if hint.is_some() {
        describe.push(format!("hint-{id}"));
    }
    if err.is_some() {
        describe.push(format!("err-{id}"));
    }
    html! {
        div.field.code-field.invalid[err.is_some()] {
            label for=(id) { (label) span.req aria-hidden="true" { " *" } }
            @if let Some(h) = hint { p.hint id={"hint-" (id)} { (h) } }
            input id=(id) name="code" type="text" autocomplete="one-time-code" spellcheck="false"
                autocapitalize="off" maxlength="64" size="12" required
                inputmode=[(!recovery).then_some("numeric")]
                aria-invalid=[err.map(|_| "true")] aria-describedby=[(!describe.is_empty()).then(|| describe.join(" "))];
            @if let Some(key) = err { p.field-error id={"err-" (id)} { (t(l, key)) } }
        }
    }
}

/// The label of a form field, for the error summary.
pub fn field_label(l: Lang, field: &str) -> String {
    let key = match field {
        "owner_id" => "field.owner".to_string(),
        "setup_code" => "setup.code".to_string(),
        "org_slug" => "field.slug".to_string(),
        "role" => "admin.role".to_string(),
        "lang" => "field.default_lang".to_string(),
        "user_id" | "user" => "field.user".to_string(),
        "prefix" => "tokens.prefix".to_string(),
        "scope" | "expires_on" | "current_password" | "new_password" => format!("security.field_{field}"),
        "units" | "locations" | "processes" | "systems" | "interfaces" | "exclusions" => format!("scope.part.{field}"),
        "scope_parts" => "scope.title".to_string(),
        "document_rules" => "docrules.title".to_string(),
        other => format!("field.{other}"),
    };
    let text = t(l, &key);
    if text == key { field.to_string() } else { text.to_string() }
}

/// A summary at the top of a form that failed validation: each problem with
/// a link to its field. The script moves focus here when the page loads.
pub fn error_summary(l: Lang, errs: &FieldErrors) -> Markup {
    error_summary_labelled(l, errs, |f| field_label(l, f))
}

/// As [`error_summary`], with the labels of the form's own fields.
pub fn error_summary_labelled(l: Lang, errs: &FieldErrors, label: impl Fn(&str) -> String) -> Markup {
    html! {
        @if !errs.is_empty() {
            div.error-summary role="alert" tabindex="-1" {
                p { strong { (t(l, "error.invalid")) } }
                ul {
                    @for e in &errs.0 {
                        li { a href={"#" (e.field)} { (label(e.field)) ": " (t(l, e.key)) } }
                    }
                }
            }
        }
    }
}

/// A small POST form with one button (archive, restore, revoke).
pub fn action_button(page: &Page, action: &str, label: &str, class: &str, confirm: Option<&str>) -> Markup {
    html! {
        form.inline method="post" action=(action) data-confirm=[confirm] {
            (csrf(page))
            button class=(class) type="submit" { (label) }
        }
    }
}

/// Previous/next links for a paged list. `href(page)` builds the link.
pub fn pager(l: Lang, page: u32, per_page: u32, total: i64, href: impl Fn(u32) -> String) -> Markup {
    let pages = ((total.max(0) as u64).div_ceil(per_page.max(1) as u64)).max(1) as u32;
    html! {
        nav.pager aria-label=(t(l, "list.pages")) {
            @if page > 1 { a href=(href(page - 1)) rel="prev" { "← " (t(l, "list.previous")) } }
            span { (tf(l, "list.page_of", &[("page", &page.to_string()), ("pages", &pages.to_string()), ("total", &total.to_string())])) }
            @if page < pages { a href=(href(page + 1)) rel="next" { (t(l, "list.next")) " →" } }
        }
    }
}

/// A stored instant as pages show it: on the Dutch clock (CET or CEST, said
/// after the time), the organisations' time zone; the data and the exports
/// keep the UTC instant.
pub fn when(zone: &str, ts: &str) -> String {
    borgen_core::time::parse_text(ts).map(|d| borgen_core::time::local(d, zone)).unwrap_or_else(|| ts.to_string())
}

/// Inserts text that is already safe HTML (only for constant strings).
pub fn raw(s: &'static str) -> PreEscaped<&'static str> {
    PreEscaped(s)
}

/// The issued versions of a kind, newest first: the number (a link under
/// `base`), when and by whom it was issued, the kind's `extra` columns
/// (headers and a cell per row), its approval state and its note.
pub fn versions_table(
    o: &OrgPage,
    base: &str,
    extra: &[&str],
    rows: &[(&borgen_app::borgen_store::version::VersionRow, Vec<Markup>, Markup)],
) -> Markup {
    let l = o.lang();
    html! {
        table.register {
            thead { tr {
                th scope="col" { (t(l, "soa.version")) }
                th scope="col" { (t(l, "soa.issued")) }
                @for h in extra { th scope="col" { (h) } }
                th scope="col" { (t(l, "soa.approval")) }
                th scope="col" { (t(l, "soa.version_note")) }
            } }
            tbody {
                @for (v, cells, state) in rows {
                    tr {
                        td { a href={(base) "/versions/" (v.number)} { (t(l, "soa.version")) " " (v.number) } }
                        td { (when(&o.ctx.org.time_zone, &v.issued_at)) " · " (actor(l, &v.issued_by_label, v.issued_by.is_some())) }
                        @for c in cells { td { (c) } }
                        td { (state) }
                        td { (v.note.clone().unwrap_or_default()) }
                    }
                }
            }
        }
    }
}
