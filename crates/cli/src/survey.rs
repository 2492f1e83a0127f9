//! `survey …`: rounds (add, open, close), results of a round as JSON, and the import of
//! responses collected with another survey tool. The work is done by `app::survey`
//! (shared with the pages and the API) and crate `survey`.

use app::survey as svc;
use clap::Subcommand;
use store::{Actor, Store};

#[derive(Subcommand)]
pub enum SurveyCommand {
    /// Survey rounds: add one, open it, close it.
    #[command(subcommand)]
    Round(RoundCommand),
    /// Results of a closed round with the anonymity rules (minimum group size,
    /// complementary suppression). Prints respondents, open_share, open_share_ci95 and
    /// teams. While a round is open there are no results, only response rates (`rates`).
    Results {
        /// Organisation (name or id).
        #[arg(long)]
        org: String,
        /// Round (name or id).
        #[arg(long)]
        round: String,
        /// Print the full results as JSON (the shape of docs/survey.md).
        #[arg(long)]
        json: bool,
    },
    /// Response rates of a round (also while it is open), with the same suppression as
    /// the round page: teams below the minimum group size show no figures.
    Rates {
        /// Organisation (name or id).
        #[arg(long)]
        org: String,
        /// Round (name or id).
        #[arg(long)]
        round: String,
        /// Print the response rates as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Make single-use invitation codes for a team of a round and print them as CSV
    /// (team;code;link) for mail merge. Codes are stored only as hashes: keep this output.
    Codes {
        /// Organisation (name or id).
        #[arg(long)]
        org: String,
        /// Round (name or id).
        #[arg(long)]
        round: String,
        /// Team (name) taking part in the round.
        #[arg(long)]
        team: String,
        /// Number of codes.
        #[arg(long)]
        count: u32,
    },
    /// Add e-mail addresses of a team to a round's invitation list (a file with one
    /// address per line, or a CSV with an address column). The worker (`serve` or
    /// `worker`) mails each new address its own single-use code once the round is open.
    /// Needs SMTP (--smtp-host). The addresses are deleted when the round closes.
    Invite {
        /// Organisation (name or id).
        #[arg(long)]
        org: String,
        /// Round (name or id).
        #[arg(long)]
        round: String,
        /// Team (name) taking part in the round.
        #[arg(long)]
        team: String,
        /// The address list.
        #[arg(long)]
        file: std::path::PathBuf,
    },
    /// Mail a reminder to every address on the round's list whose code is still unused
    /// (at most once a day per round; those who answered get nothing). Sent by the worker.
    Remind {
        /// Organisation (name or id).
        #[arg(long)]
        org: String,
        /// Round (name or id).
        #[arg(long)]
        round: String,
    },
    /// Load benchmark of survey submissions against a local server: submissions per second
    /// and latency percentiles (see docs/benchmarks.md, "Survey submissions").
    Bench(crate::survey_bench::BenchArgs),
    /// Import responses from a CSV or XLSX file into a round: columns are mapped to the
    /// questions, every row is checked, and nothing is stored unless all rows are right.
    Import {
        /// Organisation (name or id).
        #[arg(long)]
        org: String,
        /// Round (name or id).
        #[arg(long)]
        round: String,
        /// Only check the file and print the mapping and diagnostics.
        #[arg(long)]
        dry_run: bool,
        /// A mapping (JSON, as printed by --dry-run) to use instead of the proposal.
        #[arg(long)]
        mapping: Option<std::path::PathBuf>,
        /// The CSV or XLSX file.
        file: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
pub enum RoundCommand {
    /// Add a round (status "concept") and print its id.
    Add {
        /// Organisation (name or id).
        #[arg(long)]
        org: String,
        /// Name of the round.
        #[arg(long)]
        name: String,
        /// nulmeting or effectmeting.
        #[arg(long, default_value = "nulmeting")]
        kind: String,
        /// Teams taking part: names or ids separated by commas, or "all".
        #[arg(long, default_value = "all")]
        teams: String,
        /// A round for responses collected with another tool (imported, no codes).
        #[arg(long)]
        import: bool,
        /// Questionnaire: medewerkers or leidinggevenden.
        #[arg(long, default_value = "medewerkers")]
        questionnaire: String,
        /// Version of the questionnaire.
        #[arg(long, default_value_t = 1)]
        version: i64,
        /// First day (YYYY-MM-DD); today when left out.
        #[arg(long)]
        opens: Option<String>,
        /// Last day (YYYY-MM-DD); four weeks after the first day when left out.
        #[arg(long)]
        closes: Option<String>,
    },
    /// Open a round for responses.
    Open {
        /// Organisation (name or id).
        #[arg(long)]
        org: String,
        /// Round (name or id).
        #[arg(long)]
        round: String,
    },
    /// Close a round: no more responses; results become available.
    Close {
        /// Organisation (name or id).
        #[arg(long)]
        org: String,
        /// Round (name or id).
        #[arg(long)]
        round: String,
    },
}

/// The team ids `spec` names ("all", or names/ids separated by commas).
async fn team_ids(
    store: &Store,
    org: &store::Organisation,
    spec: &str,
) -> anyhow::Result<Vec<i64>> {
    let teams = store.teams(org.id).await?;
    if spec.trim().eq_ignore_ascii_case("all") {
        return Ok(teams.iter().map(|t| t.id).collect());
    }
    spec.split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|key| {
            teams
                .iter()
                .find(|t| t.id.to_string() == key || t.name.eq_ignore_ascii_case(key))
                .map(|t| t.id)
                .ok_or_else(|| anyhow::anyhow!("Team '{key}' bestaat niet bij {}.", org.name))
        })
        .collect()
}

async fn round(store: &Store, cmd: RoundCommand) -> anyhow::Result<()> {
    let operator = app::access::Caller::Operator;
    match cmd {
        RoundCommand::Add {
            org,
            name,
            kind,
            teams,
            import,
            questionnaire,
            version,
            opens,
            closes,
        } => {
            let org = crate::admin::organisation(store, &org).await?;
            let ids = team_ids(store, &org, &teams).await?;
            let opens = match opens {
                Some(d) => d,
                None => svc::today(),
            };
            let closes = match closes {
                Some(d) => d,
                None => chrono::NaiveDate::parse_from_str(&opens, "%Y-%m-%d")
                    .map(|d| (d + chrono::Days::new(28)).format("%Y-%m-%d").to_string())
                    .map_err(|_| anyhow::anyhow!("Begindatum '{opens}': schrijf JJJJ-MM-DD."))?,
            };
            let input = store::NewSurveyRound {
                name,
                kind,
                questionnaire,
                version,
                custom_questions: "[]".into(),
                opens_on: opens,
                closes_on: closes,
                invitation_text: String::new(),
                import_round: import,
            };
            let round = svc::create_round(store, operator, org.id, &input, &ids)
                .await
                .map_err(crate::admin::app_error)?;
            println!("{}", round.id);
        }
        RoundCommand::Open { org, round } => {
            let ctx = context(store, &org, &round).await?;
            let r = svc::set_round_status(store, operator, ctx.round.id, "open")
                .await
                .map_err(crate::admin::app_error)?;
            println!("Ronde '{}' is {}.", r.name, r.status);
        }
        RoundCommand::Close { org, round } => {
            let ctx = context(store, &org, &round).await?;
            let r = svc::set_round_status(store, operator, ctx.round.id, "gesloten")
                .await
                .map_err(crate::admin::app_error)?;
            println!("Ronde '{}' is {}.", r.name, r.status);
        }
    }
    Ok(())
}

async fn context(store: &Store, org: &str, round: &str) -> anyhow::Result<svc::RoundContext> {
    let org = store
        .find_organisation(org)
        .await
        .map_err(|_| anyhow::anyhow!("Organisatie '{org}' bestaat niet."))?;
    let round = store
        .find_survey_round(org.id, round)
        .await
        .map_err(|_| anyhow::anyhow!("Ronde '{round}' bestaat niet bij {}.", org.name))?;
    Ok(svc::RoundContext { org, round })
}

fn page_error(e: app::AppError) -> anyhow::Error {
    match e.user_message() {
        Some(m) => anyhow::anyhow!(m),
        None => anyhow::anyhow!(e.to_string()),
    }
}

pub async fn run(
    store: &Store,
    cmd: SurveyCommand,
    mail: Option<&app::mail::MailConfig>,
) -> anyhow::Result<()> {
    match cmd {
        SurveyCommand::Invite {
            org,
            round,
            team,
            file,
        } => {
            let ctx = context(store, &org, &round).await?;
            let teams = store.survey_round_teams(ctx.round.id).await?;
            let t = teams
                .iter()
                .find(|t| t.team.eq_ignore_ascii_case(team.trim()))
                .ok_or_else(|| anyhow::anyhow!("Team '{team}' doet niet mee aan deze ronde."))?;
            let bytes = std::fs::read(&file)
                .map_err(|e| anyhow::anyhow!("Kan {} niet lezen: {e}", file.display()))?;
            let text = String::from_utf8(bytes).map_err(|_| {
                anyhow::anyhow!(
                    "{} is geen tekst (UTF-8); sla het op als CSV (UTF-8).",
                    file.display()
                )
            })?;
            let r = app::survey_mail::invite(
                store,
                app::access::Caller::Operator,
                ctx.round.id,
                t.team_id,
                &text,
                mail.is_some(),
            )
            .await
            .map_err(page_error)?;
            println!(
                "{} adressen toegevoegd voor {} ({} stonden al op de lijst, {} dubbel in het bestand).",
                r.added, t.team, r.already_listed, r.repeated_in_list
            );
            match r.job_id {
                Some(id) => println!(
                    "Taak {id} mailt de uitnodigingen (via de taakverwerker: serve of worker)."
                ),
                None if r.added > 0 => {
                    println!("De uitnodigingen gaan uit zodra de ronde opent.")
                }
                None => {}
            }
            Ok(())
        }
        SurveyCommand::Remind { org, round } => {
            let ctx = context(store, &org, &round).await?;
            let r = app::survey_mail::remind(
                store,
                app::access::Caller::Operator,
                ctx.round.id,
                mail.is_some(),
            )
            .await
            .map_err(page_error)?;
            match r.job_id {
                Some(id) => println!(
                    "Taak {id} mailt een herinnering naar {} adressen die nog niet antwoordden.",
                    r.to_remind
                ),
                None => println!("Er is niemand om te herinneren."),
            }
            Ok(())
        }
        SurveyCommand::Round(cmd) => round(store, cmd).await,
        SurveyCommand::Results { org, round, json } => {
            let ctx = context(store, &org, &round).await?;
            let results = svc::analyse_round(store, &ctx).await.map_err(page_error)?;
            let v = svc::results_json(&ctx, &results);
            if json {
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                println!("{} · {}", ctx.org.name, ctx.round.name);
                if ctx.round.import_round {
                    println!("{}", svc::IMPORT_NOTE);
                }
                if results.suppressed {
                    println!(
                        "Te weinig antwoorden om te tonen (minimaal {}).",
                        results.min_group_size
                    );
                } else {
                    println!("Respondenten: {}", v["respondents"]);
                    if let (Some(s), Some(ci)) =
                        (v["open_share"].as_f64(), v["open_share_ci95"].as_array())
                    {
                        println!(
                            "Open voor groter contract: {} (95%-interval {}–{})",
                            ::report::nl::percent(s, 0),
                            ::report::nl::percent(ci[0].as_f64().unwrap_or(0.0), 0),
                            ::report::nl::percent(ci[1].as_f64().unwrap_or(0.0), 0)
                        );
                    }
                }
                for t in v["teams"].as_array().into_iter().flatten() {
                    if t["suppressed"] == true {
                        println!(
                            "  {}: verborgen (te kleine groep, of anders af te leiden)",
                            t["team"].as_str().unwrap_or("")
                        );
                    } else {
                        println!(
                            "  {}: {} respondenten",
                            t["team"].as_str().unwrap_or(""),
                            t["respondents"]
                        );
                    }
                }
            }
            Ok(())
        }
        SurveyCommand::Rates { org, round, json } => {
            let ctx = context(store, &org, &round).await?;
            let rates = svc::response_rates(store, &ctx).await.map_err(page_error)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rates)?);
                return Ok(());
            }
            println!(
                "{} · {} ({})",
                ctx.org.name, ctx.round.name, ctx.round.status
            );
            match (rates.respondents, rates.response_rate) {
                (Some(n), Some(r)) => println!("Respons: {n} ({})", ::report::nl::percent(r, 0)),
                (Some(n), None) => println!("Respons: {n}"),
                _ => println!(
                    "Respons: nog niet te tonen (minder dan {} antwoorden).",
                    rates.min_group_size
                ),
            }
            for t in &rates.teams {
                match (t.suppressed, t.respondents) {
                    (false, Some(n)) => println!("  {}: {n}", t.team),
                    _ => println!("  {}: nog niet te tonen", t.team),
                }
            }
            Ok(())
        }
        SurveyCommand::Codes {
            org,
            round,
            team,
            count,
        } => {
            let ctx = context(store, &org, &round).await?;
            let teams = store.survey_round_teams(ctx.round.id).await?;
            let t = teams
                .iter()
                .find(|t| t.team.eq_ignore_ascii_case(team.trim()))
                .ok_or_else(|| anyhow::anyhow!("Team '{team}' doet niet mee aan deze ronde."))?;
            let codes = svc::create_codes(store, &Actor::cli(), &ctx, &[(t.team_id, count)])
                .await
                .map_err(page_error)?;
            println!("team;code");
            for (team, code) in codes {
                println!("{team};{code}");
            }
            Ok(())
        }
        SurveyCommand::Bench(args) => crate::survey_bench::run(store, args).await,
        SurveyCommand::Import {
            org,
            round,
            dry_run,
            mapping,
            file,
        } => {
            let ctx = context(store, &org, &round).await?;
            let bytes = std::fs::read(&file)
                .map_err(|e| anyhow::anyhow!("Kan {} niet lezen: {e}", file.display()))?;
            let mapping = match mapping {
                Some(p) => Some(serde_json::from_slice(&std::fs::read(&p)?).map_err(|e| {
                    anyhow::anyhow!("De koppeling in {} klopt niet: {e}", p.display())
                })?),
                None => None,
            };
            let report =
                svc::import_responses(store, &Actor::cli(), &ctx, &bytes, mapping, dry_run)
                    .await
                    .map_err(page_error)?;
            for p in &report.mapping_problems {
                eprintln!("Koppeling: {p}");
            }
            for d in &report.diagnostics {
                eprintln!("Regel {} ({}): {} {}", d.row, d.field, d.message, d.fix);
            }
            if dry_run {
                println!("{}", serde_json::to_string_pretty(&report)?);
                return Ok(());
            }
            if report.imported {
                println!(
                    "{} antwoorden ingelezen in '{}' ({} regels gelezen).",
                    report.responses, ctx.round.name, report.rows_read
                );
                Ok(())
            } else {
                anyhow::bail!(
                    "Niets ingelezen: los eerst de meldingen hierboven op ({} regels gelezen, {} goed).",
                    report.rows_read,
                    report.responses
                )
            }
        }
    }
}
