//! `borgen audit verify`: walks every hash chain of the audit trail.

use crate::DataArgs;
use crate::config::Settings;
use anyhow::Result;
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Verify every organisation's audit chain; exit 0 when intact, 1 and the
    /// first broken event otherwise.
    Verify {
        #[command(flatten)]
        data: DataArgs,
    },
}

pub async fn run(cmd: AuditCommand) -> Result<ExitCode> {
    let AuditCommand::Verify { data } = cmd;
    let s = Settings::load(&data, None)?;
    // Open what is there, create nothing: a mistyped --data-dir must not look
    // like an intact, empty trail.
    let db = s.open_existing_db().await?;
    let v = borgen_store::audit::verify(&db).await?;
    db.close().await;
    match v.broken {
        None => {
            println!("Audit trail intact: {} events in {} chains checked.", v.events, v.chains);
            Ok(ExitCode::SUCCESS)
        }
        Some(why) => {
            println!("Audit trail BROKEN after {} intact events: {why}", v.events);
            Ok(ExitCode::from(1))
        }
    }
}
