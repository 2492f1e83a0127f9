//! Uploads waiting for the mapping step (HR extracts, PNIL costs), kept in the database so
//! that any instance can serve the next step, and sealed at rest: the parsed file may hold
//! names, so the payload is encrypted with XChaCha20-Poly1305 under a key from
//! configuration ([`UploadKey`]), with a random nonce per write and the organisation, user,
//! kind and token as associated data (a row copied to another owner does not open). Only
//! the token's SHA-256 is stored. An upload lives 30 minutes, is deleted when the mapping
//! step ends, and the hourly purge removes what expired.

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::Serialize;
use serde::de::DeserializeOwned;
use store::{NewStashedUpload, Store, StoreError};

use crate::{AppError, AppResult};

/// How long an upload waits for the mapping step.
pub const UPLOAD_TTL: Duration = Duration::from_secs(30 * 60);
/// At most this many live uploads per user; a new one pushes out the oldest.
pub const MAX_UPLOADS_PER_USER: usize = 8;

const NONCE_LEN: usize = 24;
const SEAL_VERSION: &str = "v1";

/// The server-side key: seals stashed uploads and, through a derived key, hashes client
/// addresses for the open-link throttle. 32 bytes, configured as 64 hex digits or base64
/// (`URENWINST_UPLOAD_KEY`). Every instance over one database needs the same key.
#[derive(Clone, PartialEq, Eq)]
pub struct UploadKey([u8; 32]);

impl fmt::Debug for UploadKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("UploadKey(***)")
    }
}

/// Why a configured key is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the upload key must be 32 bytes, written as 64 hex digits or as base64")]
pub struct UploadKeyError;

impl FromStr for UploadKey {
    type Err = UploadKeyError;

    fn from_str(s: &str) -> Result<UploadKey, UploadKeyError> {
        let s = s.trim();
        let bytes = if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(s).map_err(|_| UploadKeyError)?
        } else {
            let b64 = base64::engine::general_purpose::STANDARD;
            let url = base64::engine::general_purpose::URL_SAFE;
            b64.decode(s)
                .or_else(|_| url.decode(s))
                .map_err(|_| UploadKeyError)?
        };
        let key: [u8; 32] = bytes.try_into().map_err(|_| UploadKeyError)?;
        Ok(UploadKey(key))
    }
}

impl UploadKey {
    /// A fresh random key (tests, and a single instance that keeps no key file).
    pub fn random() -> UploadKey {
        use rand::RngCore;
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        UploadKey(key)
    }

    /// The key as 64 hex digits (what a key file holds).
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Reads the key file at `path`, or creates it with a new random key (mode 0600 on
    /// Unix). Returns the key and whether the file was created now.
    pub fn load_or_create(path: &Path) -> std::io::Result<(UploadKey, bool)> {
        use std::io::Write;
        let invalid = |_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{} holds no valid upload key", path.display()),
            )
        };
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(path) {
            Ok(mut file) => {
                let key = UploadKey::random();
                file.write_all(format!("{}\n", key.to_hex()).as_bytes())?;
                file.sync_all()?;
                Ok((key, true))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = std::fs::read_to_string(path)?;
                Ok((text.parse().map_err(invalid)?, false))
            }
            Err(e) => Err(e),
        }
    }

    /// A key for another purpose, derived with HMAC-SHA256 so the purposes never share a
    /// key.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.0)
            .expect("HMAC takes keys of any length");
        mac.update(b"urenwinst key derivation\0");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.derive("upload stash").into())
    }
}

fn associated_data(org_id: i64, user_id: i64, kind: &str, token: &str) -> Vec<u8> {
    format!("urenwinst upload {SEAL_VERSION}\0{org_id}\0{user_id}\0{kind}\0{token}").into_bytes()
}

/// The stash of uploads waiting for the mapping step; cheap to create per request.
#[derive(Clone)]
pub struct Uploads {
    store: Store,
    key: UploadKey,
}

impl Uploads {
    pub fn new(store: Store, key: UploadKey) -> Uploads {
        Uploads { store, key }
    }

