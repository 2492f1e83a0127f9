//! `/berekenaar`: the public WerkUrenBerekenaar. A plain GET form — the inputs travel
//! in the URL (which is also the share link) and are never stored or logged: the
//! request trace records only the path, and this handler writes nothing anywhere.
//! `static/berekenaar.js` re-submits the same GET while the user types and swaps in
//! the result section; without JavaScript the "Bereken" button does the same.

use std::fmt::Write as _;
use std::str::FromStr;

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use income::{
    CalcInput, CalcOutput, ChildInput, ChildcareInput, ChildcareType, Curve, EmployeeInput,
    ErrorCode, InputError, PartnerInput, PensionChoice, Scenario,
};
use rust_decimal::Decimal;

use super::{Fields, Layout};
use crate::api::calc::book;
use crate::auth::MaybeAuth;
use crate::{AppState, PageError, format};

/// Children rows on the form.
pub const CHILD_ROWS: usize = 4;

pub fn routes() -> Router<AppState> {
    Router::new().route("/berekenaar", get(page))
}

/// One child row of the form, as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildRow {
    pub age: String,
    pub care: String,
    pub care_hours: String,
    pub care_price: String,
}

impl Default for ChildRow {
    fn default() -> ChildRow {
        ChildRow {
            age: String::new(),
            care: "geen".into(),
            care_hours: String::new(),
            care_price: String::new(),
        }
    }
}

/// The form as typed (strings, so a wrong value is shown back as it was entered).
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub year: String,
    pub wage_kind: String,
    pub hourly: String,
    pub annual: String,
    pub hours: String,
    pub more: String,
    pub holiday: String,
    pub bonus: String,
    pub ort: String,
    pub pension: String,
    pub household: String,
    pub partner_wage: String,
    pub partner_pension: String,
    pub children: Vec<ChildRow>,
    pub rent: String,
    pub service: String,
    pub assets: String,
}

impl Default for Form {
    fn default() -> Form {
        Form {
            year: "2026".into(),
            wage_kind: "uur".into(),
            hourly: String::new(),
            annual: String::new(),
            hours: "24".into(),
            more: "32".into(),
            holiday: "ja".into(),
            bonus: String::new(),
            ort: String::new(),
            pension: "pfzw".into(),
            household: "alleen".into(),
            partner_wage: String::new(),
            partner_pension: "geen".into(),
            children: vec![ChildRow::default(); CHILD_ROWS],
            rent: String::new(),
            service: String::new(),
            assets: String::new(),
        }
    }
}

/// A field the user must correct: the form input's id, its label and a Dutch message.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub input: String,
    pub label: String,
    pub message: String,
}

fn pick(value: &str, allowed: &[&str], default: &str) -> String {
    if allowed.contains(&value) {
        value.to_string()
    } else {
        default.to_string()
    }
}

