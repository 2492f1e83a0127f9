//! `urenwinst bench …`: benchmarks of whole product paths, run against a database of
//! their own (a fresh SQLite directory that is removed afterwards, or an empty database
//! given with `--database-url`). Figures and the command are recorded in docs/.
//!
//! `bench value-case` measures what issue 29 asks of the Value Case:
//! - the JSON of one organisation of 5,000 employees and 2,000 responses, assembled from
//!   the database (every query the page and the API run) and serialised;
//! - one PDF of that organisation (assembled, laid out and typeset by typst);
//! - every organisation's PDF at once (`report value-case --all`: 50 organisations).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use app::access::Caller;
use app::demo::region::{GeneratedOrg, generated_organisation};
use clap::{Args, Subcommand};
use report::PdfRenderer as _;
use store::{Store, Subsector};

use crate::report::{ValueCaseAll, today, write_all_value_cases};

#[derive(Subcommand)]
pub enum BenchCommand {
    /// The Value Case: JSON from the database, one PDF, and all organisations' PDFs.
    ValueCase(ValueCaseBenchArgs),
    /// The regional picture over a generated data set (default: national scale, 28
    /// regions, 3,000 organisations, 1.4 million employees, 500,000 responses).
    Region(RegionBenchArgs),
    /// The survey results page of the demo's largest closed round: HTML size and render
    /// time (issue 33: under 200 KB and under 300 ms).
    SurveyResults(SurveyResultsBenchArgs),
    /// Two `serve` processes on one database (PostgreSQL) behind a round-robin proxy:
    /// login and HR upload across instances, survey submissions with a restart of one
    /// instance halfway; requests per second and p99 (docs/hardening.md).
    Instances(crate::instances_bench::InstancesBenchArgs),
    /// The organisation pages (HR baseline, organisation, start page) at the largest HR
    /// extract: two snapshots of 100,000 employees, timed over HTTP (docs/hardening.md).
    HrPages(crate::hr_bench::HrPagesBenchArgs),
}

#[derive(Args)]
pub struct SurveyResultsBenchArgs {
    /// Repetitions of the render.
    #[arg(long, default_value_t = 20)]
    runs: usize,
    /// Also write the rendered page to this file.
    #[arg(long)]
    html: Option<PathBuf>,
    /// An EMPTY database to run in (e.g. postgres://…); default: a fresh SQLite directory.
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Args)]
pub struct RegionBenchArgs {
    /// Regions.
    #[arg(long, default_value_t = 28)]
    regions: usize,
    /// Organisations, spread over the regions.
    #[arg(long, default_value_t = 3_000)]
    orgs: usize,
    /// Employees in all, spread over the organisations.
    #[arg(long, default_value_t = 1_400_000)]
    employees: usize,
    /// Survey responses in all.
    #[arg(long, default_value_t = 500_000)]
    responses: usize,
    /// Repetitions of the warm measurement.
    #[arg(long, default_value_t = 10)]
    runs: usize,
    /// An EMPTY database to run in (e.g. postgres://…); default: a fresh SQLite directory.
    #[arg(long)]
    database_url: Option<String>,
}

#[derive(Args)]
pub struct ValueCaseBenchArgs {
    /// Employees of the large organisation.
    #[arg(long, default_value_t = 5_000)]
    employees: usize,
    /// Survey responses of the large organisation.
    #[arg(long, default_value_t = 2_000)]
    responses: usize,
    /// Teams of the large organisation.
    #[arg(long, default_value_t = 50)]
    teams: usize,
    /// Organisations for the "all PDFs" step (the large one included).
    #[arg(long, default_value_t = 50)]
    orgs: usize,
    /// Repetitions of the JSON and single-PDF measurements.
    #[arg(long, default_value_t = 10)]
    runs: usize,
    /// An EMPTY database to run in (e.g. postgres://…); default: a fresh SQLite directory.
    #[arg(long)]
    database_url: Option<String>,
}

