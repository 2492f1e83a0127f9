//! The Fase 0 flow from the command line (issue 29): teams, survey rounds and their status,
//! scripted for many organisations at once.

use crate::support::{DataDir, run, run_ok};

fn id(out: &str) -> i64 {
    out.split_whitespace()
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {out:?}"))
}

#[test]
fn teams_and_rounds_by_script() {
    let data = DataDir::new();
    run_ok(&data, &["migrate"]);
    let org = id(&run_ok(
        &data,
        &[
            "org",
            "add",
            "--name",
            "Zorggroep Fase",
            "--subsector",
            "vvt",
        ],
    ));
    // Teams by organisation name and by id.
    let berk = id(&run_ok(
        &data,
        &["team", "add", "--org", "Zorggroep Fase", "--name", "Berk"],
    ));
    let org_id = org.to_string();
    let eik = id(&run_ok(
        &data,
        &["team", "add", "--org", &org_id, "--name", "Eik"],
    ));
    assert_ne!(berk, eik);
    let dup = run(
        &data,
        &["team", "add", "--org", "Zorggroep Fase", "--name", "Berk"],
    );
    assert!(!dup.status.success(), "a team name twice");
    let nowhere = run(
        &data,
        &[
            "team",
            "add",
            "--org",
            "Zorggroep Fase",
            "--name",
            "Linde",
            "--location",
            "Mars",
        ],
    );
    assert!(!nowhere.status.success());
    assert!(String::from_utf8_lossy(&nowhere.stderr).contains("Locatie 'Mars' bestaat niet"));
    let no_org = run(&data, &["team", "add", "--org", "Onbekend", "--name", "X"]);
    assert!(
        String::from_utf8_lossy(&no_org.stderr).contains("Organisatie 'Onbekend' bestaat niet")
    );

    // A round for every team: the id is printed alone.
    let out = run_ok(
        &data,
        &[
            "survey",
            "round",
            "add",
            "--org",
            "Zorggroep Fase",
            "--name",
            "Nulmeting 2026",
            "--teams",
            "all",
            "--opens",
            "2026-03-01",
        ],
    );
    let round: i64 = out.trim().parse().expect("only the round id");
    // A round for one team, for responses collected elsewhere.
    let import_round: i64 = run_ok(
        &data,
        &[
            "survey",
            "round",
            "add",
            "--org",
            &org_id,
            "--name",
            "Elders",
            "--teams",
            "Eik",
            "--import",
            "--kind",
            "effectmeting",
        ],
    )
    .trim()
    .parse()
    .unwrap();
    assert_ne!(round, import_round);
    let bad_team = run(
        &data,
        &[
            "survey",
            "round",
            "add",
            "--org",
            &org_id,
            "--name",
            "X",
            "--teams",
            "Berk,Populier",
        ],
    );
    assert!(String::from_utf8_lossy(&bad_team.stderr).contains("Team 'Populier' bestaat niet"));
    let bad_kind = run(
        &data,
        &[
            "survey",
            "round",
            "add",
            "--org",
            &org_id,
            "--name",
            "Y",
            "--kind",
            "tussenmeting",
        ],
    );
    assert!(!bad_kind.status.success());

    // Open, then close, by name and by id.
    let out = run_ok(
        &data,
        &[
            "survey",
            "round",
            "open",
            "--org",
            "Zorggroep Fase",
            "--round",
            "Nulmeting 2026",
        ],
    );
    assert!(out.contains("open"), "{out}");
    let rates: serde_json::Value = serde_json::from_str(&run_ok(
        &data,
        &[
            "survey",
            "rates",
            "--org",
            &org_id,
            "--round",
            &round.to_string(),
            "--json",
        ],
    ))
    .unwrap();
    assert!(rates.is_object(), "{rates}");
    let out = run_ok(
        &data,
        &[
            "survey",
            "round",
            "close",
            "--org",
            &org_id,
            "--round",
            &round.to_string(),
        ],
    );
    assert!(out.contains("gesloten"), "{out}");
    // A closed round does not open again.
    let again = run(
        &data,
        &[
            "survey",
            "round",
            "open",
            "--org",
            &org_id,
            "--round",
            &round.to_string(),
        ],
    );
    assert!(!again.status.success());
    assert!(!String::from_utf8_lossy(&again.stderr).trim().is_empty());
}
