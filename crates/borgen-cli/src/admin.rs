//! `borgen org|user|member|token …`: administration from the command line, for
//! automation and recovery. Every change is recorded in the audit trail with
//! "command line" as the actor.

use crate::DataArgs;
use crate::config::Settings;
use anyhow::{Context, Result, anyhow, bail};
use borgen_app::admin::{MemberForm, OrgForm, UserForm};
use borgen_app::{Actor, AppError};
use borgen_core::Lang;
use borgen_core::i18n::t;
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// Create an organisation.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        slug: String,
        /// Default interface language of its members: nl or en.
        #[arg(long, default_value = "nl")]
        lang: String,
        #[command(flatten)]
        data: DataArgs,
    },
    /// List organisations.
    List {
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create a user. The password comes from a prompt or --password-file,
    /// never from an argument.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: Option<String>,
        /// Make the user an installation administrator.
        #[arg(long)]
        admin: bool,
        /// Read the password from this file (first line).
        #[arg(long)]
        password_file: Option<PathBuf>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Set a user's password (recovery).
    SetPassword {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_file: Option<PathBuf>,
        #[command(flatten)]
        data: DataArgs,
    },
    /// Turn off a user's two-step verification (TOTP) and recovery codes, for
    /// a user who lost both; they log in with the password and set it up again.
    ResetSecondFactor {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum MemberCommand {
    /// Give a user a role in an organisation.
    Add {
        #[arg(long)]
        org: String,
        #[arg(long)]
        user: String,
        /// isms_manager, contributor, top_management, auditor or viewer.
        #[arg(long)]
        role: String,
        #[command(flatten)]
        data: DataArgs,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a personal API token for a user in one organisation and print it.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long)]
        org: String,
        #[arg(long, default_value = "command line")]
        name: String,
        /// What the token may do: read (GET only) or write (read and write).
        #[arg(long, default_value = "write")]
        scope: String,
        /// The last day the token works (YYYY-MM-DD); default: no expiry.
        #[arg(long)]
        expires: Option<String>,
        #[command(flatten)]
        data: DataArgs,
    },
}

async fn app(data: &DataArgs) -> Result<borgen_app::App> {
    let s = Settings::load(data, None)?;
    s.app(s.open_db().await?)
}

/// Explains an application error in plain English for the terminal.
fn explain(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(f) => {
            let lines: Vec<String> = f.0.iter().map(|e| format!("{}: {}", e.field, t(Lang::En, e.key))).collect();
            anyhow!("{}", lines.join("\n"))
        }
        AppError::NotFound => anyhow!("not found (check the organisation slug and the e-mail address)"),
        other => anyhow!("{other}"),
    }
}

fn read_password(file: Option<PathBuf>) -> Result<String> {
    if let Some(p) = file {
        let text = std::fs::read_to_string(&p).with_context(|| format!("cannot read {}", p.display()))?;
        return Ok(text.lines().next().unwrap_or("").to_string());
    }
    let a =
        rpassword::prompt_password("Password: ").context("no terminal to ask for a password: use --password-file")?;
    let b = rpassword::prompt_password("Again: ")?;
    if a != b {
        bail!("the passwords differ");
    }
    Ok(a)
}

pub async fn org(cmd: OrgCommand) -> Result<ExitCode> {
    match cmd {
        OrgCommand::Create { name, slug, lang, data } => {
            let app = app(&data).await?;
            let o = app
                .create_org(&Actor::Cli, &OrgForm { name: Some(name), slug: Some(slug), default_lang: Some(lang) })
                .await
                .map_err(explain)?;
            println!("Created organisation {} ({}).", o.name, o.slug);
        }
        OrgCommand::List { data } => {
            let app = app(&data).await?;
            for o in app.all_orgs(&Actor::Cli).await.map_err(explain)? {
                println!("{}\t{}", o.slug, o.name);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn user(cmd: UserCommand) -> Result<ExitCode> {
    match cmd {
        UserCommand::Create { email, name, admin, password_file, data } => {
            let password = read_password(password_file)?;
            let app = app(&data).await?;
            let u = app
                .create_user(
                    &Actor::Cli,
                    &UserForm {
                        email: Some(email),
                        name,
                        password: Some(password),
                        is_admin: admin.then(|| "on".into()),
                    },
                )
                .await
                .map_err(explain)?;
            println!("Created user {}{}.", u.email, if u.is_admin { " (administrator)" } else { "" });
        }
        UserCommand::SetPassword { email, password_file, data } => {
            let password = read_password(password_file)?;
            let app = app(&data).await?;
            app.set_password(&Actor::Cli, &email, &password).await.map_err(explain)?;
            println!("Password set for {email}.");
        }
        UserCommand::ResetSecondFactor { email, data } => {
            let app = app(&data).await?;
            if app.reset_second_factor(&Actor::Cli, &email).await.map_err(explain)? {
                println!("Two-step verification turned off for {email}.");
            } else {
                println!("{email} had no two-step verification.");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn member(cmd: MemberCommand) -> Result<ExitCode> {
    let MemberCommand::Add { org, user, role, data } = cmd;
    let app = app(&data).await?;
    let added = app
        .add_member(&Actor::Cli, &org, &MemberForm { email: Some(user.clone()), role: Some(role.clone()) })
        .await
        .map_err(explain)?;
    if added {
        println!("{user} is now {role} in {org}.");
    } else {
        println!("{user} already was {role} in {org}.");
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn token(cmd: TokenCommand) -> Result<ExitCode> {
    let TokenCommand::Create { user, org, name, scope, expires, data } = cmd;
    let app = app(&data).await?;
    let form = borgen_app::auth::TokenForm { name: Some(name), scope: Some(scope), expires_on: expires };
    let (_, secret) = app.create_token(&Actor::Cli, &org, Some(&user), &form).await.map_err(explain)?;
    // The token alone on stdout, for scripts; the advice on stderr.
    println!("{secret}");
    eprintln!("This token is shown once. Use it as: Authorization: Bearer <token>");
    Ok(ExitCode::SUCCESS)
}
