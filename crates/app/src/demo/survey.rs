//! Demo survey rounds with responses for the demo region.

use store::{NewResponse, Store};
use survey::Questionnaire;

use crate::survey::today;
use crate::{AppError, AppResult};

/// One demo round: organisation, respondents per team (in team order; a team below the
/// minimum group size shows suppression), and the openness answers as exact counts
/// (`ja_zeker`, `ja_onder_voorwaarden`, `nee`, `weet_ik_niet`, `al_voltijd`).
struct DemoRound {
    org: &'static str,
    per_team: &'static [u64],
    openness: [u64; 5],
    open_now: bool,
    /// Free texts to "other conditions" (given by the first respondents open under
    /// conditions, who then also chose "anders"), with the programme team's review:
    /// `Some(text)` approved as that text (edited when it differs), `None` withheld; an
    /// open round's texts are still pending.
    texts: &'static [(&'static str, Option<&'static str>)],
}

/// De Dinkel reproduces the reference case (Zorggroep Sint Maarten, DOMAIN.md): 14% "ja,
/// zeker" and 31% "onder voorwaarden" of 100 respondents, so 45% open. The other rounds
/// are believable variations; invited counts are respondents plus non-responders.
const DEMO_ROUNDS: &[DemoRound] = &[
    DemoRound {
        org: "Zorggroep De Dinkel",
        per_team: &[22, 19, 3, 17, 15, 13, 11],
        openness: [14, 31, 30, 15, 10],
        open_now: false,
        texts: &[
            (
                "Als ik vaker met dezelfde collega's in een vast team kan werken.",
                Some("Als ik vaker met dezelfde collega's in een vast team kan werken."),
            ),
            (
                "Duidelijkheid over wat meer uren doet met mijn zorgtoeslag.",
                Some("Duidelijkheid over wat meer uren doet met mijn zorgtoeslag."),
            ),
            (
                "Een rooster dat minstens vier weken vooruit bekend is.",
                Some("Een rooster dat minstens vier weken vooruit bekend is."),
            ),
            (
                "Liever één lange dienst dan twee korte op een dag.",
                Some("Liever één lange dienst dan twee korte op een dag."),
            ),
            (
                "Als ik niet steeds met Henk van de nachtploeg hoef te ruilen, want dat loopt altijd mis.",
                Some("Als het ruilen van diensten beter geregeld wordt."),
            ),
            (
                "Als de reistijd tussen Losser en Oldenzaal als werktijd telt.",
                Some("Als de reistijd tussen twee locaties als werktijd telt."),
            ),
            (
                "Ik ben de enige nachtverpleegkundige van mijn team en wil pas meer als er een tweede komt.",
                None,
            ),
        ],
    },
    DemoRound {
        org: "Stichting Twentse Horizon",
        per_team: &[14, 12, 4, 16],
        openness: [8, 15, 10, 7, 6],
        open_now: false,
        texts: &[
            (
                "Een vaste dag vrij in de week.",
                Some("Een vaste dag vrij in de week."),
            ),
            (
                "Als de dagbesteding ook in de middag open is.",
                Some("Als de dagbesteding ook in de middag open is."),
            ),
        ],
    },
    DemoRound {
        org: "GGZ Regge en Vecht",
        per_team: &[11, 9, 13, 2],
        openness: [5, 12, 10, 5, 3],
        open_now: true,
        texts: &[
            ("Minder diensten op zaterdag.", Some("")),
            ("Als het vervoer naar de kliniek geregeld is.", Some("")),
            ("Een beter inwerkprogramma voor nieuwe collega's.", Some("")),
        ],
    },
];

pub(super) const OPENNESS: [&str; 5] = [
    "ja_zeker",
    "ja_onder_voorwaarden",
    "nee",
    "weet_ik_niet",
    "al_voltijd",
];

