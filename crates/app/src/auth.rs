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
    let password = normalise_password(password).to_string();
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
        .hash_password(normalise_password(password).as_bytes(), &salt)
        .map_err(|e| AppError::internal(format!("hashing: {e}")))?;
    Ok(hash.to_string())
}

/// Checks on the current thread; false for any malformed hash. The password is trimmed as
/// at creation; a hash made before that rule from a password with surrounding whitespace
/// still matches the password as typed.
pub fn verify_password_blocking(password: &str, hash: &str) -> bool {
    let check = |candidate: &str| {
        PasswordHash::new(hash)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(candidate.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    };
    let trimmed = normalise_password(password);
    check(trimmed) || (trimmed != password && check(password))
}

/// The one trimming rule for passwords: surrounding whitespace (a pasted newline, a space
/// typed by accident) is not part of a password, at creation, change and login alike.
/// [`hash_password`], [`verify_password`] and [`password_problem`] apply it themselves.
pub fn normalise_password(password: &str) -> &str {
    password.trim()
}

/// Dutch message when a new password is too weak, else `None`: at least 12 and at most 200
/// characters after trimming, and not a common or predictable password.
pub fn password_problem(password: &str) -> Option<&'static str> {
    let password = normalise_password(password);
    if password.chars().count() < 12 {
        return Some("Kies een wachtwoord van minstens 12 tekens.");
    }
    if password.chars().count() > 200 {
        return Some("Kies een wachtwoord van hoogstens 200 tekens.");
    }
    if is_common_password(password) {
        return Some(
            "Dit wachtwoord wordt veel gebruikt of is te voorspelbaar. Kies een ander \
             wachtwoord, bijvoorbeeld vier losse woorden.",
        );
    }
    None
}

/// The roots of the passwords that dominate public lists of common and breached passwords
/// (such as the UK NCSC's "100k most used passwords" and the yearly most-used lists), with
/// Dutch and care-sector words added; compiled by hand for this project. A password is
/// refused when, lowercased, with look-alike digits read as letters and other digits and
/// symbols removed, it is one of these roots or a root repeated.
const COMMON_ROOTS: &[&str] = &[
    "password",
    "passw",
    "passwd",
    "pass",
    "wachtwoord",
    "wachtwoorden",
    "ww",
    "welkom",
    "welcome",
    "qwerty",
    "qwertz",
    "azerty",
    "qwertyuiop",
    "asdfgh",
    "asdfghjkl",
    "zxcvbnm",
    "qazwsx",
    "qwe",
    "qweasd",
    "qweasdzxc",
    "iloveyou",
    "ikhouvanjou",
    "letmein",
    "admin",
    "administrator",
    "beheer",
    "beheerder",
    "root",
    "user",
    "gebruiker",
    "login",
    "inloggen",
    "changeme",
    "default",
    "secret",
    "geheim",
    "test",
    "testen",
    "demo",
    "monkey",
    "dragon",
    "football",
    "voetbal",
    "baseball",
    "soccer",
    "sunshine",
    "princess",
    "prinses",
    "trustno",
    "starwars",
    "superman",
    "batman",
    "master",
    "shadow",
    "hello",
    "hallo",
    "hoi",
    "abc",
    "abcdef",
    "abcdefgh",
    "abcdefghijkl",
    "abcdefghijklmnopqrstuvwxyz",
    "summer",
    "zomer",
    "winter",
    "lente",
    "herfst",
    "spring",
    "autumn",
    "ajax",
    "feyenoord",
    "psv",
    "oranje",
    "amsterdam",
    "rotterdam",
    "nederland",
    "holland",
    "liefde",
    "schatje",
    "lieverd",
    "zorg",
    "zorggroep",
    "zorgverlener",
    "verpleging",
    "verpleegkundige",
    "thuiszorg",
    "urenwinst",
    "rooster",
    "dienst",
    "cura",
    "nedap",
    "ons",
    "letmeinnow",
    "access",
    "whatever",
    "freedom",
    "computer",
    "internet",
    "michael",
    "jennifer",
    "jordan",
    "charlie",
    "killer",
    "lovely",
    "loveme",
    "flower",
    "bloem",
    "cheese",
    "kaas",
    "pokemon",
    "minecraft",
    "fortnite",
    "google",
    "facebook",
    "microsoft",
    "windows",
    "apple",
    "samsung",
    "qwertyqwerty",
    "aaaaaa",
    "zaq",
    "zaqxsw",
    "zaqwsx",
    "qaz",
    "qazxsw",
    "one",
    "een",
];

