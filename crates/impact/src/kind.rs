//! The goal kinds and the contract-request pipeline: stored codes with their Dutch labels.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A code that is not one of a vocabulary's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} '{code}'")]
pub struct UnknownCode {
    pub what: &'static str,
    pub code: String,
}

/// Where a goal's measured values come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    HrSnapshots,
    Pnil,
    RosterScans,
    Survey,
    Requests,
    Manual,
}

/// What a goal measures. Every kind but `manual` is measured from the data, never typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalKind {
    ContractHoursAdded,
    FteAdded,
    ContractsExpanded,
    AverageContractHours,
    Deeltijdfactor,
    PnilMonthlyCost,
    OpkomstmomentenPerFte,
    ShortShiftShare,
    OpenShare,
    ScheduleSatisfaction,
    Requests,
    RequestsAccepted,
    HoursAgreed,
    Manual,
}

impl GoalKind {
    pub const ALL: [GoalKind; 14] = [
        GoalKind::ContractHoursAdded,
        GoalKind::FteAdded,
        GoalKind::ContractsExpanded,
        GoalKind::AverageContractHours,
        GoalKind::Deeltijdfactor,
        GoalKind::PnilMonthlyCost,
        GoalKind::OpkomstmomentenPerFte,
        GoalKind::ShortShiftShare,
        GoalKind::OpenShare,
        GoalKind::ScheduleSatisfaction,
        GoalKind::Requests,
        GoalKind::RequestsAccepted,
        GoalKind::HoursAgreed,
        GoalKind::Manual,
    ];

    pub fn code(self) -> &'static str {
        match self {
            GoalKind::ContractHoursAdded => "contract_hours_added",
            GoalKind::FteAdded => "fte_added",
            GoalKind::ContractsExpanded => "contracts_expanded",
            GoalKind::AverageContractHours => "average_contract_hours",
            GoalKind::Deeltijdfactor => "deeltijdfactor",
            GoalKind::PnilMonthlyCost => "pnil_monthly_cost",
            GoalKind::OpkomstmomentenPerFte => "opkomstmomenten_per_fte",
            GoalKind::ShortShiftShare => "short_shift_share",
            GoalKind::OpenShare => "open_share",
            GoalKind::ScheduleSatisfaction => "schedule_satisfaction",
            GoalKind::Requests => "requests",
            GoalKind::RequestsAccepted => "requests_accepted",
            GoalKind::HoursAgreed => "hours_agreed",
            GoalKind::Manual => "manual",
        }
    }

    /// The Dutch name shown on pages and in the report.
    pub fn label_nl(self) -> &'static str {
        match self {
            GoalKind::ContractHoursAdded => "Contracturen erbij",
            GoalKind::FteAdded => "Fte erbij",
            GoalKind::ContractsExpanded => "Contracten uitgebreid",
            GoalKind::AverageContractHours => "Gemiddelde contractomvang",
            GoalKind::Deeltijdfactor => "Gemiddelde deeltijdfactor",
            GoalKind::PnilMonthlyCost => "Kosten PNIL per maand (gemiddelde van 3 maanden)",
            GoalKind::OpkomstmomentenPerFte => "Opkomstmomenten per fte",
            GoalKind::ShortShiftShare => "Aandeel korte diensten",
            GoalKind::OpenShare => "Aandeel open voor meer uren (enquête)",
            GoalKind::ScheduleSatisfaction => "Tevredenheid over het rooster (1–5)",
            GoalKind::Requests => "Verzoeken om meer uren",
            GoalKind::RequestsAccepted => "Verzoeken met akkoord",
            GoalKind::HoursAgreed => "Afgesproken uren erbij",
            GoalKind::Manual => "Eigen doel",
        }
    }

    pub fn source(self) -> Source {
        match self {
            GoalKind::ContractHoursAdded
            | GoalKind::FteAdded
            | GoalKind::ContractsExpanded
            | GoalKind::AverageContractHours
            | GoalKind::Deeltijdfactor => Source::HrSnapshots,
            GoalKind::PnilMonthlyCost => Source::Pnil,
            GoalKind::OpkomstmomentenPerFte | GoalKind::ShortShiftShare => Source::RosterScans,
            GoalKind::OpenShare | GoalKind::ScheduleSatisfaction => Source::Survey,
            GoalKind::Requests | GoalKind::RequestsAccepted | GoalKind::HoursAgreed => {
                Source::Requests
            }
            GoalKind::Manual => Source::Manual,
        }
    }

    /// Counted from the baseline on: the baseline value is 0 by definition.
    pub fn is_cumulative(self) -> bool {
        matches!(
            self,
            GoalKind::ContractHoursAdded
                | GoalKind::FteAdded
                | GoalKind::ContractsExpanded
                | GoalKind::Requests
                | GoalKind::RequestsAccepted
                | GoalKind::HoursAgreed
        )
    }

    /// Whether the kind can be measured for one team (roster scans and PNIL totals of
    /// the organisation cannot; PNIL entries booked on a team can).
    pub fn team_scope_allowed(self) -> bool {
        !matches!(self.source(), Source::RosterScans)
    }

    /// A value of this kind in Dutch ("105 uur", "2,9 fte", "45,0%", "€ 1.234,56").
    pub fn format(self, value: f64) -> String {
        use report::nl;
        match self {
            GoalKind::ContractHoursAdded | GoalKind::HoursAgreed => {
                format!("{} uur", nl::hours(value))
            }
            GoalKind::AverageContractHours => format!("{} uur", nl::number(value, 1)),
            GoalKind::FteAdded => nl::fte(value),
            GoalKind::ContractsExpanded | GoalKind::Requests | GoalKind::RequestsAccepted => {
                nl::number(value, 0)
            }
            GoalKind::Deeltijdfactor => nl::number(value, 3),
            GoalKind::PnilMonthlyCost => nl::euro(value),
            GoalKind::OpkomstmomentenPerFte | GoalKind::ScheduleSatisfaction => {
                nl::number(value, 1)
            }
            GoalKind::ShortShiftShare | GoalKind::OpenShare => nl::percent(value, 1),
            GoalKind::Manual => nl::decimal_f64(value, 2),
        }
    }
}

