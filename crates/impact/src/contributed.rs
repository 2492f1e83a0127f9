//! "What contributed": which interventions of the organisation's plan were active in the
//! teams where contract hours grew, between the baseline snapshot and the latest.
//!
//! This shows co-occurrence, not cause: the page and the report say so.
//!
//! A team counts the employees who are in the team in **both** snapshots (the same people
//! a team goal compares, so a team's figure here equals what a team goal of the same
//! period shows). A team is shown only when it has at least the minimum group size (k) in
//! both snapshots. The organisation's total is published beside it (`contracts`), so the
//! rest — employees of hidden teams, people who moved between teams, people without a team
//! — must be 0 or at least k people who are in both snapshots; otherwise the smallest
//! shown team is hidden too, until it is (complementary suppression). Interventions are
//! summed only over shown teams.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use hr::Employee;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::measure::Data;

/// An intervention the organisation ran ("bezig" or "afgerond" in its plan).
#[derive(Debug, Clone, PartialEq)]
pub struct InterventionFact {
    pub code: String,
    pub name: String,
    /// Team names; empty: the whole organisation.
    pub teams: Vec<String>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
}

impl InterventionFact {
    /// Whether it ran at some time between `from` and `to` (an open start or end counts
    /// as "before" and "still running").
    pub fn active_between(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.starts_on.is_none_or(|s| s <= to) && self.ends_on.is_none_or(|e| e >= from)
    }

    fn applies_to(&self, team: &str) -> bool {
        self.teams.is_empty() || self.teams.iter().any(|t| same(t, team))
    }
}

/// One shown team: its stayers, how many of them grew, and the hours they added.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamContribution {
    pub team: String,
    /// Employees in the team in both snapshots.
    pub employees: usize,
    pub grown: usize,
    pub hours_added: f64,
    /// Codes of the interventions active in the team in the period.
    pub interventions: Vec<String>,
}

/// Shown teams taken together: those where an intervention was active, or those where
/// none was.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupContribution {
    /// The intervention's code; `None` for "no intervention".
    pub code: Option<String>,
    pub name: String,
    pub teams: usize,
    pub employees: usize,
    pub grown: usize,
    pub hours_added: f64,
    /// Hours added per 100 employees of these teams: comparable across groups of teams.
    pub hours_per_100: f64,
}

/// The answer to "what contributed" (JSON `contributed`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contributions {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Shown teams, most hours added first.
    pub teams: Vec<TeamContribution>,
    /// Teams not shown (below k, or hidden so that no small rest can be derived).
    pub hidden_teams: usize,
    /// Per intervention active in the period: the shown teams where it was active.
    pub interventions: Vec<GroupContribution>,
    /// The shown teams where no intervention was active (`None` when there are none).
    pub without_intervention: Option<GroupContribution>,
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The team's key (trimmed, lower case) and its name as first seen.
fn team_key(e: &Employee) -> Option<String> {
    e.team
        .as_deref()
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty())
}

#[derive(Default)]
struct Tally {
    name: String,
    size_from: usize,
    size_to: usize,
    stayers: usize,
    grown: usize,
    hours_added: f64,
}

