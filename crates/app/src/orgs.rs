//! Organisations, their locations and teams, shared by pages, API and command line. Each
//! service checks access, validates, writes through the store and records the audit entry.

use store::{Location, Organisation, OrganisationInput, Store, Team, User};

use crate::AppError;
use crate::access::{self, Caller};
use crate::audit::actor;

pub async fn create_organisation(
    store: &Store,
    by: Caller<'_>,
    input: &OrganisationInput,
) -> Result<Organisation, AppError> {
    if let Caller::User(by) = by {
        access::require_programme_admin(by)?;
    }
    let org = store.create_organisation(input).await?;
    store
        .audit(
            &by.actor(),
            Some(org.id),
            "organisation.create",
            &org.name,
            &describe_org(&org),
        )
        .await?;
    Ok(org)
}

pub fn describe_org(org: &Organisation) -> String {
    format!(
        "subsector={} voltijd={} minimale_groep={} fase={}",
        org.subsector, org.fulltime_hours, org.min_group_size, org.phase
    )
}

pub async fn update_organisation(
    store: &Store,
    by: &User,
    id: i64,
    input: &OrganisationInput,
) -> Result<Organisation, AppError> {
    access::require_view_org(by, id)?;
    access::require_programme_admin(by)?;
    let org = store.update_organisation(id, input).await?;
    store
        .audit(
            &actor(by),
            Some(id),
            "organisation.update",
            &org.name,
            &describe_org(&org),
        )
        .await?;
    Ok(org)
}

pub async fn delete_organisation(store: &Store, by: &User, id: i64) -> Result<(), AppError> {
    access::require_view_org(by, id)?;
    access::require_programme_admin(by)?;
    let org = store.organisation(id).await?;
    store.delete_organisation(id).await?;
    store
        .audit(&actor(by), None, "organisation.delete", &org.name, "")
        .await?;
    Ok(())
}

pub async fn create_location(
    store: &Store,
    by: &User,
    org_id: i64,
    name: &str,
) -> Result<Location, AppError> {
    access::require_admin_org(by, org_id)?;
    let loc = store.create_location(org_id, name).await?;
    store
        .audit(&actor(by), Some(org_id), "location.create", &loc.name, "")
        .await?;
    Ok(loc)
}

pub async fn delete_location(store: &Store, by: &User, id: i64) -> Result<Location, AppError> {
    let loc = store.location(id).await?;
    access::require_admin_org(by, loc.org_id)?;
    store.delete_location(id).await?;
    store
        .audit(
            &actor(by),
            Some(loc.org_id),
            "location.delete",
            &loc.name,
            "",
        )
        .await?;
    Ok(loc)
}

pub async fn create_team(
    store: &Store,
    by: Caller<'_>,
    org_id: i64,
    name: &str,
    location_id: Option<i64>,
) -> Result<Team, AppError> {
    by.require_admin_org(org_id)?;
    let team = store.create_team(org_id, name, location_id).await?;
    store
        .audit(&by.actor(), Some(org_id), "team.create", &team.name, "")
        .await?;
    Ok(team)
}

pub async fn delete_team(store: &Store, by: &User, id: i64) -> Result<Team, AppError> {
    let team = store.team(id).await?;
    access::require_admin_org(by, team.org_id)?;
    store.delete_team(id).await?;
    store
        .audit(&actor(by), Some(team.org_id), "team.delete", &team.name, "")
        .await?;
    Ok(team)
}

/// Archives a team: kept in the results of earlier survey rounds, left out of lists and
/// new rounds. The way to retire a team with survey data (which cannot be deleted).
pub async fn archive_team(store: &Store, by: &User, id: i64) -> Result<Team, AppError> {
    let team = store.team(id).await?;
    access::require_admin_org(by, team.org_id)?;
    store.archive_team(id).await?;
    store
        .audit(
            &actor(by),
            Some(team.org_id),
            "team.archive",
            &team.name,
            "",
        )
        .await?;
    Ok(team)
}
