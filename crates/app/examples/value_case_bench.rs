//! Value Case benchmark data and timing (docs/benchmarks.md, "Value Case").
//!
//! ```text
//! cargo run -p app --release --example value_case_bench -- DATABASE_URL [ORGS]
//! ```
//!
//! Fills an empty database with ORGS (default 50) organisations, each with six teams,
//! 120 employees in an HR snapshot, a closed round with 60 responses, 12 months of PNIL,
//! a wage cost and an interview; plus "Zorggroep Groot" with 50 teams, 5,000 employees
//! and 2,000 responses. Then times `app::value_case::assemble` (everything from the
//! database: rounds, responses, snapshots, PNIL, interview) plus the JSON for the large
//! organisation, and prints the median of 20 runs. The filled database is left for
//! `urenwinst report value-case --all --out DIR` (the PDFs).

use std::time::Instant;

use app::access::Caller;
use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use store::{
    InterviewItemRecord, InterviewRecord, NewHrSnapshot, NewResponse, NewSurveyRound,
    OrganisationInput, Store, Subsector,
};

const OPENNESS: [&str; 5] = [
    "ja_zeker",
    "ja_onder_voorwaarden",
    "nee",
    "weet_ik_niet",
    "al_voltijd",
];
const CONDITIONS: [&str; 6] = [
    "langere_diensten",
    "minder_opkomstmomenten",
    "vast_rooster",
    "zelf_roosteren",
    "kinderopvang",
    "zeker_financieel",
];
const OBSTACLES: [&str; 5] = [
    "korte_diensten",
    "werkdruk",
    "zorg_kinderen",
    "levert_niet_op",
    "tevreden",
];

fn answers(rng: &mut impl Rng) -> String {
    let openness = OPENNESS[rng.random_range(0..5)];
    let contract = [12.0, 16.0, 20.0, 24.0, 28.0, 32.0][rng.random_range(0..6)];
    let desired = match openness {
        "ja_zeker" | "ja_onder_voorwaarden" => contract + [4.0, 8.0][rng.random_range(0..2)],
        _ => contract,
    };
    let netto = ["ja", "ongeveer", "nee"][rng.random_range(0..3)];
    let mut v = serde_json::json!({
        "contract_uren": {"number": contract},
        "gewenste_uren": {"number": desired},
        "bereidheid": {"choice": openness},
        "weet_netto": {"choice": netto},
    });
    if openness == "ja_onder_voorwaarden" {
        let picked: Vec<&str> = CONDITIONS
            .iter()
            .copied()
            .filter(|_| rng.random_bool(0.4))
            .collect();
        v["voorwaarden"] = serde_json::json!({ "choices": picked });
    }
    if openness == "nee" {
        let picked: Vec<&str> = OBSTACLES
            .iter()
            .copied()
            .filter(|_| rng.random_bool(0.4))
            .collect();
        v["belemmeringen"] = serde_json::json!({ "choices": picked });
    }
    v.to_string()
}

fn employee(rng: &mut impl Rng, team: &str, n: usize) -> hr::Employee {
    let hours = Decimal::from([12, 16, 20, 24, 28, 32, 36][rng.random_range(0..7)]);
    hr::Employee {
        pseudonym: format!("mw-{team}-{n:05}"),
        team: Some(team.to_string()),
        function: Some(
            ["Helpende", "Verzorgende IG", "Verpleegkundige"][rng.random_range(0..3)].into(),
        ),
        fwg_scale: Some(["FWG 25", "FWG 35", "FWG 45"][rng.random_range(0..3)].into()),
        contract_hours: hours,
        part_time_factor: hours / Decimal::from(36),
        age_band: None,
        start_date: None,
        end_date: None,
        contract_kind: None,
        source_rows: vec![],
    }
}

