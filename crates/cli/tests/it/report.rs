//! `urenwinst report value-case` and `roster scan --org` on the demo region.

use crate::support::{DataDir, run, run_ok};

const DINKEL: &str = "Zorggroep De Dinkel";

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}"))
}

#[test]
fn value_case_json_has_the_named_fields_and_suppresses_small_teams() {
    let data = DataDir::new();
    run_ok(&data, &["demo"]);
    let vc = json(&run_ok(
        &data,
        &["report", "value-case", "--org", DINKEL, "--json"],
    ));
    assert_eq!(vc["organisation"]["name"], DINKEL);
    for key in [
        "round",
        "snapshot",
        "workforce",
        "survey",
        "potential",
        "pnil",
        "teams",
        "conditions",
        "obstacles",
        "recommendations",
    ] {
        assert!(!vc[key].is_null(), "{key} missing");
    }
    for (block, fields) in [
        (
            "workforce",
            &[
                "employees",
                "average_contract_hours",
                "fte",
                "deeltijdfactor",
            ][..],
        ),
        (
            "survey",
            &[
                "respondents",
                "response_rate",
                "open_share",
                "open_share_ci95",
                "sure_share",
                "conditional_share",
            ][..],
        ),
        (
            "potential",
            &[
                "hours_per_week",
                "hours_per_week_ci95",
                "fte",
                "sure_hours_per_week",
            ][..],
        ),
        ("pnil", &["last_12_months_cost"][..]),
    ] {
        for f in fields {
            assert!(
                !vc[block][f].is_null(),
                "{block}.{f} missing: {}",
                vc[block]
            );
        }
    }
    // The reference case of DOMAIN.md: 45% = 14% + 31%.
    assert_eq!(vc["survey"]["open_share"], 0.45);
    assert_eq!(vc["survey"]["sure_share"], 0.14);
    assert_eq!(vc["survey"]["conditional_share"], 0.31);
    let teams = vc["teams"].as_array().unwrap();
    let small: Vec<_> = teams.iter().filter(|t| t["suppressed"] == true).collect();
    assert!(
        !small.is_empty(),
        "the demo's team of 3 respondents is hidden"
    );
    for t in small {
        for f in [
            "employees",
            "respondents",
            "open_share",
            "potential_hours_per_week",
        ] {
            assert!(t[f].is_null(), "{t}");
        }
    }
    for r in vc["recommendations"].as_array().unwrap() {
        assert!(r["intervention"].is_string() && r["reason"].is_string());
    }
    // By round name and snapshot date, the same figures.
    let round = vc["round"]["name"].as_str().unwrap().to_string();
    let snapshot = vc["snapshot"]["peildatum"].as_str().unwrap().to_string();
    let again = json(&run_ok(
        &data,
        &[
            "report",
            "value-case",
            "--org",
            DINKEL,
            "--round",
            &round,
            "--snapshot",
            &snapshot,
            "--json",
        ],
    ));
    assert_eq!(again, vc);
    // An open round is refused with the reason.
    let out = run(
        &data,
        &[
            "report",
            "value-case",
            "--org",
            "GGZ Regge en Vecht",
            "--round",
            "Nulmeting (loopt nu)",
            "--json",
        ],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nog niet gesloten"), "{err}");
    // Without a format: refused by the argument parser.
    assert!(
        !run(&data, &["report", "value-case", "--org", DINKEL])
            .status
            .success()
    );
}

#[test]
fn roster_scan_with_org_counts_for_the_checklist() {
    let data = DataDir::new();
    run_ok(&data, &["migrate"]);
    run_ok(
        &data,
        &[
            "org",
            "add",
            "--name",
            "Zorggroep Rooster",
            "--subsector",
            "vvt",
        ],
    );
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../roster/tests/data/rooster-voorbeeld.csv"
    );
    let out = run(
        &data,
        &[
            "roster",
            "scan",
            file,
            "--org",
            "Zorggroep Rooster",
            "--key",
            "k",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Team"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("opgeslagen"));
    let list = json(&run_ok(
        &data,
        &["report", "fase0", "--org", "Zorggroep Rooster", "--json"],
    ));
    let steps = list[0]["checklist"]["steps"].as_array().unwrap();
    let scan = steps.iter().find(|s| s["code"] == "roosterscan").unwrap();
    assert_eq!(scan["state"], "klaar", "{scan}");
    // An unknown organisation: the scan is printed, then a clear error.
    let out = run(
        &data,
        &[
            "roster",
            "scan",
            file,
            "--org",
            "Bestaat Niet",
            "--key",
            "k",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("bestaat niet"));
}

#[test]
fn value_case_pdf_html_and_all() {
    let data = DataDir::new();
    run_ok(&data, &["demo"]);
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.pdf");
    let b = dir.path().join("b.pdf");
    let html = dir.path().join("vc.html");
    for path in [&a, &b] {
        run_ok(
            &data,
            &[
                "report",
                "value-case",
                "--org",
                DINKEL,
                "--pdf",
                path.to_str().unwrap(),
            ],
        );
    }
    let pdf = std::fs::read(&a).unwrap();
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    assert_eq!(
        pdf,
        std::fs::read(&b).unwrap(),
        "the same data gives the same bytes"
    );
    run_ok(
        &data,
        &[
            "report",
            "value-case",
            "--org",
            DINKEL,
            "--html",
            html.to_str().unwrap(),
        ],
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!doctype html>") && page.contains(DINKEL));
    assert!(page.contains("Bronnen en methode") && page.contains("<svg"));
    // A team below the minimum group size: its row shows only dashes in the HTML.
    assert!(page.contains("suppressed\" title=\"te klein om te tonen\">–</td>"));

    let out = dir.path().join("alle");
    let listed = run_ok(
        &data,
        &[
            "report",
            "value-case",
            "--all",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let pdfs: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert_eq!(
        pdfs.len(),
        11,
        "the eleven demo organisations with a closed round (three of the programme's own, \
         eight generated for the regional picture): {listed}"
    );
    assert_eq!(
        listed
            .lines()
            .filter(|l| l.contains("overgeslagen:"))
            .count(),
        5,
        "the other five with the reason: {listed}"
    );
    assert!(listed.contains("gesloten ronde"), "{listed}");
    // Each generation is in the checklist: generated, not yet shared.
    let list = run_ok(&data, &["report", "fase0", "--org", DINKEL, "--json"]);
    assert!(list.contains("gemaakt, nog niet gedeeld"), "{list}");
}
