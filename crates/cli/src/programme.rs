//! The programme at the command line (issue 31): `programme phase set`, `cohort add`,
//! `action add|list` and `reminders send`. Each calls `app::programme` as the operator.

use clap::Subcommand;
use store::Store;

use crate::admin::app_error;
use app::access::Caller;
use app::programme;

#[derive(Subcommand)]
pub enum ProgrammeCommand {
    /// The phases of a region's programme.
    #[command(subcommand)]
    Phase(PhaseCommand),
}

#[derive(Subcommand)]
pub enum PhaseCommand {
    /// Set the dates of a phase: ontwerp, pilot (uitrol) or opschalen (opschalen en borgen).
    Set {
        /// Region (name).
        #[arg(long)]
        region: String,
        /// ontwerp, pilot (uitrol) or opschalen (borgen).
        #[arg(long)]
        phase: String,
        /// First day (YYYY-MM-DD or dd-mm-jjjj).
        #[arg(long)]
        from: String,
        /// Last day (YYYY-MM-DD or dd-mm-jjjj).
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand)]
pub enum CohortCommand {
    /// Add a cohort of a region's organisations (at most 15; an organisation is in one
    /// cohort). Prints the cohort's id.
    Add {
        /// Region (name).
        #[arg(long)]
        region: String,
        /// Name of the cohort, e.g. "Pilot 2026".
        #[arg(long)]
        name: String,
        /// Organisations (ids or names), separated by commas.
        #[arg(long, value_delimiter = ',', required = true)]
        orgs: Vec<String>,
        /// The phase the cohort goes through.
        #[arg(long, default_value = "pilot")]
        phase: String,
    },
    /// Add an organisation to an existing cohort.
    AddOrg {
        /// Region (name).
        #[arg(long)]
        region: String,
        /// The cohort's id.
        #[arg(long)]
        cohort: i64,
        /// Organisation (id or name).
        #[arg(long)]
        org: String,
    },
    /// Take an organisation out of a cohort (the organisation and its data stay).
    RemoveOrg {
        /// Region (name).
        #[arg(long)]
        region: String,
        /// The cohort's id.
        #[arg(long)]
        cohort: i64,
        /// Organisation (id or name).
        #[arg(long)]
        org: String,
    },
}

