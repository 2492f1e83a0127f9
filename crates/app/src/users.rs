//! Accounts: creating, (de)activating, team assignment and one-time links, shared by
//! pages, API and command line.

use store::{NewUser, Role, Store, User};

use crate::AppError;
use crate::access::{self, Caller};
use crate::audit::actor;
use crate::auth;

/// One-time links (invitation, password reset) stay valid this long.
pub const LINK_HOURS: i64 = 72;

/// What an admin fills in for a new account. Without a password the account gets a
/// one-time invitation link instead.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct UserInput {
    pub email: String,
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub org_id: Option<i64>,
    #[serde(default)]
    pub team_ids: Vec<i64>,
    #[serde(default)]
    pub password: Option<String>,
}

/// The new account, and the invitation link when no password was set.
pub struct CreatedUser {
    pub user: User,
    pub invite_link: Option<String>,
}

pub async fn create_user(
    store: &Store,
    by: Caller<'_>,
    input: &UserInput,
    public_url: &str,
) -> Result<CreatedUser, AppError> {
    if let Caller::User(by) = by {
        if !access::can_grant_role(by, input.role) {
            return Err(AppError::Forbidden);
        }
        if let Some(org) = input.org_id {
            access::require_admin_org(by, org)?;
        } else if !access::is_programme_admin(by) {
            return Err(AppError::Forbidden);
        }
    }
    let password = input
        .password
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let password_hash = match password {
        Some(p) => {
            if let Some(problem) = auth::password_problem(p) {
                return Err(AppError::BadRequest(problem.into()));
            }
            Some(auth::hash_password(p).await?)
        }
        None => None,
    };
    let user = store
        .create_user(&NewUser {
            email: input.email.clone(),
            name: input.name.clone(),
            role: input.role,
            org_id: input.org_id,
            team_ids: input.team_ids.clone(),
            password_hash,
        })
        .await
        .map_err(refuse_address)?;
    let invite_link = if password.is_none() {
        Some(one_time_link(store, &user, "invite", public_url).await?)
    } else {
        None
    };
    store
        .audit(
            &by.actor(),
            user.org_id,
            "user.create",
            &user.email,
            &format!("rol={} uitgenodigd={}", user.role, invite_link.is_some()),
        )
        .await?;
    Ok(CreatedUser { user, invite_link })
}

/// An address already in use answers exactly as an address that is not valid: the
/// account may belong to another organisation, whose accounts must not be found out by
/// trying addresses (issue 34).
fn refuse_address(e: store::StoreError) -> AppError {
    match e {
        store::StoreError::Conflict(_) => AppError::from(store::StoreError::Invalid {
            field: "email",
            violation: store::Violation::Email,
        }),
        other => other.into(),
    }
}

async fn one_time_link(
    store: &Store,
    user: &User,
    purpose: &str,
    public_url: &str,
) -> Result<String, AppError> {
    let token = store::new_secret();
    store
        .create_user_token(
            user.id,
            purpose,
            &store::hash_secret(&token),
            store::now() + LINK_HOURS * 3600,
        )
        .await?;
    Ok(format!(
        "{}/wachtwoord/{token}",
        public_url.trim_end_matches('/')
    ))
}

/// The account `id` if `by` may manage it: another organisation's account is "not found",
/// one of the own organisation that the role may not manage is "forbidden".
pub async fn managed_user(store: &Store, by: &User, id: i64) -> Result<User, AppError> {
    let target = store.user(id).await?;
    if !access::can_manage_user(by, &target) {
        return Err(match target.org_id {
            Some(org) if access::can_view_org(by, org) => AppError::Forbidden,
            _ if access::is_programme_admin(by) => AppError::Forbidden,
            _ => AppError::NotFound,
        });
    }
    Ok(target)
}

pub async fn set_user_active(
    store: &Store,
    by: &User,
    id: i64,
    active: bool,
) -> Result<User, AppError> {
    let target = managed_user(store, by, id).await?;
    if target.id == by.id && !active {
        return Err(AppError::BadRequest(
            "U kunt uw eigen account niet uitschakelen.".into(),
        ));
    }
    store.set_user_active(id, active).await?;
    let action = if active {
        "user.activate"
    } else {
        "user.deactivate"
    };
    store
        .audit(&actor(by), target.org_id, action, &target.email, "")
        .await?;
    Ok(store.user(id).await?)
}

/// Makes a one-time link with which the user chooses a new password.
pub async fn reset_password_link(
    store: &Store,
    by: &User,
    id: i64,
    public_url: &str,
) -> Result<String, AppError> {
    let target = managed_user(store, by, id).await?;
    let link = one_time_link(store, &target, "reset", public_url).await?;
    store
        .audit(
            &actor(by),
            target.org_id,
            "user.reset_password",
            &target.email,
            "",
        )
        .await?;
    Ok(link)
}

pub async fn set_user_teams(
    store: &Store,
    by: &User,
    id: i64,
    team_ids: &[i64],
) -> Result<User, AppError> {
    let target = managed_user(store, by, id).await?;
    store.set_user_teams(id, team_ids).await?;
    store
        .audit(
            &actor(by),
            target.org_id,
            "user.teams",
            &target.email,
            &format!("teams={team_ids:?}"),
        )
        .await?;
    Ok(store.user(id).await?)
}
