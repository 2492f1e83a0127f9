//! HR baseline (nulmeting): snapshots of pseudonymous employees, remembered column mappings,
//! PNIL costs and the programme's sector benchmark override. The rows are the `hr` crate's
//! types; this module only stores and loads them.

use hr::pnil::{PnilEntry, PnilKind, YearMonth};
use hr::{AgeBand, ContractKind, Employee};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::{Store, StoreError, StoreResult};

/// One imported HR extract with its reference date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HrSnapshot {
    pub id: i64,
    pub org_id: i64,
    /// ISO date `YYYY-MM-DD`.
    pub peildatum: String,
    pub imported_at: i64,
    pub file_name: String,
    pub rows_read: i64,
    pub employees: i64,
    /// Rows refused when importing the valid rows only.
    pub skipped: i64,
}

/// What an import writes: the snapshot header and its employees.
#[derive(Debug, Clone)]
pub struct NewHrSnapshot<'a> {
    pub peildatum: chrono::NaiveDate,
    pub file_name: &'a str,
    pub rows_read: usize,
    pub skipped: usize,
    pub employees: &'a [Employee],
}

/// The mapping kinds remembered per organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MappingKind {
    Hr,
    Pnil,
}

impl MappingKind {
    fn column(self) -> &'static str {
        match self {
            MappingKind::Hr => "hr_mapping",
            MappingKind::Pnil => "pnil_mapping",
        }
    }
}

/// The programme's edited sector benchmark file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchmarkOverride {
    pub toml: String,
    pub updated_at: i64,
    pub updated_by: String,
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Config(format!("stored HR value cannot be read: {what} '{value}'"))
}

/// A stored vocabulary code read back exactly (`FromStr` of the domain type); anything
/// else is corrupt data, never guessed at.
fn code<T: std::str::FromStr>(what: &str, value: Option<String>) -> StoreResult<Option<T>> {
    value
        .map(|v| v.parse().map_err(|_| corrupt(what, &v)))
        .transpose()
}

const SNAPSHOT_COLUMNS: &str =
    "id, org_id, peildatum, imported_at, file_name, rows_read, employees, skipped";

fn snapshot_from_row(row: &AnyRow) -> StoreResult<HrSnapshot> {
    Ok(HrSnapshot {
        id: row.try_get("id")?,
        org_id: row.try_get("org_id")?,
        peildatum: row.try_get("peildatum")?,
        imported_at: row.try_get("imported_at")?,
        file_name: row.try_get("file_name")?,
        rows_read: row.try_get("rows_read")?,
        employees: row.try_get("employees")?,
        skipped: row.try_get("skipped")?,
    })
}

fn employee_from_row(row: &AnyRow) -> StoreResult<Employee> {
    let hours: String = row.try_get("contract_hours")?;
    let factor: String = row.try_get("part_time_factor")?;
    let age: Option<String> = row.try_get("age_band")?;
    let start: Option<String> = row.try_get("start_date")?;
    let end: Option<String> = row.try_get("end_date")?;
    let kind: Option<String> = row.try_get("contract_kind")?;
    let date = |v: Option<String>| -> StoreResult<Option<chrono::NaiveDate>> {
        v.map(|s| s.parse().map_err(|_| corrupt("date", &s)))
            .transpose()
    };
    Ok(Employee {
        pseudonym: row.try_get("pseudonym")?,
        team: row.try_get("team")?,
        function: row.try_get("function_name")?,
        fwg_scale: row.try_get("fwg_scale")?,
        contract_hours: hours.parse().map_err(|_| corrupt("hours", &hours))?,
        part_time_factor: factor.parse().map_err(|_| corrupt("factor", &factor))?,
        age_band: code::<AgeBand>("age band", age)?,
        start_date: date(start)?,
        end_date: date(end)?,
        contract_kind: code::<ContractKind>("contract kind", kind)?,
        source_rows: Vec::new(),
    })
}

