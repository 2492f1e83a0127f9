//! The learning network (issue 30): practices an organisation shares with the region,
//! with their measured effect computed from the organisation's own data
//! (`region::practice`), never typed in.
//!
//! - Sharing needs the organisation's own admin and explicit consent per practice;
//!   withdrawing (any time, by the organisation's admin or the programme) hides the
//!   practice everywhere.
//! - Users of the region's organisations see the region's practices and those shared with
//!   every region; the programme admin those of the regions they see. Names of the sharing
//!   organisations are shown: sharing is by consent.
//! - A regio-lezer never sees one organisation's figure or name: for them a practice shows
//!   what was done and in which context, without the organisation and without its effect.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use store::{Practice, PracticeInput, Role, Store, Subsector};
use valuecase::interview::Theme;

use crate::access::Caller;
use crate::policy::OrganisationPolicy;
use crate::{AppError, AppResult};

/// Size bands of the context (employees of the organisation).
pub const SIZE_BANDS: [(&str, &str); 4] = [
    ("tot_100", "tot 100 medewerkers"),
    ("100_500", "100 tot 500 medewerkers"),
    ("500_2000", "500 tot 2.000 medewerkers"),
    ("vanaf_2000", "2.000 medewerkers of meer"),
];

/// Effect filters: which measured effect a practice must have.
pub const EFFECT_FILTERS: [(&str, &str); 4] = [
    ("any", "met een gemeten effect"),
    ("uren", "met meer contracturen"),
    ("pnil", "met lagere PNIL-kosten"),
    ("opkomst", "met minder opkomstmomenten"),
];

/// What sharing a practice takes (page form and API body).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PracticeForm {
    pub title: String,
    /// An intervention code of the catalogue (`roostersessies`, …).
    pub intervention: String,
    /// An interview theme code.
    pub theme: String,
    pub description: String,
    /// Subsector code; empty: the organisation's own.
    #[serde(default)]
    pub subsector: String,
    #[serde(default)]
    pub team_type: String,
    pub size_band: String,
    /// ISO date the practice started.
    pub started_on: String,
    /// Teams concerned (none: the whole organisation).
    #[serde(default)]
    pub team_ids: Vec<i64>,
    #[serde(default)]
    pub links: Vec<LinkForm>,
    /// Also visible to other regions.
    #[serde(default)]
    pub all_regions: bool,
    /// Explicit consent to share; must be `true`.
    #[serde(default)]
    pub consent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkForm {
    pub label: String,
    pub url: String,
}

/// Filters of the library.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default)]
    pub intervention: Option<String>,
    #[serde(default)]
    pub subsector: Option<String>,
    /// `any`, `uren`, `pnil` or `opkomst`.
    #[serde(default)]
    pub effect: Option<String>,
    /// Words in the title or description.
    #[serde(default)]
    pub q: Option<String>,
}

/// A practice as a user may see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PracticeView {
    pub id: i64,
    /// `None` for a regio-lezer.
    pub organisation: Option<String>,
    pub org_id: Option<i64>,
    pub title: String,
    pub intervention: String,
    pub intervention_name: String,
    pub theme: String,
    pub theme_label: String,
    pub description: String,
    pub subsector: String,
    pub subsector_label: String,
    pub team_type: String,
    pub size_band: String,
    pub size_band_label: String,
    pub started_on: String,
    pub all_regions: bool,
    pub withdrawn: bool,
    pub teams: Vec<String>,
    pub links: Vec<LinkForm>,
    /// The measured effect; `None` for a regio-lezer.
    pub effect: Option<region::practice::Effect>,
}

fn interventions() -> AppResult<Vec<valuecase::rules::Intervention>> {
    Ok(valuecase::Rules::embedded()
        .map_err(AppError::internal)?
        .interventions()
        .to_vec())
}

/// The catalogue's interventions as `(code, name)`.
pub fn intervention_choices() -> AppResult<Vec<(String, String)>> {
    Ok(interventions()?
        .into_iter()
        .map(|i| (i.code, i.name))
        .collect())
}