pub(super) fn demo_response(rng: &mut impl rand::Rng, openness: &str) -> survey::Response {
    use survey::Answer;
    let pick = |rng: &mut dyn rand::RngCore, xs: &[&str]| -> String {
        xs[(rng.next_u32() as usize) % xs.len()].to_string()
    };
    let contract: f64 = match openness {
        "al_voltijd" => 36.0,
        _ => [12.0, 16.0, 18.0, 20.0, 24.0, 24.0, 27.0, 28.0, 32.0][rng.random_range(0..9)],
    };
    let extra_shifts = [0.0, 0.0, 2.0, 4.0, 6.0][rng.random_range(0..5)];
    let desired = match openness {
        "ja_zeker" | "ja_onder_voorwaarden" => {
            (contract + [4.0, 4.0, 6.0, 8.0, 8.0, 12.0][rng.random_range(0..6)]).min(36.0)
        }
        "nee" => contract - [0.0, 0.0, 0.0, 4.0][rng.random_range(0..4)],
        _ => contract,
    };
    let mut r = survey::Response::new()
        .with("contract_uren", Answer::Number(contract))
        .with("gewerkte_uren", Answer::Number(contract + extra_shifts))
        .with("gewenste_uren", Answer::Number(desired))
        .with("bereidheid", Answer::Choice(openness.into()));
    if openness == "ja_onder_voorwaarden" {
        let all = [
            "langere_diensten",
            "minder_opkomstmomenten",
            "vast_rooster",
            "zelf_roosteren",
            "andere_diensttijden",
            "combinatiediensten",
            "kinderopvang",
            "mantelzorg",
            "lagere_werkdruk",
            "zeker_financieel",
            "reistijd",
            "ontwikkeling",
        ];
        // The reference case's themes weigh most: longer shifts, fewer arrivals, a
        // predictable roster and certainty that it pays.
        let mut chosen: Vec<String> = Vec::new();
        for (i, o) in all.iter().enumerate() {
            let p = if i < 3 || *o == "zeker_financieel" {
                0.45
            } else {
                0.12
            };
            if rng.random_bool(p) {
                chosen.push(o.to_string());
            }
        }
        if chosen.is_empty() {
            chosen.push("zeker_financieel".into());
        }
        r.set("voorwaarden", Answer::Choices(chosen));
    }
    if openness == "nee" {
        let all = [
            "korte_diensten",
            "te_veel_opkomstmomenten",
            "onvoorspelbaar_rooster",
            "zorg_kinderen",
            "mantelzorg",
            "gezondheid",
            "werkdruk",
            "levert_niet_op",
            "tevreden",
        ];
        let mut chosen: Vec<String> = Vec::new();
        for o in all {
            let p = if matches!(o, "werkdruk" | "zorg_kinderen" | "levert_niet_op") {
                0.4
            } else {
                0.12
            };
            if rng.random_bool(p) {
                chosen.push(o.to_string());
            }
        }
        if chosen.is_empty() {
            chosen.push("tevreden".into());
        }
        r.set("belemmeringen", Answer::Choices(chosen));
    }
    r.set(
        "rondkomen",
        Answer::Choice(pick(rng, &["moeilijk", "lukt_net", "lukt_net", "goed"])),
    );
    r.set(
        "weet_netto",
        Answer::Choice(pick(rng, &["ja", "ongeveer", "nee", "nee"])),
    );
    r.set(
        "tevredenheid_rooster",
        Answer::Scale(rng.random_range(1..=5)),
    );
    r.set(
        "blijven",
        Answer::Choice(pick(
            rng,
            &[
                "zeker_wel",
                "waarschijnlijk_wel",
                "waarschijnlijk_wel",
                "weet_ik_niet",
                "waarschijnlijk_niet",
            ],
        )),
    );
    if rng.random_bool(0.85) {
        r.set(
            "leeftijd",
            Answer::Choice(pick(rng, &["tot_25", "25_34", "35_44", "45_54", "55_plus"])),
        );
    }
    if rng.random_bool(0.8) {
        r.set(
            "dienstjaren",
            Answer::Choice(pick(rng, &["tot_2", "2_5", "5_10", "10_plus"])),
        );
    }
    if rng.random_bool(0.85) {
        r.set(
            "functieniveau",
            Answer::Choice(pick(
                rng,
                &[
                    "helpende",
                    "verzorgende",
                    "verzorgende",
                    "verpleegkundige_mbo",
                    "hbo",
                    "ondersteunend",
                ],
            )),
        );
    }
    if rng.random_bool(0.7) {
        r.set(
            "huishouden",
            Answer::Choice(pick(
                rng,
                &["alleen", "alleen_kinderen", "samen", "samen_kinderen"],
            )),
        );
    }
    r
}