impl Form {
    /// Reads the query string; `None` when nothing was submitted yet.
    pub fn from_query(query: Option<&str>) -> Option<Form> {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query?.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.trim().to_string()))
            .collect();
        let f = Fields(pairs);
        // Submitted when any field of the form is present (a bare `?afdrukken=1` is not).
        if f.0.iter().all(|(k, _)| k == "afdrukken") {
            return None;
        }
        let d = Form::default();
        // A field left out of the link entirely takes its default; an empty one stays empty.
        let present = |key: &str| f.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        Some(Form {
            year: pick(f.get("jaar"), &["2025", "2026"], &d.year),
            wage_kind: pick(f.get("loonsoort"), &["uur", "jaar"], &d.wage_kind),
            hourly: f.get("uurloon").into(),
            annual: f.get("jaarloon").into(),
            hours: present("uren").unwrap_or(d.hours.clone()),
            more: present("meer").unwrap_or(d.more.clone()),
            holiday: pick(f.get("vakantiegeld"), &["ja", "nee"], &d.holiday),
            bonus: f.get("eindejaar").into(),
            ort: f.get("ort").into(),
            pension: pick(f.get("pensioen"), &["pfzw", "geen"], &d.pension),
            household: pick(
                f.get("huishouden"),
                &["alleen", "ouder", "partner"],
                &d.household,
            ),
            partner_wage: f.get("partnerloon").into(),
            partner_pension: pick(f.get("partnerpensioen"), &["pfzw", "geen"], "geen"),
            children: (1..=CHILD_ROWS)
                .map(|i| ChildRow {
                    age: f.get(&format!("kind{i}")).into(),
                    care: pick(
                        f.get(&format!("opvang{i}")),
                        &["geen", "dagopvang", "bso", "gastouder"],
                        "geen",
                    ),
                    care_hours: f.get(&format!("opvanguren{i}")).into(),
                    care_price: f.get(&format!("opvangprijs{i}")).into(),
                })
                .collect(),
            rent: f.get("huur").into(),
            service: f.get("servicekosten").into(),
            assets: f.get("vermogen").into(),
        })
    }

    /// The form as a query string: the share link. Only what matters is included.
    pub fn to_query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("jaar", &self.year);
        q.append_pair("loonsoort", &self.wage_kind);
        if self.wage_kind == "uur" {
            q.append_pair("uurloon", &self.hourly);
        } else {
            q.append_pair("jaarloon", &self.annual);
        }
        q.append_pair("uren", &self.hours);
        q.append_pair("meer", &self.more);
        q.append_pair("vakantiegeld", &self.holiday);
        for (k, v) in [("eindejaar", &self.bonus), ("ort", &self.ort)] {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        q.append_pair("pensioen", &self.pension);
        q.append_pair("huishouden", &self.household);
        if self.household == "partner" {
            q.append_pair("partnerloon", &self.partner_wage);
            q.append_pair("partnerpensioen", &self.partner_pension);
        }
        if self.household != "alleen" {
            for (i, c) in self.children.iter().enumerate() {
                if c.age.is_empty() {
                    continue;
                }
                let n = i + 1;
                q.append_pair(&format!("kind{n}"), &c.age);
                if c.care != "geen" {
                    q.append_pair(&format!("opvang{n}"), &c.care);
                    q.append_pair(&format!("opvanguren{n}"), &c.care_hours);
                    q.append_pair(&format!("opvangprijs{n}"), &c.care_price);
                }
            }
        }
        for (k, v) in [
            ("huur", &self.rent),
            ("servicekosten", &self.service),
            ("vermogen", &self.assets),
        ] {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        q.finish()
    }

    /// The form filled in with an example household of the engine.
    pub fn from_input(input: &CalcInput) -> Form {
        let e = &input.employee;
        let dec = |d: Option<Decimal>| {
            d.filter(|v| !v.is_zero())
                .map(dutch_decimal)
                .unwrap_or_default()
        };
        let mut children = vec![ChildRow::default(); CHILD_ROWS];
        for (i, c) in input.children.iter().take(CHILD_ROWS).enumerate() {
            children[i].age = c.age.to_string();
            children[i].care = "geen".into();
        }
        for c in &input.childcare {
            if let Some(row) = children.get_mut(c.child) {
                row.care = match c.kind {
                    ChildcareType::Dagopvang => "dagopvang",
                    ChildcareType::Bso => "bso",
                    ChildcareType::Gastouder => "gastouder",
                }
                .into();
                row.care_hours = dutch_decimal(c.hours_per_month);
                row.care_price = dutch_decimal(c.price_per_hour);
            }
        }
        let more = input
            .hours
            .iter()
            .copied()
            .max()
            .unwrap_or(e.hours_per_week);
        Form {
            year: input.year.to_string(),
            wage_kind: if e.annual_gross_wage.is_some() {
                "jaar"
            } else {
                "uur"
            }
            .into(),
            hourly: dec(e.hourly_wage),
            annual: dec(e.annual_gross_wage),
            hours: dutch_decimal(e.hours_per_week),
            more: dutch_decimal(more),
            holiday: if e.holiday_allowance { "ja" } else { "nee" }.into(),
            bonus: if e.year_end_bonus {
                dec(e.year_end_bonus_percentage)
            } else {
                String::new()
            },
            ort: dec(e.irregular_allowance_per_year),
            pension: pension_name(e.pension).into(),
            household: match (&input.partner, input.children.is_empty()) {
                (Some(_), _) => "partner",
                (None, false) => "ouder",
                (None, true) => "alleen",
            }
            .into(),
            partner_wage: input
                .partner
                .as_ref()
                .map(|p| dutch_decimal(p.annual_gross_wage))
                .unwrap_or_default(),
            partner_pension: input
                .partner
                .as_ref()
                .map_or("geen", |p| pension_name(p.pension))
                .into(),
            children,
            rent: dec(input.rent_per_month),
            service: dec(input.service_costs_per_month),
            assets: dec(input.assets),
        }
    }

    /// Turns the typed form into the engine's input, or the first field to correct.
    /// `rows` maps the engine's child and childcare indices back to form rows.
    pub fn to_input(&self) -> Result<(CalcInput, Vec<usize>, Vec<usize>), FieldError> {
        let hourly = self.wage_kind == "uur";
        let (hourly_wage, annual) = if hourly {
            (opt_number(&self.hourly, "uurloon")?, None)
        } else {
            (None, opt_number(&self.annual, "jaarloon")?)
        };
        let hours = number(&self.hours, "uren")?;
        let more = number(&self.more, "meer")?;
        let bonus = opt_number(&self.bonus, "eindejaar")?.filter(|v| !v.is_zero());
        let mut children = Vec::new();
        let mut child_rows = Vec::new();
        let mut childcare = Vec::new();
        let mut care_rows = Vec::new();
        if self.household != "alleen" {
            for (i, row) in self.children.iter().enumerate() {
                let raw_age = row.age.trim();
                if raw_age.is_empty() {
                    continue;
                }
                let age: u32 = raw_age.parse().map_err(|_| {
                    field_error(
                        &format!("kind{}", i + 1),
                        "Vul de leeftijd in hele jaren in, bijvoorbeeld 4.",
                    )
                })?;
                let kind = match row.care.as_str() {
                    "dagopvang" => Some(ChildcareType::Dagopvang),
                    "bso" => Some(ChildcareType::Bso),
                    "gastouder" => Some(ChildcareType::Gastouder),
                    _ => None,
                };
                if let Some(kind) = kind {
                    childcare.push(ChildcareInput {
                        child: children.len(),
                        kind,
                        hours_per_month: number(&row.care_hours, &format!("opvanguren{}", i + 1))?,
                        price_per_hour: number(&row.care_price, &format!("opvangprijs{}", i + 1))?,
                    });
                    care_rows.push(i);
                }
                children.push(ChildInput { age });
                child_rows.push(i);
            }
            if self.household == "ouder" && children.is_empty() {
                return Err(field_error(
                    "kind1",
                    "Vul de leeftijd van je kind in (of kies bij 'Huishouden' voor alleenstaand).",
                ));
            }
        }
        let partner = if self.household == "partner" {
            Some(PartnerInput {
                annual_gross_wage: opt_number(&self.partner_wage, "partnerloon")?
                    .unwrap_or(Decimal::ZERO),
                pension: pension_choice(&self.partner_pension),
                hours_per_week: None,
                age: None,
            })
        } else {
            None
        };
        let input = CalcInput {
            year: self.year.parse().unwrap_or(2026),
            employee: EmployeeInput {
                hourly_wage,
                cao: None,
                fwg: None,
                step: None,
                annual_gross_wage: annual,
                hours_per_week: hours,
                holiday_allowance: self.holiday == "ja",
                year_end_bonus: bonus.is_some(),
                year_end_bonus_percentage: bonus,
                irregular_allowance_per_year: opt_number(&self.ort, "ort")?,
                irregular_hours: Vec::new(),
                pension: pension_choice(&self.pension),
                age: None,
            },
            partner,
            children,
            rent_per_month: opt_number(&self.rent, "huur")?,
            service_costs_per_month: opt_number(&self.service, "servicekosten")?,
            childcare,
            assets: opt_number(&self.assets, "vermogen")?,
            hours: vec![more],
        };
        Ok((input, child_rows, care_rows))
    }
}

