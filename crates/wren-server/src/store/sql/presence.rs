//! Who may know whose presence. A viewer sees an account's online status and last seen
//! time when they share a chat, the account shows it to everybody (or to its contacts,
//! the people it has a direct chat with, and the viewer is one), and the viewer does not
//! hide its own from everybody.

use super::views::{KIND_DIRECT, LAST_SEEN_CONTACTS, LAST_SEEN_EVERYBODY, LAST_SEEN_NOBODY};
use super::{args, Db};
use crate::store::{SeenBy, StoreError};
use wren_proto::AccountId;

/// What `viewer` may know of each of `accounts` (unknown accounts left out).
pub(crate) fn seen_by(
    db: Db<'_>,
    viewer: AccountId,
    accounts: &[AccountId],
) -> Result<Vec<SeenBy>, StoreError> {
    let viewer_hides: bool = db
        .query_opt(
            "SELECT last_seen_privacy = ?2 FROM accounts WHERE id = ?1",
            args![viewer.0, LAST_SEEN_NOBODY],
            |row| row.get(0),
        )?
        .unwrap_or(true);
    let statement = "SELECT a.last_seen_privacy, a.last_seen_at,
                    EXISTS (SELECT 1 FROM members mine JOIN members theirs
                            ON theirs.chat_id = mine.chat_id
                            WHERE mine.account_id = ?2 AND theirs.account_id = a.id),
                    EXISTS (SELECT 1 FROM members mine JOIN members theirs
                            ON theirs.chat_id = mine.chat_id
                            JOIN chats c ON c.id = mine.chat_id AND c.kind = ?3
                            WHERE mine.account_id = ?2 AND theirs.account_id = a.id)
             FROM accounts a WHERE a.id = ?1";
    let mut out = Vec::with_capacity(accounts.len());
    for &account in accounts {
        let row: Option<(i64, u64, bool, bool)> =
            db.query_opt(statement, args![account.0, viewer.0, KIND_DIRECT], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })?;
        let Some((setting, last_seen, shares_chat, contact)) = row else {
            continue;
        };
        let shown = account != viewer
            && !viewer_hides
            && shares_chat
            && (setting == LAST_SEEN_EVERYBODY || setting == LAST_SEEN_CONTACTS && contact);
        out.push(SeenBy {
            account,
            shown,
            last_seen,
        });
    }
    Ok(out)
}

/// Everyone who may see `account`'s presence: those who share a chat with it, do not hide
/// their own, and (for an account that shows it to contacts only) have a direct chat with it.
pub(crate) fn audience(db: Db<'_>, account: AccountId) -> Result<Vec<AccountId>, StoreError> {
    db.query_all(
        "SELECT DISTINCT theirs.account_id FROM members mine
         JOIN members theirs ON theirs.chat_id = mine.chat_id AND theirs.account_id != ?1
         JOIN chats c ON c.id = mine.chat_id
         JOIN accounts me ON me.id = ?1
         JOIN accounts viewer ON viewer.id = theirs.account_id
         WHERE mine.account_id = ?1 AND viewer.last_seen_privacy != ?2
           AND (me.last_seen_privacy = ?3 OR (me.last_seen_privacy = ?4 AND c.kind = ?5))",
        args![
            account.0,
            LAST_SEEN_NOBODY,
            LAST_SEEN_EVERYBODY,
            LAST_SEEN_CONTACTS,
            KIND_DIRECT
        ],
        |row| row.get(0).map(AccountId),
    )
}
