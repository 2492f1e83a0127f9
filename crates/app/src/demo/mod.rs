//! Demo data: the fictional region "Twente" with eight organisations across subsectors,
//! their locations and teams, and an account of every role. Passwords are generated on
//! each load and returned so the caller can print them; they are never fixed.

use store::{Actor, NewUser, OrganisationInput, Phase, Role, Store, Subsector};

use crate::{AppResult, auth};

pub mod impact;
pub mod network;
pub mod nulmeting;
pub mod programme;
pub mod region;
pub mod roster;
pub mod survey;
pub mod value_case;

/// One organisation of the demo region.
struct DemoOrg {
    name: &'static str,
    subsector: Subsector,
    phase: Phase,
    fulltime: f64,
    locations: &'static [(&'static str, &'static [&'static str])],
    domain: &'static str,
}

const ORGS: &[DemoOrg] = &[
    DemoOrg {
        name: "Zorggroep De Dinkel",
        subsector: Subsector::Vvt,
        phase: Phase::Pilot,
        fulltime: 36.0,
        locations: &[
            (
                "Oldenzaal, De Essenhof",
                &[
                    "Team Essenhof 1",
                    "Team Essenhof 2",
                    "Team Kleinschalig Wonen",
                ],
            ),
            (
                "Losser, Het Hooge Veld",
                &["Team Hooge Veld", "Team Revalidatie"],
            ),
            (
                "Wijkverpleging Noordoost",
                &["Wijkteam Denekamp", "Wijkteam Ootmarsum"],
            ),
        ],
        domain: "dedinkel.example",
    },
    DemoOrg {
        name: "Stichting Twentse Horizon",
        subsector: Subsector::Gz,
        phase: Phase::Pilot,
        fulltime: 36.0,
        locations: &[
            (
                "Hengelo, De Boortoren",
                &["Woongroep Zonnebloem", "Woongroep Klaproos"],
            ),
            (
                "Borne, Dagbesteding",
                &["Dagbesteding Atelier", "Ambulant team"],
            ),
        ],
        domain: "twentsehorizon.example",
    },
    DemoOrg {
        name: "GGZ Regge en Vecht",
        subsector: Subsector::Ggz,
        phase: Phase::Ontwerp,
        fulltime: 36.0,
        locations: &[
            ("Almelo, Kliniek", &["Kliniek Acuut", "Kliniek Herstel"]),
            (
                "Enschede, Ambulant",
                &["FACT-team Enschede Zuid", "FACT-team Enschede Noord"],
            ),
        ],
        domain: "ggzreggevecht.example",
    },
    DemoOrg {
        name: "Ziekenhuis Twente Oost",
        subsector: Subsector::Ziekenhuis,
        phase: Phase::Ontwerp,
        fulltime: 36.0,
        locations: &[(
            "Enschede, Hoofdlocatie",
            &[
                "Verpleegafdeling Interne",
                "Verpleegafdeling Chirurgie",
                "Spoedeisende Hulp",
                "Dagbehandeling",
            ],
        )],
        domain: "zto.example",
    },
    DemoOrg {
        name: "Jeugdzorg De Berkel",
        subsector: Subsector::Jeugdzorg,
        phase: Phase::Opschalen,
        fulltime: 36.0,
        locations: &[(
            "Enschede",
            &["Gezinshuizen", "Ambulant jeugdteam", "Crisisopvang"],
        )],
        domain: "deberkel.example",
    },
    DemoOrg {
        name: "Welzijn Twente Midden",
        subsector: Subsector::SociaalWerk,
        phase: Phase::Opschalen,
        fulltime: 36.0,
        locations: &[("Hengelo", &["Buurtteam Hengelo", "Mantelzorgsteunpunt"])],
        domain: "welzijntm.example",
    },
    DemoOrg {
        name: "Kinderopvang Het Kwetternest",
        subsector: Subsector::Kinderopvang,
        phase: Phase::Ontwerp,
        fulltime: 36.0,
        locations: &[
            ("Almelo, De Riet", &["Dagopvang De Riet", "BSO De Riet"]),
            ("Vriezenveen", &["Dagopvang Vriezenveen"]),
        ],
        domain: "kwetternest.example",
    },
    DemoOrg {
        name: "Huisartsenzorg Twente Samen",
        subsector: Subsector::Huisartsenzorg,
        phase: Phase::Pilot,
        fulltime: 36.0,
        locations: &[(
            "Huisartsenpost Enschede",
            &["Triage", "Praktijkondersteuning"],
        )],
        domain: "htsamen.example",
    },
];

