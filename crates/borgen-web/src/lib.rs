//! The HTTP interface: server-rendered HTML pages and the JSON API under
//! `/api/v1`, both calling the same use cases in `borgen-app`.
//!
//! All routes are in [`router`]; each page lives in a small file under
//! `views/`, each API resource under `api/`.

pub mod api;
pub mod assets;
pub mod ctx;
pub mod error;
pub mod heatmap;
pub mod layout;
pub mod markdown;
pub mod middleware;
pub mod openapi;
pub mod qr;
pub mod register;
pub mod risk_export;
pub mod state;
pub mod tables;
pub mod views;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
pub use state::AppState;
use tokio::net::TcpListener;

/// Largest request body accepted (forms and JSON).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Every route of the application.
pub fn router(state: AppState) -> Router {
    use views::*;
    // An evidence upload: the file, its note and the form's overhead.
    let upload = usize::try_from(state.app.config.evidence_max_bytes).unwrap_or(usize::MAX).saturating_add(64 * 1024);
    let html = Router::new()
        .route("/", get(home::index))
        .route("/setup", get(setup::form).post(setup::submit))
        .route("/login", get(login::form).post(login::submit))
        .route("/login/code", get(login::code_form).post(login::code_submit))
        .route("/logout", post(login::logout))
        .route("/lang", post(login::set_lang))
        .route("/api-docs", get(apidocs::page))
        .route("/account", get(account::show))
        .route("/account/password", post(account::change_password))
        .route("/account/sessions/revoke-others", post(account::revoke_others))
        .route("/account/sessions/{handle}/revoke", post(account::revoke))
        .route("/account/totp/start", post(account::totp_start))
        .route("/account/totp/cancel", post(account::totp_cancel))
        .route("/account/totp/confirm", post(account::totp_confirm))
        .route("/account/totp/recovery-codes", post(account::totp_renew))
        .route("/account/totp/disable", post(account::totp_disable))
        .route("/admin", get(admin::index))
        .route("/admin/security", get(admin::security))
        .route("/admin/orgs", post(admin::create_org))
        .route("/admin/users", post(admin::create_user))
        .route("/admin/orgs/{slug}", get(admin::org_members))
        .route("/admin/orgs/{slug}/members", post(admin::add_member))
        .route("/admin/orgs/{slug}/members/remove", post(admin::remove_member))
        .route("/admin/orgs/{slug}/second-factor", post(admin::set_second_factor))
        .route("/o/{slug}", get(home::org_home))
        .route("/o/{slug}/area/{area}", get(home::area))
        .route("/o/{slug}/audit-log", get(trail::log))
        .route("/o/{slug}/settings", get(orgsettings::show).post(orgsettings::save))
        .route("/o/{slug}/settings/time-zone", post(orgsettings::save_time_zone))
        .route("/o/{slug}/settings/documents", post(orgsettings::save_document_rules))
        .route("/o/{slug}/soa", get(soa::table))
        .route("/o/{slug}/soa/versions", get(soa::versions).post(soa::issue))
        .route("/o/{slug}/soa/versions/{n}", get(soa::version))
        .route("/o/{slug}/soa/versions/{n}/approve", post(soa::approve))
        .route("/o/{slug}/soa/diff", get(soa::compare))
        .route("/o/{slug}/soa/import", get(soa::import_form).post(soa::import))
        .route("/o/{slug}/soa/print", get(soa::print))
        .route("/o/{slug}/soa/export/{format}", get(soa::export))
        .route("/o/{slug}/soa/{control}", get(soa::row).post(soa::update_row))
        .route("/o/{slug}/risks", get(risks::list).post(risks::create))
        .route("/o/{slug}/risks/new", get(risks::new_form))
        .route("/o/{slug}/risks/methodology", get(methodology::show).post(methodology::save))
        .route("/o/{slug}/risks/methodology/edit", get(methodology::edit_form))
        .route("/o/{slug}/risks/methodology/rescore", post(methodology::rescore))
        .route("/o/{slug}/risks/methodology/versions/{v}/approve", post(methodology::approve))
        .route("/o/{slug}/risks/threats", get(threats::list))
        .route("/o/{slug}/risks/treatment", get(tasks::plan))
        .route("/o/{slug}/risks/treatment/versions", get(plan::versions).post(plan::issue))
        .route("/o/{slug}/risks/treatment/versions/{n}", get(plan::version))
        .route("/o/{slug}/risks/treatment/versions/{n}/sign", post(plan::sign))
        .route("/o/{slug}/risks/treatment/versions/{n}/approve", post(plan::approve))
        .route("/o/{slug}/risks/quantitative", get(risks::quantitative))
        .route("/o/{slug}/risks/export/{format}", get(risks::export))
        .route("/o/{slug}/risks/treatment/export/{format}", get(risks::export_treatment))
        .route("/o/{slug}/risks/threats/export/{format}", get(risks::export_threats))
        .route(
            "/o/{slug}/assets/import",
            get(import::assets_form).post(import::assets).layer(DefaultBodyLimit::max(import::UPLOAD_LIMIT)),
        )
        .route(
            "/o/{slug}/risks/import",
            get(import::risks_form).post(import::risks).layer(DefaultBodyLimit::max(import::UPLOAD_LIMIT)),
        )
        .route("/o/{slug}/risks/runs", get(runs::list).post(runs::take))
        .route("/o/{slug}/risks/runs/compare", get(runs::compare))
        .route("/o/{slug}/risks/runs/{n}", get(runs::show))
        .route("/o/{slug}/risks/runs/{n}/approve", post(runs::approve))
        .route("/o/{slug}/risks/{id}/estimate", post(risks::save_estimate))
        .route("/o/{slug}/risks/{id}", get(risks::show).post(risks::update))
        .route("/o/{slug}/risks/{id}/edit", get(risks::edit_form))
        .route("/o/{slug}/risks/{id}/archive", post(risks::archive))
        .route("/o/{slug}/risks/{id}/restore", post(risks::restore))
        .route("/o/{slug}/risks/{id}/accept", post(risks::accept))
        .route("/o/{slug}/risks/{id}/tasks", post(risks::add_task))
        .route("/o/{slug}/tasks", get(tasks::mine))
        .route("/o/{slug}/tasks/{id}", get(tasks::show).post(tasks::update))
        .route("/o/{slug}/catalog", get(catalog::list))
        .route("/o/{slug}/catalog/2013", get(catalog::mapping))
        .route("/o/{slug}/catalog/{id}", get(catalog::show))
        .route("/o/{slug}/tokens", get(tokens::list).post(tokens::create))
        .route("/o/{slug}/tokens/{id}/revoke", post(tokens::revoke))
        .route("/o/{slug}/support/documents/templates", get(doc_templates::list))
        .route("/o/{slug}/support/documents/templates/{kind}", post(doc_templates::create))
        .route("/o/{slug}/support/documents/versions/{vid}", get(documents::by_id))
        .route("/o/{slug}/support/documents/{id}/diff", get(doc_diff::page))
        .route("/o/{slug}/support/documents/{id}/versions", post(documents::new_draft))
        .route("/o/{slug}/support/documents/{id}/versions/{n}", get(documents::version))
        .route("/o/{slug}/support/documents/{id}/versions/{n}/edit", get(documents::edit_form).post(documents::save))
        .route("/o/{slug}/support/documents/{id}/versions/{n}/submit", post(documents::submit))
        .route("/o/{slug}/support/documents/{id}/versions/{n}/review", post(documents::review))
        .route("/o/{slug}/support/documents/{id}/versions/{n}/approve", post(documents::approve))
        .route("/o/{slug}/support/documents/{id}/versions/{n}/publish", post(documents::publish))
        .route("/o/{slug}/support/documents/{id}/versions/{n}/withdraw", post(documents::withdraw))
        .route("/o/{slug}/support/documents/{id}/versions/{n}/ask", post(documents::ask))
        .route("/o/{slug}/reading", get(reading::list))
        .route("/o/{slug}/reading/{id}", get(reading::show))
        .route("/o/{slug}/reading/{id}/{n}/confirm", post(reading::confirm))
        .route("/o/{slug}/support/competence-matrix", get(competence::page))
        .route("/o/{slug}/leadership/raci-matrix", get(raci::page))
        .route("/o/{slug}/leadership/raci-matrix/export/{format}", get(raci::export))
        .route("/o/{slug}/support/awareness-overview", get(awareness::overview))
        .route(
            "/o/{slug}/support/awareness/{id}/import",
            post(awareness::import).layer(DefaultBodyLimit::max(import::UPLOAD_LIMIT)),
        )
        .route("/o/{slug}/support/competence-matrix/export/{format}", get(competence::export))
        .route("/o/{slug}/evidence", get(evidence::index))
        .route("/o/{slug}/evidence/files/{sha256}", get(evidence::file))
        .route("/o/{slug}/evidence/download/{link}", get(evidence::download))
        .route("/o/{slug}/evidence/{entity}/{id}", post(evidence::attach).layer(DefaultBodyLimit::max(upload)))
        .route("/o/{slug}/evidence/{entity}/{id}/{link}/remove", post(evidence::detach));

    let ops = Router::new()
        .route("/healthz", get(middleware::healthz))
        .route("/readyz", get(middleware::readyz))
        .route("/metrics", get(middleware::metrics))
        .route("/static/{file}", get(crate::assets::serve));

    Router::new()
        .merge(html)
        .merge(api::routes(upload))
        .merge(register::routes())
        .merge(ops)
        .fallback(middleware::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(middleware::panic_response))
        .layer(axum::middleware::from_fn(middleware::refuse_nul))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::context))
        .layer(tower_http::request_id::PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::request_id::SetRequestIdLayer::x_request_id(tower_http::request_id::MakeRequestUuid))
        .with_state(state)
}

/// Serves until the future `shutdown` completes.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
