use survey::{Answer, ErrorKind, Lang, Response, SkipPolicy, ValidateOptions};

use crate::helpers::{employee, employees, managers};

#[test]
fn complete_response_is_valid() {
    let v = employees()
        .validate(&employee("ja_onder_voorwaarden", 24.0, 32.0))
        .unwrap();
    assert!(v.dropped.is_empty());
    assert_eq!(
        v.response.choices("voorwaarden"),
        ["langere_diensten", "vast_rooster"]
    );
}

#[test]
fn skipped_answers_are_dropped_or_refused() {
    // Went back and changed 'nee' to 'ja, zeker': the obstacles are left behind.
    let r = employee("ja_zeker", 24.0, 32.0)
        .with("belemmeringen", Answer::Choices(vec!["werkdruk".into()]));
    let v = employees().validate(&r).unwrap();
    assert_eq!(v.dropped, ["belemmeringen"]);
    assert!(v.response.get("belemmeringen").is_none());

    let strict = ValidateOptions {
        skipped: SkipPolicy::Refuse,
        require: true,
    };
    let errs = employees().validate_with(&r, strict).unwrap_err();
    assert_eq!(errs.errors.len(), 1);
    assert_eq!(errs.errors[0].question, "belemmeringen");
    assert_eq!(errs.errors[0].kind, ErrorKind::Skipped);
}

#[test]
fn skip_logic_chains() {
    // 'anders' text depends on conditions, which depend on openness.
    let r = employee("nee", 24.0, 24.0).with("voorwaarden_anders", Answer::Text("fiets".into()));
    let v = employees().validate(&r).unwrap();
    assert_eq!(v.dropped, ["voorwaarden_anders"]);
    let r = employee("ja_onder_voorwaarden", 24.0, 28.0)
        .with("voorwaarden", Answer::Choices(vec!["anders".into()]))
        .with("voorwaarden_anders", Answer::Text("  een fiets  ".into()));
    let v = employees().validate(&r).unwrap();
    assert_eq!(
        v.response.get("voorwaarden_anders"),
        Some(&Answer::Text("een fiets".into()))
    );
}

#[test]
fn messages_name_the_question_in_both_languages() {
    let r = employee("ja_zeker", 70.0, 32.0).with("tevredenheid_rooster", Answer::Scale(9));
    let errs = employees().validate(&r).unwrap_err();
    let e = errs
        .errors
        .iter()
        .find(|e| e.question == "contract_uren")
        .unwrap();
    assert_eq!(
        e.message(Lang::Nl),
        "Bij de vraag 'Hoeveel uur per week staat in uw contract?': vul een getal in van 0 tot en met 48."
    );
    assert_eq!(
        e.message(Lang::En),
        "At the question 'How many hours per week are in your contract?': enter a number from 0 to 48."
    );
    assert!(
        errs.errors
            .iter()
            .any(|e| e.question == "tevredenheid_rooster")
    );
    insta::assert_json_snapshot!("validation_errors", errs);
}

#[test]
fn required_and_types_and_unknowns() {
    let q = employees();
    let r = Response::new()
        .with("contract_uren", Answer::Choice("veel".into()))
        .with("gewerkte_uren", Answer::Number(24.123))
        .with("onbekend", Answer::Text("x".into()))
        .with("bereidheid", Answer::Choice("misschien".into()));
    let errs = q.validate(&r).unwrap_err();
    let kinds: Vec<(&str, &ErrorKind)> = errs
        .errors
        .iter()
        .map(|e| (e.question.as_str(), &e.kind))
        .collect();
    assert!(kinds.contains(&("onbekend", &ErrorKind::UnknownQuestion)));
    assert!(kinds.contains(&(
        "contract_uren",
        &ErrorKind::WrongType {
            expected: "number".into()
        }
    )));
    assert!(kinds.contains(&("gewerkte_uren", &ErrorKind::TooManyDecimals { decimals: 2 })));
    assert!(kinds.contains(&("gewenste_uren", &ErrorKind::Required)));
    assert!(kinds.contains(&(
        "bereidheid",
        &ErrorKind::UnknownOption {
            option: "misschien".into()
        }
    )));
    // Unknown openness option: conditions are not shown, so not required.
    assert!(!kinds.iter().any(|(q, _)| *q == "voorwaarden"));
    assert!(kinds.contains(&("rondkomen", &ErrorKind::Required)));
    // Background questions are optional.
    assert!(!kinds.iter().any(|(q, _)| *q == "leeftijd"));
}

#[test]
fn multi_choice_rules() {
    let q = managers();
    let base = Response::new()
        .with("aandeel_meer_werken", Answer::Choice("10_25".into()))
        .with("belemmeringen_lg", Answer::Choices(vec!["roosters".into()]))
        .with("regels_ruimte", Answer::Choice("soms".into()));
    let excl = base.clone().with(
        "ondersteuning",
        Answer::Choices(vec!["geen".into(), "roosters".into()]),
    );
    let errs = q.validate(&excl).unwrap_err();
    assert_eq!(
        errs.errors[0].kind,
        ErrorKind::Exclusive {
            option: "geen".into()
        }
    );
    assert!(
        errs.errors[0]
            .nl
            .contains("'Ik heb geen steun nodig' kunt u niet samen"),
        "{}",
        errs.errors[0].nl
    );
    let dup = base.clone().with(
        "ondersteuning",
        Answer::Choices(vec!["roosters".into(), "roosters".into()]),
    );
    assert!(q.validate(&dup).is_err());
    let none = base.clone().with("ondersteuning", Answer::Choices(vec![]));
    assert_eq!(
        q.validate(&none).unwrap_err().errors[0].kind,
        ErrorKind::NoOption
    );
    let ok = base.with(
        "ondersteuning",
        Answer::Choices(vec!["roosters".into(), "gesprekken".into()]),
    );
    // Normalised to questionnaire order.
    assert_eq!(
        q.validate(&ok).unwrap().response.choices("ondersteuning"),
        ["gesprekken", "roosters"]
    );
}