/// Loads demo survey rounds with responses into the demo region (deterministic: fixed
/// seed). Returns the number of responses stored.
pub async fn load(store: &Store) -> AppResult<usize> {
    use rand::seq::SliceRandom;
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(20260914);
    let q = Questionnaire::standard("medewerkers", 1).map_err(AppError::internal)?;
    let today =
        chrono::NaiveDate::parse_from_str(&today(), "%Y-%m-%d").map_err(AppError::internal)?;
    let mut total = 0;
    for d in DEMO_ROUNDS {
        let org = store.find_organisation(d.org).await?;
        let teams = store.teams(org.id).await?;
        let (opens, closes, name) = if d.open_now {
            (
                today - chrono::Days::new(7),
                today + chrono::Days::new(14),
                "Nulmeting (loopt nu)",
            )
        } else {
            (
                chrono::NaiveDate::from_ymd_opt(2026, 9, 14).unwrap_or(today),
                chrono::NaiveDate::from_ymd_opt(2026, 10, 4).unwrap_or(today),
                "Nulmeting najaar 2026",
            )
        };
        let round = store
            .create_survey_round(
                org.id,
                &store::NewSurveyRound {
                    name: name.into(),
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
        let mut openness: Vec<&str> = Vec::new();
        for (i, n) in d.openness.iter().enumerate() {
            openness.extend(std::iter::repeat_n(OPENNESS[i], *n as usize));
        }
        openness.shuffle(&mut rng);
        let mut next = openness.into_iter();
        let mut responses = Vec::new();
        let mut texts = d.texts.iter();
        let mut free_texts: Vec<(String, String)> = Vec::new();
        for (team, n) in teams.iter().zip(d.per_team) {
            let invited = n + n / 2 + 3;
            store
                .set_round_team_invited(round.id, team.id, invited as i64)
                .await?;
            for _ in 0..*n {
                let Some(o) = next.next() else { break };
                let mut r = demo_response(&mut rng, o);
                if o == "ja_onder_voorwaarden"
                    && let Some((text, _)) = texts.next()
                {
                    let mut chosen = r.choices("voorwaarden").to_vec();
                    chosen.push("anders".into());
                    r.set("voorwaarden", survey::Answer::Choices(chosen));
                    r.set("voorwaarden_anders", survey::Answer::Text((*text).into()));
                }
                let mut validated = q.validate(&r).map_err(|e| {
                    AppError::internal(format!("demo response invalid: {:?}", e.errors))
                })?;
                // Free text is kept apart from the response, for review.
                validated.response.answers.retain(|id, a| match a {
                    survey::Answer::Text(t) => {
                        free_texts.push((id.clone(), t.clone()));
                        false
                    }
                    _ => true,
                });
                let day = opens + chrono::Days::new(rng.random_range(0..7));
                responses.push(NewResponse {
                    team_id: Some(team.id),
                    version: 1,
                    answers: serde_json::to_string(&validated.response)
                        .map_err(AppError::internal)?,
                    day: day.format("%Y-%m-%d").to_string(),
                    source: "code",
                });
            }
        }
        total += store
            .import_survey_responses_with_texts(round.id, &responses, &free_texts)
            .await?;
        if !d.open_now {
            // The programme team's review of the closed rounds' free texts.
            for item in store.survey_free_texts(round.id).await? {
                match d.texts.iter().find(|(t, _)| *t == item.text) {
                    Some((_, Some(publish))) => {
                        store
                            .review_survey_free_text(item.id, "approved", Some(publish))
                            .await?
                    }
                    _ => {
                        store
                            .review_survey_free_text(item.id, "withheld", None)
                            .await?
                    }
                }
            }
        }
        store
            .set_survey_round_status(round.id, if d.open_now { "open" } else { "gesloten" })
            .await?;
    }
    Ok(total)
}