/// The measured effect of a practice, from the organisation's HR snapshots, PNIL and
/// roster scans.
pub async fn effect(store: &Store, p: &Practice) -> AppResult<region::practice::Effect> {
    use region::practice::{EffectInput, ScanData, SnapshotData, measure_effect};
    let org = store.organisation(p.org_id).await?;
    let started_on =
        chrono::NaiveDate::parse_from_str(&p.started_on, "%Y-%m-%d").map_err(AppError::internal)?;
    let teams: Vec<String> = store
        .all_teams(p.org_id)
        .await?
        .into_iter()
        .filter(|t| p.team_ids.contains(&t.id))
        .map(|t| t.name)
        .collect();
    let mut loaded = Vec::new();
    for s in store.hr_snapshots(p.org_id).await? {
        let date = chrono::NaiveDate::parse_from_str(&s.peildatum, "%Y-%m-%d")
            .map_err(AppError::internal)?;
        loaded.push((date, store.hr_employees(s.id).await?));
    }
    let snapshots: Vec<SnapshotData<'_>> = loaded
        .iter()
        .map(|(d, e)| SnapshotData {
            peildatum: *d,
            employees: e,
        })
        .collect();
    let pnil = store.pnil_entries(p.org_id).await?;
    let scans: Vec<ScanData> = store
        .roster_scan_summaries(p.org_id)
        .await?
        .into_iter()
        .filter_map(|s| {
            Some(ScanData {
                scanned_on: chrono::NaiveDate::parse_from_str(&s.scanned_on, "%Y-%m-%d").ok()?,
                employees: u64::try_from(s.employees).ok()?,
                shifts: u64::try_from(s.shifts).ok()?,
                split_shift_share: s.split_shift_share,
            })
        })
        .collect();
    let full_time = rust_decimal::Decimal::from_f64_retain(org.fulltime_hours)
        .unwrap_or(rust_decimal::Decimal::from(36));
    Ok(measure_effect(&EffectInput {
        started_on,
        min_group_size: org.policy().k(),
        full_time_hours: full_time,
        teams: &teams,
        snapshots: &snapshots,
        pnil: &pnil,
        scans: &scans,
    }))
}

/// Whether the caller reads practices as a regio-lezer (no names, no effects).
fn reader_only(caller: Caller<'_>) -> bool {
    matches!(caller, Caller::User(u) if u.role == Role::RegioLezer)
}

async fn view(store: &Store, caller: Caller<'_>, p: Practice) -> AppResult<PracticeView> {
    let interventions = interventions()?;
    let hide = reader_only(caller);
    let effect = if hide {
        None
    } else {
        Some(effect(store, &p).await?)
    };
    let teams = if hide {
        Vec::new()
    } else {
        store
            .all_teams(p.org_id)
            .await?
            .into_iter()
            .filter(|t| p.team_ids.contains(&t.id))
            .map(|t| t.name)
            .collect()
    };
    Ok(PracticeView {
        id: p.id,
        organisation: (!hide).then(|| p.org_name.clone()),
        org_id: (!hide).then_some(p.org_id),
        intervention_name: interventions
            .iter()
            .find(|i| i.code == p.intervention)
            .map_or_else(|| p.intervention.clone(), |i| i.name.clone()),
        theme_label: Theme::from_str(&p.theme)
            .map(|t| t.label().to_string())
            .unwrap_or_else(|_| p.theme.clone()),
        subsector_label: Subsector::from_code(&p.subsector)
            .map(|s| s.label().to_string())
            .unwrap_or_else(|| p.subsector.clone()),
        size_band_label: crate::round_table::label_of(&SIZE_BANDS, &p.size_band),
        title: p.title,
        intervention: p.intervention,
        theme: p.theme,
        description: p.description,
        subsector: p.subsector,
        team_type: p.team_type,
        size_band: p.size_band,
        started_on: p.started_on,
        all_regions: p.all_regions,
        withdrawn: p.withdrawn_at.is_some(),
        teams,
        links: p
            .links
            .into_iter()
            .map(|(label, url)| LinkForm { label, url })
            .collect(),
        effect,
    })
}