fn pension_name(p: PensionChoice) -> &'static str {
    match p {
        PensionChoice::Pfzw => "pfzw",
        PensionChoice::None => "geen",
    }
}

fn pension_choice(s: &str) -> PensionChoice {
    if s == "pfzw" {
        PensionChoice::Pfzw
    } else {
        PensionChoice::None
    }
}

/// `18.25` → `"18,25"`.
fn dutch_decimal(d: Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}

/// The Dutch label of a form input.
pub fn label(input: &str) -> String {
    let (base, n) = match input.find(|c: char| c.is_ascii_digit()) {
        Some(i) => (&input[..i], &input[i..]),
        None => (input, ""),
    };
    let text = match base {
        "jaar" => "Jaar",
        "uurloon" => "Bruto uurloon",
        "jaarloon" => "Bruto jaarsalaris",
        "uren" => "Uren per week nu",
        "meer" => "Uren per week straks",
        "eindejaar" => "Eindejaarsuitkering (%)",
        "ort" => "Onregelmatigheidstoeslag per jaar",
        "partnerloon" => "Bruto jaarloon van je partner",
        "kind" => "Leeftijd kind",
        "opvang" => "Soort opvang kind",
        "opvanguren" => "Uren opvang per maand kind",
        "opvangprijs" => "Prijs per uur opvang kind",
        "huur" => "Kale huur per maand",
        "servicekosten" => "Servicekosten per maand",
        "vermogen" => "Spaargeld en bezit",
        _ => "Invoer",
    };
    if n.is_empty() {
        text.to_string()
    } else {
        format!("{text} {n}")
    }
}

