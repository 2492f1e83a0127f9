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

/// Gives `user_id` the region named `region_name`: they see its aggregates (for a
/// regio-lezer, the only thing they see).
pub async fn grant_region(
    store: &Store,
    actor: &Actor,
    user_id: i64,
    region_name: &str,
) -> AppResult<Region> {
    let region = find_region(store, region_name).await?;
    let user = store.user(user_id).await?;
    store.grant_region(user.id, region.id).await?;
    store
        .audit(actor, user.org_id, "user.region", &region.name, &user.email)
        .await?;
    Ok(region)
}

/// Sets the regions a regio-lezer may read (replacing the earlier ones), from the users
/// page: only a programme admin, only for a regio-lezer, and only regions the admin sees.
pub async fn set_user_regions(
    store: &Store,
    actor: &User,
    user_id: i64,
    region_ids: &[i64],
) -> AppResult<Vec<Region>> {
    let target = crate::users::managed_user(store, actor, user_id).await?;
    if actor.role != Role::ProgrammeAdmin {
        return Err(AppError::Forbidden);
    }
    if target.role != Role::RegioLezer {
        return Err(AppError::invalid(
            "role",
            "Alleen een regio-lezer krijgt regio's op deze manier; een programmabeheerder ziet de regio's al.",
        ));
    }
    let mut wanted = Vec::new();
    for id in region_ids {
        let r = store
            .region(*id)
            .await
            .map_err(|_| AppError::invalid("region_ids", format!("Regio {id} bestaat niet.")))?;
        if region_access(store, actor, r.id).await.is_err() {
            return Err(AppError::invalid(
                "region_ids",
                format!("U beheert regio {} niet.", r.name),
            ));
        }
        if !wanted.iter().any(|w: &Region| w.id == r.id) {
            wanted.push(r);
        }
    }
    let before = store.user_region_ids(target.id).await?;
    for id in &before {
        if !wanted.iter().any(|w| w.id == *id) && region_access(store, actor, *id).await.is_ok() {
            store.revoke_region(target.id, *id).await?;
        }
    }
    for r in &wanted {
        store.grant_region(target.id, r.id).await?;
    }
    let names: Vec<&str> = wanted.iter().map(|r| r.name.as_str()).collect();
    store
        .audit(
            &crate::audit::actor(actor),
            None,
            "user.regions",
            &target.email,
            &names.join(", "),
        )
        .await?;
    Ok(wanted)
}

/// The region named `name` (case-insensitive), or a Dutch "no such region".
pub async fn find_region(store: &Store, name: &str) -> AppResult<Region> {
    store.find_region(name).await.map_err(|e| match e {
        store::StoreError::NotFound => AppError::Invalid {
            field: "region",
            message: format!("Er is geen regio '{}'.", name.trim()),
        },
        other => other.into(),
    })
}