/// Keyboard rows and counting runs: a password that is a piece of one of these, forwards
/// or backwards, is predictable.
const SEQUENCES: &[&str] = &[
    "01234567890123456789012345678901234567890",
    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnm",
    "azertyuiopqsdfghjklmwxcvbnazertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p1qaz2wsx3edc4rfv",
    "1q2w3e4r5t6y7u8i9o0p1q2w3e4r5t6y7u8i9o0p",
];

/// True for a common or predictable password (see [`COMMON_ROOTS`] and [`SEQUENCES`]).
pub fn is_common_password(password: &str) -> bool {
    let lower = normalise_password(password).to_lowercase();
    let distinct: std::collections::BTreeSet<char> = lower.chars().collect();
    if distinct.len() <= 3 {
        return true;
    }
    let compact: String = lower.chars().filter(|c| c.is_alphanumeric()).collect();
    if SEQUENCES.iter().any(|seq| {
        let reversed: String = seq.chars().rev().collect();
        seq.contains(&compact) || reversed.contains(&compact)
    }) {
        return true;
    }
    // Symbols and digits at the end ("W@chtw00rd!!!") are decoration, not look-alikes.
    let root: String = lower
        .trim_end_matches(|c: char| !c.is_alphabetic())
        .chars()
        .filter_map(|c| match c {
            '0' => Some('o'),
            '1' | '!' => Some('i'),
            '3' => Some('e'),
            '4' | '@' => Some('a'),
            '5' | '$' => Some('s'),
            '7' => Some('t'),
            c if c.is_alphabetic() => Some(c),
            _ => None,
        })
        .collect();
    // Digits that stand for themselves at the end ("welkom2026!") are not part of the root.
    let letters: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    [root.as_str(), letters.as_str()]
        .iter()
        .any(|r| r.is_empty() || is_root_or_repeat(r))
}

fn is_root_or_repeat(word: &str) -> bool {
    COMMON_ROOTS.iter().any(|root| {
        word == *root
            || (word.len().is_multiple_of(root.len())
                && word.len() > root.len()
                && word
                    .as_bytes()
                    .chunks(root.len())
                    .all(|c| c == root.as_bytes()))
    })
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
    fn common_and_predictable_passwords_are_refused() {
        for weak in [
            "wachtwoord123",
            "Wachtwoord2026!",
            "W@chtw00rd!!!",
            "passwordpassword",
            "Welkom12345678",
            "qwertyuiop123",
            "123456789012",
            "098765432109",
            "aaaaaaaaaaaa",
            "121212121212",
            "iloveyou1234",
            "  Zomer2026!!!!  ",
            "1qaz2wsx3edc4rfv",
            "!!!!????####%%%%",
        ] {
            assert!(password_problem(weak).is_some(), "{weak:?} was accepted");
        }
        for fine in [
            "een-test-wachtwoord-123",
            "paard batterij nietje correct",
            "Zorgt-voor-7-uur-Koffie",
            "lang-genoeg-wachtwoord",
        ] {
            assert_eq!(password_problem(fine), None, "{fine:?} was refused");
        }
        assert!(
            password_problem("kort woord ")
                .unwrap()
                .contains("12 tekens"),
            "length counts after trimming"
        );
        assert!(password_problem("   elf tekens   ").is_some());
    }

    /// Creation and login trim alike: a password made with a stray space or newline logs
    /// in as typed and without them; a hash made from an untrimmed password still works.
    #[test]
    fn the_same_trimming_at_creation_and_login() {
        let h = hash_password_blocking(" een lang wachtwoord\n").unwrap();
        assert!(verify_password_blocking("een lang wachtwoord", &h));
        assert!(verify_password_blocking(" een lang wachtwoord\n", &h));
        assert!(verify_password_blocking("een lang wachtwoord  ", &h));
        let legacy = {
            let salt = SaltString::encode_b64(&[7u8; 16]).unwrap();
            Argon2::default()
                .hash_password(b" met spatie voorop", &salt)
                .unwrap()
                .to_string()
        };
        assert!(verify_password_blocking(" met spatie voorop", &legacy));
        assert!(!verify_password_blocking("met spatie voorop", &legacy));
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