fn field_error(input: &str, message: &str) -> FieldError {
    FieldError {
        input: input.to_string(),
        label: label(input),
        message: message.to_string(),
    }
}

/// Parses an amount typed the Dutch way: "18,25", "1.250,50", "32.000", or "18.25".
pub fn parse_dutch(raw: &str) -> Option<Decimal> {
    let s: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '€' | '\u{a0}'))
        .collect();
    if s.is_empty() {
        return None;
    }
    let normal = if s.contains(',') {
        s.replace('.', "").replace(',', ".")
    } else if is_thousands(&s) {
        s.replace('.', "")
    } else {
        s
    };
    if !normal
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return None;
    }
    Decimal::from_str(&normal).ok()
}

/// "32.000" or "1.250.000": dots as thousands separators.
fn is_thousands(s: &str) -> bool {
    let mut parts = s.split('.');
    let first = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_digit())
        && rest
            .iter()
            .all(|p| p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
}

fn opt_number(raw: &str, input: &str) -> Result<Option<Decimal>, FieldError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    parse_dutch(raw).map(Some).ok_or_else(|| {
        field_error(
            input,
            &format!(
                "'{}' is geen getal. Vul een getal in, bijvoorbeeld 18,25.",
                raw.trim()
            ),
        )
    })
}

fn number(raw: &str, input: &str) -> Result<Decimal, FieldError> {
    opt_number(raw, input)?.ok_or_else(|| field_error(input, "Vul dit veld in."))
}

/// Maps an engine error to the form input it is about.
fn engine_field(e: &InputError, form: &Form, child_rows: &[usize], care_rows: &[usize]) -> String {
    let indexed = |prefix: &str, rows: &[usize]| -> Option<usize> {
        let rest = e.field.strip_prefix(prefix)?;
        let i: usize = rest.split(']').next()?.parse().ok()?;
        Some(rows.get(i).copied().unwrap_or(0) + 1)
    };
    let f = e.field.as_str();
    if let Some(n) = indexed("children[", child_rows) {
        return format!("kind{n}");
    }
    if let Some(n) = indexed("childcare[", care_rows) {
        let what = if f.ends_with(".hours_per_month") {
            "opvanguren"
        } else if f.ends_with(".price_per_hour") {
            "opvangprijs"
        } else {
            "opvang"
        };
        return format!("{what}{n}");
    }
    let wage = if form.wage_kind == "uur" {
        "uurloon"
    } else {
        "jaarloon"
    };
    match f {
        "year" => "jaar",
        "employee" | "employee.cao" | "employee.fwg" | "employee.step" => wage,
        "employee.hourly_wage" => "uurloon",
        "employee.annual_gross_wage" => "jaarloon",
        "employee.hours_per_week" => "uren",
        "hours" | "hours[0]" => "meer",
        "employee.year_end_bonus_percentage" => "eindejaar",
        "employee.irregular_allowance_per_year" => "ort",
        "partner.annual_gross_wage" | "partner" => "partnerloon",
        "children" => "kind1",
        "childcare" => "opvang1",
        "rent_per_month" => "huur",
        "service_costs_per_month" => "servicekosten",
        "assets" => "vermogen",
        _ => wage,
    }
    .to_string()
}

// ---------------------------------------------------------------- the result

/// One line of the monthly comparison.
pub struct Row {
    pub label: &'static str,
    pub now: String,
    pub more: String,
    pub diff: String,
    /// "plus", "min" or "" (for the colour and the screen-reader text).
    pub trend: &'static str,
    pub total: bool,
}

pub struct Outcome {
    pub now_hours: String,
    pub more_hours: String,
    pub rows: Vec<Row>,
    pub net_diff: String,
    pub net_diff_positive: bool,
    pub sentence: String,
    pub chart: String,
    pub cliffs: Vec<String>,
    pub curve_gaps: bool,
    pub notes: Vec<&'static str>,
}

fn month(c: i64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let v = c as f64 / 1200.0;
    (v * 100.0).round() / 100.0
}