/// Whether `caller` may see practice `p` in the library (never a withdrawn one).
async fn may_see(store: &Store, caller: Caller<'_>, p: &Practice) -> AppResult<bool> {
    if p.withdrawn_at.is_some() {
        return Ok(false);
    }
    let u = match caller {
        Caller::Operator => return Ok(true),
        Caller::User(u) => u,
    };
    if !u.active {
        return Ok(false);
    }
    if let Some(org) = u.org_id {
        if p.all_regions || org == p.org_id {
            return Ok(true);
        }
        return Ok(store.organisation_region(org).await?.id == p.region_id);
    }
    // Programme admins and regio-lezers: the regions they see.
    if p.all_regions && u.role == Role::ProgrammeAdmin {
        return Ok(true);
    }
    Ok(crate::region::region_access(store, u, p.region_id)
        .await
        .is_ok())
}

fn matches(v: &PracticeView, f: &Filter) -> bool {
    let eq = |want: &Option<String>, have: &str| {
        want.as_deref()
            .map(str::trim)
            .is_none_or(|w| w.is_empty() || w == have)
    };
    let effect_ok = match f.effect.as_deref().map(str::trim) {
        None | Some("") => true,
        Some(kind) => v.effect.as_ref().is_some_and(|e| match kind {
            "uren" => e
                .contract_hours
                .value
                .as_ref()
                .is_some_and(|h| h.hours_added > 0.0),
            "pnil" => e.pnil.value.as_ref().is_some_and(|p| p.change_cents < 0),
            "opkomst" => e
                .opkomstmomenten
                .value
                .as_ref()
                .is_some_and(|o| o.change < 0.0),
            _ => e.any(),
        }),
    };
    let text_ok = f.q.as_deref().map(str::trim).is_none_or(|q| {
        q.is_empty() || {
            let q = q.to_lowercase();
            v.title.to_lowercase().contains(&q) || v.description.to_lowercase().contains(&q)
        }
    });
    eq(&f.theme, &v.theme)
        && eq(&f.intervention, &v.intervention)
        && eq(&f.subsector, &v.subsector)
        && effect_ok
        && text_ok
}

/// The library as `caller` may see it, filtered.
pub async fn library(
    store: &Store,
    caller: Caller<'_>,
    filter: &Filter,
) -> AppResult<Vec<PracticeView>> {
    let mut out = Vec::new();
    for p in store.practices(None, None).await? {
        if !may_see(store, caller, &p).await? {
            continue;
        }
        let v = view(store, caller, p).await?;
        if matches(&v, filter) {
            out.push(v);
        }
    }
    Ok(out)
}

/// One practice of the library (not found when withdrawn or not visible to the caller).
pub async fn practice(store: &Store, caller: Caller<'_>, id: i64) -> AppResult<PracticeView> {
    let p = store.practice(id).await?;
    if !may_see(store, caller, &p).await? {
        return Err(AppError::NotFound);
    }
    view(store, caller, p).await
}

/// An organisation's own practices, withdrawn ones included (its admins and the
/// programme).
pub async fn of_organisation(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
) -> AppResult<Vec<PracticeView>> {
    caller.require_admin_org(org_id)?;
    let mut out = Vec::new();
    for p in store.practices(None, Some(org_id)).await? {
        out.push(view(store, Caller::Operator, p).await?);
    }
    Ok(out)
}

