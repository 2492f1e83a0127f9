//! `bench hr-pages`: the organisation pages at the largest HR extract the import accepts
//! (issue 34: 100,000 employees, the picture page under 500 ms).
//!
//! It imports two generated HR snapshots (a year apart, so the comparison has something to
//! compare) of an organisation with `--employees` employees through the same service as
//! `urenwinst import hr`, starts `urenwinst serve` on that database, logs in as the
//! organisation's admin, and times each page over HTTP as a browser asks for it.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use app::nulmeting;
use store::{OrganisationInput, Subsector};

use crate::instances_bench::{Instance, free_addr, login, request};

#[derive(clap::Args)]
pub struct HrPagesBenchArgs {
    /// Employees in each of the two snapshots.
    #[arg(long, default_value_t = 100_000)]
    employees: usize,
    /// Teams the employees are spread over.
    #[arg(long, default_value_t = 120)]
    teams: usize,
    /// Requests per page.
    #[arg(long, default_value_t = 20)]
    runs: usize,
    /// Pages to time, `{org}` standing for the organisation's id (default: the six HR
    /// baseline pages, the organisation page and the start page).
    #[arg(long = "path")]
    paths: Vec<String>,
    /// An EMPTY database to run in (e.g. postgres://…); default: a fresh SQLite directory.
    #[arg(long)]
    database_url: Option<String>,
    /// The binary to run as `serve` (default: this one).
    #[arg(long)]
    binary: Option<PathBuf>,
}

const DEFAULT_PATHS: &[&str] = &[
    "/organisaties/{org}/nulmeting",
    "/organisaties/{org}/nulmeting/verdeling",
    "/organisaties/{org}/nulmeting/urenruimte",
    "/organisaties/{org}/nulmeting/vergelijking",
    "/organisaties/{org}/nulmeting/pnil",
    "/organisaties/{org}/nulmeting/bestanden",
    "/organisaties/{org}",
    "/dashboard",
];

const FUNCTIONS: &[(&str, &str)] = &[
    ("Helpende", "FWG 25"),
    ("Verzorgende IG", "FWG 35"),
    ("Verpleegkundige", "FWG 45"),
    ("Zorgassistent", "FWG 30"),
    ("Teamleider", "FWG 55"),
    ("Facilitair medewerker", "FWG 20"),
];

/// A generated HR extract: `n` employees over `teams` teams, contract hours from 8 to 36,
/// ages 18 to 66, a small share leaving, employee numbers stable across snapshots (with
/// `shift` of them replaced, as staff come and go).
fn extract(n: usize, teams: usize, shift: usize, grown: bool) -> String {
    let mut csv = String::with_capacity(n * 100);
    csv.push_str("Personeelsnr;Afdeling;Functie;FWG-schaal;Contracturen per week;Geboortedatum;Datum in dienst;Datum uit dienst;Soort contract\n");
    for i in 0..n {
        let number = if i < shift {
            5_000_000 + i
        } else {
            1_000_000 + i
        };
        let (function, scale) = FUNCTIONS[(i * 7) % FUNCTIONS.len()];
        let mut hours = 8 + (i * 13) % 29;
        if grown && i % 11 == 0 && hours < 32 {
            hours += 4;
        }
        let kind = match i % 10 {
            0 => "Bepaalde tijd",
            1 => "Oproep",
            _ => "Vast",
        };
        csv.push_str(&format!(
            "{number:07};Team {:03};{function};{scale};{hours};{:02}-{:02}-{};01-{:02}-{};;{kind}\n",
            1 + i % teams,
            1 + i % 28,
            1 + (i / 28) % 12,
            1958 + (i * 17) % 49,
            1 + (i / 3) % 12,
            2000 + (i * 5) % 24,
        ));
    }
    csv
}

/// Imports `csv` as the snapshot on `date` (ISO) the way `urenwinst import hr` does;
/// returns the number of employees imported.
async fn import(
    store: &store::Store,
    org: &store::Organisation,
    date: &str,
    csv: &str,
) -> anyhow::Result<i64> {
    let table = nulmeting::read_file(csv.as_bytes()).map_err(crate::hr::fail)?;
    let (mapping, _) = nulmeting::hr_mapping_for(store, org.id, &table)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let done = nulmeting::import_hr(
        store,
        &store::Actor::cli(),
        org,
        nulmeting::parse_date(date, "date").map_err(|e| anyhow::anyhow!("{e:?}"))?,
        "groot.csv",
        &table,
        &mapping,
        false,
    )
    .await
    .map_err(crate::hr::fail)?;
    Ok(done.snapshot.employees)
}

