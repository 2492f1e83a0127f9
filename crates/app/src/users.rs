//! Accounts: creating, (de)activating, team assignment and one-time links, shared by
//! pages, API and command line.

use store::{NewUser, Role, Store, User};

use crate::AppError;
use crate::access::{self, Caller};
use crate::audit::actor;
use crate::auth;
use crate::mail::{Mail, MailConfig};

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

/// Where one-time links point and how they travel: by mail when SMTP is configured,
/// else shown to the admin.
#[derive(Clone, Copy)]
pub struct LinkSettings<'a> {
    /// The address users reach the site at (`--public-url`).
    pub public_url: &'a str,
    pub mail: Option<&'a MailConfig>,
}

impl<'a> LinkSettings<'a> {
    pub fn new(public_url: &'a str, mail: Option<&'a MailConfig>) -> LinkSettings<'a> {
        LinkSettings { public_url, mail }
    }
}

/// What a one-time link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    Invite,
    Reset,
}

impl LinkPurpose {
    fn code(self) -> &'static str {
        match self {
            LinkPurpose::Invite => "invite",
            LinkPurpose::Reset => "reset",
        }
    }
}

/// How a one-time link reached (or is to reach) its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// No SMTP configured: the admin hands the link over.
    Shown { link: String },
    /// Mailed to the account's address.
    Mailed,
    /// SMTP is configured but the send failed: the link is shown, so it is not lost.
    MailFailed { link: String },
}

impl Delivery {
    /// The link the admin must hand over, when it was not mailed.
    pub fn link(&self) -> Option<&str> {
        match self {
            Delivery::Shown { link } | Delivery::MailFailed { link } => Some(link),
            Delivery::Mailed => None,
        }
    }

    /// `shown`, `mailed` or `mail_failed` (the API's `link_delivery`).
    pub fn code(&self) -> &'static str {
        match self {
            Delivery::Shown { .. } => "shown",
            Delivery::Mailed => "mailed",
            Delivery::MailFailed { .. } => "mail_failed",
        }
    }

    /// What the admin reads (Dutch).
    pub fn message(&self, purpose: LinkPurpose, email: &str) -> String {
        let what = match purpose {
            LinkPurpose::Invite => "De uitnodiging",
            LinkPurpose::Reset => "De link voor een nieuw wachtwoord",
        };
        let validity = format!("De link werkt {LINK_HOURS} uur en maar één keer.");
        match (self, purpose) {
            (Delivery::Mailed, _) => format!("{what} is gemaild naar {email}. {validity}"),
            (Delivery::Shown { .. }, LinkPurpose::Invite) => format!(
                "Stuur deze link naar {email}. Met de link kiest de gebruiker zelf een \
                 wachtwoord. {validity}"
            ),
            (Delivery::Shown { .. }, LinkPurpose::Reset) => format!(
                "Stuur deze link naar {email}. {validity} Het oude wachtwoord blijft werken \
                 tot er een nieuw is gekozen."
            ),
            (Delivery::MailFailed { .. }, _) => format!(
                "{what} kon niet worden gemaild naar {email}: de mailserver nam de mail niet \
                 aan. Stuur deze link daarom zelf naar {email}. {validity}"
            ),
        }
    }
}

/// The new account, and how its invitation travels when no password was set.
pub struct CreatedUser {
    pub user: User,
    pub invitation: Option<Delivery>,
}

pub async fn create_user(
    store: &Store,
    by: Caller<'_>,
    input: &UserInput,
    links: LinkSettings<'_>,
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
    let invitation = if password.is_none() {
        let link = one_time_link(store, &user, LinkPurpose::Invite, links.public_url).await?;
        Some(deliver(store, by, &user, LinkPurpose::Invite, link, links.mail).await?)
    } else {
        None
    };
    store
        .audit(
            &by.actor(),
            user.org_id,
            "user.create",
            &user.email,
            &format!(
                "rol={} uitgenodigd={}{}",
                user.role,
                invitation.is_some(),
                invitation
                    .as_ref()
                    .map(|d| format!(" link={}", d.code()))
                    .unwrap_or_default()
            ),
        )
        .await?;
    Ok(CreatedUser { user, invitation })
}

/// Who sent a link, as the mail names them.
fn inviter_name(by: Caller<'_>) -> String {
    match by {
        Caller::User(u) => u.name.clone(),
        Caller::Operator => "het programmateam van Urenwinst".into(),
    }
}

/// The mail that carries a one-time link (Dutch, plain text): the link, until when it
/// works, who sent it and for which organisation.
pub fn link_mail(
    user: &User,
    org_name: Option<&str>,
    inviter: &str,
    purpose: LinkPurpose,
    link: &str,
    expires_at: i64,
) -> Mail {
    let until = report::nl::datetime_unix(expires_at);
    let for_org = org_name
        .map(|o| format!("voor {o}"))
        .unwrap_or_else(|| "voor het regionale programma".into());
    let (subject, opening, action) = match purpose {
        LinkPurpose::Invite => (
            format!(
                "Uitnodiging voor Urenwinst ({})",
                org_name.unwrap_or("programma")
            ),
            format!(
                "{inviter} heeft een account voor u gemaakt in Urenwinst, {for_org}. \
                 Urenwinst is de software van het programma dat samen met medewerkers kijkt \
                 hoeveel uren zij graag meer zouden werken."
            ),
            "Kies met deze link zelf uw wachtwoord:",
        ),
        LinkPurpose::Reset => (
            "Nieuw wachtwoord voor Urenwinst".to_string(),
            format!(
                "Er is een nieuw wachtwoord aangevraagd voor uw account in Urenwinst \
                 ({for_org}), door {inviter}."
            ),
            "Kies met deze link een nieuw wachtwoord:",
        ),
    };
    let body = format!(
        "Beste {name},\n\n{opening}\n\n{action}\n{link}\n\n\
         De link werkt tot {until} en maar één keer. Is de link verlopen of al gebruikt? \
         Vraag dan een nieuwe link aan bij de beheerder van uw organisatie.\n\n\
         Uw account: {email}\n\n\
         Verwachtte u deze mail niet? Dan kunt u hem negeren; er verandert dan niets.\n",
        name = user.name,
        email = user.email,
    );
    Mail {
        to_name: user.name.clone(),
        to_email: user.email.clone(),
        subject,
        body,
    }
}