impl fmt::Display for GoalKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for GoalKind {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        GoalKind::ALL
            .iter()
            .copied()
            .find(|k| k.code() == s)
            .ok_or_else(|| UnknownCode {
                what: "goal kind",
                code: s.to_string(),
            })
    }
}

/// The pipeline of a contract request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    Nieuw,
    GesprekGepland,
    AanbodGedaan,
    Akkoord,
    Verwerkt,
    NietGelukt,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 6] = [
        RequestStatus::Nieuw,
        RequestStatus::GesprekGepland,
        RequestStatus::AanbodGedaan,
        RequestStatus::Akkoord,
        RequestStatus::Verwerkt,
        RequestStatus::NietGelukt,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Nieuw => "nieuw",
            RequestStatus::GesprekGepland => "gesprek_gepland",
            RequestStatus::AanbodGedaan => "aanbod_gedaan",
            RequestStatus::Akkoord => "akkoord",
            RequestStatus::Verwerkt => "verwerkt",
            RequestStatus::NietGelukt => "niet_gelukt",
        }
    }

    pub fn label_nl(self) -> &'static str {
        match self {
            RequestStatus::Nieuw => "Nieuw",
            RequestStatus::GesprekGepland => "Gesprek gepland",
            RequestStatus::AanbodGedaan => "Aanbod gedaan",
            RequestStatus::Akkoord => "Akkoord",
            RequestStatus::Verwerkt => "Verwerkt in contract",
            RequestStatus::NietGelukt => "Niet gelukt",
        }
    }

    /// Closed: the request's personal data is deleted after the retention period.
    pub fn is_closed(self) -> bool {
        matches!(self, RequestStatus::Verwerkt | RequestStatus::NietGelukt)
    }

    /// The employee and the organisation agreed on more hours.
    pub fn is_accepted(self) -> bool {
        matches!(self, RequestStatus::Akkoord | RequestStatus::Verwerkt)
    }

    /// Moves allowed from here: forward in the pipeline, or to "niet gelukt" from any open
    /// status. A closed request does not move.
    pub fn can_move_to(self, to: RequestStatus) -> bool {
        if self.is_closed() || to == self {
            return false;
        }
        to == RequestStatus::NietGelukt || to > self
    }
}

impl fmt::Display for RequestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for RequestStatus {
    type Err = UnknownCode;
    fn from_str(s: &str) -> Result<Self, UnknownCode> {
        RequestStatus::ALL
            .iter()
            .copied()
            .find(|k| k.code() == s)
            .ok_or_else(|| UnknownCode {
                what: "request status",
                code: s.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in GoalKind::ALL {
            assert_eq!(k.code().parse::<GoalKind>().unwrap(), k);
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::Value::String(k.code().into())
            );
        }
        for s in RequestStatus::ALL {
            assert_eq!(s.code().parse::<RequestStatus>().unwrap(), s);
        }
        assert!("fte".parse::<GoalKind>().is_err());
    }

    #[test]
    fn the_pipeline_moves_forward_or_fails() {
        use RequestStatus::*;
        assert!(Nieuw.can_move_to(GesprekGepland));
        assert!(Nieuw.can_move_to(Akkoord));
        assert!(AanbodGedaan.can_move_to(NietGelukt));
        assert!(!Akkoord.can_move_to(Nieuw));
        assert!(!Verwerkt.can_move_to(NietGelukt));
        assert!(!NietGelukt.can_move_to(Verwerkt));
        assert!(Akkoord.is_accepted() && Verwerkt.is_accepted() && !AanbodGedaan.is_accepted());
    }
}
