//! Demo data for the Value Case (issue 29): every demo organisation with survey data gets
//! a Fase 0 interview and a closed employees' round, so its Value Case shows on
//! `serve --demo`. GGZ Regge en Vecht, whose round of now is still open, gets an earlier
//! closed round (spring 2026); De Dinkel also a roster-scan summary. The HR demo's PNIL
//! (2024-01 to 2025-06) is continued to 2026-12 for these organisations, so the Value
//! Case's 12 months before the round have costs. The interviews'
//! content follows DOMAIN.md's obstacles and opportunities; people are named by role only.

use chrono::NaiveDate;
use store::{InterviewItemRecord, InterviewRecord, NewResponse, RosterScanRecord, Store};
use survey::Questionnaire;

use crate::{AppError, AppResult};

/// (kind, theme, text, quote, who, in report)
type Item = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static str,
    bool,
);

struct DemoInterview {
    org: &'static str,
    held_on: &'static str,
    participants: &'static str,
    contract_policy: &'static str,
    roster_practice: &'static str,
    flex_pnil: &'static str,
    earlier_initiatives: &'static str,
    items: &'static [Item],
}

const INTERVIEWS: &[DemoInterview] = &[
    DemoInterview {
        org: "Zorggroep De Dinkel",
        held_on: "2026-10-12",
        participants: "bestuurder, HR-adviseur, teamleider Essenhof",
        contract_policy: "Nieuwe medewerkers krijgen een contract van 16 tot 24 uur. Een verzoek om meer uren gaat naar de teamleider, die kijkt of er formatie is; vaak is het antwoord 'nu even niet'.",
        roster_practice: "Teamleiders maken het rooster vier weken vooruit. Veel korte diensten van 4 tot 5 uur in de ochtend en de avond (zorggolf), gebroken diensten in Kleinschalig Wonen. Geen zelfroosteren.",
        flex_pnil: "Vaste flexpool van 25 medewerkers, daarnaast uitzendkrachten en zzp'ers in de wijkverpleging. De PNIL-kosten stegen in 2025.",
        earlier_initiatives: "In 2024 een uitvraag 'wie wil meer uren?'; twaalf reacties, vijf contracten aangepast. Daarna niet meer herhaald.",
        items: &[
            (
                "kans",
                "rooster",
                "Langere diensten door ochtend- en avonddienst te combineren in de wijk.",
                Some(
                    "Als we de korte avonddienst aan de middag plakken, hebben we meteen een volwaardige dienst.",
                ),
                "teamleider",
                true,
            ),
            (
                "kans",
                "financien",
                "Medewerkers laten zien wat meer uren netto opleveren.",
                Some("Veel collega's denken dat meer werken niets oplevert door de toeslagen."),
                "HR-adviseur",
                true,
            ),
            (
                "belemmering",
                "formatie_budget",
                "Formatie wordt per team vastgesteld; extra uren passen niet in het budget van de teamleider.",
                Some(
                    "Ik mag geen uren uitdelen die niet in mijn begroting staan, ook al huur ik ze duurder in.",
                ),
                "teamleider",
                true,
            ),
            (
                "belemmering",
                "hr_beleid",
                "Standaardcontracten van 16 tot 24 uur bij nieuwe medewerkers.",
                None,
                "HR-adviseur",
                true,
            ),
            (
                "kans",
                "cultuur",
                "De bestuurder wil contractuitbreiding als eerste keuze vóór inhuur.",
                Some("Eerst onze eigen mensen vragen, dan pas de flexpool."),
                "bestuurder",
                true,
            ),
            (
                "belemmering",
                "zorgvraag",
                "Zorgvraag piekt in de ochtend; middagen zijn rustig.",
                None,
                "teamleider",
                false,
            ),
        ],
    },
    DemoInterview {
        org: "Stichting Twentse Horizon",
        held_on: "2026-10-20",
        participants: "manager zorg, HR-adviseur",
        contract_policy: "Contracten van 20 tot 28 uur. Meer uren kan, maar alleen als er een vacature is op dezelfde woongroep.",
        roster_practice: "Woongroepen roosteren zelf met een roosterprogramma; dagbesteding werkt met vaste blokken van 9 tot 15 uur.",
        flex_pnil: "Weinig uitzendkrachten; wel veel invalwerk door de eigen medewerkers met een oproepcontract.",
        earlier_initiatives: "Een pilot met combinatiebanen woongroep en dagbesteding in 2025.",
        items: &[
            (
                "kans",
                "rooster",
                "Combinatiebanen tussen woongroep en dagbesteding maken grotere contracten mogelijk.",
                Some(
                    "Wie 's middags bij de dagbesteding helpt, kan daarna de avonddienst op de woongroep doen.",
                ),
                "manager zorg",
                true,
            ),
            (
                "belemmering",
                "hr_beleid",
                "Uren kunnen alleen binnen de eigen woongroep worden uitgebreid.",
                None,
                "HR-adviseur",
                true,
            ),
            (
                "kans",
                "financien",
                "Medewerkers met geldzorgen helpen met een gesprek over het netto effect.",
                None,
                "HR-adviseur",
                true,
            ),
            (
                "belemmering",
                "cultuur",
                "Teamleiders durven geen uren toe te zeggen zonder akkoord van de controller.",
                Some("Het voelt alsof je iets weggeeft wat niet van jou is."),
                "manager zorg",
                false,
            ),
        ],
    },
    DemoInterview {
        org: "GGZ Regge en Vecht",
        held_on: "2026-04-15",
        participants: "directeur behandelzaken, HR-adviseur, teamleider kliniek",
        contract_policy: "Verpleegkundigen krijgen 28 tot 32 uur; meer uren vraagt een formatiewijziging die één keer per jaar wordt besproken.",
        roster_practice: "De kliniek werkt met vaste diensten van 8 uur en een centraal roosterbureau. FACT-teams roosteren zelf.",
        flex_pnil: "Veel zzp'ers in de kliniek, vooral in nachten en weekenden.",
        earlier_initiatives: "Geen eerdere aanpak van contractomvang.",
        items: &[
            (
                "kans",
                "formatie_budget",
                "De kosten van zzp-nachten vrijmaken voor uitbreiding van eigen contracten.",
                Some("Elke zzp-nacht kost ons twee keer zoveel als een eigen verpleegkundige."),
                "directeur behandelzaken",
                true,
            ),
            (
                "belemmering",
                "rooster",
                "Weekenddiensten zijn onpopulair; meer uren betekent vaak meer weekenden.",
                None,
                "teamleider kliniek",
                true,
            ),
            (
                "belemmering",
                "financien",
                "Medewerkers weten niet wat meer uren netto betekenen.",
                None,
                "HR-adviseur",
                true,
            ),
        ],
    },
];