/// One organisation's contribution to the regional picture for one period, taken from its
/// Value Case. Figures the Value Case hides inside the organisation (fewer respondents than
/// its minimum group size) do not contribute: the organisation then counts with 0
/// respondents, so the region never pools what the organisation itself would not show.
/// The period is the year the round closed, so organisations whose rounds close in
/// different months of a year are pooled.
pub fn org_figures(vc: &valuecase::ValueCase) -> OrgFigures {
    let employees = vc.workforce.employees.unwrap_or(0);
    let contract_hours_sum = vc
        .workforce
        .average_contract_hours
        .map_or(0.0, |h| h * employees as f64);
    let answered = if vc.survey.suppressed {
        0
    } else {
        vc.survey.answered_openness.unwrap_or(0)
    };
    let count = |share: Option<f64>| -> u64 {
        share.map_or(0, |s| (s * answered as f64).round().max(0.0) as u64)
    };
    let open_count = count(vc.survey.open_share).min(answered);
    let sure_count = count(vc.survey.sure_share).min(open_count);
    let conditional_count = count(vc.survey.conditional_share).min(open_count - sure_count);
    let options = |list: &[valuecase::OptionShare]| -> Vec<region::OptionCount> {
        if answered == 0 {
            return Vec::new();
        }
        list.iter()
            .map(|o| region::OptionCount {
                option: o.option.clone(),
                count: o.count.min(answered),
            })
            .collect()
    };
    let (potential_hours_per_week, potential_fte) = if vc.potential.suppressed || answered == 0 {
        (0.0, 0.0)
    } else {
        (
            vc.potential.hours_per_week.unwrap_or(0.0).max(0.0),
            vc.potential.fte.unwrap_or(0.0).max(0.0),
        )
    };
    OrgFigures {
        org_id: vc.organisation.id,
        subsector: String::new(),
        period: vc.round.closes_on.format("%Y").to_string(),
        employees,
        contract_hours_sum,
        fulltime_hours: vc.full_time_hours,
        respondents: answered,
        open_count,
        sure_count,
        conditional_count,
        potential_hours_per_week,
        potential_fte,
        pnil_last_12_months_cost_cents: if vc.pnil.months_with_data > 0 {
            vc.pnil.last_12_months_cost
        } else {
            None
        },
        conditions: options(&vc.conditions),
        obstacles: options(&vc.obstacles),
    }
}

/// The figures the regional picture pools, and who does not contribute yet.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionFigures {
    pub region: Region,
    /// One entry per organisation and period (the last closed round of each year).
    pub figures: Vec<OrgFigures>,
    /// Names of the region's organisations without a closed round and HR file yet
    /// ("nog geen resultaten"). Taking part is not a figure, so names may be shown.
    pub without_results: Vec<String>,
    /// Dutch labels of the condition and obstacle option codes met.
    pub labels: std::collections::BTreeMap<String, String>,
}

/// One organisation's part of the regional picture: its figures per period (the last
/// closed round of each year) and the Dutch labels of the condition and obstacle options
/// met. Kept per organisation in the store (`org_figures`) with the data version it was
/// made from.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OrgContribution {
    pub figures: Vec<OrgFigures>,
    pub labels: std::collections::BTreeMap<String, String>,
}

