//! `/berekenaar`: the public WerkUrenBerekenaar. A plain GET form — the inputs travel
//! in the URL (which is also the share link) and are never stored or logged: the
//! request trace records only the path, and this handler writes nothing anywhere.
//! `static/berekenaar.js` re-submits the same GET while the user types and swaps in
//! the result section; without JavaScript the "Bereken" button does the same.

use std::fmt::Write as _;

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
use report::{chart, nl};
use rust_decimal::Decimal;

use super::api::book;
use crate::auth::MaybeAuth;
use crate::page::{Fields, Layout};
use crate::{AppState, PageError};

/// Children rows on the form.
pub const CHILD_ROWS: usize = 4;

/// Common job titles in elderly care and their usual FWG scale (a guide: the employer's
/// own function grading decides; the page says so). Examples named in issue 28.
pub const JOBS: &[(&str, &str, u32)] = &[
    ("helpende", "Helpende", 25),
    ("verzorgende-ig", "Verzorgende IG", 35),
    ("verpleegkundige", "Verpleegkundige", 45),
];

/// The CAOs on the form: (value, label). "geen" = no cao or another one.
pub const CAOS: &[(&str, &str)] = &[
    ("vvt", "VVT (ouderenzorg, thuiszorg)"),
    ("gz", "Gehandicaptenzorg"),
    ("ggz", "GGZ"),
    ("ziekenhuis", "Ziekenhuizen"),
    ("jeugdzorg", "Jeugdzorg"),
    ("geen", "een andere cao, of geen cao"),
];

/// ORT time slots on the form: (query key, engine slot).
pub const ORT_SLOTS: &[(&str, income::OrtSlot)] = &[
    ("ort_avond", income::OrtSlot::WeekdayEarlyEvening),
    ("ort_zaterdag", income::OrtSlot::SaturdayDay),
    ("ort_nacht", income::OrtSlot::WeekdayNight),
    ("ort_zaterdagnacht", income::OrtSlot::SaturdayNight),
    ("ort_zondag", income::OrtSlot::SundayHoliday),
];

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
    pub cao: String,
    /// "schaal" (FWG and step), "uur" (hourly wage) or "jaar" (yearly salary).
    pub wage_kind: String,
    pub job: String,
    pub fwg: String,
    pub step: String,
    pub hourly: String,
    pub annual: String,
    pub hours: String,
    pub more: String,
    pub days: String,
    pub more_days: String,
    pub age: String,
    pub holiday: String,
    pub bonus: String,
    pub ort: String,
    /// Hours per week per ORT slot, in the order of [`ORT_SLOTS`].
    pub ort_slots: Vec<String>,
    pub pension: String,
    pub household: String,
    pub partner_wage: String,
    pub partner_pension: String,
    pub children: Vec<ChildRow>,
    pub rent: String,
    pub service: String,
    pub assets: String,
    /// "ja": childcare hours grow with worked hours.
    pub care_follows: String,
}

/// The latest year with rules: the page's default.
pub fn default_year() -> i32 {
    book().latest_year()
}

