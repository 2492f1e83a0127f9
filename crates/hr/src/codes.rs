//! Stored codes: the exact text each vocabulary is written as in the database, and the
//! exact way back (`code()` / `FromStr`). Unlike the import's tolerant readers
//! (`parse_contract_kind`, `parse_pnil_kind`, `parse_month_str`, which accept what HR
//! systems write), these accept only their own codes: a stored value that is not one is
//! an error, never a guess.

use std::str::FromStr;

use crate::extract::ContractKind;
use crate::pnil::{PnilKind, YearMonth};
use crate::pseudo::AgeBand;

/// A text that is no code of the vocabulary `what`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} code '{code}'")]
pub struct UnknownCode {
    pub what: &'static str,
    pub code: String,
}

fn from_code<T: Copy>(
    what: &'static str,
    all: &[T],
    code_of: fn(T) -> &'static str,
    s: &str,
) -> Result<T, UnknownCode> {
    all.iter()
        .copied()
        .find(|v| code_of(*v) == s)
        .ok_or_else(|| UnknownCode {
            what,
            code: s.to_string(),
        })
}

impl ContractKind {
    /// The stored code (also the serde name): `vast`, `tijdelijk`, `oproep`, `flex`.
    pub fn code(self) -> &'static str {
        match self {
            ContractKind::Vast => "vast",
            ContractKind::Tijdelijk => "tijdelijk",
            ContractKind::Oproep => "oproep",
            ContractKind::Flex => "flex",
        }
    }
}

impl FromStr for ContractKind {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        from_code("contract kind", &ContractKind::ALL, ContractKind::code, s)
    }
}

impl PnilKind {
    pub const ALL: [PnilKind; 4] = [
        PnilKind::Zzp,
        PnilKind::Uitzend,
        PnilKind::Detachering,
        PnilKind::Overig,
    ];

    /// The stored code (also the serde name): `zzp`, `uitzend`, `detachering`, `overig`.
    pub fn code(self) -> &'static str {
        match self {
            PnilKind::Zzp => "zzp",
            PnilKind::Uitzend => "uitzend",
            PnilKind::Detachering => "detachering",
            PnilKind::Overig => "overig",
        }
    }
}

impl FromStr for PnilKind {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        from_code("PNIL kind", &PnilKind::ALL, PnilKind::code, s)
    }
}

impl AgeBand {
    /// The stored code, the same as [`AgeBand::key`].
    pub fn code(self) -> &'static str {
        self.key()
    }
}

impl FromStr for AgeBand {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        from_code("age band", &AgeBand::ALL, AgeBand::code, s)
    }
}

impl YearMonth {
    /// The stored code: `YYYY-MM` (the same as `Display`).
    pub fn code(self) -> String {
        self.to_string()
    }
}

impl FromStr for YearMonth {
    type Err = UnknownCode;
    /// Exactly `YYYY-MM`; other month notations are the import's business.
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        let unknown = || UnknownCode {
            what: "month",
            code: s.to_string(),
        };
        let b = s.as_bytes();
        if b.len() != 7
            || b[4] != b'-'
            || !s[..4]
                .bytes()
                .chain(s[5..].bytes())
                .all(|c| c.is_ascii_digit())
        {
            return Err(unknown());
        }
        YearMonth::new(
            s[..4].parse().map_err(|_| unknown())?,
            s[5..].parse().map_err(|_| unknown())?,
        )
        .ok_or_else(unknown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_and_matches_serde() {
        for k in ContractKind::ALL {
            assert_eq!(k.code().parse::<ContractKind>(), Ok(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.code())
            );
        }
        for k in PnilKind::ALL {
            assert_eq!(k.code().parse::<PnilKind>(), Ok(k));
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.code())
            );
        }
        for b in AgeBand::ALL {
            assert_eq!(b.code().parse::<AgeBand>(), Ok(b));
            assert_eq!(
                serde_json::to_string(&b).unwrap(),
                format!("\"{}\"", b.code())
            );
        }
        for (y, m) in [(1900, 1), (2026, 9), (2200, 12)] {
            let ym = YearMonth::new(y, m).unwrap();
            assert_eq!(ym.code().parse::<YearMonth>(), Ok(ym));
        }
    }

    #[test]
    fn what_the_import_tolerates_is_no_stored_code() {
        // The import reads these; a stored value like them is corrupt, not guessed.
        for s in [
            "Vast",
            "OBT",
            "onbepaalde tijd",
            "0-uren",
            "Flexpool",
            "",
            " vast",
        ] {
            assert!(s.parse::<ContractKind>().is_err(), "{s}");
        }
        for s in ["ZZP", "uitzendkracht", "gedetacheerd", "anders", ""] {
            assert!(s.parse::<PnilKind>().is_err(), "{s}");
        }
        for s in ["Under25", "25-34", "55+", ""] {
            assert!(s.parse::<AgeBand>().is_err(), "{s}");
        }
        for s in [
            "2026-1",
            "202601",
            "jan 2026",
            "01-2026",
            "2026-13",
            "2026-01-01",
            "2026/01",
        ] {
            assert!(s.parse::<YearMonth>().is_err(), "{s}");
        }
        assert_eq!(
            "Vast".parse::<ContractKind>().unwrap_err().to_string(),
            "unknown contract kind code 'Vast'"
        );
    }
}
