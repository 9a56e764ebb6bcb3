//! From what a person typed to text and entities: Markdown-style marks as Telegram Desktop
//! reads them, then URLs, `@mentions` and `#hashtags` recognized in the result.
//!
//! Marks: `**bold**`, `__italic__`, `++underline++`, `~~strike~~`, `||spoiler||`,
//! `` `code` ``, ```` ```lang⏎block``` ```` and `[text](https://…)`. A mark that is not
//! closed, or a link to anything but http, https or mailto, stays as typed. Nothing inside
//! code is read as a mark.

use super::entities::{self, is_safe_url, Entity, EntityKind};
use linkify::{LinkFinder, LinkKind};

/// Paired marks and what they make.
const PAIRS: [(&str, EntityKind); 5] = [
    ("**", EntityKind::Bold),
    ("__", EntityKind::Italic),
    ("++", EntityKind::Underline),
    ("~~", EntityKind::Strike),
    ("||", EntityKind::Spoiler),
];

/// Marks nest at most this deep; deeper ones stay as typed.
const MAX_DEPTH: u8 = 8;

/// Text and its entities, built left to right.
#[derive(Default)]
struct Builder {
    text: String,
    units: u32,
    entities: Vec<Entity>,
}

impl Builder {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.units += entities::utf16_len(s);
    }

    fn close(&mut self, kind: EntityKind, start: u32) -> Option<&mut Entity> {
        let length = self.units - start;
        if length == 0 {
            return None;
        }
        self.entities.push(Entity::plain(kind, start, length));
        self.entities.last_mut()
    }
}

/// Reads the marks of `input`: the text without them, and the entities they made (with
/// URLs, mentions and hashtags recognized as [`detect`] does).
pub fn parse(input: &str) -> (String, Vec<Entity>) {
    let mut out = Builder::default();
    inline(input, &mut out, 0);
    let Builder { text, entities, .. } = out;
    let entities = with_detected(&text, entities);
    (text, entities)
}

/// Text as typed, with its URLs, `@mentions` and `#hashtags` as entities.
pub fn detect(text: &str) -> Vec<Entity> {
    with_detected(text, Vec::new())
}

fn inline(mut rest: &str, out: &mut Builder, depth: u8) {
    while !rest.is_empty() {
        if let Some(after) = try_block(rest, out) {
            rest = after;
            continue;
        }
        if let Some(after) = try_code(rest, out) {
            rest = after;
            continue;
        }
        if depth < MAX_DEPTH {
            if let Some(after) = try_pair(rest, out, depth) {
                rest = after;
                continue;
            }
            if let Some(after) = try_link(rest, out, depth) {
                rest = after;
                continue;
            }
        }
        let c = rest.chars().next().map_or(1, char::len_utf8);
        out.push(&rest[..c]);
        rest = &rest[c..];
    }
}

/// ```` ```lang⏎code``` ````: a block; the first line is its language when it is one word.
fn try_block<'a>(rest: &'a str, out: &mut Builder) -> Option<&'a str> {
    let after = rest.strip_prefix("```")?;
    let end = after.find("```")?;
    let inner = &after[..end];
    let (language, code) = match inner.split_once('\n') {
        Some((first, code)) if !first.is_empty() && !first.contains(char::is_whitespace) => {
            (Some(first), code)
        }
        _ => (None, inner.strip_prefix('\n').unwrap_or(inner)),
    };
    let code = code.strip_suffix('\n').unwrap_or(code);
    if code.is_empty() {
        return None;
    }
    let start = out.units;
    out.push(code);
    if let Some(entity) = out.close(EntityKind::Pre, start) {
        entity.language = language
            .filter(|l| l.len() <= entities::MAX_LANGUAGE_BYTES)
            .map(str::to_owned);
    }
    Some(&after[end + 3..])
}

fn try_code<'a>(rest: &'a str, out: &mut Builder) -> Option<&'a str> {
    let after = rest.strip_prefix('`')?;
    let end = after.find(['`', '\n'])?;
    if end == 0 || !after[end..].starts_with('`') {
        return None;
    }
    let start = out.units;
    out.push(&after[..end]);
    out.close(EntityKind::Code, start);
    Some(&after[end + 1..])
}

