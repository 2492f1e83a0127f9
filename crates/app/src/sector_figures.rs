//! The sector figures from a plain form (issue 33: no TOML editing for users).
//!
//! The programme admin changes a figure's value, period and source, or a published
//! distribution's shares, field by field. The figures keep their keys, labels and units
//! (those are what the product's pages refer to). Each field is checked with a Dutch message
//! naming the figure and the fix; the result is stored as the same file the JSON API takes
//! (`hr::benchmark::SectorBenchmarks` as TOML) through [`crate::nulmeting::set_benchmarks`],
//! which checks it once more and writes the audit entry.

use hr::benchmark::SectorBenchmarks;
use report::nl;
use rust_decimal::Decimal;
use store::{Store, User};

use crate::{AppError, access};

/// The editable fields of one figure, as the form posts them.
#[derive(Debug, Clone, Default)]
pub struct FigureEdit {
    pub key: String,
    pub value: String,
    pub reference_period: String,
    pub source: String,
    pub source_url: String,
    pub source_date: String,
}

/// The editable fields of one distribution: a share (percent) per class, in order.
#[derive(Debug, Clone, Default)]
pub struct DistributionEdit {
    pub key: String,
    pub shares: Vec<String>,
    pub reference_period: String,
    pub source: String,
    pub source_url: String,
    pub source_date: String,
}

fn refuse(label: &str, fix: impl std::fmt::Display) -> AppError {
    AppError::invalid("sectorcijfers", format!("'{label}': {fix}"))
}

fn number(label: &str, what: &str, text: &str) -> Result<Decimal, AppError> {
    nl::parse_number(text.trim()).map_err(|_| {
        refuse(
            label,
            format!(
                "'{}' is geen getal voor {what}. Schrijf bijvoorbeeld 24,9.",
                text.trim()
            ),
        )
    })
}

/// Checks the source fields shared by figures and distributions.
fn source_fields(
    label: &str,
    period: &str,
    source: &str,
    url: &str,
    date: &str,
) -> Result<(), AppError> {
    if period.trim().is_empty() {
        return Err(refuse(
            label,
            "vul de periode in waar het cijfer over gaat, bijvoorbeeld 2024.",
        ));
    }
    if source.trim().is_empty() {
        return Err(refuse(
            label,
            "vul de bron in (wie het cijfer publiceerde).",
        ));
    }
    let url = url.trim();
    if !(url.is_empty() || url.starts_with("https://") || url.starts_with("http://")) {
        return Err(refuse(
            label,
            "het adres van de bron begint met https:// (of laat het leeg).",
        ));
    }
    let date = date.trim();
    let ok = match date.len() {
        4 => date.chars().all(|c| c.is_ascii_digit()),
        7 => chrono::NaiveDate::parse_from_str(&format!("{date}-01"), "%Y-%m-%d").is_ok(),
        10 => chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
        _ => false,
    };
    if !ok {
        return Err(refuse(
            label,
            "de datum van de bron is een jaar (2024), een maand (2024-06) of een dag (2024-06-30).",
        ));
    }
    for (name, text) in [("periode", period), ("bron", source), ("adres", url)] {
        if text.chars().count() > 500 {
            return Err(refuse(
                label,
                format!("de {name} is langer dan 500 tekens."),
            ));
        }
    }
    Ok(())
}

/// `current` with the form's edits applied, every field checked.
pub fn apply(
    current: &SectorBenchmarks,
    figures: &[FigureEdit],
    distributions: &[DistributionEdit],
) -> Result<SectorBenchmarks, AppError> {
    let mut next = current.clone();
    for e in figures {
        let Some(f) = next.figures.iter_mut().find(|f| f.key == e.key) else {
            return Err(AppError::invalid(
                "sectorcijfers",
                "De pagina is verouderd: een cijfer bestaat niet meer. Laad de pagina opnieuw.",
            ));
        };
        let label = f.label_nl.clone();
        let value = number(&label, "de waarde", &e.value)?;
        if value < Decimal::ZERO {
            return Err(refuse(&label, "de waarde kan niet negatief zijn."));
        }
        source_fields(
            &label,
            &e.reference_period,
            &e.source,
            &e.source_url,
            &e.source_date,
        )?;
        f.value = value;
        f.reference_period = e.reference_period.trim().to_string();
        f.source = e.source.trim().to_string();
        f.source_url = e.source_url.trim().to_string();
        f.source_date = e.source_date.trim().to_string();
    }
    for e in distributions {
        let Some(d) = next.distributions.iter_mut().find(|d| d.key == e.key) else {
            return Err(AppError::invalid(
                "sectorcijfers",
                "De pagina is verouderd: een verdeling bestaat niet meer. Laad de pagina opnieuw.",
            ));
        };
        let label = d.label_nl.clone();
        if e.shares.len() != d.classes.len() {
            return Err(refuse(
                &label,
                "niet elke klasse heeft een percentage. Laad de pagina opnieuw.",
            ));
        }
        let mut sum = Decimal::ZERO;
        for (class, text) in d.classes.iter_mut().zip(&e.shares) {
            let share = number(&label, &format!("'{}'", class.label), text)?;
            if share < Decimal::ZERO || share > Decimal::ONE_HUNDRED {
                return Err(refuse(
                    &label,
                    format!("het percentage van '{}' ligt tussen 0 en 100.", class.label),
                ));
            }
            class.share = share;
            sum += share;
        }
        if (sum - Decimal::ONE_HUNDRED).abs() > Decimal::new(5, 1) {
            return Err(refuse(
                &label,
                format!(
                    "de percentages tellen op tot {}; dat moet 100 zijn.",
                    nl::decimal(sum, 2)
                ),
            ));
        }
        source_fields(
            &label,
            &e.reference_period,
            &e.source,
            &e.source_url,
            &e.source_date,
        )?;
        d.reference_period = e.reference_period.trim().to_string();
        d.source = e.source.trim().to_string();
        d.source_url = e.source_url.trim().to_string();
        d.source_date = e.source_date.trim().to_string();
    }
    Ok(next)
}

