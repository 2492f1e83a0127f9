//! Speed of validating responses and of analysing a round with all breakdowns and
//! suppression. Run: `cargo bench -p survey --bench analyse`.

use std::collections::BTreeMap;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use survey::{AnalysisOptions, Answer, Questionnaire, Response, Submission, analyse};

/// A deterministic round of `n` responses over `teams` teams (a simple LCG, no randomness
/// crate).
fn round(q: &Questionnaire, n: usize, teams: u64) -> Vec<Submission> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |m: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % m
    };
    let openness = [
        "ja_zeker",
        "ja_onder_voorwaarden",
        "nee",
        "weet_ik_niet",
        "al_voltijd",
    ];
    let ages = ["tot_25", "25_34", "35_44", "45_54", "55_plus"];
    (0..n)
        .map(|_| {
            let contract = (8 + next(29)) as f64;
            let open = openness[next(5) as usize];
            let mut r = Response::new()
                .with("contract_uren", Answer::Number(contract))
                .with("gewerkte_uren", Answer::Number(contract + next(5) as f64))
                .with(
                    "gewenste_uren",
                    Answer::Number((contract + next(9) as f64).min(48.0)),
                )
                .with("bereidheid", Answer::Choice(open.into()))
                .with("rondkomen", Answer::Choice("lukt_net".into()))
                .with("weet_netto", Answer::Choice("nee".into()))
                .with("tevredenheid_rooster", Answer::Scale(1 + next(5) as i64))
                .with("blijven", Answer::Choice("zeker_wel".into()))
                .with("leeftijd", Answer::Choice(ages[next(5) as usize].into()));
            if open == "ja_onder_voorwaarden" {
                r.set(
                    "voorwaarden",
                    Answer::Choices(vec!["langere_diensten".into(), "kinderopvang".into()]),
                );
            }
            if open == "nee" {
                r.set("belemmeringen", Answer::Choices(vec!["werkdruk".into()]));
            }
            Submission {
                team: Some(format!("team {:03}", next(teams))),
                response: q.validate(&r).expect("valid").response,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let q = Questionnaire::standard("medewerkers", 1).unwrap();
    let subs = round(q, 100, 25);
    c.bench_function("validate one response", |b| {
        b.iter(|| q.validate(&subs[7].response).unwrap())
    });
    let mut g = c.benchmark_group("analyse");
    // 25 teams of about 8 or 80; 200 teams of about 10 (many small groups: the most work
    // for the disclosure audit).
    for (n, teams) in [(200, 25), (2_000, 25), (2_000, 200)] {
        let subs = round(q, n, teams);
        let invited: BTreeMap<String, u64> =
            (0..teams).map(|t| (format!("team {t:03}"), 100)).collect();
        let opts = AnalysisOptions {
            invited,
            ..AnalysisOptions::default()
        };
        let id = if teams == 25 {
            BenchmarkId::from_parameter(n)
        } else {
            BenchmarkId::new(format!("{teams} teams"), n)
        };
        g.bench_with_input(id, &subs, |b, subs| b.iter(|| analyse(q, subs, &opts)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
