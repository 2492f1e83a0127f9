//! `org …`, `user …` and the demo loader: scriptable administration, audited as
//! "command line".

use app::access::Caller;
use clap::Subcommand;
use report::nl;
use store::{Actor, OrganisationInput, Phase, Role, Store, Subsector};

#[derive(Subcommand)]
pub enum OrgCommand {
    /// Add an organisation.
    Add {
        /// Name of the organisation.
        #[arg(long)]
        name: String,
        /// vvt, gz, ggz, ziekenhuis, jeugdzorg, sociaal_werk, kinderopvang,
        /// huisartsenzorg or thuisondersteuning.
        #[arg(long)]
        subsector: String,
        /// Full-time hours per week.
        #[arg(long, default_value_t = 36.0)]
        fulltime_hours: f64,
        /// Minimum group size for anonymity.
        #[arg(long, default_value_t = 5)]
        min_group_size: i64,
        /// Programme phase: ontwerp, pilot or opschalen.
        #[arg(long, default_value = "ontwerp")]
        phase: String,
        /// Region (name); default the first region.
        #[arg(long)]
        region: Option<String>,
    },
    /// List organisations.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Export all data of an organisation as a ZIP of CSV/JSON files with a README.txt
    /// (AVG right of access and portability; audited as "command line").
    Export {
        /// Organisation (name or id).
        #[arg(long)]
        org: String,
        /// The ZIP file to write (refused when it exists).
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Subcommand)]
pub enum TeamCommand {
    /// Add a team to an organisation and print its id.
    Add {
        /// Organisation (name or id).
        #[arg(long)]
        org: String,
        /// Name of the team.
        #[arg(long)]
        name: String,
        /// Location (name or id) of the organisation the team works at.
        #[arg(long)]
        location: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add an account and print its generated password (or an invitation link).
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// programme_admin, org_admin, manager, planner or regio_lezer.
        #[arg(long)]
        role: String,
        /// Organisation (name or id); not for a programme admin or a regio-lezer.
        #[arg(long)]
        org: Option<String>,
        /// Region (name) whose aggregates the account may see; needed for a regio-lezer
        /// (who sees nothing else), optional for a programme admin (limits them to it).
        #[arg(long)]
        region: Option<String>,
        /// A one-time invitation link instead of a generated password: mailed to the
        /// account when SMTP is configured (--smtp-host), else printed.
        #[arg(long)]
        invite: bool,
    },
    /// Without SMTP: give an account a new generated password and print it. With SMTP
    /// (--smtp-host): mail the account a one-time link to choose a new password.
    ResetPassword {
        #[arg(long)]
        email: String,
    },
}

/// Prints how a one-time link travelled: mailed (a sentence), or the link itself
/// (`email<TAB>link`, as without SMTP) with the reason on stderr when the mail failed.
fn print_delivery(delivery: &app::users::Delivery, purpose: app::users::LinkPurpose, email: &str) {
    match delivery.link() {
        None => println!("{}", delivery.message(purpose, email)),
        Some(link) => {
            if matches!(delivery, app::users::Delivery::MailFailed { .. }) {
                eprintln!("{}", delivery.message(purpose, email));
            }
            println!("{email}\t{link}");
        }
    }
}

pub async fn load_demo(store: &Store) -> anyhow::Result<()> {
    match app::demo::load(store).await? {
        None => println!("De database heeft al gebruikers; demo-gegevens niet geladen."),
        Some(summary) => {
            println!(
                "Demo-regio Twente geladen: {} organisaties, {} teams. Inloggegevens (alleen nu getoond):",
                summary.organisations, summary.teams
            );
            print!("{}", demo_table(&summary.accounts));
        }
    }
    Ok(())
}

