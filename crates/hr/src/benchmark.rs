//! Sector benchmarks as data with their sources (`data/sector-benchmarks.toml`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The embedded default file.
pub const EMBEDDED_BENCHMARKS: &str = include_str!("../data/sector-benchmarks.toml");

/// One figure with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchmarkFigure {
    pub key: String,
    pub label_nl: String,
    pub value: Decimal,
    pub unit: String,
    pub reference_period: String,
    pub source: String,
    #[serde(default)]
    pub source_url: String,
    /// YYYY, YYYY-MM or YYYY-MM-DD.
    pub source_date: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistributionClass {
    pub label: String,
    /// Percent.
    pub share: Decimal,
}

/// A published distribution with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchmarkDistribution {
    pub key: String,
    pub label_nl: String,
    pub unit: String,
    pub reference_period: String,
    pub source: String,
    #[serde(default)]
    pub source_url: String,
    pub source_date: String,
    #[serde(default)]
    pub note: String,
    pub classes: Vec<DistributionClass>,
}

/// All benchmarks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorBenchmarks {
    #[serde(default, rename = "figure")]
    pub figures: Vec<BenchmarkFigure>,
    #[serde(default, rename = "distribution")]
    pub distributions: Vec<BenchmarkDistribution>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BenchmarkError {
    #[error("benchmark file is not valid TOML: {0}")]
    Toml(String),
    #[error("benchmark {key:?}: {problem}")]
    Invalid { key: String, problem: String },
}

/// The key of the sector's average contract hours.
pub const AVERAGE_CONTRACT_HOURS: &str = "average_contract_hours";

fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let digits = |p: &str, n: usize| p.len() == n && p.chars().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [y] => digits(y, 4),
        [y, m] => digits(y, 4) && digits(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [_, _, _] => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
        _ => false,
    }
}

impl SectorBenchmarks {
    /// The benchmarks shipped with the program.
    pub fn embedded() -> Result<Self, BenchmarkError> {
        Self::from_toml(EMBEDDED_BENCHMARKS)
    }

    /// Load and validate an (edited) benchmark file: unique keys, a source and a valid
    /// source date on every entry, shares of a distribution adding up to 100 ± 0.5.
    pub fn from_toml(text: &str) -> Result<Self, BenchmarkError> {
        let b: SectorBenchmarks =
            toml::from_str(text).map_err(|e| BenchmarkError::Toml(e.to_string()))?;
        let mut keys = HashSet::new();
        let invalid = |key: &str, problem: &str| BenchmarkError::Invalid {
            key: key.to_owned(),
            problem: problem.to_owned(),
        };
        let entries = b
            .figures
            .iter()
            .map(|f| (&f.key, &f.source, &f.source_date))
            .chain(
                b.distributions
                    .iter()
                    .map(|d| (&d.key, &d.source, &d.source_date)),
            );
        for (key, source, date) in entries {
            if key.trim().is_empty() {
                return Err(invalid(key, "empty key"));
            }
            if !keys.insert(key.clone()) {
                return Err(invalid(key, "key used twice"));
            }
            if source.trim().is_empty() {
                return Err(invalid(key, "no source"));
            }
            if !valid_date(date) {
                return Err(invalid(
                    key,
                    "source_date must be YYYY, YYYY-MM or YYYY-MM-DD",
                ));
            }
        }
        for d in &b.distributions {
            let sum: Decimal = d.classes.iter().map(|c| c.share).sum();
            if d.classes.is_empty() || (sum - Decimal::ONE_HUNDRED).abs() > Decimal::new(5, 1) {
                return Err(invalid(&d.key, "shares must add up to 100"));
            }
        }
        Ok(b)
    }

    pub fn figure(&self, key: &str) -> Option<&BenchmarkFigure> {
        self.figures.iter().find(|f| f.key == key)
    }

    pub fn distribution(&self, key: &str) -> Option<&BenchmarkDistribution> {
        self.distributions.iter().find(|d| d.key == key)
    }
}

/// An organisation's average contract against the sector's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorComparison {
    pub own_average_hours: f64,
    pub sector_average_hours: f64,
    /// Own minus sector, hours per week (2 decimals).
    pub difference_hours: f64,
    pub source: String,
    pub source_url: String,
    pub source_date: String,
    pub note: String,
}

/// Compare an own average (hours per week) with the sector figure, if the file has one.
pub fn compare_with_sector(
    own_average_hours: Decimal,
    benchmarks: &SectorBenchmarks,
) -> Option<SectorComparison> {
    let f = benchmarks.figure(AVERAGE_CONTRACT_HOURS)?;
    let own = crate::bands::round_hours(own_average_hours);
    Some(SectorComparison {
        own_average_hours: crate::bands::to_f64(own),
        sector_average_hours: crate::bands::to_f64(f.value),
        difference_hours: crate::bands::to_f64(crate::bands::round_hours(own - f.value)),
        source: f.source.clone(),
        source_url: f.source_url.clone(),
        source_date: f.source_date.clone(),
        note: f.note.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_file_loads_with_the_programme_figure() {
        let b = SectorBenchmarks::embedded().unwrap();
        let f = b.figure(AVERAGE_CONTRACT_HOURS).unwrap();
        assert_eq!(f.value.to_string(), "24.9");
        assert!(!f.source.is_empty());
        let d = b.distribution("working_hours_zw_2022").unwrap();
        assert_eq!(d.classes.len(), 5);
        let c = compare_with_sector("26.5".parse().unwrap(), &b).unwrap();
        assert_eq!(c.difference_hours, 1.6);
    }

    #[test]
    fn invalid_files_are_refused() {
        let no_source = r#"
[[figure]]
key = "x"
label_nl = "x"
value = "1"
unit = "u"
reference_period = "p"
source = ""
source_date = "2024"
"#;
        assert!(matches!(
            SectorBenchmarks::from_toml(no_source),
            Err(BenchmarkError::Invalid { .. })
        ));
        let bad_date = no_source
            .replace("source = \"\"", "source = \"CBS\"")
            .replace("\"2024\"", "\"24-11-2024\"");
        assert!(matches!(
            SectorBenchmarks::from_toml(&bad_date),
            Err(BenchmarkError::Invalid { .. })
        ));
        let unknown = no_source.replace("source = \"\"", "source = \"CBS\"\nwaarde = 3");
        assert!(matches!(
            SectorBenchmarks::from_toml(&unknown),
            Err(BenchmarkError::Toml(_))
        ));
        let ok = no_source.replace("source = \"\"", "source = \"CBS\"");
        assert!(SectorBenchmarks::from_toml(&ok).is_ok());
    }
}
