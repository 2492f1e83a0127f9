//! The audit log: its one way of naming who did something, the Dutch names of its action
//! codes, and reading it with filters and paging (the programme admin reads all of it, an
//! organisation admin only the entries of their own organisation).

use store::{Actor, AuditEntry, AuditFilter, Role, Store, User};

use crate::{AppError, access};

/// The actor of an action by a signed-in user, the same in every product part:
/// `Name <email>` with the account id.
pub fn actor(user: &User) -> Actor {
    Actor {
        id: Some(user.id),
        label: format!("{} <{}>", user.name, user.email),
    }
}

/// Entries per page of the log.
pub const PAGE_SIZE: i64 = 50;

/// Every action code the product writes to the log, with its Dutch name. A test in
/// `tests/it/audit.rs` reads the source of every crate and fails when an `.audit(…)`
/// call uses a code that is missing here.
pub const ACTION_NAMES: &[(&str, &str)] = &[
    ("action.create", "Actie aangemaakt"),
    ("action.status", "Status van een actie gewijzigd"),
    ("action.update", "Actie gewijzigd"),
    ("api_token.create", "API-sleutel aangemaakt"),
    ("api_token.revoke", "API-sleutel ingetrokken"),
    ("goal.add", "Doel toegevoegd"),
    ("goal.delete", "Doel verwijderd"),
    ("goal.value", "Waarde van een doel ingevuld"),
    ("hr.benchmarks_edit", "Sectorcijfers aangepast"),
    (
        "hr.benchmarks_reset",
        "Meegeleverde sectorcijfers teruggezet",
    ),
    ("hr.import", "HR-bestand ingelezen"),
    ("hr.pnil_add", "PNIL-kosten van een maand ingevoerd"),
    ("hr.pnil_delete", "PNIL-kosten van een maand verwijderd"),
    ("hr.pnil_import", "PNIL-bestand ingelezen"),
    ("hr.snapshot_delete", "Momentopname verwijderd"),
    ("hr.wage_cost", "Loonkosten per fte ingesteld"),
    ("location.create", "Locatie aangemaakt"),
    ("location.delete", "Locatie verwijderd"),
    ("meeting.create", "Overleg vastgelegd"),
    ("org.region", "Organisatie aan een regio gekoppeld"),
    ("organisation.create", "Organisatie aangemaakt"),
    ("organisation.delete", "Organisatie verwijderd"),
    (
        "organisation.export",
        "Alle gegevens van de organisatie gedownload",
    ),
    ("organisation.update", "Organisatie gewijzigd"),
    ("plan.item", "Onderdeel van het plan gewijzigd"),
    ("plan.material", "Materiaal bij het plan toegevoegd"),
    ("plan.prefill", "Plan ingevuld vanuit de Value Case"),
    ("plan.session", "Sessie van het plan vastgelegd"),
    ("practice.share", "Praktijkvoorbeeld gedeeld"),
    ("practice.withdraw", "Praktijkvoorbeeld ingetrokken"),
    ("programme.cohort", "Cohort aangemaakt"),
    (
        "programme.cohort_member_add",
        "Organisatie aan een cohort toegevoegd",
    ),
    (
        "programme.cohort_member_remove",
        "Organisatie uit een cohort gehaald",
    ),
    ("programme.onboarding", "Onboarding bijgewerkt"),
    ("retention.update", "Bewaartermijnen gewijzigd"),
    ("programme.phase", "Programmafase vastgelegd"),
    ("region.create", "Regio aangemaakt"),
    ("region.delete", "Regio verwijderd"),
    ("region.policy", "Drempels van een regio gewijzigd"),
    ("request.add", "Verzoek om meer uren ingediend"),
    ("request.move", "Verzoek om meer uren verplaatst"),
    ("request_form.update", "Aanvraagformulier gewijzigd"),
    ("roster.design", "Roosterontwerp gestart"),
    ("roster.design.cancel", "Roosterontwerp gestopt"),
    ("roster.scan", "Rooster ingelezen"),
    ("round_table.create", "Rondetafel aangemaakt"),
    ("round_table.delete", "Rondetafel verwijderd"),
    ("round_table.update", "Rondetafel gewijzigd"),
    ("survey.codes", "Enquêtecodes gemaakt"),
    ("survey.free_text.approve", "Open antwoord goedgekeurd"),
    (
        "survey.free_text.edit",
        "Open antwoord aangepast en goedgekeurd",
    ),
    ("survey.free_text.withhold", "Open antwoord achtergehouden"),
    ("survey.import", "Enquêteantwoorden ingelezen"),
    (
        "survey.invitations",
        "E-mailadressen voor de enquête opgegeven",
    ),
    ("survey.reminders", "Herinnering voor de enquête verstuurd"),
    ("survey.round.create", "Vragenlijstronde aangemaakt"),
    ("survey.round.delete", "Vragenlijstronde verwijderd"),
    (
        "survey.round.status",
        "Status van een vragenlijstronde gewijzigd",
    ),
    ("team.archive", "Team gearchiveerd"),
    ("team.create", "Team aangemaakt"),
    ("team.delete", "Team verwijderd"),
    ("user.activate", "Account weer aangezet"),
    ("user.change_password", "Eigen wachtwoord gewijzigd"),
    ("user.create", "Account aangemaakt"),
    ("user.deactivate", "Account uitgezet"),
    (
        "user.forgotten_password",
        "Wachtwoordlink aangevraagd via 'wachtwoord vergeten'",
    ),
    ("user.region", "Regio aan een account gegeven"),
    ("user.regions", "Regio's van een account gewijzigd"),
    ("user.reset_password", "Wachtwoordlink gemaakt"),
    ("user.set_password", "Wachtwoord ingesteld via een link"),
    ("user.teams", "Teams van een account gewijzigd"),
];