impl Default for Form {
    fn default() -> Form {
        Form {
            year: default_year().to_string(),
            cao: "vvt".into(),
            wage_kind: "schaal".into(),
            job: String::new(),
            fwg: String::new(),
            step: String::new(),
            hourly: String::new(),
            annual: String::new(),
            hours: "24".into(),
            more: "32".into(),
            days: String::new(),
            more_days: String::new(),
            age: String::new(),
            holiday: "ja".into(),
            bonus: String::new(),
            ort: String::new(),
            ort_slots: vec![String::new(); ORT_SLOTS.len()],
            pension: "pfzw".into(),
            household: "alleen".into(),
            partner_wage: String::new(),
            partner_pension: "geen".into(),
            children: vec![ChildRow::default(); CHILD_ROWS],
            rent: String::new(),
            service: String::new(),
            assets: String::new(),
            care_follows: String::new(),
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

/// The years with rules, latest first.
fn year_options() -> Vec<String> {
    book().years().iter().rev().map(i32::to_string).collect()
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
        // Links made before the CAO choice existed carry a wage but no `cao`/`loonsoort`:
        // they keep meaning what they meant (an hourly or yearly wage without a cao).
        let wage_default = if present("uurloon").is_some() {
            "uur"
        } else if present("jaarloon").is_some() {
            "jaar"
        } else {
            "schaal"
        };
        let cao_default = if present("loonsoort").is_none() && wage_default != "schaal" {
            "geen"
        } else {
            "vvt"
        };
        let caos: Vec<&str> = CAOS.iter().map(|c| c.0).collect();
        let years = year_options();
        let years: Vec<&str> = years.iter().map(String::as_str).collect();
        let jobs: Vec<&str> = JOBS.iter().map(|j| j.0).collect();
        Some(Form {
            year: pick(f.get("jaar"), &years, &d.year),
            cao: pick(f.get("cao"), &caos, cao_default),
            wage_kind: pick(f.get("loonsoort"), &["schaal", "uur", "jaar"], wage_default),
            job: pick(f.get("functie"), &jobs, ""),
            fwg: f.get("fwg").into(),
            step: f.get("trede").into(),
            hourly: f.get("uurloon").into(),
            annual: f.get("jaarloon").into(),
            hours: present("uren").unwrap_or(d.hours.clone()),
            more: present("meer").unwrap_or(d.more.clone()),
            days: f.get("dagen").into(),
            more_days: f.get("meerdagen").into(),
            age: f.get("leeftijd").into(),
            holiday: pick(f.get("vakantiegeld"), &["ja", "nee"], &d.holiday),
            bonus: f.get("eindejaar").into(),
            ort: f.get("ort").into(),
            ort_slots: ORT_SLOTS
                .iter()
                .map(|(k, _)| f.get(k).to_string())
                .collect(),
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
            care_follows: pick(f.get("opvangmee"), &["ja"], ""),
        })
    }

    /// The form as a query string: the share link. Only what matters is included.
    pub fn to_query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("jaar", &self.year);
        q.append_pair("cao", &self.cao);
        q.append_pair("loonsoort", &self.wage_kind);
        match self.wage_kind.as_str() {
            "schaal" => {
                if !self.job.is_empty() {
                    q.append_pair("functie", &self.job);
                }
                q.append_pair("fwg", &self.fwg);
                q.append_pair("trede", &self.step);
            }
            "uur" => {
                q.append_pair("uurloon", &self.hourly);
            }
            _ => {
                q.append_pair("jaarloon", &self.annual);
            }
        }
        q.append_pair("uren", &self.hours);
        q.append_pair("meer", &self.more);
        q.append_pair("vakantiegeld", &self.holiday);
        for (k, v) in [
            ("dagen", &self.days),
            ("meerdagen", &self.more_days),
            ("leeftijd", &self.age),
            ("eindejaar", &self.bonus),
            ("ort", &self.ort),
        ] {
            if !v.is_empty() {
                q.append_pair(k, v);
            }
        }
        for ((k, _), v) in ORT_SLOTS.iter().zip(&self.ort_slots) {
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
            if !self.care_follows.is_empty() {
                q.append_pair("opvangmee", &self.care_follows);
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
        let mut ort_slots = vec![String::new(); ORT_SLOTS.len()];
        for band in &e.irregular_hours {
            if let Some(i) = ORT_SLOTS.iter().position(|(_, s)| Some(*s) == band.slot) {
                ort_slots[i] = dutch_decimal(band.hours_per_week);
            }
        }
        let wage_kind = if e.fwg.is_some() {
            "schaal"
        } else if e.annual_gross_wage.is_some() {
            "jaar"
        } else {
            "uur"
        };
        let fwg = e.fwg.map(|f| f.to_string()).unwrap_or_default();
        Form {
            year: input.year.to_string(),
            cao: e.cao.clone().unwrap_or_else(|| "geen".into()),
            wage_kind: wage_kind.into(),
            job: JOBS
                .iter()
                .find(|j| Some(j.2) == e.fwg)
                .map(|j| j.0.to_string())
                .unwrap_or_default(),
            fwg,
            step: e
                .step
                .as_ref()
                .map(income::Step::as_text)
                .unwrap_or_default(),
            hourly: dec(e.hourly_wage),
            annual: dec(e.annual_gross_wage),
            hours: dutch_decimal(e.hours_per_week),
            more: dutch_decimal(more),
            days: e.days_per_week.map(|d| d.to_string()).unwrap_or_default(),
            more_days: input
                .days_per_week
                .last()
                .map(u32::to_string)
                .unwrap_or_default(),
            age: e.age.map(|a| a.to_string()).unwrap_or_default(),
            holiday: if e.holiday_allowance { "ja" } else { "nee" }.into(),
            bonus: if e.year_end_bonus.unwrap_or(false) && e.cao.is_none() {
                dec(e.year_end_bonus_percentage)
            } else {
                String::new()
            },
            ort: dec(e.irregular_allowance_per_year),
            ort_slots,
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
            care_follows: if input.childcare_hours_follow_work {
                "ja"
            } else {
                ""
            }
            .into(),
        }
    }

    /// Turns the typed form into the engine's input, or the first field to correct.
    /// `rows` maps the engine's child and childcare indices back to form rows.
    pub fn to_input(&self) -> Result<(CalcInput, Vec<usize>, Vec<usize>), FieldError> {
        let cao = (self.cao != "geen").then(|| self.cao.clone());
        let (mut hourly_wage, mut annual, mut fwg, mut step) = (None, None, None, None);
        match self.wage_kind.as_str() {
            "schaal" => {
                if cao.as_deref() != Some("vvt") {
                    return Err(field_error(
                        "loonsoort",
                        "Een loontabel (schaal en trede) hebben we alleen van de cao VVT. Kies 'Ik weet mijn uurloon' en vul je bruto uurloon in.",
                    ));
                }
                let scale =
                    if self.fwg.trim().is_empty() {
                        JOBS.iter().find(|j| j.0 == self.job).map(|j| j.2)
                    } else {
                        Some(self.fwg.trim().parse::<u32>().map_err(|_| {
                            field_error("fwg", "Kies je FWG-schaal, bijvoorbeeld 35.")
                        })?)
                    };
                fwg = Some(scale.ok_or_else(|| {
                    field_error(
                        "fwg",
                        "Kies je functie of je FWG-schaal. Weet je die niet? Kies dan bij 'Ik weet mijn' voor 'bruto uurloon'.",
                    )
                })?);
                if self.step.trim().is_empty() {
                    return Err(field_error(
                        "trede",
                        "Kies je trede (periodiek). Die staat op je loonstrook, vaak naast je schaal.",
                    ));
                }
                step = Some(match self.step.trim().parse::<u32>() {
                    Ok(n) => income::Step::Number(n),
                    Err(_) => income::Step::Name(self.step.trim().to_string()),
                });
            }
            "uur" => hourly_wage = opt_number(&self.hourly, "uurloon")?,
            _ => annual = opt_number(&self.annual, "jaarloon")?,
        }
        let hours = number(&self.hours, "uren")?;
        let more = number(&self.more, "meer")?;
        let whole = |raw: &str, input: &str, what: &str| -> Result<Option<u32>, FieldError> {
            if raw.trim().is_empty() {
                return Ok(None);
            }
            raw.trim().parse::<u32>().map(Some).map_err(|_| {
                field_error(
                    input,
                    &format!("Vul {what} in hele getallen in, bijvoorbeeld 4."),
                )
            })
        };
        let days = whole(&self.days, "dagen", "het aantal dagen")?;
        let more_days = whole(&self.more_days, "meerdagen", "het aantal dagen")?;
        let age = whole(&self.age, "leeftijd", "je leeftijd")?;
        let bonus = opt_number(&self.bonus, "eindejaar")?.filter(|v| !v.is_zero());
        let mut irregular_hours = Vec::new();
        for ((key, slot), raw) in ORT_SLOTS.iter().zip(&self.ort_slots) {
            if let Some(h) = opt_number(raw, key)?.filter(|v| !v.is_zero()) {
                irregular_hours.push(income::IrregularHours {
                    hours_per_week: h,
                    percentage: None,
                    slot: Some(*slot),
                });
            }
        }
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
            year: self.year.parse().unwrap_or_else(|_| default_year()),
            employee: EmployeeInput {
                hourly_wage,
                cao: cao.clone(),
                fwg,
                step,
                annual_gross_wage: annual,
                hours_per_week: hours,
                holiday_allowance: self.holiday == "ja",
                // With a cao its eindejaarsuitkering counts; without one only a given percentage.
                year_end_bonus: Some(cao.is_some() || bonus.is_some()),
                year_end_bonus_percentage: bonus,
                irregular_allowance_per_year: opt_number(&self.ort, "ort")?,
                irregular_hours,
                pension: pension_choice(&self.pension),
                age,
                days_per_week: days,
            },
            partner,
            children,
            rent_per_month: opt_number(&self.rent, "huur")?,
            service_costs_per_month: opt_number(&self.service, "servicekosten")?,
            childcare,
            assets: opt_number(&self.assets, "vermogen")?,
            hours: vec![more],
            days_per_week: more_days.into_iter().collect(),
            childcare_hours_follow_work: self.care_follows == "ja",
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
    nl::plain(d)
}

/// The Dutch label of a form input.
pub fn label(input: &str) -> String {
    let (base, n) = match input.find(|c: char| c.is_ascii_digit()) {
        Some(i) => (&input[..i], &input[i..]),
        None => (input, ""),
    };
    let text = match base {
        "jaar" => "Jaar",
        "cao" => "Cao",
        "loonsoort" => "Ik weet mijn",
        "functie" => "Functie",
        "fwg" => "FWG-schaal",
        "trede" => "Trede",
        "leeftijd" => "Leeftijd",
        "dagen" => "Werkdagen per week nu",
        "meerdagen" => "Werkdagen per week straks",
        "ort_avond" => "ORT-uren doordeweeks vroeg en avond",
        "ort_zaterdag" => "ORT-uren zaterdag overdag",
        "ort_nacht" => "ORT-uren doordeweeks nacht",
        "ort_zaterdagnacht" => "ORT-uren zaterdagnacht",
        "ort_zondag" => "ORT-uren zondag en feestdagen",
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

/// Parses an amount typed the Dutch way: "18,25", "1.250,50", "32.000", or "18.25"
/// (the rules are [`report::nl`]'s).
pub fn parse_dutch(raw: &str) -> Option<Decimal> {
    nl::parse_number(raw).ok()
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
    if let Some(i) = e
        .field
        .strip_prefix("employee.irregular_hours[")
        .and_then(|r| r.split(']').next()?.parse::<usize>().ok())
    {
        // The i-th filled-in slot of the form.
        let filled: Vec<&str> = ORT_SLOTS
            .iter()
            .zip(&form.ort_slots)
            .filter(|(_, v)| parse_dutch(v).is_some_and(|d| !d.is_zero()))
            .map(|((k, _), _)| *k)
            .collect();
        return filled.get(i).copied().unwrap_or("ort_avond").to_string();
    }
    let wage = match form.wage_kind.as_str() {
        "uur" => "uurloon",
        "jaar" => "jaarloon",
        _ => "fwg",
    };
    match f {
        "year" => "jaar",
        "employee" => wage,
        "employee.cao" => {
            if form.wage_kind == "schaal" {
                "cao"
            } else {
                wage
            }
        }
        "employee.fwg" => "fwg",
        "employee.step" => "trede",
        "employee.age" => "leeftijd",
        "employee.days_per_week" => "dagen",
        "days_per_week" | "days_per_week[0]" => "meerdagen",
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

/// One line of the comparison: per month and per year, now and with the new hours.
pub struct Row {
    pub label: &'static str,
    /// One plain sentence: what this line is and why it changes.
    pub explain: String,
    pub now: String,
    pub more: String,
    pub diff: String,
    pub now_year: String,
    pub more_year: String,
    /// "plus", "min" or "" (for the colour and the screen-reader text).
    pub trend: &'static str,
    pub total: bool,
}

/// One line of "where an extra euro goes".
pub struct BurdenPart {
    pub label: &'static str,
    pub cents: String,
}

pub struct Outcome {
    pub now_hours: String,
    pub more_hours: String,
    pub rows: Vec<Row>,
    pub net_diff: String,
    pub net_diff_year: String,
    pub net_diff_positive: bool,
    pub sentence: String,
    /// Where each extra euro of gross pay goes (empty when the hours do not change).
    pub burden: Vec<BurdenPart>,
    pub salary: Option<String>,
    pub chart: String,
    pub cliffs: Vec<String>,
    pub curve_gaps: bool,
    pub notes: Vec<&'static str>,
    /// Short explanations where a result surprises (no tax at all; the partner's net pay
    /// moving although the partner works the same), in plain Dutch.
    pub surprises: Vec<String>,
    /// A warning when the hours now or later are above 40 a week.
    pub hours_warning: Option<String>,
}

fn month(c: i64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let v = c as f64 / 1200.0;
    (v * 100.0).round() / 100.0
}

fn year_eur(c: i64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let v = c as f64 / 100.0;
    v
}

fn signed_euro(v: f64) -> String {
    if v > 0.0 {
        format!("+ {}", nl::euro(v))
    } else if v < 0.0 {
        format!("− {}", nl::euro(-v))
    } else {
        nl::euro(0.0)
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
    nl::percent(v, 0)
}

fn advance(s: &Scenario, f: fn(&Scenario) -> income::money::Euros) -> String {
    nl::euro(year_eur(f(s).cents()))
}

/// Builds the comparison, the sentence, the cliffs and the chart.
pub fn outcome(out: &CalcOutput, curve: &Curve) -> Outcome {
    let now = &out.current;
    let more = out.scenarios.first().unwrap_or(now);
    let mut rows = Vec::new();
    // (label, explanation, now, more, good when it goes up, always shown, total line)
    let mut push = |label: &'static str,
                    explain: String,
                    a: i64,
                    b: i64,
                    good_when_up: bool,
                    always: bool,
                    total: bool| {
        if !always && a == 0 && b == 0 {
            return;
        }
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
            explain,
            now: nl::euro(month(a)),
            more: nl::euro(month(b)),
            diff: signed_euro(d),
            now_year: nl::euro(year_eur(a)),
            more_year: nl::euro(year_eur(b)),
            trend,
            total,
        });
    };
    let c = |e: income::money::Euros| e.cents();
    push(
        "Salaris",
        "Je basissalaris voor je uren, zonder toeslagen.".into(),
        c(now.base_salary),
        c(more.base_salary),
        true,
        true,
        false,
    );
    push(
        "Onregelmatigheidstoeslag (ORT)",
        "Extra loon voor uren in de avond, nacht en het weekend; we laten die meegroeien met je uren.".into(),
        c(now.irregular_allowance),
        c(more.irregular_allowance),
        true,
        false,
        false,
    );
    push(
        "Vakantiegeld",
        "Een percentage van je salaris (meestal 8%), betaald in mei.".into(),
        c(now.holiday_allowance),
        c(more.holiday_allowance),
        true,
        false,
        false,
    );
    push(
        "Eindejaarsuitkering",
        "Een percentage van je salaris (in de cao VVT 8,33%), betaald in november of december."
            .into(),
        c(now.year_end_bonus),
        c(more.year_end_bonus),
        true,
        false,
        false,
    );
    push(
        "Vergoeding extra werkdagen",
        "€ 25 voor elke extra dag per week dat je komt werken (cao VVT, vanaf 2026).".into(),
        c(now.extra_workday_allowance),
        c(more.extra_workday_allowance),
        true,
        false,
        false,
    );
    push(
        "Bruto loon",
        "Alles bij elkaar wat je werkgever je betaalt, vóór belasting en pensioen.".into(),
        c(now.gross_wage),
        c(more.gross_wage),
        true,
        true,
        false,
    );
    push(
        "Pensioenpremie (jouw deel)",
        "Wat je zelf betaalt voor je pensioen; dat gaat van je bruto loon af vóór de belasting."
            .into(),
        c(now.pension_premium),
        c(more.pension_premium),
        false,
        true,
        false,
    );
    push(
        "Belasting en premies",
        "Loonbelasting en volksverzekeringen, na aftrek van de heffingskortingen (algemene heffingskorting, arbeidskorting en eventueel de combinatiekorting).".into(),
        c(now.income_tax),
        c(more.income_tax),
        false,
        true,
        false,
    );
    push(
        "Netto loon",
        "Wat er van je loon op je rekening komt.".into(),
        c(now.net_wage),
        c(more.net_wage),
        true,
        true,
        false,
    );
    push(
        "Netto loon partner",
        "Het netto loon van je partner; dat verandert alleen als de combinatiekorting naar de ander gaat.".into(),
        c(now.partner_net_wage),
        c(more.partner_net_wage),
        true,
        false,
        false,
    );
    push(
        "Zorgtoeslag",
        format!(
            "Hulp bij de zorgverzekering; hoe hoger jullie inkomen, hoe lager. Voorschot per maand: nu {}, straks {}.",
            advance(now, |s| s.zorgtoeslag_advance_per_month),
            advance(more, |s| s.zorgtoeslag_advance_per_month)
        ),
        c(now.zorgtoeslag),
        c(more.zorgtoeslag),
        true,
        false,
        false,
    );
    push(
        "Huurtoeslag",
        format!(
            "Hulp bij de huur; boven een inkomensgrens gaat er per extra euro inkomen een deel af. Voorschot per maand: nu {}, straks {}.",
            advance(now, |s| s.huurtoeslag_advance_per_month),
            advance(more, |s| s.huurtoeslag_advance_per_month)
        ),
        c(now.huurtoeslag),
        c(more.huurtoeslag),
        true,
        false,
        false,
    );
    push(
        "Kindgebonden budget",
        format!(
            "Geld voor kinderen onder de 18; het wordt lager als jullie inkomen stijgt. Voorschot per maand: nu {}, straks {}.",
            advance(now, |s| s.kindgebonden_budget_advance_per_month),
            advance(more, |s| s.kindgebonden_budget_advance_per_month)
        ),
        c(now.kindgebonden_budget),
        c(more.kindgebonden_budget),
        true,
        false,
        false,
    );
    push(
        "Kinderopvangtoeslag",
        format!(
            "Een deel van de kosten van de opvang; het percentage hangt af van jullie inkomen. Voorschot per maand: nu {}, straks {}.",
            advance(now, |s| s.kinderopvangtoeslag_advance_per_month),
            advance(more, |s| s.kinderopvangtoeslag_advance_per_month)
        ),
        c(now.kinderopvangtoeslag),
        c(more.kinderopvangtoeslag),
        true,
        false,
        false,
    );
    push(
        "Netto in je portemonnee",
        "Netto loon plus toeslagen: wat je echt te besteden hebt.".into(),
        c(now.disposable_income),
        c(more.disposable_income),
        true,
        true,
        true,
    );
    let has_care = c(now.childcare_costs) > 0 || c(more.childcare_costs) > 0;
    if has_care {
        push(
            "Kosten kinderopvang",
            "Wat de opvang kost, vóór de kinderopvangtoeslag.".into(),
            c(now.childcare_costs),
            c(more.childcare_costs),
            false,
            true,
            false,
        );
        push(
            "Over na kosten kinderopvang",
            "Wat je overhoudt als de opvang betaald is.".into(),
            c(now.disposable_income_after_childcare),
            c(more.disposable_income_after_childcare),
            true,
            true,
            true,
        );
    }
    let net_diff_cents = c(more.extra_disposable_income_per_month);
    #[allow(clippy::cast_precision_loss)]
    let net_diff_eur = net_diff_cents as f64 / 100.0;
    let extra_gross = c(more.extra_gross_wage_per_month);
    let sentence = match more.marginal_burden {
        None => "Vul bij 'Uren per week straks' een ander aantal uren in dan nu; dan zie je wat meer (of minder) werken je oplevert.".to_string(),
        Some(b) => {
            let kept = 10_000 - b.0;
            #[allow(clippy::cast_precision_loss)]
            let cents = nl::number(kept as f64 / 100.0, 0);
            if extra_gross > 0 && kept >= 0 {
                format!(
                    "Van elke euro die je er bruto bij verdient, houd je ongeveer {cents} cent over; de rest ({}) gaat naar belasting, pensioen en lagere toeslagen. Dat heet de marginale druk.",
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
    // Where each extra euro goes: each component's change as cents per euro of extra gross.
    let mut burden = Vec::new();
    let gross_diff = c(more.gross_wage) - c(now.gross_wage);
    if gross_diff > 0 {
        let per_euro = |loss: i64| -> Option<String> {
            #[allow(clippy::cast_precision_loss)]
            let v = loss as f64 / gross_diff as f64 * 100.0;
            (v.abs() >= 0.5).then(|| format!("{} cent", nl::number(v, 0)))
        };
        for (label, loss) in [
            (
                "naar belasting en premies",
                c(more.income_tax) - c(now.income_tax),
            ),
            (
                "naar je pensioen",
                c(more.pension_premium) - c(now.pension_premium),
            ),
            (
                "minder zorgtoeslag",
                c(now.zorgtoeslag) - c(more.zorgtoeslag),
            ),
            (
                "minder huurtoeslag",
                c(now.huurtoeslag) - c(more.huurtoeslag),
            ),
            (
                "minder kindgebonden budget",
                c(now.kindgebonden_budget) - c(more.kindgebonden_budget),
            ),
            (
                "minder kinderopvangtoeslag",
                c(now.kinderopvangtoeslag) - c(more.kinderopvangtoeslag),
            ),
            (
                "minder netto loon partner",
                c(now.partner_net_wage) - c(more.partner_net_wage),
            ),
            (
                "houd je over",
                c(more.disposable_income) - c(now.disposable_income),
            ),
        ] {
            if let Some(cents) = per_euro(loss) {
                burden.push(BurdenPart { label, cents });
            }
        }
    }
    let salary = out.salary_table.as_ref().map(|t| {
        let parts: Vec<String> = t
            .periods
            .iter()
            .map(|p| {
                format!(
                    "{} {}: {} per maand bij 36 uur ({} per uur)",
                    if p.from_month == p.to_month {
                        month_name(p.from_month).to_string()
                    } else {
                        format!(
                            "{} t/m {}",
                            month_name(p.from_month),
                            month_name(p.to_month)
                        )
                    },
                    out.year,
                    nl::euro(year_eur(p.monthly_full_time.cents())),
                    nl::euro(year_eur(p.hourly_wage.cents()))
                )
            })
            .collect();
        format!(
            "Cao VVT, FWG {}{}, trede {}: {}.",
            t.fwg,
            if t.scale == t.fwg {
                String::new()
            } else {
                format!(" (betaald in schaal {})", t.scale)
            },
            t.step,
            parts.join("; ")
        )
    });
    let cliffs = cliff_sentences(&curve.cliffs);
    let surprises = surprises(now, more);
    let hours_warning = hours_warning(now, more);
    Outcome {
        now_hours: hours_text(now.hours_per_week),
        more_hours: hours_text(more.hours_per_week),
        rows,
        net_diff: signed_euro(net_diff_eur),
        net_diff_year: signed_euro(year_eur(
            c(more.disposable_income) - c(now.disposable_income),
        )),
        net_diff_positive: net_diff_cents >= 0,
        sentence,
        burden,
        salary,
        chart: chart_svg(curve, now, more),
        cliffs,
        curve_gaps: curve.points.iter().any(|p| p.scenario.is_none()),
        notes: out.notes.iter().map(|n| n.text).collect(),
        surprises,
        hours_warning,
    }
}

/// Above this many hours a week the page warns (a full week in care is 36 hours).
const WARN_ABOVE_HOURS: i64 = 40;

fn hours_warning(now: &Scenario, more: &Scenario) -> Option<String> {
    let limit = Decimal::from(WARN_ABOVE_HOURS);
    let high: Vec<String> = [now, more]
        .iter()
        .map(|s| s.hours_per_week)
        .filter(|h| *h > limit)
        .map(hours_text)
        .collect();
    let most = high.last()?;
    Some(format!(
        "Let op: je rekent met {most} uur per week. Dat is meer dan {WARN_ABOVE_HOURS} uur, en meer dan een volledige werkweek in de zorg (36 uur). Praat met je werkgever over je rust: volgens de Arbeidstijdenwet werk je over 16 weken gemiddeld hoogstens 48 uur per week."
    ))
}

/// Explanations for results people do not expect.
fn surprises(now: &Scenario, more: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let c = |e: income::money::Euros| e.cents();
    let eur = |e: income::money::Euros| nl::euro(year_eur(e.cents()));
    // No tax although there is pay: the credits are larger than the tax.
    let untaxed: Vec<&Scenario> = [now, more]
        .into_iter()
        .filter(|s| c(s.income_tax) == 0 && c(s.income_tax_before_credits) > 0)
        .collect();
    if let Some(s) = untaxed.first() {
        let when = if untaxed.len() == 2 || now.hours_per_week == more.hours_per_week {
            "nu en straks".to_string()
        } else if std::ptr::eq(*s, now) {
            format!("nu (bij {} uur)", hours_text(now.hours_per_week))
        } else {
            format!("straks (bij {} uur)", hours_text(more.hours_per_week))
        };
        out.push(format!(
            "Waarom betaal je {when} geen belasting? De belasting over je loon is {} per jaar. Daar gaan de heffingskortingen van af: de algemene heffingskorting ({}){} en de arbeidskorting ({}). Die kortingen zijn samen groter dan de belasting, dus je betaalt niets. Wat er van de kortingen overblijft, krijg je niet uitbetaald.",
            eur(s.income_tax_before_credits),
            eur(s.general_tax_credit),
            if c(s.combination_tax_credit) > 0 {
                format!(", de combinatiekorting ({})", eur(s.combination_tax_credit))
            } else {
                String::new()
            },
            eur(s.labour_tax_credit)
        ));
    }
    // The partner works the same, yet the partner's net pay changes: the combination
    // credit (inkomensafhankelijke combinatiekorting) moved between the partners.
    if c(now.partner_net_wage) != c(more.partner_net_wage) {
        let d = month(c(more.partner_net_wage) - c(now.partner_net_wage));
        out.push(format!(
            "Waarom verandert het netto loon van je partner ({} per maand), terwijl je partner niet anders gaat werken? Door de inkomensafhankelijke combinatiekorting: een belastingkorting voor werkende ouders met een kind jonger dan 12. Die krijgt de partner met het laagste inkomen. Ga jij meer verdienen, dan kan de korting van jou naar je partner gaan (of andersom). Jouw combinatiekorting: nu {}, straks {} per jaar.",
            signed_euro(d),
            eur(now.combination_tax_credit),
            eur(more.combination_tax_credit)
        ));
    }
    out
}

fn month_name(m: u32) -> &'static str {
    nl::month_name(m)
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
                nl::euro(gross as f64 / 100.0),
                nl::euro(kept as f64 / 100.0),
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
    let to_f = |d: Decimal| d.to_string().parse::<f64>().unwrap_or(0.0);
    #[allow(clippy::cast_precision_loss)]
    let eur = |c: i64| c as f64 / 1200.0;
    report::chart::curve_chart(&chart::Curve {
        id: "grafiek".into(),
        title: "Netto per maand bij 0 tot 40 uur per week".into(),
        desc: "De lijn laat zien hoeveel je per maand overhoudt bij elk aantal uren. Rode banden zijn plekken waar je van extra loon weinig overhoudt.".into(),
        x_max: 40,
        x_tick: 8,
        x_label: "uren per week".into(),
        points: curve
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
            .collect(),
        bands: curve
            .cliffs
            .iter()
            .map(|c| chart::Band {
                from: to_f(c.from_hours),
                to: to_f(c.to_hours),
                title: format!(
                    "Klif: {} naar {} uur",
                    hours_text(c.from_hours),
                    hours_text(c.to_hours)
                ),
            })
            .collect(),
        markers: [(now, "nu", "#1b2430"), (more, "straks", "#1f6b34")]
            .into_iter()
            .map(|(sc, name, colour)| chart::Marker {
                x: to_f(sc.hours_per_week),
                y: eur(sc.disposable_income.cents()),
                label: name.into(),
                colour: colour.into(),
            })
            .collect(),
    })
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
    /// The example as a printable one-page result (informatiepakket material).
    pub print_href: String,
}

/// An FWG scale on the picker, with its steps for the step list.
pub struct ScaleOption {
    pub fwg: String,
    /// Steps joined by `|` (read by `berekenaar.js` to filter the step list).
    pub steps: String,
}

/// One ORT slot input.
pub struct SlotView {
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
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
    years: Vec<String>,
    /// Shown when the current calendar year has no rules yet.
    year_note: Option<String>,
    scales: Vec<ScaleOption>,
    steps: Vec<String>,
    jobs: &'static [(&'static str, &'static str, u32)],
    caos: &'static [(&'static str, &'static str)],
    slots: Vec<SlotView>,
}

impl Page {
    fn slots_filled(&self) -> bool {
        self.slots.iter().any(|s| !s.value.is_empty())
    }
    fn latest_year(&self) -> String {
        default_year().to_string()
    }
    fn cao_label(&self) -> &'static str {
        CAOS.iter().find(|c| c.0 == self.f.cao).map_or("", |c| c.1)
    }
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
            .map_or_else(|| format!("€ {raw}"), nl::euro)
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
        .map(|e| {
            let q = Form::from_input(&e.input).to_query();
            ExampleLink {
                title: e.title.clone(),
                description: e.description.clone(),
                // Straight to the result (the form is long on a phone).
                href: format!("/berekenaar?{q}#uitkomst"),
                print_href: format!("/berekenaar?{q}&afdrukken=1"),
            }
        })
        .collect();
    let this_year = {
        use chrono::Datelike as _;
        chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Amsterdam)
            .year()
    };
    let years = year_options();
    let year_note = (!book().years().contains(&this_year)).then(|| {
        format!(
            "De regels voor {this_year} hebben we nog niet. We rekenen met {}, het laatste jaar waarvan we de regels hebben.",
            default_year()
        )
    });
    let vvt = &book().cao().vvt;
    let scales: Vec<ScaleOption> = vvt
        .scales()
        .into_iter()
        .map(|s| ScaleOption {
            fwg: s.fwg.to_string(),
            steps: s.steps.join("|"),
        })
        .collect();
    // Every step name once, named steps first, then the numbers in order.
    let mut steps: Vec<String> = Vec::new();
    for s in vvt.scales() {
        for st in s.steps {
            if !steps.contains(&st) {
                steps.push(st);
            }
        }
    }
    steps.sort_by_key(|s| {
        (
            s.parse::<u32>().is_ok(),
            s.parse::<u32>().unwrap_or(0),
            s.clone(),
        )
    });
    let slots = ORT_SLOTS
        .iter()
        .zip(&f.ort_slots)
        .map(|((key, slot), value)| SlotView {
            key,
            label: slot.label(),
            value: value.clone(),
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
        years,
        year_note,
        scales,
        steps,
        jobs: JOBS,
        caos: CAOS,
        slots,
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
            let book = super::super::api::book();
            let ours = book.calculate(&input).expect("form input computes");
            let theirs = book.calculate(&e.input).expect("example computes");
            assert_eq!(ours.current, theirs.current, "{}", e.id);
            assert_eq!(ours.scenarios.last(), theirs.scenarios.last(), "{}", e.id);
        }
    }
}