/// Shares a practice of `org_id`: the organisation's own admin, with consent.
pub async fn share(
    store: &Store,
    caller: Caller<'_>,
    org_id: i64,
    form: &PracticeForm,
) -> AppResult<PracticeView> {
    caller.require_admin_org(org_id)?;
    if let Caller::User(u) = caller
        && u.org_id != Some(org_id)
    {
        // Consent is the organisation's to give, not the programme's.
        return Err(AppError::Forbidden);
    }
    if !form.consent {
        return Err(AppError::invalid(
            "consent",
            "Zet een vinkje bij 'toestemming': zonder toestemming delen we niets.",
        ));
    }
    let org = store.organisation(org_id).await?;
    if !interventions()?.iter().any(|i| i.code == form.intervention) {
        return Err(AppError::invalid(
            "intervention",
            format!(
                "Interventie '{}' staat niet in de catalogus. Kies er een uit de lijst.",
                form.intervention
            ),
        ));
    }
    let theme = Theme::from_str(&form.theme).map_err(|_| {
        AppError::invalid(
            "theme",
            format!(
                "Thema '{}' bestaat niet. Kies een thema uit de lijst.",
                form.theme
            ),
        )
    })?;
    let subsector = if form.subsector.trim().is_empty() {
        org.subsector
    } else {
        Subsector::from_code(form.subsector.trim()).ok_or_else(|| {
            AppError::invalid(
                "subsector",
                format!("Subsector '{}' bestaat niet.", form.subsector),
            )
        })?
    };
    if !SIZE_BANDS.iter().any(|(c, _)| *c == form.size_band) {
        return Err(AppError::invalid(
            "size_band",
            "Kies een grootte uit de lijst (bijvoorbeeld 100 tot 500 medewerkers).",
        ));
    }
    let started_on = chrono::NaiveDate::parse_from_str(form.started_on.trim(), "%Y-%m-%d")
        .map_err(|_| {
            AppError::invalid(
                "started_on",
                format!(
                    "Startdatum '{}' is geen datum. Vul een datum in als 2026-03-01.",
                    form.started_on
                ),
            )
        })?;
    for (n, l) in form.links.iter().enumerate() {
        let url = l.url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.contains(char::is_whitespace)
        {
            return Err(AppError::invalid(
                "links",
                format!(
                    "Link {}: '{url}' is geen webadres. Begin met https://.",
                    n + 1
                ),
            ));
        }
    }
    if form.title.trim().is_empty() || form.description.trim().is_empty() {
        return Err(AppError::invalid(
            "title",
            "Vul een titel en een beschrijving van wat u deed in.",
        ));
    }
    let input = PracticeInput {
        title: form.title.trim().to_string(),
        intervention: form.intervention.clone(),
        theme: theme.code().to_string(),
        description: form.description.trim().to_string(),
        subsector: subsector.code().to_string(),
        team_type: form.team_type.trim().to_string(),
        size_band: form.size_band.clone(),
        started_on: started_on.format("%Y-%m-%d").to_string(),
        all_regions: form.all_regions,
        team_ids: form.team_ids.clone(),
        links: form
            .links
            .iter()
            .filter(|l| !l.url.trim().is_empty())
            .map(|l| {
                let label = if l.label.trim().is_empty() {
                    l.url.trim()
                } else {
                    l.label.trim()
                };
                (label.to_string(), l.url.trim().to_string())
            })
            .collect(),
    };
    let p = store
        .share_practice(org_id, &input, caller.user_id())
        .await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "practice.share",
            &p.title,
            "toestemming gegeven",
        )
        .await?;
    view(store, Caller::Operator, p).await
}