    fn seal<T: Serialize>(
        &self,
        org_id: i64,
        user_id: i64,
        kind: &str,
        token: &str,
        value: &T,
    ) -> AppResult<String> {
        use rand::RngCore;
        let plain = serde_json::to_vec(value).map_err(|e| {
            tracing::error!(error = %e, "upload cannot be serialised");
            AppError::Store(StoreError::Config("upload cannot be serialised".into()))
        })?;
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let aad = associated_data(org_id, user_id, kind, token);
        let sealed = self
            .key
            .cipher()
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &plain,
                    aad: &aad,
                },
            )
            .map_err(|_| AppError::Store(StoreError::Config("upload cannot be sealed".into())))?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!(
            "{SEAL_VERSION}:{}",
            base64::engine::general_purpose::STANDARD.encode(out)
        ))
    }

    fn open<T: DeserializeOwned>(
        &self,
        org_id: i64,
        user_id: i64,
        kind: &str,
        token: &str,
        sealed: &str,
    ) -> AppResult<T> {
        // A payload that does not open (another key, a changed row) is treated as gone;
        // the reason goes to the log.
        let refuse = |why: &str| {
            tracing::warn!(why, "a stashed upload could not be opened");
            AppError::NotFound
        };
        let b64 = sealed
            .strip_prefix(SEAL_VERSION)
            .and_then(|s| s.strip_prefix(':'))
            .ok_or_else(|| refuse("unknown format"))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|_| refuse("not base64"))?;
        if bytes.len() < NONCE_LEN {
            return Err(refuse("too short"));
        }
        let (nonce, body) = bytes.split_at(NONCE_LEN);
        let aad = associated_data(org_id, user_id, kind, token);
        let plain = self
            .key
            .cipher()
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: body,
                    aad: &aad,
                },
            )
            .map_err(|_| refuse("authentication failed (another key or owner)"))?;
        serde_json::from_slice(&plain).map_err(|_| refuse("payload of another shape"))
    }

    /// Stashes `value` for this organisation and user; returns the token for the URL.
    pub async fn put<T: Serialize>(
        &self,
        org_id: i64,
        user_id: i64,
        kind: &str,
        value: &T,
    ) -> AppResult<String> {
        self.put_at(store::now(), org_id, user_id, kind, value)
            .await
    }

    /// [`Uploads::put`] with the clock given.
    pub async fn put_at<T: Serialize>(
        &self,
        now: i64,
        org_id: i64,
        user_id: i64,
        kind: &str,
        value: &T,
    ) -> AppResult<String> {
        let token = store::new_secret();
        let payload = self.seal(org_id, user_id, kind, &token, value)?;
        self.store
            .stash_upload(&NewStashedUpload {
                token_hash: &store::hash_secret(&token),
                org_id,
                user_id,
                kind,
                now,
                expires_at: now + UPLOAD_TTL.as_secs() as i64,
                payload: &payload,
                max_per_user: MAX_UPLOADS_PER_USER,
            })
            .await?;
        Ok(token)
    }

    /// The live upload behind `token` of this organisation and user, with its kind; not
    /// found when it is another's, expired, or deleted.
    pub async fn get<T: DeserializeOwned>(
        &self,
        token: &str,
        org_id: i64,
        user_id: i64,
    ) -> AppResult<(String, T)> {
        self.get_at(store::now(), token, org_id, user_id).await
    }

    /// [`Uploads::get`] with the clock given.
    pub async fn get_at<T: DeserializeOwned>(
        &self,
        now: i64,
        token: &str,
        org_id: i64,
        user_id: i64,
    ) -> AppResult<(String, T)> {
        let row = self
            .store
            .stashed_upload(&store::hash_secret(token), org_id, user_id, now)
            .await?;
        let value = self.open(org_id, user_id, &row.kind, token, &row.payload)?;
        Ok((row.kind, value))
    }

    /// Replaces the stashed value (the mapping state changed) of a live upload.
    pub async fn update<T: Serialize>(
        &self,
        token: &str,
        org_id: i64,
        user_id: i64,
        value: &T,
    ) -> AppResult<()> {
        let now = store::now();
        let hash = store::hash_secret(token);
        let row = self
            .store
            .stashed_upload(&hash, org_id, user_id, now)
            .await?;
        let payload = self.seal(org_id, user_id, &row.kind, token, value)?;
        self.store
            .update_stashed_upload(&hash, org_id, user_id, now, &payload)
            .await?;
        Ok(())
    }

    /// Deletes the upload (the mapping step finished or was cancelled); not found when it
    /// is gone already or another's.
    pub async fn remove(&self, token: &str, org_id: i64, user_id: i64) -> AppResult<()> {
        self.store
            .delete_stashed_upload(&store::hash_secret(token), org_id, user_id)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse_from_hex_and_base64_only_at_32_bytes() {
        let k = UploadKey::random();
        assert_eq!(k.to_hex().parse::<UploadKey>(), Ok(k.clone()));
        let b64 = base64::engine::general_purpose::STANDARD.encode(k.0);
        assert_eq!(b64.parse::<UploadKey>(), Ok(k.clone()));
        assert_eq!("abcd".parse::<UploadKey>(), Err(UploadKeyError));
        assert_eq!("00".repeat(31).parse::<UploadKey>(), Err(UploadKeyError));
        assert_eq!(format!("{k:?}"), "UploadKey(***)");
    }

    #[test]
    fn derived_keys_differ_per_purpose_and_key() {
        let k = UploadKey::random();
        assert_ne!(k.derive("a"), k.derive("b"));
        assert_eq!(k.derive("a"), k.derive("a"));
        assert_ne!(k.derive("a"), UploadKey::random().derive("a"));
    }

    #[test]
    fn key_file_is_created_private_and_read_back() {
        let dir = std::env::temp_dir().join(format!("uw-key-{}", store::new_secret()));
        let path = dir.join("upload.key");
        let (a, created) = UploadKey::load_or_create(&path).unwrap();
        assert!(created);
        let (b, created) = UploadKey::load_or_create(&path).unwrap();
        assert!(!created);
        assert_eq!(a, b);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not a key").unwrap();
        assert!(UploadKey::load_or_create(&path).is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
