//! Round tables and the learning network's practices (issue 30, migration 0009).
//!
//! A round table is stored whole: its details, invited organisations with attendance,
//! outcome items and follow-up actions are written in one transaction, so a failed save
//! leaves the earlier version. Codes (item kind, theme, action status, intervention, size
//! band) are checked by `app` against the domain vocabularies before they get here; this
//! module stores text. A practice's measured effect is never stored.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, StoreResult, Violation};

/// An invited organisation and how many of its people came (`None`: not recorded).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoundTableOrg {
    pub org_id: i64,
    pub name: String,
    pub attendees: Option<i64>,
}

/// One element of the shared picture.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoundTableItem {
    /// `kans`, `belemmering` or `oplossing`.
    pub kind: String,
    /// An interview theme code.
    pub theme: String,
    pub text: String,
    /// A practice of the learning network this item points to.
    pub practice_id: Option<i64>,
}

/// A follow-up action.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoundTableAction {
    pub text: String,
    /// A name, free text.
    pub owner: String,
    /// ISO date.
    pub due_on: String,
    /// `open`, `bezig` or `klaar`.
    pub status: String,
}

/// What a save writes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoundTableInput {
    pub subsector: Option<String>,
    pub title: String,
    /// ISO date.
    pub held_on: String,
    pub place: String,
    /// `(org_id, attendees)`.
    pub invited: Vec<(i64, Option<i64>)>,
    pub items: Vec<RoundTableItem>,
    pub actions: Vec<RoundTableAction>,
}

/// A round table as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoundTable {
    pub id: i64,
    pub region_id: i64,
    /// Subsector code, `None` for a mix.
    pub subsector: Option<String>,
    pub title: String,
    pub held_on: String,
    pub place: String,
    pub invited: Vec<RoundTableOrg>,
    pub items: Vec<RoundTableItem>,
    pub actions: Vec<RoundTableAction>,
    pub updated_at: i64,
}

/// A practice of the learning network as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Practice {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub region_id: i64,
    pub title: String,
    pub intervention: String,
    pub theme: String,
    pub description: String,
    pub subsector: String,
    pub team_type: String,
    pub size_band: String,
    /// ISO date the practice started; the effect compares before and after it.
    pub started_on: String,
    /// Visible to the organisations of every region, not only the sharer's own.
    pub all_regions: bool,
    pub consent_at: i64,
    pub shared_by: Option<i64>,
    pub withdrawn_at: Option<i64>,
    pub team_ids: Vec<i64>,
    /// `(label, url)`.
    pub links: Vec<(String, String)>,
}

/// What sharing a practice writes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PracticeInput {
    pub title: String,
    pub intervention: String,
    pub theme: String,
    pub description: String,
    pub subsector: String,
    pub team_type: String,
    pub size_band: String,
    pub started_on: String,
    pub all_regions: bool,
    pub team_ids: Vec<i64>,
    pub links: Vec<(String, String)>,
}

fn check_date(field: &'static str, s: &str) -> StoreResult<()> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| StoreError::invalid(field, Violation::Date))
}

fn check_text(field: &'static str, s: &str, max: usize) -> StoreResult<()> {
    if s.trim().is_empty() || s.chars().count() > max {
        return Err(StoreError::invalid(field, Violation::NameLength { max }));
    }
    Ok(())
}

const PRACTICE_COLUMNS: &str = "p.id, p.org_id, o.name AS org_name, \
     COALESCE(o.region_id, (SELECT MIN(id) FROM regions)) AS region_id, p.title, \
     p.intervention, p.theme, p.description, p.subsector, p.team_type, p.size_band, \
     p.started_on, p.all_regions, p.consent_at, p.shared_by, p.withdrawn_at \
     FROM practices p JOIN organisations o ON o.id = p.org_id";

fn practice_from_row(row: &AnyRow) -> StoreResult<Practice> {
    Ok(Practice {
        id: row.try_get("id")?,
        org_id: row.try_get("org_id")?,
        org_name: row.try_get("org_name")?,
        region_id: row.try_get::<Option<i64>, _>("region_id")?.unwrap_or(0),
        title: row.try_get("title")?,
        intervention: row.try_get("intervention")?,
        theme: row.try_get("theme")?,
        description: row.try_get("description")?,
        subsector: row.try_get("subsector")?,
        team_type: row.try_get("team_type")?,
        size_band: row.try_get("size_band")?,
        started_on: row.try_get("started_on")?,
        all_regions: row.try_get::<i64, _>("all_regions")? != 0,
        consent_at: row.try_get("consent_at")?,
        shared_by: row.try_get("shared_by")?,
        withdrawn_at: row.try_get("withdrawn_at")?,
        team_ids: Vec::new(),
        links: Vec::new(),
    })
}

