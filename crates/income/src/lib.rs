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

pub mod cao;
mod engine;
mod examples;
mod input;
pub mod money;
mod output;
mod rules;

pub use cao::{OrtSlot, ScaleSteps};
pub use examples::{Example, examples};
pub use input::{
    CalcInput, ChildInput, ChildcareInput, ChildcareType, EmployeeInput, ErrorCode, InputError,
    IrregularHours, MAX_HOURS, MAX_SCENARIOS, PartnerInput, PensionChoice, Step,
};
pub use output::{
    CLIFF_THRESHOLD, CalcOutput, Cliff, CliffCause, Curve, CurvePoint, Note, SalaryPeriodOut,
    SalaryTable, Scenario,
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
                format!(
                    "Voor {} hebben we de regels nog niet. De berekenaar rekent voor de jaren {years}.",
                    input.year
                ),
            )
        })
    }

    /// Compute the current hours and every scenario in `input.hours`.
    pub fn calculate(&self, input: &CalcInput) -> Result<CalcOutput, InputError> {
        let rules = self.rules_for(input)?;
        let hh = input.validate(rules, self.cao())?;
        let current = evaluate(rules, &hh, hh.employee.current_centihours, 0)?;
        let scenarios = hh
            .scenarios
            .iter()
            .map(|(h, d)| evaluate(rules, &hh, *h, *d).map(|b| Scenario::new(&b, &current)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CalcOutput {
            year: rules.year,
            current: Scenario::new(&current, &current),
            scenarios,
            cliffs: cliffs_0_40(rules, &hh),
            cliff_threshold: CLIFF_THRESHOLD,
            notes: notes(rules, self.cao(), &hh),
            salary_table: salary_table(self.cao(), &hh),
        })
    }

    /// Net income for 0..=40 hours per week, with the cliffs. `input.hours` is ignored.
    /// The current hours must be computable; a single hour level that is not (an
    /// unknown band of the childcare table) is returned with its error instead.
    pub fn curve(&self, input: &CalcInput) -> Result<Curve, InputError> {
        let rules = self.rules_for(input)?;
        let hh = input.validate(rules, self.cao())?;
        let current = evaluate(rules, &hh, hh.employee.current_centihours, 0)?;
        let mut points = Vec::with_capacity(CURVE_MAX_HOURS as usize + 1);
        let mut cliffs = Vec::new();
        let mut prev: Option<Breakdown> = None;
        for h in 0..=CURVE_MAX_HOURS {
            let ch = h * 100;
            match evaluate(rules, &hh, ch, 0) {
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
            notes: notes(rules, self.cao(), &hh),
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
        let b = evaluate(rules, hh, h * 100, 0).ok();
        if let (Some(p), Some(b)) = (&prev, &b)
            && let Some(c) = output::cliff(p, b)
        {
            out.push(c);
        }
        prev = b;
    }
    out
}

fn salary_table(cao: &cao::CaoRules, hh: &Household) -> Option<SalaryTable> {
    let e = &hh.employee;
    let s = e.salary.as_ref()?;
    let ft = cao.vvt.full_time_centihours;
    let mut month = 1;
    let periods = s
        .runs
        .iter()
        .map(|(n, amount)| {
            let n = u32::try_from(*n).unwrap_or(0);
            let p = SalaryPeriodOut {
                from_month: month,
                to_month: month + n - 1,
                monthly_full_time: money::Euros(*amount),
                monthly_at_current_hours: money::Euros(money::mul_div_round(
                    *amount,
                    e.current_centihours,
                    ft,
                )),
                hourly_wage: money::Euros(money::mul_div_round(
                    *amount,
                    12,
                    cao.vvt.hours_per_year,
                )),
            };
            month += n;
            p
        })
        .collect();
    Some(SalaryTable {
        cao: "vvt".into(),
        fwg: s.fwg,
        scale: s.scale,
        step: s.step.clone(),
        periods,
    })
}

fn notes(rules: &Rules, cao: &cao::CaoRules, hh: &Household) -> Vec<Note> {
    let e = &hh.employee;
    let mut n = vec![
        Note {
            code: "per_year",
            text: "Bedragen zijn per jaar; per maand is het jaarbedrag gedeeld door 12. Bij de toeslagen is het jaarbedrag waar je recht op hebt (zoals bij de definitieve berekening); het voorschot dat je elke maand krijgt staat er apart bij (in hele euro's, naar beneden afgerond).",
        },
        Note {
            code: "kinderbijslag_excluded",
            text: "Kinderbijslag telt niet mee: die hangt niet af van je inkomen en verandert dus niet als je meer gaat werken.",
        },
        Note {
            code: "holiday_allowance_base",
            text: "Vakantiegeld en eindejaarsuitkering rekenen we over je salaris; over toeslagen zoals ORT krijg je ze niet.",
        },
    ];
    if let Some(c) = e.cao {
        if c == input::CaoChoice::Vvt {
            if e.salary.is_some() {
                n.push(Note {
                    code: "cao_vvt_salary_table",
                    text: "Je salaris komt uit de loontabel van de cao VVT (art. 4.2.1 en bijlage 1): per maand het bedrag dat dan geldt, dus met de loonsverhoging van 1 juli, naar verhouding van je uren (36 uur is voltijd). We rekenen met je trede van nu; een periodiek later in het jaar zit er niet in.",
                });
                if cao.vvt.after_term(rules.year) {
                    n.push(Note {
                        code: "cao_after_term",
                        text: "De cao VVT loopt tot en met 31 augustus 2026. Voor de maanden daarna rekenen we met de loontabel van 1 juli 2026, tot er een nieuwe cao is.",
                    });
                }
            }
            n.push(Note {
                code: "cao_vvt_minimums",
                text: "Vakantiegeld (8%) en eindejaarsuitkering (8,33%) volgens de cao VVT (art. 4.2.12 en 4.2.11), met het minimumbedrag voor wie 21 jaar of ouder is, naar verhouding van je uren. We rekenen ze over het kalenderjaar; de cao rekent van juni tot mei en van december tot november, dat scheelt een paar euro.",
            });
        } else {
            n.push(Note {
                code: "cao_percentages",
                text: "Vakantiegeld en eindejaarsuitkering rekenen we met de percentages uit je cao. Een minimumbedrag uit je cao rekenen we niet mee.",
            });
        }
    }
    if hh.employee.irregular_per_year > 0 {
        n.push(Note {
            code: "irregular_scaled",
            text: "We gaan ervan uit dat je onregelmatigheidstoeslag (ORT) meegroeit met je uren.",
        });
    }
    if e.extra_day_per_year > 0 && hh.scenarios.iter().any(|(_, d)| *d > 0) {
        n.push(Note {
            code: "extra_workday",
            text: "Werk je op meer dagen per week dan nu, dan krijg je vanaf 2026 € 25 per extra werkdag (cao VVT art. 4.9). Dat geldt als de extra dag niet in je contract staat; komt de dag in je nieuwe contract, dan vervalt dit bedrag.",
        });
    }
    if hh.care_follows_work && !hh.care.is_empty() {
        n.push(Note {
            code: "childcare_follows_work",
            text: "We gaan ervan uit dat je kinderopvang meegroeit met je werkuren: bij meer uren werken ook meer uren opvang (en meer kosten).",
        });
    }
    if e.pension || hh.partner.as_ref().is_some_and(|p| p.pension) {
        n.push(Note {
            code: "pension_share",
            text: "Pensioen PFZW: je betaalt zelf de helft van de premie (cao VVT art. 7.4 lid 2; in andere zorg-cao's is dat meestal ook zo). Op je loonstrook zie je wat je echt betaalt.",
        });
    }
    if rules.notes.iter().any(|c| c == "pension_franchise_derived")
        && (e.pension || hh.partner.as_ref().is_some_and(|p| p.pension))
    {
        n.push(Note {
            code: "pension_franchise_derived",
            text: "De PFZW-franchise voor dit jaar hebben we afgeleid uit de gepubliceerde maximale premie; dat kan een paar cent per jaar schelen.",
        });
    }
    if hh.assets > 0 {
        n.push(Note {
            code: "box3_excluded",
            text: "Belasting over vermogen (box 3) rekenen we niet mee; je vermogen gebruiken we alleen voor de vermogensgrens van de toeslagen.",
        });
    }
    if rules.notes.iter().any(|c| c == "huurtoeslag_grade_b") && hh.rent > 0 {
        n.push(Note {
            code: "huurtoeslag_grade_b",
            text: "De huurtoeslag voor dit jaar rekenen we met de rekenregels uit de proefberekening van de Belastingdienst; er was geen officieel rekenvoorbeeld om mee te vergelijken.",
        });
    }
    if !hh.care.is_empty() && hh.partner.as_ref().is_some_and(|p| p.gross == 0) {
        n.push(Note {
            code: "kot_both_work",
            text: "Kinderopvangtoeslag krijg je alleen als jij en je partner allebei werken (of een andere reden hebben, zoals een studie). Dat laatste rekenen we niet mee.",
        });
    }
    n.push(Note {
        code: "aow_age_not_computed",
        text: "Voor mensen van de AOW-leeftijd of ouder rekent de berekenaar niet (andere tarieven, ouderenkorting en AOW); dan krijg je een melding in plaats van een bedrag.",
    });
    n
}
