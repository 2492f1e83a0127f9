//! Round tables per subsector (issue 30) and their pack.
//!
//! Who may do what:
//! - the programme admin of the region (see [`crate::region::region_access`]) creates,
//!   edits and deletes a region's round tables and sees all of them;
//! - users of an invited organisation read the round tables their organisation was invited
//!   to (details, attendance and outcome); everyone else gets "not found";
//! - the pack's shared version (aggregates only, no organisation named) is for whoever may
//!   see the region's picture and for the users of the region's organisations; an
//!   organisation's own copy only for those who may read that organisation's Value Case.

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use store::{
    Role, RoundTable, RoundTableAction, RoundTableInput, RoundTableItem, Store, Subsector,
};
use valuecase::interview::Theme;

use crate::access::Caller;
use crate::{AppError, AppResult};

/// Kinds of an outcome item: the shared picture's opportunities and obstacles, and the
/// solution directions chosen.
pub const ITEM_KINDS: [(&str, &str); 3] = [
    ("kans", "Kans"),
    ("belemmering", "Belemmering"),
    ("oplossing", "Gekozen oplossingsrichting"),
];

/// Statuses of a follow-up action.
pub const ACTION_STATUSES: [(&str, &str); 3] =
    [("open", "Open"), ("bezig", "Bezig"), ("klaar", "Klaar")];

/// The label of a code of one of the lists above.
pub fn label_of(list: &[(&'static str, &'static str)], code: &str) -> String {
    list.iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_string(), |(_, l)| (*l).to_string())
}

/// A round table as a page or the API sends it in (and as the API returns it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoundTableForm {
    /// Subsector code; `null` for a mix of subsectors.
    #[serde(default)]
    pub subsector: Option<String>,
    pub title: String,
    /// ISO date.
    pub held_on: String,
    pub place: String,
    #[serde(default)]
    pub invited: Vec<InvitedForm>,
    #[serde(default)]
    pub items: Vec<ItemForm>,
    #[serde(default)]
    pub actions: Vec<ActionForm>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitedForm {
    pub org_id: i64,
    /// People who came; `null` when not recorded (yet).
    #[serde(default)]
    pub attendees: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemForm {
    /// `kans`, `belemmering` or `oplossing`.
    pub kind: String,
    /// An interview theme code (`rooster`, `financien`, …).
    pub theme: String,
    pub text: String,
    #[serde(default)]
    pub practice_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionForm {
    pub text: String,
    pub owner: String,
    /// ISO date.
    pub due_on: String,
    /// `open`, `bezig` or `klaar`.
    pub status: String,
}

/// Whether `caller` may manage the round tables of `region_id`: the programme admin of
/// that region, or the operator.
pub async fn can_manage(store: &Store, caller: Caller<'_>, region_id: i64) -> AppResult<bool> {
    match caller {
        Caller::Operator => {
            store.region(region_id).await?;
            Ok(true)
        }
        Caller::User(u) => Ok(u.role == Role::ProgrammeAdmin
            && crate::region::region_access(store, u, region_id)
                .await
                .is_ok()),
    }
}

/// Whether `caller` may read round table `rt`.
fn may_read(caller: Caller<'_>, manage: bool, rt: &RoundTable) -> bool {
    manage
        || match caller {
            Caller::Operator => true,
            Caller::User(u) => {
                u.active
                    && u.role != Role::RegioLezer
                    && u.org_id
                        .is_some_and(|o| rt.invited.iter().any(|i| i.org_id == o))
            }
        }
}

/// The round tables of a region the caller may read, newest first (empty for a caller
/// who may read none), and whether the caller manages them.
pub async fn list(
    store: &Store,
    caller: Caller<'_>,
    region_id: i64,
) -> AppResult<(Vec<RoundTable>, bool)> {
    store.region(region_id).await?;
    let manage = can_manage(store, caller, region_id).await?;
    let all = store.round_tables(region_id).await?;
    Ok((
        all.into_iter()
            .filter(|rt| may_read(caller, manage, rt))
            .collect(),
        manage,
    ))
}

/// One round table for `caller` (not found when the caller may not read it), and whether
/// the caller manages it.
pub async fn get(store: &Store, caller: Caller<'_>, id: i64) -> AppResult<(RoundTable, bool)> {
    let rt = store.round_table(id).await?;
    let manage = can_manage(store, caller, rt.region_id).await?;
    if !may_read(caller, manage, &rt) {
        return Err(AppError::NotFound);
    }
    Ok((rt, manage))
}

fn date(field: &'static str, label: &str, s: &str) -> AppResult<String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| {
            AppError::invalid(
                field,
                format!("{label}: '{s}' is geen datum. Vul een datum in als 2026-11-23."),
            )
        })
}

