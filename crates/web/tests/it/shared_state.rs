//! Two instances over one database behave as one: an HR upload made on one instance is
//! mapped and imported on the other, sealed at rest in between, and deleted when done.

use axum::http::StatusCode;
use store::Role;
use web::{AppState, WebConfig};

use crate::helpers::on_each_backend;
use crate::hr::{REFERENCE, RIGHT, upload};

#[tokio::test]
async fn an_upload_on_one_instance_is_mapped_on_the_other() {
    on_each_backend(|mut app| async move {
        // Two instances with the same configured key, each with its own connection pool.
        let config = WebConfig::default();
        let other_store = app.db.another_instance().await.unwrap();
        app.router = web::router(AppState::new(app.db.store.clone(), config.clone()));
        let mut other = web::router(AppState::new(other_store.clone(), config.clone()));
        let org = app.org("Zorggroep Twee").await;
        let user = app
            .user("hr@twee.example", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let mut c = app.login("hr@twee.example").await;
        let base = format!("/organisaties/{}/nulmeting", org.id);

        // Instance A takes the upload.
        let r = upload(
            &app,
            &mut c,
            &format!("{base}/bestand"),
            &[("soort", "hr"), ("peildatum", "2024-03-01")],
            "hr.csv",
            REFERENCE.as_bytes(),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let mapping_url = r.location().to_string();
        let token = mapping_url.rsplit('/').next().unwrap().to_string();

        // At rest: sealed, so no name, employee number or file name in the row.
        let row = app
            .store()
            .stashed_upload(&store::hash_secret(&token), org.id, user.id, store::now())
            .await
            .unwrap();
        for plain in ["Hanna Bos", "001001", "hr.csv", "Personeelsnr", &token] {
            assert!(!row.payload.contains(plain), "{plain} stored in plain text");
        }

        // Instance B serves the mapping step and the import.
        std::mem::swap(&mut app.router, &mut other);
        let m = app.get(&mut c, &mapping_url).await;
        assert_eq!(m.status, StatusCode::OK, "{}", m.body);
        assert!(m.body.contains("hr.csv"), "the file name comes along");
        let mut right = RIGHT.to_vec();
        right.push(("actie", "inlezen"));
        let r = app.post_form(&mut c, &mapping_url, &right).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let p = app.get(&mut c, r.location()).await;
        assert!(p.body.contains("Ingelezen: 60 medewerkers"), "{}", p.body);

        // Done: the upload is deleted, on both instances.
        let left = app
            .store()
            .row_counts()
            .await
            .unwrap()
            .into_iter()
            .find(|(t, _)| t == "upload_stash")
            .unwrap()
            .1;
        assert_eq!(left, 0);
        std::mem::swap(&mut app.router, &mut other);
        let gone = app.get(&mut c, &mapping_url).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);

        // An instance with another key cannot open an upload sealed by this one.
        let r = upload(
            &app,
            &mut c,
            &format!("{base}/bestand"),
            &[("soort", "hr"), ("peildatum", "2024-09-01")],
            "hr2.csv",
            REFERENCE.as_bytes(),
        )
        .await;
        let mapping_url = r.location().to_string();
        app.router = web::router(AppState::new(other_store.clone(), WebConfig::default()));
        let refused = app.get(&mut c, &mapping_url).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        other_store.close().await;
        app
    })
    .await;
}

#[tokio::test]
async fn cancelling_the_mapping_step_deletes_the_upload() {
    on_each_backend(|app| async move {
        let org = app.org("Zorggroep Drie").await;
        app.user("hr@drie.example", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let mut c = app.login("hr@drie.example").await;
        let base = format!("/organisaties/{}/nulmeting", org.id);
        let r = upload(
            &app,
            &mut c,
            &format!("{base}/bestand"),
            &[("soort", "hr"), ("peildatum", "2024-03-01")],
            "hr.csv",
            REFERENCE.as_bytes(),
        )
        .await;
        let mapping_url = r.location().to_string();
        let stashed = |app: &crate::helpers::TestApp| {
            let s = app.store().clone();
            async move {
                s.row_counts()
                    .await
                    .unwrap()
                    .into_iter()
                    .find(|(t, _)| t == "upload_stash")
                    .unwrap()
                    .1
            }
        };
        assert_eq!(stashed(&app).await, 1);
        let r = app
            .post_form(&mut c, &mapping_url, &[("actie", "annuleren")])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), format!("{base}/bestanden"));
        let p = app.get(&mut c, r.location()).await;
        assert!(
            p.body.contains("niet ingelezen en verwijderd"),
            "{}",
            p.body
        );
        assert_eq!(stashed(&app).await, 0);
        assert_eq!(
            app.get(&mut c, &mapping_url).await.status,
            StatusCode::NOT_FOUND
        );
        assert!(app.store().hr_snapshots(org.id).await.unwrap().is_empty());
        app
    })
    .await;
}
