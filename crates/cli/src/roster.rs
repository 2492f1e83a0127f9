//! `urenwinst roster …`: solve and check benchmark instances, scan a roster export and
//! design a roster from one.
//! All work is done by the `roster` crate; this module reads files and prints.

use anyhow::Context as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

#[derive(clap::Subcommand)]
pub enum RosterCommand {
    /// Solve a Curtois benchmark instance; prints one JSON line.
    Solve {
        instance: PathBuf,
        /// Time limit in seconds.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write the roster as CSV (`employee,day,shift`).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Search threads (default 2: both cores of the reference machine).
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Stop after this many epochs (makes the run independent of machine speed).
        #[arg(long)]
        epochs: Option<u64>,
    },
    /// Check a roster CSV against an instance: prints violations and the objective.
    Check { instance: PathBuf, roster: PathBuf },
    /// Scan a roster export (CSV or XLSX): what blocks bigger contracts, in Dutch or JSON.
    Scan {
        file: PathBuf,
        /// Second file with contract hours per employee (personeelsnummer, contracturen).
        #[arg(long)]
        contracts: Option<PathBuf>,
        /// Print JSON instead of the Dutch summary.
        #[arg(long)]
        json: bool,
        /// Key for pseudonymising employee numbers (HMAC-SHA256). Without a key a random
        /// one is used: pseudonyms are then only consistent within this scan.
        #[arg(long, env = "URENWINST_PSEUDONIEM_SLEUTEL", hide_env_values = true)]
        key: Option<String>,
        /// Shifts shorter than this many hours count as short.
        #[arg(long, default_value_t = 6.0)]
        short_hours: f64,
        /// The organisation (id or name) the roster is of: its summary (employees, shifts,
        /// short and split shifts) is stored for the Fase 0 checklist and the Value Case.
        #[arg(long)]
        org: Option<String>,
        /// With `--org`: the team (name or id) the roster is of. The scan is then stored
        /// for that team (pseudonymised with the organisation's key, contract hours from
        /// its latest HR snapshot where the numbers match) and shows in the product's
        /// roster pages; the summary is recorded as without `--team`.
        #[arg(long, requires = "org")]
        team: Option<String>,
    },
    /// Design a roster from a roster export (CSV or XLSX, as `scan` reads): the same
    /// demand with fewer short shifts and opkomstmomenten. Writes the proposal as CSV in
    /// the export's layout (one row per shift; employees as pseudonyms) and prints the
    /// before/after comparison in Dutch or as JSON.
    Design {
        file: PathBuf,
        /// Second file with contract hours per employee (personeelsnummer, contracturen).
        #[arg(long)]
        contracts: Option<PathBuf>,
        /// The care demand: `today` (today's coverage, the default) or `flatten:HOURS`
        /// (each quarter hour may be served up to HOURS hours earlier or later, 0 to 4).
        #[arg(long, default_value = "today")]
        demand: String,
        /// Time limit in seconds.
        #[arg(long, default_value_t = 30.0)]
        seconds: f64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Search threads (default 2: both cores of the reference machine).
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Only this team of the file (needed when the file holds several teams).
        #[arg(long)]
        team: Option<String>,
        /// Where to write the proposal (CSV; a name ending in `.xlsx` writes XLSX).
        #[arg(long)]
        out: PathBuf,
        /// Print JSON instead of the Dutch summary.
        #[arg(long)]
        json: bool,
        /// Key for pseudonymising employee numbers, as for `scan`.
        #[arg(long, env = "URENWINST_PSEUDONIEM_SLEUTEL", hide_env_values = true)]
        key: Option<String>,
    },
}

/// `--demand`: `today` or `flatten:HOURS` → hours of flattening.
fn parse_demand(s: &str) -> anyhow::Result<u32> {
    let s = s.trim().to_lowercase();
    if matches!(s.as_str(), "today" | "nu" | "flatten:0") {
        return Ok(0);
    }
    match s.strip_prefix("flatten:").map(|h| h.trim().parse::<u32>()) {
        Some(Ok(h)) if h <= 4 => Ok(h),
        _ => anyhow::bail!(
            "--demand '{s}' is onbekend: gebruik 'today' of 'flatten:UREN' met 0 tot 4 uur (bijvoorbeeld flatten:2)"
        ),
    }
}

