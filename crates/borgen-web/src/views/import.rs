//! Importing the asset inventory and the risk register from CSV or XLSX, in
//! two steps: choose the file, then check which column feeds which field
//! (recognised from the headers in Dutch or English) and import. A file with
//! any problem changes nothing; the problems are listed by line and column.

use super::{html, html_status};
use crate::ctx::{CSRF_FIELD, CsrfToken, OrgPage};
use crate::error::{WebError, WebResult};
use crate::layout::{self, csrf};
use crate::state::AppState;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use borgen_app::import::Imported;
use borgen_core::Lang;
use borgen_core::i18n::{t, tf, tn};
use borgen_core::import::{ASSET_FIELDS, Field, ImportError, Mapping, RISK_FIELDS};
use borgen_core::role::Permission;
use maud::{Markup, html};
use std::collections::HashMap;

/// The most bytes an import upload may have (the file, or the file carried
/// over to the second step).
pub const UPLOAD_LIMIT: usize = 32 * 1024 * 1024;

/// What is imported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Assets,
    Risks,
}

impl Kind {
    pub fn fields(self) -> &'static [Field] {
        match self {
            Kind::Assets => ASSET_FIELDS,
            Kind::Risks => RISK_FIELDS,
        }
    }
    fn path(self) -> &'static str {
        match self {
            Kind::Assets => "assets",
            Kind::Risks => "risks",
        }
    }
    /// The navigation entry its pages highlight.
    fn nav(self) -> &'static str {
        match self {
            Kind::Assets => borgen_core::registers::ASSETS.key,
            Kind::Risks => "risks",
        }
    }
    fn title(self, l: Lang) -> &'static str {
        t(l, if self == Kind::Assets { "import.assets_title" } else { "import.risks_title" })
    }
    fn register(self, l: Lang) -> &'static str {
        t(l, if self == Kind::Assets { "asset.title" } else { "risk.title" })
    }

    /// Runs the import; `Ok(Err(..))` holds the file's problems.
    pub async fn run(
        self,
        state: &AppState,
        ctx: &borgen_app::OrgCtx,
        table: borgen_app::import::Table,
        choices: Vec<(String, String)>,
    ) -> Result<borgen_app::import::Outcome, WebError> {
        let none = |_: usize, _: usize| {};
        Ok(match self {
            Kind::Assets => state.app.import_assets(ctx, table, choices, &none).await?,
            Kind::Risks => state.app.import_risks(ctx, table, choices, &none).await?,
        })
    }

    /// The sentence that says what an import did.
    pub fn done(self, l: Lang, i: &Imported) -> String {
        match self {
            Kind::Assets => tn(l, "import.done_assets", i.created, &[]),
            Kind::Risks => tn(
                l,
                "import.done_risks",
                i.created,
                &[("first", i.first.as_deref().unwrap_or("")), ("last", i.last.as_deref().unwrap_or(""))],
            ),
        }
    }
}

/// Reads a sheet; an unreadable or empty file is one problem on line 1, a
/// file over one of the reader's limits the problem that names the limit.
pub fn read_upload(bytes: &[u8]) -> Result<Vec<Vec<String>>, Vec<ImportError>> {
    if bytes.is_empty() {
        return Err(vec![ImportError::file("error.import_empty")]);
    }
    borgen_report::import::read_table(bytes).map_err(|e| match e {
        borgen_report::ReportError::Limit { key, line } => vec![ImportError { line, column: String::new(), key }],
        _ => vec![ImportError::file("error.import_unreadable")],
    })
}

/// [`read_upload`] as one of the application's CPU jobs (off the async
/// workers, a few at a time).
pub async fn read_upload_apart(
    app: &borgen_app::App,
    bytes: impl AsRef<[u8]> + Send + 'static,
) -> Result<Result<Vec<Vec<String>>, Vec<ImportError>>, WebError> {
    Ok(app.cpu(move || read_upload(bytes.as_ref())).await?)
}

/// The fields of a multipart form post, after its CSRF token is checked.
pub async fn multipart_fields(
    _headers: &HeaderMap,
    token: &CsrfToken,
    multipart: Multipart,
) -> Result<HashMap<String, Vec<u8>>, WebError> {
    Ok(multipart_parts(token, multipart).await?.into_iter().map(|(k, (_, v))| (k, v)).collect())
}