/// The extra closed round of GGZ Regge en Vecht: respondents per team and the openness
/// counts (`ja_zeker`, `ja_onder_voorwaarden`, `nee`, `weet_ik_niet`, `al_voltijd`).
const GGZ_SPRING: ([u64; 4], [u64; 5]) = ([12, 10, 14, 3], [6, 13, 12, 5, 3]);

fn date(s: &str) -> AppResult<NaiveDate> {
    s.parse().map_err(AppError::internal)
}

/// Loads the interviews, GGZ's closed spring round and De Dinkel's roster-scan summary
/// (deterministic: fixed seed). Organisations that do not exist are skipped.
pub async fn load(store: &Store) -> AppResult<()> {
    for d in INTERVIEWS {
        let Ok(org) = store.find_organisation(d.org).await else {
            continue;
        };
        let rec = InterviewRecord {
            held_on: Some(d.held_on.into()),
            participants: d.participants.into(),
            contract_policy: d.contract_policy.into(),
            roster_practice: d.roster_practice.into(),
            flex_pnil: d.flex_pnil.into(),
            earlier_initiatives: d.earlier_initiatives.into(),
            items: d
                .items
                .iter()
                .map(
                    |(kind, theme, text, quote, who, in_report)| InterviewItemRecord {
                        kind: (*kind).into(),
                        theme: (*theme).into(),
                        text: (*text).into(),
                        quote: quote.map(str::to_string),
                        who: (*who).into(),
                        in_report: *in_report,
                    },
                )
                .collect(),
            updated_at: 0,
            updated_by: None,
        };
        // Through the same conversion and validation as the pages.
        let mut checked = crate::value_case::interview_from_record(&rec)?;
        checked
            .validate()
            .map_err(|e| AppError::internal(format!("demo interview: {e}")))?;
        store.save_interview(org.id, &rec, None).await?;
    }
    if let Ok(org) = store.find_organisation("GGZ Regge en Vecht").await {
        spring_round(store, &org).await?;
    }
    for d in INTERVIEWS {
        if let Ok(org) = store.find_organisation(d.org).await {
            continue_pnil(store, &org).await?;
            snapshot_at_round(store, &org).await?;
        }
    }
    if let Ok(org) = store.find_organisation("Zorggroep De Dinkel").await {
        store
            .add_roster_scan_summary(
                org.id,
                &RosterScanRecord {
                    id: 0,
                    org_id: org.id,
                    scanned_on: "2026-09-27".into(),
                    employees: 118,
                    shifts: 2_140,
                    short_shift_share: 0.38,
                    split_shift_share: 0.06,
                    recorded_at: 0,
                },
            )
            .await?;
    }
    Ok(())
}

