//! `goal add` and `impact`: an organisation's goals and its measured progress from the
//! command line, through the same services as the pages (`app::impact`), audited as
//! "command line".

use anyhow::Context;
use app::access::Caller;
use app::impact::{self, GoalInput};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use store::Store;

#[derive(Subcommand)]
pub enum GoalCommand {
    /// Add a goal: KIND is measured from the data (contract_hours_added, fte_added,
    /// contracts_expanded, average_contract_hours, deeltijdfactor, pnil_monthly_cost,
    /// opkomstmomenten_per_fte, short_shift_share, open_share, schedule_satisfaction,
    /// requests, requests_accepted, hours_agreed) or `manual` (with --baseline-value).
    Add {
        /// Organisation: id or exact name.
        #[arg(long)]
        org: String,
        #[arg(long)]
        kind: String,
        /// The target value (hours, FTE, a count, a share as 0.25, euros per month).
        #[arg(long, allow_hyphen_values = true)]
        target: f64,
        /// The deadline, YYYY-MM-DD.
        #[arg(long)]
        by: String,
        /// The baseline date, YYYY-MM-DD (default today: the latest snapshot is the baseline).
        #[arg(long)]
        baseline_date: Option<String>,
        /// A team (name or id); default the whole organisation.
        #[arg(long)]
        team: Option<String>,
        /// For `manual` goals: the value at the baseline.
        #[arg(long, allow_hyphen_values = true)]
        baseline_value: Option<f64>,
        /// For `manual` goals: what is counted.
        #[arg(long)]
        note: Option<String>,
    },
    /// List an organisation's goals.
    List {
        #[arg(long)]
        org: String,
    },
}

/// `impact --org ORG [--as-of D] --json`.
#[derive(Args)]
pub struct ImpactArgs {
    /// Organisation: id or exact name.
    #[arg(long)]
    org: String,
    /// The date to measure on, YYYY-MM-DD (default today).
    #[arg(long)]
    as_of: Option<String>,
    /// Print JSON (goals, contracts, requests).
    #[arg(long)]
    json: bool,
}

async fn organisation(store: &Store, org: &str) -> anyhow::Result<store::Organisation> {
    store
        .find_organisation(org)
        .await
        .with_context(|| format!("organisatie '{org}' niet gevonden"))
}

fn today() -> anyhow::Result<NaiveDate> {
    Ok(app::survey::today().parse()?)
}

fn app_error(e: app::AppError) -> anyhow::Error {
    match e.user_message() {
        Some(m) => anyhow::anyhow!(m),
        None => anyhow::anyhow!(e.to_string()),
    }
}

pub async fn goal(store: &Store, cmd: GoalCommand) -> anyhow::Result<()> {
    match cmd {
        GoalCommand::Add {
            org,
            kind,
            target,
            by,
            baseline_date,
            team,
            baseline_value,
            note,
        } => {
            let org = organisation(store, &org).await?;
            let g = impact::add_goal(
                store,
                Caller::Operator,
                org.id,
                &GoalInput {
                    kind,
                    target,
                    deadline: by,
                    baseline_date,
                    team,
                    baseline_value,
                    note,
                },
                today()?,
            )
            .await
            .map_err(app_error)?;
            println!(
                "Doel {} toegevoegd aan {}: {} {} vóór {} (nulmeting {}).",
                g.id,
                org.name,
                g.kind.label_nl(),
                g.kind.format(g.target),
                ::report::nl::iso_date(&g.deadline),
                ::report::nl::iso_date(&g.baseline_date)
            );
            Ok(())
        }
        GoalCommand::List { org } => {
            let org = organisation(store, &org).await?;
            println!("id\tsoort\tteam\tnulmeting\tstreefwaarde\teinddatum");
            let teams = store.all_teams(org.id).await?;
            for g in store.goals(org.id).await? {
                let team = g
                    .team_id
                    .and_then(|t| teams.iter().find(|x| x.id == t))
                    .map(|t| t.name.as_str())
                    .unwrap_or("–");
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    g.id,
                    g.kind.code(),
                    team,
                    ::report::nl::iso_date(&g.baseline_date),
                    g.kind.format(g.target),
                    ::report::nl::iso_date(&g.deadline)
                );
            }
            Ok(())
        }
    }
}

pub async fn run(store: &Store, args: ImpactArgs) -> anyhow::Result<()> {
    let org = organisation(store, &args.org).await?;
    let as_of = match args.as_of.as_deref() {
        Some(d) => NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
            .with_context(|| format!("--as-of: '{d}' is geen datum; gebruik JJJJ-MM-DD"))?,
        None => today()?,
    };
    let imp = impact::impact(store, Caller::Operator, org.id, as_of)
        .await
        .map_err(app_error)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&imp)?);
        return Ok(());
    }
    println!("Impact van {} op {}", org.name, ::report::nl::date(as_of));
    match &imp.contracts {
        Some(c) => println!(
            "Contracten ({} → {}): {} uitgebreid, {} uur erbij = {}; {} kleiner ({} uur minder); {} in dienst, {} uit dienst.",
            ::report::nl::date(c.from),
            ::report::nl::date(c.to),
            c.grown,
            ::report::nl::hours(c.hours_added),
            ::report::nl::fte(c.fte_added),
            c.shrunk,
            ::report::nl::hours(c.hours_removed),
            c.joined,
            c.left
        ),
        None => println!("Contracten: nog geen tweede HR-bestand na de nulmeting."),
    }
    println!("doel\tteam\tnulmeting\tgemeten\tstreefwaarde\tbereikt\top schema");
    for g in &imp.goals {
        let p = &g.progress;
        let v = |x: Option<f64>| x.map(|x| p.kind.format(x)).unwrap_or_else(|| "–".into());
        println!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            p.kind.code(),
            p.team.as_deref().unwrap_or("–"),
            v(p.baseline),
            match (p.measured, p.measured_at) {
                (Some(m), Some(d)) => format!("{} ({})", p.kind.format(m), ::report::nl::date(d)),
                _ => "–".into(),
            },
            p.kind.format(p.target),
            p.progress
                .map(|x| ::report::nl::percent(x, 0))
                .unwrap_or_else(|| "–".into()),
            match p.on_track {
                Some(true) => "ja",
                Some(false) => "nee",
                None => "–",
            }
        );
    }
    Ok(())
}
