//! `borgen import assets|risks FILE --org SLUG`: the asset inventory or the
//! risk register from a CSV or XLSX file, with a progress bar for large
//! files. A file with any problem changes nothing; the problems are printed
//! by line and column and the exit code is 1.

use crate::DataArgs;
use crate::config::Settings;
use anyhow::{Context, Result, anyhow};
use borgen_app::Actor;
use borgen_core::Lang;
use borgen_core::i18n::t;
use clap::ValueEnum;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum What {
    /// The asset inventory.
    Assets,
    /// The risk register.
    Risks,
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// What the file holds.
    #[arg(value_enum)]
    what: What,
    /// A CSV (comma or semicolon) or XLSX file with a header row.
    file: PathBuf,
    #[arg(long)]
    org: String,
    /// A column choice, `COLUMN=FIELD` (the column by its header or number
    /// from 1; the field by its code, or empty to ignore the column).
    /// Columns are otherwise recognised by their headers in Dutch or English.
    #[arg(long = "map", value_name = "COLUMN=FIELD")]
    map: Vec<String>,
    /// Language of the messages: nl or en (default: the organisation's).
    #[arg(long)]
    lang: Option<String>,
    #[command(flatten)]
    data: DataArgs,
}

pub async fn run(args: ImportArgs) -> Result<ExitCode> {
    let s = Settings::load(&args.data, None)?;
    let app = s.app(s.open_existing_db().await?)?;
    let ctx = app.org_ctx(&Actor::Cli, &args.org).await.map_err(|_| anyhow!("no organisation {:?}", args.org))?;
    let lang = match args.lang.as_deref() {
        Some(l) => Lang::parse(l).ok_or_else(|| anyhow!("language must be nl or en"))?,
        None => ctx.org.default_lang,
    };
    let mut choices = Vec::new();
    for m in &args.map {
        let (column, field) = m.split_once('=').ok_or_else(|| anyhow!("--map takes COLUMN=FIELD, not {m:?}"))?;
        choices.push((column.trim().to_string(), field.trim().to_string()));
    }
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let table = match borgen_web::views::import::read_upload_apart(&app, bytes).await.map_err(|e| anyhow!("{e:?}"))? {
        Ok(t) => std::sync::Arc::new(t),
        Err(errors) => return Ok(report(lang, &errors)),
    };
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}")
            .map_err(|e| anyhow!("{e}"))?
            .progress_chars("█▉ "),
    );
    bar.set_message(t(lang, "import.action"));
    let tick = |done: usize, all: usize| {
        if done == 1 {
            bar.set_length(all as u64);
        }
        bar.set_position(done as u64);
    };
    let outcome = match args.what {
        What::Assets => app.import_assets(&ctx, table, choices, &tick).await,
        What::Risks => app.import_risks(&ctx, table, choices, &tick).await,
    }
    .map_err(|e| anyhow!("{e}"))?;
    bar.finish_and_clear();
    match outcome {
        Ok(done) => {
            let kind = match args.what {
                What::Assets => borgen_web::views::import::Kind::Assets,
                What::Risks => borgen_web::views::import::Kind::Risks,
            };
            println!("{}", kind.done(lang, &done));
            Ok(ExitCode::SUCCESS)
        }
        Err(errors) => Ok(report(lang, &errors)),
    }
}

fn report(lang: Lang, errors: &[borgen_core::import::ImportError]) -> ExitCode {
    eprintln!("{}", t(lang, "error.import_rejected"));
    for e in errors {
        let column = if e.column.is_empty() { String::new() } else { format!(", {}", e.column) };
        eprintln!("  {} {}{column}: {}", t(lang, "import.line"), e.line, t(lang, e.key));
    }
    ExitCode::FAILURE
}