/// What contributed between the baseline snapshot (on or before `baseline`, else the
/// first) and the latest on or before `as_of`. `None` when [`crate::contract_changes`] is
/// `None` (fewer than two snapshots, or one below k).
pub fn contributions(
    data: &Data,
    baseline: NaiveDate,
    as_of: NaiveDate,
    interventions: &[InterventionFact],
) -> Option<Contributions> {
    let changes = crate::measure::contract_changes(data, baseline, as_of)?;
    let a = data
        .snapshots
        .iter()
        .find(|s| s.peildatum == changes.from)?;
    let b = data.snapshots.iter().rfind(|s| s.peildatum == changes.to)?;
    let k = data.min_group_size.max(1);

    let before: BTreeMap<&str, &Employee> = a
        .employees
        .iter()
        .map(|e| (e.pseudonym.as_str(), e))
        .collect();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for e in &a.employees {
        if let Some(key) = team_key(e) {
            let t = tallies.entry(key).or_default();
            t.size_from += 1;
            if t.name.is_empty() {
                t.name = e.team.clone().unwrap_or_default().trim().to_string();
            }
        }
    }
    // People in both snapshots: the only ones whose contract can have grown.
    let mut in_both = 0usize;
    for e in &b.employees {
        let key = team_key(e);
        if let Some(key) = &key {
            let t = tallies.entry(key.clone()).or_default();
            t.size_to += 1;
            if t.name.is_empty() {
                t.name = e.team.clone().unwrap_or_default().trim().to_string();
            }
        }
        let Some(old) = before.get(e.pseudonym.as_str()) else {
            continue;
        };
        in_both += 1;
        let (Some(key), Some(old_key)) = (key, team_key(old)) else {
            continue;
        };
        if key != old_key {
            continue;
        }
        let t = tallies.get_mut(&key)?;
        t.stayers += 1;
        let diff = (e.contract_hours - old.contract_hours)
            .to_f64()
            .unwrap_or(0.0);
        if diff > 0.0 {
            t.grown += 1;
            t.hours_added += diff;
        }
    }

    // Primary: at least k in both snapshots. Complementary: the rest of the people in
    // both snapshots is 0 or at least k.
    let mut shown: BTreeSet<String> = tallies
        .iter()
        .filter(|(_, t)| t.size_from >= k && t.size_to >= k)
        .map(|(key, _)| key.clone())
        .collect();
    loop {
        let covered: usize = shown.iter().map(|key| tallies[key].stayers).sum();
        let rest = in_both - covered;
        if rest == 0 || rest >= k {
            break;
        }
        let smallest = shown
            .iter()
            .min_by_key(|key| (tallies[*key].stayers, (*key).clone()))
            .cloned();
        match smallest {
            Some(key) => {
                shown.remove(&key);
            }
            None => break,
        }
    }

    let active: Vec<&InterventionFact> = interventions
        .iter()
        .filter(|i| i.active_between(changes.from, changes.to))
        .collect();
    let mut teams: Vec<TeamContribution> = shown
        .iter()
        .map(|key| {
            let t = &tallies[key];
            TeamContribution {
                team: t.name.clone(),
                employees: t.stayers,
                grown: t.grown,
                hours_added: round1(t.hours_added),
                interventions: active
                    .iter()
                    .filter(|i| i.applies_to(&t.name))
                    .map(|i| i.code.clone())
                    .collect(),
            }
        })
        .collect();
    teams.sort_by(|x, y| {
        y.hours_added
            .total_cmp(&x.hours_added)
            .then_with(|| x.team.cmp(&y.team))
    });

    let group = |code: Option<String>, name: String, members: Vec<&TeamContribution>| {
        let employees: usize = members.iter().map(|t| t.employees).sum();
        let hours: f64 = members.iter().map(|t| t.hours_added).sum();
        GroupContribution {
            code,
            name,
            teams: members.len(),
            employees,
            grown: members.iter().map(|t| t.grown).sum(),
            hours_added: round1(hours),
            hours_per_100: if employees == 0 {
                0.0
            } else {
                round1(hours * 100.0 / employees as f64)
            },
        }
    };
    let mut seen = BTreeSet::new();
    let groups: Vec<GroupContribution> = active
        .iter()
        .filter(|i| seen.insert(i.code.clone()))
        .map(|i| {
            let members: Vec<&TeamContribution> = teams
                .iter()
                .filter(|t| t.interventions.contains(&i.code))
                .collect();
            group(Some(i.code.clone()), i.name.clone(), members)
        })
        .collect();
    let none: Vec<&TeamContribution> = teams
        .iter()
        .filter(|t| t.interventions.is_empty())
        .collect();
    let without_intervention =
        (!none.is_empty()).then(|| group(None, "Geen interventie".into(), none));
    Some(Contributions {
        from: changes.from,
        to: changes.to,
        hidden_teams: tallies.len() - teams.len(),
        teams,
        interventions: groups,
        without_intervention,
    })
}

