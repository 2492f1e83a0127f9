//! One audit actor format for every product part: organisations, survey and HR baseline
//! name the same user the same way (they used to differ: "Name <email>" in one part, the
//! bare email in another).

use app::access::Caller;
use store::{NewSurveyRound, NewUser, OrganisationInput, Role, Subsector};

use crate::for_each_backend;

#[tokio::test]
async fn every_part_names_the_actor_the_same_way() {
    for_each_backend(|store| async move {
        let user = store
            .create_user(&NewUser {
                email: "petra@programma.example".into(),
                name: "Petra Programma".into(),
                role: Role::ProgrammeAdmin,
                org_id: None,
                team_ids: vec![],
                password_hash: None,
            })
            .await
            .unwrap();
        // Organisations part.
        let org = app::orgs::create_organisation(
            &store,
            Caller::User(&user),
            &OrganisationInput::new("Zorggroep Audit", Subsector::Vvt),
        )
        .await
        .unwrap();
        let team = app::orgs::create_team(&store, Caller::User(&user), org.id, "Berk", None)
            .await
            .unwrap();
        // Survey part.
        let round = app::survey::create_round(
            &store,
            Caller::User(&user),
            org.id,
            &NewSurveyRound {
                name: "Nulmeting".into(),
                kind: "nulmeting".into(),
                questionnaire: "medewerkers".into(),
                version: 1,
                custom_questions: "[]".into(),
                opens_on: "2026-01-01".into(),
                closes_on: "2026-02-01".into(),
                invitation_text: String::new(),
                import_round: false,
            },
            &[team.id],
        )
        .await
        .unwrap();
        app::survey::set_round_status(&store, Caller::User(&user), round.id, "open")
            .await
            .unwrap();
        // HR part.
        app::nulmeting::set_wage_cost(&store, &user, org.id, Some(5_800_000))
            .await
            .unwrap();
        app::nulmeting::set_benchmarks(&store, &user, None)
            .await
            .unwrap();

        let entries = store.audit_entries(100, None).await.unwrap();
        let mine: Vec<_> = entries
            .iter()
            .filter(|e| e.actor_id == Some(user.id))
            .collect();
        let actions: Vec<&str> = mine.iter().map(|e| e.action.as_str()).collect();
        for expected in [
            "organisation.create",
            "team.create",
            "survey.round.create",
            "survey.round.status",
            "hr.wage_cost",
            "hr.benchmarks_reset",
        ] {
            assert!(
                actions.contains(&expected),
                "{expected} not logged: {actions:?}"
            );
        }
        for e in &mine {
            assert_eq!(
                e.actor, "Petra Programma <petra@programma.example>",
                "{}",
                e.action
            );
            assert_eq!(e.actor, app::audit::actor(&user).label);
        }
        // The command line is named as itself.
        app::orgs::create_team(&store, Caller::Operator, org.id, "Eik", None)
            .await
            .unwrap();
        let last = &store.audit_entries(1, None).await.unwrap()[0];
        assert_eq!((last.actor_id, last.actor.as_str()), (None, "command line"));
    })
    .await;
}

/// Every action code the code base writes to the audit log has a Dutch name in
/// `app::audit::ACTION_NAMES`. Reads the source of every crate: for each `.audit(…)` call
/// the third argument, a string literal or a variable (then every dotted code literal in
/// the function around the call).
#[test]
fn every_audit_action_in_the_code_base_has_a_dutch_name() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    let mut dirs = vec![crates];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                // Tests write entries of their own; the product's codes are in src.
                if !path.ends_with("tests") && !path.ends_with("target") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut used = std::collections::BTreeSet::new();
    let mut calls = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut from = 0;
        while let Some(at) = text[from..].find(".audit(") {
            let start = from + at + ".audit(".len();
            from = start;
            let Some(args) = call_arguments(&text[start..]) else {
                continue;
            };
            if args.len() != 5 {
                // Not the store's `audit(actor, org, action, target, detail)`.
                continue;
            }
            calls += 1;
            let action = args[2].trim();
            if let Some(code) = literal(action) {
                used.insert((code.to_string(), file.display().to_string()));
            } else {
                assert!(
                    action.chars().all(|c| c.is_alphanumeric() || c == '_'),
                    "{}: the action of an audit call is neither a literal nor a variable: {action}",
                    file.display()
                );
                // A constant of the file: `const NAME: &str = "code";`.
                let constant = format!("const {action}: &str = \"");
                if let Some(at) = text.find(&constant) {
                    let rest = &text[at + constant.len()..];
                    let code = &rest[..rest.find('"').unwrap_or(0)];
                    assert!(
                        is_code(code),
                        "{}: {action} is not an action code",
                        file.display()
                    );
                    used.insert((code.to_string(), file.display().to_string()));
                    continue;
                }
                let fn_start = text[..start].rfind("fn ").unwrap_or(0);
                let body = &text[fn_start..start];
                let mut found = 0;
                for piece in body.split('"').skip(1).step_by(2) {
                    if is_code(piece) {
                        used.insert((piece.to_string(), file.display().to_string()));
                        found += 1;
                    }
                }
                assert!(
                    found > 0,
                    "{}: no action code found for the variable {action}",
                    file.display()
                );
            }
        }
    }
    assert!(
        calls > 50,
        "only {calls} audit calls found; is the scan broken?"
    );
    let missing: Vec<_> = used
        .iter()
        .filter(|(code, _)| !app::audit::ACTION_NAMES.iter().any(|(c, _)| c == code))
        .collect();
    assert!(
        missing.is_empty(),
        "action codes without a Dutch name: {missing:?}"
    );
    for (code, _) in app::audit::ACTION_NAMES {
        assert!(
            used.iter().any(|(c, _)| c == code),
            "{code} has a Dutch name but is never written"
        );
    }
}

