//! The one `urenwinst` binary: parses arguments, loads configuration, starts tracing and
//! dispatches to the crates that do the work. No business logic lives here.

mod admin;
mod bench;
mod calc;
mod config;
mod hr;
mod hr_bench;
mod impact;
mod instances_bench;
mod programme;
mod region;
mod report;
mod roster;
mod survey;
mod survey_bench;

use clap::{Parser, Subcommand};

use crate::config::{Config, DbArgs, LogArgs, MailArgs, PublicUrlArgs, ServerArgs};

#[derive(Parser)]
#[command(
    name = "urenwinst",
    version,
    about = "Urenwinst: contractuitbreiding in zorg en welzijn",
    long_about = "Urenwinst helps care and welfare organisations find and use the hours their own \
                  part-time staff would like to work. Every command reads the same configuration \
                  (flags, then URENWINST_* environment variables, then defaults); each command's \
                  --help lists the flags it takes."
)]
struct Cli {
    #[command(flatten)]
    log: LogArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server (pages, API, health check) after applying migrations.
    Serve {
        /// Load the demo region "Twente" when the database has no accounts yet.
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        server: ServerArgs,
        #[command(flatten)]
        mail: MailArgs,
    },
    /// Run only the background-job worker (housekeeping and queued jobs) until Ctrl-C or
    /// SIGTERM; `serve` runs one too, so this is for extra capacity beside the servers.
    Worker {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        mail: MailArgs,
    },
    /// Background jobs: list them, or cancel one.
    Jobs {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        cmd: JobsCommand,
    },
    /// Apply pending database migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Load the demo region into an empty database and print the generated passwords.
    Demo {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Manage organisations.
    Org {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        cmd: admin::OrgCommand,
    },
    /// Manage teams of an organisation.
    Team {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        cmd: admin::TeamCommand,
    },
    /// Manage user accounts.
    User {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        url: PublicUrlArgs,
        #[command(subcommand)]
        cmd: admin::UserCommand,
    },
    /// Write a consistent copy of the live SQLite database to FILE.
    Backup {
        /// The file to create (it must not exist yet).
        file: std::path::PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Restore a copy made by `backup` into the data directory (--data-dir), which must not
    /// hold a database yet. The copy is checked first and the migrations are applied.
    Restore {
        /// The copy made by `urenwinst backup`.
        file: std::path::PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print the effective configuration (secrets redacted).
    Config {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        server: ServerArgs,
        #[command(flatten)]
        mail: MailArgs,
    },
    /// WerkUrenBerekenaar: read one JSON document (file or stdin), write the result as JSON.
    Calc(calc::CalcArgs),
    /// Roster tools: scan a roster export, solve or check a benchmark instance.
    Roster {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        cmd: roster::RosterCommand,
    },
    /// Import an HR extract or PNIL costs of an organisation.
    Import {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        cmd: hr::ImportCommand,
    },
    /// HR baseline: compare snapshots.
    Hr {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        cmd: hr::HrCommand,
    },
    /// Fase 0 survey: rounds (add, open, close), results, codes and the import of
    /// responses from another tool.
    Survey {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        cmd: survey::SurveyCommand,
    },
    /// Regions: add, list, and the regional picture (`region report`).
    Region {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        cmd: region::RegionCommand,
    },
    /// Reports: the Value Case of Fase 0 as JSON, PDF or HTML, for one or every organisation.
    Report {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        cmd: report::ReportCommand,
    },
    /// Benchmarks of whole product paths in a database of their own (docs/value-case.md).
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Goals of an organisation: add (measured from the data) or list.
    Goal {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        cmd: impact::GoalCommand,
    },
    /// Measured progress on the goals, contract changes since the baseline and requests.
    Impact {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        args: impact::ImpactArgs,
    },
    /// The programme of a region: the dates of its phases.
    Programme {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        cmd: programme::ProgrammeCommand,
    },
    /// Cohorts of organisations that go through a phase together.
    Cohort {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        cmd: programme::CohortCommand,
    },
    /// Action lists of organisations: add and list actions.
    Action {
        #[command(flatten)]
        db: DbArgs,
        #[command(subcommand)]
        cmd: programme::ActionCommand,
    },
    /// E-mail reminders of overdue and soon-due actions (the daily job, run once).
    Reminders {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        mail: MailArgs,
        #[command(subcommand)]
        cmd: programme::RemindersCommand,
    },
}

impl Command {
    /// The configuration of this command: its own flags, the rest from the environment.
    fn config(&self, log: LogArgs) -> anyhow::Result<Config> {
        use Command as C;
        let (db, server, mail) = match self {
            C::Serve {
                db, server, mail, ..
            }
            | C::Config { db, server, mail } => {
                (Some(db.clone()), Some(server.clone()), Some(mail.clone()))
            }
            C::Worker { db, mail } | C::Reminders { db, mail, .. } => {
                (Some(db.clone()), None, Some(mail.clone()))
            }
            C::User { db, url, .. } => {
                let mut server: ServerArgs = config::from_env()?;
                if url.public_url.is_some() {
                    server.public_url = url.public_url.clone();
                }
                (Some(db.clone()), Some(server), None)
            }
            C::Jobs { db, .. }
            | C::Migrate { db }
            | C::Demo { db }
            | C::Org { db, .. }
            | C::Team { db, .. }
            | C::Backup { db, .. }
            | C::Restore { db, .. }
            | C::Roster { db, .. }
            | C::Import { db, .. }
            | C::Hr { db, .. }
            | C::Survey { db, .. }
            | C::Region { db, .. }
            | C::Report { db, .. }
            | C::Goal { db, .. }
            | C::Impact { db, .. }
            | C::Programme { db, .. }
            | C::Cohort { db, .. }
            | C::Action { db, .. } => (Some(db.clone()), None, None),
            C::Calc(_) | C::Bench(_) => (None, None, None),
        };
        Config::new(log, db, server, mail)
    }
}

#[derive(clap::Subcommand)]
enum JobsCommand {
    /// The newest jobs, newest first.
    List {
        /// How many to show.
        #[arg(long, default_value_t = 20)]
        limit: i64,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Cancel a job: a queued one at once, a running one at its next heartbeat.
    Cancel {
        /// The job's id.
        id: i64,
    },
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Pure commands: no configuration, database or runtime, and nothing they read is logged.
    let command = match cli.command {
        Command::Calc(args) => return calc::run(args),
        Command::Bench(cmd) => return bench::run(cmd),
        command => command,
    };
    let config = command.config(cli.log)?;
    match command {
        Command::Roster { cmd, .. } => match roster::run(cmd)? {
            None => Ok(()),
            // `roster scan --org`: the scan's summary goes into the organisation's Fase 0.
            Some(scan) => {
                config.init_tracing();
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async {
                    let store = config.open_store().await?;
                    store.migrate().await?;
                    roster::record_scan(&store, scan).await
                })
            }
        },
        // Before any store is opened: opening would create the database being restored.
        Command::Restore { file, .. } => {
            if config
                .db
                .database_url
                .as_deref()
                .is_some_and(|u| !u.trim().is_empty())
            {
                anyhow::bail!(
                    "restore zet een kopie van de ingebouwde SQLite-database terug in --data-dir; \
                     gebruik voor PostgreSQL pg_restore (zie README)"
                );
            }
            config.init_tracing();
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let orgs =
                runtime.block_on(store::Store::restore_sqlite(&file, &config.db.data_dir))?;
            println!(
                "Teruggezet in {} ({orgs} organisaties); start de server met deze map.",
                config.db.data_dir.display()
            );
            Ok(())
        }
        Command::Config { .. } => {
            println!("{}", config.describe());
            Ok(())
        }
        command => {
            config.init_tracing();
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            runtime
                .block_on(run_with_store(config, command))
                .map_err(in_dutch)
        }
    }
}

/// A value the store refused reads in Dutch, as on the pages (`app::messages`).
fn in_dutch(e: anyhow::Error) -> anyhow::Error {
    match e
        .downcast_ref::<store::StoreError>()
        .and_then(app::messages::invalid)
    {
        Some((_, message)) => anyhow::anyhow!(message),
        None => e,
    }
}

async fn jobs(store: &store::Store, cmd: JobsCommand) -> anyhow::Result<()> {
    match cmd {
        JobsCommand::List { limit, json } => {
            let jobs = store.jobs(None, None, limit.clamp(1, 1000)).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&jobs)?);
            } else {
                println!("id\tsoort\tstatus\tpogingen\tvoortgang");
                for j in &jobs {
                    let progress = j
                        .progress
                        .map(|p| ::report::nl::percent(p, 0))
                        .unwrap_or_else(|| "–".into());
                    println!(
                        "{}\t{}\t{}\t{}/{}\t{}",
                        j.id, j.kind, j.status, j.attempts, j.max_attempts, progress
                    );
                }
            }
            Ok(())
        }
        JobsCommand::Cancel { id } => {
            let status = store
                .cancel_job(id, store::now())
                .await
                .map_err(|e| match e {
                    store::StoreError::NotFound => anyhow::anyhow!("taak {id} bestaat niet"),
                    other => other.into(),
                })?;
            println!("Taak {id}: {status}");
            Ok(())
        }
    }
}

