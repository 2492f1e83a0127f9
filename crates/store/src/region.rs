//! Regions (issue 30): the regions of the platform with their disclosure thresholds, which
//! organisations belong to which region, and which users may see a region.
//!
//! An organisation whose `region_id` is NULL (created by code that does not set one) belongs
//! to the platform's first region (the lowest id); migration 0008 creates "Twente" as that
//! region and links every organisation that existed then.

use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, StoreResult, Subsector, Violation};

/// The lowest disclosure thresholds a region may have (the database CHECKs the same).
pub const REGION_MIN_ORGS_FLOOR: i64 = 3;
pub const REGION_DOMINANCE_CEILING: i64 = 50;

/// A region with its disclosure thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    pub id: i64,
    pub name: String,
    /// A regional figure is shown only when at least this many organisations contribute.
    pub min_orgs: i64,
    /// … and no organisation contributes more than this percentage of a count or money total.
    pub dominance_percent: i64,
    pub created_at: i64,
}

/// An organisation of a region, as the regional picture needs it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegionOrganisation {
    pub id: i64,
    pub name: String,
    pub subsector: Subsector,
    pub fulltime_hours: f64,
}

const REGION_COLUMNS: &str = "id, name, min_orgs, dominance_percent, created_at FROM regions";

/// The region an organisation belongs to: its own, else the first region.
const ORG_REGION: &str = "COALESCE(o.region_id, (SELECT MIN(id) FROM regions))";

fn region_from_row(row: &AnyRow) -> StoreResult<Region> {
    Ok(Region {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        min_orgs: row.try_get("min_orgs")?,
        dominance_percent: row.try_get("dominance_percent")?,
        created_at: row.try_get("created_at")?,
    })
}

fn check_thresholds(min_orgs: i64, dominance_percent: i64) -> StoreResult<()> {
    if min_orgs < REGION_MIN_ORGS_FLOOR {
        return Err(StoreError::invalid(
            "min_orgs",
            Violation::RegionMinOrgs {
                floor: REGION_MIN_ORGS_FLOOR,
            },
        ));
    }
    if !(1..=REGION_DOMINANCE_CEILING).contains(&dominance_percent) {
        return Err(StoreError::invalid(
            "dominance_percent",
            Violation::RegionDominance {
                ceiling: REGION_DOMINANCE_CEILING,
            },
        ));
    }
    Ok(())
}

fn clean_region_name(name: &str) -> StoreResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(StoreError::invalid(
            "name",
            Violation::NameLength { max: 80 },
        ));
    }
    crate::text::check_name("name", name)?;
    Ok(name.to_string())
}

impl Store {
    /// All regions, the first (default) region first.
    pub async fn regions(&self) -> StoreResult<Vec<Region>> {
        let sql = format!("SELECT {REGION_COLUMNS} ORDER BY id");
        sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(region_from_row)
            .collect()
    }

