//! Value Case records (issue 29): the Fase 0 interview, roster-scan summaries, and the log
//! of Value Cases generated and shared. Codes (item kind, theme, format) are checked by
//! the `valuecase` crate before they get here; this module stores text.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, StoreResult, Violation};

/// One opportunity or obstacle of an interview, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterviewItemRecord {
    /// `kans` or `belemmering`.
    pub kind: String,
    /// Theme code (`rooster`, `financien`, ...).
    pub theme: String,
    pub text: String,
    pub quote: Option<String>,
    /// A role, never a name.
    pub who: String,
    pub in_report: bool,
}

/// The interview of one organisation, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InterviewRecord {
    /// ISO date.
    pub held_on: Option<String>,
    pub participants: String,
    pub contract_policy: String,
    pub roster_practice: String,
    pub flex_pnil: String,
    pub earlier_initiatives: String,
    pub items: Vec<InterviewItemRecord>,
    /// Set by the store on save (unix seconds, user id).
    pub updated_at: i64,
    pub updated_by: Option<i64>,
}

/// A Value Case shared with the organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueCaseShare {
    pub id: i64,
    pub org_id: i64,
    pub round_id: Option<i64>,
    /// Peildatum of the snapshot (ISO).
    pub snapshot: String,
    pub shared_at: i64,
    pub shared_by: Option<i64>,
}

/// A Value Case generated (the format: `html`, `pdf` or `json`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueCaseReport {
    pub id: i64,
    pub org_id: i64,
    pub round_id: Option<i64>,
    pub snapshot: String,
    pub format: String,
    pub generated_at: i64,
    pub generated_by: Option<i64>,
}

/// Summary figures of one roster scan.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterScanRecord {
    pub id: i64,
    pub org_id: i64,
    /// ISO date of the scan (or of the roster's last day).
    pub scanned_on: String,
    pub employees: i64,
    pub shifts: i64,
    pub short_shift_share: f64,
    pub split_shift_share: f64,
    pub recorded_at: i64,
}

/// What the Fase 0 checklist needs from the tables of this module and PNIL, per
/// organisation, for every organisation in one query each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fase0Counts {
    pub interview: bool,
    pub pnil_months: i64,
    pub roster_scans: i64,
    pub reports: i64,
    pub shares: i64,
}

/// Picks one count of [`Fase0Counts`].
type CountField = fn(&mut Fase0Counts) -> &mut i64;

/// Report formats recorded in `value_case_reports`.
pub const REPORT_FORMATS: &[&str] = &["html", "pdf", "json"];

fn share_from_row(r: &AnyRow) -> StoreResult<ValueCaseShare> {
    Ok(ValueCaseShare {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        round_id: r.try_get("round_id")?,
        snapshot: r.try_get("snapshot")?,
        shared_at: r.try_get("shared_at")?,
        shared_by: r.try_get("shared_by")?,
    })
}

fn report_from_row(r: &AnyRow) -> StoreResult<ValueCaseReport> {
    Ok(ValueCaseReport {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        round_id: r.try_get("round_id")?,
        snapshot: r.try_get("snapshot")?,
        format: r.try_get("format")?,
        generated_at: r.try_get("generated_at")?,
        generated_by: r.try_get("generated_by")?,
    })
}