fn signed_euro(v: f64) -> String {
    if v > 0.0 {
        format!("+ {}", format::euro(v))
    } else if v < 0.0 {
        format!("− {}", format::euro(-v))
    } else {
        format::euro(0.0)
    }
}

fn cause_label(component: &str) -> &'static str {
    match component {
        "income_tax" => "meer belasting",
        "pension_premium" => "meer pensioenpremie",
        "zorgtoeslag" => "minder zorgtoeslag",
        "huurtoeslag" => "minder huurtoeslag",
        "kindgebonden_budget" => "minder kindgebonden budget",
        "kinderopvangtoeslag" => "minder kinderopvangtoeslag",
        "partner_net_wage" => "minder netto loon van je partner",
        _ => "andere bedragen",
    }
}

fn hours_text(d: Decimal) -> String {
    dutch_decimal(d)
}

fn share_pct(share: i64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let v = share as f64 / 10_000.0;
    format::percent(v, 0)
}

/// Builds the comparison, the sentence, the cliffs and the chart.
pub fn outcome(out: &CalcOutput, curve: &Curve) -> Outcome {
    let now = &out.current;
    let more = out.scenarios.first().unwrap_or(now);
    let mut rows = Vec::new();
    let mut push =
        |label: &'static str, a: i64, b: i64, good_when_up: bool, always: bool, total: bool| {
            if !always && a == 0 && b == 0 {
                return;
            }
            let (ma, mb) = (month(a), month(b));
            // The difference of the yearly amounts, per month (as the engine rounds it).
            let d = month(b - a);
            let trend = if d.abs() < 0.005 {
                ""
            } else if (d > 0.0) == good_when_up {
                "plus"
            } else {
                "min"
            };
            rows.push(Row {
                label,
                now: format::euro(ma),
                more: format::euro(mb),
                diff: signed_euro(d),
                trend,
                total,
            });
        };
    push(
        "Bruto loon",
        now.gross_wage.cents(),
        more.gross_wage.cents(),
        true,
        true,
        false,
    );
    push(
        "Pensioenpremie (jouw deel)",
        now.pension_premium.cents(),
        more.pension_premium.cents(),
        false,
        true,
        false,
    );
    push(
        "Belasting en premies",
        now.income_tax.cents(),
        more.income_tax.cents(),
        false,
        true,
        false,
    );
    push(
        "Netto loon",
        now.net_wage.cents(),
        more.net_wage.cents(),
        true,
        true,
        false,
    );
    push(
        "Netto loon partner",
        now.partner_net_wage.cents(),
        more.partner_net_wage.cents(),
        true,
        false,
        false,
    );
    push(
        "Zorgtoeslag",
        now.zorgtoeslag.cents(),
        more.zorgtoeslag.cents(),
        true,
        false,
        false,
    );
    push(
        "Huurtoeslag",
        now.huurtoeslag.cents(),
        more.huurtoeslag.cents(),
        true,
        false,
        false,
    );
    push(
        "Kindgebonden budget",
        now.kindgebonden_budget.cents(),
        more.kindgebonden_budget.cents(),
        true,
        false,
        false,
    );
    push(
        "Kinderopvangtoeslag",
        now.kinderopvangtoeslag.cents(),
        more.kinderopvangtoeslag.cents(),
        true,
        false,
        false,
    );
    push(
        "Netto in je portemonnee",
        now.disposable_income.cents(),
        more.disposable_income.cents(),
        true,
        true,
        true,
    );
    let has_care = now.childcare_costs.cents() > 0 || more.childcare_costs.cents() > 0;
    if has_care {
        push(
            "Kosten kinderopvang",
            now.childcare_costs.cents(),
            more.childcare_costs.cents(),
            false,
            true,
            false,
        );
        push(
            "Over na kosten kinderopvang",
            now.disposable_income_after_childcare.cents(),
            more.disposable_income_after_childcare.cents(),
            true,
            true,
            true,
        );
    }
    let net_diff_cents = more.extra_disposable_income_per_month.cents();
    #[allow(clippy::cast_precision_loss)]
    let net_diff_eur = net_diff_cents as f64 / 100.0;
    let extra_gross = more.extra_gross_wage_per_month.cents();
    let sentence = match more.marginal_burden {
        None => "Vul bij 'Uren per week straks' een ander aantal uren in dan nu; dan zie je wat meer (of minder) werken je oplevert.".to_string(),
        Some(b) => {
            let kept = 10_000 - b.0;
            #[allow(clippy::cast_precision_loss)]
            let cents = format::number(kept as f64 / 100.0, 0);
            if extra_gross > 0 && kept >= 0 {
                format!(
                    "Van elke euro die je er bruto bij verdient, houd je ongeveer {cents} cent over; de rest ({}) gaat naar belasting, pensioen en lagere toeslagen.",
                    share_pct(b.0)
                )
            } else if extra_gross > 0 {
                "Let op: als je meer gaat werken, houd je netto minder over dan nu, omdat je meer toeslag verliest dan je erbij verdient.".to_string()
            } else {
                format!(
                    "Als je minder gaat werken, lever je van elke euro bruto die je minder verdient ongeveer {cents} cent netto in; de rest vangen lagere belasting en hogere toeslagen op."
                )
            }
        }
    };
    let cliffs = cliff_sentences(&curve.cliffs);
    Outcome {
        now_hours: hours_text(now.hours_per_week),
        more_hours: hours_text(more.hours_per_week),
        rows,
        net_diff: signed_euro(net_diff_eur),
        net_diff_positive: net_diff_cents >= 0,
        sentence,
        chart: chart_svg(curve, now, more),
        cliffs,
        curve_gaps: curve.points.iter().any(|p| p.scenario.is_none()),
        notes: out.notes.iter().map(|n| n.text).collect(),
    }
}

