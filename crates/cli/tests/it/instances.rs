//! Two `urenwinst serve` processes on one PostgreSQL database behind a round-robin proxy
//! (`urenwinst bench instances`, issue 34): a login on one instance is a session on the
//! other, an HR upload taken by one is mapped on the other, and survey submissions spread
//! over both while one instance stops and starts again lose nothing and store nothing
//! twice.

use crate::support;

#[test]
fn two_instances_behind_a_proxy_share_everything_and_lose_no_response() {
    let Some(server) = store::testing::postgres_url() else {
        eprintln!("skipped: set URENWINST_TEST_POSTGRES to run two instances on PostgreSQL");
        return;
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let db = runtime
        .block_on(store::testing::TestDb::postgres(&server))
        .expect("a fresh PostgreSQL database");
    let url = db.postgres_database_url().expect("a PostgreSQL URL");
    let data = support::DataDir::new();
    let out = std::process::Command::new(support::binary())
        .args([
            "bench",
            "instances",
            "--database-url",
            &url,
            "--respondents",
            "120",
            "--page-views",
            "60",
            "--concurrency",
            "6",
            "--json",
        ])
        .env("URENWINST_DATA_DIR", data.path())
        .env("URENWINST_LOG", "warn")
        .output()
        .expect("run urenwinst bench instances");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    runtime.block_on(db.cleanup()).unwrap();
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let json_start = stdout.find('{').expect("JSON output");
    let o: serde_json::Value = serde_json::from_str(&stdout[json_start..]).unwrap();

    assert_eq!(o["backend"], "Postgres", "{o}");
    assert_eq!(o["login_across"], true, "a login on A opens pages on B");
    assert_eq!(
        o["upload_across"], true,
        "an upload on A is mapped and imported on B"
    );
    // Every respondent acknowledged once, and exactly those stored: none lost, none twice.
    assert_eq!(o["respondents"], 120);
    assert_eq!(o["acknowledged"], 120, "{o}");
    assert_eq!(o["stored"], 120, "{o}");
    assert_eq!(o["codes_used"], 120, "{o}");
    assert_eq!(o["failed"], 0, "{o}");
    assert_eq!(o["page_views_ok"], 60, "{o}");
    // The second instance really stopped and came back mid-load, and both served.
    assert_eq!(o["restarted"], true, "{o}");
    let per = o["connections_per_instance"].as_array().unwrap();
    assert!(
        per.iter().all(|n| n.as_u64().unwrap() >= 20),
        "both instances served a share of the load: {o}"
    );
}
