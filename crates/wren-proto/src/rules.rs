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
/// The length of a device's Ed25519 identity public key, in bytes.
pub const IDENTITY_KEY_BYTES: usize = 32;
/// The largest MLS key package the server keeps, in bytes.
pub const MAX_KEY_PACKAGE_BYTES: usize = 4096;
/// The most key packages one `UploadKeyPackages` may carry.
pub const MAX_KEY_PACKAGES_PER_UPLOAD: usize = 100;
/// The most key packages a device's pool holds (its last-resort package not counted).
pub const MAX_KEY_PACKAGE_POOL: usize = 200;
/// The MLS credential identity of a device: `wren:<account>:<device>`.
pub fn device_identity(account: crate::AccountId, device: crate::DeviceId) -> Vec<u8> {
    format!("wren:{}:{}", account.0, device.0).into_bytes()
}

/// The account and device a `wren:<account>:<device>` credential identity names.
pub fn parse_device_identity(identity: &[u8]) -> Option<(crate::AccountId, crate::DeviceId)> {
    let text = std::str::from_utf8(identity).ok()?;
    let mut parts = text.strip_prefix("wren:")?.split(':');
    let account = parts.next()?.parse().ok()?;
    let device = parts.next()?.parse().ok()?;
    parts
        .next()
        .is_none()
        .then_some((crate::AccountId(account), crate::DeviceId(device)))
}

/// The most bytes a commit, its group info and its Welcome may have together.
pub const MAX_HANDSHAKE_BYTES: usize = 448 * 1024;
/// The largest sealed group title, in bytes (a title of [`MAX_TITLE_CHARS`] characters of
/// up to 4 bytes each, padded, with its nonce and tag).
pub const MAX_SEALED_TITLE_BYTES: usize = 640;
/// The first byte of a message payload that is an MLS message (`PrivateMessage`); a
/// plaintext payload of a chat made before end-to-end encryption starts with its body
/// version (1).
pub const MLS_PAYLOAD_TAG: u8 = 0xE2;

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

/// Checks a group title: 1 to [`MAX_TITLE_CHARS`] visible characters after trimming.
pub fn validate_title(title: &str) -> Result<&str, VisibleTextError> {
    visible_text(title, MAX_TITLE_CHARS)
}

/// The most chat folders an account has.
pub const MAX_FOLDERS: usize = 10;
/// The longest folder name, in characters.
pub const MAX_FOLDER_NAME_CHARS: usize = 12;
/// The most chats one folder lists in `include` or in `exclude`.
pub const MAX_FOLDER_CHATS: usize = 100;

/// Why a set of chat folders is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FolderError {
    /// More than [`MAX_FOLDERS`].
    #[error("at most {MAX_FOLDERS} folders")]
    TooMany,
    /// Two folders with one id.
    #[error("two folders have the id {0}")]
    DuplicateId(u32),
    /// A bad name.
    #[error("folder name: {0}")]
    Name(VisibleTextError),
    /// Too many listed chats, or a chat both included and excluded.
    #[error(
        "a folder lists at most {MAX_FOLDER_CHATS} chats to include and to exclude, none in both"
    )]
    Chats,
    /// Nothing could ever be in it.
    #[error("a folder takes direct chats, groups or listed chats")]
    Empty,
}

/// Checks one account's folders; the names come back trimmed.
pub fn validate_folders(folders: &mut [crate::Folder]) -> Result<(), FolderError> {
    if folders.len() > MAX_FOLDERS {
        return Err(FolderError::TooMany);
    }
    let mut ids = std::collections::HashSet::new();
    for folder in folders.iter_mut() {
        if !ids.insert(folder.id) {
            return Err(FolderError::DuplicateId(folder.id));
        }
        folder.name = validate_folder(&folder.name)
            .map_err(FolderError::Name)?
            .to_owned();
        if folder.include.len() > MAX_FOLDER_CHATS
            || folder.exclude.len() > MAX_FOLDER_CHATS
            || folder.include.iter().any(|c| folder.exclude.contains(c))
        {
            return Err(FolderError::Chats);
        }
        if !folder.direct && !folder.groups && folder.include.is_empty() {
            return Err(FolderError::Empty);
        }
    }
    Ok(())
}