/// Fictional names per organisation: HR adviser, team manager, planner.
const PEOPLE: &[[&str; 3]] = &[
    ["Hanneke Oude Luttikhuis", "Mark Nijhuis", "Priya Ramdin"],
    ["Ingrid Lansink", "Youssef El Amrani", "Sanne Kamphuis"],
    ["Gerrit Wolters", "Fatma Yilmaz", "Jeroen Bekhuis"],
    ["Marloes ter Horst", "Bas Scholten", "Ilse Hofman"],
    ["Anouk Brinkhuis", "Daan Wessels", "Lotte Overbeek"],
    ["Rik Stevelink", "Esther Haverkamp", "Mehmet Kaya"],
    ["Judith Pierik", "Tim Olthof", "Femke Huls"],
    ["Wendy Wiggers", "Niels Brouwer", "Sevda Aydin"],
];

/// A demo account with its generated password, to print once.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub email: String,
    pub role: Role,
    pub organisation: Option<String>,
    pub password: String,
}

/// What the demo loaded.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub organisations: usize,
    pub teams: usize,
    pub accounts: Vec<DemoAccount>,
}

/// Loads the demo region into an empty database. Returns `None` (and changes nothing)
/// when the database already has accounts.
pub async fn load(store: &Store) -> AppResult<Option<DemoSummary>> {
    if store.user_count().await? > 0 {
        return Ok(None);
    }
    let actor = Actor {
        id: None,
        label: "demo".into(),
    };
    store.set_setting("region_name", "Twente").await?;
    let mut summary = DemoSummary::default();
    let mut add = |email: String, role: Role, org: Option<&str>| {
        let password = auth::generate_password();
        summary.accounts.push(DemoAccount {
            email,
            role,
            organisation: org.map(str::to_string),
            password: password.clone(),
        });
        password
    };
    let password = add(
        "programma@urenwinst.example".into(),
        Role::ProgrammeAdmin,
        None,
    );
    store
        .create_user(&NewUser {
            email: "programma@urenwinst.example".into(),
            name: "Petra Programmaleider".into(),
            role: Role::ProgrammeAdmin,
            org_id: None,
            team_ids: vec![],
            password_hash: Some(auth::hash_password(&password).await?),
        })
        .await?;
    let mut staged = Vec::new();
    for demo in ORGS {
        let mut input = OrganisationInput::new(demo.name, demo.subsector);
        input.phase = demo.phase;
        input.fulltime_hours = demo.fulltime;
        let org = store.create_organisation(&input).await?;
        store
            .audit(
                &actor,
                Some(org.id),
                "organisation.create",
                &org.name,
                "demo",
            )
            .await?;
        let mut team_ids = Vec::new();
        for (loc_name, teams) in demo.locations {
            let loc = store.create_location(org.id, loc_name).await?;
            for team in *teams {
                team_ids.push(store.create_team(org.id, team, Some(loc.id)).await?.id);
            }
        }
        staged.push((demo, org, team_ids));
    }
    for (i, (demo, org, team_ids)) in staged.iter().enumerate() {
        let [hr_name, manager_name, planner_name] = PEOPLE[i % PEOPLE.len()];
        summary.organisations += 1;
        summary.teams += team_ids.len();
        let people = [
            ("hr", hr_name, Role::OrgAdmin, vec![]),
            (
                "manager",
                manager_name,
                Role::Manager,
                team_ids.iter().take(2).copied().collect(),
            ),
            (
                "planner",
                planner_name,
                Role::Planner,
                team_ids.iter().take(1).copied().collect(),
            ),
        ];
        for (local, name, role, teams) in people {
            let email = format!("{local}@{}", demo.domain);
            let password = add(email.clone(), role, Some(demo.name));
            store
                .create_user(&NewUser {
                    email,
                    name: name.into(),
                    role,
                    org_id: Some(org.id),
                    team_ids: teams,
                    password_hash: Some(auth::hash_password(&password).await?),
                })
                .await?;
        }
    }
    survey::load(store).await?;
    nulmeting::load(store).await?;
    summary.organisations += region::load(store).await?;
    // A regio-lezer for the funders and the network: Twente's aggregates, nothing else.
    let email = "regio@urenwinst.example";
    let password = add(email.into(), Role::RegioLezer, None);
    let reader = store
        .create_user(&NewUser {
            email: email.into(),
            name: "Rob Regiofonds".into(),
            role: Role::RegioLezer,
            org_id: None,
            team_ids: vec![],
            password_hash: Some(auth::hash_password(&password).await?),
        })
        .await?;
    store
        .grant_region(reader.id, store.default_region().await?.id)
        .await?;
    value_case::load(store).await?;
    network::load(store).await?;
    impact::load(store).await?;
    programme::load(store).await?;
    roster::load(store).await?;
    Ok(Some(summary))
}
