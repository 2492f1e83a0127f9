//! Demo data for Roostersessies (issue 32): a believable four-week roster of a VVT team
//! (Zorggroep De Dinkel, Team Essenhof 1, the demo planner's team), scanned twice (October
//! and November 2026) with a finished design from the later scan; and one scan of a GZ
//! woongroep (Stichting Twentse Horizon, Woongroep Zonnebloem). The rosters have what the
//! scan is for: many short shifts of 4 hours in the morning and evening peaks, some split
//! shifts, a night shift, a flex worker without a contract, and a few short rests.
//! Employee numbers follow the HR demo's, so contract hours come from its snapshot.
//! Everything is generated from a fixed seed.

use chrono::{Datelike, Duration, NaiveDate};
use store::Store;

use crate::access::Caller;
use crate::{AppError, AppResult};

/// A shift of the demo: code, start and end as "HH:MM", break minutes, worked hours.
type Kind = (&'static str, &'static str, &'static str, u32, f64);

const V: Kind = ("V", "07:00", "15:00", 30, 7.5);
const VK: Kind = ("VK", "07:00", "11:00", 0, 4.0);
const D: Kind = ("D", "11:00", "17:00", 30, 5.5);
const L: Kind = ("L", "15:00", "23:00", 30, 7.5);
const LK: Kind = ("LK", "17:00", "21:00", 0, 4.0);
const N: Kind = ("N", "23:00", "07:00", 30, 7.5);

/// A small deterministic generator (no OS randomness in demo data).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

/// The roster as CSV in the usual export layout (one row per shift).
fn roster_csv(
    org_index: usize,
    team: &str,
    start: NaiveDate,
    employees: usize,
    splits_per_day: usize,
    seed: u64,
) -> String {
    let mut rng = Lcg(seed);
    let contract: Vec<f64> = (0..employees)
        .map(|n| [16.0, 20.0, 24.0, 24.0, 28.0, 18.0, 32.0][n % 7])
        .collect();
    let number = |n: usize| format!("{}{n:05}", org_index + 1);
    let mut worked = vec![0.0f64; employees + 1];
    let mut last: Vec<Option<(usize, Kind)>> = vec![None; employees + 1];
    let mut out = String::from(
        "Personeelsnummer;Team;Datum;Begintijd;Eindtijd;Pauze;Dienstcode;Contracturen\n",
    );
    for day in 0..28 {
        let date = start + Duration::days(day);
        let weekend = date.weekday().num_days_from_monday() >= 5;
        let plan: Vec<Kind> = if weekend {
            vec![V, V, VK, VK, L, L, LK, LK, N]
        } else {
            vec![V, V, VK, VK, VK, D, L, L, LK, LK, LK, N]
        };
        let mut today: Vec<usize> = Vec::new();
        let mut mornings: Vec<usize> = Vec::new();
        // Each shift the flex pool fills on a day goes to another flex worker, so no one
        // works two shifts at once.
        let mut flex_today = 0;
        for kind in plan {
            // Nights go to the last two employees; the flex worker (index `employees`)
            // fills what nobody else can.
            let candidates: Vec<usize> = (0..employees)
                .filter(|&e| (kind.0 == "N") == (e + 2 >= employees))
                .filter(|e| !today.contains(e))
                .filter(|&e| match last[e] {
                    Some((d, k)) if d + 1 == day as usize => {
                        k.0 != "N" && !(k.0 == "L" && kind.1 == "07:00")
                    }
                    _ => true,
                })
                .collect();
            let weeks_done = (day as f64 + 1.0) / 7.0;
            let pick = candidates
                .iter()
                .copied()
                .map(|e| {
                    let behind = contract[e] * weeks_done - worked[e];
                    (e, behind + rng.next(3) as f64)
                })
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .filter(|(_, behind)| *behind > -4.0)
                .map_or(employees, |(e, _)| e);
            today.push(pick);
            if kind.0 == "VK" && pick < employees {
                mornings.push(pick);
            }
            worked[pick] += kind.4;
            last[pick] = Some((day as usize, kind));
            let id = if pick == employees {
                flex_today += 1;
                format!("F-{flex_today:04}")
            } else {
                number(pick)
            };
            let hours = if pick == employees {
                String::new()
            } else {
                contract[pick].to_string()
            };
            out.push_str(&format!(
                "{id};{team};{};{};{};{};{};{hours}\n",
                date.format("%d-%m-%Y"),
                kind.1,
                kind.2,
                kind.3,
                kind.0
            ));
        }
        // Split shifts: some morning VK workers come back for an evening LK.
        let offset = rng.next(mornings.len() as u64) as usize;
        for k in 0..splits_per_day.min(mornings.len()) {
            let e = mornings[(offset + k) % mornings.len()];
            out.push_str(&format!(
                "{};{team};{};17:00;20:00;0;LK3;{}\n",
                number(e),
                date.format("%d-%m-%Y"),
                contract[e]
            ));
        }
    }
    out
}

struct DemoRoster {
    org: &'static str,
    org_index: usize,
    team: &'static str,
    employees: usize,
    /// (first Monday, split shifts per day, seed)
    periods: &'static [(i32, u32, u32, usize, u64)],
    design: bool,
}

const ROSTERS: &[DemoRoster] = &[
    DemoRoster {
        org: "Zorggroep De Dinkel",
        org_index: 0,
        team: "Team Essenhof 1",
        employees: 16,
        periods: &[(2026, 10, 5, 2, 11), (2026, 11, 2, 1, 12)],
        design: true,
    },
    DemoRoster {
        org: "Stichting Twentse Horizon",
        org_index: 1,
        team: "Woongroep Zonnebloem",
        employees: 14,
        periods: &[(2026, 11, 2, 1, 21)],
        design: false,
    },
];

/// Loads the demo rosters into the organisations and teams above that exist and have no
/// roster scan yet.
pub async fn load(store: &Store) -> AppResult<()> {
    for d in ROSTERS {
        let Ok(org) = store.find_organisation(d.org).await else {
            continue;
        };
        if !store.roster_scans(org.id).await?.is_empty() {
            continue;
        }
        let Some(team) = store
            .teams(org.id)
            .await?
            .into_iter()
            .find(|t| t.name == d.team)
        else {
            continue;
        };
        let mut last_scan = None;
        for &(y, m, day, splits, seed) in d.periods {
            let start = NaiveDate::from_ymd_opt(y, m, day)
                .ok_or_else(|| AppError::internal("demo date"))?;
            let csv = roster_csv(d.org_index, &team.name, start, d.employees, splits, seed);
            let name = format!(
                "rooster-{}-{}.csv",
                team.name.to_lowercase().replace(' ', "-"),
                start
            );
            let up = crate::roster::new_upload(
                store,
                Caller::Operator,
                org.id,
                team.id,
                &name,
                csv.as_bytes(),
            )
            .await?;
            let key = crate::uploads::UploadKey::random();
            let scan =
                crate::roster::store_upload(store, &key, Caller::Operator, &org, &up).await?;
            last_scan = Some(scan.id);
        }
        if d.design
            && let Some(scan) = last_scan
        {
            crate::roster::design_now(store, org.id, scan, 0, 10.0).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `crates/roster/tests/data/rooster-vvt-4weken.csv` is this generator's November
    /// roster of Team Essenhof 1 (the quality-bar sample of docs/roster.md); with
    /// `URENWINST_WRITE_SAMPLES=1` the test writes it, else it checks the file is current.
    #[test]
    fn the_four_week_sample_roster_is_the_demo_generators() {
        let csv = roster_csv(
            0,
            "Team Essenhof 1",
            NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            16,
            1,
            12,
        );
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../roster/tests/data/rooster-vvt-4weken.csv"
        );
        if std::env::var_os("URENWINST_WRITE_SAMPLES").is_some() {
            std::fs::write(path, &csv).unwrap();
        }
        assert_eq!(std::fs::read_to_string(path).unwrap(), csv);
    }

    #[test]
    fn the_demo_roster_has_short_and_split_shifts_and_reads_as_an_export() {
        let csv = roster_csv(
            0,
            "Team Essenhof 1",
            NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(),
            16,
            2,
            11,
        );
        let export = roster::scan::read_export(csv.as_bytes(), roster::scan::FileKind::Csv, b"k")
            .expect("the demo roster reads");
        let report = roster::scan::scan(&export, &roster::scan::ScanOptions::default());
        let t = &report.teams[0];
        assert_eq!(report.weeks, 4.0);
        assert!(t.short_shift_share > 0.3, "{}", t.short_shift_share);
        assert!(t.split_shifts > 20, "{}", t.split_shifts);
        assert!(t.mix.night >= 28);
        assert!(
            t.hours_without_contract > 0.0,
            "the flex worker has no contract"
        );
        assert_eq!(
            csv,
            roster_csv(
                0,
                "Team Essenhof 1",
                NaiveDate::from_ymd_opt(2026, 10, 5).unwrap(),
                16,
                2,
                11
            )
        );
    }
}
