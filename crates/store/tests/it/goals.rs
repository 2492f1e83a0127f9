//! Goals, manual goal values, the request form and contract requests (migration 0010) on
//! SQLite and, when configured, PostgreSQL.

use crate::for_each_backend;
use impact::{GoalKind, RequestStatus};
use store::{NewContractRequest, NewGoal, OrganisationInput, RequestUpdate, StoreError, Subsector};

#[tokio::test]
async fn goals_and_manual_values() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Zorg A", Subsector::Vvt))
            .await
            .unwrap();
        let other = s
            .create_organisation(&OrganisationInput::new("Zorg B", Subsector::Vvt))
            .await
            .unwrap();
        let team = s.create_team(org.id, "Sint Jozef", None).await.unwrap();
        let b_team = s.create_team(other.id, "Elders", None).await.unwrap();
        let mut g = NewGoal {
            kind: GoalKind::FteAdded,
            team_id: Some(team.id),
            baseline_date: "2026-01-01",
            baseline_value: None,
            target: 2.9,
            deadline: "2026-07-01",
            note: "",
            created_by: None,
        };
        let fte = s.add_goal(org.id, &g).await.unwrap();
        assert_eq!(
            (fte.kind, fte.team_id, fte.target),
            (GoalKind::FteAdded, Some(team.id), 2.9)
        );
        g.team_id = Some(b_team.id);
        assert!(matches!(
            s.add_goal(org.id, &g).await,
            Err(StoreError::Invalid { field: "team", .. })
        ));
        g.team_id = None;
        g.deadline = "01-07-2026";
        assert!(matches!(
            s.add_goal(org.id, &g).await,
            Err(StoreError::Invalid {
                field: "deadline",
                ..
            })
        ));
        g.deadline = "2026-12-31";
        g.kind = GoalKind::Manual;
        g.baseline_value = Some(3.0);
        g.note = "Aantal dialoogsessies";
        let manual = s.add_goal(org.id, &g).await.unwrap();
        s.add_goal_value(org.id, manual.id, "2026-03-01", 5.0, "twee sessies", None)
            .await
            .unwrap();
        assert!(matches!(
            s.add_goal_value(other.id, manual.id, "2026-03-01", 5.0, "", None)
                .await,
            Err(StoreError::NotFound)
        ));
        let values = s.goal_values(org.id).await.unwrap();
        assert_eq!(values.len(), 1);
        assert_eq!(values[0].value, 5.0);
        assert!(s.goal_values(other.id).await.unwrap().is_empty());
        assert_eq!(s.goals(org.id).await.unwrap().len(), 2);
        assert!(matches!(
            s.delete_goal(other.id, manual.id).await,
            Err(StoreError::NotFound)
        ));
        s.delete_goal(org.id, manual.id).await.unwrap();
        assert!(s.goal_values(org.id).await.unwrap().is_empty());
        assert_eq!(s.goals(org.id).await.unwrap(), vec![fte]);
    })
    .await;
}

