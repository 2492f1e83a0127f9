//! Pseudonyms for employee numbers and age bands for birth dates.

use chrono::{Datelike, NaiveDate};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The minimum key length in bytes (128 bits).
pub const MIN_KEY_BYTES: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("pseudonymisation key is {0} bytes; at least {MIN_KEY_BYTES} are needed")]
    TooShort(usize),
}

/// Keyed hash (HMAC-SHA256) of employee numbers with a key per organisation, so two
/// snapshots of one organisation can be matched without storing the number, and
/// snapshots of two organisations cannot.
#[derive(Clone)]
pub struct Pseudonymiser {
    mac: Hmac<Sha256>,
}

impl std::fmt::Debug for Pseudonymiser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonymiser(..)")
    }
}

impl Pseudonymiser {
    /// A pseudonymiser for one organisation's key (at least 16 bytes; the caller keeps it
    /// secret and stable, e.g. 32 random bytes stored with the organisation).
    pub fn new(key: &[u8]) -> Result<Self, KeyError> {
        if key.len() < MIN_KEY_BYTES {
            return Err(KeyError::TooShort(key.len()));
        }
        let mac = Hmac::<Sha256>::new_from_slice(key).map_err(|_| KeyError::TooShort(key.len()))?;
        Ok(Self { mac })
    }

    /// The pseudonym of an employee number: 64 lower-case hex characters.
    /// The number is normalised first ([`normalise_employee_number`]), so "001234" in a
    /// CSV and 1234 in a spreadsheet (which drops leading zeros) give the same pseudonym.
    pub fn pseudonym(&self, employee_number: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(normalise_employee_number(employee_number).as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Trim, drop inner spaces, upper-case, and strip leading zeros from all-digit numbers.
pub fn normalise_employee_number(s: &str) -> String {
    let t: String = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect();
    if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
        let stripped = t.trim_start_matches('0');
        if stripped.is_empty() {
            "0".to_owned()
        } else {
            stripped.to_owned()
        }
    } else {
        t
    }
}

/// Age bands for the contract picture. Bounds: full years at the peildatum;
/// `Under25` = 0–24, `From25To34` = 25–34, `From35To44` = 35–44, `From45To54` = 45–54,
/// `From55` = 55 and older. Ten-year bands follow the usual labour-market tables; the
/// open bands at both ends keep the small groups (young starters, near-retirees) large
/// enough to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AgeBand {
    #[serde(rename = "under_25")]
    Under25,
    #[serde(rename = "25_34")]
    From25To34,
    #[serde(rename = "35_44")]
    From35To44,
    #[serde(rename = "45_54")]
    From45To54,
    #[serde(rename = "55_plus")]
    From55,
}

impl AgeBand {
    pub const ALL: [AgeBand; 5] = [
        AgeBand::Under25,
        AgeBand::From25To34,
        AgeBand::From35To44,
        AgeBand::From45To54,
        AgeBand::From55,
    ];

    pub fn of_age(age: u32) -> AgeBand {
        match age {
            0..=24 => AgeBand::Under25,
            25..=34 => AgeBand::From25To34,
            35..=44 => AgeBand::From35To44,
            45..=54 => AgeBand::From45To54,
            _ => AgeBand::From55,
        }
    }

    /// The serde name: "under_25", "25_34", "35_44", "45_54", "55_plus".
    pub fn key(self) -> &'static str {
        match self {
            AgeBand::Under25 => "under_25",
            AgeBand::From25To34 => "25_34",
            AgeBand::From35To44 => "35_44",
            AgeBand::From45To54 => "45_54",
            AgeBand::From55 => "55_plus",
        }
    }

    pub fn label_nl(self) -> &'static str {
        match self {
            AgeBand::Under25 => "jonger dan 25",
            AgeBand::From25To34 => "25 tot en met 34",
            AgeBand::From35To44 => "35 tot en met 44",
            AgeBand::From45To54 => "45 tot en met 54",
            AgeBand::From55 => "55 en ouder",
        }
    }
}

/// Age in full years on `on` for someone born on `born`; `None` if born after `on`.
pub fn age_on(born: NaiveDate, on: NaiveDate) -> Option<u32> {
    if born > on {
        return None;
    }
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn pseudonyms_are_keyed_and_stable() {
        let a = Pseudonymiser::new(b"organisatie-a-sleutel-32-bytes!!").unwrap();
        let b = Pseudonymiser::new(b"organisatie-b-sleutel-32-bytes!!").unwrap();
        assert_eq!(a.pseudonym("001234"), a.pseudonym("1234"));
        assert_eq!(a.pseudonym(" 1234 "), a.pseudonym("1234"));
        assert_ne!(a.pseudonym("1234"), b.pseudonym("1234"));
        assert_ne!(a.pseudonym("1234"), a.pseudonym("1235"));
        assert_eq!(a.pseudonym("1234").len(), 64);
        assert_eq!(
            Pseudonymiser::new(b"kort").unwrap_err(),
            KeyError::TooShort(4)
        );
    }

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        // RFC 4231 test case 2 uses a 4-byte key; check the primitive directly.
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn ages_and_bands() {
        assert_eq!(age_on(d(2000, 11, 24), d(2026, 11, 23)), Some(25));
        assert_eq!(age_on(d(2000, 11, 23), d(2026, 11, 23)), Some(26));
        assert_eq!(age_on(d(2004, 2, 29), d(2026, 2, 28)), Some(21));
        assert_eq!(age_on(d(2027, 1, 1), d(2026, 11, 23)), None);
        assert_eq!(AgeBand::of_age(24), AgeBand::Under25);
        assert_eq!(AgeBand::of_age(25), AgeBand::From25To34);
        assert_eq!(AgeBand::of_age(54), AgeBand::From45To54);
        assert_eq!(AgeBand::of_age(55), AgeBand::From55);
        for a in AgeBand::ALL {
            assert_eq!(
                serde_json::to_string(&a).unwrap(),
                format!("\"{}\"", a.key())
            );
        }
    }
}