/// The demo's accounts as a table with a header, each column as wide as its longest
/// value (counted in characters, so "ë" and "é" do not shift a row).
fn demo_table(accounts: &[app::demo::DemoAccount]) -> String {
    let rows: Vec<[String; 4]> = std::iter::once([
        "E-mailadres".to_string(),
        "Rol".to_string(),
        "Organisatie".to_string(),
        "Wachtwoord".to_string(),
    ])
    .chain(accounts.iter().map(|a| {
        [
            a.email.clone(),
            a.role.label().to_string(),
            a.organisation
                .clone()
                .unwrap_or_else(|| "hele regio".to_string()),
            a.password.clone(),
        ]
    }))
    .collect();
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1, w2) = (width(0), width(1), width(2));
    let mut out = String::new();
    for r in &rows {
        out.push_str(&format!(
            "  {:<w0$}  {:<w1$}  {:<w2$}  {}\n",
            r[0], r[1], r[2], r[3]
        ));
    }
    out
}

/// The organisation `key` names (id or name), with a Dutch message when there is none.
pub async fn organisation(store: &Store, key: &str) -> anyhow::Result<store::Organisation> {
    store
        .find_organisation(key)
        .await
        .map_err(|_| anyhow::anyhow!("Organisatie '{key}' bestaat niet."))
}

/// An application error as a message for the terminal.
pub fn app_error(e: app::AppError) -> anyhow::Error {
    match e.user_message() {
        Some(m) => anyhow::anyhow!(m),
        None => anyhow::anyhow!(e.to_string()),
    }
}

pub async fn team(store: &Store, cmd: TeamCommand) -> anyhow::Result<()> {
    match cmd {
        TeamCommand::Add {
            org,
            name,
            location,
        } => {
            let org = organisation(store, &org).await?;
            let location_id = match location {
                None => None,
                Some(key) => {
                    let key = key.trim();
                    let loc = store
                        .locations(org.id)
                        .await?
                        .into_iter()
                        .find(|l| l.id.to_string() == key || l.name.eq_ignore_ascii_case(key))
                        .ok_or_else(|| {
                            anyhow::anyhow!("Locatie '{key}' bestaat niet bij {}.", org.name)
                        })?;
                    Some(loc.id)
                }
            };
            let team = app::orgs::create_team(store, Caller::Operator, org.id, &name, location_id)
                .await
                .map_err(app_error)?;
            println!("{}\t{}", team.id, team.name);
        }
    }
    Ok(())
}

pub async fn org(store: &Store, cmd: OrgCommand) -> anyhow::Result<()> {
    match cmd {
        OrgCommand::Add {
            name,
            subsector,
            fulltime_hours,
            min_group_size,
            phase,
            region,
        } => {
            let subsector: Subsector = subsector.parse()?;
            let mut input = OrganisationInput::new(&name, subsector);
            input.fulltime_hours = fulltime_hours;
            input.min_group_size = min_group_size;
            input.phase = phase.parse::<Phase>()?;
            let org = app::orgs::create_organisation(store, Caller::Operator, &input)
                .await
                .map_err(app_error)?;
            if let Some(region) = region {
                app::region::set_organisation_region(store, &Actor::cli(), org.id, &region)
                    .await
                    .map_err(app_error)?;
            }
            println!("{}\t{}", org.id, org.name);
        }
        OrgCommand::Export { org, out } => {
            let org = organisation(store, &org).await?;
            // The file first, so an export is made (and audited) only when it can be kept.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&out)
                .map_err(|e| anyhow::anyhow!("{} kan niet worden gemaakt: {e}", out.display()))?;
            let bytes =
                match app::export::organisation_export(store, Caller::Operator, org.id).await {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        drop(file);
                        let _ = std::fs::remove_file(&out);
                        return Err(app_error(e));
                    }
                };
            std::io::Write::write_all(&mut file, &bytes)?;
            println!(
                "Alle gegevens van {} staan in {} ({} bytes).",
                org.name,
                out.display(),
                nl::integer(bytes.len() as i64)
            );
        }
        OrgCommand::List { json } => {
            let orgs = store.organisations().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&orgs)?);
            } else {
                println!("id\tnaam\tsubsector\tvoltijd\tmin. groep\tfase");
                for o in orgs {
                    println!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        o.id,
                        o.name,
                        o.subsector,
                        nl::hours(o.fulltime_hours),
                        o.min_group_size,
                        o.phase
                    );
                }
            }
        }
    }
    Ok(())
}

