//! The job worker against a real database (SQLite, and PostgreSQL when configured).

mod audit;
mod erasure;
mod export;
mod impact;
mod jobs;
mod mail;
mod programme;
mod register;
mod retention;
mod roster;
mod throttle;
mod uploads;
mod value_case;

use store::testing::TestDb;

pub async fn for_each_backend<F, Fut>(f: F)
where
    F: Fn(store::Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for db in TestDb::all().await.expect("test database") {
        f(db.store.clone()).await;
        db.cleanup().await.expect("cleanup");
    }
}
