//! Regions and the regional picture as application services: region CRUD with the audit
//! log, who may see a region, and the picture and an organisation's own view computed by
//! the pure `region` crate from figures the caller supplies (the Value Case per
//! organisation).
//!
//! The figures are checked against the store: every organisation must belong to the
//! region, and its subsector and full-time week are the stored ones, so a caller cannot
//! place an organisation in a subsector where it would escape the disclosure rules.

use region::{OrgFigures, OwnView, Policy, RegionalPicture};
use store::{Actor, Region, Role, Store, User};

use crate::{AppError, AppResult};

/// What a user may see of a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionAccess {
    /// The region's aggregates (the regional picture), never one organisation's figures.
    Aggregates,
}

/// Whether `user` may see region `region_id`'s aggregates: a programme admin without
/// region grants sees every region, one with grants (and any user given the region, such
/// as a "regio-lezer") sees those; an organisation admin sees its own organisation's
/// region; managers and planners see no regional picture.
pub async fn region_access(store: &Store, user: &User, region_id: i64) -> AppResult<RegionAccess> {
    store.region(region_id).await?;
    if !user.active {
        return Err(AppError::Forbidden);
    }
    let granted = store.user_region_ids(user.id).await?;
    let allowed = match user.role {
        Role::ProgrammeAdmin => granted.is_empty() || granted.contains(&region_id),
        Role::OrgAdmin => {
            granted.contains(&region_id)
                || match user.org_id {
                    Some(org) => store.organisation_region(org).await?.id == region_id,
                    None => false,
                }
        }
        _ => granted.contains(&region_id),
    };
    if allowed {
        Ok(RegionAccess::Aggregates)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The regions a user may see.
pub async fn visible_regions(store: &Store, user: &User) -> AppResult<Vec<Region>> {
    let mut out = Vec::new();
    for r in store.regions().await? {
        if region_access(store, user, r.id).await.is_ok() {
            out.push(r);
        }
    }
    Ok(out)
}

fn policy_of(region: &Region) -> AppResult<Policy> {
    let to_u32 = |x: i64| u32::try_from(x).unwrap_or(0);
    Policy::new(to_u32(region.min_orgs), to_u32(region.dominance_percent)).map_err(|e| {
        AppError::Invalid {
            field: "policy",
            message: e.to_string(),
        }
    })
}

fn invalid(field: &'static str, e: impl std::fmt::Display) -> AppError {
    AppError::Invalid {
        field,
        message: e.to_string(),
    }
}

/// Creates a region (thresholds never below 3 organisations and 50%).
pub async fn create_region(
    store: &Store,
    actor: &Actor,
    name: &str,
    min_orgs: i64,
    dominance_percent: i64,
) -> AppResult<Region> {
    let r = store
        .create_region(name, min_orgs, dominance_percent)
        .await?;
    store
        .audit(
            actor,
            None,
            "region.create",
            &r.name,
            &format!("min_orgs={min_orgs} dominance={dominance_percent}"),
        )
        .await?;
    Ok(r)
}

/// Changes a region's thresholds.
pub async fn set_region_policy(
    store: &Store,
    actor: &Actor,
    region_id: i64,
    min_orgs: i64,
    dominance_percent: i64,
) -> AppResult<Region> {
    let r = store
        .set_region_policy(region_id, min_orgs, dominance_percent)
        .await?;
    store
        .audit(
            actor,
            None,
            "region.policy",
            &r.name,
            &format!("min_orgs={min_orgs} dominance={dominance_percent}"),
        )
        .await?;
    Ok(r)
}

/// Moves an organisation to the region named `region_name` (case-insensitive).
pub async fn set_organisation_region(
    store: &Store,
    actor: &Actor,
    org_id: i64,
    region_name: &str,
) -> AppResult<Region> {
    let region = store.find_region(region_name).await.map_err(|e| match e {
        store::StoreError::NotFound => AppError::Invalid {
            field: "region",
            message: format!("Er is geen regio '{}'.", region_name.trim()),
        },
        other => other.into(),
    })?;
    store.set_organisation_region(org_id, region.id).await?;
    store
        .audit(actor, Some(org_id), "org.region", &region.name, "")
        .await?;
    Ok(region)
}

/// Deletes a region without organisations (never the first region).
pub async fn delete_region(store: &Store, actor: &Actor, region_id: i64) -> AppResult<()> {
    let r = store.region(region_id).await?;
    store.delete_region(region_id).await?;
    store
        .audit(actor, None, "region.delete", &r.name, "")
        .await?;
    Ok(())
}

/// Checks the figures against the store and fills in the stored subsector and full-time
/// week: every organisation must belong to the region.
async fn checked_figures(
    store: &Store,
    region: &Region,
    inputs: Vec<OrgFigures>,
) -> AppResult<Vec<OrgFigures>> {
    let members: std::collections::BTreeMap<i64, store::RegionOrganisation> = store
        .region_organisations(region.id)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    inputs
        .into_iter()
        .map(|mut f| {
            let org = members.get(&f.org_id).ok_or_else(|| AppError::Invalid {
                field: "org_id",
                message: format!(
                    "Organisatie {} hoort niet bij regio {}.",
                    f.org_id, region.name
                ),
            })?;
            f.subsector = org.subsector.code().to_string();
            f.fulltime_hours = org.fulltime_hours;
            Ok(f)
        })
        .collect()
}

/// The regional picture of a region from its organisations' figures, under the region's
/// own thresholds.
pub async fn regional_picture(
    store: &Store,
    region_id: i64,
    inputs: Vec<OrgFigures>,
) -> AppResult<RegionalPicture> {
    let region = store.region(region_id).await?;
    let policy = policy_of(&region)?;
    let figures = checked_figures(store, &region, inputs).await?;
    let picture = region::regional_picture(&region.name, &policy, &figures)
        .map_err(|e| invalid("figures", e))?;
    tracing::debug!(
        region = region.id,
        organisations = figures.len(),
        "regional picture computed"
    );
    Ok(picture)
}

/// One organisation's own view: its figures next to its subsector in the region, the
/// region and the national benchmark. `inputs` are the region's figures (the
/// organisation's among them, in the period to show).
pub async fn organisation_view(
    store: &Store,
    org_id: i64,
    period: &str,
    inputs: Vec<OrgFigures>,
) -> AppResult<OwnView> {
    let region = store.organisation_region(org_id).await?;
    let policy = policy_of(&region)?;
    let figures = checked_figures(store, &region, inputs).await?;
    let own = figures
        .iter()
        .find(|f| f.org_id == org_id && f.period == period)
        .cloned()
        .ok_or_else(|| AppError::Invalid {
            field: "period",
            message: format!("Er zijn geen cijfers van deze organisatie voor periode {period}."),
        })?;
    let picture = region::regional_picture(&region.name, &policy, &figures)
        .map_err(|e| invalid("figures", e))?;
    let benchmarks = region::SectorBenchmarks::embedded().map_err(|e| invalid("benchmark", e))?;
    region::own_view(&picture, &benchmarks, &own).map_err(|e| invalid("figures", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use region::OptionCount;
    use store::testing::TestDb;
    use store::{NewUser, OrganisationInput, Subsector};

    fn figures(org_id: i64, employees: u64) -> OrgFigures {
        OrgFigures {
            org_id,
            subsector: "wordt_overschreven".into(),
            period: "2026".into(),
            employees,
            contract_hours_sum: employees as f64 * 25.0,
            fulltime_hours: 1.0,
            respondents: employees / 2,
            open_count: employees / 4,
            sure_count: employees / 8,
            conditional_count: employees / 8,
            potential_hours_per_week: employees as f64,
            potential_fte: employees as f64 / 36.0,
            pnil_last_12_months_cost_cents: Some(100_000),
            conditions: vec![OptionCount {
                option: "vaste_dagen".into(),
                count: 1,
            }],
            obstacles: vec![],
        }
    }

    async fn user(s: &Store, email: &str, role: Role, org_id: Option<i64>) -> User {
        s.create_user(&NewUser {
            email: email.into(),
            name: email.into(),
            role,
            org_id,
            team_ids: vec![],
            password_hash: None,
        })
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn picture_view_and_access_on_every_backend() {
        for db in TestDb::all().await.unwrap() {
            let s = db.store.clone();
            let twente = s.default_region().await.unwrap();
            let mut ids = Vec::new();
            for (name, sub) in [
                ("A", Subsector::Vvt),
                ("B", Subsector::Vvt),
                ("C", Subsector::Vvt),
                ("D", Subsector::Ggz),
            ] {
                ids.push(
                    s.create_organisation(&OrganisationInput::new(name, sub))
                        .await
                        .unwrap()
                        .id,
                );
            }
            let inputs: Vec<OrgFigures> = ids.iter().map(|id| figures(*id, 100)).collect();
            let p = regional_picture(&s, twente.id, inputs.clone())
                .await
                .unwrap();
            assert_eq!(p.region, "Twente");
            // The stored subsector counts, not the caller's; GGZ (one organisation) and,
            // complementary, VVT are hidden, the total of four is shown.
            assert_eq!(
                p.subsectors
                    .iter()
                    .map(|r| (r.subsector.clone().unwrap(), r.employees))
                    .collect::<Vec<_>>(),
                vec![("ggz".to_string(), None), ("vvt".to_string(), None)]
            );
            assert_eq!(p.total.employees, Some(400));
            // Full-time week from the store (36), not the caller's 1.
            assert_eq!(p.total.deeltijdfactor, Some(0.6944));

            let v = organisation_view(&s, ids[0], "2026", inputs.clone())
                .await
                .unwrap();
            assert_eq!(v.organisation.employees, 100);
            assert_eq!(v.subsector.employees, None);
            assert!(v.national.iter().any(|n| n.value == 24.9));

            // Figures of an organisation of another region are refused.
            let actor = Actor::cli();
            let salland = create_region(&s, &actor, "Salland", 3, 50).await.unwrap();
            set_organisation_region(&s, &actor, ids[3], "salland")
                .await
                .unwrap();
            assert!(matches!(
                regional_picture(&s, twente.id, inputs.clone()).await,
                Err(AppError::Invalid {
                    field: "org_id",
                    ..
                })
            ));
            assert!(matches!(
                set_organisation_region(&s, &actor, ids[3], "Nergens").await,
                Err(AppError::Invalid {
                    field: "region",
                    ..
                })
            ));
            assert!(create_region(&s, &actor, "Zwak", 2, 50).await.is_err());
            let r = set_region_policy(&s, &actor, salland.id, 4, 40)
                .await
                .unwrap();
            assert_eq!(r.min_orgs, 4);

            // Access.
            let admin = user(&s, "admin@x.nl", Role::ProgrammeAdmin, None).await;
            assert!(region_access(&s, &admin, salland.id).await.is_ok());
            let reader = user(&s, "lezer@x.nl", Role::ProgrammeAdmin, None).await;
            s.grant_region(reader.id, salland.id).await.unwrap();
            assert!(region_access(&s, &reader, salland.id).await.is_ok());
            assert!(matches!(
                region_access(&s, &reader, twente.id).await,
                Err(AppError::Forbidden)
            ));
            assert_eq!(
                visible_regions(&s, &reader)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.id)
                    .collect::<Vec<_>>(),
                vec![salland.id]
            );
            let org_admin = user(&s, "hr@a.nl", Role::OrgAdmin, Some(ids[0])).await;
            assert!(region_access(&s, &org_admin, twente.id).await.is_ok());
            assert!(region_access(&s, &org_admin, salland.id).await.is_err());
            let manager = user(&s, "m@a.nl", Role::Manager, Some(ids[0])).await;
            assert!(region_access(&s, &manager, twente.id).await.is_err());

            delete_region(&s, &actor, salland.id).await.unwrap_err();
            set_organisation_region(&s, &actor, ids[3], "Twente")
                .await
                .unwrap();
            delete_region(&s, &actor, salland.id).await.unwrap();
            let log = s.audit_entries(20, None).await.unwrap();
            assert!(log.iter().any(|e| e.action == "region.delete"));
            db.cleanup().await.unwrap();
        }
    }
}
