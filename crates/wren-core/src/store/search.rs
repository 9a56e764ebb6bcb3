//! Full-text search over stored message text (FTS5, `unicode61 remove_diacritics 2`, so
//! Latin and Arabic both match without their diacritics).

use super::messages::{view_from_row, VIEW_COLUMNS, VIEW_COLUMN_COUNT, VIEW_JOINS};
use crate::error::StoreError;
use crate::model::SearchHit;
use rusqlite::{params, Connection};
use wren_proto::{AccountId, ChatId};

/// Turns what a person typed into an FTS5 query: every word must match, the last one as a
/// prefix (search as you type); FTS5 operators in the input are taken literally.
pub(crate) fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        .split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    if words.is_empty() {
        return None;
    }
    Some(format!("{}*", words.join(" ")))
}

/// Newest matches first; in one chat, or (`None`) in all.
pub(crate) fn search(
    conn: &Connection,
    me: AccountId,
    input: &str,
    limit: u32,
    chat: Option<ChatId>,
) -> Result<Vec<SearchHit>, StoreError> {
    let Some(query) = fts_query(input) else {
        return Ok(Vec::new());
    };
    let sql = format!(
        "SELECT {VIEW_COLUMNS},
                CASE WHEN c.kind = 0 THEN coalesce((SELECT pu.username FROM members pm
                    JOIN users pu ON pu.id = pm.account_id
                    WHERE pm.chat_id = c.id AND pm.account_id != ?3 LIMIT 1), c.title)
                ELSE c.title END,
                snippet(messages_fts, 0, char(1), char(2), '…', 16)
         FROM messages_fts f
         JOIN messages m ON m.id = f.rowid {VIEW_JOINS}
         WHERE messages_fts MATCH ?1 AND m.deleted = 0 AND m.hidden = 0
               AND (?4 IS NULL OR m.chat_id = ?4)
         ORDER BY f.rowid DESC LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let chat = chat.map(|c| c.0 as i64);
    let rows = stmt.query_map(params![query, limit, me.0 as i64, chat], |row| {
        let message = view_from_row(row, me)?;
        Ok((
            message,
            row.get::<_, String>(VIEW_COLUMN_COUNT)?,
            row.get::<_, String>(VIEW_COLUMN_COUNT + 1)?,
        ))
    })?;
    let mut hits = Vec::new();
    for row in rows {
        let (message, title, snippet) = row?;
        hits.push(SearchHit {
            chat: message.chat,
            chat_title: title,
            message,
            snippet,
        });
    }
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn operators_are_taken_literally() {
        assert_eq!(
            fts_query("hello wor").as_deref(),
            Some("\"hello\" \"wor\"*")
        );
        assert_eq!(fts_query("a\"b OR").as_deref(), Some("\"a\"\"b\" \"OR\"*"));
        assert_eq!(fts_query("   "), None);
    }
}
