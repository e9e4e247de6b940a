//! `borgen catalog export`: the built-in catalogue as JSON or CSV, for tests
//! and for anyone who wants to check it against the standard.

use crate::DataArgs;
use anyhow::{Result, bail};
use borgen_core::catalog::{self, AttributeKind};
use clap::Subcommand;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum CatalogCommand {
    /// Print the catalogue: Annex A 2022 with attributes, the 2013 map, the clauses.
    Export {
        /// json (everything) or csv (one table, see --table).
        #[arg(long, default_value = "json")]
        format: String,
        /// For csv: controls, controls-2013 or clauses.
        #[arg(long, default_value = "controls")]
        table: String,
        /// Accepted like every subcommand's, so that scripts can pass the same
        /// options to all; the catalogue is built in and no database is read
        /// (`BORGEN_DATABASE_URL` is ignored here for the same reason).
        #[command(flatten)]
        data: DataArgs,
    },
}

pub fn run(cmd: CatalogCommand) -> Result<ExitCode> {
    match export(cmd) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // `borgen catalog export | head` closes the pipe early: not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) || e.downcast_ref::<csv::Error>().is_some_and(
                |c| matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe),
            ) =>
        {
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(e),
    }
}

fn export(cmd: CatalogCommand) -> Result<()> {
    use std::io::Write;
    let CatalogCommand::Export { format, table, data: _ } = cmd;
    match format.as_str() {
        "json" => {
            let doc = serde_json::json!({
                "controls": catalog::controls(),
                "controls_2013": catalog::controls_2013(),
                "clauses": catalog::clauses(),
            });
            let mut out = std::io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &doc).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        "csv" => {
            // The same writer and formula rule as every export (borgen_report::needs_defusing).
            let mut w = DefusedCsv(borgen_report::csv_writer(std::io::stdout()));
            match table.as_str() {
                "controls" => {
                    let mut header = vec!["id", "title", "title_nl", "theme", "new_in_2022"];
                    header.extend(AttributeKind::ALL.iter().map(|k| k.code()));
                    header.push("replaces_2013");
                    w.write_record(&header)?;
                    for c in catalog::controls() {
                        let mut row = vec![
                            c.id.clone(),
                            c.title.clone(),
                            c.title_nl.clone(),
                            c.theme.code().to_string(),
                            c.new_in_2022.to_string(),
                        ];
                        row.extend(AttributeKind::ALL.iter().map(|k| c.attributes.values(*k).join(";")));
                        row.push(c.replaces_2013.join(";"));
                        w.write_record(&row)?;
                    }
                }
                "controls-2013" => {
                    w.write_record(["id_2013", "title_2013", "domain_2013", "maps_to_2022"])?;
                    for c in catalog::controls_2013() {
                        w.write_record([&c.id_2013, &c.title_2013, &c.domain_2013, &c.maps_to_2022.join(";")])?;
                    }
                }
                "clauses" => {
                    w.write_record(["id", "title", "title_nl", "clause_group", "parent", "heading_only"])?;
                    for c in catalog::clauses() {
                        let parent = c.parent.clone().unwrap_or_default();
                        let heading = c.heading_only.to_string();
                        w.write_record([&c.id, &c.title, &c.title_nl, &c.clause_group, &parent, &heading])?;
                    }
                }
                other => bail!("unknown table {other:?}: use controls, controls-2013 or clauses"),
            }
            w.flush()?;
        }
        other => bail!("unknown format {other:?}: use json or csv"),
    }
    Ok(())
}

/// A CSV writer that defuses every field before writing it (see
/// [`borgen_report::needs_defusing`]).
struct DefusedCsv<W: std::io::Write>(csv::Writer<W>);

impl<W: std::io::Write> DefusedCsv<W> {
    fn write_record<I, T>(&mut self, record: I) -> csv::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        self.0.write_record(record.into_iter().map(|f| borgen_report::defuse(f.as_ref()).into_owned()))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}
