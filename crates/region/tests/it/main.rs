//! Property tests: random regions, and an attacker who tries to derive a hidden figure from
//! everything the picture publishes (subtraction across subsectors and the total, and
//! differences between periods). The rules are checked against an oracle written here,
//! apart from the crate's own code.

use std::collections::BTreeSet;

use proptest::prelude::*;
use region::{OptionCount, OrgFigures, Policy, RegionalPicture, Row, regional_picture};

const SUBSECTORS: [&str; 4] = ["ggz", "gz", "jeugdzorg", "vvt"];
const PERIODS: [&str; 3] = ["2025", "2026", "2027"];
const OPTIONS: [&str; 2] = ["vaste_dagen", "geen_splitdiensten"];

#[derive(Debug, Clone)]
struct Gen {
    subsector: usize,
    employees: u64,
    periods: u8,
    respondents_pct: u64,
    pnil: Option<i64>,
    choice: u64,
}

fn gen_org() -> impl Strategy<Value = Gen> {
    (
        0..SUBSECTORS.len(),
        prop_oneof![4 => 1u64..200, 1 => 200u64..3000, 1 => Just(0u64)],
        1u8..8,
        0u64..=100,
        prop_oneof![Just(None), (0i64..50_000_000).prop_map(Some)],
        0u64..100,
    )
        .prop_map(
            |(subsector, employees, periods, respondents_pct, pnil, choice)| Gen {
                subsector,
                employees,
                periods,
                respondents_pct,
                pnil,
                choice,
            },
        )
}

fn figures(orgs: &[Gen]) -> Vec<OrgFigures> {
    let mut out = Vec::new();
    for (i, g) in orgs.iter().enumerate() {
        for (p, period) in PERIODS.iter().enumerate() {
            if g.periods & (1 << p) == 0 {
                continue;
            }
            // A little change per period so differences are not zero.
            let employees = g.employees + p as u64 * (g.choice % 7);
            let respondents = employees * g.respondents_pct / 100;
            let open = respondents * (g.choice % 60) / 100;
            let sure = open / 3;
            out.push(OrgFigures {
                org_id: i as i64 + 1,
                // One organisation in ten changes subsector every period.
                subsector: SUBSECTORS
                    [(g.subsector + if g.choice % 10 == 0 { p } else { 0 }) % SUBSECTORS.len()]
                .into(),
                period: (*period).into(),
                employees,
                contract_hours_sum: employees as f64 * (16.0 + (g.choice % 20) as f64),
                fulltime_hours: 36.0,
                respondents,
                open_count: open,
                sure_count: sure,
                conditional_count: open - sure,
                potential_hours_per_week: open as f64 * 4.0,
                potential_fte: open as f64 * 4.0 / 36.0,
                pnil_last_12_months_cost_cents: g.pnil.map(|c| c + p as i64 * 1000),
                conditions: OPTIONS
                    .iter()
                    .enumerate()
                    .map(|(k, o)| OptionCount {
                        option: (*o).into(),
                        count: respondents * ((g.choice + 13 * k as u64) % 100) / 100,
                    })
                    .collect(),
                obstacles: vec![],
            });
        }
    }
    out
}

/// One published measure: its value in a row, and what an organisation contributes.
struct Measure {
    name: &'static str,
    published: fn(&Row) -> Option<u64>,
    /// `None`: the organisation does not contribute to this group of figures; else the
    /// values the dominance rule looks at, the first being the published one.
    contribution: fn(&OrgFigures) -> Option<Vec<f64>>,
}

fn option_count(row: &Row, option: &str) -> Option<u64> {
    row.conditions
        .iter()
        .find(|o| o.option == option)
        .map(|o| o.count)
}

