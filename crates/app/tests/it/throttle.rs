//! The open-link throttle over the database: instances share the limit, addresses are
//! counted apart and never stored, windows end and are purged.

use app::throttle::{LINK_STEPS_PER_10_MIN, LINK_SUBMITS_PER_HOUR, LinkAttempt, LinkThrottle};
use app::uploads::UploadKey;
use store::testing::TestDb;

#[tokio::test]
async fn two_instances_share_the_limit() {
    for db in TestDb::all().await.unwrap() {
        let key = UploadKey::random();
        let other_store = db.another_instance().await.unwrap();
        let a = LinkThrottle::new(db.store.clone(), &key);
        let b = LinkThrottle::new(other_store.clone(), &key);
        // In the middle of a window, so the test does not straddle two.
        let now = 500_000 * 3600 + 60;
        let addr = "203.0.113.7";
        for i in 0..LINK_SUBMITS_PER_HOUR {
            let t = if i % 2 == 0 { &a } else { &b };
            assert!(
                t.allow_at(now, "link", addr, LinkAttempt::Submit)
                    .await
                    .unwrap(),
                "attempt {i}"
            );
        }
        assert!(
            !a.allow_at(now + 1, "link", addr, LinkAttempt::Submit)
                .await
                .unwrap()
        );
        assert!(
            !b.allow_at(now + 2, "link", addr, LinkAttempt::Submit)
                .await
                .unwrap()
        );
        // Another address, link or kind is not held back; the next window is open again.
        assert!(
            b.allow_at(now, "link", "203.0.113.8", LinkAttempt::Submit)
                .await
                .unwrap()
        );
        assert!(
            b.allow_at(now, "other link", addr, LinkAttempt::Submit)
                .await
                .unwrap()
        );
        assert!(
            b.allow_at(now, "link", addr, LinkAttempt::Step)
                .await
                .unwrap()
        );
        assert!(
            a.allow_at(now + 3600, "link", addr, LinkAttempt::Submit)
                .await
                .unwrap()
        );
        // The address is nowhere in the database: only keyed hashes are stored, and a
        // throttle with another key counts apart (its hashes differ).
        let stranger = LinkThrottle::new(db.store.clone(), &UploadKey::random());
        assert!(
            stranger
                .allow_at(now, "link", addr, LinkAttempt::Submit)
                .await
                .unwrap()
        );
        let rows = db.store.link_attempts_for_tests().await.unwrap();
        assert!(!rows.is_empty());
        for r in &rows {
            assert!(!r.contains("203.0.113"), "{r}");
            assert!(!r.contains("link"), "{r}");
        }
        // Ended windows go in the hourly purge.
        let purged = db
            .store
            .purge_expired_link_attempts(now + 3600)
            .await
            .unwrap();
        assert_eq!(purged as usize, rows.len() - 1);
        other_store.close().await;
        db.cleanup().await.unwrap();
    }
}

#[test]
fn limits_stay_as_they_were() {
    assert_eq!(LinkAttempt::Submit.limit(), (3600, LINK_SUBMITS_PER_HOUR));
    assert_eq!(LinkAttempt::Step.limit(), (600, LINK_STEPS_PER_10_MIN));
    assert_eq!((LINK_SUBMITS_PER_HOUR, LINK_STEPS_PER_10_MIN), (30, 400));
}
