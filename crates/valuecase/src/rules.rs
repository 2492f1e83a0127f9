//! Recommendations as data: the programme's 12 interventions (DOMAIN.md) and the rules
//! that map findings to them, in `rules/recommendations.toml`. Validated at load: an
//! unknown intervention, question, option or theme is an error, not a silent no-match.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use survey::questionnaire::{Questionnaire, Role};

use crate::interview::{Interview, ItemKind, Theme};
use crate::{Replaceable, Respondent, RespondentRole, ValueCase};

/// The rules shipped with the crate.
pub const EMBEDDED: &str = include_str!("../rules/recommendations.toml");

/// One intervention of the programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intervention {
    pub code: String,
    pub name: String,
    pub group: String,
    pub description: String,
    pub source: String,
}

/// A finding that can trigger a rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// One of `options` of the employees' conditions question is among the `top` most
    /// chosen.
    ConditionInTop { options: Vec<String>, top: usize },
    /// The same for the employees' obstacles question.
    ObstacleInTop { options: Vec<String>, top: usize },
    /// At least `min_share` of the managers chose one of `options` as an obstacle.
    ManagerObstacle {
        options: Vec<String>,
        min_share: f64,
    },
    /// At least `min_share` of those who answered `question` of `questionnaire` chose one
    /// of `options`.
    AnswerShare {
        questionnaire: String,
        question: String,
        options: Vec<String>,
        min_share: f64,
    },
    /// A roster scan with `metric` (`short_shift_share` or `split_shift_share`) of at least
    /// `min`.
    RosterScan { metric: String, min: f64 },
    /// The interview names an item of this kind and theme (marked for the report or not).
    Interview { theme: Theme, item: ItemKind },
    /// The open share is at least `min`.
    OpenShare { min: f64 },
    /// The potential is at least `min` FTE.
    PotentialFte { min: f64 },
    /// PNIL over the last 12 months is at least `min_cents`.
    PnilCost { min_cents: i64 },
    /// The potential could replace PNIL hours at a saving.
    PnilSaving,
}

/// A rule: when any of `when` holds, recommend `interventions` with `reason`, in which
/// `{finding}` is replaced by the Dutch description of the finding that held.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub interventions: Vec<String>,
    /// The reasoning behind the rule (for people maintaining the file and the method
    /// section), English or Dutch.
    pub why: String,
    pub reason: String,
    pub when: Vec<Condition>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    version: String,
    interventions: Vec<Intervention>,
    rules: Vec<Rule>,
}

/// The loaded, validated rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Rules {
    version: String,
    interventions: Vec<Intervention>,
    rules: Vec<Rule>,
}

/// Why a rules file is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("rules file is not valid TOML: {0}")]
    Parse(String),
    #[error("rule {rule}: {message}")]
    Invalid { rule: String, message: String },
    #[error("questionnaire: {0}")]
    Questionnaire(String),
}

/// One recommended intervention with the findings that triggered it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    /// The intervention's name, e.g. "Roostersessies".
    pub intervention: String,
    pub code: String,
    pub group: String,
    pub description: String,
    /// Dutch, one sentence per triggering rule.
    pub reason: String,
    pub rules: Vec<String>,
}

/// What the rules look at.
pub struct Facts<'a> {
    pub value_case: &'a ValueCase,
    pub respondents: &'a [Respondent],
    pub interview: Option<&'a Interview>,
}

fn pct(x: f64) -> String {
    format!("{}%", (x * 100.0).round())
}

impl Rules {
    /// The rules shipped with the crate, checked against the standard questionnaires.
    pub fn embedded() -> Result<Rules, RulesError> {
        Rules::from_toml(EMBEDDED)
    }

