//! Who may see and do what. Every application service asks here before it acts; pages,
//! API and command line only say who is asking ([`Caller`]).
//!
//! Data of another organisation answers "not found" (its existence is not revealed);
//! an action the role may not take in its own scope answers "forbidden".

use store::{Actor, Role, Team, User};

use crate::AppError;

/// Who asks for a service: a signed-in user (page session or API token), or the operator
/// at the command line, who has the database itself and so may do everything.
#[derive(Debug, Clone, Copy)]
pub enum Caller<'a> {
    User(&'a User),
    Operator,
}

impl<'a> From<&'a User> for Caller<'a> {
    fn from(user: &'a User) -> Self {
        Caller::User(user)
    }
}

impl Caller<'_> {
    /// The actor the audit log records (see [`crate::audit::actor`]).
    pub fn actor(&self) -> Actor {
        match self {
            Caller::User(u) => crate::audit::actor(u),
            Caller::Operator => Actor::cli(),
        }
    }

    pub fn is_programme_admin(&self) -> bool {
        match self {
            Caller::User(u) => is_programme_admin(u),
            Caller::Operator => true,
        }
    }

    pub fn require_admin_org(&self, org_id: i64) -> Result<(), AppError> {
        match self {
            Caller::User(u) => require_admin_org(u, org_id),
            Caller::Operator => Ok(()),
        }
    }

    pub fn require_view_org(&self, org_id: i64) -> Result<(), AppError> {
        match self {
            Caller::User(u) => require_view_org(u, org_id),
            Caller::Operator => Ok(()),
        }
    }

    /// The signed-in user's id (none for the operator), for "recorded by" columns.
    pub fn user_id(&self) -> Option<i64> {
        match self {
            Caller::User(u) => Some(u.id),
            Caller::Operator => None,
        }
    }

    /// See [`require_value_case_view`].
    pub fn require_value_case_view(&self, org_id: i64) -> Result<(), AppError> {
        match self {
            Caller::User(u) => require_value_case_view(u, org_id),
            Caller::Operator => Ok(()),
        }
    }

    /// See [`require_value_case_edit`].
    pub fn require_value_case_edit(&self, org_id: i64) -> Result<(), AppError> {
        match self {
            Caller::User(u) => require_value_case_edit(u, org_id),
            Caller::Operator => Ok(()),
        }
    }

    /// The programme's overviews over every organisation.
    pub fn require_programme_admin(&self) -> Result<(), AppError> {
        match self {
            Caller::User(u) => require_programme_admin(u),
            Caller::Operator => Ok(()),
        }
    }
}

pub fn is_programme_admin(user: &User) -> bool {
    user.role == Role::ProgrammeAdmin
}

/// Reads of an organisation's own pages: anyone of that organisation, and the programme.
pub fn can_view_org(user: &User, org_id: i64) -> bool {
    is_programme_admin(user) || user.org_id == Some(org_id)
}

/// Changes to locations, teams and accounts of an organisation.
pub fn can_admin_org(user: &User, org_id: i64) -> bool {
    is_programme_admin(user) || (user.role == Role::OrgAdmin && user.org_id == Some(org_id))
}

/// A manager sees the aggregated data of their own teams; a planner their own teams'
/// rosters; organisation admins all teams of their organisation.
pub fn can_view_team(user: &User, team: &Team) -> bool {
    match user.role {
        Role::ProgrammeAdmin => true,
        Role::OrgAdmin => user.org_id == Some(team.org_id),
        Role::Manager | Role::Planner => {
            user.org_id == Some(team.org_id) && user.team_ids.contains(&team.id)
        }
        Role::RegioLezer => false,
    }
}

/// Managing another account: the programme admin any; an organisation admin the accounts
/// of their own organisation (never a programme admin).
pub fn can_manage_user(actor: &User, target: &User) -> bool {
    match actor.role {
        Role::ProgrammeAdmin => true,
        Role::OrgAdmin => target.org_id.is_some() && target.org_id == actor.org_id,
        _ => false,
    }
}

