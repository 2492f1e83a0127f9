//! `urenwinst goal add` and `urenwinst impact --json` on the reference snapshot files:
//! goals set on the baseline snapshot, the second snapshot imported, progress = 27
//! contracts, 105 hours, 2.9 FTE, from the real binary.

use crate::support::{DataDir, run};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../hr/tests/data");
const ORG: &str = "Zorggroep Sint Maarten";

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn import(dir: &DataDir, date: &str) {
    ok(&run(
        dir,
        &[
            "import",
            "hr",
            "--org",
            ORG,
            "--date",
            date,
            &format!("{DATA}/snapshot-{date}.csv"),
        ],
    ));
}

#[test]
fn goals_on_the_baseline_then_the_reference_progress() {
    let dir = DataDir::new();
    ok(&run(
        &dir,
        &["org", "add", "--name", ORG, "--subsector", "vvt"],
    ));
    import(&dir, "2024-03-01");
    for (kind, target) in [
        ("contracts_expanded", "27"),
        ("contract_hours_added", "105"),
        ("fte_added", "2.9"),
    ] {
        let out = ok(&run(
            &dir,
            &[
                "goal",
                "add",
                "--org",
                ORG,
                "--kind",
                kind,
                "--target",
                target,
                "--by",
                "2024-09-01",
                "--baseline-date",
                "2024-03-01",
            ],
        ));
        assert!(out.contains("toegevoegd"), "{out}");
    }
    let bad = run(
        &dir,
        &[
            "goal",
            "add",
            "--org",
            ORG,
            "--kind",
            "uren",
            "--target",
            "1",
            "--by",
            "2025-01-01",
        ],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("is geen soort doel"));

    import(&dir, "2024-09-01");
    let out = ok(&run(
        &dir,
        &["impact", "--org", ORG, "--as-of", "2024-09-30", "--json"],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let c = &v["contracts"];
    assert_eq!(c["grown"], 27, "{out}");
    assert_eq!(c["hours_added"].as_f64(), Some(105.0));
    assert_eq!(c["fte_added"].as_f64(), Some(2.9));
    assert_eq!(
        (
            c["shrunk"].as_u64(),
            c["joined"].as_u64(),
            c["left"].as_u64()
        ),
        (Some(1), Some(2), Some(1))
    );
    assert_eq!(c["hours_removed"].as_f64(), Some(4.0));
    let goals = v["goals"].as_array().unwrap();
    let measured: Vec<(&str, f64, bool)> = goals
        .iter()
        .map(|g| {
            (
                g["kind"].as_str().unwrap(),
                g["measured"].as_f64().unwrap(),
                g["on_track"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        measured,
        vec![
            ("contracts_expanded", 27.0, true),
            ("contract_hours_added", 105.0, true),
            ("fte_added", 2.9, true),
        ]
    );
    for g in goals {
        assert_eq!(g["baseline"].as_f64(), Some(0.0));
        assert_eq!(g["measured_at"], "2024-09-01");
        assert_eq!(g["progress"].as_f64(), Some(1.0));
        assert!(g.get("target").is_some());
    }
    // Without --json: a Dutch table.
    let out = ok(&run(
        &dir,
        &["impact", "--org", ORG, "--as-of", "2024-09-30"],
    ));
    assert!(
        out.contains("27 uitgebreid") && out.contains("2,9 fte"),
        "{out}"
    );
}
