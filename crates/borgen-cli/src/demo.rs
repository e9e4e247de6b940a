//! `borgen demo`: the server with the demo organisation "Voorbeeld B.V.".

use crate::config::Settings;
use crate::serve::{init_logging, serve_app};
use anyhow::Result;
use borgen_app::demo::{DEMO_SLUG, DEMO_USERS};
use std::process::ExitCode;

pub async fn run(s: Settings, seed_only: bool) -> Result<ExitCode> {
    init_logging(&s);
    let db = s.open_db().await?;
    let app = s.app(db)?;
    // A fresh password at every start: the demo is for looking, not for keeping.
    let password = format!("demo-{}", borgen_app::auth::random_hex(5));
    let created = app.seed_demo(&password).await?;
    let url = s.public_url.clone().unwrap_or_else(|| format!("http://{}", s.listen));
    println!();
    println!(
        "  Borgen demo: {} the organisation \"Voorbeeld B.V.\" ({}).",
        if created { "created" } else { "reusing" },
        s.where_data_lives()
    );
    println!("  Open {url}/o/{DEMO_SLUG} and log in as one of (password for all: {password}):");
    for (email, name, role) in DEMO_USERS {
        println!("      {email:<26} {name:<20} {role}");
    }
    println!();
    if seed_only {
        return Ok(ExitCode::SUCCESS);
    }
    serve_app(&s, app, true).await
}