/// Checks a folder name: 1 to [`MAX_FOLDER_NAME_CHARS`] visible characters.
pub fn validate_folder(name: &str) -> Result<&str, VisibleTextError> {
    visible_text(name, MAX_FOLDER_NAME_CHARS)
}

/// The most accounts one `GetPresence` may ask about.
pub const MAX_PRESENCE_QUERY: usize = 200;
/// The longest display name, in characters.
pub const MAX_DISPLAY_NAME_CHARS: usize = 64;
/// The longest bio, in characters.
pub const MAX_BIO_CHARS: usize = 140;

/// Checks a display name: empty (none), or 1 to [`MAX_DISPLAY_NAME_CHARS`] visible
/// characters in any script after trimming, on one line.
pub fn normalize_display_name(raw: &str) -> Result<&str, VisibleTextError> {
    optional_visible_text(raw, MAX_DISPLAY_NAME_CHARS)
}

/// Checks a bio: empty (none), or 1 to [`MAX_BIO_CHARS`] visible characters after
/// trimming, on one line.
pub fn normalize_bio(raw: &str) -> Result<&str, VisibleTextError> {
    optional_visible_text(raw, MAX_BIO_CHARS)
}

fn optional_visible_text(raw: &str, max: usize) -> Result<&str, VisibleTextError> {
    if raw.trim().is_empty() {
        Ok("")
    } else {
        visible_text(raw, max)
    }
}

/// The longest post, in characters.
pub const MAX_POST_CHARS: usize = 4096;
/// The longest channel description, in characters.
pub const MAX_CHANNEL_DESCRIPTION_CHARS: usize = 255;
/// The most posts one channel page returns.
pub const MAX_CHANNEL_PAGE: u32 = 200;
/// The most channels one directory page returns.
pub const MAX_DIRECTORY_PAGE: u32 = 50;
/// The most posts one `ReportViews` may name.
pub const MAX_VIEWS_PER_REPORT: usize = 200;
/// A subscriber more than this many changes behind gets the channel's newest page
/// instead of a difference (`too_long`).
pub const CHANNEL_TOO_LONG: u64 = 10_000;
/// How many public channels an account on the Free plan may own.
pub const FREE_PUBLIC_CHANNELS: u32 = 10;
/// The largest sealed call signal, in bytes.
pub const MAX_CALL_SIGNAL_BYTES: usize = 256;
/// How many chats an account on the Free plan may pin.
pub const FREE_PINNED_CHATS: u32 = 5;
/// The topics a channel can have.
pub const CHANNEL_TOPICS: &[&str] = &[
    "news",
    "technology",
    "science",
    "business",
    "finance",
    "sports",
    "entertainment",
    "music",
    "education",
    "travel",
    "food",
    "art",
    "games",
    "health",
    "other",
];

/// Why a channel's settings are not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChannelRuleError {
    /// The handle breaks the rules of usernames or is shorter than 5 characters.
    #[error("a channel handle has 5 to 32 of the letters a-z, digits and underscores, starting with a letter")]
    Handle,
    /// Not one of [`CHANNEL_TOPICS`].
    #[error("the topic is one of: {}", CHANNEL_TOPICS.join(", "))]
    Topic,
    /// Not two lower-case letters.
    #[error("the language is a two-letter ISO 639-1 code, such as en")]
    Language,
    /// Longer than [`MAX_CHANNEL_DESCRIPTION_CHARS`] or with hidden characters.
    #[error("the description has at most {MAX_CHANNEL_DESCRIPTION_CHARS} characters and no invisible or text-reordering ones")]
    Description,
}

/// Normalizes and checks a channel handle (as [`normalize_username`], 5 to 32 characters).
pub fn validate_handle(raw: &str) -> Result<String, ChannelRuleError> {
    let handle = normalize_username(raw);
    if handle.len() < 5 || validate_username(&handle).is_err() {
        return Err(ChannelRuleError::Handle);
    }
    Ok(handle)
}

/// Checks a channel topic.
pub fn validate_topic(topic: &str) -> Result<(), ChannelRuleError> {
    CHANNEL_TOPICS
        .contains(&topic)
        .then_some(())
        .ok_or(ChannelRuleError::Topic)
}