/// The top-level arguments of a call whose text starts after its opening parenthesis.
fn call_arguments(s: &str) -> Option<Vec<String>> {
    let mut depth = 0;
    let mut args = vec![String::new()];
    let mut in_str = false;
    let mut prev = ' ';
    for c in s.chars() {
        if in_str {
            if c == '"' && prev != '\\' {
                in_str = false;
            }
            args.last_mut()?.push(c);
            prev = c;
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' if depth == 0 => {
                if args.last().is_some_and(|a| a.trim().is_empty()) {
                    args.pop();
                }
                return Some(args);
            }
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                args.push(String::new());
                prev = c;
                continue;
            }
            _ => {}
        }
        args.last_mut()?.push(c);
        prev = c;
    }
    None
}

fn literal(arg: &str) -> Option<&str> {
    arg.strip_prefix('"')?.strip_suffix('"')
}

/// An action code: lower-case words joined by dots, at least one dot.
fn is_code(s: &str) -> bool {
    s.contains('.')
        && s.split('.')
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
}

/// Filters by organisation, actor and action; 50 per page in a stable order; an
/// organisation admin reads only the own organisation's entries.
#[tokio::test]
async fn the_log_filters_pages_and_keeps_organisations_apart() {
    for_each_backend(|store| async move {
        let programme = store
            .create_user(&NewUser {
                email: "pa@programma.example".into(),
                name: "Petra".into(),
                role: Role::ProgrammeAdmin,
                org_id: None,
                team_ids: vec![],
                password_hash: None,
            })
            .await
            .unwrap();
        let a = app::orgs::create_organisation(
            &store,
            Caller::User(&programme),
            &OrganisationInput::new("Zorggroep A", Subsector::Vvt),
        )
        .await
        .unwrap();
        let b = app::orgs::create_organisation(
            &store,
            Caller::User(&programme),
            &OrganisationInput::new("Zorggroep B", Subsector::Ggz),
        )
        .await
        .unwrap();
        let admin_a = store
            .create_user(&NewUser {
                email: "hr@a.example".into(),
                name: "Anna".into(),
                role: Role::OrgAdmin,
                org_id: Some(a.id),
                team_ids: vec![],
                password_hash: None,
            })
            .await
            .unwrap();
        // 60 teams in A by Anna, 3 in B by the programme admin.
        for i in 0..60 {
            app::orgs::create_team(&store, Caller::User(&admin_a), a.id, &format!("A{i}"), None)
                .await
                .unwrap();
        }
        for i in 0..3 {
            app::orgs::create_team(
                &store,
                Caller::User(&programme),
                b.id,
                &format!("B{i}"),
                None,
            )
            .await
            .unwrap();
        }
        // Anna: only A, 50 per page, then the rest, no entry twice, newest first.
        let q = app::audit::LogQuery::default();
        let first = app::audit::read(&store, &admin_a, &q).await.unwrap();
        assert_eq!(first.entries.len(), 50);
        assert_eq!(first.fixed_org, Some(a.id));
        assert!(first.entries.iter().all(|e| e.org_id == Some(a.id)));
        assert!(first.entries.windows(2).all(|w| w[0].id > w[1].id));
        let second = app::audit::read(
            &store,
            &admin_a,
            &app::audit::LogQuery {
                before_id: first.older,
                ..q.clone()
            },
        )
        .await
        .unwrap();
        assert!(second.older.is_none());
        assert!(second.entries.iter().all(|e| e.org_id == Some(a.id)));
        // 60 teams and the organisation's creation.
        assert_eq!(first.entries.len() + second.entries.len(), 61);
        assert!(second.entries[0].id < first.entries[49].id);
        // Asking for B is "not found"; B's entries never show.
        let err = app::audit::read(
            &store,
            &admin_a,
            &app::audit::LogQuery {
                org_id: Some(b.id),
                ..q.clone()
            },
        )
        .await
        .unwrap_err();
        assert!(matches!(err, app::AppError::NotFound), "{err:?}");
        let choices = app::audit::choices(&store, &admin_a, None).await.unwrap();
        assert!(!choices.actors.is_empty());
        assert!(choices.actions.contains(&"team.create".to_string()));
        // The programme admin: all, or filtered by organisation, actor and action.
        let only_b = app::audit::read(
            &store,
            &programme,
            &app::audit::LogQuery {
                org_id: Some(b.id),
                action: Some("team.create".into()),
                ..q.clone()
            },
        )
        .await
        .unwrap();
        assert_eq!(only_b.entries.len(), 3);
        assert!(only_b.entries.iter().all(|e| e.target.starts_with('B')));
        let by_anna = app::audit::read(
            &store,
            &programme,
            &app::audit::LogQuery {
                actor: Some(app::audit::actor(&admin_a).label),
                ..q.clone()
            },
        )
        .await
        .unwrap();
        assert_eq!(by_anna.entries.len(), 50);
        assert!(by_anna.older.is_some());
        assert!(
            by_anna
                .entries
                .iter()
                .all(|e| e.actor_id == Some(admin_a.id))
        );
        let creations = app::audit::read(
            &store,
            &programme,
            &app::audit::LogQuery {
                action: Some("organisation.create".into()),
                ..q.clone()
            },
        )
        .await
        .unwrap();
        assert_eq!(creations.entries.len(), 2);
        let all = app::audit::choices(&store, &programme, None).await.unwrap();
        assert!(all.actions.contains(&"organisation.create".to_string()));
    })
    .await;
}