fn read_file(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("kan {} niet lezen", path.display()))
}

fn file_kind(path: &std::path::Path) -> roster::scan::FileKind {
    roster::scan::FileKind::from_name(&path.to_string_lossy())
}

/// Writes `bytes` to `path` through a temporary file next to it, so a failed write
/// leaves no half file.
fn write_whole(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("kan niet schrijven in {}", dir.display()))?;
    std::io::Write::write_all(&mut tmp, bytes)
        .with_context(|| format!("kan {} niet schrijven", path.display()))?;
    tmp.persist(path)
        .with_context(|| format!("kan {} niet schrijven", path.display()))?;
    Ok(())
}

/// `roster design`: reads, designs, writes the proposal, prints the comparison.
#[allow(clippy::too_many_arguments)]
fn design(
    file: &std::path::Path,
    contracts: Option<&std::path::Path>,
    demand: &str,
    seconds: f64,
    seed: u64,
    threads: usize,
    team: Option<&str>,
    out: &std::path::Path,
    json: bool,
    key: Option<String>,
) -> anyhow::Result<()> {
    let flatten = parse_demand(demand)?;
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= 3600.0) {
        anyhow::bail!("--seconds moet tussen 0 en 3600 liggen");
    }
    let key = match key {
        Some(k) if !k.is_empty() => k.into_bytes(),
        _ => roster::scan::random_key(&mut rand::rng()),
    };
    let mut export = roster::scan::read_export(&read_file(file)?, file_kind(file), &key)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    if let Some(path) = contracts {
        roster::scan::read_contracts(&mut export, &read_file(path)?, file_kind(path), &key)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    }
    let teams: std::collections::BTreeSet<String> =
        export.shifts.iter().map(|s| s.team.clone()).collect();
    let team = match team {
        Some(t) => {
            let found = teams
                .iter()
                .find(|x| x.eq_ignore_ascii_case(t.trim()))
                .cloned()
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "team '{t}' staat niet in {}; de teams zijn: {}",
                        file.display(),
                        teams.iter().cloned().collect::<Vec<_>>().join(", ")
                    )
                })?;
            export.shifts.retain(|s| s.team == found);
            found
        }
        None if teams.len() > 1 => anyhow::bail!(
            "{} bevat {} teams ({}); een ontwerp is voor één team: kies het met --team",
            file.display(),
            teams.len(),
            teams.iter().cloned().collect::<Vec<_>>().join(", ")
        ),
        None => teams.into_iter().next().unwrap_or_default(),
    };
    let input = roster::plan::default_input(&export, &team, flatten, true)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let opts = roster::solve::SolveOptions {
        seconds,
        seed,
        threads: threads.clamp(1, 16),
        ..roster::solve::SolveOptions::default()
    };
    let result = roster::plan::run(&input, &export, &opts)?;
    if json {
        let line = serde_json::json!({
            "team": team,
            "period_start": input.period_start,
            "days": input.days,
            "flatten_hours": flatten,
            "seconds": result.seconds,
            "seed": seed,
            "threads": opts.threads,
            "found": result.found,
            "objective": result.objective,
            "demand_hours": input.demand_hours(),
            "before": result.before,
            "after": result.after,
            "absorbed_contract_hours_per_week": result.absorbed_contract_hours_per_week,
            "employees": result.employees,
            "out": result.found.then(|| out.display().to_string()),
        });
        println!("{}", serde_json::to_string_pretty(&line)?);
    } else {
        print!("{}", roster::plan::summary(&input, &result));
    }
    if !result.found {
        anyhow::bail!(
            "geen roosterontwerp gevonden dat alle harde regels houdt (binnen {seconds} seconden); er is geen bestand geschreven. Probeer meer tijd met --seconds."
        );
    }
    let bytes = if out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        app::roster::proposal_xlsx(&result.rows).map_err(crate::admin::app_error)?
    } else {
        roster::plan::write_csv(&result.rows).into_bytes()
    };
    write_whole(out, &bytes)?;
    if !json {
        println!("Voorstel geschreven naar {}.", out.display());
    }
    Ok(())
}

/// A scan to record for an organisation (`roster scan --org`), after the pure part ran.
pub struct ScanForOrg {
    pub org: String,
    pub counts: app::value_case::RosterScanCounts,
    /// `--team`: the team, and the file to store as that team's scan.
    pub team: Option<(String, PathBuf)>,
}