/// Checks a language code: two lower-case ASCII letters.
pub fn validate_language(language: &str) -> Result<(), ChannelRuleError> {
    (language.len() == 2 && language.chars().all(|c| c.is_ascii_lowercase()))
        .then_some(())
        .ok_or(ChannelRuleError::Language)
}

/// Checks a channel description (may be empty); returns it trimmed.
pub fn validate_description(description: &str) -> Result<&str, ChannelRuleError> {
    let text = description.trim();
    if text.chars().count() > MAX_CHANNEL_DESCRIPTION_CHARS
        || text
            .chars()
            .any(|c| is_hidden_or_reordering(c) && c != '\n')
    {
        return Err(ChannelRuleError::Description);
    }
    Ok(text)
}

/// Checks a post's text: 1 to [`MAX_POST_CHARS`] characters after trimming.
pub fn validate_post(text: &str) -> Result<&str, VisibleTextError> {
    let text = text.trim();
    if !(1..=MAX_POST_CHARS).contains(&text.chars().count()) {
        return Err(VisibleTextError::Length {
            max: MAX_POST_CHARS,
        });
    }
    Ok(text)
}

/// The longest text of a business profile field (address, start page, greeting, away
/// message, quick reply), in characters.
pub const MAX_BUSINESS_TEXT_CHARS: usize = 1024;
/// The most quick replies a business profile has.
pub const MAX_QUICK_REPLIES: usize = 20;

/// Checks a business profile; the first problem found, in words.
pub fn validate_business_profile(profile: &crate::BusinessProfile) -> Result<(), String> {
    let text = |name: &str, value: &str| {
        if value.chars().count() > MAX_BUSINESS_TEXT_CHARS {
            Err(format!(
                "the {name} has at most {MAX_BUSINESS_TEXT_CHARS} characters"
            ))
        } else {
            Ok(())
        }
    };
    text("address", &profile.address)?;
    text("start page", &profile.start_page)?;
    text("greeting", &profile.greeting)?;
    text("away message", &profile.away_message)?;
    let mut days = [false; 7];
    for hours in &profile.hours {
        let day = usize::from(hours.day);
        if day > 6 || days[day] {
            return Err("opening hours name each day (0 = Monday … 6 = Sunday) once".into());
        }
        days[day] = true;
        if hours.opens >= hours.closes || hours.closes > 1440 {
            return Err("opening hours open before they close, within the day".into());
        }
    }
    if !(-720..=840).contains(&profile.utc_offset_minutes) {
        return Err("the UTC offset is between -12:00 and +14:00".into());
    }
    if profile.quick_replies.len() > MAX_QUICK_REPLIES {
        return Err(format!("at most {MAX_QUICK_REPLIES} quick replies"));
    }
    for reply in &profile.quick_replies {
        let shortcut = &reply.shortcut;
        if !(1..=32).contains(&shortcut.len())
            || !shortcut
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err("a quick reply's shortcut has 1 to 32 of a-z, 0-9 and _".into());
        }
        text("quick reply", &reply.text)?;
    }
    Ok(())
}

/// The longest sponsored message text, in characters.
pub const MAX_SPONSORED_TEXT_CHARS: usize = 160;
/// The longest sponsored message title, in characters.
pub const MAX_SPONSORED_TITLE_CHARS: usize = 64;
/// The longest sponsored button label, in characters.
pub const MAX_SPONSORED_BUTTON_CHARS: usize = 24;

