use survey::questionnaire::{CUSTOM_PAGE, RawOption};
use survey::{LoadError, Origin, QuestionKind, Questionnaire, RawQuestion, Role, Text};

use crate::helpers::{employees, managers};

fn ids(q: &Questionnaire) -> Vec<String> {
    q.questions
        .iter()
        .map(|q| {
            let opts: Vec<&str> = q.kind.options().iter().map(|o| o.id.as_str()).collect();
            format!(
                "{} [{}] {}: {}",
                q.page,
                q.kind.name(),
                q.id,
                opts.join(" ")
            )
        })
        .collect()
}

/// Core ids are a contract with stored answers and with other rounds: a change here must be
/// a new questionnaire version.
#[test]
fn question_ids_are_stable() {
    insta::assert_yaml_snapshot!("medewerkers_v1_ids", ids(employees()));
    insta::assert_yaml_snapshot!("leidinggevenden_v1_ids", ids(managers()));
}

#[test]
fn employees_cover_the_brief() {
    let q = employees();
    let open = q.by_role(Role::Openness).unwrap();
    let opts: Vec<&str> = open.kind.options().iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        opts,
        [
            "ja_zeker",
            "ja_onder_voorwaarden",
            "nee",
            "weet_ik_niet",
            "al_voltijd"
        ]
    );
    let open_opts: Vec<&str> = open
        .kind
        .options()
        .iter()
        .filter(|o| o.open)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(open_opts, ["ja_zeker", "ja_onder_voorwaarden"]);
    for role in [
        Role::ContractHours,
        Role::WorkedHours,
        Role::DesiredHours,
        Role::Conditions,
        Role::Obstacles,
        Role::AgeBand,
        Role::YearsOfService,
        Role::FunctionLevel,
        Role::Household,
    ] {
        assert!(q.by_role(role).is_some(), "{role:?}");
    }
    // Conditions only for 'onder voorwaarden', obstacles only for 'nee'.
    assert_eq!(
        q.by_role(Role::Conditions).unwrap().show_if[0].any_of,
        ["ja_onder_voorwaarden"]
    );
    assert_eq!(
        q.by_role(Role::Obstacles).unwrap().show_if[0].any_of,
        ["nee"]
    );
    // Background is optional.
    assert!(
        q.questions
            .iter()
            .filter(|q| q.background)
            .all(|q| !q.required)
    );
    assert_eq!(q.questions.iter().filter(|q| q.background).count(), 4);
    // Every kind of question the brief needs is present.
    let kinds: std::collections::BTreeSet<&str> =
        q.questions.iter().map(|q| q.kind.name()).collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["multi", "number", "scale", "single", "text"]
    );
}

#[test]
fn every_text_is_bilingual() {
    for q in Questionnaire::all_standard().unwrap() {
        for question in &q.questions {
            assert!(!question.text.nl.is_empty() && !question.text.en.is_empty());
            assert_ne!(
                question.text.nl, question.text.en,
                "{} not translated",
                question.id
            );
            for o in question.kind.options() {
                assert!(!o.label.nl.is_empty() && !o.label.en.is_empty(), "{}", o.id);
            }
        }
    }
}

fn custom(id: &str) -> RawQuestion {
    RawQuestion {
        id: id.into(),
        page: None,
        kind: "single".into(),
        text: Text::new(
            "Op welke locatie werkt u vooral?",
            "At which location do you mostly work?",
        ),
        help: None,
        required: false,
        role: None,
        background: true,
        show_if: vec![],
        min: None,
        max: None,
        decimals: None,
        unit: None,
        max_len: None,
        min_label: None,
        max_label: None,
        aliases: vec![],
        options: vec![
            RawOption {
                id: "de_esch".into(),
                nl: "De Esch".into(),
                en: "De Esch".into(),
                open: false,
                exclusive: false,
            },
            RawOption {
                id: "het_hof".into(),
                nl: "Het Hof".into(),
                en: "Het Hof".into(),
                open: false,
                exclusive: false,
            },
        ],
    }
}

#[test]
fn admin_adds_optional_questions_without_touching_core() {
    let base = employees();
    let extended = base.with_custom(vec![custom("extra_locatie")]).unwrap();
    assert_eq!(extended.questions.len(), base.questions.len() + 1);
    assert_eq!(
        &extended.questions[..base.questions.len()],
        &base.questions[..]
    );
    let added = extended.question("extra_locatie").unwrap();
    assert_eq!(added.origin, Origin::Custom);
    assert_eq!(added.page, CUSTOM_PAGE);
    assert_eq!(extended.pages.last().unwrap().id, CUSTOM_PAGE);
    assert!(matches!(added.kind, QuestionKind::Single { .. }));
    assert_eq!(extended.id(), "medewerkers-v1");
}

#[test]
fn admin_questions_are_checked() {
    let base = employees();
    let err = base.with_custom(vec![custom("locatie")]).unwrap_err();
    assert!(matches!(err, LoadError::Invalid(m) if m.contains("extra_")));
    let mut req = custom("extra_locatie");
    req.required = true;
    assert!(base.with_custom(vec![req]).is_err());
    let twice = base.with_custom(vec![custom("extra_a"), custom("extra_a")]);
    assert!(twice.is_err());
    let mut bad_skip = custom("extra_b");
    bad_skip.show_if = vec![survey::Condition {
        question: "bereidheid".into(),
        any_of: vec!["misschien".into()],
    }];
    assert!(base.with_custom(vec![bad_skip]).is_err());
}

#[test]
fn data_file_errors_are_refused() {
    let good = include_str!("../../questionnaires/medewerkers-v1.toml");
    let untranslated = good.replacen(
        "en = \"How many hours per week are in your contract?\"",
        "en = \"\"",
        1,
    );
    assert!(Questionnaire::from_toml(&untranslated).is_err());
    let unknown_field = good.replacen("max_len = 500", "max_len = 500\ncolour = \"red\"", 1);
    assert!(matches!(
        Questionnaire::from_toml(&unknown_field),
        Err(LoadError::Toml(_))
    ));
    let two_roles = good.replacen("role = \"worked_hours\"", "role = \"contract_hours\"", 1);
    assert!(Questionnaire::from_toml(&two_roles).is_err());
    assert!(Questionnaire::standard("medewerkers", 9).is_err());
}
