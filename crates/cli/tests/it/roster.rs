//! `urenwinst roster design`: the proposal it writes, scanned with `roster scan`, has the
//! design's own `after` figures.

use crate::support::{DataDir, run, run_ok};
use serde_json::Value;

const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../roster/tests/data/rooster-vvt-4weken.csv"
);

fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

/// The scan's figures of a file, in the design's terms.
fn scanned(data: &DataDir, file: &str) -> Value {
    let scan = json(&run_ok(
        data,
        &["roster", "scan", file, "--json", "--key", "k"],
    ));
    let t = &scan["teams"][0];
    serde_json::json!({
        "opkomstmomenten": t["opkomstmomenten"],
        "short_shifts": t["short_shifts"],
        "shifts": t["shifts"],
        "scheduled_hours": t["scheduled_hours"],
        "atw_breaches": t["atw_breaches"].as_array().unwrap().len(),
    })
}

fn figures(v: &Value) -> Value {
    serde_json::json!({
        "opkomstmomenten": v["opkomstmomenten"],
        "short_shifts": v["short_shifts"],
        "shifts": v["shifts"],
        "scheduled_hours": v["scheduled_hours"],
        "atw_breaches": v["atw_breaches"],
    })
}

#[test]
fn roster_design_writes_a_proposal_whose_scan_is_its_after() {
    let data = DataDir::new();
    let dir = tempfile::tempdir().unwrap();
    for name in ["voorstel.csv", "voorstel.xlsx"] {
        let out = dir.path().join(name);
        let out = out.to_str().unwrap();
        let printed = json(&run_ok(
            &data,
            &[
                "roster",
                "design",
                SAMPLE,
                "--seconds",
                "4",
                "--seed",
                "2",
                "--threads",
                "1",
                "--key",
                "k",
                "--out",
                out,
                "--json",
            ],
        ));
        assert_eq!(printed["found"], true, "{printed}");
        let (before, after) = (&printed["before"], &printed["after"]);
        for key in [
            "opkomstmomenten",
            "short_shifts",
            "scheduled_hours",
            "under_coverage_hours",
            "over_coverage_hours",
            "atw_breaches",
        ] {
            assert!(before[key].is_number() && after[key].is_number(), "{key}");
        }
        assert!(printed["absorbed_contract_hours_per_week"].is_number());
        // Today's roster is the scan of the input; the proposal's is the design's `after`.
        assert_eq!(scanned(&data, SAMPLE), figures(before));
        assert_eq!(scanned(&data, out), figures(after), "{name}");
        // The design keeps every rule the scan checks, and has fewer short shifts.
        assert_eq!(after["atw_breaches"], 0);
        assert!(after["short_shifts"].as_u64() < before["short_shifts"].as_u64());
    }
    // The Dutch summary.
    let out = dir.path().join("tekst.csv");
    let text = run_ok(
        &data,
        &[
            "roster",
            "design",
            SAMPLE,
            "--seconds",
            "1",
            "--threads",
            "1",
            "--demand",
            "flatten:1",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        text.contains("Opkomstmomenten") && text.contains("1 uur vlakker"),
        "{text}"
    );
    assert!(out.exists());
}

#[test]
fn roster_design_names_bad_input_and_writes_nothing() {
    let data = DataDir::new();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("voorstel.csv");
    let o = out.to_str().unwrap();
    let r = run(
        &data,
        &["roster", "design", SAMPLE, "--demand", "vlak", "--out", o],
    );
    assert!(!r.status.success());
    assert!(String::from_utf8_lossy(&r.stderr).contains("flatten:UREN"));
    // Two teams in one file: choose one.
    let two = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../roster/tests/data/rooster-voorbeeld.csv"
    );
    let r = run(&data, &["roster", "design", two, "--out", o]);
    assert!(!r.status.success());
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("--team") && err.contains("De Linde"), "{err}");
    assert!(!out.exists());
    // With --team it designs that team.
    let printed = json(&run_ok(
        &data,
        &[
            "roster",
            "design",
            two,
            "--team",
            "de linde",
            "--seconds",
            "1",
            "--threads",
            "1",
            "--key",
            "k",
            "--out",
            o,
            "--json",
        ],
    ));
    assert_eq!(printed["team"], "De Linde");
    assert!(out.exists());
}