/// The parts of a multipart form post by field name, each with the file
/// name the browser sent (for file fields), after its CSRF token is checked.
pub async fn multipart_parts(
    token: &CsrfToken,
    mut multipart: Multipart,
) -> Result<HashMap<String, (Option<String>, Vec<u8>)>, WebError> {
    let bad = || WebError::Status(StatusCode::BAD_REQUEST, "error.malformed_form");
    let mut out = HashMap::new();
    while let Some(field) = multipart.next_field().await.map_err(|_| bad())? {
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes =
            field.bytes().await.map_err(|_| WebError::Status(StatusCode::PAYLOAD_TOO_LARGE, "error.too_large"))?;
        out.insert(name, (file_name, bytes.to_vec()));
    }
    let given = out.get(CSRF_FIELD).map(|(_, v)| String::from_utf8_lossy(v).into_owned()).unwrap_or_default();
    if token.0.is_empty() || !crate::ctx::same_secret(&given, &token.0) {
        return Err(WebError::Status(StatusCode::FORBIDDEN, "error.csrf"));
    }
    Ok(out)
}

/// The list of a file's problems, by line and column.
pub fn problems(l: Lang, heading: String, fields: &[Field], errors: &[ImportError]) -> Markup {
    let column = |c: &str| fields.iter().find(|f| f.code == c).map(|f| f.label(l).to_string()).unwrap_or(c.to_string());
    html! {
        div.error-summary role="alert" tabindex="-1" {
            p { strong { (heading) } }
            table.register {
                thead { tr { th scope="col" { (t(l, "import.line")) } th scope="col" { (t(l, "import.column")) } th scope="col" { (t(l, "import.problem")) } } }
                tbody { @for e in errors { tr { td { (e.line) } td { (column(&e.column)) } td { (t(l, e.key)) } } } }
            }
        }
    }
}

fn failed(l: Lang, kind: Kind, errors: &[ImportError]) -> Markup {
    problems(l, tf(l, "import.failed", &[("n", &errors.len().to_string())]), kind.fields(), errors)
}

fn page(o: &OrgPage, kind: Kind, body: Markup) -> Markup {
    let l = o.lang();
    let base = format!("{}/{}", o.base(), kind.path());
    layout::org(
        o,
        kind.nav(),
        kind.title(l),
        html! {
            p.crumbs { a href=(base) { (kind.register(l)) } }
            h1 { (kind.title(l)) }
            (body)
        },
    )
}

/// Step 1: choose the file.
fn upload_page(o: &OrgPage, kind: Kind, errors: &[ImportError]) -> Markup {
    let l = o.lang();
    let action = format!("{}/{}/import", o.base(), kind.path());
    page(
        o,
        kind,
        html! {
            p { (t(l, if kind == Kind::Assets { "import.assets_intro" } else { "import.risks_intro" })) }
            p.small { (t(l, "import.rules")) }
            p.small { (t(l, "import.all_or_nothing")) }
            details {
                summary { (t(l, "import.fields_known")) }
                ul.small {
                    @for f in kind.fields() {
                        li { (f.label(l)) @if f.required { " *" } " — " code { (f.code) } }
                    }
                }
            }
            @if !errors.is_empty() { (failed(l, kind, errors)) }
            h2 { (t(l, "import.step_upload")) }
            form.card method="post" action=(action) enctype="multipart/form-data" {
                (csrf(&o.page))
                div.field {
                    label for="file" { (t(l, "import.file_label")) }
                    input #file type="file" name="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" required;
                }
                button.primary type="submit" { (t(l, "import.check")) }
            }
        },
    )
}

