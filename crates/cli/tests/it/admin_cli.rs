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

    let restored = DataDir::new();
    std::fs::copy(&copy, restored.path().join("urenwinst.sqlite")).unwrap();
    let list: serde_json::Value =
        serde_json::from_str(&run_ok(&restored, &["org", "list", "--json"])).unwrap();
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "the backup holds the data"
    );

    let config = run_ok(&data, &["config"]);
    assert!(config.contains("addr = 127.0.0.1:8080"));
    for cmd in [
        &["serve", "--help"][..],
        &["org", "add", "--help"],
        &["user", "reset-password", "--help"],
        &["backup", "--help"],
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
    assert!(out.contains("8 organisaties"), "{out}");
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
    assert_eq!(list.as_array().unwrap().len(), 8);
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