/// Withdraws a practice of `org_id` (its admins or the programme); hidden everywhere.
pub async fn withdraw(store: &Store, caller: Caller<'_>, org_id: i64, id: i64) -> AppResult<()> {
    caller.require_admin_org(org_id)?;
    let p = store.practice(id).await?;
    if p.org_id != org_id {
        return Err(AppError::NotFound);
    }
    store.withdraw_practice(org_id, id).await?;
    store
        .audit(
            &caller.actor(),
            Some(org_id),
            "practice.withdraw",
            &p.title,
            "",
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::testing::TestDb;
    use store::{NewUser, OrganisationInput, User};

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

    fn form() -> PracticeForm {
        PracticeForm {
            title: "Vaste dagen".into(),
            intervention: "roostersessies".into(),
            theme: "rooster".into(),
            description: "Roosters met vaste dagen.".into(),
            subsector: String::new(),
            team_type: "wijkteam".into(),
            size_band: "100_500".into(),
            started_on: "2026-03-01".into(),
            team_ids: vec![],
            links: vec![LinkForm {
                label: "Draaiboek".into(),
                url: "https://example.org/draaiboek".into(),
            }],
            all_regions: false,
            consent: true,
        }
    }

    #[tokio::test]
    async fn sharing_needs_consent_and_withdrawal_hides_everywhere() {
        for db in TestDb::all().await.unwrap() {
            let s = db.store.clone();
            let twente = s.default_region().await.unwrap();
            let a = s
                .create_organisation(&OrganisationInput::new("Zorg A", Subsector::Vvt))
                .await
                .unwrap();
            let b = s
                .create_organisation(&OrganisationInput::new("Zorg B", Subsector::Ggz))
                .await
                .unwrap();
            let c = s
                .create_organisation(&OrganisationInput::new("Zorg C", Subsector::Ggz))
                .await
                .unwrap();
            let actor = store::Actor::cli();
            crate::region::create_region(&s, &actor, "Salland", 3, 50)
                .await
                .unwrap();
            crate::region::set_organisation_region(&s, &actor, c.id, "Salland")
                .await
                .unwrap();
            let a_admin = user(&s, "hr@a.nl", Role::OrgAdmin, Some(a.id)).await;
            let a_mgr = user(&s, "m@a.nl", Role::Manager, Some(a.id)).await;
            let b_mgr = user(&s, "m@b.nl", Role::Manager, Some(b.id)).await;
            let c_mgr = user(&s, "m@c.nl", Role::Manager, Some(c.id)).await;
            let pa = user(&s, "pa@x.nl", Role::ProgrammeAdmin, None).await;
            let lezer = user(&s, "lezer@x.nl", Role::RegioLezer, None).await;
            s.grant_region(lezer.id, twente.id).await.unwrap();

            let mut no = form();
            no.consent = false;
            assert!(matches!(
                share(&s, Caller::User(&a_admin), a.id, &no).await,
                Err(AppError::Invalid {
                    field: "consent",
                    ..
                })
            ));
            assert!(matches!(
                share(&s, Caller::User(&a_mgr), a.id, &form()).await,
                Err(AppError::Forbidden)
            ));
            assert!(matches!(
                share(&s, Caller::User(&pa), a.id, &form()).await,
                Err(AppError::Forbidden)
            ));
            let mut bad = form();
            bad.links[0].url = "javascript:alert(1)".into();
            assert!(share(&s, Caller::User(&a_admin), a.id, &bad).await.is_err());
            let p = share(&s, Caller::User(&a_admin), a.id, &form())
                .await
                .unwrap();
            assert_eq!(p.subsector, "vvt");
            // No HR data: each effect says why.
            let e = p.effect.clone().unwrap();
            assert!(!e.any() && e.contract_hours.reason.is_some());

            // The region sees it (with name), another region does not, the regio-lezer
            // sees it without name and effect.
            let seen = library(&s, Caller::User(&b_mgr), &Filter::default())
                .await
                .unwrap();
            assert_eq!(seen.len(), 1);
            assert_eq!(seen[0].organisation.as_deref(), Some("Zorg A"));
            assert!(
                library(&s, Caller::User(&c_mgr), &Filter::default())
                    .await
                    .unwrap()
                    .is_empty()
            );
            assert!(matches!(
                practice(&s, Caller::User(&c_mgr), p.id).await,
                Err(AppError::NotFound)
            ));
            let r = practice(&s, Caller::User(&lezer), p.id).await.unwrap();
            assert!(r.organisation.is_none() && r.effect.is_none() && r.org_id.is_none());

            // Filters.
            let f = |theme: &str| Filter {
                theme: Some(theme.into()),
                ..Filter::default()
            };
            assert_eq!(
                library(&s, Caller::User(&b_mgr), &f("rooster"))
                    .await
                    .unwrap()
                    .len(),
                1
            );
            assert!(
                library(&s, Caller::User(&b_mgr), &f("cultuur"))
                    .await
                    .unwrap()
                    .is_empty()
            );
            let eff = Filter {
                effect: Some("any".into()),
                ..Filter::default()
            };
            assert!(
                library(&s, Caller::User(&b_mgr), &eff)
                    .await
                    .unwrap()
                    .is_empty()
            );

            // Withdrawn: gone from the library and the detail, still on the org's list.
            assert!(matches!(
                withdraw(&s, Caller::User(&b_mgr), a.id, p.id).await,
                Err(AppError::NotFound)
            ));
            withdraw(&s, Caller::User(&a_admin), a.id, p.id)
                .await
                .unwrap();
            assert!(
                library(&s, Caller::User(&b_mgr), &Filter::default())
                    .await
                    .unwrap()
                    .is_empty()
            );
            assert!(practice(&s, Caller::User(&a_admin), p.id).await.is_err());
            let own = of_organisation(&s, Caller::User(&a_admin), a.id)
                .await
                .unwrap();
            assert!(own[0].withdrawn);
            db.cleanup().await.unwrap();
        }
    }
}
