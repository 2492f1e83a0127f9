//! The roster design job on the queue (issue 32): a running design is cancelled through
//! the database flag and keeps its best roster; progress is written where a second
//! instance reads it; two workers never run one design twice.

use std::time::Duration;

use app::access::Caller;
use app::jobs::{Ran, WorkerConfig};
use store::{OrganisationInput, Store, Subsector};

use crate::for_each_backend;

/// Three weeks of short mornings and evenings for six people.
fn csv() -> String {
    let mut s = String::from("personeelsnummer;datum;begintijd;eindtijd;pauze\n");
    for day in 2..23 {
        for k in 0..6 {
            if (day + k) % 7 >= 5 {
                continue;
            }
            let (from, to) = if k % 2 == 0 {
                ("07:00", "11:00")
            } else {
                ("17:00", "21:00")
            };
            s.push_str(&format!("{};{day:02}-03-2026;{from};{to};0\n", 500 + k));
        }
    }
    s
}

async fn scan(store: &Store) -> (i64, i64) {
    let org = store
        .create_organisation(&OrganisationInput::new("Roosterzorg", Subsector::Vvt))
        .await
        .unwrap();
    let team = store.create_team(org.id, "Team Zon", None).await.unwrap();
    let up = app::roster::new_upload(
        store,
        Caller::Operator,
        org.id,
        team.id,
        "r.csv",
        csv().as_bytes(),
    )
    .await
    .unwrap();
    let s = app::roster::store_upload(
        store,
        &app::uploads::UploadKey::random(),
        Caller::Operator,
        &org,
        &up,
    )
    .await
    .unwrap();
    (org.id, s.id)
}

fn quick(name: &str) -> WorkerConfig {
    let mut c = WorkerConfig::new(name);
    c.heartbeat_interval = Duration::from_millis(200);
    c.poll_interval = Duration::from_millis(50);
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_design_is_cancelled_by_the_flag_and_keeps_its_best_roster() {
    for_each_backend(|store| async move {
        let (org, scan_id) = scan(&store).await;
        let req = app::roster::DesignRequest {
            seconds: Some(300),
            longer_shifts: true,
            ..Default::default()
        };
        let d = app::roster::start_design(&store, None, Caller::Operator, org, scan_id, &req)
            .await
            .unwrap();
        let worker = app::maintenance::standard_worker(store.clone(), quick("w1"));
        let started = std::time::Instant::now();
        let run = tokio::spawn(async move { worker.run_once().await });
        // Wait until the solve has written progress, seen by another instance's reads.
        let mut seen = None;
        for _ in 0..200 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let s = app::roster::design_status(&store, None, Caller::Operator, org, d.id)
                .await
                .unwrap();
            if s.status == "running" && s.seconds_left.is_some() {
                seen = s.seconds_left;
                break;
            }
        }
        assert!(seen.is_some_and(|l| l <= 300), "no progress written");
        let status = app::roster::cancel_design(&store, Caller::Operator, org, d.id)
            .await
            .unwrap();
        assert_eq!(status, "running");
        let ran = run.await.unwrap().unwrap();
        assert!(
            matches!(ran, Ran::Job { ref status, .. } if status == "cancelled"),
            "{ran:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(250),
            "the cancel flag was not seen"
        );
        let s = app::roster::design_status(&store, None, Caller::Operator, org, d.id)
            .await
            .unwrap();
        assert_eq!(s.status, "cancelled");
        let r = s.result.expect("the best roster so far is kept");
        assert!(r.cancelled);
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_run_one_design_once() {
    for_each_backend(|store| async move {
        let (org, scan_id) = scan(&store).await;
        let req = app::roster::DesignRequest {
            seconds: Some(2),
            longer_shifts: true,
            ..Default::default()
        };
        let d = app::roster::start_design(&store, None, Caller::Operator, org, scan_id, &req)
            .await
            .unwrap();
        let a = app::maintenance::standard_worker(store.clone(), quick("a"));
        let b = app::maintenance::standard_worker(store.clone(), quick("b"));
        let (ra, rb) = tokio::join!(a.run_once(), b.run_once());
        let ran: Vec<Ran> = vec![ra.unwrap(), rb.unwrap()];
        assert_eq!(
            ran.iter().filter(|r| matches!(r, Ran::Job { .. })).count(),
            1,
            "{ran:?}"
        );
        let s = app::roster::design_status(&store, None, Caller::Operator, org, d.id)
            .await
            .unwrap();
        assert_eq!(s.status, "done");
        let r = s.result.unwrap();
        assert!(r.found);
        assert!(r.after.is_some());
        // Bad requests are named and store nothing.
        let bad = app::roster::DesignRequest {
            seconds: Some(0),
            ..Default::default()
        };
        let e = app::roster::start_design(&store, None, Caller::Operator, org, scan_id, &bad)
            .await
            .unwrap_err();
        assert!(e.user_message().unwrap().contains("rekentijd"), "{e}");
        assert_eq!(store.roster_designs(org, scan_id).await.unwrap().len(), 1);
    })
    .await;
}
