//! Limits and validation rules that client and server share, so that a client can reject
//! bad input before it ever reaches the wire.

/// The most members a group may have.
pub const MAX_GROUP_MEMBERS: usize = 1000;
/// The largest message payload, in bytes.
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;
/// The longest group title, in characters.
pub const MAX_TITLE_CHARS: usize = 128;
/// The most messages one history page returns.
pub const MAX_HISTORY_PAGE: u32 = 200;
/// The most updates one difference page returns.
pub const MAX_DIFFERENCE_PAGE: u32 = 1000;

/// Why a username is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UsernameError {
    /// Fewer than 3 or more than 32 characters.
    #[error("a username has 3 to 32 characters")]
    Length,
    /// Starts with something other than a letter.
    #[error("a username starts with a letter")]
    Start,
    /// Contains something other than a-z, 0-9 and underscore.
    #[error("a username has only the letters a-z, digits and underscores")]
    Characters,
}

/// Normalizes a username for lookups: trims, drops one leading `@`, lower-cases ASCII.
pub fn normalize_username(raw: &str) -> String {
    let trimmed = raw.trim();
    trimmed
        .strip_prefix('@')
        .unwrap_or(trimmed)
        .to_ascii_lowercase()
}

/// Checks an already-normalized username: 3 to 32 of `a-z 0-9 _`, starting with a letter.
pub fn validate_username(name: &str) -> Result<(), UsernameError> {
    if !(3..=32).contains(&name.len()) {
        return Err(UsernameError::Length);
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(UsernameError::Start);
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(UsernameError::Characters);
    }
    Ok(())
}

/// Why a password is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordError {
    /// Fewer than 8 characters.
    #[error("a password has at least 8 characters")]
    TooShort,
    /// More than 1024 bytes.
    #[error("a password has at most 1024 bytes")]
    TooLong,
}

/// Checks a new password's length (8 characters to 1024 bytes).
pub fn validate_password(password: &str) -> Result<(), PasswordError> {
    if password.chars().count() < 8 {
        return Err(PasswordError::TooShort);
    }
    if password.len() > 1024 {
        return Err(PasswordError::TooLong);
    }
    Ok(())
}

/// Checks a group title: 1 to [`MAX_TITLE_CHARS`] characters after trimming.
pub fn validate_title(title: &str) -> bool {
    let n = title.trim().chars().count();
    (1..=MAX_TITLE_CHARS).contains(&n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert_eq!(normalize_username(" @Alice_1 "), "alice_1");
        assert_eq!(validate_username("alice_1"), Ok(()));
        assert_eq!(validate_username("al"), Err(UsernameError::Length));
        assert_eq!(validate_username("1alice"), Err(UsernameError::Start));
        assert_eq!(validate_username("ali-ce"), Err(UsernameError::Characters));
        assert_eq!(validate_username("алиса"), Err(UsernameError::Start));
    }

    #[test]
    fn passwords() {
        assert_eq!(validate_password("short"), Err(PasswordError::TooShort));
        assert_eq!(validate_password("long enough"), Ok(()));
        assert_eq!(
            validate_password(&"x".repeat(1025)),
            Err(PasswordError::TooLong)
        );
    }
}