/// Roles an actor may hand out.
pub fn can_grant_role(actor: &User, role: Role) -> bool {
    match actor.role {
        Role::ProgrammeAdmin => true,
        // Roles of their own organisation only: never the programme or a regio-lezer.
        Role::OrgAdmin => role.needs_org(),
        _ => false,
    }
}

/// Not found when the organisation is not the user's, forbidden when it is but the role
/// may not administer it.
pub fn require_admin_org(user: &User, org_id: i64) -> Result<(), AppError> {
    if !can_view_org(user, org_id) {
        return Err(AppError::NotFound);
    }
    if !can_admin_org(user, org_id) {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

pub fn require_view_org(user: &User, org_id: i64) -> Result<(), AppError> {
    if can_view_org(user, org_id) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

pub fn require_programme_admin(user: &User) -> Result<(), AppError> {
    if is_programme_admin(user) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Reading an organisation's Value Case and its Fase 0 checklist: the programme, and the
/// organisation's admins and managers (planners see no survey results: forbidden).
/// Another organisation: not found. The interview is read with [`require_view_org`]
/// (everyone of the organisation).
pub fn require_value_case_view(user: &User, org_id: i64) -> Result<(), AppError> {
    require_view_org(user, org_id)?;
    match user.role {
        Role::ProgrammeAdmin | Role::OrgAdmin | Role::Manager => Ok(()),
        Role::Planner | Role::RegioLezer => Err(AppError::Forbidden),
    }
}

/// Editing the interview and sharing the Value Case: the programme and the organisation's
/// admins.
pub fn require_value_case_edit(user: &User, org_id: i64) -> Result<(), AppError> {
    require_value_case_view(user, org_id)?;
    require_admin_org(user, org_id)
}

/// Reading a team's roster scans and designs (issue 32): the programme, the
/// organisation's admins (every team, pseudonymised), and the team's own managers and
/// planners. The regio-lezer never.
pub fn can_view_roster(user: &User, team: &Team) -> bool {
    can_view_team(user, team)
}

/// Uploading a team's roster and starting or cancelling a design: the programme, the
/// organisation's admins and the team's own planners (managers read only).
pub fn can_edit_roster(user: &User, team: &Team) -> bool {
    match user.role {
        Role::ProgrammeAdmin | Role::OrgAdmin | Role::Planner => can_view_team(user, team),
        Role::Manager | Role::RegioLezer => false,
    }
}

/// Names in a roster (where the planner uploaded them): only the team's own planners.
pub fn can_see_roster_names(user: &User, team: &Team) -> bool {
    user.role == Role::Planner
        && user.org_id == Some(team.org_id)
        && user.team_ids.contains(&team.id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, org: Option<i64>, teams: Vec<i64>) -> User {
        User {
            id: 1,
            email: "a@b.nl".into(),
            name: "A".into(),
            role,
            org_id: org,
            active: true,
            has_password: true,
            created_at: 0,
            team_ids: teams,
        }
    }

    #[test]
    fn scopes() {
        let team = Team {
            id: 7,
            org_id: 2,
            location_id: None,
            name: "T".into(),
        };
        let pa = user(Role::ProgrammeAdmin, None, vec![]);
        let oa = user(Role::OrgAdmin, Some(2), vec![]);
        let oa_other = user(Role::OrgAdmin, Some(3), vec![]);
        let mgr = user(Role::Manager, Some(2), vec![7]);
        let mgr_other_team = user(Role::Manager, Some(2), vec![8]);
        assert!(can_admin_org(&pa, 2) && can_admin_org(&oa, 2));
        assert!(!can_admin_org(&oa_other, 2) && !can_admin_org(&mgr, 2));
        assert!(can_view_team(&mgr, &team) && !can_view_team(&mgr_other_team, &team));
        assert!(!can_view_team(&oa_other, &team));
        assert!(matches!(
            require_admin_org(&mgr, 2),
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            require_admin_org(&oa_other, 2),
            Err(AppError::NotFound)
        ));
        assert!(!can_grant_role(&oa, Role::ProgrammeAdmin) && can_grant_role(&oa, Role::Planner));
        assert!(!can_manage_user(&oa, &pa) && can_manage_user(&oa, &mgr));
        assert!(!can_manage_user(&oa_other, &mgr));
    }
}