/// PNIL from 2025-07 to 2026-12, per team and kind as the HR demo's, still falling slowly
/// (contracts keep growing). Only where the HR demo left PNIL (so the trend continues).
async fn continue_pnil(store: &Store, org: &store::Organisation) -> AppResult<()> {
    use hr::pnil::YearMonth;
    use rand::{Rng, SeedableRng};
    let existing = store.pnil_entries(org.id).await?;
    let Some(last) = existing.iter().map(|e| e.month).max() else {
        return Ok(());
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(20250701 + org.id as u64);
    let last_month: Vec<_> = existing
        .iter()
        .filter(|e| e.month == last)
        .cloned()
        .collect();
    let end = YearMonth::new(2026, 12)
        .ok_or_else(|| AppError::internal("month"))?
        .index();
    let mut entries = Vec::new();
    for (step, index) in (last.index() + 1..=end).enumerate() {
        let month = YearMonth::from_index(index);
        // 2% less each month, with noise.
        let trend = 100 - 2 * (step as i64 + 1).min(30);
        for e in &last_month {
            let noise = rng.random_range(90..111);
            let cents = e.amount_cents * trend * noise / 10_000;
            entries.push(hr::pnil::PnilEntry {
                month,
                team: e.team.clone(),
                kind: e.kind,
                amount_cents: cents,
                // About € 75 an hour all-in, as the HR demo.
                hours: Some(rust_decimal::Decimal::from(cents / 7_500)),
                source_row: (existing.len() + entries.len()) as u32 + 2,
            });
        }
    }
    store.replace_pnil_months(org.id, &entries).await?;
    Ok(())
}

/// The HR extract made for the Fase 0 survey: where the organisation's last closed
/// employees' round has no HR snapshot within a month of its close date, one is added on
/// the first day of the close month, grown from the latest snapshot (some part-time
/// contracts a few hours larger, a few leavers and joiners; fixed seed). With it the
/// checklist's HR step is done and the Value Case compares it with the HR demo's snapshots.
async fn snapshot_at_round(store: &Store, org: &store::Organisation) -> AppResult<()> {
    use chrono::Datelike;
    use rand::{Rng, SeedableRng};
    use rust_decimal::Decimal;
    let rounds = store.survey_rounds(org.id).await?;
    let Some(closes) = rounds
        .iter()
        .filter(|r| r.status == "gesloten" && r.questionnaire == "medewerkers")
        .filter_map(|r| r.closes_on.parse::<NaiveDate>().ok())
        .max()
    else {
        return Ok(());
    };
    let snapshots = store.hr_snapshots(org.id).await?;
    let dated: Vec<(NaiveDate, i64)> = snapshots
        .iter()
        .filter_map(|s| Some((s.peildatum.parse::<NaiveDate>().ok()?, s.id)))
        .collect();
    if dated
        .iter()
        .any(|(d, _)| (*d - closes).num_days().abs() <= 31)
    {
        return Ok(());
    }
    let Some((_, latest)) = dated.iter().max() else {
        return Ok(());
    };
    let peildatum = closes.with_day(1).unwrap_or(closes);
    let ft = Decimal::try_from(org.fulltime_hours).unwrap_or(Decimal::from(36));
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261001 + org.id as u64);
    // Stored employees come in pseudonym order, which differs per database (the key is
    // random): order them by everything but the pseudonym, so the same demo grows the
    // same contracts everywhere (employees alike in all of it are interchangeable).
    let mut previous = store.hr_employees(*latest).await?;
    previous.sort_by_cached_key(|e| {
        (
            e.team.clone(),
            e.function.clone(),
            e.fwg_scale.clone(),
            e.contract_hours,
            e.age_band.map(|a| a.code()),
            e.start_date,
            e.end_date,
            e.contract_kind.map(|k| k.code()),
        )
    });
    let mut employees = Vec::new();
    for e in previous {
        let roll = rng.random_range(0..100);
        if roll < 5 {
            continue; // left
        }
        let mut e = e;
        let h = e.contract_hours;
        if h > Decimal::ZERO && h < Decimal::from(28) && roll < 20 {
            e.contract_hours = (h + Decimal::from(rng.random_range(1..4) * 2)).min(ft);
            e.part_time_factor = hr::fte(e.contract_hours, ft);
        }
        employees.push(e);
    }
    let key = crate::nulmeting::pseudonymiser(store, org.id)
        .await
        .map_err(|e| AppError::internal(format!("{e:?}")))?;
    let teams: Vec<Option<String>> = employees.iter().map(|e| e.team.clone()).collect();
    let joiners = employees.len() / 25;
    for n in 0..joiners {
        let hours = Decimal::from([16, 20, 24, 24, 28, 32][rng.random_range(0..6)]);
        employees.push(hr::Employee {
            pseudonym: key.pseudonym(&format!("N{}{n:03}", peildatum.format("%Y%m"))),
            team: teams[rng.random_range(0..teams.len().max(1))].clone(),
            function: employees.first().and_then(|e| e.function.clone()),
            fwg_scale: employees.first().and_then(|e| e.fwg_scale.clone()),
            contract_hours: hours,
            part_time_factor: hr::fte(hours, ft),
            age_band: Some(hr::AgeBand::ALL[rng.random_range(0..hr::AgeBand::ALL.len())]),
            start_date: peildatum.with_month(peildatum.month().saturating_sub(2).max(1)),
            end_date: None,
            contract_kind: Some(hr::ContractKind::Vast),
            source_rows: Vec::new(),
        });
    }
    employees.sort_by(|a, b| a.pseudonym.cmp(&b.pseudonym));
    let file = format!("demo-hr-{}.csv", peildatum.format("%Y-%m"));
    store
        .insert_hr_snapshot(
            org.id,
            &store::NewHrSnapshot {
                peildatum,
                file_name: &file,
                rows_read: employees.len(),
                skipped: 0,
                employees: &employees,
            },
        )
        .await?;
    Ok(())
}

