//! The open survey links' throttle, shared by every instance: attempts are counted in the
//! database per link, client and fixed window (`link_attempts`). The client address is
//! never stored: only an HMAC of it under a key derived from the server's [`UploadKey`]
//! (the survey's promise that no address is kept), and the link token only as its hash.
//! The hourly purge removes windows that ended.

use hmac::{Hmac, Mac};

use crate::AppResult;
use crate::uploads::UploadKey;

/// Open links: at most this many completed responses per client address per hour.
pub const LINK_SUBMITS_PER_HOUR: usize = 30;
/// Open links: at most this many step posts per client address per 10 minutes.
pub const LINK_STEPS_PER_10_MIN: usize = 400;

/// The public contract-request form: at most this many requests per client address per
/// hour and form.
pub const REQUESTS_PER_HOUR: usize = 5;

/// "Wachtwoord vergeten": at most this many requests per client address per hour.
pub const FORGOTTEN_PER_CLIENT_PER_HOUR: usize = 10;
/// "Wachtwoord vergeten": at most this many requests for one e-mail address per hour (so
/// nobody can fill someone's mailbox); the address is stored only as a keyed hash.
pub const FORGOTTEN_PER_ADDRESS_PER_HOUR: usize = 3;

/// What a respondent does on an open link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkAttempt {
    /// Posts one page of the questionnaire.
    Step,
    /// Completes the questionnaire.
    Submit,
    /// Sends the public contract-request form (`/verzoek/{code}`).
    Request,
    /// Asks for a password link on the login page, counted per client address.
    ForgottenFromClient,
    /// Asks for a password link on the login page, counted per e-mail address (passed as
    /// the `addr`, so only its keyed hash is stored).
    ForgottenForAddress,
}

impl LinkAttempt {
    fn code(self) -> &'static str {
        match self {
            LinkAttempt::Step => "step",
            LinkAttempt::Submit => "submit",
            LinkAttempt::Request => "request",
            LinkAttempt::ForgottenFromClient => "forgot_client",
            LinkAttempt::ForgottenForAddress => "forgot_address",
        }
    }

    /// The window in seconds and the most attempts within it.
    pub fn limit(self) -> (i64, usize) {
        match self {
            LinkAttempt::Step => (600, LINK_STEPS_PER_10_MIN),
            LinkAttempt::Submit => (3600, LINK_SUBMITS_PER_HOUR),
            LinkAttempt::Request => (3600, REQUESTS_PER_HOUR),
            LinkAttempt::ForgottenFromClient => (3600, FORGOTTEN_PER_CLIENT_PER_HOUR),
            LinkAttempt::ForgottenForAddress => (3600, FORGOTTEN_PER_ADDRESS_PER_HOUR),
        }
    }
}

/// Counts attempts on open links; cheap to create per request.
#[derive(Clone)]
pub struct LinkThrottle {
    store: store::Store,
    key: [u8; 32],
}

impl LinkThrottle {
    pub fn new(store: store::Store, key: &UploadKey) -> LinkThrottle {
        LinkThrottle {
            store,
            key: key.derive("open-link throttle"),
        }
    }

    /// The keyed hash of a client address (what the table holds instead of it).
    fn client_hash(&self, addr: &str) -> String {
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.key)
            .expect("HMAC takes keys of any length");
        mac.update(addr.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// Records an attempt and tells whether it is within the limit.
    pub async fn allow(&self, token: &str, addr: &str, attempt: LinkAttempt) -> AppResult<bool> {
        self.allow_at(store::now(), token, addr, attempt).await
    }

    /// [`LinkThrottle::allow`] with the clock given.
    pub async fn allow_at(
        &self,
        now: i64,
        token: &str,
        addr: &str,
        attempt: LinkAttempt,
    ) -> AppResult<bool> {
        let (window, max) = attempt.limit();
        let start = now - now.rem_euclid(window);
        let count = self
            .store
            .count_link_attempt(
                &store::hash_secret(token),
                &self.client_hash(addr),
                attempt.code(),
                start,
                start + window,
            )
            .await?;
        Ok(count <= max as i64)
    }
}
