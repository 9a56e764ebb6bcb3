//! Entities: formatting and recognized spans over a message's text, as Telegram has them.
//!
//! Offsets and lengths count **UTF-16 code units**, as JavaScript string indices do, so the
//! web UI slices the text with them directly. An entity never starts or ends inside a
//! surrogate pair. Entities nest properly and never cross; `code` and `pre` contain no other
//! entity and links contain no other link. The sender's device makes them; every receiving
//! device checks them again ([`sanitize`]) and drops any that break a rule, since the server
//! cannot see inside the encryption to check them.

use serde::{Deserialize, Serialize};

/// At most this many entities in one message.
pub const MAX_ENTITIES: usize = 256;
/// A link's target has at most this many bytes.
pub const MAX_URL_BYTES: usize = 2048;
/// A code block's language name has at most this many bytes.
pub const MAX_LANGUAGE_BYTES: usize = 32;

/// What an entity does to its range. The order of the variants is part of the stored and
/// encrypted format: add new kinds at the end only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EntityKind {
    /// Bold.
    Bold,
    /// Italic.
    Italic,
    /// Underlined.
    Underline,
    /// Struck through.
    Strike,
    /// Hidden until the reader reveals it.
    Spoiler,
    /// Inline code.
    Code,
    /// A code block, with an optional language.
    Pre,
    /// A link whose text differs from its target (`url`).
    TextLink,
    /// A URL written in the text.
    Url,
    /// `@username`.
    Mention,
    /// `#hashtag`.
    Hashtag,
}

impl EntityKind {
    fn is_link(self) -> bool {
        matches!(
            self,
            EntityKind::TextLink | EntityKind::Url | EntityKind::Mention | EntityKind::Hashtag
        )
    }

    fn is_code(self) -> bool {
        matches!(self, EntityKind::Code | EntityKind::Pre)
    }
}

/// A span of a message's text (UTF-16 code units).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Entity {
    /// What it does.
    pub kind: EntityKind,
    /// Where it starts, in UTF-16 code units.
    pub offset: u32,
    /// How long it is, in UTF-16 code units (at least 1).
    pub length: u32,
    /// The target of a [`EntityKind::TextLink`]; `None` for other kinds.
    pub url: Option<String>,
    /// The language of a [`EntityKind::Pre`] block, when given; `None` for other kinds.
    pub language: Option<String>,
}

impl Entity {
    /// An entity of a kind that carries nothing more than its range.
    pub fn plain(kind: EntityKind, offset: u32, length: u32) -> Self {
        Entity {
            kind,
            offset,
            length,
            url: None,
            language: None,
        }
    }

    fn end(&self) -> u64 {
        u64::from(self.offset) + u64::from(self.length)
    }
}

/// Why an entity is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EntityError {
    /// More than [`MAX_ENTITIES`].
    #[error("a message has at most {MAX_ENTITIES} formatted spans")]
    TooMany,
    /// Empty, past the end of the text, or splitting a character.
    #[error("a formatted span is outside the text or splits a character")]
    OutOfRange,
    /// Crosses another entity, or breaks the nesting rules.
    #[error("formatted spans must nest, not overlap")]
    Overlapping,
    /// A link target that is not http, https or mailto, too long, or has control characters.
    #[error("a link must be an http, https or mailto address of at most {MAX_URL_BYTES} bytes")]
    BadUrl,
    /// A field that does not belong to its kind, or a bad language name.
    #[error("a formatted span carries a field its kind does not have")]
    BadField,
}

/// The length of `text` in UTF-16 code units.
pub fn utf16_len(text: &str) -> u32 {
    text.encode_utf16().count() as u32
}

/// Whether one of the `@mention` entities of `text` names `username` (case ignored).
pub fn mentions(text: &str, entities: &[Entity], username: &str) -> bool {
    let units: Vec<u16> = text.encode_utf16().collect();
    entities
        .iter()
        .filter(|e| e.kind == EntityKind::Mention)
        .filter_map(|e| {
            let end = usize::try_from(e.end()).ok()?;
            String::from_utf16(units.get(e.offset as usize..end)?).ok()
        })
        .any(|mention| {
            mention
                .strip_prefix('@')
                .is_some_and(|name| name.eq_ignore_ascii_case(username))
        })
}

/// Whether a UTF-16 offset falls on a character boundary of `text`.
fn on_boundary(text: &str, offset: u32) -> bool {
    let mut at = 0u32;
    for c in text.chars() {
        if at >= offset {
            return at == offset;
        }
        at += c.len_utf16() as u32;
    }
    at == offset
}

/// Whether a link target may be opened: http, https or mailto, no whitespace or control
/// characters, at most [`MAX_URL_BYTES`].
pub fn is_safe_url(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let scheme_ok = ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s));
    scheme_ok
        && url.len() <= MAX_URL_BYTES
        && url.len() > 7
        && !url
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || is_bidi_control(c))
}