/// Checks a new campaign; the first problem found, in words.
pub fn validate_campaign(campaign: &crate::NewCampaign) -> Result<(), String> {
    visible_text(&campaign.title, MAX_SPONSORED_TITLE_CHARS)
        .map_err(|e| format!("the title cannot be used: {e}"))?;
    if campaign.text.trim().is_empty()
        || campaign.text.chars().count() > MAX_SPONSORED_TEXT_CHARS
        || campaign
            .text
            .chars()
            .any(|c| is_hidden_or_reordering(c) && c != '\n')
    {
        return Err(format!(
            "the text has 1 to {MAX_SPONSORED_TEXT_CHARS} characters and no invisible or text-reordering ones"
        ));
    }
    visible_text(&campaign.button, MAX_SPONSORED_BUTTON_CHARS)
        .map_err(|e| format!("the button label cannot be used: {e}"))?;
    match &campaign.target {
        crate::SponsoredTarget::Channel(handle) => {
            validate_handle(handle).map_err(|e| e.to_string())?;
        }
        crate::SponsoredTarget::Link(link) => {
            let rest = link.strip_prefix("https://").unwrap_or("");
            if rest.is_empty() || link.len() > 512 || link.chars().any(char::is_whitespace) {
                return Err("a link target is an https:// address".into());
            }
        }
    }
    for topic in &campaign.topics {
        validate_topic(topic).map_err(|e| e.to_string())?;
    }
    for language in &campaign.languages {
        validate_language(language).map_err(|e| e.to_string())?;
    }
    if campaign.budget == 0 || campaign.budget > 1_000_000_000 {
        return Err("the budget is 1 to 1,000,000,000 impressions".into());
    }
    Ok(())
}

/// The longest client name a `Hello` may carry, in bytes.
pub const MAX_CLIENT_NAME_BYTES: usize = 64;

/// Whether `c` is invisible or reorders the text around it: controls, bidirectional
/// embeddings, overrides and isolates, direction marks, zero-width spaces and joiners that
/// are not needed to write any language. The zero-width joiner and non-joiner stay
/// allowed: emoji sequences and Persian or Arabic script need them.
pub fn is_hidden_or_reordering(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'                      // soft hyphen
            | '\u{061C}'                    // Arabic letter mark
            | '\u{180E}'                    // Mongolian vowel separator
            | '\u{200B}'                    // zero-width space
            | '\u{200E}'..='\u{200F}'       // left-to-right and right-to-left marks
            | '\u{2028}'..='\u{202E}'       // line/paragraph separators, embeddings, overrides
            | '\u{2060}'..='\u{2064}'       // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}'       // isolates
            | '\u{FEFF}'                    // zero-width no-break space
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
        )
}

/// Why a name that others will see (a group title, a device name) is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VisibleTextError {
    /// Empty after trimming, or longer than allowed.
    #[error("it has 1 to {max} characters")]
    Length {
        /// The most characters allowed.
        max: usize,
    },
    /// It contains a control, direction-override or zero-width character.
    #[error("it contains an invisible or text-reordering character (U+{0:04X})")]
    Hidden(u32),
}

