//! `borgen serve` and `borgen migrate`.

use crate::config::Settings;
use anyhow::{Context, Result};
use std::process::ExitCode;

pub fn init_logging(s: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_new(&s.log_filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if s.log_json { builder.json().try_init() } else { builder.try_init() };
}

pub async fn migrate_only(s: Settings) -> Result<ExitCode> {
    init_logging(&s);
    let db = s.open_db().await?;
    println!("Database is up to date ({}).", s.where_data_lives());
    db.close().await;
    Ok(ExitCode::SUCCESS)
}

pub async fn run(s: Settings, demo: bool) -> Result<ExitCode> {
    init_logging(&s);
    let db = s.open_db().await?;
    let app = s.app(db)?;
    serve_app(&s, app, demo).await
}

pub async fn serve_app(s: &Settings, app: borgen_app::App, demo: bool) -> Result<ExitCode> {
    let listener =
        tokio::net::TcpListener::bind(&s.listen).await.with_context(|| format!("cannot listen on {}", s.listen))?;
    let addr = listener.local_addr()?;
    let metrics = metrics_exporter_prometheus::PrometheusBuilder::new().install_recorder().ok();
    let secure = s.public_url.as_deref().is_some_and(|u| u.starts_with("https://"));
    let url = s.public_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    tracing::info!(%addr, data = %s.where_data_lives(), evidence = %app.evidence.place(), "Borgen is listening");
    if let Some(code) = app.issue_setup_code().await? {
        println!();
        println!("  Borgen is not set up yet. Open {url}/setup and enter this one-time setup code:");
        println!();
        println!("      {code}");
        println!();
        println!("  (A new code is made at every start until setup is done.)");
        println!();
    } else if !demo {
        println!("Borgen is running at {url}");
    }
    let state = borgen_web::AppState {
        app,
        secure_cookies: secure,
        metrics,
        trust_proxy: s.trust_proxy,
        metrics_token: s.metrics_token.clone(),
        metrics_public: s.metrics_public,
    };
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("shutting down");
    };
    borgen_web::serve(listener, state, shutdown).await?;
    Ok(ExitCode::SUCCESS)
}
