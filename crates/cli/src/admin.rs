//! `org …`, `user …` and the demo loader: scriptable administration, audited as
//! "command line".

use clap::Subcommand;
use store::{Actor, NewUser, OrganisationInput, Phase, Role, Store, Subsector};

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
    },
    /// List organisations.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
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
        /// programme_admin, org_admin, manager or planner.
        #[arg(long)]
        role: String,
        /// Organisation (name or id); not for a programme admin.
        #[arg(long)]
        org: Option<String>,
        /// Print a one-time invitation link instead of a generated password.
        #[arg(long)]
        invite: bool,
    },
    /// Give an account a new generated password and print it.
    ResetPassword {
        #[arg(long)]
        email: String,
    },
}

pub async fn load_demo(store: &Store) -> anyhow::Result<()> {
    match web::demo::load(store).await? {
        None => println!("De database heeft al gebruikers; demo-gegevens niet geladen."),
        Some(summary) => {
            println!(
                "Demo-regio Twente geladen: {} organisaties, {} teams. Inloggegevens (alleen nu getoond):",
                summary.organisations, summary.teams
            );
            for a in &summary.accounts {
                println!(
                    "  {:<34} {:<22} {:<26} {}",
                    a.email,
                    a.role.label(),
                    a.organisation.as_deref().unwrap_or("hele regio"),
                    a.password
                );
            }
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
        } => {
            let subsector: Subsector = subsector.parse()?;
            let mut input = OrganisationInput::new(&name, subsector);
            input.fulltime_hours = fulltime_hours;
            input.min_group_size = min_group_size;
            input.phase = phase.parse::<Phase>()?;
            let org = store.create_organisation(&input).await?;
            store
                .audit(
                    &Actor::cli(),
                    Some(org.id),
                    "organisation.create",
                    &org.name,
                    &web::admin::describe_org(&org),
                )
                .await?;
            println!("{}\t{}", org.id, org.name);
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
                        web::format::hours(o.fulltime_hours),
                        o.min_group_size,
                        o.phase
                    );
                }
            }
        }
    }
    Ok(())
}

pub async fn user(store: &Store, cmd: UserCommand, public_url: &str) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Add {
            email,
            name,
            role,
            org,
            invite,
        } => {
            let role: Role = role.parse()?;
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
            let password = (!invite).then(web::auth::generate_password);
            let hash = match &password {
                Some(p) => Some(web::auth::hash_password(p)?),
                None => None,
            };
            let user = store
                .create_user(&NewUser {
                    email,
                    name,
                    role,
                    org_id,
                    team_ids: vec![],
                    password_hash: hash,
                })
                .await?;
            store
                .audit(
                    &Actor::cli(),
                    user.org_id,
                    "user.create",
                    &user.email,
                    &format!("rol={}", user.role),
                )
                .await?;
            match password {
                Some(p) => println!("{}\t{}", user.email, p),
                None => {
                    let token = store::new_secret();
                    store
                        .create_user_token(
                            user.id,
                            "invite",
                            &store::hash_secret(&token),
                            store::now() + web::admin::LINK_HOURS * 3600,
                        )
                        .await?;
                    println!(
                        "{}\t{}/wachtwoord/{token}",
                        user.email,
                        public_url.trim_end_matches('/')
                    );
                }
            }
        }
        UserCommand::ResetPassword { email } => {
            let user = store
                .user_by_email(&email)
                .await
                .map_err(|_| anyhow::anyhow!("er is geen account met e-mailadres '{email}'"))?;
            let password = web::auth::generate_password();
            store
                .set_password_hash(user.id, &web::auth::hash_password(&password)?)
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