    /// Parses and validates a rules file against the standard questionnaires
    /// (`medewerkers` and `leidinggevenden`, version 1).
    pub fn from_toml(src: &str) -> Result<Rules, RulesError> {
        let file: RulesFile = toml::from_str(src).map_err(|e| RulesError::Parse(e.to_string()))?;
        let employees = Questionnaire::standard("medewerkers", 1)
            .map_err(|e| RulesError::Questionnaire(e.to_string()))?;
        let managers = Questionnaire::standard("leidinggevenden", 1)
            .map_err(|e| RulesError::Questionnaire(e.to_string()))?;
        let rules = Rules {
            version: file.version,
            interventions: file.interventions,
            rules: file.rules,
        };
        rules.validate(employees, managers)?;
        Ok(rules)
    }

    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn interventions(&self) -> &[Intervention] {
        &self.interventions
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    fn validate(
        &self,
        employees: &Questionnaire,
        managers: &Questionnaire,
    ) -> Result<(), RulesError> {
        let err = |rule: &str, message: String| RulesError::Invalid {
            rule: rule.to_string(),
            message,
        };
        let mut codes = BTreeSet::new();
        for i in &self.interventions {
            if !codes.insert(i.code.as_str()) {
                return Err(err(
                    "interventions",
                    format!("intervention {} twice", i.code),
                ));
            }
        }
        let mut ids = BTreeSet::new();
        for r in &self.rules {
            if !ids.insert(r.id.as_str()) {
                return Err(err(&r.id, "rule id used twice".into()));
            }
            if r.interventions.is_empty() || r.when.is_empty() {
                return Err(err(&r.id, "needs interventions and conditions".into()));
            }
            for i in &r.interventions {
                if !codes.contains(i.as_str()) {
                    return Err(err(&r.id, format!("unknown intervention {i}")));
                }
            }
            if !r.reason.contains("{finding}") {
                return Err(err(&r.id, "reason does not name {finding}".into()));
            }
            for c in &r.when {
                let check_options = |q: &survey::Question, options: &[String]| {
                    for o in options {
                        if q.option(o).is_none() {
                            return Err(err(
                                &r.id,
                                format!("unknown option {o} of question {}", q.id),
                            ));
                        }
                    }
                    Ok(())
                };
                let by_role = |qn, role| by_role(qn, role, &r.id);
                match c {
                    Condition::ConditionInTop { options, top } => {
                        check_options(by_role(employees, Role::Conditions)?, options)?;
                        if *top == 0 {
                            return Err(err(&r.id, "top must be at least 1".into()));
                        }
                    }
                    Condition::ObstacleInTop { options, top } => {
                        check_options(by_role(employees, Role::Obstacles)?, options)?;
                        if *top == 0 {
                            return Err(err(&r.id, "top must be at least 1".into()));
                        }
                    }
                    Condition::ManagerObstacle { options, min_share } => {
                        check_options(by_role(managers, Role::Obstacles)?, options)?;
                        check_share(&r.id, *min_share)?;
                    }
                    Condition::AnswerShare {
                        questionnaire,
                        question,
                        options,
                        min_share,
                    } => {
                        let qn = match questionnaire.as_str() {
                            "medewerkers" => employees,
                            "leidinggevenden" => managers,
                            other => {
                                return Err(err(&r.id, format!("unknown questionnaire {other}")));
                            }
                        };
                        let q = qn
                            .question(question)
                            .filter(|q| crate::is_choice(q))
                            .ok_or_else(|| {
                                err(&r.id, format!("unknown choice question {question}"))
                            })?;
                        check_options(q, options)?;
                        check_share(&r.id, *min_share)?;
                    }
                    Condition::RosterScan { metric, min } => {
                        if !["short_shift_share", "split_shift_share"].contains(&metric.as_str()) {
                            return Err(err(&r.id, format!("unknown roster metric {metric}")));
                        }
                        check_share(&r.id, *min)?;
                    }
                    Condition::OpenShare { min } => check_share(&r.id, *min)?,
                    Condition::PotentialFte { min } if *min < 0.0 => {
                        return Err(err(&r.id, "minimum below 0".into()));
                    }
                    Condition::PnilCost { min_cents } if *min_cents < 0 => {
                        return Err(err(&r.id, "minimum below 0".into()));
                    }
                    Condition::PotentialFte { .. }
                    | Condition::PnilCost { .. }
                    | Condition::PnilSaving
                    | Condition::Interview { .. } => {}
                }
            }
        }
        Ok(())
    }

    /// The recommendations for these facts, in the order of the interventions table, each
    /// with the reasons of every rule that fired for it.
    pub fn recommend(&self, f: &Facts<'_>) -> Vec<Recommendation> {
        let mut fired: Vec<(String, String, String)> = Vec::new(); // (intervention, rule, reason)
        for r in &self.rules {
            if let Some(finding) = r.when.iter().find_map(|c| finding(c, f)) {
                let reason = r.reason.replace("{finding}", &finding);
                for i in &r.interventions {
                    fired.push((i.clone(), r.id.clone(), reason.clone()));
                }
            }
        }
        self.interventions
            .iter()
            .filter_map(|i| {
                let mine: Vec<&(String, String, String)> =
                    fired.iter().filter(|(c, _, _)| c == &i.code).collect();
                if mine.is_empty() {
                    return None;
                }
                let mut reasons: Vec<&str> = Vec::new();
                for (_, _, reason) in &mine {
                    if !reasons.contains(&reason.as_str()) {
                        reasons.push(reason);
                    }
                }
                Some(Recommendation {
                    intervention: i.name.clone(),
                    code: i.code.clone(),
                    group: i.group.clone(),
                    description: i.description.clone(),
                    reason: reasons.join(" "),
                    rules: mine.iter().map(|(_, r, _)| r.clone()).collect(),
                })
            })
            .collect()
    }
}

fn by_role<'q>(
    qn: &'q Questionnaire,
    role: Role,
    rule: &str,
) -> Result<&'q survey::Question, RulesError> {
    qn.by_role(role).ok_or_else(|| RulesError::Invalid {
        rule: rule.to_string(),
        message: format!("{} has no {role:?} question", qn.key),
    })
}