pub fn run(cmd: BenchCommand) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    match cmd {
        BenchCommand::ValueCase(args) => runtime.block_on(value_case(args)),
        BenchCommand::Region(args) => runtime.block_on(region(args)),
        BenchCommand::SurveyResults(args) => runtime.block_on(survey_results(args)),
        BenchCommand::Instances(args) => runtime.block_on(crate::instances_bench::run(args)),
        BenchCommand::HrPages(args) => runtime.block_on(crate::hr_bench::run(args)),
    }
}

/// Minimum, median and maximum of some durations, in milliseconds.
fn spread(times: &mut [Duration]) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "min {:.1} ms, median {:.1} ms, max {:.1} ms ({} runs)",
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        times.len()
    )
}

async fn value_case(args: ValueCaseBenchArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.runs > 0, "--runs must be at least 1");
    anyhow::ensure!(args.teams > 0, "--teams must be at least 1");
    anyhow::ensure!(
        args.responses <= args.employees,
        "--responses cannot exceed --employees"
    );
    let scratch = tempfile::tempdir().context("cannot make a scratch directory")?;
    let store = open_empty(args.database_url.as_deref(), scratch.path()).await?;

    // The large organisation.
    let q = survey::Questionnaire::standard("medewerkers", 1)?;
    let team_names: Vec<String> = (1..=args.teams).map(|t| format!("Team {t:02}")).collect();
    let teams: Vec<&str> = team_names.iter().map(String::as_str).collect();
    let prepared = Instant::now();
    let big = generated_organisation(
        &store,
        q,
        &GeneratedOrg {
            name: "Benchmark Zorggroep",
            subsector: Subsector::Vvt,
            headcount: args.employees,
            respondents: args.responses,
            // The reference case's openness: 14% "ja, zeker", 31% "onder voorwaarden".
            openness: [14, 31, 35, 12, 8],
            teams: &teams,
            invited_per_team: args.employees.div_ceil(args.teams) as i64,
            seed: 29,
            employee_prefix: "B",
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "prepared: {} employees in {} teams, {} responses in {:.1} s",
        args.employees,
        args.teams,
        args.responses,
        prepared.elapsed().as_secs_f64()
    );

    // 1. The JSON, from the database.
    let date = today()?;
    let assemble = || app::value_case::assemble(&store, Caller::Operator, big.id, None, None, date);
    let first = Instant::now();
    let vc = assemble().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let json = serde_json::to_vec(&vc)?;
    let first = first.elapsed();
    let mut times = Vec::new();
    for _ in 0..args.runs {
        let t = Instant::now();
        let vc = assemble().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let bytes = serde_json::to_vec(&vc)?;
        times.push(t.elapsed());
        anyhow::ensure!(bytes == json, "the same data gave different JSON");
    }
    println!(
        "value-case JSON ({} bytes, potential {:.1} h/week): first {:.1} ms; {}",
        json.len(),
        vc.potential.hours_per_week.unwrap_or(0.0),
        first.as_secs_f64() * 1000.0,
        spread(&mut times)
    );

    // 2. One PDF (assembled from the database, laid out and typeset).
    let started = Instant::now();
    let renderer = report_pdf::TypstRenderer::new();
    let fonts = started.elapsed();
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..args.runs {
        let t = Instant::now();
        let vc = assemble().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let doc = valuecase::document::document(&vc);
        let pdf = renderer.render(&doc).map_err(|e| anyhow::anyhow!("{e}"))?;
        times.push(t.elapsed());
        size = pdf.len();
    }
    println!(
        "value-case PDF ({size} bytes; fonts loaded once in {:.0} ms): {}",
        fonts.as_secs_f64() * 1000.0,
        spread(&mut times)
    );

    // 3. All organisations' PDFs, as `report value-case --all` makes them.
    let prepared = Instant::now();
    for i in 1..args.orgs {
        let name = format!("Benchmark organisatie {i:02}");
        let headcount = 60 + (i * 37) % 400;
        generated_organisation(
            &store,
            q,
            &GeneratedOrg {
                name: &name,
                subsector: Subsector::ALL[i % Subsector::ALL.len()],
                headcount,
                respondents: headcount * 11 / 20,
                openness: [12, 30, 38, 12, 8],
                teams: &teams[..teams.len().min(6)],
                invited_per_team: headcount.div_ceil(teams.len().min(6)) as i64,
                seed: 2900 + i as u64,
                employee_prefix: &format!("B{i}-"),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    println!(
        "prepared: {} more organisations of 60 to 460 employees in {:.1} s",
        args.orgs.saturating_sub(1),
        prepared.elapsed().as_secs_f64()
    );
    let out: PathBuf = scratch.path().join("pdf");
    let started = Instant::now();
    let ValueCaseAll {
        written,
        failed,
        skipped,
        ..
    } = write_all_value_cases(&store, &out, false).await?;
    let elapsed = started.elapsed();
    anyhow::ensure!(
        failed.is_empty() && skipped.is_empty(),
        "not every PDF was made: {} failed, {} skipped",
        failed.len(),
        skipped.len()
    );
    let bytes: u64 = written
        .iter()
        .map(|(_, p)| std::fs::metadata(p).map_or(0, |m| m.len()))
        .sum();
    println!(
        "value-case --all: {} PDFs ({} kB) in {:.1} s (assembled from the database, typeset on 2 threads, written)",
        written.len(),
        bytes / 1024,
        elapsed.as_secs_f64()
    );
    store.close().await;
    Ok(())
}

/// The benchmark's database: `url`, or a fresh SQLite directory in `scratch`; migrated,
/// and refused when it already holds organisations.
/// Loads the demo into an empty database, picks its largest closed round, and renders
/// that round's results page as the organisation's admin sees it (the handler's own code:
/// access checks, analysis, tables, charts and template), `runs` times.
async fn survey_results(args: SurveyResultsBenchArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.runs > 0, "--runs must be at least 1");
    let scratch = tempfile::tempdir().context("cannot make a scratch directory")?;
    let store = open_empty(args.database_url.as_deref(), scratch.path()).await?;
    app::demo::load(&store)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut largest: Option<(usize, store::SurveyRound)> = None;
    for org in store.organisations().await? {
        for round in store.survey_rounds(org.id).await? {
            if round.status != "gesloten" {
                continue;
            }
            let n = store.survey_responses(round.id).await?.len();
            if largest.as_ref().is_none_or(|(m, _)| n > *m) {
                largest = Some((n, round));
            }
        }
    }
    let (responses, round) = largest.context("the demo has no closed survey round")?;
    let admin = store
        .users(Some(round.org_id))
        .await?
        .into_iter()
        .find(|u| u.role == store::Role::OrgAdmin)
        .context("the round's organisation has no admin")?;
    println!(
        "round: {} (id {}), {responses} responses; viewer: {}",
        round.name, round.id, admin.email
    );
    let state = web::AppState::new(store, web::WebConfig::default());
    let mut times = Vec::with_capacity(args.runs);
    let mut page = String::new();
    for _ in 0..args.runs {
        let started = Instant::now();
        let html = web::survey_results_html(&state, admin.clone(), round.id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        times.push(started.elapsed());
        page = html;
    }
    let bytes = page.len();
    if let Some(path) = &args.html {
        std::fs::write(path, &page).with_context(|| format!("cannot write {}", path.display()))?;
    }
    println!(
        "results page: {bytes} bytes ({:.1} KB) of HTML; render {}",
        bytes as f64 / 1024.0,
        spread(&mut times)
    );
    Ok(())
}

pub(crate) async fn open_empty(
    url: Option<&str>,
    scratch: &std::path::Path,
) -> anyhow::Result<Store> {
    let store = match url {
        Some(url) => Store::connect(url)
            .await
            .with_context(|| format!("cannot connect to {}", store::redact(url)))?,
        None => Store::open_data_dir(scratch).await?,
    };
    store.migrate().await?;
    anyhow::ensure!(
        store.organisations().await?.is_empty(),
        "the benchmark needs an empty database"
    );
    println!(
        "backend={:?} cores={}",
        store.backend(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    Ok(store)
}

/// Generates the regions and organisations (each with an HR snapshot, 12 months of PNIL
/// and a closed round), refreshes the kept figures, then measures one region's picture
/// from a new connection pool (cold) and again (warm), and every region's picture once.
async fn region(args: RegionBenchArgs) -> anyhow::Result<()> {
    anyhow::ensure!(
        args.regions > 0 && args.orgs >= args.regions,
        "need at least one organisation per region"
    );
    anyhow::ensure!(args.runs > 0, "--runs must be at least 1");
    let scratch = tempfile::tempdir().context("cannot make a scratch directory")?;
    let store = open_empty(args.database_url.as_deref(), scratch.path()).await?;
    let q = survey::Questionnaire::standard("medewerkers", 1)?;
    let teams = ["Team 1", "Team 2", "Team 3", "Team 4", "Team 5", "Team 6"];
    let mut regions = Vec::new();
    for r in 0..args.regions {
        let name = format!("Regio {:02}", r + 1);
        let region = match store.find_region(&name).await {
            Ok(region) => region,
            Err(_) => store.create_region(&name, 3, 50).await?,
        };
        regions.push(region);
    }
    let prepared = Instant::now();
    let per_org_employees = args.employees / args.orgs;
    let per_org_responses = args.responses / args.orgs;
    let mut employees = 0;
    let mut responses = 0;
    for i in 0..args.orgs {
        // Sizes vary from half to one and a half times the mean; the last organisation
        // takes what is left, so the totals are as asked.
        let headcount = if i + 1 == args.orgs {
            args.employees.saturating_sub(employees).max(10)
        } else {
            (per_org_employees * (50 + (i * 37) % 101) / 100).max(10)
        };
        let respondents = if i + 1 == args.orgs {
            args.responses.saturating_sub(responses).min(headcount)
        } else {
            (per_org_responses * (50 + (i * 53) % 101) / 100).min(headcount)
        };
        let name = format!("Organisatie {:04}", i + 1);
        let org = generated_organisation(
            &store,
            q,
            &GeneratedOrg {
                name: &name,
                subsector: Subsector::ALL[(i * 7 + i / args.regions) % Subsector::ALL.len()],
                headcount,
                respondents,
                openness: [12, 30, 38, 12, 8],
                teams: &teams,
                invited_per_team: headcount.div_ceil(teams.len()) as i64,
                seed: 3_000_000 + i as u64,
                employee_prefix: &format!("R{i}-"),
            },
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        store
            .set_organisation_region(org.id, regions[i % args.regions].id)
            .await?;
        employees += headcount;
        responses += respondents;
        if (i + 1) % 250 == 0 {
            eprintln!(
                "{} of {} organisations ({:.0} s)",
                i + 1,
                args.orgs,
                prepared.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "prepared: {} regions, {} organisations, {employees} employees, {responses} responses in {:.0} s",
        args.regions,
        args.orgs,
        prepared.elapsed().as_secs_f64()
    );

    // Pre-aggregation: every organisation's kept figures.
    let date = today()?;
    let started = Instant::now();
    let mut refreshed = 0;
    loop {
        let n = app::region::refresh_stale(&store, 500, date)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        refreshed += n;
        if n == 0 {
            break;
        }
    }
    println!(
        "pre-aggregation: {refreshed} organisations' figures kept in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    store.close().await;

    // Cold: a new pool (as after a restart), first picture of the first region.
    let store = match &args.database_url {
        Some(url) => Store::connect(url).await?,
        None => Store::open_data_dir(scratch.path()).await?,
    };
    let region = &regions[0];
    let t = Instant::now();
    let p = app::region::picture_of(&store, region.id, date)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let cold = t.elapsed();
    let organisations = store.region_organisations(region.id).await?.len();
    let mut times = Vec::new();
    for _ in 0..args.runs {
        let t = Instant::now();
        let again = app::region::picture_of(&store, region.id, date)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        times.push(t.elapsed());
        anyhow::ensure!(
            again.picture == p.picture,
            "the same data gave another picture"
        );
    }
    println!(
        "regional picture of {} ({organisations} organisations): cold {:.1} ms; warm {}",
        region.name,
        cold.as_secs_f64() * 1000.0,
        spread(&mut times)
    );
    let t = Instant::now();
    for r in &regions {
        app::region::picture_of(&store, r.id, date)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    println!(
        "all {} regional pictures: {:.0} ms",
        regions.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    store.close().await;
    Ok(())
}