/// Whether `c` changes the direction of the text around it (marks, embeddings, overrides,
/// isolates): never part of a link target or a reaction.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn check_one(text_len: u32, text: &str, entity: &Entity) -> Result<(), EntityError> {
    if entity.length == 0
        || entity.end() > u64::from(text_len)
        || !on_boundary(text, entity.offset)
        || !on_boundary(text, entity.offset + entity.length)
    {
        return Err(EntityError::OutOfRange);
    }
    match (entity.kind, &entity.url, &entity.language) {
        (EntityKind::TextLink, Some(url), None) if is_safe_url(url) => Ok(()),
        (EntityKind::TextLink, Some(_), None) => Err(EntityError::BadUrl),
        (EntityKind::Pre, None, Some(language)) if valid_language(language) => Ok(()),
        (EntityKind::Pre, None, None) => Ok(()),
        (EntityKind::TextLink | EntityKind::Pre, _, _) => Err(EntityError::BadField),
        (_, None, None) => Ok(()),
        _ => Err(EntityError::BadField),
    }
}

fn valid_language(language: &str) -> bool {
    !language.is_empty()
        && language.len() <= MAX_LANGUAGE_BYTES
        && language
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+#-_.".contains(c))
}

/// Whether two entities may both stand: disjoint, or one inside the other with the rules
/// for code and links kept.
fn compatible(a: &Entity, b: &Entity) -> bool {
    if a.end() <= u64::from(b.offset) || b.end() <= u64::from(a.offset) {
        return true;
    }
    let a_holds_b = a.offset <= b.offset && b.end() <= a.end();
    let b_holds_a = b.offset <= a.offset && a.end() <= b.end();
    if !a_holds_b && !b_holds_a {
        return false;
    }
    if a.kind == b.kind && a.offset == b.offset && a.length == b.length {
        return false;
    }
    let (outer, inner) = if a_holds_b { (a, b) } else { (b, a) };
    !(outer.kind.is_code()
        || inner.kind.is_code() && outer.kind != EntityKind::Spoiler && !is_style(outer.kind)
        || outer.kind.is_link() && inner.kind.is_link())
}

fn is_style(kind: EntityKind) -> bool {
    matches!(
        kind,
        EntityKind::Bold | EntityKind::Italic | EntityKind::Underline | EntityKind::Strike
    )
}

/// Checks a whole set of entities over `text`: the first broken rule is the error.
pub fn validate(text: &str, entities: &[Entity]) -> Result<(), EntityError> {
    if entities.len() > MAX_ENTITIES {
        return Err(EntityError::TooMany);
    }
    let len = utf16_len(text);
    for (i, entity) in entities.iter().enumerate() {
        check_one(len, text, entity)?;
        if entities[..i].iter().any(|other| !compatible(other, entity)) {
            return Err(EntityError::Overlapping);
        }
    }
    Ok(())
}

/// Keeps the entities that follow the rules, in order, dropping each one that breaks a
/// rule on its own or against one kept before it; sorted by position for the renderer.
pub fn sanitize(text: &str, entities: Vec<Entity>) -> Vec<Entity> {
    let len = utf16_len(text);
    let mut kept: Vec<Entity> = Vec::new();
    for entity in entities {
        if kept.len() == MAX_ENTITIES {
            break;
        }
        if check_one(len, text, &entity).is_ok() && kept.iter().all(|k| compatible(k, &entity)) {
            kept.push(entity);
        }
    }
    sort(&mut kept);
    kept
}

