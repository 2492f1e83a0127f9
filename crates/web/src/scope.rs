//! `OrgScope`: the extractor of every organisation-scoped route (`/organisaties/{id}/…`,
//! `/api/v1/organisations/{id}/…`). It reads the organisation id `{id}` from the path,
//! checks through `app::access` that the caller (the signed-in user of a page, or the
//! owner of the API key) may see that organisation, loads it once and hands the handler
//! the organisation, the caller and what the caller may do there.
//!
//! An organisation the caller may not see answers "not found", exactly like one that does
//! not exist, so ids of other organisations reveal nothing. Whether the caller may change
//! something is the service's check (`app`); [`OrgScope::can_admin`] only tells pages
//! whether to show the admin forms, and [`OrgScope::require_admin`] guards the few
//! admin-only reads (upload mappings).

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use store::{Organisation, User};

use crate::auth::{ApiUser, Auth, Session};
use crate::{ApiError, AppState, PageError};

/// What the caller may do in the organisation of an [`OrgScope`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgRole {
    /// The programme, or the organisation's own admin: may change its settings and data.
    Admin,
    /// Anyone else of the organisation (manager, planner): may read what the part shows
    /// their role.
    Member,
}

/// The caller of a scoped request: the page [`Session`] or the API key's [`User`].
pub trait ScopeCaller {
    fn user(&self) -> &User;
}

impl ScopeCaller for Session {
    fn user(&self) -> &User {
        &self.user
    }
}

impl ScopeCaller for User {
    fn user(&self) -> &User {
        self
    }
}

/// An organisation the caller may see, loaded once per request. `OrgScope` (a page's
/// session) and [`ApiOrgScope`] (an API key's user) are the two forms.
#[derive(Debug, Clone)]
pub struct OrgScope<C = Session> {
    pub org: Organisation,
    pub caller: C,
    pub role: OrgRole,
}

/// The organisation scope of an `/api/v1` route.
pub type ApiOrgScope = OrgScope<User>;

impl<C: ScopeCaller> OrgScope<C> {
    /// The user behind the caller.
    pub fn user(&self) -> &User {
        self.caller.user()
    }

    pub fn can_admin(&self) -> bool {
        self.role == OrgRole::Admin
    }

    /// For reads only an admin may see; forbidden otherwise.
    pub fn require_admin(&self) -> Result<(), app::AppError> {
        match self.role {
            OrgRole::Admin => Ok(()),
            OrgRole::Member => Err(app::AppError::Forbidden),
        }
    }

    /// Checks access and loads the organisation `org_id` for `caller`.
    async fn load(state: &AppState, caller: C, org_id: i64) -> Result<Self, app::AppError> {
        app::access::require_view_org(caller.user(), org_id)?;
        let org = state.store.organisation(org_id).await?;
        let role = if app::access::can_admin_org(caller.user(), org_id) {
            OrgRole::Admin
        } else {
            OrgRole::Member
        };
        Ok(OrgScope { org, caller, role })
    }
}

/// The organisation id `{id}` of the matched route; `None` when it is missing or not a
/// number (the route then answers "not found").
async fn org_id(parts: &mut Parts, state: &AppState) -> Option<i64> {
    let params = RawPathParams::from_request_parts(parts, state).await.ok()?;
    params
        .iter()
        .find(|(k, _)| *k == "id")
        .and_then(|(_, v)| v.parse().ok())
}

impl FromRequestParts<AppState> for OrgScope<Session> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let Auth(session) = Auth::from_request_parts(parts, state).await?;
        let id = org_id(parts, state).await.ok_or(PageError::NotFound)?;
        Ok(OrgScope::load(state, session, id).await?)
    }
}

impl FromRequestParts<AppState> for OrgScope<User> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ApiUser(user) = ApiUser::from_request_parts(parts, state).await?;
        let id = org_id(parts, state).await.ok_or(ApiError::NotFound)?;
        Ok(OrgScope::load(state, user, id).await?)
    }
}
