//! The regional picture's pre-aggregation (migration 0013): per organisation one JSON
//! document of figures (made by `app::region` from the organisation's Value Cases; this
//! crate does not read it) kept with the organisation's data version.
//!
//! Every write in this crate that changes what a Value Case reads — HR snapshots, PNIL,
//! the wage cost, survey rounds' status, responses and invited counts, teams, and the
//! organisation's own settings — runs [`TOUCH_ORG`] (or [`TOUCH_ORG_OF_ROUND`]) in the
//! same transaction, so a kept document is current exactly when its version equals the
//! organisation's `data_version`.

use sqlx::Row;

use crate::{RegionOrganisation, Store, StoreResult};

/// Marks an organisation's data as changed (`$1`: the organisation's id).
pub(crate) const TOUCH_ORG: &str =
    "UPDATE organisations SET data_version = data_version + 1 WHERE id = $1";
/// Marks the organisation of survey round `$1` as changed.
pub(crate) const TOUCH_ORG_OF_ROUND: &str = "UPDATE organisations SET data_version = \
     data_version + 1 WHERE id = (SELECT org_id FROM survey_rounds WHERE id = $1)";

/// An organisation of a region with its data version and its kept figures, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptFigures {
    pub organisation: RegionOrganisation,
    /// The organisation's data version now.
    pub data_version: i64,
    /// The kept document and the data version it was made from.
    pub kept: Option<(i64, String)>,
}

impl KeptFigures {
    /// The kept document when it is current.
    pub fn current(&self) -> Option<&str> {
        self.kept
            .as_ref()
            .filter(|(v, _)| *v == self.data_version)
            .map(|(_, json)| json.as_str())
    }
}

impl Store {
    /// A region's organisations (by subsector, then name) with their data versions and
    /// kept figures, in one query.
    pub async fn region_kept_figures(&self, region_id: i64) -> StoreResult<Vec<KeptFigures>> {
        const SQL: &str = "SELECT o.id, o.name, o.subsector, o.fulltime_hours, o.data_version, \
             f.data_version AS kept_version, f.figures \
             FROM organisations o LEFT JOIN org_figures f ON f.org_id = o.id \
             WHERE o.region_id = $1 \
             OR (o.region_id IS NULL AND $1 = (SELECT MIN(id) FROM regions)) \
             ORDER BY o.subsector, o.name";
        sqlx::query(SQL)
            .bind(region_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                let kept_version: Option<i64> = row.try_get("kept_version")?;
                let figures: Option<String> = row.try_get("figures")?;
                Ok(KeptFigures {
                    organisation: RegionOrganisation {
                        id: row.try_get("id")?,
                        name: row.try_get("name")?,
                        subsector: row.try_get::<String, _>("subsector")?.parse()?,
                        fulltime_hours: row.try_get("fulltime_hours")?,
                    },
                    data_version: row.try_get("data_version")?,
                    kept: kept_version.zip(figures),
                })
            })
            .collect()
    }

    /// Keeps an organisation's figures made from its data at `data_version` (replacing
    /// what was kept). A document made from older data than the kept one is not stored.
    pub async fn keep_org_figures(
        &self,
        org_id: i64,
        data_version: i64,
        figures: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO org_figures (org_id, data_version, figures, computed_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (org_id) DO UPDATE SET \
             data_version = excluded.data_version, figures = excluded.figures, \
             computed_at = excluded.computed_at \
             WHERE org_figures.data_version <= excluded.data_version",
        )
        .bind(org_id)
        .bind(data_version)
        .bind(figures)
        .bind(crate::now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The ids of up to `limit` organisations whose kept figures are missing or out of
    /// date, lowest id first.
    pub async fn stale_org_figures(&self, limit: i64) -> StoreResult<Vec<i64>> {
        let rows = sqlx::query(
            "SELECT o.id FROM organisations o LEFT JOIN org_figures f ON f.org_id = o.id \
             WHERE f.org_id IS NULL OR f.data_version <> o.data_version ORDER BY o.id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok(r.try_get::<i64, _>("id")?))
            .collect()
    }

    /// The data version of an organisation.
    pub async fn org_data_version(&self, org_id: i64) -> StoreResult<i64> {
        let row = sqlx::query("SELECT data_version FROM organisations WHERE id = $1")
            .bind(org_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(crate::StoreError::NotFound)?;
        Ok(row.try_get("data_version")?)
    }
}
