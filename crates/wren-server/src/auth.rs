//! Passwords (Argon2id) and device tokens (random, stored as SHA-256).

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use ring::digest::{digest, SHA256};
use ring::rand::{SecureRandom, SystemRandom};
use std::cell::RefCell;
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

/// Hashes a password with Argon2id and a random salt (slow: call from the password pool).
pub(crate) fn hash_password(password: &str) -> Result<String, AuthError> {
    let mut salt = [0u8; 16];
    SystemRandom::new()
        .fill(&mut salt)
        .map_err(|_| AuthError::Random)?;
    let salt = SaltString::encode_b64(&salt).map_err(AuthError::Hash)?;
    let params = Params::default();
    let output = compute(
        password,
        &salt,
        Algorithm::Argon2id,
        Version::V0x13,
        params.clone(),
    )?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(AuthError::Hash)?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

/// Checks a password against a stored hash; without a hash it still spends the same time,
/// so that unknown usernames cannot be told apart by timing (call from the password pool).
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

/// Whether `password` matches the PHC string `stored` (constant-time comparison).
fn matches(stored: &str, password: &str) -> bool {
    let Ok(hash) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (hash.salt, hash.hash) else {
        return false;
    };
    let parsed = Algorithm::try_from(hash.algorithm)
        .and_then(|a| Ok((a, Version::try_from(hash.version.unwrap_or(0x13))?)))
        .and_then(|(a, v)| Ok((a, v, Params::try_from(&hash)?)));
    let Ok((algorithm, version, params)) = parsed else {
        return false;
    };
    let salt = SaltString::from_b64(salt.as_str());
    match salt.map(|salt| compute(password, &salt, algorithm, version, params)) {
        Ok(Ok(output)) => output == expected,
        _ => false,
    }
}

thread_local! {
    /// The Argon2 working memory of this thread, kept between hashes: allocating and
    /// freeing 19 MiB per hash made the allocator keep many such blocks around.
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Runs Argon2 with this thread's working memory.
fn compute(
    password: &str,
    salt: &SaltString,
    algorithm: Algorithm,
    version: Version,
    params: Params,
) -> Result<Output, AuthError> {
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .as_salt()
        .decode_b64(&mut salt_bytes)
        .map_err(AuthError::Hash)?;
    let out_len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    let blocks = params.block_count();
    let argon2 = Argon2::new(algorithm, version, params);
    BLOCKS.with(|memory| {
        let mut memory = memory.borrow_mut();
        if memory.len() != blocks {
            *memory = vec![Block::default(); blocks];
        }
        Output::init_with(out_len, |out| {
            argon2
                .hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, &mut *memory)
                .map_err(|_| argon2::password_hash::Error::Crypto)
        })
        .map_err(AuthError::Hash)
    })
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
    fn hashes_stay_standard_phc_strings_that_argon2_itself_verifies() {
        use argon2::password_hash::PasswordVerifier;
        let ours = hash_password("correct horse").expect("hash");
        let parsed = PasswordHash::new(&ours).expect("a PHC string");
        assert!(Argon2::default()
            .verify_password(b"correct horse", &parsed)
            .is_ok());
        // And a hash made by the library (as stored before) verifies here.
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::encode_b64(&[7u8; 16]).expect("salt");
        let theirs = Argon2::default()
            .hash_password(b"battery staple", &salt)
            .expect("hash")
            .to_string();
        assert!(verify_password(Some(&theirs), "battery staple"));
        assert!(!verify_password(Some(&theirs), "battery stapler"));
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
