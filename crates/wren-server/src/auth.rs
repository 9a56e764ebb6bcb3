//! Passwords (Argon2id) and device tokens (random, stored as SHA-256).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use ring::digest::{digest, SHA256};
use ring::rand::{SecureRandom, SystemRandom};
use std::sync::OnceLock;

/// Password hashing or randomness failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum AuthError {
    /// The system random source failed.
    #[error("the system random source failed")]
    Random,
    /// Argon2 refused its input.
    #[error("password hashing failed: {0}")]
    Hash(argon2::password_hash::Error),
}

/// Hashes a password with Argon2id and a random salt (slow: call from a blocking thread).
pub(crate) fn hash_password(password: &str) -> Result<String, AuthError> {
    let mut salt = [0u8; 16];
    SystemRandom::new()
        .fill(&mut salt)
        .map_err(|_| AuthError::Random)?;
    let salt = SaltString::encode_b64(&salt).map_err(AuthError::Hash)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AuthError::Hash)
}

/// Checks a password against a stored hash; without a hash it still spends the same time,
/// so that unknown usernames cannot be told apart by timing (call from a blocking thread).
pub(crate) fn verify_password(stored: Option<&str>, password: &str) -> bool {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    match stored {
        Some(stored) => matches(stored, password),
        None => {
            if let Some(dummy) = DUMMY.get_or_init(|| hash_password("not a password").ok()) {
                let _ = matches(dummy, password);
            }
            false
        }
    }
}

/// Whether `password` matches the PHC string `stored`.
fn matches(stored: &str, password: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A new device token and its hash: 32 random bytes, hex-encoded.
pub(crate) fn new_token() -> Result<(String, [u8; 32]), AuthError> {
    let mut bytes = [0u8; 32];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| AuthError::Random)?;
    let token = hex::encode(bytes);
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// The SHA-256 of a token, as stored and looked up.
pub(crate) fn token_hash(token: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    out.copy_from_slice(digest(&SHA256, token.as_bytes()).as_ref());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("correct horse").expect("hash");
        assert!(verify_password(Some(&hash), "correct horse"));
        assert!(!verify_password(Some(&hash), "wrong horse"));
        assert!(!verify_password(None, "not a password"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, ha) = new_token().expect("token");
        let (b, _) = new_token().expect("token");
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a), ha);
    }
}