fn measures() -> Vec<Measure> {
    vec![
        Measure {
            name: "employees",
            published: |r| r.employees,
            contribution: |f| {
                (f.employees > 0).then(|| vec![f.employees as f64, f.contract_hours_sum])
            },
        },
        Measure {
            name: "respondents",
            published: |r| r.respondents,
            contribution: |f| {
                (f.respondents > 0).then(|| {
                    vec![
                        f.respondents as f64,
                        f.open_count as f64,
                        f.potential_hours_per_week,
                    ]
                })
            },
        },
        Measure {
            name: "pnil",
            published: |r| r.pnil_last_12_months_cost_cents.map(|c| c as u64),
            contribution: |f| f.pnil_last_12_months_cost_cents.map(|c| vec![c as f64]),
        },
        Measure {
            name: "vaste_dagen",
            published: |r| option_count(r, "vaste_dagen"),
            contribution: |f| (f.respondents > 0).then(|| vec![f.conditions[0].count as f64]),
        },
        Measure {
            name: "geen_splitdiensten",
            published: |r| option_count(r, "geen_splitdiensten"),
            contribution: |f| (f.respondents > 0).then(|| vec![f.conditions[1].count as f64]),
        },
    ]
}

/// Every union of the sets (the empty one included).
fn unions(sets: &[BTreeSet<i64>]) -> Vec<BTreeSet<i64>> {
    (0u32..1 << sets.len())
        .map(|mask| {
            sets.iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .flat_map(|(_, s)| s.iter().copied())
                .collect()
        })
        .collect()
}

/// The oracle: may an aggregate over these contributions be known?
fn safe(contribs: &[Vec<f64>], policy: &Policy) -> bool {
    if contribs.len() < policy.min_orgs as usize {
        return false;
    }
    let k = contribs[0].len();
    (0..k).all(|m| {
        let sum: f64 = contribs.iter().map(|c| c[m]).sum();
        let max = contribs.iter().map(|c| c[m]).fold(0.0, f64::max);
        sum == 0.0 || max * 100.0 <= f64::from(policy.dominance_percent) * sum
    })
}