    pub async fn region(&self, id: i64) -> StoreResult<Region> {
        let sql = format!("SELECT {REGION_COLUMNS} WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        region_from_row(&row)
    }

    /// The region with this name (case-insensitive).
    pub async fn find_region(&self, name: &str) -> StoreResult<Region> {
        let sql = format!("SELECT {REGION_COLUMNS} WHERE LOWER(name) = LOWER($1)");
        let row = sqlx::query(&sql)
            .bind(name.trim())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        region_from_row(&row)
    }

    /// The platform's first region (the default for new organisations).
    pub async fn default_region(&self) -> StoreResult<Region> {
        let sql = format!("SELECT {REGION_COLUMNS} ORDER BY id LIMIT 1");
        let row = sqlx::query(&sql)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        region_from_row(&row)
    }

    /// Creates a region with the given thresholds (never below 3 organisations and 50%).
    pub async fn create_region(
        &self,
        name: &str,
        min_orgs: i64,
        dominance_percent: i64,
    ) -> StoreResult<Region> {
        let name = clean_region_name(name)?;
        check_thresholds(min_orgs, dominance_percent)?;
        let row = sqlx::query(
            "INSERT INTO regions (name, min_orgs, dominance_percent, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(&name)
        .bind(min_orgs)
        .bind(dominance_percent)
        .bind(crate::now())
        .fetch_one(&self.pool)
        .await
        .map_err(|e| {
            if Store::is_unique_violation(&e) {
                StoreError::Conflict(name.clone())
            } else {
                e.into()
            }
        })?;
        self.region(row.try_get("id")?).await
    }

    /// Changes a region's disclosure thresholds (never below the floor).
    pub async fn set_region_policy(
        &self,
        id: i64,
        min_orgs: i64,
        dominance_percent: i64,
    ) -> StoreResult<Region> {
        check_thresholds(min_orgs, dominance_percent)?;
        let done =
            sqlx::query("UPDATE regions SET min_orgs = $1, dominance_percent = $2 WHERE id = $3")
                .bind(min_orgs)
                .bind(dominance_percent)
                .bind(id)
                .execute(&self.pool)
                .await?;
        crate::require_found(&done)?;
        self.region(id).await
    }

    /// Moves an organisation to a region.
    pub async fn set_organisation_region(&self, org_id: i64, region_id: i64) -> StoreResult<()> {
        self.region(region_id).await?;
        let done = sqlx::query("UPDATE organisations SET region_id = $1 WHERE id = $2")
            .bind(region_id)
            .bind(org_id)
            .execute(&self.pool)
            .await?;
        crate::require_found(&done)
    }

    /// The region an organisation belongs to.
    pub async fn organisation_region(&self, org_id: i64) -> StoreResult<Region> {
        let sql = format!("SELECT {ORG_REGION} AS region_id FROM organisations o WHERE o.id = $1");
        let row = sqlx::query(&sql)
            .bind(org_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let region_id: Option<i64> = row.try_get("region_id")?;
        self.region(region_id.ok_or(StoreError::NotFound)?).await
    }

    /// A region's organisations with their subsector, by subsector then name.
    pub async fn region_organisations(
        &self,
        region_id: i64,
    ) -> StoreResult<Vec<RegionOrganisation>> {
        const SQL: &str = "SELECT o.id, o.name, o.subsector, o.fulltime_hours \
             FROM organisations o WHERE o.region_id = $1 \
             OR (o.region_id IS NULL AND $1 = (SELECT MIN(id) FROM regions)) \
             ORDER BY o.subsector, o.name";
        sqlx::query(SQL)
            .bind(region_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                Ok(RegionOrganisation {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    subsector: row.try_get::<String, _>("subsector")?.parse()?,
                    fulltime_hours: row.try_get("fulltime_hours")?,
                })
            })
            .collect()
    }

    /// Deletes a region that has no organisations (the first region cannot be deleted: it
    /// holds organisations without a region of their own).
    pub async fn delete_region(&self, id: i64) -> StoreResult<()> {
        let first = self.default_region().await?;
        if first.id == id {
            return Err(StoreError::Conflict(
                "de eerste regio is de standaardregio en blijft bestaan".into(),
            ));
        }
        if !self.region_organisations(id).await?.is_empty() {
            return Err(StoreError::Conflict(
                "de regio heeft nog organisaties; verplaats die eerst".into(),
            ));
        }
        let done = sqlx::query("DELETE FROM regions WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        crate::require_found(&done)
    }

    /// Lets a user see a region (a regional programme admin or a "regio-lezer").
    pub async fn grant_region(&self, user_id: i64, region_id: i64) -> StoreResult<()> {
        self.region(region_id).await?;
        sqlx::query(
            "INSERT INTO user_regions (user_id, region_id) VALUES ($1, $2) \
             ON CONFLICT (user_id, region_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(region_id)
        .execute(&self.pool)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
            _ => e.into(),
        })?;
        Ok(())
    }

    pub async fn revoke_region(&self, user_id: i64, region_id: i64) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM user_regions WHERE user_id = $1 AND region_id = $2")
            .bind(user_id)
            .bind(region_id)
            .execute(&self.pool)
            .await?;
        crate::require_found(&done)
    }

    /// The regions a user was given, by id.
    pub async fn user_region_ids(&self, user_id: i64) -> StoreResult<Vec<i64>> {
        sqlx::query("SELECT region_id FROM user_regions WHERE user_id = $1 ORDER BY region_id")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(r.try_get("region_id")?))
            .collect()
    }
}