/// One sentence per run of consecutive cliffs ("Van 28 naar 35 uur: …"), with the
/// amounts of the whole run and its two largest causes.
fn cliff_sentences(cliffs: &[income::Cliff]) -> Vec<String> {
    let mut runs: Vec<Vec<&income::Cliff>> = Vec::new();
    for c in cliffs {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|p| p.to_hours == c.from_hours) => run.push(c),
            _ => runs.push(vec![c]),
        }
    }
    runs.iter()
        .map(|run| {
            let (first, last) = (run[0], run[run.len() - 1]);
            let gross: i64 = run.iter().map(|c| c.extra_gross_wage_per_month.cents()).sum();
            let kept: i64 = run
                .iter()
                .map(|c| c.extra_disposable_income_per_month.cents())
                .sum();
            let mut causes: Vec<(&str, i64)> = Vec::new();
            for c in run {
                for x in &c.causes {
                    match causes.iter_mut().find(|(k, _)| *k == x.component) {
                        Some(e) => e.1 += x.loss_per_month.cents(),
                        None => causes.push((x.component, x.loss_per_month.cents())),
                    }
                }
            }
            causes.sort_by_key(|c| std::cmp::Reverse(c.1));
            let names: Vec<&str> = causes.iter().take(2).map(|c| cause_label(c.0)).collect();
            let burden = income::money::Share::burden(kept, gross).map_or(0, |b| b.0);
            #[allow(clippy::cast_precision_loss)]
            let mut s = format!(
                "Van {} naar {} uur: van {} extra bruto per maand houd je {} over ({} gaat verloren)",
                hours_text(first.from_hours),
                hours_text(last.to_hours),
                format::euro(gross as f64 / 100.0),
                format::euro(kept as f64 / 100.0),
                share_pct(burden)
            );
            if !names.is_empty() {
                let _ = write!(s, ", vooral door {}", names.join(" en "));
            }
            s.push('.');
            s
        })
        .collect()
}