fn try_pair<'a>(rest: &'a str, out: &mut Builder, depth: u8) -> Option<&'a str> {
    let (mark, kind) = PAIRS.iter().find(|(mark, _)| rest.starts_with(mark))?;
    let after = &rest[mark.len()..];
    // The closing mark: the next one after at least one character.
    let first = after.chars().next()?.len_utf8();
    let end = after[first..].find(mark)? + first;
    let start = out.units;
    inline(&after[..end], out, depth + 1);
    out.close(*kind, start);
    Some(&after[end + mark.len()..])
}

/// `[text](url)` with a safe URL.
fn try_link<'a>(rest: &'a str, out: &mut Builder, depth: u8) -> Option<&'a str> {
    let after = rest.strip_prefix('[')?;
    let label_end = after.find("](")?;
    let label = &after[..label_end];
    if label.is_empty() || label.contains('\n') {
        return None;
    }
    let target = &after[label_end + 2..];
    let url_end = target.find(')')?;
    let url = target[..url_end].trim();
    if !is_safe_url(url) {
        return None;
    }
    let start = out.units;
    inline(label, out, depth + 1);
    let entity = out.close(EntityKind::TextLink, start)?;
    entity.url = Some(url.to_owned());
    Some(&target[url_end + 1..])
}

/// Adds URLs, mentions and hashtags found in the text outside code and links, where they
/// nest with what is there; then sorts and checks the whole set.
fn with_detected(text: &str, mut found: Vec<Entity>) -> Vec<Entity> {
    let mut spans: Vec<(usize, usize, EntityKind)> = LinkFinder::new()
        .kinds(&[LinkKind::Url])
        .url_must_have_scheme(false)
        .links(text)
        .filter(|link| looks_like_a_link(link.as_str()))
        .map(|link| (link.start(), link.end(), EntityKind::Url))
        .collect();
    spans.extend(marked_words(text, '@', EntityKind::Mention));
    spans.extend(marked_words(text, '#', EntityKind::Hashtag));
    spans.sort_unstable();
    for (start, end, kind) in spans {
        let offset = entities::utf16_len(&text[..start]);
        let length = entities::utf16_len(&text[start..end]);
        found.push(Entity::plain(kind, offset, length));
    }
    entities::sanitize(text, found)
}

/// Top-level domains a link written without a scheme is recognized by, so that
/// `file.txt` or `document.title` stay text.
const COMMON_TLDS: [&str; 40] = [
    "com", "org", "net", "io", "dev", "app", "me", "co", "info", "edu", "gov", "int", "ai", "uk",
    "us", "ca", "au", "de", "fr", "es", "it", "nl", "se", "ch", "ru", "ua", "pl", "br", "in", "jp",
    "cn", "kr", "sa", "ae", "eg", "ma", "tr", "ir", "news", "example",
];

/// A link with a scheme, or a host ending in a common top-level domain.
fn looks_like_a_link(found: &str) -> bool {
    if found.contains("://") || found.to_ascii_lowercase().starts_with("mailto:") {
        return true;
    }
    let host = found.split(['/', '?', '#', ':']).next().unwrap_or_default();
    host.rsplit('.')
        .next()
        .is_some_and(|tld| COMMON_TLDS.contains(&tld.to_ascii_lowercase().as_str()))
}