#[tokio::test]
async fn requests_move_through_the_pipeline_and_lose_personal_data_after_retention() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Zorg A", Subsector::Vvt))
            .await
            .unwrap();
        let other = s
            .create_organisation(&OrganisationInput::new("Zorg B", Subsector::Vvt))
            .await
            .unwrap();
        let team = s.create_team(org.id, "Sint Jozef", None).await.unwrap();
        assert_eq!(s.request_form(org.id).await.unwrap(), None);
        s.set_request_form(org.id, "ABCD2345", 12).await.unwrap();
        assert!(matches!(
            s.set_request_form(org.id, "ABCD2345", 0).await,
            Err(StoreError::Invalid {
                field: "retention_months",
                ..
            })
        ));
        assert!(
            s.set_request_form(other.id, "ABCD2345", 12).await.is_err(),
            "codes are unique"
        );
        s.set_request_form(org.id, "WXYZ6789", 3).await.unwrap();
        assert_eq!(
            s.request_form_by_code("WXYZ6789").await.unwrap().org_id,
            org.id
        );
        assert!(matches!(
            s.request_form_by_code("ABCD2345").await,
            Err(StoreError::NotFound)
        ));
        let new = |name: &'static str| NewContractRequest {
            team_id: Some(team.id),
            extra_hours: 4.0,
            days: "ma,di",
            shifts: "vroeg",
            conditions: "langere_diensten",
            name,
            contact: "06-12345678",
            created_on: "2026-02-01",
        };
        let a = s.add_contract_request(org.id, &new("Anna")).await.unwrap();
        let b = s.add_contract_request(org.id, &new("Bram")).await.unwrap();
        assert_eq!(a.status, RequestStatus::Nieuw);
        assert!(s.contract_requests(other.id).await.unwrap().is_empty());
        assert!(matches!(
            s.contract_request(other.id, a.id).await,
            Err(StoreError::NotFound)
        ));
        let accepted = s
            .update_contract_request(
                org.id,
                a.id,
                &RequestUpdate {
                    status: RequestStatus::Verwerkt,
                    reason: None,
                    hours_agreed: Some(4.0),
                    employee_pseudonym: Some("abc"),
                    accepted_on: Some("2026-03-01"),
                },
            )
            .await
            .unwrap();
        assert!(accepted.closed_at.is_some());
        assert_eq!(accepted.accepted_on.as_deref(), Some("2026-03-01"));
        assert!(matches!(
            s.update_contract_request(
                other.id,
                b.id,
                &RequestUpdate {
                    status: RequestStatus::NietGelukt,
                    reason: Some("x"),
                    hours_agreed: None,
                    employee_pseudonym: None,
                    accepted_on: None,
                }
            )
            .await,
            Err(StoreError::NotFound)
        ));
        // Three months after closing, the personal data goes; the open request keeps it.
        let closed = accepted.closed_at.unwrap();
        assert_eq!(
            s.anonymise_closed_requests(closed + 60, 12).await.unwrap(),
            0
        );
        let later = closed + 3 * store::SECONDS_PER_MONTH;
        assert_eq!(s.anonymise_closed_requests(later, 12).await.unwrap(), 1);
        let got = s.contract_request(org.id, a.id).await.unwrap();
        assert_eq!(
            (got.name, got.contact, got.employee_pseudonym),
            (None, None, None)
        );
        assert_eq!(got.days, "");
        assert_eq!(
            (got.hours_agreed, got.status),
            (Some(4.0), RequestStatus::Verwerkt)
        );
        assert!(got.anonymised_at.is_some());
        let open = s.contract_request(org.id, b.id).await.unwrap();
        assert_eq!(open.name.as_deref(), Some("Bram"));
    })
    .await;
}

/// An optional float bound as `None` and then as `Some` on the same connection (one
/// pooled connection): PostgreSQL must not see the float as a `float4` the second time.
#[tokio::test]
async fn a_missing_then_a_present_baseline_value_are_both_stored() {
    for_each_backend(|s| async move {
        let org = s
            .create_organisation(&OrganisationInput::new("Zorg Doelen", Subsector::Vvt))
            .await
            .unwrap();
        for (kind, value) in [
            (GoalKind::ContractHoursAdded, None),
            (GoalKind::Manual, Some(0.5)),
            (GoalKind::FteAdded, None),
            (GoalKind::Manual, Some(12.25)),
        ] {
            s.add_goal(
                org.id,
                &NewGoal {
                    kind,
                    team_id: None,
                    baseline_date: "2026-01-01",
                    baseline_value: value,
                    target: 10.0,
                    deadline: "2026-12-31",
                    note: "",
                    created_by: None,
                },
            )
            .await
            .unwrap();
        }
        let stored: Vec<Option<f64>> = s
            .goals(org.id)
            .await
            .unwrap()
            .iter()
            .map(|g| g.baseline_value)
            .collect();
        assert_eq!(stored, vec![None, Some(0.5), None, Some(12.25)]);
    })
    .await;
}