/// Net income per month against hours 0–40, cliffs marked: an SVG drawn on the server
/// (presentation attributes only; the CSP allows no inline style).
pub fn chart_svg(curve: &Curve, now: &Scenario, more: &Scenario) -> String {
    const W: f64 = 640.0;
    const H: f64 = 300.0;
    const L: f64 = 84.0;
    const R: f64 = 16.0;
    const T: f64 = 16.0;
    const B: f64 = 44.0;
    let to_f = |d: Decimal| d.to_string().parse::<f64>().unwrap_or(0.0);
    #[allow(clippy::cast_precision_loss)]
    let eur = |c: i64| c as f64 / 1200.0;
    let pts: Vec<(f64, Option<f64>)> = curve
        .points
        .iter()
        .map(|p| {
            (
                to_f(p.hours_per_week),
                p.scenario
                    .as_ref()
                    .map(|s| eur(s.disposable_income.cents())),
            )
        })
        .collect();
    let values: Vec<f64> = pts.iter().filter_map(|p| p.1).collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if values.is_empty() {
        (0.0, 1.0)
    } else {
        (lo, hi)
    };
    let span = (hi - lo).max(100.0);
    let step = [100.0, 250.0, 500.0, 1000.0, 2000.0]
        .into_iter()
        .find(|s| span / s <= 5.0)
        .unwrap_or(5000.0);
    let y0 = (lo / step).floor() * step;
    let y1 = ((hi / step).ceil() * step).max(y0 + step);
    let x = |h: f64| L + h / 40.0 * (W - L - R);
    let y = |v: f64| T + (y1 - v) / (y1 - y0) * (H - T - B);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="grafiek-titel grafiek-uitleg" xmlns="http://www.w3.org/2000/svg"><title id="grafiek-titel">Netto per maand bij 0 tot 40 uur per week</title><desc id="grafiek-uitleg">De lijn laat zien hoeveel je per maand overhoudt bij elk aantal uren. Rode banden zijn plekken waar je van extra loon weinig overhoudt.</desc>"#
    );
    // Grid and y labels.
    let mut v = y0;
    while v <= y1 + 0.01 {
        let _ = write!(
            s,
            r##"<line x1="{L}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#d5dce4" stroke-width="1"/><text x="{:.1}" y="{:.1}" font-size="15" text-anchor="end" fill="#4a5563">{}</text>"##,
            W - R,
            y(v),
            y(v),
            L - 6.0,
            y(v) + 4.0,
            format::euro(v).replace(",00", "")
        );
        v += step;
    }
    for h in (0..=40).step_by(8) {
        let hf = f64::from(h);
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="15" text-anchor="middle" fill="#4a5563">{h}</text>"##,
            x(hf),
            H - B + 18.0
        );
    }
    let _ = write!(
        s,
        r##"<text x="{:.1}" y="{:.1}" font-size="15" text-anchor="middle" fill="#4a5563">uren per week</text>"##,
        x(20.0),
        H - 6.0
    );
    // Cliffs: a band between the two hour levels.
    for c in &curve.cliffs {
        let (a, b) = (x(to_f(c.from_hours)), x(to_f(c.to_hours)));
        let _ = write!(
            s,
            r##"<rect class="cliff" x="{a:.1}" y="{T}" width="{:.1}" height="{:.1}" fill="#a3161f" fill-opacity="0.18"><title>Klif: {} naar {} uur</title></rect>"##,
            (b - a).max(3.0),
            H - T - B,
            hours_text(c.from_hours),
            hours_text(c.to_hours)
        );
    }
    // The line, broken where a level could not be computed.
    let mut path = String::new();
    let mut pen_down = false;
    for (h, val) in &pts {
        match val {
            Some(v) => {
                let _ = write!(
                    path,
                    "{}{:.1},{:.1} ",
                    if pen_down { "L" } else { "M" },
                    x(*h),
                    y(*v)
                );
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    let _ = write!(
        s,
        r##"<path d="{}" fill="none" stroke="#0b5c7a" stroke-width="2.5"/>"##,
        path.trim_end()
    );
    for (sc, name, colour) in [(now, "nu", "#1b2430"), (more, "straks", "#1f6b34")] {
        let h = to_f(sc.hours_per_week);
        if h > 40.0 {
            continue;
        }
        let v = eur(sc.disposable_income.cents());
        let _ = write!(
            s,
            r##"<circle cx="{:.1}" cy="{:.1}" r="5" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="16" font-weight="600" text-anchor="middle" fill="{colour}">{name}</text>"##,
            x(h),
            y(v),
            x(h),
            (y(v) - 10.0).max(T + 10.0)
        );
    }
    s.push_str("</svg>");
    s
}

// ---------------------------------------------------------------- the page

/// One children row as the template shows it.
pub struct ChildView {
    pub n: usize,
    pub row: ChildRow,
    /// Error message per input of the row ("" when fine).
    pub age_error: String,
    pub care_error: String,
    pub hours_error: String,
    pub price_error: String,
}

impl ChildView {
    pub fn invalid(message: &str) -> &'static str {
        if message.is_empty() { "false" } else { "true" }
    }
}

fn child_views(f: &Form, error: Option<&FieldError>) -> Vec<ChildView> {
    let msg = |id: String| match error {
        Some(e) if e.input == id => e.message.clone(),
        _ => String::new(),
    };
    f.children
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let n = i + 1;
            ChildView {
                n,
                row: row.clone(),
                age_error: msg(format!("kind{n}")),
                care_error: msg(format!("opvang{n}")),
                hours_error: msg(format!("opvanguren{n}")),
                price_error: msg(format!("opvangprijs{n}")),
            }
        })
        .collect()
}

pub struct ExampleLink {
    pub title: String,
    pub description: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "calc/berekenaar.html")]