pub async fn run(args: HrPagesBenchArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.runs > 0, "--runs must be at least 1");
    anyhow::ensure!(
        args.employees > 0 && args.teams > 0,
        "--employees and --teams must be at least 1"
    );
    let scratch = tempfile::tempdir().context("cannot make a scratch directory")?;
    let store = crate::bench::open_empty(args.database_url.as_deref(), scratch.path()).await?;
    let org = store
        .create_organisation(&OrganisationInput::new("Zorggroep Groot", Subsector::Vvt))
        .await?;
    for t in 1..=args.teams {
        store
            .create_team(org.id, &format!("Team {t:03}"), None)
            .await?;
    }
    let password = store::new_secret();
    let (email, name) = ("hr@groot.example", "Hanneke Groot");
    store
        .create_user(&store::NewUser {
            email: email.into(),
            name: name.into(),
            role: store::Role::OrgAdmin,
            org_id: Some(org.id),
            team_ids: vec![],
            password_hash: Some(
                app::auth::hash_password_blocking(&password).map_err(|e| anyhow::anyhow!("{e}"))?,
            ),
        })
        .await?;
    for (date, shift, grown) in [
        ("2025-01-01", 0, false),
        ("2026-01-01", args.employees / 20, true),
    ] {
        let started = Instant::now();
        let csv = extract(args.employees, args.teams, shift, grown);
        let employees = import(&store, &org, date, &csv).await?;
        println!(
            "snapshot {date}: {employees} employees imported from {} bytes in {:.1} s",
            csv.len(),
            started.elapsed().as_secs_f64()
        );
    }

    let mut server = Instance {
        binary: match &args.binary {
            Some(b) => b.clone(),
            None => std::env::current_exe()?,
        },
        addr: free_addr()?,
        database_url: args.database_url.clone(),
        data_dir: scratch.path().to_path_buf(),
        upload_key: store::new_secret(),
        child: None,
    };
    server.start().await?;
    let (session, _) = login(server.addr, server.addr, email, &password, name).await?;
    let paths: Vec<String> = if args.paths.is_empty() {
        DEFAULT_PATHS.iter().map(|p| p.to_string()).collect()
    } else {
        args.paths.clone()
    };
    let mut failures = Vec::new();
    for path in paths {
        let path = path.replace("{org}", &org.id.to_string());
        let mut times: Vec<Duration> = Vec::with_capacity(args.runs);
        let mut bytes = 0;
        for _ in 0..args.runs {
            let t = Instant::now();
            let r = request(
                server.addr,
                "GET",
                &path,
                &[("Cookie", &session.cookie)],
                None,
            )
            .await?;
            times.push(t.elapsed());
            if r.status != 200 {
                failures.push(format!("{path}: {}", r.status));
                break;
            }
            bytes = r.body.len();
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{path}: {bytes} bytes; min {:.1} ms, median {:.1} ms, p95 {:.1} ms, max {:.1} ms ({} runs)",
            ms(times[0]),
            ms(times[times.len() / 2]),
            ms(times[((times.len() - 1) as f64 * 0.95).round() as usize]),
            ms(times[times.len() - 1]),
            times.len()
        );
    }
    server.stop().await?;
    anyhow::ensure!(
        failures.is_empty(),
        "pages that failed: {}",
        failures.join(", ")
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_generated_extracts_import_without_errors() {
        let db = store::testing::TestDb::sqlite().await.unwrap();
        let org = db
            .store
            .create_organisation(&OrganisationInput::new("Zorggroep Klein", Subsector::Vvt))
            .await
            .unwrap();
        let first = import(&db.store, &org, "2025-01-01", &extract(500, 12, 0, false))
            .await
            .unwrap();
        let second = import(&db.store, &org, "2026-01-01", &extract(500, 12, 25, true))
            .await
            .unwrap();
        assert_eq!((first, second), (500, 500));
    }
}