/// An organisation's contribution computed from its Value Cases: for each year the
/// organisation's last closed employees' round with the HR snapshot nearest its close
/// date (no bootstrap: the interval is not pooled).
pub async fn compute_contribution(
    store: &Store,
    org_id: i64,
    today: chrono::NaiveDate,
) -> AppResult<OrgContribution> {
    let caller = crate::access::Caller::Operator;
    let choices = crate::value_case::choices(store, caller, org_id).await?;
    let mut years = std::collections::BTreeSet::new();
    let mut out = OrgContribution::default();
    // Last closed first: the first round of each year is that year's last.
    for round in &choices.rounds {
        if !years.insert(round.closes_on.format("%Y").to_string()) {
            continue;
        }
        match crate::value_case::assemble_with(
            store,
            caller,
            org_id,
            Some(round.id),
            None,
            today,
            0,
        )
        .await
        {
            Ok(vc) => {
                for o in vc.conditions.iter().chain(&vc.obstacles) {
                    out.labels
                        .entry(o.option.clone())
                        .or_insert_with(|| o.label.clone());
                }
                out.figures.push(org_figures(&vc));
            }
            Err(AppError::Invalid { .. } | AppError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Computes an organisation's contribution and keeps it with the data version read
/// before computing (so a change made meanwhile makes it stale again, never lost).
pub async fn refresh_contribution(
    store: &Store,
    org_id: i64,
    data_version: i64,
    today: chrono::NaiveDate,
) -> AppResult<OrgContribution> {
    let c = compute_contribution(store, org_id, today).await?;
    let json = serde_json::to_string(&c).map_err(AppError::internal)?;
    store.keep_org_figures(org_id, data_version, &json).await?;
    Ok(c)
}

/// Refreshes up to `limit` organisations whose kept contribution is missing or stale
/// (the periodic job and `urenwinst region refresh`); returns how many were refreshed.
pub async fn refresh_stale(
    store: &Store,
    limit: i64,
    today: chrono::NaiveDate,
) -> AppResult<usize> {
    let stale = store.stale_org_figures(limit).await?;
    for &org_id in &stale {
        let version = store.org_data_version(org_id).await?;
        refresh_contribution(store, org_id, version, today).await?;
    }
    Ok(stale.len())
}

/// Collects every organisation's figures of region `region_id`: the kept contribution of
/// each organisation where it is current (one query for the whole region), else computed
/// from its Value Cases and kept. `today` is the report date. No access check: callers
/// check [`region_access`] first.
pub async fn region_figures(
    store: &Store,
    region_id: i64,
    today: chrono::NaiveDate,
) -> AppResult<RegionFigures> {
    let region = store.region(region_id).await?;
    let mut figures = Vec::new();
    let mut without_results = Vec::new();
    let mut labels = std::collections::BTreeMap::new();
    let mut computed = 0usize;
    for kept in store.region_kept_figures(region_id).await? {
        let current: Option<OrgContribution> = kept
            .current()
            .and_then(|json| serde_json::from_str(json).ok());
        let c = match current {
            Some(c) => c,
            None => {
                computed += 1;
                refresh_contribution(store, kept.organisation.id, kept.data_version, today).await?
            }
        };
        if c.figures.is_empty() {
            without_results.push(kept.organisation.name.clone());
        }
        for (k, v) in c.labels {
            labels.entry(k).or_insert(v);
        }
        figures.extend(c.figures);
    }
    tracing::debug!(
        region = region_id,
        computed,
        "regional figures read (kept ones current, others computed)"
    );
    Ok(RegionFigures {
        region,
        figures,
        without_results,
        labels,
    })
}

/// The regional picture as a user may see it: aggregates only, after [`region_access`].
#[derive(Debug, Clone, PartialEq)]
pub struct PictureForUser {
    pub picture: RegionalPicture,
    pub region: Region,
    pub without_results: Vec<String>,
    pub labels: std::collections::BTreeMap<String, String>,
}

/// The regional picture of `region_id` for `user` (forbidden when the region is not
/// theirs), with the organisations that have no results yet.
pub async fn picture_for(
    store: &Store,
    user: &User,
    region_id: i64,
    today: chrono::NaiveDate,
) -> AppResult<PictureForUser> {
    region_access(store, user, region_id).await?;
    picture_of(store, region_id, today).await
}

/// [`picture_for`] without an access check, for the command line (the operator).
pub async fn picture_of(
    store: &Store,
    region_id: i64,
    today: chrono::NaiveDate,
) -> AppResult<PictureForUser> {
    let started = std::time::Instant::now();
    let f = region_figures(store, region_id, today).await?;
    let picture = regional_picture(store, region_id, f.figures).await?;
    tracing::info!(
        region = region_id,
        ms = started.elapsed().as_millis() as u64,
        "regional picture"
    );
    Ok(PictureForUser {
        picture,
        region: f.region,
        without_results: f.without_results,
        labels: f.labels,
    })
}

/// An organisation's own regional view in its latest period, for `caller` (who must be
/// allowed to read the organisation's Value Case: never a regio-lezer). `None` when the
/// organisation has no results yet.
pub async fn own_view_for(
    store: &Store,
    caller: crate::access::Caller<'_>,
    org_id: i64,
    today: chrono::NaiveDate,
) -> AppResult<Option<(Region, OwnView)>> {
    caller.require_value_case_view(org_id)?;
    let region = store.organisation_region(org_id).await?;
    let f = region_figures(store, region.id, today).await?;
    let Some(period) = f
        .figures
        .iter()
        .filter(|x| x.org_id == org_id)
        .map(|x| x.period.clone())
        .max()
    else {
        return Ok(None);
    };
    let view = organisation_view(store, org_id, &period, f.figures).await?;
    Ok(Some((region, view)))
}

/// One row of the report's table: its label and how to show it for a picture row.
type DocMeasure = (&'static str, fn(&region::Row) -> Option<String>);

/// The regional picture as a report document (`report::doc`), for `--html` now and the
/// PDF renderer: one table per period with a column per subsector and the region, hidden
/// cells as `report::doc::Cell::Suppressed` with the reasons listed under it, and a chart
/// of the open share. Aggregates only, like the picture itself.
pub fn picture_document(p: &PictureForUser, date: chrono::NaiveDate) -> report::doc::Document {
    use report::chart::{Bar, bar_chart};
    use report::doc::{Align, Block, Cell, Document, Figure, Section, Table};
    use report::nl;
    let label = |code: Option<&str>| -> String {
        match code {
            None => "Hele regio".into(),
            Some(c) => store::Subsector::from_code(c)
                .map(|s| s.label().to_string())
                .unwrap_or_else(|| c.to_string()),
        }
    };
    let cell = |v: Option<String>| v.map_or(Cell::Suppressed, Cell::Text);
    let period_section = |period: &str, subsectors: &[region::Row], total: &region::Row| {
        let rows: Vec<&region::Row> = subsectors.iter().chain(std::iter::once(total)).collect();
        let measures: Vec<DocMeasure> = vec![
            ("Organisaties", |r| Some(r.organisations.to_string())),
            ("Medewerkers", |r| {
                r.employees.map(|v| nl::number(v as f64, 0))
            }),
            ("Gemiddelde contracturen per week", |r| {
                r.average_contract_hours.map(|v| nl::number(v, 1))
            }),
            ("Deeltijdfactor", |r| {
                r.deeltijdfactor.map(|v| nl::number(v, 2))
            }),
            ("Respondenten", |r| {
                r.respondents.map(|v| nl::number(v as f64, 0))
            }),
            ("Open voor meer uren", |r| {
                r.open_share.map(|v| nl::percent(v, 0))
            }),
            ("Potentieel (fte)", |r| {
                r.potential_fte.map(|v| nl::number(v, 1))
            }),
            ("PNIL-kosten laatste 12 maanden", |r| {
                r.pnil_last_12_months_cost_cents.map(nl::euro_cents)
            }),
        ];
        let table = Table {
            caption: Some(format!("Periode {period}")),
            header: std::iter::once("Cijfer".to_string())
                .chain(rows.iter().map(|r| label(r.subsector.as_deref())))
                .collect(),
            align: std::iter::once(Align::Left)
                .chain(rows.iter().map(|_| Align::Right))
                .collect(),
            rows: measures
                .iter()
                .map(|(name, f)| {
                    std::iter::once(Cell::Text((*name).to_string()))
                        .chain(rows.iter().map(|r| cell(f(r))))
                        .collect()
                })
                .collect(),
        };
        let reasons: Vec<String> = rows
            .iter()
            .flat_map(|r| {
                r.suppressions.iter().map(|s| {
                    let group = match s.figures {
                        region::FigureGroup::Workforce => "personeel",
                        region::FigureGroup::Survey => "enquête",
                        region::FigureGroup::Pnil => "PNIL",
                    };
                    format!("{} ({group}): {}", label(r.subsector.as_deref()), s.reason)
                })
            })
            .collect();
        let mut blocks = vec![Block::Table(table)];
        if !reasons.is_empty() {
            blocks.push(Block::Paragraph("**Niet getoond, en waarom:**".into()));
            blocks.push(Block::Bullets(reasons));
        }
        blocks
    };
    let pic = &p.picture;
    let mut intro = vec![Block::Paragraph(format!(
        "Cijfers van de deelnemende organisaties samen, per subsector en voor de hele regio. Een cijfer staat er alleen als minstens {} organisaties eraan bijdragen en geen organisatie meer dan {}% levert; zo is het cijfer van één organisatie nooit te zien of terug te rekenen.",
        pic.policy.min_orgs, pic.policy.dominance_percent
    ))];
    if !p.without_results.is_empty() {
        intro.push(Block::Paragraph(format!(
            "{} organisatie(s) hebben nog geen resultaten en tellen nog niet mee.",
            p.without_results.len()
        )));
    }
    let mut blocks = intro;
    blocks.extend(period_section(
        pic.period.as_deref().unwrap_or("–"),
        &pic.subsectors,
        &pic.total,
    ));
    let bars: Vec<Bar> = pic
        .subsectors
        .iter()
        .chain(std::iter::once(&pic.total))
        .map(|r| Bar {
            label: label(r.subsector.as_deref()),
            value: r.open_share.map(|s| s * 100.0),
            value_label: r
                .open_share
                .map_or_else(|| "niet getoond".into(), |s| nl::percent(s, 0)),
        })
        .collect();
    blocks.push(Block::Figure(Figure {
        svg: bar_chart(
            "regio-open",
            &format!("Open voor meer uren in {}", pic.region),
            "Aandeel respondenten dat meer uren wil werken, per subsector en voor de hele regio",
            &bars,
            None,
        ),
        caption: "Open voor meer uren (zeker of onder voorwaarden)".into(),
    }));
    let mut sections = vec![Section {
        heading: format!("Regiobeeld {}", pic.region),
        blocks,
    }];
    if pic.trend.len() > 1 {
        sections.push(Section {
            heading: "Verloop per periode".into(),
            blocks: pic
                .trend
                .iter()
                .flat_map(|t| period_section(&t.period, &t.subsectors, &t.total))
                .collect(),
        });
    }
    Document {
        title: format!("Regiobeeld {}", pic.region),
        subtitle: pic.period.as_ref().map(|p| format!("Periode {p}")),
        org_name: p.region.name.clone(),
        date,
        sections,
    }
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

    #[tokio::test]
    async fn the_demo_region_is_fed_from_value_cases() {
        for db in TestDb::all().await.unwrap() {
            let s = db.store.clone();
            crate::demo::load(&s).await.unwrap().unwrap();
            let twente = s.default_region().await.unwrap();
            let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
            let f = region_figures(&s, twente.id, today).await.unwrap();
            // 11 with a closed round (GGZ Regge en Vecht through its closed spring round),
            // 5 without one yet.
            assert_eq!(f.figures.len(), 11);
            assert_eq!(f.without_results.len(), 5);
            assert!(
                !f.without_results
                    .contains(&"GGZ Regge en Vecht".to_string())
            );
            assert!(f.figures.iter().all(|x| x.period == "2026"));
            // De Dinkel's figures are its Value Case's: 100 respondents, 45 open (14 + 31).
            let dinkel = s.find_organisation("Zorggroep De Dinkel").await.unwrap();
            let vc = crate::value_case::assemble_with(
                &s,
                crate::access::Caller::Operator,
                dinkel.id,
                None,
                None,
                today,
                0,
            )
            .await
            .unwrap();
            let mine = f.figures.iter().find(|x| x.org_id == dinkel.id).unwrap();
            assert_eq!(*mine, org_figures(&vc));
            assert_eq!(mine.respondents, 100);
            assert_eq!(
                (mine.open_count, mine.sure_count, mine.conditional_count),
                (45, 14, 31)
            );
            assert_eq!(Some(mine.employees), vc.workforce.employees);
            assert!(!f.labels.is_empty());

            // The picture a regio-lezer gets; the own view an organisation gets; a
            // regio-lezer never gets an organisation's own view.
            let reader = s.user_by_email("regio@urenwinst.example").await.unwrap();
            assert_eq!(reader.role, Role::RegioLezer);
            let p = picture_for(&s, &reader, twente.id, today).await.unwrap();
            assert_eq!(p.picture.total.organisations, 11);
            assert!(p.picture.subsectors.iter().any(|r| r.employees.is_some()));
            assert!(p.picture.subsectors.iter().any(|r| r.employees.is_none()));
            assert!(matches!(
                own_view_for(&s, crate::access::Caller::User(&reader), dinkel.id, today).await,
                Err(AppError::NotFound | AppError::Forbidden)
            ));
            let (_, view) = own_view_for(&s, crate::access::Caller::Operator, dinkel.id, today)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(view.organisation.respondents, 100);
            // An organisation without a closed round has no own view yet.
            let waiting = s.find_organisation(&f.without_results[0]).await.unwrap();
            assert!(
                own_view_for(&s, crate::access::Caller::Operator, waiting.id, today)
                    .await
                    .unwrap()
                    .is_none()
            );
            db.cleanup().await.unwrap();
        }
    }

    /// The picture reads each organisation's kept figures while they are current (shown
    /// by planting a kept document), and computes them again after a write that touches
    /// the organisation.
    #[tokio::test]
    async fn kept_figures_are_read_while_current_and_recomputed_after_a_change() {
        for db in TestDb::all().await.unwrap() {
            let s = db.store.clone();
            let q = survey::Questionnaire::standard("medewerkers", 1).unwrap();
            let teams = ["Team A", "Team B", "Team C"];
            let mut orgs = Vec::new();
            for i in 0..3u64 {
                let name = format!("Zorg {i}");
                let org = crate::demo::region::generated_organisation(
                    &s,
                    q,
                    &crate::demo::region::GeneratedOrg {
                        name: &name,
                        subsector: Subsector::Vvt,
                        headcount: 60,
                        respondents: 30,
                        openness: [15, 30, 35, 12, 8],
                        teams: &teams,
                        invited_per_team: 20,
                        seed: 40 + i,
                        employee_prefix: &format!("K{i}-"),
                    },
                )
                .await
                .unwrap();
                orgs.push(org);
            }
            let twente = s.default_region().await.unwrap();
            let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
            let first = region_figures(&s, twente.id, today).await.unwrap();
            assert_eq!(first.figures.len(), 3);
            let kept = s.region_kept_figures(twente.id).await.unwrap();
            assert!(kept.iter().all(|k| k.current().is_some()), "{kept:?}");
            assert!(s.stale_org_figures(10).await.unwrap().is_empty());

            // A planted document with the current version is what the picture reads.
            let k = &kept[0];
            let mut planted: OrgContribution = serde_json::from_str(k.current().unwrap()).unwrap();
            planted.figures[0].employees = 999;
            s.keep_org_figures(
                k.organisation.id,
                k.data_version,
                &serde_json::to_string(&planted).unwrap(),
            )
            .await
            .unwrap();
            let read = region_figures(&s, twente.id, today).await.unwrap();
            let mine = |f: &RegionFigures| {
                f.figures
                    .iter()
                    .find(|x| x.org_id == k.organisation.id)
                    .unwrap()
                    .employees
            };
            assert_eq!(mine(&read), 999);

            // A write that feeds the Value Case makes it stale: computed again from data.
            s.set_hr_wage_cost(k.organisation.id, Some(6_000_000))
                .await
                .unwrap();
            assert_eq!(
                s.stale_org_figures(10).await.unwrap(),
                vec![k.organisation.id]
            );
            let again = region_figures(&s, twente.id, today).await.unwrap();
            assert_eq!(mine(&again), 60);
            assert_eq!(again.figures, first.figures);
            // The worker's refresh has nothing left to do.
            assert_eq!(refresh_stale(&s, 100, today).await.unwrap(), 0);
            db.cleanup().await.unwrap();
        }
    }
}