/// Stores the summary of a scan for its organisation.
pub async fn record_scan(store: &store::Store, scan: ScanForOrg) -> anyhow::Result<()> {
    let org = crate::admin::organisation(store, &scan.org).await?;
    if let Some((team, path)) = &scan.team {
        let teams = store.teams(org.id).await?;
        let team = teams
            .iter()
            .find(|t| t.name.eq_ignore_ascii_case(team.trim()) || t.id.to_string() == team.trim())
            .ok_or_else(|| anyhow::anyhow!("Team '{team}' bestaat niet bij {}.", org.name))?;
        let bytes =
            std::fs::read(path).with_context(|| format!("kan {} niet lezen", path.display()))?;
        let name = path.file_name().map_or_else(
            || "rooster".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let caller = app::access::Caller::Operator;
        let mut up = app::roster::new_upload(store, caller, org.id, team.id, &name, &bytes)
            .await
            .map_err(crate::admin::app_error)?;
        // No names from the command line: the stored scan is pseudonymous only.
        up.name_column = None;
        let key = app::uploads::UploadKey::random();
        let stored = app::roster::store_upload(store, &key, caller, &org, &up)
            .await
            .map_err(crate::admin::app_error)?;
        eprintln!(
            "Roosterscan opgeslagen bij {}, team {} (scan {}, {} diensten); de samenvatting staat in de Fase 0-checklist.",
            org.name, team.name, stored.id, stored.shifts
        );
        return Ok(());
    }
    app::value_case::record_roster_scan(store, app::access::Caller::Operator, org.id, scan.counts)
        .await
        .map_err(crate::admin::app_error)?;
    eprintln!(
        "Samenvatting van de roosterscan opgeslagen bij {} (Fase 0-checklist).",
        org.name
    );
    Ok(())
}

fn load_instance(path: &std::path::Path) -> anyhow::Result<roster::Problem> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("kan {} niet lezen", path.display()))?;
    let name = path.file_stem().map_or_else(
        || "instance".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    roster::curtois::parse_instance(&name, &text)
        .with_context(|| format!("{} is geen geldige instantie", path.display()))
}

