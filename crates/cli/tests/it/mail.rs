//! E-mail from the command line against a local SMTP sink: `user add --invite` and
//! `user reset-password` mail their links when SMTP is configured (and print as before
//! when not), and `survey invite` lists addresses that the worker then mails, one code
//! each; `survey remind` reminds nobody who was mailed today.

use std::collections::BTreeSet;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use app::mail::testing::SmtpSink;

use crate::support::{DataDir, binary, run, run_ok};

fn with_smtp(sink: &SmtpSink, data: &DataDir) -> Command {
    let mut c = Command::new(binary());
    c.env("URENWINST_DATA_DIR", data.path())
        .env_remove("DATABASE_URL")
        .env("URENWINST_LOG", "warn")
        .env("URENWINST_PUBLIC_URL", "https://urenwinst.test")
        .env("URENWINST_SMTP_HOST", "127.0.0.1")
        .env("URENWINST_SMTP_PORT", sink.port.to_string())
        .env("URENWINST_SMTP_FROM", "Urenwinst <noreply@urenwinst.test>")
        .env("URENWINST_SMTP_STARTTLS", "false");
    c
}

fn smtp_ok(sink: &SmtpSink, data: &DataDir, args: &[&str]) -> String {
    let out: Output = with_smtp(sink, data).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "urenwinst {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn links_and_survey_invitations_are_mailed_from_the_command_line() {
    let sink = SmtpSink::start();
    let data = DataDir::new();
    run_ok(&data, &["migrate"]);
    run_ok(
        &data,
        &[
            "org",
            "add",
            "--name",
            "Zorggroep Cli",
            "--subsector",
            "vvt",
        ],
    );
    run_ok(
        &data,
        &["team", "add", "--org", "Zorggroep Cli", "--name", "Berk"],
    );

    let out = smtp_ok(
        &sink,
        &data,
        &[
            "user",
            "add",
            "--email",
            "hr@cli.example",
            "--name",
            "Hanneke",
            "--role",
            "org_admin",
            "--org",
            "Zorggroep Cli",
            "--invite",
        ],
    );
    assert!(
        out.contains("De uitnodiging is gemaild naar hr@cli.example"),
        "{out}"
    );
    assert!(!out.contains("/wachtwoord/"), "{out}");
    let got = sink.received();
    assert_eq!(got.len(), 1);
    assert!(got[0].is_to("hr@cli.example"));
    assert!(got[0].body().contains("https://urenwinst.test/wachtwoord/"));
    assert!(got[0].body().contains("Zorggroep Cli"));

    let out = smtp_ok(
        &sink,
        &data,
        &["user", "reset-password", "--email", "hr@cli.example"],
    );
    assert!(out.contains("is gemaild naar hr@cli.example"), "{out}");
    assert_eq!(sink.received().len(), 2);
    // Without SMTP: a generated password, as before.
    let out = run_ok(
        &data,
        &["user", "reset-password", "--email", "hr@cli.example"],
    );
    assert!(out.starts_with("hr@cli.example\t"), "{out}");
    assert_eq!(sink.received().len(), 2);

    let round = run_ok(
        &data,
        &[
            "survey",
            "round",
            "add",
            "--org",
            "Zorggroep Cli",
            "--name",
            "Nulmeting",
            "--teams",
            "all",
            "--opens",
            "2026-01-01",
            "--closes",
            "2099-12-31",
        ],
    );
    let round = round.trim().to_string();
    run_ok(
        &data,
        &[
            "survey",
            "round",
            "open",
            "--org",
            "Zorggroep Cli",
            "--round",
            &round,
        ],
    );
    let list = data.path().join("adressen.csv");
    std::fs::write(
        &list,
        "naam;e-mail\nAnna;anna@cli.example\nBert;bert@cli.example\nCor;cor@cli.example\n",
    )
    .unwrap();
    let list = list.to_str().unwrap();
    let invite = [
        "survey",
        "invite",
        "--org",
        "Zorggroep Cli",
        "--round",
        &round,
        "--team",
        "Berk",
        "--file",
        list,
    ];
    // Without SMTP the command refuses, in Dutch.
    let no_mail = run(&data, &invite);
    assert!(!no_mail.status.success());
    assert!(String::from_utf8_lossy(&no_mail.stderr).contains("geen e-mail ingesteld"));
    let out = smtp_ok(&sink, &data, &invite);
    assert!(out.contains("3 adressen toegevoegd"), "{out}");
    assert!(out.contains("Taak "), "{out}");

    // The worker mails them.
    let mut worker = with_smtp(&sink, &data)
        .arg("worker")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let got = sink.wait_for(5, Duration::from_secs(60));
    let _ = worker.kill();
    let _ = worker.wait();
    let survey: Vec<_> = got.iter().skip(2).collect();
    assert_eq!(survey.len(), 3, "{got:?}");
    let codes: BTreeSet<String> = survey
        .iter()
        .map(|m| {
            let body = m.body();
            let at = body.find("https://urenwinst.test/enquete/").unwrap();
            body[at..].split_whitespace().next().unwrap().to_string()
        })
        .collect();
    assert_eq!(codes.len(), 3);

    // Everyone was mailed today: no reminder yet.
    let out = smtp_ok(
        &sink,
        &data,
        &[
            "survey",
            "remind",
            "--org",
            "Zorggroep Cli",
            "--round",
            &round,
        ],
    );
    assert!(out.contains("niemand om te herinneren"), "{out}");
}