/// Checks a form against the vocabularies, the region and the learning network, and
/// turns it into what the store writes.
async fn checked(store: &Store, region_id: i64, f: &RoundTableForm) -> AppResult<RoundTableInput> {
    let subsector = match f.subsector.as_deref().map(str::trim) {
        None | Some("") | Some("mix") => None,
        Some(code) => Some(
            Subsector::from_code(code)
                .ok_or_else(|| {
                    AppError::invalid(
                        "subsector",
                        format!("Subsector '{code}' bestaat niet. Kies een subsector uit de lijst of 'mix'."),
                    )
                })?
                .code()
                .to_string(),
        ),
    };
    if f.title.trim().is_empty() {
        return Err(AppError::invalid("title", "Geef de rondetafel een titel."));
    }
    if f.place.trim().is_empty() {
        return Err(AppError::invalid("place", "Vul de plaats in."));
    }
    let held_on = date("held_on", "Datum", &f.held_on)?;
    let members: BTreeMap<i64, String> = store
        .region_organisations(region_id)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let mut invited = Vec::new();
    for i in &f.invited {
        if !members.contains_key(&i.org_id) {
            return Err(AppError::invalid(
                "invited",
                format!("Organisatie {} hoort niet bij deze regio.", i.org_id),
            ));
        }
        if i.attendees.is_some_and(|a| !(0..=10_000).contains(&a)) {
            return Err(AppError::invalid(
                "attendees",
                format!(
                    "Aantal aanwezigen van {} moet 0 of meer zijn.",
                    members[&i.org_id]
                ),
            ));
        }
        if !invited.iter().any(|(o, _)| *o == i.org_id) {
            invited.push((i.org_id, i.attendees));
        }
    }
    let mut items = Vec::new();
    for (n, i) in f.items.iter().enumerate() {
        let row = n + 1;
        if !ITEM_KINDS.iter().any(|(c, _)| *c == i.kind) {
            return Err(AppError::invalid(
                "items",
                format!(
                    "Uitkomst {row}: soort '{}' bestaat niet. Kies kans, belemmering of oplossing.",
                    i.kind
                ),
            ));
        }
        let theme = Theme::from_str(&i.theme).map_err(|_| {
            AppError::invalid(
                "items",
                format!(
                    "Uitkomst {row}: thema '{}' bestaat niet. Kies een thema uit de lijst.",
                    i.theme
                ),
            )
        })?;
        if i.text.trim().is_empty() {
            return Err(AppError::invalid(
                "items",
                format!("Uitkomst {row}: de tekst is leeg."),
            ));
        }
        if let Some(p) = i.practice_id {
            let ok = store.practice(p).await.ok().is_some_and(|x| {
                x.withdrawn_at.is_none() && (x.all_regions || x.region_id == region_id)
            });
            if !ok {
                return Err(AppError::invalid(
                    "items",
                    format!(
                        "Uitkomst {row}: praktijkvoorbeeld {p} bestaat niet (meer) in het leernetwerk van deze regio."
                    ),
                ));
            }
        }
        items.push(RoundTableItem {
            kind: i.kind.clone(),
            theme: theme.code().to_string(),
            text: i.text.trim().to_string(),
            practice_id: i.practice_id,
        });
    }
    let mut actions = Vec::new();
    for (n, a) in f.actions.iter().enumerate() {
        let row = n + 1;
        if a.text.trim().is_empty() || a.owner.trim().is_empty() {
            return Err(AppError::invalid(
                "actions",
                format!("Actie {row}: vul de actie én de eigenaar (een naam) in."),
            ));
        }
        if !ACTION_STATUSES.iter().any(|(c, _)| *c == a.status) {
            return Err(AppError::invalid(
                "actions",
                format!(
                    "Actie {row}: status '{}' bestaat niet. Kies open, bezig of klaar.",
                    a.status
                ),
            ));
        }
        actions.push(RoundTableAction {
            text: a.text.trim().to_string(),
            owner: a.owner.trim().to_string(),
            due_on: date("actions", &format!("Actie {row}, uiterlijk"), &a.due_on)?,
            status: a.status.clone(),
        });
    }
    Ok(RoundTableInput {
        subsector,
        title: f.title.trim().to_string(),
        held_on,
        place: f.place.trim().to_string(),
        invited,
        items,
        actions,
    })
}

