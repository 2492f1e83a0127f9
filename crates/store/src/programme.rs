//! The programme (issue 31): a region's phases and cohorts, onboarding per organisation,
//! the intervention plan with its sessions and materials, meetings, action lists and the
//! record of e-mail reminders sent (migration 0011).
//!
//! The store checks what the database itself must hold (closed vocabularies, ISO dates, an
//! organisation in at most one cohort, an action's owner and team of the same
//! organisation); the Dutch wording and the access rules live in `app::programme`.

use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::model::{stored_code, vocabulary};
use crate::{Phase, Store, StoreError, StoreResult, Violation};

vocabulary!(
    /// Where an intervention of an organisation's plan stands.
    PlanStatus, "status" {
        Gepland = "gepland", "Gepland";
        Bezig = "bezig", "Bezig";
        Afgerond = "afgerond", "Afgerond";
        NietGekozen = "niet_gekozen", "Niet gekozen";
    }
);

vocabulary!(
    /// Where an action stands.
    ActionStatus, "status" {
        Open = "open", "Open";
        Bezig = "bezig", "Bezig";
        Klaar = "klaar", "Klaar";
    }
);

vocabulary!(
    /// The meetings of the programme's meeting structure.
    MeetingKind, "kind" {
        Stuurgroep = "stuurgroep", "Stuurgroep";
        Projectgroep = "projectgroep", "Projectgroep";
        Dialoogsessie = "dialoogsessie", "Dialoogsessie";
    }
);

vocabulary!(
    /// What an action is linked to.
    LinkKind, "link_kind" {
        Intervention = "intervention", "Interventie";
        Meeting = "meeting", "Overleg";
        RoundTable = "round_table", "Ronde tafel";
    }
);

/// One phase of a region's programme with its dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgrammePhase {
    pub phase: Phase,
    pub starts_on: String,
    pub ends_on: String,
}

/// A cohort: organisations that go through a phase together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cohort {
    pub id: i64,
    pub region_id: i64,
    pub name: String,
    pub phase: Phase,
    pub org_ids: Vec<i64>,
}

/// An organisation's onboarding into the programme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Onboarding {
    pub org_id: i64,
    pub project_lead: String,
    /// The date the board committed to the programme, when it has.
    pub board_commitment_on: Option<String>,
    pub people_reserved: i64,
    /// Hours per week reserved for the programme.
    pub hours_reserved: f64,
    pub notes: String,
    pub updated_at: i64,
}

/// One intervention of an organisation's plan (a stored row; interventions without a row
/// are "niet gekozen").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanItem {
    pub id: i64,
    pub org_id: i64,
    /// The intervention's code in the catalogue.
    pub intervention: String,
    pub status: PlanStatus,
    pub owner: String,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    /// Whether the organisation's Value Case recommended it.
    pub recommended: bool,
    /// Why it was recommended (Dutch, from the Value Case).
    pub reason: String,
    pub team_ids: Vec<i64>,
    pub sessions: Vec<PlanSession>,
    pub materials: Vec<PlanMaterial>,
    pub updated_at: i64,
}

/// What an editor sets of a plan item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanItemInput {
    pub status: PlanStatus,
    pub owner: String,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub team_ids: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanSession {
    pub id: i64,
    pub held_on: String,
    pub participants: i64,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanMaterial {
    pub id: i64,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Meeting {
    pub id: i64,
    pub org_id: i64,
    pub kind: MeetingKind,
    pub held_on: String,
    pub notes: String,
    pub decisions: String,
    pub created_at: i64,
}

/// An action of an organisation's action list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    pub id: i64,
    pub org_id: i64,
    pub title: String,
    /// The owning user; `None` with `owner_programme` for the programme team.
    pub owner_user_id: Option<i64>,
    pub owner_programme: bool,
    /// The team the action is for, when one.
    pub team_id: Option<i64>,
    pub due_on: String,
    pub status: ActionStatus,
    pub link_kind: Option<LinkKind>,
    pub link_ref: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    pub org_id: i64,
    pub title: String,
    pub owner_user_id: Option<i64>,
    pub owner_programme: bool,
    pub team_id: Option<i64>,
    pub due_on: String,
    pub status: ActionStatus,
    pub link: Option<(LinkKind, String)>,
}

/// An open action due on or before a day, with its owner's address (for the reminders).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueAction {
    pub action: Action,
    pub user_id: i64,
    pub email: String,
    pub name: String,
    pub org_name: String,
}