/// Checks a name others will see: 1 to `max` characters after trimming, none of them
/// [hidden or reordering](is_hidden_or_reordering). Returns the trimmed name.
pub fn visible_text(raw: &str, max: usize) -> Result<&str, VisibleTextError> {
    let text = raw.trim();
    if !(1..=max).contains(&text.chars().count()) {
        return Err(VisibleTextError::Length { max });
    }
    match text.chars().find(|&c| is_hidden_or_reordering(c)) {
        Some(c) => Err(VisibleTextError::Hidden(u32::from(c))),
        None => Ok(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_settings() {
        assert_eq!(validate_handle(" @Wren_News "), Ok("wren_news".into()));
        assert_eq!(validate_handle("news"), Err(ChannelRuleError::Handle));
        assert_eq!(validate_handle("9news"), Err(ChannelRuleError::Handle));
        assert_eq!(validate_topic("technology"), Ok(()));
        assert_eq!(validate_topic("Tech"), Err(ChannelRuleError::Topic));
        assert_eq!(validate_language("en"), Ok(()));
        assert_eq!(validate_language("EN"), Err(ChannelRuleError::Language));
        assert_eq!(validate_language("eng"), Err(ChannelRuleError::Language));
        assert_eq!(validate_description("  Daily news.  "), Ok("Daily news."));
        assert_eq!(validate_description("two\nlines"), Ok("two\nlines"));
        assert!(validate_description("a\u{202E}b").is_err());
        assert!(validate_post("   ").is_err());
        assert!(validate_post(&"x".repeat(MAX_POST_CHARS + 1)).is_err());
    }

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

    #[test]
    fn folders_have_names_kinds_and_sane_lists() {
        let folder = |id, name: &str| crate::Folder {
            id,
            name: name.into(),
            direct: true,
            ..crate::Folder::default()
        };
        let mut ok = vec![folder(1, " Work "), folder(2, "العائلة")];
        assert_eq!(validate_folders(&mut ok), Ok(()));
        assert_eq!(ok[0].name, "Work");
        assert_eq!(
            validate_folders(&mut [folder(1, "a"), folder(1, "b")]),
            Err(FolderError::DuplicateId(1))
        );
        assert!(validate_folders(&mut [folder(1, "far too long a name")]).is_err());
        let mut empty = folder(1, "x");
        empty.direct = false;
        assert_eq!(validate_folders(&mut [empty]), Err(FolderError::Empty));
        let mut both = folder(1, "x");
        both.include = vec![crate::ChatId(5)];
        both.exclude = vec![crate::ChatId(5)];
        assert_eq!(validate_folders(&mut [both]), Err(FolderError::Chats));
        let mut many: Vec<crate::Folder> =
            (0..=MAX_FOLDERS as u32).map(|i| folder(i, "f")).collect();
        assert_eq!(validate_folders(&mut many), Err(FolderError::TooMany));
    }

    #[test]
    fn display_names_and_bios_are_visible_text_or_nothing() {
        assert_eq!(
            normalize_display_name("  أحمد الفارسي  "),
            Ok("أحمد الفارسي")
        );
        assert_eq!(normalize_display_name("Zoë 🐦"), Ok("Zoë 🐦"));
        assert_eq!(normalize_display_name("   "), Ok(""));
        assert_eq!(
            normalize_display_name("admin\u{202E}"),
            Err(VisibleTextError::Hidden(0x202E))
        );
        assert_eq!(
            normalize_display_name("two\nlines"),
            Err(VisibleTextError::Hidden(0x0A))
        );
        assert_eq!(
            normalize_display_name(&"ب".repeat(MAX_DISPLAY_NAME_CHARS)).map(|n| n.chars().count()),
            Ok(MAX_DISPLAY_NAME_CHARS)
        );
        assert!(normalize_display_name(&"ب".repeat(MAX_DISPLAY_NAME_CHARS + 1)).is_err());
        assert_eq!(normalize_bio("I make bread."), Ok("I make bread."));
        assert!(normalize_bio(&"x".repeat(MAX_BIO_CHARS + 1)).is_err());
        assert!(normalize_bio("\u{0007}").is_err());
    }

    #[test]
    fn visible_text_refuses_what_hides_or_reorders_text() {
        assert_eq!(validate_title("  Weekend  "), Ok("Weekend"));
        assert_eq!(validate_title("عطلة نهاية الأسبوع"), Ok("عطلة نهاية الأسبوع"));
        assert_eq!(
            validate_title("👨\u{200D}👩\u{200D}👧 family"),
            Ok("👨\u{200D}👩\u{200D}👧 family")
        );
        assert_eq!(validate_title("می\u{200C}خواهم"), Ok("می\u{200C}خواهم"));
        assert_eq!(
            validate_title("invoice\u{202E}fdp.exe"),
            Err(VisibleTextError::Hidden(0x202E))
        );
        assert_eq!(
            validate_title("a\u{200B}dmin"),
            Err(VisibleTextError::Hidden(0x200B))
        );
        assert_eq!(
            validate_title("two\nlines"),
            Err(VisibleTextError::Hidden(0x0A))
        );
        assert_eq!(
            validate_title("\u{2067}x"),
            Err(VisibleTextError::Hidden(0x2067))
        );
        assert_eq!(
            validate_title("   "),
            Err(VisibleTextError::Length {
                max: MAX_TITLE_CHARS
            })
        );
        assert!(validate_title(&"x".repeat(MAX_TITLE_CHARS + 1)).is_err());
    }

    #[test]
    fn ids_beyond_what_a_server_stores_are_out_of_range() {
        use crate::{ChatId, Request, Seq};
        let fine = Request::GetHistory {
            chat: ChatId(1),
            before: Some(Seq(i64::MAX as u64)),
            limit: 5,
        };
        assert!(fine.ids_in_range());
        let huge = Request::GetHistory {
            chat: ChatId(u64::MAX),
            before: None,
            limit: 5,
        };
        assert!(!huge.ids_in_range());
        assert!(!Request::MarkRead {
            chat: ChatId(1),
            up_to: Seq(1 << 63)
        }
        .ids_in_range());
    }
}
