//! `borgen evidence verify`: reads every stored evidence file back and checks
//! its SHA-256 against the name it is stored under.

use crate::DataArgs;
use crate::config::Settings;
use anyhow::Result;
use borgen_app::evidence::Damage;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum EvidenceCommand {
    /// Re-hash every evidence file every organisation holds; exit 0 when all
    /// are there and unchanged, 1 and each missing or changed file otherwise.
    Verify {
        #[command(flatten)]
        data: DataArgs,
    },
}

pub async fn run(cmd: EvidenceCommand) -> Result<ExitCode> {
    let EvidenceCommand::Verify { data } = cmd;
    let s = Settings::load(&data, None)?;
    let app = s.app(s.open_existing_db().await?)?;
    let (checked, damaged) = app.verify_evidence().await?;
    let place = app.evidence.place().to_string();
    app.db.close().await;
    if damaged.is_empty() {
        println!("Evidence intact: {checked} files checked in {place}.");
        return Ok(ExitCode::SUCCESS);
    }
    for d in &damaged {
        let what = match d.damage {
            Damage::Missing => "MISSING",
            Damage::Changed => "CHANGED",
        };
        println!("{what}  {}  (organisation {})", d.sha256, d.org_slug);
    }
    println!("Evidence DAMAGED: {} of {checked} files in {place} are missing or changed.", damaged.len());
    Ok(ExitCode::from(1))
}