fn check(picture: &RegionalPicture, input: &[OrgFigures], policy: &Policy) {
    for m in measures() {
        // Per period: the contributor sets the attacker can sum up (shown subsectors, and
        // the total minus them when the total is shown). Any union of them is derivable.
        let mut atoms_per_period: Vec<Vec<BTreeSet<i64>>> = Vec::new();
        let mut totals: Vec<Option<BTreeSet<i64>>> = Vec::new();
        for period in &picture.trend {
            let in_period: Vec<&OrgFigures> =
                input.iter().filter(|f| f.period == period.period).collect();
            let contributors = |subsector: Option<&str>| -> Vec<&OrgFigures> {
                in_period
                    .iter()
                    .copied()
                    .filter(|f| subsector.is_none_or(|s| f.subsector == s))
                    .filter(|f| (m.contribution)(f).is_some())
                    .collect()
            };
            let truth = |orgs: &[&OrgFigures]| -> u64 {
                orgs.iter()
                    .map(|f| (m.contribution)(f).unwrap()[0] as u64)
                    .sum()
            };
            let vals = |orgs: &[&OrgFigures]| -> Vec<Vec<f64>> {
                orgs.iter().map(|f| (m.contribution)(f).unwrap()).collect()
            };
            // Every published figure passes the rules, and is the true sum.
            let rows = period
                .subsectors
                .iter()
                .map(|r| (r.subsector.clone(), r))
                .chain([(None, &period.total)]);
            for (key, row) in rows {
                if let Some(v) = (m.published)(row) {
                    let orgs = contributors(key.as_deref());
                    assert!(
                        safe(&vals(&orgs), policy),
                        "{} of {key:?} in {} published but unsafe",
                        m.name,
                        period.period
                    );
                    assert_eq!(v, truth(&orgs), "{} of {key:?}", m.name);
                }
            }
            let set =
                |orgs: &[&OrgFigures]| -> BTreeSet<i64> { orgs.iter().map(|f| f.org_id).collect() };
            let mut atoms: Vec<BTreeSet<i64>> = period
                .subsectors
                .iter()
                .filter(|r| (m.published)(r).is_some())
                .map(|r| set(&contributors(r.subsector.as_deref())))
                .filter(|s| !s.is_empty())
                .collect();
            totals.push((m.published)(&period.total).map(|_| set(&contributors(None))));
            // Subtraction: the total minus the published subsectors.
            let hidden_rows: Vec<&Row> = period
                .subsectors
                .iter()
                .filter(|r| (m.published)(r).is_none())
                .collect();
            match (m.published)(&period.total) {
                Some(total) => {
                    let shown: u64 = period.subsectors.iter().filter_map(m.published).sum();
                    let residual_orgs: Vec<&OrgFigures> = hidden_rows
                        .iter()
                        .flat_map(|r| contributors(r.subsector.as_deref()))
                        .collect();
                    assert_eq!(total - shown, truth(&residual_orgs));
                    if !residual_orgs.is_empty() {
                        atoms.push(set(&residual_orgs));
                        assert!(
                            safe(&vals(&residual_orgs), policy),
                            "{} in {}: total minus shown subsectors reveals {:?}",
                            m.name,
                            period.period,
                            hidden_rows.iter().map(|r| &r.subsector).collect::<Vec<_>>()
                        );
                    }
                }
                None => {
                    // A hidden total is not the sum of shown subsectors.
                    let with_data = period
                        .subsectors
                        .iter()
                        .filter(|r| !contributors(r.subsector.as_deref()).is_empty())
                        .count();
                    let shown = period
                        .subsectors
                        .iter()
                        .filter(|r| (m.published)(r).is_some())
                        .count();
                    assert!(
                        with_data == 0 || shown < with_data,
                        "{} in {}: hidden total is the sum of its subsectors",
                        m.name,
                        period.period
                    );
                }
            }
            atoms_per_period.push(atoms);
        }
        // Differences between periods never isolate fewer than min_orgs organisations:
        // no sum a later period makes known (any union of its shown subsectors, its total
        // and its residual) differs from any union of an earlier period's by 1 to
        // min_orgs - 1.
        for (k, later) in atoms_per_period.iter().enumerate() {
            let mut singles = later.clone();
            singles.extend(totals[k].clone());
            // Sums of several of them are known as well.
            let singles: Vec<BTreeSet<i64>> = unions(&singles)
                .into_iter()
                .filter(|u| !u.is_empty())
                .collect();
            for earlier in &atoms_per_period[..k] {
                let unions = unions(earlier);
                for a in &singles {
                    for u in &unions {
                        let d = a.symmetric_difference(u).count();
                        assert!(
                            d == 0 || d >= policy.min_orgs as usize,
                            "{}: period {} differs from an earlier one by {d} organisations",
                            m.name,
                            picture.trend[k].period
                        );
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn nothing_hidden_can_be_derived(
        orgs in prop::collection::vec(gen_org(), 0..30),
        min_orgs in 3u32..6,
        dominance in 30u32..=50,
    ) {
        let policy = Policy::new(min_orgs, dominance).unwrap();
        let input = figures(&orgs);
        let picture = regional_picture("Testregio", &policy, &input).unwrap();
        check(&picture, &input, &policy);
        // The top level is the latest period.
        if let Some(last) = picture.trend.last() {
            prop_assert_eq!(&picture.total, &last.total);
        }
    }

    #[test]
    fn policies_below_the_floor_are_refused(min_orgs in 0u32..3, dominance in 51u32..200) {
        prop_assert!(Policy::new(min_orgs, 50).is_err());
        prop_assert!(Policy::new(3, dominance).is_err());
    }
}

/// A hand-made case of every rule at once, across two periods.
#[test]
fn joining_organisation_is_not_revealed_by_the_change() {
    let orgs: Vec<Gen> = (0..4)
        .map(|i| Gen {
            subsector: 3,
            employees: 100,
            periods: if i == 3 { 0b10 } else { 0b11 },
            respondents_pct: 50,
            pnil: Some(1_000_000),
            choice: 40,
        })
        .collect();
    let input = figures(&orgs);
    let policy = Policy::default();
    let p = regional_picture("Twente", &policy, &input).unwrap();
    assert_eq!(p.trend.len(), 2);
    assert!(p.trend[0].total.employees.is_some());
    assert_eq!(p.trend[1].total.employees, None);
    assert_eq!(p.trend[1].total.suppressions[0].code, region::Reason::Trend);
    check(&p, &input, &policy);
}
