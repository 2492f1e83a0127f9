//! The rule files load, cite a source for every number, and broken files are refused.

const Y2026: &str = include_str!("../../rules/2026.toml");

#[test]
fn embedded_years() {
    assert_eq!(crate::book().years(), vec![2025, 2026]);
    for y in [2025, 2026] {
        let r = crate::book().rules(y).unwrap();
        assert!(
            r.sources.values().all(|s| s.len() > 20),
            "{y}: every source is a real citation"
        );
    }
}

fn refused(text: &str) -> income::RuleError {
    income::RuleBook::from_files(&[(2026, text)]).expect_err("must be refused")
}

#[test]
fn unknown_source_key_is_refused() {
    let broken = Y2026.replacen(r#"src = "aplus2026" }"#, r#"src = "nowhere" }"#, 1);
    assert!(matches!(
        refused(&broken),
        income::RuleError::UnknownSource { .. }
    ));
}

#[test]
fn descending_brackets_are_refused() {
    let broken = Y2026.replacen(r#"upto = "78426""#, r#"upto = "30000""#, 1);
    assert!(
        matches!(refused(&broken), income::RuleError::Invalid { .. }),
        "{}",
        refused(&broken)
    );
}

#[test]
fn discontinuous_labour_credit_is_refused() {
    let broken = Y2026.replacen(r#"base = "5300""#, r#"base = "5400""#, 1);
    let e = refused(&broken);
    assert!(e.to_string().contains("not continuous"), "{e}");
}

#[test]
fn rate_out_of_range_is_refused() {
    let broken = Y2026.replacen(r#"rate = "35.75""#, r#"rate = "135.75""#, 1);
    assert!(matches!(
        refused(&broken),
        income::RuleError::Invalid { .. }
    ));
}

#[test]
fn unknown_keys_are_refused() {
    let broken = Y2026.replacen(
        "[ahk]",
        "[ahk]\nbonus = { v = \"1\", src = \"aplus2026\" }",
        1,
    );
    assert!(matches!(refused(&broken), income::RuleError::Parse { .. }));
}