/// Refuses a caller who may not manage the region's round tables: forbidden for a user who
/// sees the region, not found for everyone else.
pub async fn require_manage(store: &Store, caller: Caller<'_>, region_id: i64) -> AppResult<()> {
    if can_manage(store, caller, region_id).await? {
        return Ok(());
    }
    // Users of the region see its round tables' existence (when invited); others not.
    let sees_region = match caller {
        Caller::User(u) => crate::region::region_access(store, u, region_id)
            .await
            .is_ok(),
        Caller::Operator => false,
    };
    Err(if sees_region {
        AppError::Forbidden
    } else {
        AppError::NotFound
    })
}

/// Creates a round table in `region_id` (the programme admin of the region).
pub async fn create(
    store: &Store,
    caller: Caller<'_>,
    region_id: i64,
    form: &RoundTableForm,
) -> AppResult<RoundTable> {
    require_manage(store, caller, region_id).await?;
    let input = checked(store, region_id, form).await?;
    let rt = store
        .save_round_table(region_id, None, &input, caller.user_id())
        .await?;
    store
        .audit(
            &caller.actor(),
            None,
            "round_table.create",
            &rt.title,
            &rt.held_on,
        )
        .await?;
    Ok(rt)
}

/// Replaces a round table whole (the programme admin of its region).
pub async fn update(
    store: &Store,
    caller: Caller<'_>,
    id: i64,
    form: &RoundTableForm,
) -> AppResult<RoundTable> {
    let (rt, manage) = get(store, caller, id).await?;
    if !manage {
        return Err(AppError::Forbidden);
    }
    let input = checked(store, rt.region_id, form).await?;
    let rt = store
        .save_round_table(rt.region_id, Some(id), &input, caller.user_id())
        .await?;
    store
        .audit(
            &caller.actor(),
            None,
            "round_table.update",
            &rt.title,
            &rt.held_on,
        )
        .await?;
    Ok(rt)
}

pub async fn delete(store: &Store, caller: Caller<'_>, id: i64) -> AppResult<()> {
    let (rt, manage) = get(store, caller, id).await?;
    if !manage {
        return Err(AppError::Forbidden);
    }
    store.delete_round_table(id).await?;
    store
        .audit(
            &caller.actor(),
            None,
            "round_table.delete",
            &rt.title,
            &rt.held_on,
        )
        .await?;
    Ok(())
}

/// A round table as the form shows and the API returns it.
pub fn to_form(rt: &RoundTable) -> RoundTableForm {
    RoundTableForm {
        subsector: rt.subsector.clone(),
        title: rt.title.clone(),
        held_on: rt.held_on.clone(),
        place: rt.place.clone(),
        invited: rt
            .invited
            .iter()
            .map(|i| InvitedForm {
                org_id: i.org_id,
                attendees: i.attendees,
            })
            .collect(),
        items: rt
            .items
            .iter()
            .map(|i| ItemForm {
                kind: i.kind.clone(),
                theme: i.theme.clone(),
                text: i.text.clone(),
                practice_id: i.practice_id,
            })
            .collect(),
        actions: rt
            .actions
            .iter()
            .map(|a| ActionForm {
                text: a.text.clone(),
                owner: a.owner.clone(),
                due_on: a.due_on.clone(),
                status: a.status.clone(),
            })
            .collect(),
    }
}