/// The Dutch name of an action code; an unknown code (an old entry) as "Andere actie".
pub fn action_name(code: &str) -> &'static str {
    ACTION_NAMES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
        .unwrap_or("Andere actie")
}

/// What a reader asked for: the filters (each optional) and the page.
#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    pub org_id: Option<i64>,
    pub actor: Option<String>,
    pub action: Option<String>,
    /// Entries older than this id (the "older" link of the previous page).
    pub before_id: Option<i64>,
}

/// One page of the log.
#[derive(Debug, Clone)]
pub struct LogPage {
    pub entries: Vec<AuditEntry>,
    /// The `before_id` of the next (older) page, when there is one.
    pub older: Option<i64>,
    /// The organisation the reader is held to (an organisation admin's own), if any.
    pub fixed_org: Option<i64>,
}

/// The organisation whose entries `user` may read with the asked `org_id`: a programme
/// admin any (or all with `None`); an organisation admin only their own (asked for or
/// not); another organisation is not found, other roles are forbidden.
pub fn readable_org(user: &User, org_id: Option<i64>) -> Result<Option<i64>, AppError> {
    match user.role {
        Role::ProgrammeAdmin => Ok(org_id),
        Role::OrgAdmin => {
            let own = user.org_id.ok_or(AppError::Forbidden)?;
            match org_id {
                Some(asked) if asked != own => Err(AppError::NotFound),
                _ => Ok(Some(own)),
            }
        }
        _ => {
            if let Some(asked) = org_id {
                access::require_view_org(user, asked)?;
            }
            Err(AppError::Forbidden)
        }
    }
}

/// One page of the log for `user` (newest first, [`PAGE_SIZE`] entries, stable order by id).
pub async fn read(store: &Store, user: &User, q: &LogQuery) -> Result<LogPage, AppError> {
    read_limited(store, user, q, PAGE_SIZE).await
}

/// As [`read`], with a page size of `limit` (1 to 1000; the API's `limit`).
pub async fn read_limited(
    store: &Store,
    user: &User,
    q: &LogQuery,
    limit: i64,
) -> Result<LogPage, AppError> {
    let org = readable_org(user, q.org_id)?;
    let limit = limit.clamp(1, 1000);
    let filter = AuditFilter {
        org_id: org,
        actor: q.actor.clone().filter(|s| !s.trim().is_empty()),
        action: q.action.clone().filter(|s| !s.trim().is_empty()),
        before_id: q.before_id,
    };
    // One more than the page tells whether an older page exists.
    let mut entries = store.audit_entries_filtered(&filter, limit + 1).await?;
    let older = if entries.len() as i64 > limit {
        entries.truncate(limit as usize);
        entries.last().map(|e| e.id)
    } else {
        None
    };
    Ok(LogPage {
        entries,
        older,
        fixed_org: match user.role {
            Role::ProgrammeAdmin => None,
            _ => org,
        },
    })
}

/// The actors and action codes `user` may filter on (those in the entries they may read).
pub async fn choices(
    store: &Store,
    user: &User,
    org_id: Option<i64>,
) -> Result<store::AuditChoices, AppError> {
    let org = readable_org(user, org_id)?;
    Ok(store.audit_choices(org).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_names_are_unique_and_dutch_sentences() {
        let mut codes: Vec<&str> = ACTION_NAMES.iter().map(|(c, _)| *c).collect();
        codes.sort();
        let before = codes.len();
        codes.dedup();
        assert_eq!(before, codes.len(), "a code is listed twice");
        for (code, name) in ACTION_NAMES {
            assert!(
                name.chars().next().is_some_and(char::is_uppercase),
                "{code}: {name}"
            );
            assert!(!name.contains('.') && !name.contains('_'), "{code}: {name}");
        }
        assert_eq!(action_name("organisation.create"), "Organisatie aangemaakt");
        assert_eq!(action_name("bestaat.niet"), "Andere actie");
    }

    fn user(role: Role, org: Option<i64>) -> User {
        User {
            id: 1,
            email: "a@b.example".into(),
            name: "A".into(),
            role,
            org_id: org,
            team_ids: vec![],
            active: true,
            has_password: true,
            created_at: 0,
        }
    }

    #[test]
    fn organisation_admins_read_only_their_own_organisation() {
        let admin = user(Role::OrgAdmin, Some(7));
        assert_eq!(readable_org(&admin, None).unwrap(), Some(7));
        assert_eq!(readable_org(&admin, Some(7)).unwrap(), Some(7));
        assert!(matches!(
            readable_org(&admin, Some(8)),
            Err(AppError::NotFound)
        ));
        let programme = user(Role::ProgrammeAdmin, None);
        assert_eq!(readable_org(&programme, None).unwrap(), None);
        assert_eq!(readable_org(&programme, Some(8)).unwrap(), Some(8));
        for role in [Role::Manager, Role::Planner] {
            assert!(matches!(
                readable_org(&user(role, Some(7)), None),
                Err(AppError::Forbidden)
            ));
            assert!(matches!(
                readable_org(&user(role, Some(7)), Some(8)),
                Err(AppError::NotFound)
            ));
        }
        assert!(matches!(
            readable_org(&user(Role::RegioLezer, None), None),
            Err(AppError::Forbidden)
        ));
    }
}