pub async fn user(
    store: &Store,
    cmd: UserCommand,
    public_url: &str,
    mail: Option<&app::mail::MailConfig>,
) -> anyhow::Result<()> {
    let links = app::users::LinkSettings::new(public_url, mail);
    match cmd {
        UserCommand::Add {
            email,
            name,
            role,
            org,
            region,
            invite,
        } => {
            let role: Role = role.parse()?;
            if role == Role::RegioLezer && region.is_none() {
                anyhow::bail!("Een regio-lezer heeft een regio nodig: geef --region NAAM.");
            }
            if let Some(name) = &region {
                app::region::find_region(store, name)
                    .await
                    .map_err(app_error)?;
            }
            let org_id = match org {
                Some(o) => Some(
                    store
                        .find_organisation(&o)
                        .await
                        .map_err(|_| anyhow::anyhow!("organisatie '{o}' bestaat niet"))?
                        .id,
                ),
                None => None,
            };
            let password = (!invite).then(app::auth::generate_password);
            let created = app::users::create_user(
                store,
                Caller::Operator,
                &app::users::UserInput {
                    email,
                    name,
                    role,
                    org_id,
                    team_ids: vec![],
                    password: password.clone(),
                },
                links,
            )
            .await
            .map_err(app_error)?;
            if let Some(name) = &region {
                app::region::grant_region(store, &Actor::cli(), created.user.id, name)
                    .await
                    .map_err(app_error)?;
            }
            match (password, created.invitation) {
                (Some(p), _) => println!("{}\t{}", created.user.email, p),
                (None, Some(delivery)) => print_delivery(
                    &delivery,
                    app::users::LinkPurpose::Invite,
                    &created.user.email,
                ),
                (None, None) => unreachable!("an account without a password gets a link"),
            }
        }
        UserCommand::ResetPassword { email } => {
            let user = store
                .user_by_email(&email)
                .await
                .map_err(|_| anyhow::anyhow!("er is geen account met e-mailadres '{email}'"))?;
            if mail.is_some() {
                let (user, delivery) =
                    app::users::reset_password_link(store, Caller::Operator, user.id, links)
                        .await
                        .map_err(app_error)?;
                print_delivery(&delivery, app::users::LinkPurpose::Reset, &user.email);
                return Ok(());
            }
            let password = app::auth::generate_password();
            store
                .set_password_hash(user.id, &app::auth::hash_password(&password).await?)
                .await?;
            store
                .audit(
                    &Actor::cli(),
                    user.org_id,
                    "user.reset_password",
                    &user.email,
                    "",
                )
                .await?;
            println!("{}\t{}", user.email, password);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 33: the table was misaligned for long organisation names.
    #[test]
    fn the_demo_password_table_stays_aligned_for_long_names() {
        let account = |email: &str, org: Option<&str>| app::demo::DemoAccount {
            email: email.into(),
            role: store::Role::OrgAdmin,
            organisation: org.map(str::to_string),
            password: "geheim-wachtwoord".into(),
        };
        let table = demo_table(&[
            account("beheer@programma.example", None),
            account(
                "hr@een-heel-lange-naam-van-een-organisatie.example",
                Some("Stichting Jeugdzorg en Gezinsbegeleiding Twente-Oost én Achterhoek"),
            ),
            account("a@b.example", Some("Zorg")),
        ]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 4);
        let column = |line: &str| line.chars().count() - "geheim-wachtwoord".chars().count();
        let at = column(lines[1]);
        for line in &lines[1..] {
            assert!(line.ends_with("geheim-wachtwoord"), "{line}");
            assert_eq!(column(line), at, "{table}");
        }
        assert!(lines[0].contains("Wachtwoord"));
        assert_eq!(
            lines[0].find("Wachtwoord"),
            lines[1].find("geheim"),
            "{table}"
        );
    }
}