/// The blocks of "Wat heeft bijgedragen" for the progress page and the impact report.
pub fn blocks(c: &Contributions) -> Vec<report::doc::Block> {
    use report::doc::{Align, Block, Cell, Table};
    use report::nl;
    let mut out = vec![Block::Paragraph(format!(
        "Welke interventies liepen in de teams waar contracten groeiden, tussen {} en {}? Dit laat zien wat **samen** voorkwam, geen bewijs dat het een het ander veroorzaakte.",
        nl::date(c.from),
        nl::date(c.to)
    ))];
    if c.teams.is_empty() {
        out.push(Block::Paragraph(
            "Geen team is groot genoeg om apart te tonen (minimale groepsgrootte).".into(),
        ));
        return out;
    }
    let name_of = |code: &str| -> String {
        c.interventions
            .iter()
            .find(|g| g.code.as_deref() == Some(code))
            .map_or_else(|| code.to_string(), |g| g.name.clone())
    };
    out.push(Block::Table(Table {
        caption: Some("Groei per team en de interventies die er liepen".into()),
        header: vec![
            "Team".into(),
            "Medewerkers".into(),
            "Contracten uitgebreid".into(),
            "Uren erbij per week".into(),
            "Interventies".into(),
        ],
        align: vec![
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Left,
        ],
        rows: c
            .teams
            .iter()
            .map(|t| {
                vec![
                    Cell::Text(t.team.clone()),
                    Cell::Text(nl::integer(t.employees as i64)),
                    Cell::Text(nl::integer(t.grown as i64)),
                    Cell::Text(nl::hours(t.hours_added)),
                    Cell::Text(if t.interventions.is_empty() {
                        "geen".into()
                    } else {
                        t.interventions
                            .iter()
                            .map(|code| name_of(code))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }),
                ]
            })
            .collect(),
    }));
    let groups: Vec<&GroupContribution> = c
        .interventions
        .iter()
        .chain(c.without_intervention.as_ref())
        .collect();
    if !groups.is_empty() {
        out.push(Block::Table(Table {
            caption: Some(
                "Per interventie: de teams waar die liep (uren erbij per 100 medewerkers maakt groepen vergelijkbaar)".into(),
            ),
            header: vec![
                "Interventie".into(),
                "Teams".into(),
                "Medewerkers".into(),
                "Uren erbij per week".into(),
                "Per 100 medewerkers".into(),
            ],
            align: vec![Align::Left, Align::Right, Align::Right, Align::Right, Align::Right],
            rows: groups
                .iter()
                .map(|g| {
                    vec![
                        Cell::Text(g.name.clone()),
                        Cell::Text(nl::integer(g.teams as i64)),
                        Cell::Text(nl::integer(g.employees as i64)),
                        Cell::Text(nl::hours(g.hours_added)),
                        Cell::Text(nl::hours(g.hours_per_100)),
                    ]
                })
                .collect(),
        }));
    }
    if c.hidden_teams > 0 {
        out.push(Block::Paragraph(format!(
            "{} {} niet apart getoond: te klein voor de minimale groepsgrootte, of verborgen zodat een kleine groep niet uit het totaal is af te leiden. Medewerkers die van team wisselden tellen alleen in het totaal.",
            c.hidden_teams,
            if c.hidden_teams == 1 { "team is" } else { "teams zijn" }
        )));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::Snapshot;
    use rust_decimal::Decimal;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn emp(id: &str, team: &str, hours: i64) -> Employee {
        Employee {
            pseudonym: id.to_string(),
            team: (!team.is_empty()).then(|| team.to_string()),
            function: None,
            fwg_scale: None,
            contract_hours: Decimal::from(hours),
            part_time_factor: Decimal::from(hours) / Decimal::from(36),
            age_band: None,
            start_date: None,
            end_date: None,
            contract_kind: None,
            source_rows: vec![],
        }
    }

    /// Team `name` with `n` people `prefix0..`, each at `hours`.
    fn team(prefix: &str, name: &str, n: usize, hours: i64) -> Vec<Employee> {
        (0..n)
            .map(|i| emp(&format!("{prefix}{i}"), name, hours))
            .collect()
    }

    fn data(a: Vec<Employee>, b: Vec<Employee>) -> Data {
        Data {
            full_time_hours: Decimal::from(36),
            min_group_size: 5,
            snapshots: vec![
                Snapshot {
                    peildatum: d("2026-01-01"),
                    employees: a,
                },
                Snapshot {
                    peildatum: d("2026-07-01"),
                    employees: b,
                },
            ],
            ..Data::default()
        }
    }

    fn roster_intervention(teams: &[&str]) -> InterventionFact {
        InterventionFact {
            code: "roosteren".into(),
            name: "Anders roosteren".into(),
            teams: teams.iter().map(|t| t.to_string()).collect(),
            starts_on: Some(d("2026-02-01")),
            ends_on: None,
        }
    }

    #[test]
    fn hours_grow_where_the_intervention_ran() {
        let a = [team("a", "Oost", 6, 20), team("b", "West", 6, 20)].concat();
        let mut b = a.clone();
        // Oost: three people +4 h each; West: one person +2 h.
        for e in b
            .iter_mut()
            .filter(|e| e.team.as_deref() == Some("Oost"))
            .take(3)
        {
            e.contract_hours += Decimal::from(4);
        }
        b[6].contract_hours += Decimal::from(2);
        let c = contributions(
            &data(a, b),
            d("2026-01-01"),
            d("2026-12-31"),
            &[roster_intervention(&["Oost"])],
        )
        .unwrap();
        assert_eq!(c.hidden_teams, 0);
        assert_eq!(c.teams[0].team, "Oost");
        assert_eq!((c.teams[0].grown, c.teams[0].hours_added), (3, 12.0));
        assert_eq!(c.teams[0].interventions, vec!["roosteren".to_string()]);
        assert_eq!((c.teams[1].grown, c.teams[1].hours_added), (1, 2.0));
        assert!(c.teams[1].interventions.is_empty());
        let with = &c.interventions[0];
        assert_eq!((with.teams, with.employees, with.hours_added), (1, 6, 12.0));
        assert_eq!(with.hours_per_100, 200.0);
        let without = c.without_intervention.unwrap();
        assert_eq!((without.teams, without.hours_added), (1, 2.0));
    }

    #[test]
    fn an_intervention_outside_the_period_or_org_wide_is_placed_right() {
        let a = [team("a", "Oost", 5, 20), team("b", "West", 5, 20)].concat();
        let b = a.clone();
        let mut late = roster_intervention(&["Oost"]);
        late.starts_on = Some(d("2027-01-01"));
        let org_wide = InterventionFact {
            code: "gesprek".into(),
            name: "Gesprekken over uren".into(),
            teams: vec![],
            starts_on: None,
            ends_on: Some(d("2026-03-01")),
        };
        let c = contributions(
            &data(a, b),
            d("2026-01-01"),
            d("2026-12-31"),
            &[late, org_wide],
        )
        .unwrap();
        assert_eq!(c.interventions.len(), 1);
        assert_eq!(c.interventions[0].teams, 2);
        assert!(c.without_intervention.is_none());
    }

    #[test]
    fn a_small_team_is_hidden_and_so_is_the_smallest_team_when_the_rest_would_show() {
        // Klein has 2 people: hidden. The rest (2 people) could be derived from the
        // published total minus the shown teams, so the smallest shown team goes too.
        let a = [
            team("a", "Oost", 8, 20),
            team("b", "West", 5, 20),
            team("c", "Klein", 2, 20),
        ]
        .concat();
        let mut b = a.clone();
        for e in b.iter_mut().filter(|e| e.team.as_deref() == Some("Klein")) {
            e.contract_hours += Decimal::from(8);
        }
        let c = contributions(&data(a, b), d("2026-01-01"), d("2026-12-31"), &[]).unwrap();
        let names: Vec<&str> = c.teams.iter().map(|t| t.team.as_str()).collect();
        assert_eq!(names, vec!["Oost"]);
        assert_eq!(c.hidden_teams, 2);
        // The rest (West + Klein: 7 people) is at least k.
        let shown: usize = c.teams.iter().map(|t| t.employees).sum();
        assert!(13 + 2 - shown >= 5);
    }

    #[test]
    fn movers_count_in_the_rest_not_in_a_team() {
        // One person moves from West to Oost and grows: not in Oost's figure, and the
        // rest (the mover alone) would be derivable, so a team is hidden.
        let a = [team("a", "Oost", 6, 20), team("b", "West", 6, 20)].concat();
        let mut b = a.clone();
        b[6].team = Some("Oost".into());
        b[6].contract_hours += Decimal::from(4);
        let c = contributions(&data(a, b), d("2026-01-01"), d("2026-12-31"), &[]).unwrap();
        assert_eq!(c.teams.len(), 1);
        assert_eq!(c.teams[0].hours_added, 0.0);
        assert_eq!(c.hidden_teams, 1);
    }

    #[test]
    fn no_second_snapshot_no_answer() {
        let a = team("a", "Oost", 6, 20);
        let mut d1 = data(a.clone(), a);
        d1.snapshots.pop();
        assert!(contributions(&d1, d("2026-01-01"), d("2026-12-31"), &[]).is_none());
    }

    proptest::proptest! {
        /// Whatever the teams, moves and growth: every shown team has at least k people
        /// in both snapshots, and the people not covered by shown teams are 0 or at
        /// least k, so no small group follows from the published total.
        #[test]
        fn no_small_group_is_shown_or_left_over(
            people in proptest::collection::vec((0usize..5, 0usize..6, 0i64..3, proptest::bool::ANY), 0..40)
        ) {
            let names = ["A", "B", "C", "D", ""];
            let mut a = Vec::new();
            let mut b = Vec::new();
            for (i, (from, to, grow, stays)) in people.iter().enumerate() {
                a.push(emp(&format!("p{i}"), names[*from], 20));
                if *stays {
                    // `to` = 5 leaves the same team.
                    let team = if *to == 5 { names[*from] } else { names[*to] };
                    b.push(emp(&format!("p{i}"), team, 20 + grow));
                }
            }
            // Padding so the organisation itself is at least k in both snapshots.
            a.extend(team("x", "", 5, 20));
            b.extend(team("x", "", 5, 20));
            let dd = data(a.clone(), b.clone());
            let c = contributions(&dd, d("2026-01-01"), d("2026-12-31"), &[]).unwrap();
            let in_both = b.iter().filter(|e| a.iter().any(|o| o.pseudonym == e.pseudonym)).count();
            let mut covered = 0;
            for t in &c.teams {
                let size = |s: &[Employee]| s.iter().filter(|e| e.team.as_deref() == Some(t.team.as_str())).count();
                proptest::prop_assert!(size(&a) >= 5 && size(&b) >= 5);
                covered += t.employees;
            }
            let rest = in_both - covered;
            proptest::prop_assert!(rest == 0 || rest >= 5, "rest {rest}");
        }
    }
}
