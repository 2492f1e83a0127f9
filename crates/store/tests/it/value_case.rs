//! Value Case records (interview, roster-scan summaries, generated and shared reports) on
//! SQLite and, when configured, PostgreSQL.

use crate::for_each_backend;
use store::{
    InterviewItemRecord, InterviewRecord, NewSurveyRound, OrganisationInput, RosterScanRecord,
    StoreError, Subsector,
};

fn item(kind: &str, theme: &str, text: &str, in_report: bool) -> InterviewItemRecord {
    InterviewItemRecord {
        kind: kind.into(),
        theme: theme.into(),
        text: text.into(),
        quote: Some(format!("'{text}'")),
        who: "HR-adviseur".into(),
        in_report,
    }
}

#[tokio::test]
async fn interview_is_saved_replaced_and_removed() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Zorg A", Subsector::Vvt))
            .await
            .unwrap();
        assert_eq!(s.interview(org.id).await.unwrap(), None);
        let mut rec = InterviewRecord {
            held_on: Some("2026-02-10".into()),
            participants: "bestuurder, HR-adviseur".into(),
            contract_policy: "Standaard 24 uur".into(),
            roster_practice: "Teamleiders roosteren".into(),
            flex_pnil: "Eigen flexpool, veel uitzendkrachten".into(),
            earlier_initiatives: String::new(),
            items: vec![
                item("belemmering", "rooster", "Korte diensten", true),
                item("kans", "cultuur", "Draagvlak bij teamleiders", false),
            ],
            updated_at: 0,
            updated_by: None,
        };
        s.save_interview(org.id, &rec, None).await.unwrap();
        let got = s.interview(org.id).await.unwrap().unwrap();
        assert_eq!(got.items, rec.items, "items keep their order and fields");
        assert_eq!(got.contract_policy, "Standaard 24 uur");
        assert!(got.updated_at > 0);

        // Saving again replaces fields and items.
        rec.items = vec![item("kans", "zorgvraag", "Zorggolf", true)];
        rec.held_on = None;
        s.save_interview(org.id, &rec, None).await.unwrap();
        let got = s.interview(org.id).await.unwrap().unwrap();
        assert_eq!(got.items.len(), 1);
        assert_eq!(got.held_on, None);

        rec.held_on = Some("10-02-2026".into());
        assert!(matches!(
            s.save_interview(org.id, &rec, None).await,
            Err(StoreError::Invalid {
                field: "held_on",
                ..
            })
        ));

        let counts = s.fase0_counts().await.unwrap();
        assert!(counts[&org.id].interview);

        s.delete_interview(org.id).await.unwrap();
        assert_eq!(s.interview(org.id).await.unwrap(), None);
        assert!(matches!(
            s.delete_interview(org.id).await,
            Err(StoreError::NotFound)
        ));
        // Deleting the organisation removes its interview.
        s.save_interview(org.id, &rec_ok(), None).await.unwrap();
        s.delete_organisation(org.id).await.unwrap();
        assert_eq!(s.interview(org.id).await.unwrap(), None);
    })
    .await;
}

fn rec_ok() -> InterviewRecord {
    InterviewRecord {
        items: vec![item("kans", "overig", "x", false)],
        ..InterviewRecord::default()
    }
}

#[tokio::test]
async fn shares_reports_and_roster_scans_are_logged_and_counted() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Zorg B", Subsector::Gz))
            .await
            .unwrap();
        let other = s
            .create_organisation(&OrganisationInput::new("Zorg C", Subsector::Gz))
            .await
            .unwrap();
        let team = s.create_team(org.id, "Team 1", None).await.unwrap();
        let round = s
            .create_survey_round(
                org.id,
                &NewSurveyRound {
                    name: "Voorjaar".into(),
                    kind: "nulmeting".into(),
                    questionnaire: "medewerkers".into(),
                    version: 1,
                    custom_questions: "[]".into(),
                    opens_on: "2026-03-01".into(),
                    closes_on: "2026-03-31".into(),
                    invitation_text: String::new(),
                    import_round: true,
                },
                &[team.id],
            )
            .await
            .unwrap();

        let r = s
            .record_value_case_report(org.id, Some(round.id), "2026-03-01", "pdf", None)
            .await
            .unwrap();
        assert_eq!((r.format.as_str(), r.round_id), ("pdf", Some(round.id)));
        assert!(matches!(
            s.record_value_case_report(org.id, None, "2026-03-01", "docx", None)
                .await,
            Err(StoreError::Invalid {
                field: "format",
                ..
            })
        ));
        let sh = s
            .record_value_case_share(org.id, Some(round.id), "2026-03-01", None)
            .await
            .unwrap();
        assert_eq!(sh.snapshot, "2026-03-01");
        assert!(sh.shared_at > 0);
        assert_eq!(s.value_case_shares(org.id).await.unwrap(), vec![sh]);
        assert!(s.value_case_shares(other.id).await.unwrap().is_empty());
        assert_eq!(s.value_case_reports(org.id).await.unwrap().len(), 1);

        let scan = s
            .add_roster_scan_summary(
                org.id,
                &RosterScanRecord {
                    id: 0,
                    org_id: org.id,
                    scanned_on: "2026-02-01".into(),
                    employees: 40,
                    shifts: 600,
                    short_shift_share: 0.35,
                    split_shift_share: 0.05,
                    recorded_at: 0,
                },
            )
            .await
            .unwrap();
        assert_eq!(
            s.roster_scan_summaries(org.id).await.unwrap(),
            vec![scan.clone()]
        );
        let mut bad = scan.clone();
        bad.short_shift_share = 1.5;
        assert!(s.add_roster_scan_summary(org.id, &bad).await.is_err());

        let c = &s.fase0_counts().await.unwrap()[&org.id];
        assert_eq!(
            (c.reports, c.shares, c.roster_scans, c.pnil_months),
            (1, 1, 1, 0)
        );
        assert!(!c.interview);

        // A deleted round leaves the log, without the round.
        s.delete_survey_round(round.id).await.unwrap();
        assert_eq!(s.value_case_shares(org.id).await.unwrap()[0].round_id, None);
    })
    .await;
}