/// Step 2: which column feeds which field, with the file carried along.
fn mapping_page(
    o: &OrgPage,
    kind: Kind,
    table: &[Vec<String>],
    data: &str,
    m: &Mapping,
    errors: &[ImportError],
) -> Markup {
    let l = o.lang();
    let action = format!("{}/{}/import", o.base(), kind.path());
    let rows = table.iter().skip(1).filter(|r| r.iter().any(|c| !c.trim().is_empty())).count();
    let first = table.get(1);
    page(
        o,
        kind,
        html! {
            @if !errors.is_empty() { (failed(l, kind, errors)) }
            h2 { (t(l, "import.step_map")) }
            p { (t(l, "import.map_intro")) " " (tn(l, "import.rows_found", rows, &[])) }
            form.card method="post" action=(action) enctype="multipart/form-data" {
                (csrf(&o.page))
                input type="hidden" name="data" value=(data);
                table.register {
                    thead { tr {
                        th scope="col" { (t(l, "import.column")) }
                        th scope="col" { (t(l, "import.example")) }
                        th scope="col" { (t(l, "import.field")) }
                    } }
                    tbody {
                        @for (i, h) in m.headers.iter().enumerate() {
                            tr {
                                td { label for={"map-" (i)} { (h) } }
                                td.muted { (first.and_then(|r| r.get(i)).map(|s| s.chars().take(60).collect::<String>()).unwrap_or_default()) }
                                td {
                                    select id={"map-" (i)} name={"map_" (i)} {
                                        option value="" selected[m.columns[i].is_none()] { (t(l, "import.ignore")) }
                                        @for f in kind.fields() {
                                            option value=(f.code) selected[m.columns[i] == Some(f.code)] {
                                                (f.label(l)) @if f.required { " *" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                div.actions {
                    button.primary type="submit" name="go" value="import" { (tn(l, "import.submit", rows, &[])) }
                    a href=(action) { (t(l, "import.another")) }
                }
            }
        },
    )
}

fn done_page(o: &OrgPage, kind: Kind, outcome: &Imported) -> Markup {
    let l = o.lang();
    page(
        o,
        kind,
        html! {
            p.notice role="status" { (kind.done(l, outcome)) }
            p { a.button.primary href={(o.base()) "/" (kind.path())} { (kind.register(l)) } }
        },
    )
}

async fn show(o: OrgPage, kind: Kind) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    Ok(html(upload_page(&o, kind, &[])))
}

async fn post(
    state: AppState,
    o: OrgPage,
    kind: Kind,
    headers: HeaderMap,
    token: CsrfToken,
    mp: Multipart,
) -> WebResult {
    o.ctx.require(Permission::ManageIsms)?;
    let fields = multipart_fields(&headers, &token, mp).await?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let bytes = match fields.get("data").filter(|d| !d.is_empty()) {
        Some(d) => b64.decode(d).map_err(|_| WebError::Status(StatusCode::BAD_REQUEST, "error.malformed_form"))?,
        None => fields.get("file").cloned().unwrap_or_default(),
    };
    // The file travels to the second step inside the page, a third larger.
    if bytes.len() > UPLOAD_LIMIT / 4 * 3 {
        let e = [ImportError::file("error.import_too_large")];
        return Ok(html_status(StatusCode::PAYLOAD_TOO_LARGE, upload_page(&o, kind, &e)));
    }
    let table = match read_upload_apart(&state.app, bytes.clone()).await? {
        Ok(t) => std::sync::Arc::new(t),
        Err(e) => return Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, upload_page(&o, kind, &e))),
    };
    let headers_row = table.first().cloned().unwrap_or_default();
    // Positional: "#1" is the first column, whatever the headers say.
    let choices: Vec<(String, String)> = (0..headers_row.len())
        .filter_map(|i| {
            fields.get(&format!("map_{i}")).map(|v| (format!("#{}", i + 1), String::from_utf8_lossy(v).into_owned()))
        })
        .collect();
    let data = b64.encode(&bytes);
    let shown = |errors: &[ImportError]| {
        // What the user chose stays chosen, also while a required field is missing.
        let mut m = Mapping::auto(kind.fields(), &headers_row);
        for (i, v) in (0..headers_row.len()).filter_map(|i| fields.get(&format!("map_{i}")).map(|v| (i, v))) {
            let v = String::from_utf8_lossy(v);
            let code = kind.fields().iter().find(|f| f.code == v.trim()).map(|f| f.code);
            if code.is_some() {
                for c in m.columns.iter_mut().filter(|c| **c == code) {
                    *c = None;
                }
            }
            m.columns[i] = code;
        }
        mapping_page(&o, kind, &table, &data, &m, errors)
    };
    if fields.get("go").map(|v| v.as_slice()) != Some(b"import") {
        return Ok(html(shown(&[])));
    }
    match kind.run(&state, &o.ctx, table.clone(), choices).await? {
        Ok(outcome) => Ok(html(done_page(&o, kind, &outcome))),
        Err(errors) => Ok(html_status(StatusCode::UNPROCESSABLE_ENTITY, shown(&errors))),
    }
}

pub async fn assets_form(o: OrgPage) -> WebResult {
    show(o, Kind::Assets).await
}

pub async fn risks_form(o: OrgPage) -> WebResult {
    show(o, Kind::Risks).await
}

pub async fn assets(
    State(state): State<AppState>,
    o: OrgPage,
    headers: HeaderMap,
    axum::Extension(token): axum::Extension<CsrfToken>,
    mp: Multipart,
) -> WebResult {
    post(state, o, Kind::Assets, headers, token, mp).await
}

pub async fn risks(
    State(state): State<AppState>,
    o: OrgPage,
    headers: HeaderMap,
    axum::Extension(token): axum::Extension<CsrfToken>,
    mp: Multipart,
) -> WebResult {
    post(state, o, Kind::Risks, headers, token, mp).await
}
