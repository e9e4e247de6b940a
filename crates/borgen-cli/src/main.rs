//! The `borgen` binary: one file per subcommand.

mod admin;
mod audit;
mod catalog;
mod config;
mod demo;
mod evidence;
mod export;
mod import;
mod serve;

use clap::{Parser, Subcommand};
use config::Settings;
use std::path::PathBuf;
use std::process::ExitCode;

/// Borgen: the ISMS for ISO/IEC 27001:2022.
#[derive(Parser, Debug)]
#[command(name = "borgen", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the data is: shared by every subcommand.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct DataArgs {
    /// Data directory for the embedded SQLite database (default ./borgen-data).
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// Configuration file (default ./borgen.toml when it exists).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web server (HTML interface and JSON API).
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Run the web server with the demo organisation "Voorbeeld B.V." filled in.
    Demo {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
        #[command(flatten)]
        data: DataArgs,
        /// Only create the demo data and print the logins; do not serve.
        #[arg(long)]
        seed_only: bool,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        data: DataArgs,
    },
    /// Check the audit trail.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
    /// Check the evidence store.
    Evidence {
        #[command(subcommand)]
        command: evidence::EvidenceCommand,
    },
    /// Print the built-in ISO/IEC 27001 catalogue (Annex A, 2013 map, clauses).
    Catalog {
        #[command(subcommand)]
        command: catalog::CatalogCommand,
    },
    /// Export documents (the Statement of Applicability) to files.
    Export {
        #[command(subcommand)]
        command: export::ExportCommand,
    },
    /// Import the asset inventory or the risk register from a CSV or XLSX file.
    Import(import::ImportArgs),
    /// Manage organisations.
    Org {
        #[command(subcommand)]
        command: admin::OrgCommand,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        command: admin::UserCommand,
    },
    /// Manage memberships (a user's roles in an organisation).
    Member {
        #[command(subcommand)]
        command: admin::MemberCommand,
    },
    /// Manage personal API tokens.
    Token {
        #[command(subcommand)]
        command: admin::TokenCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Serve { listen, data } => serve::run(Settings::load(&data, listen)?, false).await,
            Command::Demo { listen, data, seed_only } => {
                demo::run(Settings::load_demo(&data, listen)?, seed_only).await
            }
            Command::Migrate { data } => serve::migrate_only(Settings::load(&data, None)?).await,
            Command::Audit { command } => audit::run(command).await,
            Command::Evidence { command } => evidence::run(command).await,
            Command::Catalog { command } => catalog::run(command),
            Command::Export { command } => export::run(command).await,
            Command::Import(args) => import::run(args).await,
            Command::Org { command } => admin::org(command).await,
            Command::User { command } => admin::user(command).await,
            Command::Member { command } => admin::member(command).await,
            Command::Token { command } => admin::token(command).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