async fn run_with_store(config: Config, command: Command) -> anyhow::Result<()> {
    let store = config.open_store().await?;
    match command {
        Command::Serve { demo, .. } => {
            store.migrate().await?;
            if demo {
                admin::load_demo(&store).await?;
            }
            // PDFs (the Value Case) with typst; the web layer only sees the trait.
            let state = web::AppState::new(store, config.web_config())
                .with_pdf(std::sync::Arc::new(report_pdf::TypstRenderer::new()));
            web::serve(state, config.server.addr).await
        }
        Command::Worker { .. } => {
            store.migrate().await?;
            let name = format!("worker:{}", std::process::id());
            let mut worker = app::maintenance::standard_worker(
                store.clone(),
                app::jobs::WorkerConfig::new(name),
            );
            let mail = config.mail_config()?;
            app::survey_mail::register(&mut worker, mail.clone(), &config.public_url());
            app::programme::register_reminders(&mut worker, mail);
            println!("De taakverwerker draait; stop met Ctrl-C.");
            worker
                .run(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await;
            store.close().await;
            Ok(())
        }
        Command::Jobs { cmd, .. } => {
            store.migrate().await?;
            jobs(&store, cmd).await
        }
        Command::Migrate { .. } => {
            store.migrate().await?;
            println!("Database is bijgewerkt.");
            Ok(())
        }
        Command::Demo { .. } => {
            store.migrate().await?;
            admin::load_demo(&store).await
        }
        Command::Org { cmd, .. } => {
            store.migrate().await?;
            admin::org(&store, cmd).await
        }
        Command::Team { cmd, .. } => {
            store.migrate().await?;
            admin::team(&store, cmd).await
        }
        Command::User { cmd, .. } => {
            store.migrate().await?;
            admin::user(
                &store,
                cmd,
                &config.public_url(),
                config.mail_config()?.as_ref(),
            )
            .await
        }
        Command::Survey { cmd, .. } => {
            store.migrate().await?;
            survey::run(&store, cmd, config.mail_config()?.as_ref()).await
        }
        Command::Region { cmd, .. } => {
            store.migrate().await?;
            region::run(&store, cmd).await
        }
        Command::Import { cmd, .. } => {
            store.migrate().await?;
            hr::import(&store, cmd).await
        }
        Command::Hr { cmd, .. } => {
            store.migrate().await?;
            hr::hr(&store, cmd).await
        }
        Command::Report { cmd, .. } => {
            store.migrate().await?;
            report::run(&store, cmd).await
        }
        Command::Goal { cmd, .. } => {
            store.migrate().await?;
            impact::goal(&store, cmd).await
        }
        Command::Impact { args, .. } => {
            store.migrate().await?;
            impact::run(&store, args).await
        }
        Command::Programme { cmd, .. } => {
            store.migrate().await?;
            programme::programme(&store, cmd).await
        }
        Command::Cohort { cmd, .. } => {
            store.migrate().await?;
            programme::cohort(&store, cmd).await
        }
        Command::Action { cmd, .. } => {
            store.migrate().await?;
            programme::action(&store, cmd).await
        }
        Command::Reminders { cmd, .. } => {
            store.migrate().await?;
            programme::reminders(&store, cmd, config.mail_config()?).await
        }
        Command::Backup { file, .. } => {
            store.backup_sqlite(&file).await?;
            println!("Kopie geschreven naar {}", file.display());
            Ok(())
        }
        Command::Calc(_)
        | Command::Roster { .. }
        | Command::Config { .. }
        | Command::Bench(_)
        | Command::Restore { .. } => {
            unreachable!("handled in main")
        }
    }
}
