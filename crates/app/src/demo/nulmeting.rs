//! Demo data for the HR baseline: for several organisations of the demo region two HR
//! snapshots (a baseline and one six months later in which part of the part-time contracts
//! grew) and 18 months of PNIL costs. Everything is generated from a fixed seed: the same
//! database gets the same figures. Employees are fictional, pseudonymous and nameless.

use chrono::NaiveDate;
use hr::pnil::{PnilEntry, PnilKind, YearMonth};
use hr::{AgeBand, ContractKind, Employee};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use store::{NewHrSnapshot, Store};

use crate::{AppError, AppResult};

/// Organisations that get HR data, with their headcount and the functions (with FWG scale)
/// their staff work in.
/// (organisation name, headcount, [(function, FWG scale)]).
type DemoOrg = (&'static str, usize, &'static [(&'static str, &'static str)]);

const ORGS: &[DemoOrg] = &[
    (
        "Zorggroep De Dinkel",
        140,
        &[
            ("Helpende", "FWG 25"),
            ("Verzorgende IG", "FWG 35"),
            ("Verpleegkundige", "FWG 45"),
            ("Zorgassistent", "FWG 20"),
            ("Wijkverpleegkundige", "FWG 50"),
        ],
    ),
    (
        "Stichting Twentse Horizon",
        90,
        &[
            ("Begeleider", "FWG 40"),
            ("Persoonlijk begeleider", "FWG 45"),
            ("Activiteitenbegeleider", "FWG 35"),
            ("Groepshulp", "FWG 25"),
        ],
    ),
    (
        "GGZ Regge en Vecht",
        80,
        &[
            ("Verpleegkundige GGZ", "FWG 50"),
            ("Sociaal-psychiatrisch verpleegkundige", "FWG 55"),
            ("Ervaringsdeskundige", "FWG 40"),
            ("Begeleider", "FWG 40"),
        ],
    ),
    (
        "Jeugdzorg De Berkel",
        60,
        &[
            ("Jeugdzorgwerker", "FWG 45"),
            ("Gezinshuisouder", "FWG 45"),
            ("Groepsleider", "FWG 40"),
        ],
    ),
];

const HOURS: &[u32] = &[
    8, 12, 12, 16, 16, 18, 20, 20, 20, 22, 24, 24, 24, 24, 26, 28, 28, 28, 30, 32, 32, 32, 36, 36,
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

fn kind(rng: &mut StdRng) -> ContractKind {
    match rng.random_range(0..100) {
        0..75 => ContractKind::Vast,
        75..90 => ContractKind::Tijdelijk,
        90..96 => ContractKind::Oproep,
        _ => ContractKind::Flex,
    }
}

/// Loads the HR demo data into the organisations above that exist and have no snapshot.
pub async fn load(store: &Store) -> AppResult<()> {
    let baseline = NaiveDate::from_ymd_opt(2025, 1, 1).expect("date");
    let follow_up = NaiveDate::from_ymd_opt(2025, 7, 1).expect("date");
    for (i, (name, headcount, functions)) in ORGS.iter().enumerate() {
        let Ok(org) = store.find_organisation(name).await else {
            continue;
        };
        if !store.hr_snapshots(org.id).await?.is_empty() {
            continue;
        }
        let teams: Vec<String> = store
            .teams(org.id)
            .await?
            .into_iter()
            .map(|t| t.name)
            .collect();
        if teams.is_empty() {
            continue;
        }
        let key = crate::nulmeting::pseudonymiser(store, org.id)
            .await
            .map_err(|e| AppError::internal(format!("{e:?}")))?;
        let ft = crate::nulmeting::full_time_hours(&org);
        let mut rng = StdRng::seed_from_u64(0x5eed_0000 + i as u64);
        let employee = |rng: &mut StdRng, n: usize, hours: u32| {
            let (function, scale) = *pick(rng, functions);
            let kind = kind(rng);
            let hours = if kind == ContractKind::Oproep {
                0
            } else {
                hours
            };
            let start_year = rng.random_range(1995..2025);
            Employee {
                pseudonym: key.pseudonym(&format!("{}{n:05}", i + 1)),
                team: Some(pick(rng, &teams).clone()),
                function: Some(function.to_string()),
                fwg_scale: Some(scale.to_string()),
                contract_hours: Decimal::from(hours),
                part_time_factor: hr::fte(Decimal::from(hours), ft),
                age_band: Some(*pick(rng, &AgeBand::ALL)),
                start_date: NaiveDate::from_ymd_opt(start_year, rng.random_range(1..13), 1),
                end_date: None,
                contract_kind: Some(kind),
                source_rows: Vec::new(),
            }
        };
        let before: Vec<Employee> = (0..*headcount)
            .map(|n| {
                let h = *pick(&mut rng, HOURS);
                employee(&mut rng, n, h)
            })
            .collect();
        // Six months later: about a fifth of the contracts under 28 hours grew by 2 to 8
        // hours, a few shrank, some people left and some joined.
        let mut after = Vec::new();
        for e in &before {
            let roll = rng.random_range(0..100);
            if roll < 4 {
                continue; // left
            }
            let mut e = e.clone();
            let h = e.contract_hours;
            if h > Decimal::ZERO && h < Decimal::from(28) && roll < 26 {
                e.contract_hours = (h + Decimal::from(rng.random_range(1..5) * 2)).min(ft);
            } else if h > Decimal::from(16) && roll > 97 {
                e.contract_hours = h - Decimal::from(4);
            }
            e.part_time_factor = hr::fte(e.contract_hours, ft);
            after.push(e);
        }
        for n in 0..(headcount / 20) {
            let h = *pick(&mut rng, HOURS);
            let mut e = employee(&mut rng, 50_000 + n, h);
            e.start_date = NaiveDate::from_ymd_opt(2025, rng.random_range(2..7), 1);
            after.push(e);
        }
        after.sort_by(|a, b| a.pseudonym.cmp(&b.pseudonym));
        for (date, emps, file) in [
            (baseline, &before, "demo-hr-2025-01.csv"),
            (follow_up, &after, "demo-hr-2025-07.csv"),
        ] {
            store
                .insert_hr_snapshot(
                    org.id,
                    &NewHrSnapshot {
                        peildatum: date,
                        file_name: file,
                        rows_read: emps.len(),
                        skipped: 0,
                        employees: emps,
                    },
                )
                .await?;
        }
        // PNIL: 18 months, spend falling once contracts grow (from month 13 on).
        let mut entries = Vec::new();
        for m in 0..18i64 {
            let month = YearMonth::from_index(YearMonth::new(2024, 1).expect("month").index() + m);
            let trend = if m < 12 { 100 } else { 100 - (m - 11) * 8 };
            for team in teams.iter().take(3) {
                for (k, base) in [(PnilKind::Zzp, 900_000_i64), (PnilKind::Uitzend, 650_000)] {
                    let noise = rng.random_range(85..116);
                    let cents = base * trend * noise / 10_000 * (*headcount as i64) / 100;
                    entries.push(PnilEntry {
                        month,
                        team: Some(team.clone()),
                        kind: Some(k),
                        amount_cents: cents,
                        // About € 75 an hour all-in.
                        hours: Some(Decimal::from(cents / 7_500)),
                        source_row: entries.len() as u32 + 2,
                    });
                }
            }
        }
        store.replace_pnil_months(org.id, &entries).await?;
        // Fictional demo figure: average wage cost of one own FTE per year.
        store.set_hr_wage_cost(org.id, Some(5_800_000)).await?;
    }
    Ok(())
}