/// Runs a roster command. A scan with `--org` returns what to store; the caller opens the
/// database for that (the other commands need none).
pub fn run(cmd: RosterCommand) -> anyhow::Result<Option<ScanForOrg>> {
    match cmd {
        RosterCommand::Solve {
            instance,
            seconds,
            seed,
            out,
            threads,
            epochs,
        } => {
            let problem = load_instance(&instance)?;
            // `ROSTER_DEBUG` (any value): the solver's progress on standard error.
            let observer = std::env::var_os("ROSTER_DEBUG").map(|_| {
                Arc::new(DebugPrinter {
                    problem: problem.clone(),
                    start: Instant::now(),
                }) as Arc<dyn roster::solve::Observer>
            });
            let opts = roster::solve::SolveOptions {
                seconds,
                seed,
                threads,
                max_epochs: epochs,
                observer,
                ..roster::solve::SolveOptions::default()
            };
            let result = roster::solve::solve(&problem, &opts)?;
            if let (Some(path), Some(r)) = (&out, &result.roster) {
                std::fs::write(path, roster::curtois::write_roster(&problem, r))
                    .with_context(|| format!("kan {} niet schrijven", path.display()))?;
            }
            let line = serde_json::json!({
                "instance": problem.name,
                "objective": result.objective,
                "feasible": result.feasible,
                "seconds": (result.seconds * 100.0).round() / 100.0,
                "seed": seed,
                "threads": threads,
                "epochs": result.epochs,
                "iterations": result.iterations,
            });
            println!("{line}");
            Ok(None)
        }
        RosterCommand::Design {
            file,
            contracts,
            demand,
            seconds,
            seed,
            threads,
            team,
            out,
            json,
            key,
        } => {
            design(
                &file,
                contracts.as_deref(),
                &demand,
                seconds,
                seed,
                threads,
                team.as_deref(),
                &out,
                json,
                key,
            )?;
            Ok(None)
        }
        RosterCommand::Check {
            instance,
            roster: roster_path,
        } => {
            let problem = load_instance(&instance)?;
            let text = std::fs::read_to_string(&roster_path)
                .with_context(|| format!("kan {} niet lezen", roster_path.display()))?;
            let r = roster::curtois::parse_roster(&problem, &text)
                .with_context(|| format!("{} is geen geldig rooster", roster_path.display()))?;
            let ev = roster::check(&problem, &r);
            for v in &ev.violations {
                println!("overtreding: {}", roster::check::Describe(&problem, v));
            }
            let s = ev.score;
            println!(
                "objective {} (bezetting {}, wensen aan {}, wensen af {}); harde overtredingen: {}",
                s.total,
                s.cover,
                s.on_requests,
                s.off_requests,
                ev.violations.len()
            );
            if !ev.feasible() {
                anyhow::bail!(
                    "het rooster overtreedt {} harde regel(s)",
                    ev.violations.len()
                );
            }
            Ok(None)
        }
        RosterCommand::Scan {
            file,
            contracts,
            json,
            key,
            short_hours,
            org,
            team,
        } => {
            let key = match key {
                Some(k) if !k.is_empty() => k.into_bytes(),
                _ => roster::scan::random_key(&mut rand::rng()),
            };
            let read = |path: &std::path::Path| {
                std::fs::read(path).with_context(|| format!("kan {} niet lezen", path.display()))
            };
            let kind =
                |path: &std::path::Path| roster::scan::FileKind::from_name(&path.to_string_lossy());
            let mut export = roster::scan::read_export(&read(&file)?, kind(&file), &key)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            if let Some(path) = &contracts {
                roster::scan::read_contracts(&mut export, &read(path)?, kind(path), &key)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            }
            if !(short_hours.is_finite() && (0.0..=24.0).contains(&short_hours)) {
                anyhow::bail!("--short-hours moet tussen 0 en 24 liggen");
            }
            let opts = roster::scan::ScanOptions {
                short_shift_minutes: (short_hours * 60.0).round() as u32,
                ..roster::scan::ScanOptions::default()
            };
            let report = roster::scan::scan(&export, &opts);
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", roster::scan::summary(&report));
            }
            Ok(org.map(|org| ScanForOrg {
                org,
                team: team.map(|t| (t, file.clone())),
                counts: app::value_case::RosterScanCounts {
                    scanned_on: report.period_end,
                    employees: report.teams.iter().map(|t| u64::from(t.employees)).sum(),
                    shifts: report.teams.iter().map(|t| u64::from(t.shifts)).sum(),
                    short_shifts: report.teams.iter().map(|t| u64::from(t.short_shifts)).sum(),
                    split_shifts: report.teams.iter().map(|t| u64::from(t.split_shifts)).sum(),
                },
            }))
        }
    }
}

/// Prints the solver's progress events to standard error (`ROSTER_DEBUG`), with the time
/// since the solve started.
struct DebugPrinter {
    problem: roster::Problem,
    start: Instant,
}

impl roster::solve::Observer for DebugPrinter {
    fn progress(&self, event: &roster::solve::Progress) {
        use roster::solve::Progress;
        let at = self.start.elapsed().as_secs_f64();
        match event {
            Progress::Constructed {
                soft,
                hard,
                breaking,
                roster,
                ..
            } => {
                eprintln!("construct: soft {soft} hard {hard} {breaking:?}");
                let ev = roster::check(&self.problem, roster);
                for v in ev.violations.iter().take(12) {
                    eprintln!("  {}", roster::check::Describe(&self.problem, v));
                }
            }
            Progress::CycleEnd {
                thread,
                epoch,
                best,
            } => eprintln!("cycle: thread {thread} epoch {epoch} best {best:?} {at:.2}s"),
            Progress::ColgenStage { stage, .. } => eprintln!("colgen:   {stage} at {at:.2}s"),
            Progress::Colgen {
                lp,
                columns,
                dives,
                best,
                ..
            } => eprintln!(
                "colgen: lp {lp:.1} columns {columns} dives {dives} best {best:?} at {at:.2}s"
            ),
            Progress::FixPart {
                a,
                b,
                employees,
                optimal,
                from,
                to,
                ..
            } => eprintln!(
                "fixopt: days {a}..{b} emps {employees} optimal {optimal} {from} -> {to:?} at {at:.2}s"
            ),
        }
    }
}
