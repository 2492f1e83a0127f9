//! `urenwinst report …`: the reports of the product, for one organisation or for all at
//! once. The Value Case is assembled by `app::value_case` (shared with the pages and the
//! API); this module resolves names, writes files and shows progress.

use std::path::PathBuf;

use app::access::Caller;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use store::Store;

use crate::admin::{app_error, organisation};

#[derive(Subcommand)]
pub enum ReportCommand {
    /// The Value Case of Fase 0 (docs/value-case.md): one organisation as JSON, PDF or
    /// HTML, or (`--all --out DIR`) the PDF of every organisation with a closed round.
    ValueCase(ValueCaseArgs),
    /// The Fase 0 checklist: of one organisation (`--org`) or of all, computed from the
    /// data (interview, survey round, HR snapshot, PNIL, roster scan, report).
    Fase0 {
        /// Organisation (name or id); default: every organisation.
        #[arg(long)]
        org: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("scope").required(true).args(["org", "all"])))]
pub struct ValueCaseArgs {
    /// Organisation (name or id).
    #[arg(long)]
    org: Option<String>,
    /// Every organisation: writes `DIR/<id>-<name>.pdf` for each organisation with a
    /// closed round and lists the others as skipped with the reason.
    #[arg(long, requires = "out", conflicts_with_all = ["round", "snapshot", "json", "pdf", "html"])]
    all: bool,
    /// The directory for `--all`.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Survey round (name or id); default: the employees' round closed last.
    #[arg(long)]
    round: Option<String>,
    /// Peildatum of the HR snapshot (YYYY-MM-DD); default: the one nearest the round's
    /// close date.
    #[arg(long)]
    snapshot: Option<NaiveDate>,
    /// Print the Value Case as JSON.
    #[arg(long, group = "format")]
    json: bool,
    /// Write the report as PDF to FILE.
    #[arg(long, group = "format", value_name = "FILE")]
    pdf: Option<PathBuf>,
    /// Write the report as HTML to FILE.
    #[arg(long, group = "format", value_name = "FILE")]
    html: Option<PathBuf>,
}

pub async fn run(store: &Store, cmd: ReportCommand) -> anyhow::Result<()> {
    match cmd {
        ReportCommand::ValueCase(args) => value_case(store, args).await,
        ReportCommand::Fase0 { org, json } => fase0(store, org, json).await,
    }
}

async fn fase0(store: &Store, org: Option<String>, json: bool) -> anyhow::Result<()> {
    let lists = match org {
        Some(key) => {
            let org = organisation(store, &key).await?;
            let c = app::value_case::checklist(store, Caller::Operator, org.id)
                .await
                .map_err(app_error)?;
            vec![(org, c)]
        }
        None => app::value_case::checklists(store, Caller::Operator)
            .await
            .map_err(app_error)?,
    };
    if json {
        let rows: Vec<serde_json::Value> = lists
            .iter()
            .map(|(o, c)| {
                serde_json::json!({"organisation": {"id": o.id, "name": o.name}, "checklist": c})
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    for (o, c) in &lists {
        println!(
            "{} ({} van {} stappen klaar)",
            o.name,
            c.done,
            c.steps.len()
        );
        for s in &c.steps {
            println!("  {:<10} {}  {}", s.state.label(), s.label, s.detail);
        }
    }
    Ok(())
}

fn today() -> anyhow::Result<NaiveDate> {
    Ok(app::survey::today().parse()?)
}

async fn value_case(store: &Store, args: ValueCaseArgs) -> anyhow::Result<()> {
    if args.all {
        let out = args.out.expect("clap requires --out with --all");
        return value_case_all(store, &out).await;
    }
    let key = args.org.expect("clap requires --org or --all");
    let org = organisation(store, &key).await?;
    let round = match &args.round {
        Some(r) => Some(
            store
                .find_survey_round(org.id, r)
                .await
                .map_err(|_| anyhow::anyhow!("Ronde '{r}' bestaat niet bij {}.", org.name))?
                .id,
        ),
        None => None,
    };
    let vc = app::value_case::assemble(
        store,
        Caller::Operator,
        org.id,
        round,
        args.snapshot,
        today()?,
    )
    .await
    .map_err(app_error)?;
    if args.json {
        app::value_case::record_generated(store, Caller::Operator, &vc, "json")
            .await
            .map_err(app_error)?;
        println!("{}", serde_json::to_string_pretty(&vc)?);
        return Ok(());
    }
    anyhow::bail!("Kies --json, --pdf BESTAND of --html BESTAND.")
}

async fn value_case_all(_store: &Store, _out: &std::path::Path) -> anyhow::Result<()> {
    anyhow::bail!("--all volgt")
}