/// Applies the form's edits to the figures in use and stores them. Programme admin only.
pub async fn save(
    store: &Store,
    by: &User,
    figures: &[FigureEdit],
    distributions: &[DistributionEdit],
) -> Result<(), AppError> {
    access::require_programme_admin(by)?;
    let current = crate::nulmeting::benchmarks(store).await?;
    let next = apply(&current, figures, distributions)?;
    let text = toml::to_string(&next)
        .map_err(|e| AppError::internal(format!("sector figures as TOML: {e}")))?;
    crate::nulmeting::set_benchmarks(store, by, Some(&text)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn embedded() -> SectorBenchmarks {
        SectorBenchmarks::embedded().unwrap()
    }

    fn edit_of(b: &SectorBenchmarks, key: &str) -> FigureEdit {
        let f = b.figure(key).unwrap();
        FigureEdit {
            key: key.into(),
            value: nl::decimal(f.value, 4),
            reference_period: f.reference_period.clone(),
            source: f.source.clone(),
            source_url: f.source_url.clone(),
            source_date: f.source_date.clone(),
        }
    }

    fn dist_of(b: &SectorBenchmarks, key: &str) -> DistributionEdit {
        let d = b.distribution(key).unwrap();
        DistributionEdit {
            key: key.into(),
            shares: d.classes.iter().map(|c| nl::decimal(c.share, 4)).collect(),
            reference_period: d.reference_period.clone(),
            source: d.source.clone(),
            source_url: d.source_url.clone(),
            source_date: d.source_date.clone(),
        }
    }

    fn message(e: AppError) -> String {
        e.user_message().unwrap()
    }

    #[test]
    fn unchanged_fields_give_the_same_figures_and_a_file_that_loads() {
        let b = embedded();
        let figures: Vec<FigureEdit> = b.figures.iter().map(|f| edit_of(&b, &f.key)).collect();
        let dists: Vec<DistributionEdit> = b
            .distributions
            .iter()
            .map(|d| dist_of(&b, &d.key))
            .collect();
        let next = apply(&b, &figures, &dists).unwrap();
        assert_eq!(next, b);
        let text = toml::to_string(&next).unwrap();
        assert_eq!(SectorBenchmarks::from_toml(&text).unwrap(), b);
    }

    #[test]
    fn a_dutch_number_changes_the_value() {
        let b = embedded();
        let mut e = edit_of(&b, hr::benchmark::AVERAGE_CONTRACT_HOURS);
        e.value = "25,3".into();
        e.source_date = "2026-06".into();
        let next = apply(&b, &[e], &[]).unwrap();
        let f = next.figure(hr::benchmark::AVERAGE_CONTRACT_HOURS).unwrap();
        assert_eq!(f.value.to_string(), "25.3");
        assert_eq!(f.source_date, "2026-06");
    }

    #[test]
    fn mistakes_name_the_figure_and_the_fix() {
        let b = embedded();
        let key = hr::benchmark::AVERAGE_CONTRACT_HOURS;
        let label = b.figure(key).unwrap().label_nl.clone();
        let mut e = edit_of(&b, key);
        e.value = "veel".into();
        let m = message(apply(&b, &[e], &[]).unwrap_err());
        assert!(
            m.starts_with(&format!("'{label}': 'veel' is geen getal")),
            "{m}"
        );
        let mut e = edit_of(&b, key);
        e.source = " ".into();
        assert!(message(apply(&b, &[e], &[]).unwrap_err()).contains("vul de bron in"));
        let mut e = edit_of(&b, key);
        e.source_date = "juni 2024".into();
        assert!(message(apply(&b, &[e], &[]).unwrap_err()).contains("een maand (2024-06)"));

        let dkey = b.distributions[0].key.clone();
        let mut d = dist_of(&b, &dkey);
        d.shares[0] = "0".into();
        let m = message(apply(&b, &[], &[d]).unwrap_err());
        assert!(m.contains("dat moet 100 zijn"), "{m}");
    }
}
