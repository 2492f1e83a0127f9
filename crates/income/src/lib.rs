//! # income — the WerkUrenBerekenaar engine
//!
//! "Does working more pay?" for a care employee: household in, full net-income
//! breakdown out, for tax years 2025 and 2026. Rules are data files with a source per
//! number (`rules/*.toml`), embedded and validated by [`RuleBook::embedded`].
//!
//! ```
//! let book = income::RuleBook::embedded().expect("embedded rules are valid");
//! let input = income::CalcInput::from_json(r#"{
//!     "year": 2026,
//!     "employee": { "hourly_wage": 18.25, "hours_per_week": 24 },
//!     "hours": [28, 32]
//! }"#).unwrap();
//! let out = book.calculate(&input).unwrap();
//! assert_eq!(out.scenarios.len(), 2);
//! ```
//!
//! Architecture invariants: pure (no IO, no clock, no logging — nothing entered is
//! stored or logged); money is integer cents and rates exact fractions, no floating
//! point in any calculation; invalid or unsupported input is an [`InputError`],
//! never a guessed number.

mod engine;
mod examples;
mod input;
pub mod money;
mod output;
mod rules;

pub use examples::{Example, examples};
pub use input::{
    CalcInput, ChildInput, ChildcareInput, ChildcareType, EmployeeInput, ErrorCode, InputError,
    IrregularHours, MAX_HOURS, MAX_SCENARIOS, PartnerInput, PensionChoice,
};
pub use output::{
    CLIFF_THRESHOLD, CalcOutput, Cliff, CliffCause, Curve, CurvePoint, Note, Scenario,
};
pub use rules::{RuleBook, RuleError, Rules};

use engine::{Breakdown, evaluate};
use input::{ErrorCode as Code, Household};

/// Hours of the curve: 0..=CURVE_MAX_HOURS per week, whole hours.
pub const CURVE_MAX_HOURS: i64 = 40;

impl RuleBook {
    fn rules_for(&self, input: &CalcInput) -> Result<&Rules, InputError> {
        self.rules(input.year).ok_or_else(|| {
            let years = self
                .years()
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(" en ");
            InputError::new(
                "year",
                Code::YearUnsupported,
                format!("De berekenaar rekent voor de jaren {years}."),
            )
        })
    }