/// `@name` (3 to 32 of `A-Z a-z 0-9 _`) or `#tag` (letters, digits and `_`, with a letter),
/// each after the start or a character that is not part of a word.
fn marked_words(text: &str, mark: char, kind: EntityKind) -> Vec<(usize, usize, EntityKind)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices(mark) {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == mark) {
            continue;
        }
        let body_start = at + mark.len_utf8();
        let word_len: usize = text[body_start..]
            .chars()
            .take_while(|&c| match kind {
                EntityKind::Mention => c.is_ascii_alphanumeric() || c == '_',
                _ => c.is_alphanumeric() || c == '_',
            })
            .map(char::len_utf8)
            .sum();
        let word = &text[body_start..body_start + word_len];
        let ok = match kind {
            EntityKind::Mention => (3..=32).contains(&word.len()),
            _ => word.chars().any(char::is_alphabetic) && word.chars().count() <= 64,
        };
        if ok {
            out.push((at, body_start + word_len, kind));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(kind: EntityKind, offset: u32, length: u32) -> Entity {
        Entity::plain(kind, offset, length)
    }

    #[test]
    fn marks_become_entities_and_leave_the_text() {
        let (text, found) = parse("**bold** __it__ ++u++ ~~s~~ ||hidden||");
        assert_eq!(text, "bold it u s hidden");
        assert_eq!(
            found,
            vec![
                e(EntityKind::Bold, 0, 4),
                e(EntityKind::Italic, 5, 2),
                e(EntityKind::Underline, 8, 1),
                e(EntityKind::Strike, 10, 1),
                e(EntityKind::Spoiler, 12, 6),
            ]
        );
    }

    #[test]
    fn marks_nest_and_unclosed_ones_stay() {
        let (text, found) = parse("**bold __both__** 2**3 a**");
        assert_eq!(text, "bold both 23 a");
        assert_eq!(
            found,
            vec![
                e(EntityKind::Bold, 0, 9),
                e(EntityKind::Italic, 5, 4),
                e(EntityKind::Bold, 11, 3)
            ]
        );
        let (text, found) = parse("a ** b");
        assert_eq!((text.as_str(), found.len()), ("a ** b", 0));
        let (text, found) = parse("****");
        assert_eq!((text.as_str(), found.len()), ("****", 0));
    }

    #[test]
    fn code_is_literal() {
        let (text, found) = parse("run `**x**` now");
        assert_eq!(text, "run **x** now");
        assert_eq!(found, vec![e(EntityKind::Code, 4, 5)]);
        let (text, found) = parse("```rust\nfn main() {}\n```");
        assert_eq!(text, "fn main() {}");
        assert_eq!(
            found,
            vec![Entity {
                language: Some("rust".into()),
                ..e(EntityKind::Pre, 0, 12)
            }]
        );
        let (text, found) = parse("```\nplain **x**```");
        assert_eq!(text, "plain **x**");
        assert_eq!(found, vec![e(EntityKind::Pre, 0, 11)]);
    }

    #[test]
    fn links_need_a_safe_target() {
        let (text, found) = parse("see [the **docs**](https://wren.example/docs) ok");
        assert_eq!(text, "see the docs ok");
        assert_eq!(
            found,
            vec![
                Entity {
                    url: Some("https://wren.example/docs".into()),
                    ..e(EntityKind::TextLink, 4, 8)
                },
                e(EntityKind::Bold, 8, 4),
            ]
        );
        let (text, found) = parse("[x](javascript:alert(1))");
        assert_eq!(text, "[x](javascript:alert(1))");
        assert!(found.is_empty());
    }

    #[test]
    fn urls_mentions_and_hashtags_are_recognized() {
        let text = "@alice see wren.example/a and #news, mail@x.example #1 **@bob**";
        let (out, found) = parse(text);
        assert_eq!(
            out,
            "@alice see wren.example/a and #news, mail@x.example #1 @bob"
        );
        let kinds: Vec<(EntityKind, &str)> = found
            .iter()
            .map(|f| {
                let units: Vec<u16> = out.encode_utf16().collect();
                let span = &units[f.offset as usize..(f.offset + f.length) as usize];
                (
                    f.kind,
                    String::from_utf16(span)
                        .map(|s| s.leak() as &str)
                        .unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            kinds,
            vec![
                (EntityKind::Mention, "@alice"),
                (EntityKind::Url, "wren.example/a"),
                (EntityKind::Hashtag, "#news"),
                (EntityKind::Bold, "@bob"),
                (EntityKind::Mention, "@bob"),
            ]
        );
        assert!(detect("no links here").is_empty());
        assert!(detect("open file.txt or document.title").is_empty());
        assert_eq!(detect("www.wren.dev"), vec![e(EntityKind::Url, 0, 12)]);
        assert_eq!(detect("#وسم"), vec![e(EntityKind::Hashtag, 0, 4)]);
    }

    #[test]
    fn offsets_are_utf16_over_arabic_and_emoji() {
        let (text, found) = parse("👍 **مرحبا** e\u{301}");
        assert_eq!(text, "👍 مرحبا e\u{301}");
        assert_eq!(found, vec![e(EntityKind::Bold, 3, 5)]);
        let (text, found) = parse("**👍**");
        assert_eq!(text, "👍");
        assert_eq!(found, vec![e(EntityKind::Bold, 0, 2)]);
    }
}
