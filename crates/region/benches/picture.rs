//! Speed of the regional picture at national scale: 3,000 organisations in 28 regions, two
//! periods each, nine subsectors, 12 conditions and 12 obstacles.
//! Run: `cargo bench -p region --bench picture`.

use criterion::{Criterion, criterion_group, criterion_main};
use region::{OptionCount, OrgFigures, Policy, regional_picture};

const SUBSECTORS: [&str; 9] = [
    "vvt",
    "gz",
    "ggz",
    "ziekenhuis",
    "jeugdzorg",
    "sociaal_werk",
    "kinderopvang",
    "huisartsenzorg",
    "thuisondersteuning",
];

/// Deterministic figures (a simple LCG, no randomness crate): per region, its organisations
/// in two periods.
fn national() -> Vec<Vec<OrgFigures>> {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |m: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % m
    };
    let mut regions = vec![Vec::new(); 28];
    for id in 0..3000i64 {
        let region = (id % 28) as usize;
        let subsector = SUBSECTORS[next(9) as usize];
        let employees = 20 + next(1500);
        for period in ["2025", "2026"] {
            let respondents = employees * (10 + next(50)) / 100;
            let open = respondents * next(60) / 100;
            let options = |next: &mut dyn FnMut(u64) -> u64, prefix: &str| {
                (0..12)
                    .map(|k| OptionCount {
                        option: format!("{prefix}_{k}"),
                        count: respondents * next(40) / 100,
                    })
                    .collect()
            };
            regions[region].push(OrgFigures {
                org_id: id,
                subsector: subsector.into(),
                period: period.into(),
                employees,
                contract_hours_sum: employees as f64 * (18.0 + next(12) as f64),
                fulltime_hours: 36.0,
                respondents,
                open_count: open,
                sure_count: open / 3,
                conditional_count: open - open / 3,
                potential_hours_per_week: open as f64 * 4.0,
                potential_fte: open as f64 * 4.0 / 36.0,
                pnil_last_12_months_cost_cents: (next(4) > 0).then(|| next(200_000_000) as i64),
                conditions: options(&mut next, "voorwaarde"),
                obstacles: options(&mut next, "belemmering"),
            });
        }
    }
    regions
}

fn bench(c: &mut Criterion) {
    let regions = national();
    let policy = Policy::default();
    c.bench_function("28 regions, 3000 organisations, 2 periods", |b| {
        b.iter(|| {
            for (i, figures) in regions.iter().enumerate() {
                let p = regional_picture(&format!("regio {i}"), &policy, figures).unwrap();
                std::hint::black_box(p);
            }
        })
    });
    c.bench_function("one region of 107 organisations, 2 periods", |b| {
        b.iter(|| std::hint::black_box(regional_picture("regio 0", &policy, &regions[0]).unwrap()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