/// Mails `link` to `user` when SMTP is configured; otherwise (or when the send fails)
/// the link is handed back to be shown. Never logs the link or the address.
async fn deliver(
    store: &Store,
    by: Caller<'_>,
    user: &User,
    purpose: LinkPurpose,
    link: String,
    mail: Option<&MailConfig>,
) -> Result<Delivery, AppError> {
    let Some(mail) = mail else {
        return Ok(Delivery::Shown { link });
    };
    let org_name = match user.org_id {
        Some(id) => Some(store.organisation(id).await?.name),
        None => None,
    };
    let expires_at = store::now() + LINK_HOURS * 3600;
    let message = link_mail(
        user,
        org_name.as_deref(),
        &inviter_name(by),
        purpose,
        &link,
        expires_at,
    );
    match mail.send(&message).await {
        Ok(()) => {
            tracing::info!(user_id = user.id, purpose = purpose.code(), "link mailed");
            Ok(Delivery::Mailed)
        }
        Err(e) => {
            tracing::warn!(user_id = user.id, purpose = purpose.code(), error = %e, "link mail failed");
            Ok(Delivery::MailFailed { link })
        }
    }
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
    purpose: LinkPurpose,
    public_url: &str,
) -> Result<String, AppError> {
    let token = store::new_secret();
    store
        .create_user_token(
            user.id,
            purpose.code(),
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

/// Makes a one-time link with which the user chooses a new password, and mails it when
/// SMTP is configured (see [`Delivery`]). The operator (command line) may reset any
/// account.
pub async fn reset_password_link(
    store: &Store,
    by: Caller<'_>,
    id: i64,
    links: LinkSettings<'_>,
) -> Result<(User, Delivery), AppError> {
    let target = match by {
        Caller::User(by) => managed_user(store, by, id).await?,
        Caller::Operator => store.user(id).await?,
    };
    let link = one_time_link(store, &target, LinkPurpose::Reset, links.public_url).await?;
    let delivery = deliver(store, by, &target, LinkPurpose::Reset, link, links.mail).await?;
    store
        .audit(
            &by.actor(),
            target.org_id,
            "user.reset_password",
            &target.email,
            &format!("link={}", delivery.code()),
        )
        .await?;
    Ok((target, delivery))
}

/// The answer to "wachtwoord vergeten", the same whether or not the address belongs to
/// an account, so nobody learns which addresses have one.
pub const FORGOTTEN_ANSWER: &str = "Als dit e-mailadres bij een actief account hoort, \
    sturen we binnen enkele minuten een mail met een link om een nieuw wachtwoord te \
    kiezen. Kijkt u ook in de map met ongewenste mail. Geen mail ontvangen? Vraag dan de \
    beheerder van uw organisatie om een nieuwe link.";

/// "Wachtwoord vergeten": when `email` belongs to an active account and SMTP is
/// configured, mails it a reset link. Answers nothing about whether the account exists
/// (callers show [`FORGOTTEN_ANSWER`] in every case and throttle before calling); run it
/// off the request (the caller spawns it) so the answer's timing tells nothing either.
/// Returns whether a mail was sent, for tests and logs.
pub async fn forgotten_password(
    store: &Store,
    email: &str,
    links: LinkSettings<'_>,
) -> Result<bool, AppError> {
    let Some(mail) = links.mail else {
        return Ok(false);
    };
    let Ok(email) = store::normalise_email(email) else {
        return Ok(false);
    };
    let user = match store.user_by_email(&email).await {
        Ok(u) => u,
        Err(store::StoreError::NotFound) => return Ok(false),
        Err(e) => return Err(e.into()),
    };
    if !user.active {
        return Ok(false);
    }
    let link = one_time_link(store, &user, LinkPurpose::Reset, links.public_url).await?;
    let by = Caller::User(&user);
    let org_name = match user.org_id {
        Some(id) => Some(store.organisation(id).await?.name),
        None => None,
    };
    let message = link_mail(
        &user,
        org_name.as_deref(),
        "uzelf, via \"wachtwoord vergeten\" op de inlogpagina",
        LinkPurpose::Reset,
        &link,
        store::now() + LINK_HOURS * 3600,
    );
    let sent = match mail.send(&message).await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(user_id = user.id, error = %e, "forgotten-password mail failed");
            false
        }
    };
    store
        .audit(
            &by.actor(),
            user.org_id,
            "user.forgotten_password",
            &user.email,
            &format!("gemaild={sent}"),
        )
        .await?;
    Ok(sent)
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
