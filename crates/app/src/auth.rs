//! Passwords: argon2id hashing and checking, strength rules and generated passwords.
//!
//! Hashing and checking take tens of milliseconds of CPU on purpose; the async functions
//! run them on tokio's blocking pool so a login or a new account never stalls the other
//! requests on the runtime's few worker threads.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use crate::{AppError, AppResult};

/// Hashes a password with argon2id and a random salt (PHC string), on a blocking thread.
pub async fn hash_password(password: &str) -> AppResult<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || hash_password_blocking(&password))
        .await
        .map_err(|e| AppError::internal(format!("hashing task: {e}")))?
}

/// Checks a password against a stored hash on a blocking thread; false for any malformed
/// hash.
pub async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_string(), hash.to_string());
    tokio::task::spawn_blocking(move || verify_password_blocking(&password, &hash))
        .await
        .unwrap_or(false)
}

/// Hashes on the current thread: for code outside an async runtime (command line, tests).
pub fn hash_password_blocking(password: &str) -> AppResult<String> {
    let mut salt = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut salt);
    let salt =
        SaltString::encode_b64(&salt).map_err(|e| AppError::internal(format!("salt: {e}")))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| AppError::internal(format!("hashing: {e}")))?;
    Ok(hash.to_string())
}

/// Checks on the current thread; false for any malformed hash.
pub fn verify_password_blocking(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Dutch message when a new password is too weak, else `None`.
pub fn password_problem(password: &str) -> Option<&'static str> {
    if password.chars().count() < 12 {
        return Some("Kies een wachtwoord van minstens 12 tekens.");
    }
    if password.chars().count() > 200 {
        return Some("Kies een wachtwoord van hoogstens 200 tekens.");
    }
    None
}

/// A readable random password for demo accounts and resets: 4 groups of 5 letters/digits.
pub fn generate_password() -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..4)
        .map(|_| {
            (0..5)
                .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash_password_blocking("een lang wachtwoord").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password_blocking("een lang wachtwoord", &h));
        assert!(!verify_password_blocking("een ander wachtwoord", &h));
        assert!(!verify_password_blocking("x", "not a hash"));
    }

    #[test]
    fn generated_passwords_are_strong_enough() {
        let p = generate_password();
        assert_eq!(p.len(), 23);
        assert!(password_problem(&p).is_none());
        assert_ne!(p, generate_password());
    }

    /// Hashing happens on tokio's blocking pool: on a runtime with one worker thread, a
    /// timer task keeps ticking while a hash is computed (it stood still when hashing
    /// ran on the runtime itself).
    #[test]
    fn hashing_leaves_the_runtime_free() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicU32, Ordering};
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let ticks = Arc::new(AtomicU32::new(0));
            let counter = ticks.clone();
            let ticker = tokio::spawn(async move {
                loop {
                    tokio::time::sleep(std::time::Duration::from_millis(1)).await;
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            });
            let hash = hash_password("een lang wachtwoord").await.unwrap();
            let during_hash = ticks.load(Ordering::Relaxed);
            assert!(verify_password("een lang wachtwoord", &hash).await);
            assert!(!verify_password("een ander wachtwoord", &hash).await);
            let during_both = ticks.load(Ordering::Relaxed);
            ticker.abort();
            assert!(
                during_hash >= 2,
                "the runtime stalled while hashing ({during_hash} ticks)"
            );
            assert!(
                during_both > during_hash,
                "the runtime stalled while verifying"
            );
        });
    }
}