impl Store {
    /// The round tables of a region, newest first (details only: no invited list, items
    /// or actions).
    pub async fn round_tables(&self, region_id: i64) -> StoreResult<Vec<RoundTable>> {
        let rows = sqlx::query(
            "SELECT id FROM round_tables WHERE region_id = $1 ORDER BY held_on DESC, id DESC",
        )
        .bind(region_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.round_table(r.try_get("id")?).await?);
        }
        Ok(out)
    }

    /// The ids of the round tables an organisation was invited to.
    pub async fn round_tables_of_org(&self, org_id: i64) -> StoreResult<Vec<i64>> {
        sqlx::query(
            "SELECT round_table_id FROM round_table_orgs WHERE org_id = $1 \
             ORDER BY round_table_id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok(r.try_get("round_table_id")?))
        .collect()
    }

    /// One round table, whole.
    pub async fn round_table(&self, id: i64) -> StoreResult<RoundTable> {
        let row = sqlx::query(
            "SELECT id, region_id, subsector, title, held_on, place, updated_at \
             FROM round_tables WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let invited = sqlx::query(
            "SELECT r.org_id, o.name, r.attendees FROM round_table_orgs r \
             JOIN organisations o ON o.id = r.org_id WHERE r.round_table_id = $1 \
             ORDER BY o.name",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(RoundTableOrg {
                org_id: r.try_get("org_id")?,
                name: r.try_get("name")?,
                attendees: r.try_get("attendees")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        let items = sqlx::query(
            "SELECT kind, theme, body, practice_id FROM round_table_items \
             WHERE round_table_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(RoundTableItem {
                kind: r.try_get("kind")?,
                theme: r.try_get("theme")?,
                text: r.try_get("body")?,
                practice_id: r.try_get("practice_id")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        let actions = sqlx::query(
            "SELECT body, owner, due_on, status FROM round_table_actions \
             WHERE round_table_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(RoundTableAction {
                text: r.try_get("body")?,
                owner: r.try_get("owner")?,
                due_on: r.try_get("due_on")?,
                status: r.try_get("status")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        Ok(RoundTable {
            id: row.try_get("id")?,
            region_id: row.try_get("region_id")?,
            subsector: row.try_get("subsector")?,
            title: row.try_get("title")?,
            held_on: row.try_get("held_on")?,
            place: row.try_get("place")?,
            updated_at: row.try_get("updated_at")?,
            invited,
            items,
            actions,
        })
    }

    /// Creates (`id` `None`) or replaces a round table of `region_id`, whole, in one
    /// transaction. Invited organisations must belong to the region.
    pub async fn save_round_table(
        &self,
        region_id: i64,
        id: Option<i64>,
        input: &RoundTableInput,
        by: Option<i64>,
    ) -> StoreResult<RoundTable> {
        check_text("title", &input.title, 200)?;
        check_text("place", &input.place, 200)?;
        check_date("held_on", &input.held_on)?;
        for a in &input.actions {
            check_date("due_on", &a.due_on)?;
        }
        let members: std::collections::BTreeSet<i64> = self
            .region_organisations(region_id)
            .await?
            .iter()
            .map(|o| o.id)
            .collect();
        if input.invited.iter().any(|(o, _)| !members.contains(o)) {
            return Err(StoreError::invalid(
                "invited",
                Violation::UnknownOrganisation,
            ));
        }
        let now = crate::now();
        let mut tx = self.pool.begin().await?;
        let id = match id {
            None => {
                let row = sqlx::query(
                    "INSERT INTO round_tables (region_id, subsector, title, held_on, place, \
                     created_at, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $6, $7) \
                     RETURNING id",
                )
                .bind(region_id)
                .bind(input.subsector.clone())
                .bind(input.title.trim())
                .bind(&input.held_on)
                .bind(input.place.trim())
                .bind(now)
                .bind(by)
                .fetch_one(&mut *tx)
                .await?;
                row.try_get::<i64, _>("id")?
            }
            Some(id) => {
                let done = sqlx::query(
                    "UPDATE round_tables SET subsector = $1, title = $2, held_on = $3, \
                     place = $4, updated_at = $5, updated_by = $6 \
                     WHERE id = $7 AND region_id = $8",
                )
                .bind(input.subsector.clone())
                .bind(input.title.trim())
                .bind(&input.held_on)
                .bind(input.place.trim())
                .bind(now)
                .bind(by)
                .bind(id)
                .bind(region_id)
                .execute(&mut *tx)
                .await?;
                crate::require_found(&done)?;
                for table in [
                    "round_table_orgs",
                    "round_table_items",
                    "round_table_actions",
                ] {
                    let sql = format!("DELETE FROM {table} WHERE round_table_id = $1");
                    sqlx::query(&sql).bind(id).execute(&mut *tx).await?;
                }
                id
            }
        };
        for (org, attendees) in &input.invited {
            sqlx::query(
                "INSERT INTO round_table_orgs (round_table_id, org_id, attendees) \
                 VALUES ($1, $2, $3) ON CONFLICT (round_table_id, org_id) DO NOTHING",
            )
            .bind(id)
            .bind(*org)
            .bind(*attendees)
            .execute(&mut *tx)
            .await?;
        }
        for (pos, i) in input.items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO round_table_items (round_table_id, position, kind, theme, body, \
                 practice_id) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(pos as i64)
            .bind(&i.kind)
            .bind(&i.theme)
            .bind(i.text.trim())
            .bind(i.practice_id)
            .execute(&mut *tx)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::invalid(
                    "practice_id",
                    Violation::UnknownCode {
                        value: format!("{:?}", i.practice_id),
                        codes: vec![],
                    },
                ),
                _ => e.into(),
            })?;
        }
        for (pos, a) in input.actions.iter().enumerate() {
            sqlx::query(
                "INSERT INTO round_table_actions (round_table_id, position, body, owner, \
                 due_on, status) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(pos as i64)
            .bind(a.text.trim())
            .bind(a.owner.trim())
            .bind(&a.due_on)
            .bind(&a.status)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.round_table(id).await
    }

    pub async fn delete_round_table(&self, id: i64) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM round_tables WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        crate::require_found(&done)
    }

    /// Shares a practice of `org_id` with consent given now by `by`.
    pub async fn share_practice(
        &self,
        org_id: i64,
        input: &PracticeInput,
        by: Option<i64>,
    ) -> StoreResult<Practice> {
        check_text("title", &input.title, 200)?;
        check_text("description", &input.description, 4000)?;
        check_date("started_on", &input.started_on)?;
        let teams: std::collections::BTreeSet<i64> =
            self.teams(org_id).await?.iter().map(|t| t.id).collect();
        if let Some(t) = input.team_ids.iter().find(|t| !teams.contains(t)) {
            return Err(StoreError::invalid(
                "team_ids",
                Violation::TeamOfOtherOrganisation { team_id: *t },
            ));
        }
        let now = crate::now();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO practices (org_id, title, intervention, theme, description, subsector, \
             team_type, size_band, started_on, all_regions, consent_at, shared_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11) RETURNING id",
        )
        .bind(org_id)
        .bind(input.title.trim())
        .bind(&input.intervention)
        .bind(&input.theme)
        .bind(input.description.trim())
        .bind(&input.subsector)
        .bind(input.team_type.trim())
        .bind(&input.size_band)
        .bind(&input.started_on)
        .bind(i64::from(input.all_regions))
        .bind(now)
        .bind(by)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        for t in &input.team_ids {
            sqlx::query(
                "INSERT INTO practice_teams (practice_id, team_id) VALUES ($1, $2) \
                 ON CONFLICT (practice_id, team_id) DO NOTHING",
            )
            .bind(id)
            .bind(*t)
            .execute(&mut *tx)
            .await?;
        }
        for (pos, (label, url)) in input.links.iter().enumerate() {
            sqlx::query(
                "INSERT INTO practice_links (practice_id, position, label, url) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(pos as i64)
            .bind(label.trim())
            .bind(url.trim())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.practice(id).await
    }

    /// One practice (withdrawn ones too: the caller decides what to show).
    pub async fn practice(&self, id: i64) -> StoreResult<Practice> {
        let sql = format!("SELECT {PRACTICE_COLUMNS} WHERE p.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut p = practice_from_row(&row)?;
        self.fill_practice(&mut p).await?;
        Ok(p)
    }

    async fn fill_practice(&self, p: &mut Practice) -> StoreResult<()> {
        p.team_ids = sqlx::query(
            "SELECT team_id FROM practice_teams WHERE practice_id = $1 ORDER BY team_id",
        )
        .bind(p.id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok(r.try_get("team_id")?))
        .collect::<StoreResult<_>>()?;
        p.links = sqlx::query(
            "SELECT label, url FROM practice_links WHERE practice_id = $1 ORDER BY position",
        )
        .bind(p.id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("label")?, r.try_get("url")?)))
        .collect::<StoreResult<_>>()?;
        Ok(())
    }

    /// Practices not withdrawn, newest first, that a member of `region_id` may see: those
    /// of the region's organisations and those shared with every region. `org_id`
    /// narrows to one organisation's practices, withdrawn ones included.
    pub async fn practices(
        &self,
        region_id: Option<i64>,
        org_id: Option<i64>,
    ) -> StoreResult<Vec<Practice>> {
        let sql = format!(
            "SELECT {PRACTICE_COLUMNS} WHERE (CAST($1 AS BIGINT) IS NULL OR p.org_id = $1) \
             AND (CAST($1 AS BIGINT) IS NOT NULL OR p.withdrawn_at IS NULL) \
             AND (CAST($2 AS BIGINT) IS NULL OR p.all_regions = 1 \
                  OR COALESCE(o.region_id, (SELECT MIN(id) FROM regions)) = $2) \
             ORDER BY p.started_on DESC, p.id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(org_id)
            .bind(region_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut p = practice_from_row(r)?;
            self.fill_practice(&mut p).await?;
            out.push(p);
        }
        Ok(out)
    }

    /// Withdraws a practice of `org_id` (hidden everywhere from now on).
    pub async fn withdraw_practice(&self, org_id: i64, id: i64) -> StoreResult<()> {
        let done = sqlx::query(
            "UPDATE practices SET withdrawn_at = $1 \
             WHERE id = $2 AND org_id = $3 AND withdrawn_at IS NULL",
        )
        .bind(crate::now())
        .bind(id)
        .bind(org_id)
        .execute(&self.pool)
        .await?;
        crate::require_found(&done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestDb;
    use crate::{OrganisationInput, Subsector};

    #[tokio::test]
    async fn round_tables_and_practices_round_trip_on_every_backend() {
        for db in TestDb::all().await.unwrap() {
            let s = db.store.clone();
            let region = s.default_region().await.unwrap();
            let a = s
                .create_organisation(&OrganisationInput::new("A", Subsector::Vvt))
                .await
                .unwrap();
            let b = s
                .create_organisation(&OrganisationInput::new("B", Subsector::Vvt))
                .await
                .unwrap();
            let team = s.create_team(a.id, "Berk", None).await.unwrap();
            let p = s
                .share_practice(
                    a.id,
                    &PracticeInput {
                        title: "Vaste dagen".into(),
                        intervention: "roostersessies".into(),
                        theme: "rooster".into(),
                        description: "Roosters met vaste dagen.".into(),
                        subsector: "vvt".into(),
                        team_type: "wijkteam".into(),
                        size_band: "50_250".into(),
                        started_on: "2026-03-01".into(),
                        all_regions: false,
                        team_ids: vec![team.id],
                        links: vec![("Draaiboek".into(), "https://example.org/d".into())],
                    },
                    None,
                )
                .await
                .unwrap();
            assert_eq!(p.team_ids, vec![team.id]);
            assert_eq!(p.links.len(), 1);
            assert_eq!(p.region_id, region.id);
            assert_eq!(s.practices(Some(region.id), None).await.unwrap().len(), 1);

            let input = RoundTableInput {
                subsector: Some("vvt".into()),
                title: "Rondetafel VVT".into(),
                held_on: "2026-10-01".into(),
                place: "Hengelo".into(),
                invited: vec![(a.id, Some(3)), (b.id, None)],
                items: vec![RoundTableItem {
                    kind: "oplossing".into(),
                    theme: "rooster".into(),
                    text: "Samen roosteren".into(),
                    practice_id: Some(p.id),
                }],
                actions: vec![RoundTableAction {
                    text: "Werkgroep starten".into(),
                    owner: "Jan".into(),
                    due_on: "2026-12-01".into(),
                    status: "open".into(),
                }],
            };
            let rt = s
                .save_round_table(region.id, None, &input, None)
                .await
                .unwrap();
            assert_eq!(rt.invited.len(), 2);
            assert_eq!(rt.invited[0].attendees, Some(3));
            assert_eq!(rt.items[0].practice_id, Some(p.id));
            assert_eq!(rt.actions[0].owner, "Jan");
            assert_eq!(s.round_tables_of_org(b.id).await.unwrap(), vec![rt.id]);

            // A bad date in the actions writes nothing.
            let mut bad = input.clone();
            bad.title = "Anders".into();
            bad.actions[0].due_on = "morgen".into();
            assert!(
                s.save_round_table(region.id, Some(rt.id), &bad, None)
                    .await
                    .is_err()
            );
            assert_eq!(s.round_table(rt.id).await.unwrap().title, "Rondetafel VVT");

            // Replacing drops what is no longer listed.
            let mut fewer = input.clone();
            fewer.invited.pop();
            let rt2 = s
                .save_round_table(region.id, Some(rt.id), &fewer, None)
                .await
                .unwrap();
            assert_eq!(rt2.invited.len(), 1);
            assert_eq!(s.round_tables(region.id).await.unwrap().len(), 1);

            // Withdrawal hides the practice from the region, not from its organisation.
            s.withdraw_practice(a.id, p.id).await.unwrap();
            assert!(s.practices(Some(region.id), None).await.unwrap().is_empty());
            assert_eq!(s.practices(None, Some(a.id)).await.unwrap().len(), 1);
            assert!(s.withdraw_practice(b.id, p.id).await.is_err());

            s.delete_round_table(rt.id).await.unwrap();
            assert!(s.round_table(rt.id).await.is_err());
            db.cleanup().await.unwrap();
        }
    }
}