async fn organisation(
    store: &Store,
    name: &str,
    teams: usize,
    employees: usize,
    responses: usize,
    rng: &mut impl Rng,
) -> anyhow::Result<i64> {
    let org = store
        .create_organisation(&OrganisationInput::new(name, Subsector::Vvt))
        .await?;
    let mut team_ids = Vec::new();
    let mut names = Vec::new();
    for t in 0..teams {
        let name = format!("Team {:02}", t + 1);
        team_ids.push(store.create_team(org.id, &name, None).await?.id);
        names.push(name);
    }
    let staff: Vec<hr::Employee> = (0..employees)
        .map(|i| employee(rng, &names[i % teams], i))
        .collect();
    store
        .insert_hr_snapshot(
            org.id,
            &NewHrSnapshot {
                peildatum: NaiveDate::from_ymd_opt(2026, 10, 1).expect("date"),
                file_name: "hr.csv",
                rows_read: staff.len(),
                skipped: 0,
                employees: &staff,
            },
        )
        .await?;
    let round = store
        .create_survey_round(
            org.id,
            &NewSurveyRound {
                name: "Nulmeting najaar 2026".into(),
                kind: "nulmeting".into(),
                questionnaire: "medewerkers".into(),
                version: 1,
                custom_questions: "[]".into(),
                opens_on: "2026-09-14".into(),
                closes_on: "2026-10-04".into(),
                invitation_text: String::new(),
                import_round: true,
            },
            &team_ids,
        )
        .await?;
    let batch: Vec<NewResponse> = (0..responses)
        .map(|i| NewResponse {
            team_id: Some(team_ids[i % teams]),
            version: 1,
            answers: answers(rng),
            day: "2026-09-20".into(),
            source: "import",
        })
        .collect();
    store.import_survey_responses(round.id, &batch).await?;
    for id in &team_ids {
        store
            .set_round_team_invited(round.id, *id, (employees / teams) as i64)
            .await?;
    }
    store.set_survey_round_status(round.id, "gesloten").await?;
    let pnil: Vec<hr::pnil::PnilEntry> = (1..=12)
        .map(|m| hr::pnil::PnilEntry {
            month: hr::pnil::YearMonth::new(2026, m).expect("month"),
            team: None,
            kind: Some(hr::pnil::PnilKind::Uitzend),
            amount_cents: 40 * employees as i64 * 7_500,
            hours: Some(Decimal::from(40 * employees as i64)),
            source_row: m + 1,
        })
        .collect();
    store.replace_pnil_months(org.id, &pnil).await?;
    store.set_hr_wage_cost(org.id, Some(5_800_000)).await?;
    store
        .save_interview(
            org.id,
            &InterviewRecord {
                held_on: Some("2026-10-10".into()),
                participants: "bestuurder, HR-adviseur".into(),
                contract_policy: "Standaard 24 uur.".into(),
                roster_practice: "Teamleiders roosteren vier weken vooruit.".into(),
                flex_pnil: "Uitzendkrachten in de weekenden.".into(),
                earlier_initiatives: String::new(),
                items: vec![InterviewItemRecord {
                    kind: "belemmering".into(),
                    theme: "formatie_budget".into(),
                    text: "Formatie per team vast.".into(),
                    quote: Some("Extra uren passen niet in mijn budget.".into()),
                    who: "teamleider".into(),
                    in_report: true,
                }],
                updated_at: 0,
                updated_by: None,
            },
            None,
        )
        .await?;
    Ok(org.id)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: value_case_bench DATABASE_URL [ORGS]"))?;
    let orgs: usize = args.next().map_or(Ok(50), |s| s.parse())?;
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    let mut rng = rand::rngs::StdRng::seed_from_u64(29);
    let started = Instant::now();
    for i in 0..orgs {
        organisation(
            &store,
            &format!("Zorggroep {:02}", i + 1),
            6,
            120,
            60,
            &mut rng,
        )
        .await?;
    }
    let big = organisation(&store, "Zorggroep Groot", 50, 5_000, 2_000, &mut rng).await?;
    println!(
        "filled: {} organisations + 1 large in {:.1} s",
        orgs,
        started.elapsed().as_secs_f64()
    );
    let today = NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let vc = app::value_case::assemble(&store, Caller::Operator, big, None, None, today)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let json = serde_json::to_string(&vc)?;
        std::hint::black_box(json);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "assemble from the database + JSON, 5,000 employees / 2,000 responses: median {:.1} ms (min {:.1}, max {:.1}, 20 runs)",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
    store.close().await;
    Ok(())
}