fn scan_from_row(r: &AnyRow) -> StoreResult<RosterScanRecord> {
    Ok(RosterScanRecord {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        scanned_on: r.try_get("scanned_on")?,
        employees: r.try_get("employees")?,
        shifts: r.try_get("shifts")?,
        short_shift_share: r.try_get("short_shift_share")?,
        split_shift_share: r.try_get("split_shift_share")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

fn check_date(field: &'static str, s: &str) -> StoreResult<()> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| StoreError::invalid(field, Violation::Date))
}

impl Store {
    /// The interview of an organisation, if one is recorded.
    pub async fn interview(&self, org_id: i64) -> StoreResult<Option<InterviewRecord>> {
        let Some(r) = sqlx::query(
            "SELECT held_on, participants, contract_policy, roster_practice, flex_pnil, \
             earlier_initiatives, updated_at, updated_by FROM interviews WHERE org_id = $1",
        )
        .bind(org_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let items = sqlx::query(
            "SELECT kind, theme, body, quote, who, in_report FROM interview_items \
             WHERE org_id = $1 ORDER BY position, id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|i| {
            Ok(InterviewItemRecord {
                kind: i.try_get("kind")?,
                theme: i.try_get("theme")?,
                text: i.try_get("body")?,
                quote: i.try_get("quote")?,
                who: i.try_get("who")?,
                in_report: i.try_get::<i64, _>("in_report")? != 0,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        Ok(Some(InterviewRecord {
            held_on: r.try_get("held_on")?,
            participants: r.try_get("participants")?,
            contract_policy: r.try_get("contract_policy")?,
            roster_practice: r.try_get("roster_practice")?,
            flex_pnil: r.try_get("flex_pnil")?,
            earlier_initiatives: r.try_get("earlier_initiatives")?,
            items,
            updated_at: r.try_get("updated_at")?,
            updated_by: r.try_get("updated_by")?,
        }))
    }

    /// Creates or replaces the interview of an organisation (fields and all items) in one
    /// transaction. `updated_at`/`updated_by` of `rec` are ignored: now and `by` are stored.
    pub async fn save_interview(
        &self,
        org_id: i64,
        rec: &InterviewRecord,
        by: Option<i64>,
    ) -> StoreResult<()> {
        if let Some(d) = &rec.held_on {
            check_date("held_on", d)?;
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO interviews (org_id, held_on, participants, contract_policy, \
             roster_practice, flex_pnil, earlier_initiatives, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (org_id) DO UPDATE SET held_on = excluded.held_on, \
             participants = excluded.participants, contract_policy = excluded.contract_policy, \
             roster_practice = excluded.roster_practice, flex_pnil = excluded.flex_pnil, \
             earlier_initiatives = excluded.earlier_initiatives, \
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(org_id)
        .bind(rec.held_on.clone())
        .bind(&rec.participants)
        .bind(&rec.contract_policy)
        .bind(&rec.roster_practice)
        .bind(&rec.flex_pnil)
        .bind(&rec.earlier_initiatives)
        .bind(crate::now())
        .bind(by)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM interview_items WHERE org_id = $1")
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        for (pos, i) in rec.items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO interview_items (org_id, position, kind, theme, body, quote, who, \
                 in_report) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(org_id)
            .bind(pos as i64)
            .bind(&i.kind)
            .bind(&i.theme)
            .bind(&i.text)
            .bind(i.quote.clone())
            .bind(&i.who)
            .bind(i64::from(i.in_report))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Removes an organisation's interview (`NotFound` when there is none).
    pub async fn delete_interview(&self, org_id: i64) -> StoreResult<()> {
        let done = sqlx::query("DELETE FROM interviews WHERE org_id = $1")
            .bind(org_id)
            .execute(&self.pool)
            .await?;
        crate::require_found(&done)
    }

    /// Records that a Value Case was shared with the organisation.
    pub async fn record_value_case_share(
        &self,
        org_id: i64,
        round_id: Option<i64>,
        snapshot: &str,
        by: Option<i64>,
    ) -> StoreResult<ValueCaseShare> {
        check_date("snapshot", snapshot)?;
        let row = sqlx::query(
            "INSERT INTO value_case_shares (org_id, round_id, snapshot, shared_at, shared_by) \
             VALUES ($1, $2, $3, $4, $5) \
             RETURNING id, org_id, round_id, snapshot, shared_at, shared_by",
        )
        .bind(org_id)
        .bind(round_id)
        .bind(snapshot)
        .bind(crate::now())
        .bind(by)
        .fetch_one(&self.pool)
        .await?;
        share_from_row(&row)
    }

    /// The organisation's shares, newest first.
    pub async fn value_case_shares(&self, org_id: i64) -> StoreResult<Vec<ValueCaseShare>> {
        sqlx::query(
            "SELECT id, org_id, round_id, snapshot, shared_at, shared_by FROM value_case_shares \
             WHERE org_id = $1 ORDER BY shared_at DESC, id DESC",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(share_from_row)
        .collect()
    }

    /// Records that a Value Case was generated in `format` (`html`, `pdf` or `json`).
    pub async fn record_value_case_report(
        &self,
        org_id: i64,
        round_id: Option<i64>,
        snapshot: &str,
        format: &str,
        by: Option<i64>,
    ) -> StoreResult<ValueCaseReport> {
        check_date("snapshot", snapshot)?;
        if !REPORT_FORMATS.contains(&format) {
            return Err(StoreError::invalid("format", Violation::ReportFormat));
        }
        let row = sqlx::query(
            "INSERT INTO value_case_reports (org_id, round_id, snapshot, format, generated_at, \
             generated_by) VALUES ($1, $2, $3, $4, $5, $6) \
             RETURNING id, org_id, round_id, snapshot, format, generated_at, generated_by",
        )
        .bind(org_id)
        .bind(round_id)
        .bind(snapshot)
        .bind(format)
        .bind(crate::now())
        .bind(by)
        .fetch_one(&self.pool)
        .await?;
        report_from_row(&row)
    }

    /// The organisation's generated Value Cases, newest first.
    pub async fn value_case_reports(&self, org_id: i64) -> StoreResult<Vec<ValueCaseReport>> {
        sqlx::query(
            "SELECT id, org_id, round_id, snapshot, format, generated_at, generated_by \
             FROM value_case_reports WHERE org_id = $1 ORDER BY generated_at DESC, id DESC",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(report_from_row)
        .collect()
    }

    /// Stores the summary figures of a roster scan (`id` and `recorded_at` are set here).
    pub async fn add_roster_scan_summary(
        &self,
        org_id: i64,
        scan: &RosterScanRecord,
    ) -> StoreResult<RosterScanRecord> {
        check_date("scanned_on", &scan.scanned_on)?;
        let share_ok = |x: f64| (0.0..=1.0).contains(&x);
        if !share_ok(scan.short_shift_share)
            || !share_ok(scan.split_shift_share)
            || scan.employees < 0
            || scan.shifts < 0
        {
            return Err(StoreError::invalid(
                "roster_scan",
                Violation::RosterScanFigures,
            ));
        }
        let row = sqlx::query(
            "INSERT INTO roster_scan_summaries (org_id, scanned_on, employees, shifts, \
             short_shift_share, split_shift_share, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             RETURNING id, org_id, scanned_on, employees, shifts, short_shift_share, \
             split_shift_share, recorded_at",
        )
        .bind(org_id)
        .bind(&scan.scanned_on)
        .bind(scan.employees)
        .bind(scan.shifts)
        .bind(scan.short_shift_share)
        .bind(scan.split_shift_share)
        .bind(crate::now())
        .fetch_one(&self.pool)
        .await?;
        scan_from_row(&row)
    }

    /// The organisation's roster-scan summaries, oldest first.
    pub async fn roster_scan_summaries(&self, org_id: i64) -> StoreResult<Vec<RosterScanRecord>> {
        sqlx::query(
            "SELECT id, org_id, scanned_on, employees, shifts, short_shift_share, \
             split_shift_share, recorded_at FROM roster_scan_summaries WHERE org_id = $1 \
             ORDER BY scanned_on, id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(scan_from_row)
        .collect()
    }

    /// Per organisation id: what the Fase 0 checklist needs from interviews, PNIL, roster
    /// scans and the Value Case log. Organisations without any of these are absent.
    pub async fn fase0_counts(&self) -> StoreResult<std::collections::BTreeMap<i64, Fase0Counts>> {
        let mut out: std::collections::BTreeMap<i64, Fase0Counts> = Default::default();
        for r in sqlx::query("SELECT org_id FROM interviews")
            .fetch_all(&self.pool)
            .await?
        {
            out.entry(r.try_get("org_id")?).or_default().interview = true;
        }
        let counts: [(&str, CountField); 4] = [
            (
                "SELECT org_id, COUNT(DISTINCT month) AS n FROM pnil_entries GROUP BY org_id",
                |c| &mut c.pnil_months,
            ),
            (
                "SELECT org_id, COUNT(*) AS n FROM roster_scan_summaries GROUP BY org_id",
                |c| &mut c.roster_scans,
            ),
            (
                "SELECT org_id, COUNT(*) AS n FROM value_case_reports GROUP BY org_id",
                |c| &mut c.reports,
            ),
            (
                "SELECT org_id, COUNT(*) AS n FROM value_case_shares GROUP BY org_id",
                |c| &mut c.shares,
            ),
        ];
        for (sql, field) in counts {
            for r in sqlx::query(sql).fetch_all(&self.pool).await? {
                let org: i64 = r.try_get("org_id")?;
                *field(out.entry(org).or_default()) = r.try_get("n")?;
            }
        }
        Ok(out)
    }
}