/// The round-table pack of `subsector` in `region_id`: the shared version (`org` `None`)
/// or organisation `org`'s own copy.
pub async fn pack(
    store: &Store,
    caller: Caller<'_>,
    region_id: i64,
    subsector: &str,
    org: Option<i64>,
    today: chrono::NaiveDate,
) -> AppResult<report::doc::Document> {
    let region = store.region(region_id).await?;
    let members = store.region_organisations(region_id).await?;
    // The shared version: whoever sees the region's picture, and the users of its
    // organisations (the participants).
    if let Caller::User(u) = caller {
        let member = u.role != Role::RegioLezer
            && u.org_id.is_some_and(|o| members.iter().any(|m| m.id == o));
        if !member
            && crate::region::region_access(store, u, region_id)
                .await
                .is_err()
        {
            return Err(AppError::NotFound);
        }
    }
    let sub = Subsector::from_code(subsector.trim()).ok_or_else(|| {
        AppError::invalid(
            "subsector",
            format!("Subsector '{subsector}' bestaat niet. Kies bijvoorbeeld vvt, gz of ggz."),
        )
    })?;
    let own_org = match org {
        None => None,
        Some(id) => {
            caller.require_value_case_view(id)?;
            let m = members.iter().find(|m| m.id == id).ok_or_else(|| {
                AppError::invalid("org", "Deze organisatie hoort niet bij de regio.")
            })?;
            if m.subsector != sub {
                return Err(AppError::invalid(
                    "org",
                    format!(
                        "{} hoort bij subsector {}, niet bij {}.",
                        m.name,
                        m.subsector.label(),
                        sub.label()
                    ),
                ));
            }
            Some(m.name.clone())
        }
    };
    let picture = crate::region::picture_of(store, region_id, today).await?;
    let own = match (org, &own_org) {
        (Some(id), Some(name)) => Some((
            name.clone(),
            crate::region::own_view_for(store, caller, id, today)
                .await?
                .map(|(_, v)| v),
        )),
        _ => None,
    };
    let questions = region::roundtable::Questions::embedded().map_err(AppError::internal)?;
    let doc = region::roundtable::pack_document(&region::roundtable::PackInput {
        picture: &picture.picture,
        subsector: sub.code(),
        subsector_label: sub.label(),
        labels: &picture.labels,
        own: own.as_ref().map(|(n, v)| (n.as_str(), v.as_ref())),
        questions: &questions,
        date: today,
    });
    tracing::info!(
        region = region.id,
        subsector = sub.code(),
        own = org.is_some(),
        "round-table pack"
    );
    Ok(doc)
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

    #[tokio::test]
    async fn round_tables_are_read_by_the_invited_only() {
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
            let pa = user(&s, "pa@x.nl", Role::ProgrammeAdmin, None).await;
            let a_mgr = user(&s, "m@a.nl", Role::Manager, Some(a.id)).await;
            let b_admin = user(&s, "hr@b.nl", Role::OrgAdmin, Some(b.id)).await;
            let lezer = user(&s, "lezer@x.nl", Role::RegioLezer, None).await;
            s.grant_region(lezer.id, region.id).await.unwrap();

            let form = RoundTableForm {
                subsector: Some("vvt".into()),
                title: "Rondetafel VVT".into(),
                held_on: "2026-10-01".into(),
                place: "Hengelo".into(),
                invited: vec![InvitedForm {
                    org_id: a.id,
                    attendees: Some(2),
                }],
                items: vec![ItemForm {
                    kind: "oplossing".into(),
                    theme: "rooster".into(),
                    text: "Samen roosteren".into(),
                    practice_id: None,
                }],
                actions: vec![ActionForm {
                    text: "Werkgroep".into(),
                    owner: "Els".into(),
                    due_on: "2026-12-01".into(),
                    status: "open".into(),
                }],
            };
            // Only the programme admin creates.
            assert!(matches!(
                create(&s, Caller::User(&b_admin), region.id, &form).await,
                Err(AppError::Forbidden)
            ));
            let rt = create(&s, Caller::User(&pa), region.id, &form)
                .await
                .unwrap();
            assert_eq!(to_form(&rt), form);

            // Invited organisation's users read it; an uninvited organisation and a
            // regio-lezer do not.
            assert!(get(&s, Caller::User(&a_mgr), rt.id).await.is_ok());
            assert!(matches!(
                get(&s, Caller::User(&b_admin), rt.id).await,
                Err(AppError::NotFound)
            ));
            assert!(matches!(
                get(&s, Caller::User(&lezer), rt.id).await,
                Err(AppError::NotFound)
            ));
            assert!(
                list(&s, Caller::User(&b_admin), region.id)
                    .await
                    .unwrap()
                    .0
                    .is_empty()
            );
            assert_eq!(
                list(&s, Caller::User(&a_mgr), region.id)
                    .await
                    .unwrap()
                    .0
                    .len(),
                1
            );
            assert!(matches!(
                update(&s, Caller::User(&a_mgr), rt.id, &form).await,
                Err(AppError::Forbidden)
            ));

            // Bad input names the row and writes nothing.
            let mut bad = form.clone();
            bad.actions[0].due_on = "volgende week".into();
            let e = update(&s, Caller::User(&pa), rt.id, &bad)
                .await
                .unwrap_err();
            assert!(e.user_message().unwrap().contains("Actie 1"), "{e}");
            let mut bad = form.clone();
            bad.items[0].theme = "weer".into();
            assert!(update(&s, Caller::User(&pa), rt.id, &bad).await.is_err());
            let mut bad = form.clone();
            bad.invited.push(InvitedForm {
                org_id: 99_999,
                attendees: None,
            });
            assert!(update(&s, Caller::User(&pa), rt.id, &bad).await.is_err());
            assert_eq!(
                s.round_table(rt.id).await.unwrap().actions[0].due_on,
                "2026-12-01"
            );

            delete(&s, Caller::User(&pa), rt.id).await.unwrap();
            let log = s.audit_entries(20, None).await.unwrap();
            assert!(log.iter().any(|e| e.action == "round_table.create"));
            db.cleanup().await.unwrap();
        }
    }
}
