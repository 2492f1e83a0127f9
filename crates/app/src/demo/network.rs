//! Demo data for round tables and the learning network (issue 30): four practices shared
//! by Twente organisations, whose effects are computed from the HR demo's two snapshots
//! (2025-01 and 2025-07), its PNIL months and — for De Dinkel — a roster scan from before
//! the start next to the value-case demo's scan of 2026-09; and a past round table of the
//! VVT organisations with its shared picture (one item linked to a practice) and actions.
//! Runs after the other demo parts; loads nothing when round tables exist.

use store::{RosterScanRecord, Store};

use crate::access::Caller;
use crate::practices::{LinkForm, PracticeForm};
use crate::round_table::{ActionForm, InvitedForm, ItemForm, RoundTableForm};
use crate::{AppError, AppResult};

/// (organisation, title, intervention, theme, description, team type, size band, start,
/// teams (empty: whole organisation), visible to all regions).
type DemoPractice = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    bool,
);

const PRACTICES: &[DemoPractice] = &[
    (
        "Zorggroep De Dinkel",
        "Roosteren met vaste dagen en minder losse diensten",
        "roostersessies",
        "rooster",
        "Na de roosterscan hebben planners en teamleiders in drie werksessies korte en gebroken diensten samengevoegd en vaste werkdagen ingevoerd. Medewerkers die meer uren wilden, kregen die in aaneengesloten diensten.",
        "verpleeghuis en wijkverpleging",
        "100_500",
        "2025-03-01",
        &[],
        false,
    ),
    (
        "Stichting Twentse Horizon",
        "Het goede gesprek over meer uren",
        "goed_gesprek",
        "cultuur",
        "Alle leidinggevenden volgden de workshop Goed Gesprek en voerden daarna met iedere medewerker met een klein contract een gesprek over wensen en voorwaarden.",
        "woongroepen",
        "tot_100",
        "2025-02-01",
        &[],
        true,
    ),
    (
        "GGZ Regge en Vecht",
        "Rekenen met de WerkUrenBerekenaar in het teamoverleg",
        "werkurenberekenaar",
        "financien",
        "In elk teamoverleg rekende HR samen met medewerkers voorbeelden door: wat levert vier uur meer netto op, ook met toeslagen. Daarna konden medewerkers een eigen afspraak maken.",
        "kliniek",
        "tot_100",
        "2025-03-01",
        &["Kliniek Acuut", "Kliniek Herstel"],
        false,
    ),
    (
        "Jeugdzorg De Berkel",
        "Vacatures alleen nog met een contract vanaf 28 uur",
        "hr_workshop",
        "hr_beleid",
        "In de HR Workshop is besloten vacatures eerst intern aan te bieden als uitbreiding, en nieuwe vacatures met minstens 28 uur uit te zetten.",
        "gezinshuizen en groepen",
        "tot_100",
        "2025-02-01",
        &[],
        true,
    ),
];

