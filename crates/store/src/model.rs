//! Row types and the closed vocabularies (subsector, phase, role) with their Dutch labels.

use serde::{Deserialize, Serialize};

use crate::StoreError;

macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident, $field:literal { $($variant:ident = $code:literal, $label:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The stable code stored in the database and used in the API and CLI.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            /// The variant whose stored code is exactly `s` (no trimming, no case folding):
            /// how stored values are read back.
            pub fn from_code(s: &str) -> Option<$name> {
                match s {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
            /// The Dutch label shown to users.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = StoreError;
            fn from_str(s: &str) -> Result<Self, StoreError> {
                let s = s.trim().to_lowercase();
                if let Some(v) = $name::from_code(&s) {
                    return Ok(v);
                }
                Err(StoreError::invalid($field, $crate::Violation::UnknownCode {
                    value: s,
                    codes: vec![$($code),+],
                }))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

pub(crate) use vocabulary;

/// A stored vocabulary code read back exactly; anything else is corrupt data, not input
/// to correct.
pub(crate) fn stored_code<T>(
    what: &str,
    value: String,
    from_code: fn(&str) -> Option<T>,
) -> Result<T, StoreError> {
    from_code(&value)
        .ok_or_else(|| StoreError::Config(format!("stored {what} cannot be read: '{value}'")))
}

vocabulary!(
    /// Subsectors of care and welfare (DOMAIN.md, "Subsectors").
    Subsector, "subsector" {
        Vvt = "vvt", "VVT (ouderenzorg en wijkverpleging)";
        Gz = "gz", "Gehandicaptenzorg";
        Ggz = "ggz", "GGZ";
        Ziekenhuis = "ziekenhuis", "Ziekenhuis";
        Jeugdzorg = "jeugdzorg", "Jeugdzorg";
        SociaalWerk = "sociaal_werk", "Sociaal werk en welzijn";
        Kinderopvang = "kinderopvang", "Kinderopvang";
        Huisartsenzorg = "huisartsenzorg", "Huisartsenzorg";
        Thuisondersteuning = "thuisondersteuning", "Thuisondersteuning";
    }
);

vocabulary!(
    /// The programme phase an organisation is in.
    Phase, "phase" {
        Ontwerp = "ontwerp", "Ontwerp";
        Pilot = "pilot", "Pilot";
        Opschalen = "opschalen", "Opschalen";
    }
);

vocabulary!(
    /// What a user may do. Enforced in the web layer on every route.
    Role, "role" {
        ProgrammeAdmin = "programme_admin", "Programmabeheerder";
        OrgAdmin = "org_admin", "Beheerder organisatie";
        Manager = "manager", "Leidinggevende";
        Planner = "planner", "Planner";
        RegioLezer = "regio_lezer", "Regio-lezer";
    }
);

impl Role {
    /// Whether this role belongs to one organisation (all but the programme admin and the
    /// regio-lezer, who reads the aggregates of the regions granted to them and never one
    /// organisation's figures).
    pub fn needs_org(self) -> bool {
        !matches!(self, Role::ProgrammeAdmin | Role::RegioLezer)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    pub subsector: Subsector,
    pub fulltime_hours: f64,
    pub min_group_size: i64,
    pub phase: Phase,
    pub created_at: i64,
}

/// Fields of an organisation that an admin sets.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct OrganisationInput {
    pub name: String,
    pub subsector: Subsector,
    #[serde(default = "default_fulltime")]
    pub fulltime_hours: f64,
    #[serde(default = "default_min_group")]
    pub min_group_size: i64,
    #[serde(default = "default_phase")]
    pub phase: Phase,
}

fn default_fulltime() -> f64 {
    36.0
}
fn default_min_group() -> i64 {
    5
}
fn default_phase() -> Phase {
    Phase::Ontwerp
}

impl OrganisationInput {
    pub fn new(name: &str, subsector: Subsector) -> Self {
        OrganisationInput {
            name: name.to_string(),
            subsector,
            fulltime_hours: default_fulltime(),
            min_group_size: default_min_group(),
            phase: default_phase(),
        }
    }

    /// Checks ranges; messages are Dutch, for users.
    pub fn validate(&mut self) -> Result<(), StoreError> {
        self.name = self.name.trim().to_string();
        if self.name.is_empty() || self.name.chars().count() > 120 {
            return Err(StoreError::invalid(
                "name",
                crate::Violation::NameLength { max: 120 },
            ));
        }
        crate::text::check_name("name", &self.name)?;
        if !(self.fulltime_hours.is_finite() && (20.0..=48.0).contains(&self.fulltime_hours)) {
            return Err(StoreError::invalid(
                "fulltime_hours",
                crate::Violation::FulltimeHours,
            ));
        }
        if !(3..=50).contains(&self.min_group_size) {
            return Err(StoreError::invalid(
                "min_group_size",
                crate::Violation::MinGroupSize,
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub id: i64,
    pub org_id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Team {
    pub id: i64,
    pub org_id: i64,
    pub location_id: Option<i64>,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub org_id: Option<i64>,
    pub active: bool,
    pub has_password: bool,
    pub created_at: i64,
    /// Teams a manager or planner works for.
    pub team_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked: bool,
    /// When the token stops working (unix seconds); `None`: no end.
    pub expires_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub org_id: Option<i64>,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// A logged-in session as the web layer needs it.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T: Copy + PartialEq + std::fmt::Debug + std::str::FromStr>(
        all: &[T],
        code: fn(T) -> &'static str,
        from_code: fn(&str) -> Option<T>,
    ) {
        for v in all {
            assert_eq!(from_code(code(*v)), Some(*v));
            assert_eq!(code(*v).parse::<T>().ok(), Some(*v));
            // Stored codes are read exactly: what input parsing forgives is corrupt there.
            assert_eq!(from_code(&code(*v).to_uppercase()), None);
            assert_eq!(from_code(&format!(" {}", code(*v))), None);
        }
        assert_eq!(from_code(""), None);
        assert_eq!(from_code("bakkerij"), None);
    }

    #[test]
    fn every_vocabulary_code_round_trips_and_stored_codes_are_exact() {
        round_trips(Subsector::ALL, Subsector::code, Subsector::from_code);
        round_trips(Phase::ALL, Phase::code, Phase::from_code);
        round_trips(Role::ALL, Role::code, Role::from_code);
        assert!(stored_code("role", "Org_Admin".into(), Role::from_code).is_err());
        assert!(matches!(
            "bakkerij".parse::<Subsector>(),
            Err(StoreError::Invalid {
                field: "subsector",
                violation: crate::Violation::UnknownCode { .. }
            })
        ));
    }
}
