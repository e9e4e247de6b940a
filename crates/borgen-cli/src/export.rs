//! `borgen export soa`: the Statement of Applicability as a file, from the
//! command line (the draft, or an issued version).

use crate::DataArgs;
use crate::config::Settings;
use anyhow::{Context, Result, anyhow, bail};
use borgen_app::Actor;
use borgen_core::Lang;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum ExportCommand {
    /// Export the Statement of Applicability.
    Soa {
        #[arg(long)]
        org: String,
        /// xlsx, pdf, csv or md.
        #[arg(long)]
        format: String,
        /// Where to write the file.
        #[arg(long)]
        out: PathBuf,
        /// An issued version number; the current draft when absent.
        #[arg(long)]
        version: Option<i64>,
        /// Language of the headers and labels: nl or en (default: the organisation's).
        #[arg(long)]
        lang: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
}

pub async fn run(cmd: ExportCommand) -> Result<ExitCode> {
    let ExportCommand::Soa { org, format, out, version, lang, data } = cmd;
    let s = Settings::load(&data, None)?;
    let app = s.app(s.open_existing_db().await?)?;
    let ctx = app.org_ctx(&Actor::Cli, &org).await.map_err(|_| anyhow!("no organisation {org:?}"))?;
    let lang = match lang.as_deref() {
        Some(l) => Lang::parse(l).ok_or_else(|| anyhow!("language must be nl or en"))?,
        None => ctx.org.default_lang,
    };
    let (rows, v) = match version {
        Some(n) => {
            let v = app.soa_version(&ctx, n).await.map_err(|_| anyhow!("no SoA version {n} in {org}"))?;
            (v.rows()?, Some(v))
        }
        None => (app.soa_rows(&ctx).await.map_err(|e| anyhow!("{e}"))?, None),
    };
    let scope = app.scope_in_force(&ctx, v.as_ref().map(|v| v.issued_at.as_str())).await.map_err(|e| anyhow!("{e}"))?;
    let (bytes, _, _) = borgen_web::views::soa::soa_file(lang, &ctx.org, &rows, v.as_ref(), scope.as_ref(), &format)
        .map_err(|_| anyhow!("unknown format {format:?}: use xlsx, pdf, csv or md"))?;
    if bytes.is_empty() {
        bail!("nothing to write");
    }
    std::fs::write(&out, &bytes).with_context(|| format!("cannot write {}", out.display()))?;
    println!("Wrote {} ({} bytes, {} rows).", out.display(), bytes.len(), rows.len());
    Ok(ExitCode::SUCCESS)
}