/// Loads the demo practices and round table (once).
pub async fn load(store: &Store) -> AppResult<()> {
    let region = store.default_region().await?;
    if !store.round_tables(region.id).await?.is_empty() {
        return Ok(());
    }
    // A roster scan of De Dinkel from before its roster sessions, so the practice shows
    // opkomstmomenten before and after (the value-case demo recorded the one of 2026-09).
    // Its short- and split-shift shares stay below the later scan's, so the Value Case's
    // roster findings (which quote the highest share) do not change.
    if let Ok(org) = store.find_organisation("Zorggroep De Dinkel").await {
        store
            .add_roster_scan_summary(
                org.id,
                &RosterScanRecord {
                    id: 0,
                    org_id: org.id,
                    scanned_on: "2025-02-16".into(),
                    employees: 121,
                    shifts: 2_400,
                    short_shift_share: 0.36,
                    split_shift_share: 0.05,
                    recorded_at: 0,
                },
            )
            .await?;
    }
    let mut shared = Vec::new();
    for (org, title, intervention, theme, description, team_type, size, start, teams, all) in
        PRACTICES
    {
        let Ok(o) = store.find_organisation(org).await else {
            continue;
        };
        let team_ids = store
            .teams(o.id)
            .await?
            .into_iter()
            .filter(|t| teams.contains(&t.name.as_str()))
            .map(|t| t.id)
            .collect();
        let p = crate::practices::share(
            store,
            Caller::Operator,
            o.id,
            &PracticeForm {
                title: (*title).into(),
                intervention: (*intervention).into(),
                theme: (*theme).into(),
                description: (*description).into(),
                subsector: String::new(),
                team_type: (*team_type).into(),
                size_band: (*size).into(),
                started_on: (*start).into(),
                team_ids,
                links: vec![LinkForm {
                    label: "Materialen van de interventie (voorbeeld)".into(),
                    url: format!("https://urenwinst.example/materialen/{intervention}"),
                }],
                all_regions: *all,
                consent: true,
            },
        )
        .await?;
        shared.push(p.id);
    }
    let vvt: Vec<i64> = store
        .region_organisations(region.id)
        .await?
        .into_iter()
        .filter(|o| o.subsector == store::Subsector::Vvt)
        .map(|o| o.id)
        .collect();
    let attendees = [3, 2, 2, 1];
    let item = |kind: &str, theme: &str, text: &str, practice: Option<i64>| ItemForm {
        kind: kind.into(),
        theme: theme.into(),
        text: text.into(),
        practice_id: practice,
    };
    let action = |text: &str, owner: &str, due: &str, status: &str| ActionForm {
        text: text.into(),
        owner: owner.into(),
        due_on: due.into(),
        status: status.into(),
    };
    crate::round_table::create(
        store,
        Caller::Operator,
        region.id,
        &RoundTableForm {
            subsector: Some("vvt".into()),
            title: "Rondetafel VVT Twente najaar 2026".into(),
            held_on: "2026-11-12".into(),
            place: "Hengelo, Twentehuis".into(),
            invited: vvt
                .iter()
                .enumerate()
                .map(|(i, id)| InvitedForm {
                    org_id: *id,
                    attendees: attendees.get(i).copied(),
                })
                .collect(),
            items: vec![
                item(
                    "kans",
                    "rooster",
                    "Veel medewerkers willen meer uren als diensten aaneengesloten zijn.",
                    None,
                ),
                item(
                    "belemmering",
                    "financien",
                    "Twijfel of meer werken loont door toeslagen.",
                    None,
                ),
                item(
                    "belemmering",
                    "formatie_budget",
                    "Budgetten zijn in koppen begroot, niet in uren.",
                    None,
                ),
                item(
                    "oplossing",
                    "rooster",
                    "Samen roosterregels afspreken naar het voorbeeld van De Dinkel.",
                    shared.first().copied(),
                ),
                item(
                    "oplossing",
                    "financien",
                    "De WerkUrenBerekenaar in elk teamoverleg laten zien.",
                    shared.get(2).copied(),
                ),
            ],
            actions: vec![
                action(
                    "Werkgroep roosterregels VVT starten",
                    "Marieke Jansen",
                    "2027-01-15",
                    "bezig",
                ),
                action(
                    "Informatiepakket over netto loon en toeslagen delen",
                    "Ahmed El Amrani",
                    "2026-12-15",
                    "klaar",
                ),
                action(
                    "Begroting in uren bespreken met de financiers",
                    "Petra Programmaleider",
                    "2027-03-01",
                    "open",
                ),
            ],
        },
    )
    .await
    .map_err(|e| AppError::internal(format!("demo round table: {e}")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use store::testing::TestDb;

    #[tokio::test]
    async fn the_demo_has_a_round_table_and_practices_with_measured_effects() {
        for db in TestDb::all().await.unwrap() {
            let s = db.store.clone();
            crate::demo::load(&s).await.unwrap().unwrap();
            let region = s.default_region().await.unwrap();
            let tables = s.round_tables(region.id).await.unwrap();
            assert_eq!(tables.len(), 1);
            assert_eq!(tables[0].invited.len(), 4);
            assert!(tables[0].items.iter().any(|i| i.practice_id.is_some()));
            let list = crate::practices::library(
                &s,
                crate::access::Caller::Operator,
                &crate::practices::Filter::default(),
            )
            .await
            .unwrap();
            assert_eq!(list.len(), 4);
            let with_effect = list
                .iter()
                .filter(|p| p.effect.as_ref().is_some_and(|e| e.any()))
                .count();
            assert!(with_effect >= 3, "{with_effect} practices with an effect");
            let dinkel = list
                .iter()
                .find(|p| p.organisation.as_deref() == Some("Zorggroep De Dinkel"))
                .unwrap();
            let e = dinkel.effect.as_ref().unwrap();
            assert!(e.contract_hours.value.is_some(), "{e:?}");
            assert!(e.pnil.value.is_some(), "{e:?}");
            assert!(e.opkomstmomenten.value.is_some(), "{e:?}");
            // Loading twice adds nothing.
            super::load(&s).await.unwrap();
            assert_eq!(s.round_tables(region.id).await.unwrap().len(), 1);
            db.cleanup().await.unwrap();
        }
    }
}
