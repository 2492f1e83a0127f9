//! The WerkUrenBerekenaar: the public page `/berekenaar` and `POST /api/v1/calc`.
//! Both are open without an account, and neither stores anything.

use axum::http::StatusCode;

use crate::helpers::{Client, TestApp, on_each_backend};

/// Row counts of every table of the database, by name.
async fn row_counts(app: &TestApp) -> Vec<(String, i64)> {
    let out = app.store().row_counts().await.unwrap();
    assert!(out.len() >= 5, "tables found: {out:?}");
    out
}

/// The text of the result section, tags removed and whitespace collapsed.
fn result_text(html: &str) -> String {
    let start = html
        .find("<section id=\"uitkomst\"")
        .expect("result section");
    let end = start + html[start..].find("</section>").expect("section end");
    let section = &html[start..end];
    // The chart is checked separately; its markup is long.
    let section = match (section.find("<svg"), section.find("</svg>")) {
        (Some(a), Some(b)) => format!("{}[grafiek]{}", &section[..a], &section[b + 6..]),
        _ => section.to_string(),
    };
    let mut text = String::new();
    let mut in_tag = false;
    for ch in section.chars() {
        match ch {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn example_href(html: &str, title: &str) -> String {
    let i = html.find(title).expect("example listed");
    let before = &html[..i];
    let start = before.rfind("href=\"").expect("link") + 6;
    let end = start + html[start..].find('"').unwrap();
    unescape(&html[start..end])
}

fn unescape(s: &str) -> String {
    s.replace("&#38;", "&").replace("&amp;", "&")
}

/// The value of the input with `id`.
fn input_value(html: &str, id: &str) -> String {
    let i = html.find(&format!("id=\"{id}\"")).expect("input");
    let start = i + html[i..].find("value=\"").expect("value") + 7;
    let end = start + html[start..].find('"').unwrap();
    unescape(&html[start..end])
}

#[tokio::test]
async fn page_renders_each_example_without_an_account() {
    on_each_backend(|app| async move {
        let mut c = Client::default();
        let home = app.get(&mut c, "/berekenaar").await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(home.body.contains("href=\"/berekenaar\""), "header link");
        assert!(home.body.contains("Probeer een voorbeeld"));
        assert!(!home.body.contains("<table class=\"compare\""));
        // The CSP forbids inline script and style; the page uses none.
        assert!(!home.body.contains("<script>") && !home.body.contains("style=\""));
        // A short link: fields left out take their defaults (24 → 32 hours).
        let short = app.get(&mut c, "/berekenaar?uurloon=18,25").await;
        assert_eq!(short.status, StatusCode::OK);
        assert!(result_text(&short.body).contains("Van 24 naar 32 uur per week"));
        for e in income::examples() {
            let href = example_href(&home.body, &e.title);
            assert!(href.starts_with("/berekenaar?"), "{href}");
            // An example jumps to its result (on a phone the form is long).
            let href = href
                .strip_suffix("#uitkomst")
                .unwrap_or_else(|| panic!("{href} should end in #uitkomst"))
                .to_string();
            let page = app.get(&mut c, &href).await;
            assert_eq!(page.status, StatusCode::OK, "{}: {}", e.id, page.body);
            assert!(
                page.body.contains("<svg class=\"chart\""),
                "{}: chart",
                e.id
            );
            assert!(page.body.contains("Afdrukken / opslaan als PDF"));
            assert_eq!(
                input_value(&page.body, "deellink"),
                format!("http://127.0.0.1:8080{href}"),
                "{}: share link",
                e.id
            );
            insta::assert_snapshot!(format!("berekenaar_{}", e.id), result_text(&page.body));
            // The print view shows the same figures, without the form.
            let print = app.get(&mut c, &format!("{href}&afdrukken=1")).await;
            assert_eq!(print.status, StatusCode::OK);
            assert!(!print.body.contains("id=\"berekenaar-form\""));
            assert!(print.body.contains("Jouw gegevens"));
        }
        app
    })
    .await;
}

#[tokio::test]
async fn invalid_input_names_the_field_in_dutch_and_shows_no_numbers() {
    on_each_backend(|app| async move {
        let mut c = Client::default();
        for (query, label, text) in [
            (
                "uurloon=abc&uren=24&meer=32",
                "Bruto uurloon",
                "is geen getal",
            ),
            ("uurloon=&uren=24&meer=32", "Bruto uurloon", "uurloon"),
            (
                "uurloon=18,25&uren=24&meer=70",
                "Uren per week straks",
                "0 tot en met 60",
            ),
            ("uurloon=5&uren=24&meer=32", "Bruto uurloon", "minimumloon"),
            (
                "uurloon=18,25&uren=24&meer=32&huishouden=ouder&kind1=&kind2=25",
                "Leeftijd kind 2",
                "jonger dan 18",
            ),
            (
                "uurloon=18,25&uren=24&meer=32&huur=-5",
                "Kale huur per maand",
                "negatief",
            ),
        ] {
            let r = app.get(&mut c, &format!("/berekenaar?{query}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}");
            let text_out = result_text(&r.body);
            assert!(
                text_out.contains("Controleer je invoer"),
                "{query}: {text_out}"
            );
            assert!(text_out.contains(label), "{query}: {text_out}");
            assert!(text_out.contains(text), "{query}: {text_out}");
            assert!(!r.body.contains("<table class=\"compare\""), "{query}");
            assert!(!r.body.contains("<svg"), "{query}");
            assert!(!text_out.contains("per maand netto"), "{query}");
            assert!(r.body.contains("aria-invalid=\"true\""), "{query}");
        }
        app
    })
    .await;
}

#[tokio::test]
async fn api_is_public_and_matches_the_engine() {
    on_each_backend(|app| async move {
        let mut c = Client::default();
        let book = income::RuleBook::embedded().unwrap();
        for e in income::examples() {
            let body = serde_json::to_value(&e.input).unwrap();
            let r = app.api(&mut c, "POST", "/api/v1/calc", Some(body.clone())).await;
            assert_eq!(r.status, StatusCode::OK, "{}: {}", e.id, r.body);
            let expected = serde_json::to_value(book.calculate(&e.input).unwrap()).unwrap();
            assert_eq!(r.json(), expected, "{}", e.id);
            let r = app.api(&mut c, "POST", "/api/v1/calc/curve", Some(body)).await;
            assert_eq!(r.status, StatusCode::OK, "{}", e.id);
            assert_eq!(r.json()["points"].as_array().unwrap().len(), 41);
        }
        let r = app.api(&mut c, "GET", "/api/v1/calc/examples", None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["examples"].as_array().unwrap().len(), income::examples().len());
        // Errors carry the engine's code, its Dutch message and the field.
        let bad = serde_json::json!({"year": 2026, "employee": {"hourly_wage": 18.25, "hours_per_week": 24}, "children": [{"age": 30}]});
        let r = app.api(&mut c, "POST", "/api/v1/calc", Some(bad)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let err = &r.json()["error"];
        assert_eq!(err["code"], "child_age_out_of_range");
        assert_eq!(err["field"], "children[0].age");
        assert!(err["message"].as_str().unwrap().contains("jonger dan 18"));
        // The CAO VVT salary table: scale and step give the salary, with the July raise.
        let cao = serde_json::json!({"year": 2026, "employee": {"cao": "vvt", "fwg": 35, "step": 4, "hours_per_week": 24}});
        let r = app.api(&mut c, "POST", "/api/v1/calc", Some(cao)).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["salary_table"]["periods"][1]["monthly_full_time"], 2981.98);
        assert_eq!(r.json()["current"]["base_salary"], 23452.5);
        // Another cao has no table here: the hourly wage is asked for.
        let gz = serde_json::json!({"year": 2026, "employee": {"cao": "gz", "fwg": 35, "step": 4, "hours_per_week": 24}});
        let r = app.api(&mut c, "POST", "/api/v1/calc", Some(gz)).await;
        assert_eq!(r.json()["error"]["code"], "cao_table_unavailable", "{}", r.body);
        // A year without rules lists the years there are.
        let y = serde_json::json!({"year": 2031, "employee": {"hourly_wage": 18.25, "hours_per_week": 24}});
        let r = app.api(&mut c, "POST", "/api/v1/calc", Some(y)).await;
        assert_eq!(r.json()["error"]["code"], "year_unsupported");
        let years: Vec<String> = income::RuleBook::embedded().unwrap().years().iter().map(i32::to_string).collect();
        assert!(r.json()["error"]["message"].as_str().unwrap().contains(&years.join(" en ")), "{}", r.body);
        let unknown = serde_json::json!({"year": 2026, "employee": {"hourly_wage": 18.25, "hours_per_week": 24}, "salaris": 1});
        let r = app.api(&mut c, "POST", "/api/v1/calc", Some(unknown)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["error"]["code"], "invalid_json");
        assert_eq!(r.json()["error"]["field"], "salaris");
        app
    })
    .await;
}

#[tokio::test]
async fn nothing_is_stored() {
    on_each_backend(|app| async move {
        let before = row_counts(&app).await;
        let mut c = Client::default();
        for e in income::examples() {
            let body = serde_json::to_value(&e.input).unwrap();
            let r = app.api(&mut c, "POST", "/api/v1/calc", Some(body)).await;
            assert_eq!(r.status, StatusCode::OK);
        }
        let bad = serde_json::json!({"year": 1999});
        app.api(&mut c, "POST", "/api/v1/calc", Some(bad)).await;
        let home = app.get(&mut c, "/berekenaar").await;
        for e in income::examples() {
            let href = example_href(&home.body, &e.title);
            assert_eq!(app.get(&mut c, &href).await.status, StatusCode::OK);
        }
        app.get(&mut c, "/berekenaar?uurloon=abc&uren=24&meer=32")
            .await;
        assert!(
            c.cookies.is_empty(),
            "the calculator sets no cookie: {:?}",
            c.cookies
        );
        assert_eq!(before, row_counts(&app).await, "a table changed");
        app
    })
    .await;
}

#[tokio::test]
async fn missing_childcare_band_is_shown_as_a_message_not_a_number() {
    on_each_backend(|app| async move {
        let book = income::RuleBook::embedded().unwrap();
        let mut c = Client::default();
        // The 2026 table is complete; the 2025 one is known only up to the 96 % band, so
        // look for a 2025 household income above it.
        let mut found = false;
        for partner in (0..=200).map(|k| k * 1000) {
            let input = income::CalcInput::from_json(&format!(
                r#"{{"year": 2025, "employee": {{"hourly_wage": 20, "hours_per_week": 24}},
                    "partner": {{"annual_gross_wage": {partner}, "pension": "none"}}, "children": [{{"age": 2}}],
                    "childcare": [{{"child": 0, "type": "dagopvang", "hours_per_month": 80, "price_per_hour": 10}}],
                    "hours": [32]}}"#
            ))
            .unwrap();
            let Err(e) = book.calculate(&input) else {
                continue;
            };
            if e.code != income::ErrorCode::KinderopvangtoeslagTableIncomplete {
                continue;
            }
            found = true;
            let q = format!(
                "/berekenaar?jaar=2025&uurloon=20&uren=24&meer=32&huishouden=partner&partnerloon={partner}\
                 &kind1=2&opvang1=dagopvang&opvanguren1=80&opvangprijs1=10"
            );
            let r = app.get(&mut c, &q).await;
            assert_eq!(r.status, StatusCode::OK);
            let text = result_text(&r.body);
            assert!(text.contains("Dit kunnen we nog niet precies uitrekenen"), "{text}");
            assert!(text.contains(&e.message), "{text}");
            assert!(!r.body.contains("<table class=\"compare\""));
            break;
        }
        assert!(found, "no 2025 household income hits the unknown childcare rows");
        app
    })
    .await;
}

#[tokio::test]
async fn step_one_asks_what_a_care_employee_knows() {
    on_each_backend(|app| async move {
        let mut c = Client::default();
        let home = app.get(&mut c, "/berekenaar").await;
        // CAO VVT first, a job picker with FWG scales, and "weet ik niet: vul uurloon in".
        assert!(home.body.contains("<option value=\"vvt\" selected>"), "VVT first");
        assert!(home.body.contains("Verzorgende IG (FWG 35)"));
        assert!(home.body.contains("weet ik niet: ik vul mijn bruto uurloon in"));
        assert!(home.body.contains("data-treden=\"zij-instroom|1|2|3|4|5|6|7|8|9|10|11\""));
        // The years come from the rule files; the latest is the default.
        let book = income::RuleBook::embedded().unwrap();
        for y in book.years() {
            assert!(home.body.contains(&format!("<option value=\"{y}\"")), "{y}");
        }
        assert!(home.body.contains(&format!("<option value=\"{}\" selected>", book.latest_year())));
        // A job title and a step: the salary from the table, per month and per year.
        let q = "/berekenaar?cao=vvt&loonsoort=schaal&functie=verzorgende-ig&fwg=&trede=4&uren=24&meer=32&huishouden=alleen";
        let r = app.get(&mut c, q).await;
        assert_eq!(r.status, StatusCode::OK, "{}", result_text(&r.body));
        let text = result_text(&r.body);
        assert!(text.contains("Cao VVT, FWG 35, trede 4"), "{text}");
        assert!(text.contains("€ 2.981,98 per maand bij 36 uur"), "{text}");
        assert!(text.contains("Eindejaarsuitkering"), "{text}");
        assert!(text.contains("Nu per jaar"), "{text}");
        assert!(text.contains("Waar blijft een extra euro?"), "{text}");
        assert!(text.contains("marginale druk"), "{text}");
        // A step the scale does not have names the steps it does have.
        let r = app
            .get(&mut c, "/berekenaar?cao=vvt&loonsoort=schaal&fwg=25&trede=0&uren=24&meer=32")
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let text = result_text(&r.body);
        assert!(text.contains("Trede"), "{text}");
        assert!(text.contains("zij-instroom, 1, 2"), "{text}");
        // ORT per time slot and an extra workday.
        let r = app
            .get(&mut c, "/berekenaar?cao=vvt&loonsoort=schaal&fwg=45&trede=2&uren=24&meer=32&dagen=3&meerdagen=4&ort_zondag=4")
            .await;
        let text = result_text(&r.body);
        assert!(text.contains("Onregelmatigheidstoeslag"), "{text}");
        assert!(text.contains("Vergoeding extra werkdagen"), "{text}");
        // Every example is also a printable one-pager.
        for e in income::examples() {
            let href = example_href(&home.body, &e.title);
            let href = href.trim_end_matches("#uitkomst");
            let after = &home.body[home.body.find(&e.title).unwrap()..];
            let marker = "class=\"print-link\" href=\"";
            let start = after.find(marker).expect("print link") + marker.len();
            let end = start + after[start..].find('"').unwrap();
            let print = unescape(&after[start..end]);
            assert_eq!(print, format!("{href}&afdrukken=1"), "{}", e.id);
            let r = app.get(&mut c, &print).await;
            assert_eq!(r.status, StatusCode::OK);
            assert!(r.body.contains("class=\"calc print-view\""), "{}", e.id);
        }
        app
    })
    .await;
}

/// Issue 33: explanations where a result surprises, and a warning above 40 hours a week.
#[tokio::test]
async fn surprising_results_are_explained_and_long_weeks_warned() {
    on_each_backend(|app| async move {
        let mut c = Client::default();
        // A few hours: the tax credits are larger than the tax.
        let few = app
            .get(&mut c, "/berekenaar?uurloon=15&uren=8&meer=12")
            .await;
        let text = result_text(&few.body);
        assert!(
            text.contains("Waarom betaal je nu en straks geen belasting?"),
            "{text}"
        );
        assert!(text.contains("algemene heffingskorting (€"), "{text}");
        assert!(!text.contains("netto loon van je partner ("), "{text}");
        assert!(!few.body.contains("id=\"uren-waarschuwing\""));
        // Parents with a child under 12: working more moves the combination credit to
        // the partner, whose net pay changes although the partner works the same.
        let parents = app
            .get(
                &mut c,
                "/berekenaar?uurloon=20&uren=16&meer=32&huishouden=partner&partnerloon=24000&kind1=8",
            )
            .await;
        let text = result_text(&parents.body);
        assert!(
            text.contains("Waarom verandert het netto loon van je partner"),
            "{text}"
        );
        assert!(
            text.contains("inkomensafhankelijke combinatiekorting"),
            "{text}"
        );
        // Above 40 hours: a warning; at 40 none.
        let long = app
            .get(&mut c, "/berekenaar?uurloon=20&uren=36&meer=44")
            .await;
        assert!(long.body.contains("id=\"uren-waarschuwing\""));
        assert!(
            result_text(&long.body).contains("je rekent met 44 uur per week"),
            "{}",
            result_text(&long.body)
        );
        let forty = app
            .get(&mut c, "/berekenaar?uurloon=20&uren=36&meer=40")
            .await;
        assert_eq!(forty.status, StatusCode::OK);
        assert!(!forty.body.contains("id=\"uren-waarschuwing\""));
        app
    })
    .await;
}