fn pnil_from_row(row: &AnyRow) -> StoreResult<PnilEntry> {
    let month: String = row.try_get("month")?;
    let kind: Option<String> = row.try_get("kind")?;
    let hours: Option<String> = row.try_get("hours")?;
    let source_row: i64 = row.try_get("source_row")?;
    Ok(PnilEntry {
        month: month.parse().map_err(|_| corrupt("month", &month))?,
        team: row.try_get("team")?,
        kind: code::<PnilKind>("PNIL kind", kind)?,
        amount_cents: row.try_get("amount_cents")?,
        hours: hours
            .map(|h| h.parse().map_err(|_| corrupt("hours", &h)))
            .transpose()?,
        source_row: u32::try_from(source_row).unwrap_or(0),
    })
}

impl Store {
    /// Writes one snapshot and all its employees in one transaction. A snapshot of the same
    /// organisation with the same peildatum is replaced (in the same transaction).
    pub async fn insert_hr_snapshot(
        &self,
        org_id: i64,
        snap: &NewHrSnapshot<'_>,
    ) -> StoreResult<HrSnapshot> {
        let peildatum = snap.peildatum.format("%Y-%m-%d").to_string();
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM hr_snapshots WHERE org_id = $1 AND peildatum = $2")
            .bind(org_id)
            .bind(&peildatum)
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query(
            "INSERT INTO hr_snapshots (org_id, peildatum, imported_at, file_name, rows_read, \
             employees, skipped) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(org_id)
        .bind(&peildatum)
        .bind(crate::now())
        .bind(snap.file_name)
        .bind(snap.rows_read as i64)
        .bind(snap.employees.len() as i64)
        .bind(snap.skipped as i64)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        // Many rows per statement: one round trip per batch instead of per employee. On
        // SQLite (in-process, no round trips) batches stay small: binding a numbered
        // parameter costs a scan over the statement's parameter names, so the cost of a
        // statement grows with the square of its parameter count (perf: 49% of a
        // 100,000-row import in sqlite3_bind_parameter_name at 250 rows per statement).
        let batch: usize = match self.backend {
            crate::Backend::Sqlite => 20,
            crate::Backend::Postgres => 250,
        };
        const COLUMNS: usize = 11;
        for chunk in snap.employees.chunks(batch) {
            let mut sql = String::from(
                "INSERT INTO hr_employees (snapshot_id, pseudonym, team, function_name, \
                 fwg_scale, contract_hours, part_time_factor, age_band, start_date, end_date, \
                 contract_kind) VALUES ",
            );
            for r in 0..chunk.len() {
                if r > 0 {
                    sql.push_str(", ");
                }
                sql.push('(');
                for c in 0..COLUMNS {
                    if c > 0 {
                        sql.push_str(", ");
                    }
                    sql.push_str(&format!("${}", r * COLUMNS + c + 1));
                }
                sql.push(')');
            }
            let mut q = sqlx::query(&sql);
            for e in chunk {
                q = q
                    .bind(id)
                    .bind(e.pseudonym.clone())
                    .bind(e.team.clone())
                    .bind(e.function.clone())
                    .bind(e.fwg_scale.clone())
                    .bind(e.contract_hours.normalize().to_string())
                    .bind(e.part_time_factor.normalize().to_string())
                    .bind(e.age_band.map(|a| a.code().to_string()))
                    .bind(e.start_date.map(|d| d.format("%Y-%m-%d").to_string()))
                    .bind(e.end_date.map(|d| d.format("%Y-%m-%d").to_string()))
                    .bind(e.contract_kind.map(|k| k.code().to_string()));
            }
            q.execute(&mut *tx).await?;
        }
        sqlx::query("INSERT INTO hr_snapshot_packs (snapshot_id, employees) VALUES ($1, $2)")
            .bind(id)
            .bind(crate::hr_pack::pack(snap.employees))
            .execute(&mut *tx)
            .await?;
        sqlx::query(crate::figures::TOUCH_ORG)
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.hr_snapshot(org_id, id).await
    }

    /// The snapshots of an organisation, oldest peildatum first.
    pub async fn hr_snapshots(&self, org_id: i64) -> StoreResult<Vec<HrSnapshot>> {
        let sql = format!(
            "SELECT {SNAPSHOT_COLUMNS} FROM hr_snapshots WHERE org_id = $1 ORDER BY peildatum"
        );
        let rows = sqlx::query(&sql).bind(org_id).fetch_all(&self.pool).await?;
        rows.iter().map(snapshot_from_row).collect()
    }

    /// One snapshot of this organisation (not found when it belongs to another).
    pub async fn hr_snapshot(&self, org_id: i64, id: i64) -> StoreResult<HrSnapshot> {
        let sql =
            format!("SELECT {SNAPSHOT_COLUMNS} FROM hr_snapshots WHERE org_id = $1 AND id = $2");
        let row = sqlx::query(&sql)
            .bind(org_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        snapshot_from_row(&row)
    }

    /// The snapshot of this organisation with peildatum `date` (ISO).
    pub async fn hr_snapshot_on(&self, org_id: i64, date: &str) -> StoreResult<HrSnapshot> {
        let sql = format!(
            "SELECT {SNAPSHOT_COLUMNS} FROM hr_snapshots WHERE org_id = $1 AND peildatum = $2"
        );
        let row = sqlx::query(&sql)
            .bind(org_id)
            .bind(date)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        snapshot_from_row(&row)
    }

    /// Deletes a snapshot with its employees.
    pub async fn delete_hr_snapshot(&self, org_id: i64, id: i64) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        for table in ["hr_snapshot_packs", "hr_employees"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE snapshot_id IN \
                 (SELECT id FROM hr_snapshots WHERE org_id = $1 AND id = $2)"
            ))
            .bind(org_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        let done = sqlx::query("DELETE FROM hr_snapshots WHERE org_id = $1 AND id = $2")
            .bind(org_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        crate::require_found(&done)?;
        sqlx::query(crate::figures::TOUCH_ORG)
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The employees of a snapshot (by pseudonym order): from the snapshot's pack, one
    /// value, or, when it has none yet (imported before packs existed) or one of an older
    /// format, from the rows, after which the pack is written for the next read.
    pub async fn hr_employees(&self, snapshot_id: i64) -> StoreResult<Vec<Employee>> {
        let packed: Option<String> =
            sqlx::query_scalar("SELECT employees FROM hr_snapshot_packs WHERE snapshot_id = $1")
                .bind(snapshot_id)
                .fetch_optional(&self.pool)
                .await?;
        if let Some(p) = packed {
            let unpacked = crate::off_runtime(|| crate::hr_pack::unpack(&p));
            if let Some(emps) = unpacked? {
                return Ok(emps);
            }
        }
        let emps = self.hr_employee_rows(snapshot_id).await?;
        let pack = crate::hr_pack::pack(&emps);
        sqlx::query(
            "INSERT INTO hr_snapshot_packs (snapshot_id, employees) \
             SELECT id, $2 FROM hr_snapshots WHERE id = $1 \
             ON CONFLICT (snapshot_id) DO UPDATE SET employees = excluded.employees",
        )
        .bind(snapshot_id)
        .bind(pack)
        .execute(&self.pool)
        .await?;
        Ok(emps)
    }

    /// The employees of a snapshot read row by row (the source of truth of the pack).
    async fn hr_employee_rows(&self, snapshot_id: i64) -> StoreResult<Vec<Employee>> {
        let rows = sqlx::query(
            "SELECT pseudonym, team, function_name, fwg_scale, contract_hours, \
             part_time_factor, age_band, start_date, end_date, contract_kind \
             FROM hr_employees WHERE snapshot_id = $1 ORDER BY pseudonym",
        )
        .bind(snapshot_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(employee_from_row).collect()
    }

    async fn ensure_hr_settings(&self, org_id: i64) -> StoreResult<()> {
        sqlx::query("INSERT INTO hr_settings (org_id) VALUES ($1) ON CONFLICT (org_id) DO NOTHING")
            .bind(org_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The remembered column mapping (JSON) of this kind for an organisation.
    pub async fn hr_mapping(&self, org_id: i64, kind: MappingKind) -> StoreResult<Option<String>> {
        let sql = format!(
            "SELECT {} AS mapping FROM hr_settings WHERE org_id = $1",
            kind.column()
        );
        let row = sqlx::query(&sql)
            .bind(org_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => r.try_get("mapping")?,
            None => None,
        })
    }

    pub async fn set_hr_mapping(
        &self,
        org_id: i64,
        kind: MappingKind,
        json: &str,
    ) -> StoreResult<()> {
        self.ensure_hr_settings(org_id).await?;
        let sql = format!(
            "UPDATE hr_settings SET {} = $1 WHERE org_id = $2",
            kind.column()
        );
        sqlx::query(&sql)
            .bind(json)
            .bind(org_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The organisation's average wage cost of one own FTE per year, in cents.
    pub async fn hr_wage_cost(&self, org_id: i64) -> StoreResult<Option<i64>> {
        let row =
            sqlx::query("SELECT wage_cost_per_fte_year_cents FROM hr_settings WHERE org_id = $1")
                .bind(org_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(match row {
            Some(r) => r.try_get("wage_cost_per_fte_year_cents")?,
            None => None,
        })
    }

    pub async fn set_hr_wage_cost(&self, org_id: i64, cents: Option<i64>) -> StoreResult<()> {
        if cents.is_some_and(|c| c <= 0 || c > 100_000_000) {
            return Err(StoreError::invalid("wage_cost", crate::Violation::WageCost));
        }
        self.ensure_hr_settings(org_id).await?;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE hr_settings SET wage_cost_per_fte_year_cents = $1 WHERE org_id = $2")
            .bind(cents)
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(crate::figures::TOUCH_ORG)
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores PNIL entries in one transaction. The months present in `entries` replace what
    /// was stored for those months; other months stay.
    pub async fn replace_pnil_months(&self, org_id: i64, entries: &[PnilEntry]) -> StoreResult<()> {
        let mut months: Vec<YearMonth> = entries.iter().map(|e| e.month).collect();
        months.sort();
        months.dedup();
        let now = crate::now();
        let mut tx = self.pool.begin().await?;
        for m in &months {
            sqlx::query("DELETE FROM pnil_entries WHERE org_id = $1 AND month = $2")
                .bind(org_id)
                .bind(m.code())
                .execute(&mut *tx)
                .await?;
        }
        for e in entries {
            sqlx::query(
                "INSERT INTO pnil_entries (org_id, month, team, kind, amount_cents, hours, \
                 source_row, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(org_id)
            .bind(e.month.code())
            .bind(e.team.clone())
            .bind(e.kind.map(|k| k.code().to_string()))
            .bind(e.amount_cents)
            .bind(e.hours.map(|h| h.normalize().to_string()))
            .bind(i64::from(e.source_row))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(crate::figures::TOUCH_ORG)
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds one PNIL entry (typed in a form) next to what is stored for that month.
    pub async fn add_pnil_entry(&self, org_id: i64, e: &PnilEntry) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO pnil_entries (org_id, month, team, kind, amount_cents, hours, \
             source_row, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(org_id)
        .bind(e.month.code())
        .bind(e.team.clone())
        .bind(e.kind.map(|k| k.code().to_string()))
        .bind(e.amount_cents)
        .bind(e.hours.map(|h| h.normalize().to_string()))
        .bind(0i64)
        .bind(crate::now())
        .execute(&mut *tx)
        .await?;
        sqlx::query(crate::figures::TOUCH_ORG)
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the PNIL entries of one month.
    pub async fn delete_pnil_month(&self, org_id: i64, month: YearMonth) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("DELETE FROM pnil_entries WHERE org_id = $1 AND month = $2")
            .bind(org_id)
            .bind(month.code())
            .execute(&mut *tx)
            .await?;
        sqlx::query(crate::figures::TOUCH_ORG)
            .bind(org_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// All PNIL entries of an organisation, by month.
    pub async fn pnil_entries(&self, org_id: i64) -> StoreResult<Vec<PnilEntry>> {
        let rows = sqlx::query(
            "SELECT month, team, kind, amount_cents, hours, source_row FROM pnil_entries \
             WHERE org_id = $1 ORDER BY month, id",
        )
        .bind(org_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(pnil_from_row).collect()
    }

    /// The programme's edited sector benchmark file, if any.
    pub async fn hr_benchmark_override(&self) -> StoreResult<Option<BenchmarkOverride>> {
        let row =
            sqlx::query("SELECT toml, updated_at, updated_by FROM hr_benchmarks WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| {
            Ok(BenchmarkOverride {
                toml: r.try_get("toml")?,
                updated_at: r.try_get("updated_at")?,
                updated_by: r.try_get("updated_by")?,
            })
        })
        .transpose()
    }

    /// Saves (Some) or removes (None, back to the shipped file) the benchmark override. The
    /// caller validates the text with `hr::SectorBenchmarks::from_toml` first.
    pub async fn set_hr_benchmark_override(&self, toml: Option<&str>, by: &str) -> StoreResult<()> {
        match toml {
            Some(text) => {
                sqlx::query(
                    "INSERT INTO hr_benchmarks (id, toml, updated_at, updated_by) \
                     VALUES (1, $1, $2, $3) ON CONFLICT (id) DO UPDATE SET toml = $1, \
                     updated_at = $2, updated_by = $3",
                )
                .bind(text)
                .bind(crate::now())
                .bind(by)
                .execute(&self.pool)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM hr_benchmarks WHERE id = 1")
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestDb;
    use crate::{OrganisationInput, Subsector};

    async fn packs(s: &Store) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM hr_snapshot_packs")
            .fetch_one(&s.pool)
            .await
            .unwrap()
    }

    /// The pack is written with the rows, rebuilt from them when missing or of another
    /// format, and goes with its snapshot (deleted, replaced or purged).
    #[tokio::test]
    async fn the_pack_follows_the_rows() {
        for db in TestDb::all().await.unwrap() {
            let s = db.store.clone();
            let org = s
                .create_organisation(&OrganisationInput::new("Pak", Subsector::Vvt))
                .await
                .unwrap();
            let emp = |p: &str, hours: &str| Employee {
                pseudonym: p.into(),
                team: Some("Team\tEs".into()),
                function: None,
                fwg_scale: Some(String::new()),
                contract_hours: hours.parse().unwrap(),
                part_time_factor: "0.5".parse().unwrap(),
                age_band: None,
                start_date: chrono::NaiveDate::from_ymd_opt(2020, 2, 29),
                end_date: None,
                contract_kind: Some(ContractKind::Oproep),
                source_rows: Vec::new(),
            };
            let emps = vec![emp("aa", "18"), emp("bb", "24.25")];
            let insert = |day: u32, emps: Vec<Employee>| {
                let s = s.clone();
                async move {
                    s.insert_hr_snapshot(
                        org.id,
                        &NewHrSnapshot {
                            peildatum: chrono::NaiveDate::from_ymd_opt(2024, 3, day).unwrap(),
                            file_name: "hr.csv",
                            rows_read: emps.len(),
                            skipped: 0,
                            employees: &emps,
                        },
                    )
                    .await
                    .unwrap()
                }
            };
            let snap = insert(1, emps.clone()).await;
            assert_eq!(packs(&s).await, 1);
            assert_eq!(s.hr_employees(snap.id).await.unwrap(), emps);

            // Gone (a snapshot from before packs) or of another format: read from the rows
            // and written again.
            for damage in [
                "DELETE FROM hr_snapshot_packs",
                "UPDATE hr_snapshot_packs SET employees = 'urenwinst-hr-pack 0'",
            ] {
                sqlx::query(damage).execute(&s.pool).await.unwrap();
                assert_eq!(s.hr_employees(snap.id).await.unwrap(), emps, "{damage}");
                let pack: String = sqlx::query_scalar(
                    "SELECT employees FROM hr_snapshot_packs WHERE snapshot_id = $1",
                )
                .bind(snap.id)
                .fetch_one(&s.pool)
                .await
                .unwrap();
                assert!(pack.starts_with(crate::hr_pack::HEADER), "{damage}");
            }
            // A damaged pack is an error, never a guess.
            sqlx::query("UPDATE hr_snapshot_packs SET employees = employees || 'x'")
                .execute(&s.pool)
                .await
                .unwrap();
            assert!(matches!(
                s.hr_employees(snap.id).await,
                Err(StoreError::Config(_))
            ));

            // A new import on the same day replaces rows and pack.
            let again = insert(1, vec![emp("cc", "30")]).await;
            assert_eq!(packs(&s).await, 1);
            assert_eq!(s.hr_employees(again.id).await.unwrap()[0].pseudonym, "cc");
            let second = insert(2, emps.clone()).await;
            s.delete_hr_snapshot(org.id, again.id).await.unwrap();
            assert_eq!(packs(&s).await, 1);
            s.purge_hr_snapshots_before("2025-01-01").await.unwrap();
            assert_eq!(packs(&s).await, 0);
            // Reading a snapshot that is gone writes no pack for it.
            assert_eq!(s.hr_employees(second.id).await.unwrap(), Vec::new());
            assert_eq!(packs(&s).await, 0);
            db.cleanup().await.unwrap();
        }
    }

    /// Values the HR import would happily read ("Vast", "ZZP", "jan 2024") are corrupt
    /// when they are found in the database: the store reads its own codes only.
    #[tokio::test]
    async fn a_stored_unknown_code_is_an_error_not_a_guess() {
        for db in TestDb::all().await.unwrap() {
            let s = db.store.clone();
            let org = s
                .create_organisation(&OrganisationInput::new("Codes", Subsector::Vvt))
                .await
                .unwrap();
            let employee = Employee {
                pseudonym: "aa".into(),
                team: Some("Team".into()),
                function: None,
                fwg_scale: None,
                contract_hours: "24".parse().unwrap(),
                part_time_factor: "0.6667".parse().unwrap(),
                age_band: Some(AgeBand::From25To34),
                start_date: None,
                end_date: None,
                contract_kind: Some(ContractKind::Vast),
                source_rows: Vec::new(),
            };
            let snap = s
                .insert_hr_snapshot(
                    org.id,
                    &NewHrSnapshot {
                        peildatum: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
                        file_name: "hr.csv",
                        rows_read: 1,
                        skipped: 0,
                        employees: std::slice::from_ref(&employee),
                    },
                )
                .await
                .unwrap();
            assert_eq!(s.hr_employees(snap.id).await.unwrap()[0], employee);
            // The rows are changed behind the store's back; the pack made at import would
            // still hold the good codes, so it goes each time and is rebuilt from the rows.
            let set = |sql: &'static str| {
                let pool = s.pool.clone();
                async move {
                    sqlx::query(sql).execute(&pool).await.unwrap();
                    sqlx::query("DELETE FROM hr_snapshot_packs")
                        .execute(&pool)
                        .await
                        .unwrap();
                }
            };
            for (bad, good) in [
                (
                    "UPDATE hr_employees SET contract_kind = 'Vast'",
                    "UPDATE hr_employees SET contract_kind = 'vast'",
                ),
                (
                    "UPDATE hr_employees SET age_band = '25-34'",
                    "UPDATE hr_employees SET age_band = '25_34'",
                ),
            ] {
                set(bad).await;
                let err = s.hr_employees(snap.id).await.unwrap_err();
                assert!(matches!(err, StoreError::Config(_)), "{bad}: {err}");
                set(good).await;
                assert_eq!(s.hr_employees(snap.id).await.unwrap()[0], employee);
            }
            let entry = PnilEntry {
                month: YearMonth::new(2024, 1).unwrap(),
                team: None,
                kind: Some(PnilKind::Zzp),
                amount_cents: 10_000,
                hours: None,
                source_row: 2,
            };
            s.add_pnil_entry(org.id, &entry).await.unwrap();
            assert_eq!(s.pnil_entries(org.id).await.unwrap()[0].kind, entry.kind);
            for bad in [
                "UPDATE pnil_entries SET kind = 'ZZP'",
                "UPDATE pnil_entries SET kind = 'zelfstandige'",
            ] {
                set(bad).await;
                assert!(matches!(
                    s.pnil_entries(org.id).await,
                    Err(StoreError::Config(_))
                ));
            }
            set("UPDATE pnil_entries SET kind = 'zzp', month = 'jan 2024'").await;
            assert!(matches!(
                s.pnil_entries(org.id).await,
                Err(StoreError::Config(_))
            ));
            set("UPDATE pnil_entries SET month = '2024-01'").await;
            assert_eq!(s.pnil_entries(org.id).await.unwrap()[0].month, entry.month);
            db.cleanup().await.unwrap();
        }
    }
}
