//! The administration commands, scripted as a programme team would.

use crate::support::{DataDir, Server, http_get, run, run_ok};

#[test]
fn onboarding_by_script() {
    let data = DataDir::new();
    run_ok(&data, &["migrate"]);
    let out = run_ok(
        &data,
        &[
            "org",
            "add",
            "--name",
            "Zorggroep Script",
            "--subsector",
            "vvt",
        ],
    );
    assert!(out.contains("Zorggroep Script"));
    run_ok(
        &data,
        &[
            "org",
            "add",
            "--name",
            "GGZ Script",
            "--subsector",
            "ggz",
            "--fulltime-hours",
            "38",
            "--phase",
            "pilot",
        ],
    );
    let bad = run(
        &data,
        &["org", "add", "--name", "X", "--subsector", "bakkerij"],
    );
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("geen geldige waarde"));
    let list: serde_json::Value =
        serde_json::from_str(&run_ok(&data, &["org", "list", "--json"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(list[0]["name"], "GGZ Script");
    assert_eq!(list[0]["fulltime_hours"], 38.0);

    // The organisation export (issue 34): a ZIP with the README; an existing file is
    // refused, and an unknown organisation named.
    let zip = data.path().join("script-export.zip");
    let zip_arg = zip.to_str().unwrap();
    let out = run_ok(
        &data,
        &["org", "export", "--org", "GGZ Script", "--out", zip_arg],
    );
    assert!(out.contains("Alle gegevens van GGZ Script"), "{out}");
    let bytes = std::fs::read(&zip).unwrap();
    assert!(bytes.starts_with(b"PK"));
    assert!(
        bytes
            .windows(b"README.txt".len())
            .any(|w| w == b"README.txt"),
        "the README is in the ZIP"
    );
    let again = run(
        &data,
        &["org", "export", "--org", "GGZ Script", "--out", zip_arg],
    );
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("kan niet worden gemaakt"));
    assert_eq!(
        std::fs::read(&zip).unwrap(),
        bytes,
        "the existing file is kept"
    );
    let other = data.path().join("none.zip");
    let unknown = run(
        &data,
        &[
            "org",
            "export",
            "--org",
            "Bestaat Niet",
            "--out",
            other.to_str().unwrap(),
        ],
    );
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("bestaat niet"));
    assert!(!other.exists());

    let out = run_ok(
        &data,
        &[
            "user",
            "add",
            "--email",
            "hr@script.example",
            "--name",
            "HR",
            "--role",
            "org_admin",
            "--org",
            "Zorggroep Script",
        ],
    );
    let password = out.trim().split('\t').nth(1).unwrap().to_string();
    assert_eq!(password.len(), 23);
    let out = run_ok(
        &data,
        &[
            "user",
            "add",
            "--email",
            "m@script.example",
            "--name",
            "M",
            "--role",
            "manager",
            "--org",
            "1",
            "--invite",
        ],
    );
    assert!(out.contains("/wachtwoord/"));
    let out = run_ok(
        &data,
        &["user", "reset-password", "--email", "hr@script.example"],
    );
    assert_ne!(out.trim().split('\t').nth(1).unwrap(), password);

    // Backup of the live database while the server runs.
    let server = Server::start(&data, &[]);
    let copy = data.path().join("backup.sqlite");
    run_ok(&data, &["backup", copy.to_str().unwrap()]);
    assert!(copy.metadata().unwrap().len() > 0);
    let again = run(&data, &["backup", copy.to_str().unwrap()]);
    assert!(!again.status.success(), "backup never overwrites");
    let (status, body) = http_get(server.port, "/healthz").unwrap();
    assert_eq!(status, 200, "{body}");
    drop(server);

    // The drill: restore into a fresh data directory, and a server on it shows the data.
    let restored = DataDir::new();
    let out = run_ok(&restored, &["restore", copy.to_str().unwrap()]);
    assert!(out.contains("2 organisaties"), "{out}");
    let again = run(&restored, &["restore", copy.to_str().unwrap()]);
    assert!(
        !again.status.success(),
        "restore never overwrites a database"
    );
    let list: serde_json::Value =
        serde_json::from_str(&run_ok(&restored, &["org", "list", "--json"])).unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "the backup holds the data"
    );
    assert_eq!(
        run_ok(&restored, &["org", "list", "--json"]),
        run_ok(&data, &["org", "list", "--json"]),
        "the same organisations"
    );
    let server = Server::start(&restored, &["--sqlite-synchronous", "full"]);
    let (status, body) = http_get(server.port, "/healthz").unwrap();
    assert_eq!(status, 200, "{body}");
    drop(server);
    // Something that is not a copy is refused, and leaves no database behind.
    let junk = data.path().join("junk.sqlite");
    std::fs::write(&junk, b"geen database").unwrap();
    let empty = DataDir::new();
    let refused = run(&empty, &["restore", junk.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(!empty.path().join("urenwinst.sqlite").exists());

    let config = run_ok(&data, &["config"]);
    assert!(config.contains("addr = 127.0.0.1:8080"));
    for cmd in [
        &["serve", "--help"][..],
        &["org", "add", "--help"],
        &["user", "reset-password", "--help"],
        &["backup", "--help"],
        &["restore", "--help"],
        &["demo", "--help"],
        &["migrate", "--help"],
    ] {
        run_ok(&data, cmd);
    }
}

#[test]
fn demo_loads_once_with_generated_passwords() {
    let a = DataDir::new();
    let out = run_ok(&a, &["demo"]);
    // Eight hand-made organisations and eight generated for the regional picture.
    assert!(out.contains("16 organisaties"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains("regio@urenwinst.example") && l.contains("Regio-lezer")),
        "{out}"
    );
    let b = DataDir::new();
    let out_b = run_ok(&b, &["demo"]);
    let pw = |s: &str| {
        s.lines()
            .find(|l| l.contains("programma@urenwinst.example"))
            .and_then(|l| l.split_whitespace().last())
            .unwrap()
            .to_string()
    };
    assert_ne!(
        pw(&out),
        pw(&out_b),
        "demo passwords are generated, never fixed"
    );
    let again = run_ok(&a, &["demo"]);
    assert!(again.contains("al gebruikers"), "never loads twice");
    let list: serde_json::Value =
        serde_json::from_str(&run_ok(&a, &["org", "list", "--json"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 16);

    // The regional picture of the demo, as JSON and as a table.
    let p: serde_json::Value =
        serde_json::from_str(&run_ok(&a, &["region", "report", "--json"])).unwrap();
    assert_eq!(p["region"], "Twente");
    assert_eq!(p["total"]["organisations"], 11);
    let vvt: serde_json::Value = serde_json::from_str(&run_ok(
        &a,
        &["region", "report", "--subsector", "vvt", "--json"],
    ))
    .unwrap();
    assert_eq!(vvt["subsectors"].as_array().unwrap().len(), 1);
    assert!(vvt["subsectors"][0]["employees"].is_number());
    let table = run_ok(&a, &["region", "report"]);
    assert!(table.contains("afgeschermd"), "{table}");
    assert!(
        table.contains("Nog geen resultaten: Huisartsenzorg Twente Samen, Jeugdzorg De Berkel"),
        "{table}"
    );
    let html = a.path().join("regio.html");
    run_ok(&a, &["region", "report", "--html", html.to_str().unwrap()]);
    let html = std::fs::read_to_string(html).unwrap();
    assert!(
        html.contains("Regiobeeld Twente") && html.contains("<svg"),
        "{html}"
    );
    assert!(html.contains("minder dan 3 organisaties"));
    assert!(
        !html.contains("GGZ Regge en Vecht") && !html.contains("Jeugdzorg De Berkel"),
        "a report names no organisation"
    );
}

#[test]
fn regions_orgs_and_regio_lezers_at_the_command_line() {
    let d = DataDir::new();
    run_ok(&d, &["migrate"]);
    assert!(run_ok(&d, &["region", "add", "Salland"]).contains("Salland"));
    let refused = run(&d, &["region", "add", "Zwak", "--min-orgs", "2"]);
    assert!(!refused.status.success());
    run_ok(
        &d,
        &[
            "org",
            "add",
            "--name",
            "Zorg Deventer",
            "--subsector",
            "vvt",
            "--region",
            "salland",
        ],
    );
    run_ok(
        &d,
        &["org", "add", "--name", "Zorg Enschede", "--subsector", "gz"],
    );
    let list = run_ok(&d, &["region", "list"]);
    assert!(list.contains("Twente\t3\t50%\t1"), "{list}");
    assert!(list.contains("Salland\t3\t50%\t1"), "{list}");
    let no_region = run(
        &d,
        &[
            "user",
            "add",
            "--email",
            "r@x.nl",
            "--name",
            "R",
            "--role",
            "regio_lezer",
        ],
    );
    assert!(!no_region.status.success());
    run_ok(
        &d,
        &[
            "user",
            "add",
            "--email",
            "r@x.nl",
            "--name",
            "R",
            "--role",
            "regio_lezer",
            "--region",
            "Salland",
        ],
    );
    let with_org = run(
        &d,
        &[
            "user",
            "add",
            "--email",
            "r2@x.nl",
            "--name",
            "R",
            "--role",
            "regio_lezer",
            "--region",
            "Salland",
            "--org",
            "Zorg Deventer",
        ],
    );
    assert!(
        !with_org.status.success(),
        "a regio-lezer belongs to no organisation"
    );
    let p: serde_json::Value = serde_json::from_str(&run_ok(
        &d,
        &["region", "report", "--region", "Salland", "--json"],
    ))
    .unwrap();
    assert_eq!(p["region"], "Salland");
    assert_eq!(p["organisations_without_results"], 1);
    assert!(p["total"]["employees"].is_null());
}

#[test]
fn sigterm_shuts_down_gracefully() {
    let data = DataDir::new();
    let mut server = Server::start(&data, &[]);
    let pid = server.child.id().to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.child.wait().unwrap();
    assert!(exit.success(), "exits cleanly on SIGTERM: {exit:?}");
}

/// Issue 33: every subcommand's --help listed all server flags. Now `serve` lists the
/// server, database and mail flags; a database command only the database ones; a pure
/// command none of them. Names and environment variables stay as they were.
#[test]
fn each_help_lists_only_the_flags_its_command_takes() {
    let data = DataDir::new();
    let help = |args: &[&str]| {
        let out = run(&data, args);
        assert!(out.status.success(), "{args:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let serve = help(&["serve", "--help"]);
    for flag in [
        "--addr",
        "URENWINST_ADDR",
        "--public-url",
        "--secure-cookies",
        "--trust-proxy",
        "--upload-key",
        "URENWINST_UPLOAD_KEY",
        "--metrics-token",
        "--smtp-host",
        "URENWINST_SMTP_HOST",
        "--data-dir",
        "URENWINST_DATA_DIR",
        "--database-url",
        "DATABASE_URL",
        "--sqlite-synchronous",
        "--log",
    ] {
        assert!(serve.contains(flag), "serve --help lacks {flag}:\n{serve}");
    }
    let server_only = [
        "--addr",
        "--secure-cookies",
        "--trust-proxy",
        "--upload-key",
        "--metrics-token",
        "--smtp-host",
    ];
    for args in [
        &["org", "add", "--help"][..],
        &["migrate", "--help"],
        &["survey", "round", "add", "--help"],
        &["import", "hr", "--help"],
    ] {
        let h = help(args);
        assert!(
            h.contains("--data-dir") && h.contains("--database-url"),
            "{args:?}:\n{h}"
        );
        for flag in server_only {
            assert!(!h.contains(flag), "{args:?} --help lists {flag}:\n{h}");
        }
    }
    let calc = help(&["calc", "--help"]);
    for flag in server_only.iter().chain(&["--data-dir", "--database-url"]) {
        assert!(!calc.contains(flag), "calc --help lists {flag}:\n{calc}");
    }
    let reminders = help(&["reminders", "send", "--help"]);
    assert!(reminders.contains("--smtp-host") && !reminders.contains("--addr"));
    // The flags still work after their command, and the environment still counts.
    run_ok(
        &data,
        &["migrate", "--data-dir", data.path().to_str().unwrap()],
    );
    let config = run_ok(&data, &["config", "--addr", "127.0.0.1:9999"]);
    assert!(config.contains("addr = 127.0.0.1:9999"), "{config}");
    assert!(
        config.contains(&data.path().display().to_string()),
        "{config}"
    );
}