fn check_share(rule: &str, x: f64) -> Result<(), RulesError> {
    if (0.0..=1.0).contains(&x) {
        Ok(())
    } else {
        Err(RulesError::Invalid {
            rule: rule.to_string(),
            message: format!("share {x} is not between 0 and 1"),
        })
    }
}

/// The Dutch description of the finding, when the condition holds. Conditions on survey
/// figures hold only on figures that are shown (groups of at least k).
fn finding(c: &Condition, f: &Facts<'_>) -> Option<String> {
    let vc = f.value_case;
    let k = vc.min_group_size;
    match c {
        Condition::ConditionInTop { options, top } | Condition::ObstacleInTop { options, top } => {
            let (list, what) = match c {
                Condition::ConditionInTop { .. } => (&vc.conditions, "voorwaarden"),
                _ => (&vc.obstacles, "belemmeringen"),
            };
            list.iter()
                .take(*top)
                .enumerate()
                .find(|(_, o)| options.contains(&o.option))
                .map(|(i, o)| {
                    format!(
                        "'{}' staat op plaats {} van de {what} ({} van wie deze vraag beantwoordde)",
                        o.label,
                        i + 1,
                        pct(o.share)
                    )
                })
        }
        Condition::ManagerObstacle { options, min_share } => {
            let m = vc.managers.as_ref()?;
            m.obstacles
                .options
                .iter()
                .filter(|o| options.contains(&o.option) && o.share >= *min_share)
                .max_by(|a, b| a.share.total_cmp(&b.share))
                .map(|o| {
                    format!(
                        "{} van de leidinggevenden noemt '{}' als belemmering",
                        pct(o.share),
                        o.label
                    )
                })
        }
        Condition::AnswerShare {
            questionnaire,
            question,
            options,
            min_share,
        } => {
            let role = if questionnaire == "leidinggevenden" {
                RespondentRole::Manager
            } else {
                RespondentRole::Employee
            };
            let answered: Vec<&Vec<String>> = f
                .respondents
                .iter()
                .filter(|r| r.role == role)
                .filter_map(|r| r.choices.get(question))
                .collect();
            let n = answered.len() as u64;
            if n < k {
                return None;
            }
            let hit = answered
                .iter()
                .filter(|a| a.iter().any(|c| options.contains(c)))
                .count() as f64
                / n as f64;
            (hit >= *min_share).then(|| {
                // The question and answers as the respondents read them (the rules are
                // checked against version 1 of both questionnaires at load).
                let q = Questionnaire::standard(questionnaire, 1)
                    .ok()
                    .and_then(|qn| qn.question(question));
                let text = q.map_or(question.as_str(), |q| q.text.nl.as_str());
                let label = |o: &str| {
                    q.and_then(|q| q.kind.options().iter().find(|c| c.id == o))
                        .map_or(o.to_string(), |c| c.label.nl.clone())
                };
                format!(
                    "{} van wie de vraag '{text}' beantwoordde, koos {}",
                    pct(hit),
                    options
                        .iter()
                        .map(|o| format!("'{}'", label(o)))
                        .collect::<Vec<_>>()
                        .join(" of ")
                )
            })
        }
        Condition::RosterScan { metric, min } => vc
            .roster_scans
            .iter()
            .map(|s| match metric.as_str() {
                "short_shift_share" => (s, s.short_shift_share, "korte diensten"),
                _ => (s, s.split_shift_share, "gebroken diensten"),
            })
            .filter(|(_, v, _)| v >= min)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(s, v, what)| {
                format!(
                    "in de roosterscan van {} is {} van de diensten {what}",
                    s.scanned_on.format("%d-%m-%Y"),
                    pct(v)
                )
            }),
        Condition::Interview { theme, item } => f.interview.and_then(|i| {
            i.items
                .iter()
                .find(|x| x.theme == *theme && x.kind == *item)
                .map(|_| {
                    format!(
                        "in het interview is een {} genoemd over {}",
                        item.label().to_lowercase(),
                        theme.label().to_lowercase()
                    )
                })
        }),
        Condition::OpenShare { min } => vc
            .survey
            .open_share
            .filter(|s| s >= min)
            .map(|s| format!("{} staat open voor een groter contract", pct(s))),
        Condition::PotentialFte { min } => vc.potential.fte.filter(|x| x >= min).map(|x| {
            format!(
                "het potentieel is {} uur per week ({} fte)",
                crate::nl_number(vc.potential.hours_per_week.unwrap_or(0.0), 1),
                crate::nl_number(x, 2)
            )
        }),
        Condition::PnilCost { min_cents } => vc
            .pnil
            .last_12_months_cost
            .filter(|c| c >= min_cents)
            .map(|c| {
                format!(
                    "de PNIL-kosten van de laatste 12 maanden zijn {}",
                    hr::pnil::format_euro(c)
                )
            }),
        Condition::PnilSaving => match &vc.pnil.replaceable {
            Replaceable::Known {
                hours_per_year,
                saving,
                ..
            } if *saving > 0 => Some(format!(
                "het potentieel kan {} PNIL-uren per jaar vervangen en scheelt dan {}",
                crate::nl_number(*hours_per_year, 0),
                hr::pnil::format_euro(*saving)
            )),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_rules_load_and_name_the_twelve_interventions() {
        let r = Rules::embedded().unwrap();
        let codes: Vec<&str> = r.interventions().iter().map(|i| i.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![
                "value_case",
                "spelregels_speelruimte",
                "workshop_veranderverhaal",
                "communicatiemiddelen",
                "informatiepakketten",
                "werkurenberekenaar",
                "dialoogsessies",
                "goed_gesprek",
                "hr_workshop",
                "roostersessies",
                "opschaalplan",
                "aanbevelingenrapport",
            ]
        );
        // Every intervention but the Value Case itself has a rule that can recommend it.
        for i in &r.interventions()[1..] {
            assert!(
                r.rules().iter().any(|x| x.interventions.contains(&i.code)),
                "no rule for {}",
                i.code
            );
        }
    }

    #[test]
    fn unknown_intervention_question_or_option_is_an_error() {
        let bad_intervention = EMBEDDED.replacen(
            "interventions = [\"roostersessies\"]",
            "interventions = [\"roostersesies\"]",
            1,
        );
        assert_ne!(bad_intervention, EMBEDDED);
        assert!(matches!(
            Rules::from_toml(&bad_intervention),
            Err(RulesError::Invalid { message, .. }) if message.contains("roostersesies")
        ));
        let bad_question =
            EMBEDDED.replacen("question = \"weet_netto\"", "question = \"weet_bruto\"", 1);
        assert_ne!(bad_question, EMBEDDED);
        assert!(matches!(
            Rules::from_toml(&bad_question),
            Err(RulesError::Invalid { message, .. }) if message.contains("weet_bruto")
        ));
        let bad_option = EMBEDDED.replacen("\"langere_diensten\"", "\"lange_diensten\"", 1);
        assert_ne!(bad_option, EMBEDDED);
        assert!(matches!(
            Rules::from_toml(&bad_option),
            Err(RulesError::Invalid { message, .. }) if message.contains("lange_diensten")
        ));
        let bad_theme = EMBEDDED.replacen("theme = \"cultuur\"", "theme = \"sfeer\"", 1);
        assert_ne!(bad_theme, EMBEDDED);
        assert!(matches!(
            Rules::from_toml(&bad_theme),
            Err(RulesError::Parse(_))
        ));
    }
}