/// Sorts entities by start, the longer (outer) first.
pub(crate) fn sort(entities: &mut [Entity]) {
    entities.sort_by(|a, b| {
        a.offset
            .cmp(&b.offset)
            .then(b.length.cmp(&a.length))
            .then(a.kind.cmp(&b.kind))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn e(kind: EntityKind, offset: u32, length: u32) -> Entity {
        Entity::plain(kind, offset, length)
    }

    #[test]
    fn offsets_count_utf16_units_and_never_split_a_character() {
        // "👍" is two UTF-16 units (four UTF-8 bytes); Arabic letters are one unit each
        // (two bytes); "é" written as e + U+0301 is two units.
        let text = "👍 مرحبا e\u{301}";
        assert_eq!(utf16_len(text), 11);
        assert!(validate(text, &[e(EntityKind::Bold, 0, 2)]).is_ok());
        assert_eq!(
            validate(text, &[e(EntityKind::Bold, 1, 2)]),
            Err(EntityError::OutOfRange),
            "starting inside the surrogate pair"
        );
        assert_eq!(
            validate(text, &[e(EntityKind::Bold, 0, 1)]),
            Err(EntityError::OutOfRange),
            "ending inside the surrogate pair"
        );
        assert!(
            validate(text, &[e(EntityKind::Italic, 3, 5)]).is_ok(),
            "مرحبا"
        );
        assert!(
            validate(text, &[e(EntityKind::Bold, 9, 2)]).is_ok(),
            "e + mark"
        );
        assert_eq!(
            validate(text, &[e(EntityKind::Bold, 9, 3)]),
            Err(EntityError::OutOfRange),
            "past the end"
        );
        assert_eq!(
            validate(text, &[e(EntityKind::Bold, 11, 0)]),
            Err(EntityError::OutOfRange),
            "empty"
        );
        assert!(
            validate(text, &[e(EntityKind::Bold, u32::MAX, u32::MAX)]).is_err(),
            "no overflow"
        );
    }

    #[test]
    fn entities_nest_but_never_cross() {
        let text = "bold and italic";
        assert!(validate(
            text,
            &[e(EntityKind::Bold, 0, 15), e(EntityKind::Italic, 9, 6)]
        )
        .is_ok());
        assert_eq!(
            validate(
                text,
                &[e(EntityKind::Bold, 0, 8), e(EntityKind::Italic, 5, 6)]
            ),
            Err(EntityError::Overlapping)
        );
        assert_eq!(
            validate(
                text,
                &[e(EntityKind::Code, 0, 8), e(EntityKind::Bold, 0, 4)]
            ),
            Err(EntityError::Overlapping),
            "nothing inside code"
        );
        assert!(
            validate(
                text,
                &[e(EntityKind::Bold, 0, 8), e(EntityKind::Code, 0, 4)]
            )
            .is_ok(),
            "code may be bold"
        );
        assert_eq!(
            validate(
                text,
                &[e(EntityKind::Bold, 0, 4), e(EntityKind::Bold, 0, 4)]
            ),
            Err(EntityError::Overlapping),
            "no duplicates"
        );
        let link = Entity {
            url: Some("https://example.com".into()),
            ..e(EntityKind::TextLink, 0, 8)
        };
        assert_eq!(
            validate(text, &[link, e(EntityKind::Url, 0, 4)]),
            Err(EntityError::Overlapping),
            "no link inside a link"
        );
        let many: Vec<Entity> = (0..=MAX_ENTITIES as u32)
            .map(|i| e(EntityKind::Bold, 0, 1 + i % 15))
            .collect();
        assert_eq!(validate(text, &many), Err(EntityError::TooMany));
    }

    #[test]
    fn only_http_https_and_mailto_links_pass() {
        let link = |url: &str| Entity {
            url: Some(url.into()),
            ..e(EntityKind::TextLink, 0, 4)
        };
        assert!(validate("here", &[link("https://wren.example/a?b=c")]).is_ok());
        assert!(validate("here", &[link("mailto:a@b.example")]).is_ok());
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            "data:text/html,x",
            "file:///etc/passwd",
            "https://a b",
            "https://a\u{202e}b",
            "http://",
        ] {
            assert_eq!(
                validate("here", &[link(bad)]),
                Err(EntityError::BadUrl),
                "{bad}"
            );
        }
        let long = format!("https://{}", "a".repeat(MAX_URL_BYTES));
        assert_eq!(validate("here", &[link(&long)]), Err(EntityError::BadUrl));
        assert_eq!(
            validate(
                "here",
                &[Entity {
                    url: Some("https://x.example".into()),
                    ..e(EntityKind::Bold, 0, 4)
                }]
            ),
            Err(EntityError::BadField)
        );
    }

    #[test]
    fn a_mention_names_an_account_whatever_the_case() {
        let text = "hi @Alice and @bob_2";
        let entities = vec![e(EntityKind::Mention, 3, 6), e(EntityKind::Mention, 14, 6)];
        assert!(mentions(text, &entities, "alice"));
        assert!(mentions(text, &entities, "bob_2"));
        assert!(!mentions(text, &entities, "ali"));
        assert!(!mentions("alice", &[], "alice"), "plain text is no mention");
    }

    #[test]
    fn sanitize_keeps_the_valid_ones_sorted() {
        let text = "abc def";
        let kept = sanitize(
            text,
            vec![
                e(EntityKind::Italic, 4, 3),
                e(EntityKind::Bold, 2, 4),
                e(EntityKind::Bold, 0, 3),
                e(EntityKind::Strike, 0, 99),
            ],
        );
        assert_eq!(
            kept,
            vec![e(EntityKind::Bold, 0, 3), e(EntityKind::Italic, 4, 3)]
        );
    }

    proptest! {
        #[test]
        fn sanitized_entities_always_validate(
            text in "\\PC{0,24}",
            raw in proptest::collection::vec((0u8..11, 0u32..30, 0u32..30), 0..12),
        ) {
            let kinds = [
                EntityKind::Bold, EntityKind::Italic, EntityKind::Underline, EntityKind::Strike,
                EntityKind::Spoiler, EntityKind::Code, EntityKind::Pre, EntityKind::TextLink,
                EntityKind::Url, EntityKind::Mention, EntityKind::Hashtag,
            ];
            let entities: Vec<Entity> = raw
                .into_iter()
                .map(|(k, offset, length)| {
                    let kind = kinds[usize::from(k)];
                    Entity {
                        url: (kind == EntityKind::TextLink).then(|| "https://x.example".into()),
                        ..e(kind, offset, length)
                    }
                })
                .collect();
            let kept = sanitize(&text, entities);
            prop_assert!(validate(&text, &kept).is_ok());
            for entity in &kept {
                let units: Vec<u16> = text.encode_utf16().collect();
                let span = &units[entity.offset as usize..(entity.offset + entity.length) as usize];
                prop_assert!(String::from_utf16(span).is_ok(), "a span is whole characters");
            }
        }
    }
}