#[derive(Subcommand)]
pub enum ActionCommand {
    /// Add an action to an organisation's action list; prints its id.
    Add {
        /// Organisation (id or name).
        #[arg(long)]
        org: String,
        /// What is to be done.
        #[arg(long)]
        title: String,
        /// The owner's e-mail address (a user of the organisation), or "programma".
        #[arg(long)]
        owner: String,
        /// Due date (YYYY-MM-DD or dd-mm-jjjj).
        #[arg(long)]
        due: String,
        /// Link the action to an intervention of the plan (its code, e.g. roostersessies).
        #[arg(long)]
        intervention: Option<String>,
    },
    /// An organisation's actions, by due date.
    List {
        /// Organisation (id or name).
        #[arg(long)]
        org: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum RemindersCommand {
    /// Run the reminder job once: one e-mail per user with overdue or soon-due actions
    /// (never twice a day); needs --smtp-host, else it only counts.
    Send,
}

/// A stored ISO date as dd-mm-jjjj.
fn date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(::report::nl::date)
        .unwrap_or_else(|_| iso.to_string())
}

async fn org_id(store: &Store, org: &str) -> anyhow::Result<i64> {
    store
        .find_organisation(org)
        .await
        .map(|o| o.id)
        .map_err(|e| match e {
            store::StoreError::NotFound => anyhow::anyhow!("Er is geen organisatie '{org}'."),
            other => other.into(),
        })
}

pub async fn programme(store: &Store, cmd: ProgrammeCommand) -> anyhow::Result<()> {
    match cmd {
        ProgrammeCommand::Phase(PhaseCommand::Set {
            region,
            phase,
            from,
            to,
        }) => {
            let region = app::region::find_region(store, &region)
                .await
                .map_err(app_error)?;
            let phase = programme::parse_phase(&phase).map_err(app_error)?;
            let p = programme::set_phase(store, Caller::Operator, region.id, phase, &from, &to)
                .await
                .map_err(app_error)?;
            println!(
                "{}: {} van {} tot en met {}",
                region.name,
                programme::phase_label(p.phase),
                date(&p.starts_on),
                date(&p.ends_on)
            );
            Ok(())
        }
    }
}

pub async fn cohort(store: &Store, cmd: CohortCommand) -> anyhow::Result<()> {
    match cmd {
        CohortCommand::Add {
            region,
            name,
            orgs,
            phase,
        } => {
            let region = app::region::find_region(store, &region)
                .await
                .map_err(app_error)?;
            let phase = programme::parse_phase(&phase).map_err(app_error)?;
            let c = programme::add_cohort(store, Caller::Operator, region.id, &name, phase, &orgs)
                .await
                .map_err(app_error)?;
            println!("{}", c.id);
            Ok(())
        }
        CohortCommand::AddOrg {
            region,
            cohort,
            org,
        } => {
            let region = app::region::find_region(store, &region)
                .await
                .map_err(app_error)?;
            let c = programme::add_cohort_member(store, Caller::Operator, region.id, cohort, &org)
                .await
                .map_err(app_error)?;
            println!("Cohort '{}': {} organisaties.", c.name, c.org_ids.len());
            Ok(())
        }
        CohortCommand::RemoveOrg {
            region,
            cohort,
            org,
        } => {
            let region = app::region::find_region(store, &region)
                .await
                .map_err(app_error)?;
            let id = org_id(store, &org).await?;
            let c = programme::remove_cohort_member(store, Caller::Operator, region.id, cohort, id)
                .await
                .map_err(app_error)?;
            println!("Cohort '{}': {} organisaties.", c.name, c.org_ids.len());
            Ok(())
        }
    }
}

pub async fn action(store: &Store, cmd: ActionCommand) -> anyhow::Result<()> {
    match cmd {
        ActionCommand::Add {
            org,
            title,
            owner,
            due,
            intervention,
        } => {
            let id = org_id(store, &org).await?;
            let input = programme::ActionInput {
                title,
                owner,
                due_on: due,
                team_id: None,
                link_kind: intervention.as_ref().map(|_| "intervention".to_string()),
                link_ref: intervention,
                status: None,
            };
            let a = programme::add_action(store, Caller::Operator, id, &input)
                .await
                .map_err(app_error)?;
            println!("{}", a.action.id);
            Ok(())
        }
        ActionCommand::List { org, json } => {
            let id = org_id(store, &org).await?;
            let list = programme::actions(store, Caller::Operator, id, programme::today())
                .await
                .map_err(app_error)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&list)?);
            } else {
                println!("id\tdeadline\tstatus\ttrekker\tactie\thoort bij");
                for a in &list {
                    println!(
                        "{}\t{}{}\t{}\t{}\t{}\t{}",
                        a.action.id,
                        date(&a.action.due_on),
                        if a.overdue { " (te laat)" } else { "" },
                        a.action.status.label(),
                        a.owner,
                        a.action.title,
                        a.link.as_deref().unwrap_or("–")
                    );
                }
            }
            Ok(())
        }
    }
}

pub async fn reminders(
    store: &Store,
    cmd: RemindersCommand,
    mail: Option<app::mail::MailConfig>,
) -> anyhow::Result<()> {
    match cmd {
        RemindersCommand::Send => {
            let run = programme::send_reminders(store, mail.as_ref(), programme::today())
                .await
                .map_err(app_error)?;
            if !run.mail_configured {
                println!(
                    "Geen mailserver ingesteld (--smtp-host): {} gebruikers hebben acties over of bijna over de deadline; zij zien dat in 'Mijn acties'.",
                    run.users
                );
            } else {
                println!(
                    "Herinneringen: {} verstuurd, {} vandaag al verstuurd, {} mislukt ({} gebruikers).",
                    run.sent, run.already_sent, run.failed, run.users
                );
            }
            if run.failed > 0 {
                anyhow::bail!("{} herinneringen konden niet worden verstuurd", run.failed);
            }
            Ok(())
        }
    }
}
