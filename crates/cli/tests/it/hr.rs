//! `urenwinst import hr` / `import pnil` / `hr compare` on the reference snapshot files:
//! the reference case (27 contracts grown, 105 hours, 2.9 FTE) from the real binary, and a
//! file with an error refused with a Dutch message naming row and field.

use std::process::Output;

use crate::support::{DataDir, run};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../hr/tests/data");

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn setup(dir: &DataDir) {
    ok(&run(
        dir,
        &[
            "org",
            "add",
            "--name",
            "Zorggroep Sint Maarten",
            "--subsector",
            "vvt",
        ],
    ));
}

#[test]
fn reference_case_27_contracts_105_hours_2_9_fte() {
    let dir = DataDir::new();
    setup(&dir);
    for (date, file) in [
        ("2024-03-01", "snapshot-2024-03-01.csv"),
        ("2024-09-01", "snapshot-2024-09-01.csv"),
    ] {
        let out = ok(&run(
            &dir,
            &[
                "import",
                "hr",
                "--org",
                "Zorggroep Sint Maarten",
                "--date",
                date,
                &format!("{DATA}/{file}"),
            ],
        ));
        assert!(out.contains("medewerkers ingelezen"), "{out}");
    }
    let out = ok(&run(
        &dir,
        &[
            "hr",
            "compare",
            "--org",
            "Zorggroep Sint Maarten",
            "--from",
            "2024-03-01",
            "--to",
            "2024-09-01",
            "--json",
        ],
    ));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["contracts_grown"], 27, "{out}");
    assert_eq!(v["hours_added"].as_f64(), Some(105.0), "{out}");
    assert_eq!(v["fte_added"].as_f64(), Some(2.9), "{out}");
    assert_eq!(v["contracts_shrunk"], 1);
    assert_eq!(v["hours_removed"].as_f64(), Some(4.0));
    assert_eq!(v["joined"], 2);
    assert_eq!(v["left"], 1);
    // Totals only: no per-employee list, and never a name or employee number.
    assert!(v.get("employees").is_none());
    assert!(!out.contains("Bos") && !out.contains("001001"));
}

#[test]
fn a_file_with_an_error_is_refused_by_row_and_field_unless_valid_rows_only() {
    let dir = DataDir::new();
    setup(&dir);
    let text = std::fs::read_to_string(format!("{DATA}/snapshot-2024-03-01.csv")).unwrap();
    // Row 14 (the header is row 1): contract hours "3,5O" (letter O).
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let cells: Vec<&str> = lines[13].split(';').collect();
    let mut cells: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
    cells[5] = "3,5O".into();
    lines[13] = cells.join(";");
    let bad = dir.path().join("fout.csv");
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let bad = bad.to_str().unwrap();

    let args = [
        "import",
        "hr",
        "--org",
        "Zorggroep Sint Maarten",
        "--date",
        "2024-03-01",
        bad,
    ];
    let out = run(&dir, &args);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("rij 14"), "{err}");
    assert!(err.contains("3,5O"), "{err}");
    assert!(err.contains("Er is niets ingelezen"), "{err}");
    let list = ok(&run(
        &dir,
        &[
            "hr",
            "snapshots",
            "--org",
            "Zorggroep Sint Maarten",
            "--json",
        ],
    ));
    assert_eq!(list.trim(), "[]", "nothing written");

    let mut args = args.to_vec();
    args.insert(2, "--valid-rows-only");
    let out = run(&dir, &args);
    let stdout = ok(&out);
    assert!(stdout.contains("59 medewerkers"), "{stdout}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Overgeslagen rijen (1): 14"), "{err}");
}

#[test]
fn pnil_months_import() {
    let dir = DataDir::new();
    setup(&dir);
    let file = dir.path().join("pnil.csv");
    std::fs::write(
        &file,
        "Maand;Team;Soort;Bedrag\n01-2024;Sint Jozef;ZZP;12.500,00\n02-2024;Sint Jozef;Uitzend;9.800,50\n03-2024;De Linde;ZZP;7.000\n",
    )
    .unwrap();
    let out = ok(&run(
        &dir,
        &[
            "import",
            "pnil",
            "--org",
            "Zorggroep Sint Maarten",
            file.to_str().unwrap(),
        ],
    ));
    assert!(out.contains("3 kostenregels over 3 maanden"), "{out}");
}