async fn spring_round(store: &Store, org: &store::Organisation) -> AppResult<()> {
    use rand::SeedableRng;
    use rand::seq::SliceRandom;
    let mut rng = rand::rngs::StdRng::seed_from_u64(20260302);
    let q = Questionnaire::standard("medewerkers", 1).map_err(AppError::internal)?;
    let teams = store.teams(org.id).await?;
    let (opens, closes) = (date("2026-03-02")?, date("2026-03-22")?);
    let round = store
        .create_survey_round(
            org.id,
            &store::NewSurveyRound {
                name: "Nulmeting voorjaar 2026".into(),
                kind: "nulmeting".into(),
                questionnaire: "medewerkers".into(),
                version: 1,
                custom_questions: "[]".into(),
                opens_on: opens.format("%Y-%m-%d").to_string(),
                closes_on: closes.format("%Y-%m-%d").to_string(),
                invitation_text: format!(
                    "Beste collega, {} wil weten wie meer uren wil werken en wat daarvoor \
                     nodig is. Uw antwoorden zijn anoniem.",
                    org.name
                ),
                import_round: false,
            },
            &teams.iter().map(|t| t.id).collect::<Vec<_>>(),
        )
        .await?;
    let (per_team, counts) = GGZ_SPRING;
    let mut openness: Vec<&str> = Vec::new();
    for (i, n) in counts.iter().enumerate() {
        openness.extend(std::iter::repeat_n(super::survey::OPENNESS[i], *n as usize));
    }
    openness.shuffle(&mut rng);
    let mut next = openness.into_iter();
    let mut responses = Vec::new();
    for (team, n) in teams.iter().zip(per_team) {
        store
            .set_round_team_invited(round.id, team.id, (n + n / 2 + 3) as i64)
            .await?;
        for i in 0..n {
            let Some(o) = next.next() else { break };
            let r = super::survey::demo_response(&mut rng, o);
            let validated = q.validate(&r).map_err(|e| {
                AppError::internal(format!("demo response invalid: {:?}", e.errors))
            })?;
            responses.push(NewResponse {
                team_id: Some(team.id),
                version: 1,
                answers: serde_json::to_string(&validated.response).map_err(AppError::internal)?,
                day: (opens + chrono::Days::new(i % 7))
                    .format("%Y-%m-%d")
                    .to_string(),
                source: "code",
            });
        }
    }
    store
        .import_survey_responses_with_texts(round.id, &responses, &[])
        .await?;
    store.set_survey_round_status(round.id, "gesloten").await?;
    Ok(())
}
