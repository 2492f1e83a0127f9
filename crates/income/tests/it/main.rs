//! Integration tests for the income engine (one binary: golden cases, invariants,
//! input errors, rule-file validation, kinderopvangtoeslag table, curve and examples).
// The golden cases are data files that the tests read.
#![allow(clippy::disallowed_methods)]

mod cao;
mod errors;
mod golden;
mod kot;
mod props;
mod rules;
mod scenarios;

pub fn book() -> &'static income::RuleBook {
    use std::sync::OnceLock;
    static BOOK: OnceLock<income::RuleBook> = OnceLock::new();
    BOOK.get_or_init(|| income::RuleBook::embedded().expect("embedded rules are valid"))
}
