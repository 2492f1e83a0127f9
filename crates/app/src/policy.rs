//! The anonymity thresholds of an organisation, in one place for every product part
//! (survey results and response rates, the HR baseline's contract picture, hours gap and
//! snapshot comparison).

use store::{Organisation, SurveyRound};

/// No figure is ever shown for a group smaller than this, whatever is stored: the
/// organisation form accepts 3 to 50, and data from before that rule (or edited in the
/// database) must not lower the guard.
pub const MIN_GROUP_FLOOR: i64 = 3;

/// What an organisation's data may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnonymityPolicy {
    /// Groups (teams, bands, respondents) below this size get no figures.
    pub min_group_size: u64,
}

impl AnonymityPolicy {
    fn from_stored(k: i64) -> AnonymityPolicy {
        AnonymityPolicy {
            min_group_size: u64::try_from(k.max(MIN_GROUP_FLOOR)).unwrap_or(MIN_GROUP_FLOOR as u64),
        }
    }

    /// The minimum group size as a count, for the `hr` crate.
    pub fn k(&self) -> usize {
        usize::try_from(self.min_group_size).unwrap_or(usize::MAX)
    }

    /// The policy as crate `survey` takes it.
    pub fn survey(&self) -> survey::Policy {
        survey::Policy {
            min_group_size: self.min_group_size,
            ..survey::Policy::default()
        }
    }
}

/// `org.policy()`: the organisation's anonymity thresholds.
pub trait OrganisationPolicy {
    /// The thresholds now (HR baseline, and anything not tied to a survey round).
    fn policy(&self) -> AnonymityPolicy;
    /// The thresholds of a survey round: the minimum group size frozen when the round
    /// opened, or the organisation's current one when that is larger (raising k applies to
    /// old rounds; lowering it is not retroactive).
    fn round_policy(&self, round: &SurveyRound) -> AnonymityPolicy;
}

impl OrganisationPolicy for Organisation {
    fn policy(&self) -> AnonymityPolicy {
        AnonymityPolicy::from_stored(self.min_group_size)
    }

    fn round_policy(&self, round: &SurveyRound) -> AnonymityPolicy {
        AnonymityPolicy::from_stored(round.effective_min_group_size(self.min_group_size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::{Phase, Subsector};

    fn org(k: i64) -> Organisation {
        Organisation {
            id: 1,
            name: "Zorggroep".into(),
            subsector: Subsector::Vvt,
            fulltime_hours: 36.0,
            min_group_size: k,
            phase: Phase::Pilot,
            created_at: 0,
        }
    }

    fn round(frozen: Option<i64>) -> SurveyRound {
        SurveyRound {
            id: 1,
            org_id: 1,
            name: "Nulmeting".into(),
            kind: "nulmeting".into(),
            questionnaire: "medewerkers".into(),
            version: 1,
            custom_questions: "[]".into(),
            opens_on: "2026-01-01".into(),
            closes_on: "2026-02-01".into(),
            invitation_text: String::new(),
            status: "gesloten".into(),
            created_at: 0,
            import_round: false,
            frozen_min_group_size: frozen,
        }
    }

    /// The survey part and the HR part apply the same threshold to the same organisation,
    /// also for a stored value below the floor (the two used to clamp to 2 and to 1).
    #[test]
    fn survey_and_hr_use_one_threshold() {
        for k in [-1, 0, 1, 2, 3, 5, 12, 50] {
            let o = org(k);
            let r = round(None);
            let survey_k = crate::survey::policy(&o, &r).min_group_size;
            let hr_k = crate::nulmeting::min_group_size(&o) as u64;
            assert_eq!(survey_k, hr_k, "k = {k}");
            assert_eq!(hr_k, o.policy().min_group_size);
            assert!(hr_k >= MIN_GROUP_FLOOR as u64);
            assert_eq!(hr_k, k.max(3) as u64);
        }
    }

    #[test]
    fn a_round_keeps_the_larger_of_frozen_and_current() {
        assert_eq!(org(5).round_policy(&round(Some(8))).min_group_size, 8);
        assert_eq!(org(9).round_policy(&round(Some(8))).min_group_size, 9);
        assert_eq!(org(1).round_policy(&round(Some(2))).min_group_size, 3);
    }
}