    /// Compute the current hours and every scenario in `input.hours`.
    pub fn calculate(&self, input: &CalcInput) -> Result<CalcOutput, InputError> {
        let rules = self.rules_for(input)?;
        let hh = input.validate(rules)?;
        let current = evaluate(rules, &hh, hh.employee.current_centihours)?;
        let scenarios = hh
            .scenarios
            .iter()
            .map(|h| evaluate(rules, &hh, *h).map(|b| Scenario::new(&b, &current)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CalcOutput {
            year: rules.year,
            current: Scenario::new(&current, &current),
            scenarios,
            cliffs: cliffs_0_40(rules, &hh),
            cliff_threshold: CLIFF_THRESHOLD,
            notes: notes(rules, &hh),
        })
    }

    /// Net income for 0..=40 hours per week, with the cliffs. `input.hours` is ignored.
    /// The current hours must be computable; a single hour level that is not (an
    /// unknown band of the childcare table) is returned with its error instead.
    pub fn curve(&self, input: &CalcInput) -> Result<Curve, InputError> {
        let rules = self.rules_for(input)?;
        let hh = input.validate(rules)?;
        let current = evaluate(rules, &hh, hh.employee.current_centihours)?;
        let mut points = Vec::with_capacity(CURVE_MAX_HOURS as usize + 1);
        let mut cliffs = Vec::new();
        let mut prev: Option<Breakdown> = None;
        for h in 0..=CURVE_MAX_HOURS {
            let ch = h * 100;
            match evaluate(rules, &hh, ch) {
                Ok(b) => {
                    let step = prev.and_then(|p| {
                        money::Share::burden(b.disposable - p.disposable, b.gross - p.gross)
                    });
                    if let Some(p) = &prev
                        && let Some(c) = output::cliff(p, &b)
                    {
                        cliffs.push(c);
                    }
                    points.push(CurvePoint {
                        hours_per_week: output::hours_decimal(ch),
                        scenario: Some(Scenario::new(&b, &current)),
                        step_marginal_burden: step,
                        error: None,
                    });
                    prev = Some(b);
                }
                Err(e) => {
                    points.push(CurvePoint {
                        hours_per_week: output::hours_decimal(ch),
                        scenario: None,
                        step_marginal_burden: None,
                        error: Some(e),
                    });
                    prev = None;
                }
            }
        }
        Ok(Curve {
            year: rules.year,
            current: Scenario::new(&current, &current),
            points,
            cliffs,
            cliff_threshold: CLIFF_THRESHOLD,
            notes: notes(rules, &hh),
        })
    }

    /// Curves for many inputs, spread over the available cores (std threads).
    pub fn curves(&self, inputs: &[CalcInput]) -> Vec<Result<Curve, InputError>> {
        self.curves_map(inputs, |c| c)
    }

    /// Like [`RuleBook::curves`], but hands each curve to `f` as soon as it is made
    /// and keeps only what `f` returns (10,000 full curves are about 160 MB).
    pub fn curves_map<R: Send>(
        &self,
        inputs: &[CalcInput],
        f: impl Fn(Result<Curve, InputError>) -> R + Sync,
    ) -> Vec<R> {
        let threads = std::thread::available_parallelism()
            .map_or(1, std::num::NonZero::get)
            .min(inputs.len().max(1));
        if threads <= 1 {
            return inputs.iter().map(|i| f(self.curve(i))).collect();
        }
        let chunk = inputs.len().div_ceil(threads);
        let f = &f;
        std::thread::scope(|s| {
            let handles: Vec<_> = inputs
                .chunks(chunk)
                .map(|part| {
                    s.spawn(move || part.iter().map(|i| f(self.curve(i))).collect::<Vec<_>>())
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    }
}

/// The cliffs between whole hours 0..=40 (steps whose hours cannot be computed are skipped).
fn cliffs_0_40(rules: &Rules, hh: &Household) -> Vec<Cliff> {
    let mut out = Vec::new();
    let mut prev: Option<Breakdown> = None;
    for h in 0..=CURVE_MAX_HOURS {
        let b = evaluate(rules, hh, h * 100).ok();
        if let (Some(p), Some(b)) = (&prev, &b)
            && let Some(c) = output::cliff(p, b)
        {
            out.push(c);
        }
        prev = b;
    }
    out
}

fn notes(rules: &Rules, hh: &Household) -> Vec<Note> {
    let mut n = vec![
        Note {
            code: "per_year",
            text: "Bedragen zijn per jaar; per maand is het jaarbedrag gedeeld door 12. Toeslagen zijn 12 keer het maandbedrag dat wordt uitbetaald.",
        },
        Note {
            code: "kinderbijslag_excluded",
            text: "Kinderbijslag telt niet mee: die hangt niet af van je inkomen en verandert dus niet als je meer gaat werken.",
        },
        Note {
            code: "holiday_allowance_base",
            text: "Vakantiegeld is 8% van je basissalaris; over toeslagen zoals ORT rekenen we geen vakantiegeld.",
        },
    ];
    if hh.employee.irregular_per_year > 0 {
        n.push(Note {
            code: "irregular_scaled",
            text: "We gaan ervan uit dat je onregelmatigheidstoeslag (ORT) meegroeit met je uren.",
        });
    }
    if hh.employee.pension || hh.partner.as_ref().is_some_and(|p| p.pension) {
        n.push(Note {
            code: "pension_share_assumed",
            text: "Pensioen PFZW: we gaan ervan uit dat je zelf de helft van de premie betaalt. Op je loonstrook zie je wat je echt betaalt.",
        });
        if rules.year == 2025 {
            n.push(Note {
                code: "pension_franchise_derived",
                text: "De PFZW-franchise voor 2025 hebben we afgeleid uit de gepubliceerde maximale premie; dat kan een paar cent per jaar schelen.",
            });
        }
    }
    if hh.assets > 0 {
        n.push(Note {
            code: "box3_excluded",
            text: "Belasting over vermogen (box 3) rekenen we niet mee; je vermogen gebruiken we alleen voor de vermogensgrens van de toeslagen.",
        });
    }
    if rules.year == 2025 && hh.rent > 0 {
        n.push(Note {
            code: "huurtoeslag_2025_grade_b",
            text: "De huurtoeslag 2025 rekenen we met de rekenregels uit de proefberekening van de Belastingdienst; er was geen officieel rekenvoorbeeld om mee te vergelijken.",
        });
    }
    if !hh.care.is_empty() && hh.partner.as_ref().is_some_and(|p| p.gross == 0) {
        n.push(Note {
            code: "kot_both_work",
            text: "Kinderopvangtoeslag krijg je alleen als jij en je partner allebei werken (of een andere reden hebben, zoals een studie). Dat laatste rekenen we niet mee.",
        });
    }
    n
}