#[test]
fn page_by_page_flow() {
    let q = employees();
    let mut r = Response::new();
    assert_eq!(q.next_page(None, &r).unwrap().id, "uren");
    let errs = q.validate_page("uren", &r).unwrap_err();
    assert_eq!(errs.errors.len(), 3);
    r.set(
        "contract_uren",
        q.parse_form("contract_uren", &["24,5"]).unwrap().unwrap(),
    );
    r.set(
        "gewerkte_uren",
        q.parse_form("gewerkte_uren", &["28"]).unwrap().unwrap(),
    );
    r.set(
        "gewenste_uren",
        q.parse_form("gewenste_uren", &["32 uur"]).unwrap().unwrap(),
    );
    q.validate_page("uren", &r).unwrap();
    assert_eq!(r.number("contract_uren"), Some(24.5));
    assert_eq!(q.next_page(Some("uren"), &r).unwrap().id, "meer_uren");
    r.set("bereidheid", Answer::Choice("nee".into()));
    // 'nee' skips the conditions page and goes to obstacles.
    assert_eq!(
        q.next_page(Some("meer_uren"), &r).unwrap().id,
        "belemmeringen"
    );
    assert_eq!(q.progress("belemmeringen", &r), Some((3, 5)));
    assert_eq!(q.progress("voorwaarden", &r), None);
    assert!(q.validate_page("belemmeringen", &r).is_err());
    r.set(
        "belemmeringen",
        q.parse_form("belemmeringen", &["werkdruk", "gezondheid"])
            .unwrap()
            .unwrap(),
    );
    q.validate_page("belemmeringen", &r).unwrap();
    assert_eq!(
        q.next_page(Some("belemmeringen"), &r).unwrap().id,
        "geld_en_werk"
    );
    assert_eq!(
        q.previous_page("geld_en_werk", &r).unwrap().id,
        "belemmeringen"
    );
    assert_eq!(
        q.previous_page("belemmeringen", &r).unwrap().id,
        "meer_uren"
    );
    assert_eq!(q.next_page(Some("over_uzelf"), &r), None);
    assert!(q.validate_page("bestaat_niet", &r).is_err());
    // Form parsing errors name the question.
    let e = q.parse_form("contract_uren", &["veel"]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotANumber);
    assert_eq!(q.parse_form("contract_uren", &["  "]).unwrap(), None);
}

#[test]
fn response_json_roundtrip() {
    let r = employee("ja_onder_voorwaarden", 24.0, 32.0);
    let json = serde_json::to_string(&r).unwrap();
    assert!(
        json.contains(r#""bereidheid":{"choice":"ja_onder_voorwaarden"}"#),
        "{json}"
    );
    let back: Response = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
}

mod props {
    use proptest::prelude::*;
    use survey::{Answer, Response};

    use crate::helpers::employees;

    fn answer() -> impl Strategy<Value = Answer> {
        let ids = prop::sample::select(vec![
            "ja_zeker",
            "ja_onder_voorwaarden",
            "nee",
            "anders",
            "werkdruk",
            "kinderopvang",
            "25_34",
            "goed",
            "x",
        ]);
        prop_oneof![
            (-5.0f64..90.0).prop_map(|x| Answer::Number((x * 4.0).round() / 4.0)),
            ids.clone().prop_map(|s| Answer::Choice(s.to_string())),
            prop::collection::vec(ids, 0..4)
                .prop_map(|v| Answer::Choices(v.into_iter().map(str::to_string).collect())),
            "[a-z ]{0,20}".prop_map(Answer::Text),
            (-1i64..8).prop_map(Answer::Scale),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Validation never panics, and what it accepts it accepts again unchanged.
        #[test]
        fn validation_is_idempotent(
            answers in prop::collection::btree_map(
                prop::sample::select(employees().questions.iter().map(|q| q.id.clone()).collect::<Vec<_>>()),
                answer(),
                0..4,
            ),
            open in prop::sample::select(vec!["ja_zeker", "ja_onder_voorwaarden", "nee", "al_voltijd"]),
        ) {
            // Start from a valid response and overwrite some answers at random, so that
            // many cases pass validation and the idempotence check has work to do.
            let q = employees();
            let mut r: Response = crate::helpers::employee(open, 24.0, 28.0);
            r.answers.extend(answers);
            if let Ok(v) = q.validate(&r) {
                let again = q.validate(&v.response).expect("a cleaned response stays valid");
                prop_assert_eq!(&again.response, &v.response);
                prop_assert!(again.dropped.is_empty());
                for id in v.response.answers.keys() {
                    let question = q.question(id).unwrap();
                    prop_assert!(q.is_shown(question, &v.response));
                }
            }
            // Page by page: a response valid as a whole is valid on each visible page.
            if let Ok(v) = q.validate(&r) {
                for p in q.visible_pages(&v.response) {
                    prop_assert!(q.validate_page(&p.id, &v.response).is_ok());
                }
            }
        }
    }
}
