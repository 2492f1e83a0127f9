//! The pages as a programme admin and a new user use them.

use axum::http::StatusCode;
use store::Role;

use crate::helpers::{Client, hidden_value, on_each_backend};

#[tokio::test]
async fn programme_admin_manages_the_region_in_pages() {
    on_each_backend(|app| async move {
        app.user("pa@example.nl", Role::ProgrammeAdmin, None, vec![])
            .await;
        let mut c = app.login("pa@example.nl").await;

        let r = app
            .post_form(
                &mut c,
                "/organisaties",
                &[
                    ("name", "Zorggroep Formulier"),
                    ("subsector", "vvt"),
                    ("fulltime_hours", "36"),
                    ("min_group_size", "5"),
                    ("phase", "ontwerp"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let org_url = r.location().to_string();
        let page = app.get(&mut c, &org_url).await;
        assert!(
            page.body.contains("Zorggroep Formulier") && page.body.contains("is toegevoegd."),
            "flash shown"
        );
        let org_id: i64 = org_url.rsplit('/').next().unwrap().parse().unwrap();

        // A Dutch number with a comma is accepted; a wrong one explained.
        let r = app
            .post_form(
                &mut c,
                &org_url,
                &[
                    ("name", "Zorggroep Formulier"),
                    ("subsector", "vvt"),
                    ("fulltime_hours", "36,5"),
                    ("min_group_size", "5"),
                    ("phase", "pilot"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.store()
                .organisation(org_id)
                .await
                .unwrap()
                .fulltime_hours,
            36.5
        );
        let r = app
            .post_form(
                &mut c,
                &org_url,
                &[
                    ("name", "Zorggroep Formulier"),
                    ("subsector", "vvt"),
                    ("fulltime_hours", "3O"),
                    ("min_group_size", "5"),
                    ("phase", "pilot"),
                ],
            )
            .await;
        let page = app.get(&mut c, r.location()).await;
        assert!(page.body.contains("is geen getal"), "{}", page.body);

        app.post_form(
            &mut c,
            &format!("/organisaties/{org_id}/locaties"),
            &[("name", "Hengelo")],
        )
        .await;
        app.post_form(
            &mut c,
            &format!("/organisaties/{org_id}/teams"),
            &[("name", "Team Zon"), ("location_id", "")],
        )
        .await;
        let page = app.get(&mut c, &org_url).await;
        assert!(page.body.contains("Team Zon") && page.body.contains("Hengelo"));

        // Invite an organisation admin; the link lets them choose a password.
        let r = app
            .post_form(
                &mut c,
                "/gebruikers",
                &[
                    ("name", "Hanna"),
                    ("email", "hanna@formulier.example"),
                    ("role", "org_admin"),
                    ("org_id", &org_id.to_string()),
                    ("password", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        let start = r.body.find("/wachtwoord/").expect("invite link shown");
        let link: String = r.body[start..].chars().take_while(|c| *c != '<').collect();
        let mut new = Client::default();
        let form = app.get(&mut new, &link).await;
        assert_eq!(form.status, StatusCode::OK);
        let csrf = hidden_value(&form.body, "csrf");
        let r = app
            .post_form(
                &mut new,
                &link,
                &[("password", "kort"), ("password2", "kort"), ("csrf", &csrf)],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("minstens 12 tekens"));
        let r = app
            .post_form(
                &mut new,
                &link,
                &[
                    ("password", crate::helpers::PASSWORD),
                    ("password2", crate::helpers::PASSWORD),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let again = app.get(&mut Client::default(), &link).await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST, "links work once");
        let mut hanna = app.login("hanna@formulier.example").await;
        let page = app.get(&mut hanna, "/organisaties").await;
        assert_eq!(page.location(), format!("/organisaties/{org_id}"));

        // The audit log shows who did what, in Dutch date format.
        let page = app.get(&mut c, "/audit").await;
        assert!(
            page.body.contains("Organisatie aangemaakt") && page.body.contains("pa@example.nl"),
            "{}",
            page.body
        );
        assert!(
            !page.body.contains(">organisation.create<"),
            "the action code is shown in Dutch only"
        );
        assert!(page.body.contains(&report::nl::date_unix(store::now())));

        // Logging out ends the session.
        let r = app.post_form(&mut c, "/uitloggen", &[]).await;
        assert_eq!(r.location(), "/inloggen");
        let r = app.get(&mut c, "/dashboard").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().starts_with("/inloggen?terug="));
        app
    })
    .await;
}

#[tokio::test]
async fn org_admin_cannot_edit_settings_but_manages_teams() {
    on_each_backend(|app| async move {
        let org = app.org("Eigen Org").await;
        app.user("hr@eigen.example", Role::OrgAdmin, Some(org.id), vec![])
            .await;
        let mut c = app.login("hr@eigen.example").await;
        let r = app
            .post_form(
                &mut c,
                &format!("/organisaties/{}", org.id),
                &[
                    ("name", "Eigen Org"),
                    ("subsector", "vvt"),
                    ("fulltime_hours", "36"),
                    ("min_group_size", "3"),
                    ("phase", "pilot"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.store()
                .organisation(org.id)
                .await
                .unwrap()
                .min_group_size,
            5
        );
        let r = app
            .post_form(
                &mut c,
                &format!("/organisaties/{}/teams", org.id),
                &[("name", "Team Eik")],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(app.store().teams(org.id).await.unwrap().len(), 1);
        // The organisation admin reads the own organisation's log (issue 33).
        let r = app.get(&mut c, "/audit").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Team aangemaakt") && r.body.contains("Team Eik"));
        let r = app
            .get(&mut c, &format!("/organisaties/{}/logboek", org.id))
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("Logboek Eigen Org") && r.body.contains("Team Eik"));
        app
    })
    .await;
}
