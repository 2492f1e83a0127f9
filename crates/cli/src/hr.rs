//! `import hr`, `import pnil` and `hr compare`: the HR baseline from the command line,
//! through the same services as the pages (same validation, same Dutch messages), audited
//! as "command line".

use report::nl;
use std::path::PathBuf;

use anyhow::Context;
use app::nulmeting::{self, ImportError};
use clap::Subcommand;
use store::{Actor, Store};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import an HR extract (CSV or XLSX) as the snapshot on a peildatum. Nothing is
    /// written while the file has errors, unless --valid-rows-only.
    Hr {
        /// Organisation: id or exact name.
        #[arg(long)]
        org: String,
        /// The peildatum (reference date), YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Import the valid rows and list the skipped ones.
        #[arg(long)]
        valid_rows_only: bool,
        /// The HR extract.
        file: PathBuf,
    },
    /// Import PNIL costs (external staff) per month from CSV or XLSX. Months in the file
    /// replace what was stored for those months.
    Pnil {
        #[arg(long)]
        org: String,
        #[arg(long)]
        valid_rows_only: bool,
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub enum HrCommand {
    /// Compare two snapshots: contracts grown and shrunk, hours and FTE, joined and left.
    Compare {
        #[arg(long)]
        org: String,
        /// Peildatum of the earlier snapshot, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Peildatum of the later snapshot, YYYY-MM-DD.
        #[arg(long)]
        to: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the snapshots of an organisation.
    Snapshots {
        #[arg(long)]
        org: String,
        #[arg(long)]
        json: bool,
    },
}

async fn organisation(store: &Store, org: &str) -> anyhow::Result<store::Organisation> {
    store
        .find_organisation(org)
        .await
        .with_context(|| format!("organisatie '{org}' niet gevonden"))
}

fn read(file: &PathBuf) -> anyhow::Result<(Vec<u8>, String)> {
    let bytes =
        std::fs::read(file).with_context(|| format!("kan {} niet lezen", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((bytes, name))
}

/// Prints the problems and stops with exit code 2 (nothing was written).
fn refused(diagnostics: &[nulmeting::Diagnostic]) -> ! {
    eprintln!("Er is niets ingelezen. Los deze punten op en probeer het opnieuw:");
    for d in diagnostics {
        eprintln!("  {d}");
    }
    std::process::exit(2);
}

pub(crate) fn fail(e: ImportError) -> anyhow::Error {
    match e {
        ImportError::Refused(d) => refused(&d),
        ImportError::App(p) => {
            anyhow::anyhow!("{}", p.user_message().unwrap_or_else(|| p.to_string()))
        }
    }
}

pub async fn import(store: &Store, cmd: ImportCommand) -> anyhow::Result<()> {
    match cmd {
        ImportCommand::Hr {
            org,
            date,
            valid_rows_only,
            file,
        } => {
            let org = organisation(store, &org).await?;
            let peildatum = nulmeting::parse_date(&date, "date")
                .map_err(|e| anyhow::anyhow!("{}", e.user_message().unwrap_or_default()))?;
            let (bytes, name) = read(&file)?;
            let table = nulmeting::read_file(&bytes).map_err(fail)?;
            let (mapping, remembered) = nulmeting::hr_mapping_for(store, org.id, &table)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if remembered {
                eprintln!("De kolomkeuze van de vorige keer is gebruikt.");
            }
            let done = nulmeting::import_hr(
                store,
                &Actor::cli(),
                &org,
                peildatum,
                &name,
                &table,
                &mapping,
                valid_rows_only,
            )
            .await
            .map_err(fail)?;
            for d in done.import.diagnostics.iter().filter(|d| !d.is_error()) {
                eprintln!("  {d}");
            }
            if !done.import.skipped_rows.is_empty() {
                eprintln!(
                    "Overgeslagen rijen ({}): {}",
                    done.import.skipped_rows.len(),
                    join(&done.import.skipped_rows)
                );
                for d in done.import.errors() {
                    eprintln!("  {d}");
                }
            }
            println!(
                "{}: peildatum {}, {} medewerkers ingelezen uit {} rijen.",
                org.name,
                nl::iso_date(&done.snapshot.peildatum),
                done.snapshot.employees,
                done.snapshot.rows_read
            );
            Ok(())
        }
        ImportCommand::Pnil {
            org,
            valid_rows_only,
            file,
        } => {
            let org = organisation(store, &org).await?;
            let (bytes, name) = read(&file)?;
            let table = nulmeting::read_file(&bytes).map_err(fail)?;
            let (mapping, _) = nulmeting::pnil_mapping_for(store, org.id, &table)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let done = nulmeting::import_pnil(
                store,
                &Actor::cli(),
                &org,
                &name,
                &table,
                &mapping,
                valid_rows_only,
            )
            .await
            .map_err(fail)?;
            if !done.skipped_rows.is_empty() {
                eprintln!(
                    "Overgeslagen rijen ({}): {}",
                    done.skipped_rows.len(),
                    join(&done.skipped_rows)
                );
            }
            println!(
                "{}: {} kostenregels over {} maanden ingelezen.",
                org.name, done.entries, done.months
            );
            Ok(())
        }
    }
}

fn join(rows: &[u32]) -> String {
    rows.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn hr(store: &Store, cmd: HrCommand) -> anyhow::Result<()> {
    match cmd {
        HrCommand::Compare {
            org,
            from,
            to,
            json,
        } => {
            let org = organisation(store, &org).await?;
            let snap = |d: String| async move {
                let date = nulmeting::parse_date(&d, "date")
                    .map_err(|e| anyhow::anyhow!("{}", e.user_message().unwrap_or_default()))?;
                let iso = date.format("%Y-%m-%d").to_string();
                let s = store
                    .hr_snapshot_on(org.id, &iso)
                    .await
                    .with_context(|| format!("geen momentopname met peildatum {d}"))?;
                anyhow::Ok(store.hr_employees(s.id).await?)
            };
            let before = snap(from.clone()).await?;
            let after = snap(to.clone()).await?;
            let c = nulmeting::compare(&org, &before, &after, false).ok_or_else(|| {
                anyhow::anyhow!(
                    "te weinig medewerkers om te vergelijken (minimaal {})",
                    nulmeting::min_group_size(&org)
                )
            })?;
            if json {
                let mut v = serde_json::to_value(&c)?;
                if let Some(o) = v.as_object_mut() {
                    o.remove("employees");
                    o.insert("from".into(), from.into());
                    o.insert("to".into(), to.into());
                }
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                let f = nl::number;
                println!(
                    "{}: {} → {}",
                    org.name,
                    nl::iso_date(&from),
                    nl::iso_date(&to)
                );
                println!(
                    "Contracten uitgebreid: {} (+{} uur, +{} fte)",
                    c.contracts_grown,
                    nl::hours(c.hours_added),
                    f(c.fte_added, 1)
                );
                println!(
                    "Contracten verkleind: {} (-{} uur)",
                    c.contracts_shrunk,
                    nl::hours(c.hours_removed)
                );
                println!("In dienst gekomen: {}, uit dienst: {}", c.joined, c.left);
            }
            Ok(())
        }
        HrCommand::Snapshots { org, json } => {
            let org = organisation(store, &org).await?;
            let list = store.hr_snapshots(org.id).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                for s in list {
                    println!(
                        "{}  {} medewerkers  {}",
                        nl::iso_date(&s.peildatum),
                        s.employees,
                        s.file_name
                    );
                }
            }
            Ok(())
        }
    }
}