struct Page {
    l: Layout,
    f: Form,
    print: bool,
    error: Option<FieldError>,
    /// An engine refusal that is not about one field (e.g. an unchecked table part).
    notice: Option<String>,
    result: Option<Outcome>,
    examples: Vec<ExampleLink>,
    children: Vec<ChildView>,
    share_url: String,
    print_href: String,
}

impl Page {
    fn invalid(&self, input: &str) -> bool {
        self.error.as_ref().is_some_and(|e| e.input == input)
    }
    fn aria_invalid(&self, input: &str) -> &'static str {
        if self.invalid(input) { "true" } else { "false" }
    }
    fn error_for(&self, input: &str) -> &str {
        match &self.error {
            Some(e) if e.input == input => &e.message,
            _ => "",
        }
    }
    /// An amount as typed, shown the Dutch way (`€ 22,50`); as typed when unreadable.
    fn eur(&self, raw: &str) -> String {
        parse_dutch(raw)
            .and_then(|d| d.to_string().parse::<f64>().ok())
            .map_or_else(|| format!("€ {raw}"), format::euro)
    }
    fn sel(&self, actual: &str, option: &str) -> &'static str {
        if actual == option { "selected" } else { "" }
    }
}

async fn page(
    State(state): State<AppState>,
    MaybeAuth(session): MaybeAuth,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let l = Layout::new(
        "WerkUrenBerekenaar",
        "berekenaar",
        session.as_ref(),
        &headers,
    );
    let print = query
        .as_deref()
        .is_some_and(|q| url::form_urlencoded::parse(q.as_bytes()).any(|(k, _)| k == "afdrukken"));
    let form = Form::from_query(query.as_deref());
    let submitted = form.is_some();
    let f = form.unwrap_or_default();
    let mut error = None;
    let mut notice = None;
    let mut result = None;
    if submitted {
        match f.to_input() {
            Err(e) => error = Some(e),
            Ok((input, child_rows, care_rows)) => {
                let book = book();
                match book
                    .calculate(&input)
                    .and_then(|out| book.curve(&input).map(|c| (out, c)))
                {
                    Ok((out, curve)) => result = Some(outcome(&out, &curve)),
                    Err(e) if e.code == ErrorCode::KinderopvangtoeslagTableIncomplete => {
                        notice = Some(e.message);
                    }
                    Err(e) => {
                        let input = engine_field(&e, &f, &child_rows, &care_rows);
                        error = Some(FieldError {
                            label: label(&input),
                            input,
                            message: e.message,
                        });
                    }
                }
            }
        }
    }
    let examples = income::examples()
        .iter()
        .map(|e| ExampleLink {
            title: e.title.clone(),
            description: e.description.clone(),
            href: format!("/berekenaar?{}", Form::from_input(&e.input).to_query()),
        })
        .collect();
    let q = f.to_query();
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let page = Page {
        l,
        share_url: format!(
            "{}/berekenaar?{q}",
            state.config.public_url.trim_end_matches('/')
        ),
        print_href: format!("/berekenaar?{q}&afdrukken=1"),
        children: child_views(&f, error.as_ref()),
        f,
        print,
        error,
        notice,
        result,
        examples,
    };
    let html = page.render()?;
    Ok((status, Html(html)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_numbers_parse() {
        let d = |s: &str| parse_dutch(s).map(|v| v.to_string());
        assert_eq!(d("18,25").as_deref(), Some("18.25"));
        assert_eq!(d("18.25").as_deref(), Some("18.25"));
        assert_eq!(d("32.000").as_deref(), Some("32000"));
        assert_eq!(d("1.250,50").as_deref(), Some("1250.50"));
        assert_eq!(d("€ 650").as_deref(), Some("650"));
        assert_eq!(d("abc"), None);
        assert_eq!(d("1e5"), None);
    }

    #[test]
    fn examples_round_trip_through_the_form() {
        for e in income::examples() {
            let form = Form::from_input(&e.input);
            let again = Form::from_query(Some(&form.to_query())).expect("submitted");
            assert_eq!(form, again, "{}", e.id);
            let (input, _, _) = again.to_input().expect("valid");
            let book = crate::api::calc::book();
            let ours = book.calculate(&input).expect("form input computes");
            let theirs = book.calculate(&e.input).expect("example computes");
            assert_eq!(ours.current, theirs.current, "{}", e.id);
            assert_eq!(ours.scenarios.last(), theirs.scenarios.last(), "{}", e.id);
        }
    }
}