fn check_date(field: &'static str, s: &str) -> StoreResult<()> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| StoreError::invalid(field, Violation::Date))
}

fn check_text(field: &'static str, s: &str, max: usize, required: bool) -> StoreResult<()> {
    let n = s.trim().chars().count();
    if (required && n == 0) || n > max {
        return Err(StoreError::invalid(field, Violation::NameLength { max }));
    }
    Ok(())
}

const ACTION_COLUMNS: &str = "a.id, a.org_id, a.title, a.owner_user_id, a.owner_programme, \
     a.team_id, a.due_on, a.status, a.link_kind, a.link_ref, a.created_at, a.updated_at";

fn action_from_row(row: &AnyRow) -> StoreResult<Action> {
    let link_kind: Option<String> = row.try_get("link_kind")?;
    Ok(Action {
        id: row.try_get("id")?,
        org_id: row.try_get("org_id")?,
        title: row.try_get("title")?,
        owner_user_id: row.try_get("owner_user_id")?,
        owner_programme: row.try_get::<i64, _>("owner_programme")? != 0,
        team_id: row.try_get("team_id")?,
        due_on: row.try_get("due_on")?,
        status: stored_code(
            "action status",
            row.try_get("status")?,
            ActionStatus::from_code,
        )?,
        link_kind: link_kind
            .map(|k| stored_code("action link", k, LinkKind::from_code))
            .transpose()?,
        link_ref: row.try_get("link_ref")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

const MEETING_COLUMNS: &str =
    "id, org_id, kind, held_on, notes, decisions, created_at FROM meetings";

fn meeting_from_row(row: &AnyRow) -> StoreResult<Meeting> {
    Ok(Meeting {
        id: row.try_get("id")?,
        org_id: row.try_get("org_id")?,
        kind: stored_code("meeting kind", row.try_get("kind")?, MeetingKind::from_code)?,
        held_on: row.try_get("held_on")?,
        notes: row.try_get("notes")?,
        decisions: row.try_get("decisions")?,
        created_at: row.try_get("created_at")?,
    })
}

impl Store {
    // ----- phases and cohorts ------------------------------------------------------------

    /// Sets the dates of one phase of a region's programme.
    pub async fn set_programme_phase(
        &self,
        region_id: i64,
        phase: Phase,
        starts_on: &str,
        ends_on: &str,
    ) -> StoreResult<ProgrammePhase> {
        check_date("from", starts_on)?;
        check_date("to", ends_on)?;
        if ends_on < starts_on {
            return Err(StoreError::invalid(
                "to",
                Violation::RoundClosesBeforeOpening,
            ));
        }
        self.region(region_id).await?;
        sqlx::query(
            "INSERT INTO programme_phases (region_id, phase, starts_on, ends_on) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (region_id, phase) \
             DO UPDATE SET starts_on = excluded.starts_on, ends_on = excluded.ends_on",
        )
        .bind(region_id)
        .bind(phase.code())
        .bind(starts_on)
        .bind(ends_on)
        .execute(&self.pool)
        .await?;
        Ok(ProgrammePhase {
            phase,
            starts_on: starts_on.to_string(),
            ends_on: ends_on.to_string(),
        })
    }

    /// A region's phases, earliest first.
    pub async fn programme_phases(&self, region_id: i64) -> StoreResult<Vec<ProgrammePhase>> {
        sqlx::query(
            "SELECT phase, starts_on, ends_on FROM programme_phases WHERE region_id = $1 \
             ORDER BY starts_on, phase",
        )
        .bind(region_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(ProgrammePhase {
                phase: stored_code("phase", row.try_get("phase")?, Phase::from_code)?,
                starts_on: row.try_get("starts_on")?,
                ends_on: row.try_get("ends_on")?,
            })
        })
        .collect()
    }

    /// Creates a cohort with its organisations in one transaction. An organisation already
    /// in a cohort is a conflict (nothing is written).
    pub async fn create_cohort(
        &self,
        region_id: i64,
        name: &str,
        phase: Phase,
        org_ids: &[i64],
    ) -> StoreResult<Cohort> {
        check_text("name", name, 80, true)?;
        let name = name.trim();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO cohorts (region_id, name, phase, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(region_id)
        .bind(name)
        .bind(phase.code())
        .bind(crate::now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| {
            if Store::is_unique_violation(&e) {
                StoreError::Conflict(name.to_string())
            } else {
                e.into()
            }
        })?;
        let id: i64 = row.try_get("id")?;
        for org in org_ids {
            sqlx::query("INSERT INTO cohort_members (org_id, cohort_id) VALUES ($1, $2)")
                .bind(org)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| {
                    if Store::is_unique_violation(&e) {
                        StoreError::Conflict(format!("organisatie {org} in een cohort"))
                    } else {
                        e.into()
                    }
                })?;
        }
        tx.commit().await?;
        let mut ids = org_ids.to_vec();
        ids.sort_unstable();
        Ok(Cohort {
            id,
            region_id,
            name: name.to_string(),
            phase,
            org_ids: ids,
        })
    }

    /// A region's cohorts with their organisations, oldest first.
    pub async fn cohorts(&self, region_id: i64) -> StoreResult<Vec<Cohort>> {
        let rows =
            sqlx::query("SELECT id, name, phase FROM cohorts WHERE region_id = $1 ORDER BY id")
                .bind(region_id)
                .fetch_all(&self.pool)
                .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let org_ids = sqlx::query(
                "SELECT org_id FROM cohort_members WHERE cohort_id = $1 ORDER BY org_id",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("org_id"))
            .collect::<Result<Vec<i64>, _>>()?;
            out.push(Cohort {
                id,
                region_id,
                name: row.try_get("name")?,
                phase: stored_code("phase", row.try_get("phase")?, Phase::from_code)?,
                org_ids,
            });
        }
        Ok(out)
    }

    /// Adds an organisation to a cohort (an organisation is in at most one cohort:
    /// `Conflict` when it already is).
    pub async fn add_cohort_member(&self, cohort_id: i64, org_id: i64) -> StoreResult<()> {
        sqlx::query("INSERT INTO cohort_members (org_id, cohort_id) VALUES ($1, $2)")
            .bind(org_id)
            .bind(cohort_id)
            .execute(&self.pool)
            .await
            .map_err(|e| {
                if Store::is_unique_violation(&e) {
                    StoreError::Conflict(format!("organisatie {org_id} in een cohort"))
                } else {
                    e.into()
                }
            })?;
        Ok(())
    }

    /// Takes an organisation out of a cohort (`NotFound` when it is not in it). The
    /// cohort stays, also when it is left empty.
    pub async fn remove_cohort_member(&self, cohort_id: i64, org_id: i64) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM cohort_members WHERE cohort_id = $1 AND org_id = $2")
            .bind(cohort_id)
            .bind(org_id)
            .execute(&self.pool)
            .await?;
        crate::require_found(&done)
    }

    /// The cohort an organisation is in, if any.
    pub async fn organisation_cohort(&self, org_id: i64) -> StoreResult<Option<Cohort>> {
        let row = sqlx::query(
            "SELECT c.region_id, c.id FROM cohort_members m JOIN cohorts c ON c.id = m.cohort_id \
             WHERE m.org_id = $1",
        )
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let (region, id): (i64, i64) = (row.try_get("region_id")?, row.try_get("id")?);
        Ok(self.cohorts(region).await?.into_iter().find(|c| c.id == id))
    }

    // ----- onboarding ----------------------------------------------------------------------

    /// Records (or replaces) an organisation's onboarding.
    pub async fn set_onboarding(&self, o: &Onboarding) -> StoreResult<Onboarding> {
        check_text("project_lead", &o.project_lead, 120, false)?;
        check_text("notes", &o.notes, 2000, false)?;
        if let Some(d) = &o.board_commitment_on {
            check_date("board_commitment_on", d)?;
        }
        if o.people_reserved < 0 || !(o.hours_reserved.is_finite() && o.hours_reserved >= 0.0) {
            return Err(StoreError::invalid(
                "hours_reserved",
                Violation::RosterScanFigures,
            ));
        }
        let now = crate::now();
        sqlx::query(
            "INSERT INTO onboarding (org_id, project_lead, board_commitment_on, people_reserved, \
             hours_reserved, notes, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (org_id) DO UPDATE SET project_lead = excluded.project_lead, \
             board_commitment_on = excluded.board_commitment_on, \
             people_reserved = excluded.people_reserved, hours_reserved = excluded.hours_reserved, \
             notes = excluded.notes, updated_at = excluded.updated_at",
        )
        .bind(o.org_id)
        .bind(o.project_lead.trim())
        .bind(o.board_commitment_on.clone())
        .bind(o.people_reserved)
        .bind(o.hours_reserved)
        .bind(o.notes.trim())
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound,
            _ => e.into(),
        })?;
        self.onboarding(o.org_id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn onboarding(&self, org_id: i64) -> StoreResult<Option<Onboarding>> {
        let row = sqlx::query(
            "SELECT org_id, project_lead, board_commitment_on, people_reserved, hours_reserved, \
             notes, updated_at FROM onboarding WHERE org_id = $1",
        )
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(Onboarding {
                org_id: row.try_get("org_id")?,
                project_lead: row.try_get("project_lead")?,
                board_commitment_on: row.try_get("board_commitment_on")?,
                people_reserved: row.try_get("people_reserved")?,
                hours_reserved: row.try_get("hours_reserved")?,
                notes: row.try_get("notes")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .transpose()
    }

    // ----- the intervention plan -------------------------------------------------------

    /// An organisation's stored plan items with teams, sessions and materials, by id.
    pub async fn plan_items(&self, org_id: i64) -> StoreResult<Vec<PlanItem>> {
        let rows = sqlx::query(
            "SELECT id, org_id, intervention, status, owner, starts_on, ends_on, recommended, \
             reason, updated_at FROM plan_items WHERE org_id = $1 ORDER BY id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: i64 = row.try_get("id")?;
            let team_ids = sqlx::query(
                "SELECT team_id FROM plan_item_teams WHERE item_id = $1 ORDER BY team_id",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get("team_id"))
            .collect::<Result<Vec<i64>, _>>()?;
            let sessions = sqlx::query(
                "SELECT id, held_on, participants, notes FROM plan_sessions WHERE item_id = $1 \
                 ORDER BY held_on, id",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(PlanSession {
                    id: r.try_get("id")?,
                    held_on: r.try_get("held_on")?,
                    participants: r.try_get("participants")?,
                    notes: r.try_get("notes")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
            let materials = sqlx::query(
                "SELECT id, title, url FROM plan_materials WHERE item_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(PlanMaterial {
                    id: r.try_get("id")?,
                    title: r.try_get("title")?,
                    url: r.try_get("url")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
            out.push(PlanItem {
                id,
                org_id: row.try_get("org_id")?,
                intervention: row.try_get("intervention")?,
                status: stored_code("plan status", row.try_get("status")?, PlanStatus::from_code)?,
                owner: row.try_get("owner")?,
                starts_on: row.try_get("starts_on")?,
                ends_on: row.try_get("ends_on")?,
                recommended: row.try_get::<i64, _>("recommended")? != 0,
                reason: row.try_get("reason")?,
                team_ids,
                sessions,
                materials,
                updated_at: row.try_get("updated_at")?,
            });
        }
        Ok(out)
    }

    /// The plan item of one intervention, if stored.
    pub async fn plan_item(&self, org_id: i64, intervention: &str) -> StoreResult<PlanItem> {
        self.plan_items(org_id)
            .await?
            .into_iter()
            .find(|i| i.intervention == intervention)
            .ok_or(StoreError::NotFound)
    }

    /// Sets an intervention's status, owner, dates and teams (creating its row), in one
    /// transaction. Teams must be the organisation's.
    pub async fn save_plan_item(
        &self,
        org_id: i64,
        intervention: &str,
        input: &PlanItemInput,
    ) -> StoreResult<PlanItem> {
        check_text("owner", &input.owner, 120, false)?;
        for d in [&input.starts_on, &input.ends_on].into_iter().flatten() {
            check_date("starts_on", d)?;
        }
        if let (Some(a), Some(b)) = (&input.starts_on, &input.ends_on)
            && b < a
        {
            return Err(StoreError::invalid(
                "ends_on",
                Violation::RoundClosesBeforeOpening,
            ));
        }
        let teams = self.teams(org_id).await?;
        for t in &input.team_ids {
            if !teams.iter().any(|x| x.id == *t) {
                return Err(StoreError::invalid(
                    "team_ids",
                    Violation::TeamOfOtherOrganisation { team_id: *t },
                ));
            }
        }
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO plan_items (org_id, intervention, status, owner, starts_on, ends_on, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (org_id, intervention) DO UPDATE SET status = excluded.status, \
             owner = excluded.owner, starts_on = excluded.starts_on, ends_on = excluded.ends_on, \
             updated_at = excluded.updated_at RETURNING id",
        )
        .bind(org_id)
        .bind(intervention)
        .bind(input.status.code())
        .bind(input.owner.trim())
        .bind(input.starts_on.clone())
        .bind(input.ends_on.clone())
        .bind(crate::now())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        sqlx::query("DELETE FROM plan_item_teams WHERE item_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for t in &input.team_ids {
            sqlx::query(
                "INSERT INTO plan_item_teams (item_id, team_id) VALUES ($1, $2) \
                 ON CONFLICT (item_id, team_id) DO NOTHING",
            )
            .bind(id)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.plan_item(org_id, intervention).await
    }

    /// Marks an intervention as recommended by the Value Case, with the reason. A new row is
    /// "gepland"; an existing one keeps its status, except "niet gekozen", which becomes
    /// "gepland". Returns whether the status changed.
    pub async fn recommend_plan_item(
        &self,
        org_id: i64,
        intervention: &str,
        reason: &str,
    ) -> StoreResult<bool> {
        let now = crate::now();
        let inserted = sqlx::query(
            "INSERT INTO plan_items (org_id, intervention, status, owner, recommended, reason, \
             updated_at) VALUES ($1, $2, 'gepland', '', 1, $3, $4) \
             ON CONFLICT (org_id, intervention) DO NOTHING",
        )
        .bind(org_id)
        .bind(intervention)
        .bind(reason)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1;
        if inserted {
            return Ok(true);
        }
        let changed = sqlx::query(
            "UPDATE plan_items SET status = 'gepland', updated_at = $3 \
             WHERE org_id = $1 AND intervention = $2 AND status = 'niet_gekozen'",
        )
        .bind(org_id)
        .bind(intervention)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1;
        sqlx::query(
            "UPDATE plan_items SET recommended = 1, reason = $3 \
             WHERE org_id = $1 AND intervention = $2",
        )
        .bind(org_id)
        .bind(intervention)
        .bind(reason)
        .execute(&self.pool)
        .await?;
        Ok(changed)
    }

    /// Records a session held for a plan item.
    pub async fn add_plan_session(
        &self,
        item_id: i64,
        held_on: &str,
        participants: i64,
        notes: &str,
    ) -> StoreResult<PlanSession> {
        check_date("held_on", held_on)?;
        check_text("notes", notes, 4000, false)?;
        if !(0..=100_000).contains(&participants) {
            return Err(StoreError::invalid("participants", Violation::InvitedCount));
        }
        let row = sqlx::query(
            "INSERT INTO plan_sessions (item_id, held_on, participants, notes, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(item_id)
        .bind(held_on)
        .bind(participants)
        .bind(notes.trim())
        .bind(crate::now())
        .fetch_one(&self.pool)
        .await?;
        Ok(PlanSession {
            id: row.try_get("id")?,
            held_on: held_on.to_string(),
            participants,
            notes: notes.trim().to_string(),
        })
    }

    /// Adds a material (a link) to a plan item.
    pub async fn add_plan_material(
        &self,
        item_id: i64,
        title: &str,
        url: &str,
    ) -> StoreResult<PlanMaterial> {
        check_text("title", title, 200, true)?;
        check_text("url", url, 2000, true)?;
        let row = sqlx::query(
            "INSERT INTO plan_materials (item_id, title, url, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(item_id)
        .bind(title.trim())
        .bind(url.trim())
        .bind(crate::now())
        .fetch_one(&self.pool)
        .await?;
        Ok(PlanMaterial {
            id: row.try_get("id")?,
            title: title.trim().to_string(),
            url: url.trim().to_string(),
        })
    }

    // ----- meetings ----------------------------------------------------------------------

    pub async fn create_meeting(
        &self,
        org_id: i64,
        kind: MeetingKind,
        held_on: &str,
        notes: &str,
        decisions: &str,
    ) -> StoreResult<Meeting> {
        check_date("held_on", held_on)?;
        check_text("notes", notes, 8000, false)?;
        check_text("decisions", decisions, 8000, false)?;
        let row = sqlx::query(
            "INSERT INTO meetings (org_id, kind, held_on, notes, decisions, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(org_id)
        .bind(kind.code())
        .bind(held_on)
        .bind(notes.trim())
        .bind(decisions.trim())
        .bind(crate::now())
        .fetch_one(&self.pool)
        .await?;
        self.meeting(row.try_get("id")?).await
    }

    pub async fn meeting(&self, id: i64) -> StoreResult<Meeting> {
        let sql = format!("SELECT {MEETING_COLUMNS} WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        meeting_from_row(&row)
    }

    /// An organisation's meetings, newest first.
    pub async fn meetings(&self, org_id: i64) -> StoreResult<Vec<Meeting>> {
        let sql =
            format!("SELECT {MEETING_COLUMNS} WHERE org_id = $1 ORDER BY held_on DESC, id DESC");
        sqlx::query(&sql)
            .bind(org_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(meeting_from_row)
            .collect()
    }

    // ----- actions -----------------------------------------------------------------------

    /// Creates an action. Its owner must be a user of the organisation, its team one of the
    /// organisation's teams, and a meeting link a meeting of the organisation.
    /// What the database itself must hold of an action (see [`Store::create_action`]).
    async fn check_action(&self, a: &NewAction) -> StoreResult<()> {
        check_text("title", &a.title, 200, true)?;
        check_date("due_on", &a.due_on)?;
        if let Some(user) = a.owner_user_id {
            let u = self.user(user).await.map_err(|e| match e {
                StoreError::NotFound => StoreError::invalid("owner", Violation::Email),
                other => other,
            })?;
            if u.org_id != Some(a.org_id) && u.role != crate::Role::ProgrammeAdmin {
                return Err(StoreError::invalid("owner", Violation::OrgRequired));
            }
        }
        if let Some(team) = a.team_id {
            let t = self.team(team).await.map_err(|e| match e {
                StoreError::NotFound => StoreError::invalid("team_id", Violation::UnknownTeam),
                other => other,
            })?;
            if t.org_id != a.org_id {
                return Err(StoreError::invalid(
                    "team_id",
                    Violation::TeamOfOtherOrganisation { team_id: team },
                ));
            }
        }
        if let Some((LinkKind::Meeting, r)) = &a.link {
            let m = r.parse::<i64>().ok();
            let ok = match m {
                Some(id) => self.meeting(id).await.is_ok_and(|m| m.org_id == a.org_id),
                None => false,
            };
            if !ok {
                return Err(StoreError::NotFound);
            }
        }
        Ok(())
    }

    pub async fn create_action(&self, a: &NewAction) -> StoreResult<Action> {
        self.check_action(a).await?;
        let now = crate::now();
        let row = sqlx::query(
            "INSERT INTO actions (org_id, title, owner_user_id, owner_programme, team_id, due_on, \
             status, link_kind, link_ref, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(a.org_id)
        .bind(a.title.trim())
        .bind(a.owner_user_id)
        .bind(i64::from(a.owner_programme))
        .bind(a.team_id)
        .bind(&a.due_on)
        .bind(a.status.code())
        .bind(a.link.as_ref().map(|(k, _)| k.code().to_string()))
        .bind(a.link.as_ref().map(|(_, r)| r.clone()))
        .bind(now)
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        self.action(row.try_get("id")?).await
    }

    pub async fn action(&self, id: i64) -> StoreResult<Action> {
        let sql = format!("SELECT {ACTION_COLUMNS} FROM actions a WHERE a.id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        action_from_row(&row)
    }

    /// An organisation's actions, by due date.
    pub async fn actions(&self, org_id: i64) -> StoreResult<Vec<Action>> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM actions a WHERE a.org_id = $1 ORDER BY a.due_on, a.id"
        );
        sqlx::query(&sql)
            .bind(org_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(action_from_row)
            .collect()
    }

    /// Actions owned by a user, or by the programme team when `programme` is set, by due date.
    pub async fn owned_actions(&self, user_id: i64, programme: bool) -> StoreResult<Vec<Action>> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM actions a WHERE a.owner_user_id = $1 \
             OR ($2 = 1 AND a.owner_programme = 1) ORDER BY a.due_on, a.id"
        );
        sqlx::query(&sql)
            .bind(user_id)
            .bind(i64::from(programme))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(action_from_row)
            .collect()
    }

    /// How many not finished actions a user owns, and how many of them are due before
    /// `today` (ISO): the count in the navigation.
    pub async fn open_action_counts(&self, user_id: i64, today: &str) -> StoreResult<(i64, i64)> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n_open, \
             COALESCE(SUM(CASE WHEN due_on < $2 THEN 1 ELSE 0 END), 0) AS n_overdue \
             FROM actions WHERE owner_user_id = $1 AND status <> 'klaar'",
        )
        .bind(user_id)
        .bind(today)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("n_open")?, row.try_get("n_overdue")?))
    }

    /// Changes everything of an action but its organisation (`a.org_id` must be the
    /// action's own): title, owner, team, due date, status and link.
    pub async fn update_action(&self, id: i64, a: &NewAction) -> StoreResult<Action> {
        let current = self.action(id).await?;
        if current.org_id != a.org_id {
            return Err(StoreError::NotFound);
        }
        self.check_action(a).await?;
        let done = sqlx::query(
            "UPDATE actions SET title = $1, owner_user_id = $2, owner_programme = $3, \
             team_id = $4, due_on = $5, status = $6, link_kind = $7, link_ref = $8, \
             updated_at = $9 WHERE id = $10",
        )
        .bind(a.title.trim())
        .bind(a.owner_user_id)
        .bind(i64::from(a.owner_programme))
        .bind(a.team_id)
        .bind(&a.due_on)
        .bind(a.status.code())
        .bind(a.link.as_ref().map(|(k, _)| k.code().to_string()))
        .bind(a.link.as_ref().map(|(_, r)| r.clone()))
        .bind(crate::now())
        .bind(id)
        .execute(&self.pool)
        .await?;
        crate::require_found(&done)?;
        self.action(id).await
    }

    /// Sets an action's status.
    pub async fn set_action_status(&self, id: i64, status: ActionStatus) -> StoreResult<Action> {
        let done = sqlx::query("UPDATE actions SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.code())
            .bind(crate::now())
            .bind(id)
            .execute(&self.pool)
            .await?;
        crate::require_found(&done)?;
        self.action(id).await
    }

    /// Actions linked to something (a meeting's actions).
    pub async fn linked_actions(
        &self,
        kind: LinkKind,
        reference: &str,
    ) -> StoreResult<Vec<Action>> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM actions a WHERE a.link_kind = $1 AND a.link_ref = $2 \
             ORDER BY a.due_on, a.id"
        );
        sqlx::query(&sql)
            .bind(kind.code())
            .bind(reference)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(action_from_row)
            .collect()
    }

    // ----- reminders ---------------------------------------------------------------------

    /// Not finished actions with an active owner, due on or before `until` (ISO), by owner.
    pub async fn actions_due_by(&self, until: &str) -> StoreResult<Vec<DueAction>> {
        let sql = format!(
            "SELECT {ACTION_COLUMNS}, u.email, u.name, o.name AS org_name FROM actions a \
             JOIN users u ON u.id = a.owner_user_id \
             JOIN organisations o ON o.id = a.org_id \
             WHERE a.status <> 'klaar' AND a.due_on <= $1 AND u.active = 1 \
             ORDER BY u.id, a.due_on, a.id"
        );
        sqlx::query(&sql)
            .bind(until)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                let action = action_from_row(row)?;
                Ok(DueAction {
                    user_id: action.owner_user_id.unwrap_or_default(),
                    email: row.try_get("email")?,
                    name: row.try_get("name")?,
                    org_name: row.try_get("org_name")?,
                    action,
                })
            })
            .collect()
    }

    /// Claims the reminder of `day` for a user: true when none was sent that day yet (by
    /// any instance), false otherwise.
    pub async fn claim_reminder(&self, user_id: i64, day: &str, actions: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "INSERT INTO reminder_sends (user_id, sent_on, sent_at, actions) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (user_id, sent_on) DO NOTHING",
        )
        .bind(user_id)
        .bind(day)
        .bind(crate::now())
        .bind(actions)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Gives back a claim whose mail could not be sent, so a later run tries again.
    pub async fn release_reminder(&self, user_id: i64, day: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM reminder_sends WHERE user_id = $1 AND sent_on = $2")
            .bind(user_id)
            .bind(day)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The days a user was sent a reminder, newest first.
    pub async fn reminder_days(&self, user_id: i64) -> StoreResult<Vec<String>> {
        sqlx::query("SELECT sent_on FROM reminder_sends WHERE user_id = $1 ORDER BY sent_on DESC")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(r.try_get("sent_on")?))
            .collect()
    }
}
