//! Applying updates from the account's update log, together with the new `pts`, in one
//! transaction: after a crash either both are stored or neither, so every update is
//! applied exactly once.

use super::{actions, chats, messages, outbox, pins, session, titles};
use crate::e2e;
use crate::e2e::group::CommitApplied;
use crate::error::StoreError;
use rusqlite::Connection;
use std::collections::BTreeSet;
use wren_proto::{AccountId, ChatId, ChatInfo, Pts, Update, UpdateEnvelope};

/// What an applied batch changed, so the engine can tell the UI.
#[derive(Debug, Default)]
pub(crate) struct Applied {
    /// Chats whose row or messages changed.
    pub(crate) chats: BTreeSet<ChatId>,
    /// Chats this account is no longer a member of: they stay, read-only, and nothing
    /// more is sent to them.
    pub(crate) left: BTreeSet<ChatId>,
    /// Local ids of messages that were added or changed, in order.
    pub(crate) messages: Vec<i64>,
    /// Unsent messages (chat, local id) that failed because this account left the chat.
    pub(crate) failed: Vec<(ChatId, i64)>,
    /// Chats mentioned by an update but not stored: the engine fetches them.
    pub(crate) unknown_chats: BTreeSet<ChatId>,
    /// Chats whose MLS group this device may have to join, or prune of former members.
    pub(crate) groups_to_check: BTreeSet<ChatId>,
    /// People whose display name changed, as they are now.
    pub(crate) profiles: Vec<crate::model::Account>,
    /// The account's chat folders, when they changed.
    pub(crate) folders: Option<Vec<wren_proto::Folder>>,
    /// The `pts` stored after the batch.
    pub(crate) pts: Pts,
}

/// Applies the updates that follow the stored `pts`, skipping any already applied.
pub(crate) fn apply(
    conn: &mut Connection,
    me: AccountId,
    updates: &[UpdateEnvelope],
) -> Result<Applied, StoreError> {
    let tx = conn.transaction()?;
    let mut applied = Applied {
        pts: session::pts(&tx)?,
        ..Applied::default()
    };
    let mut groups = e2e::group::GroupCache::default();
    for envelope in updates {
        if envelope.pts <= applied.pts {
            continue;
        }
        apply_one(&tx, me, &envelope.update, &mut groups, &mut applied)?;
        applied.pts = envelope.pts;
    }
    session::set_pts(&tx, applied.pts)?;
    tx.commit()?;
    Ok(applied)
}

fn apply_one(
    conn: &Connection,
    me: AccountId,
    update: &Update,
    groups: &mut e2e::group::GroupCache,
    out: &mut Applied,
) -> Result<(), StoreError> {
    let chat = match update {
        Update::FoldersChanged(list) => {
            if super::folders::replace(conn, list)? {
                out.folders = Some(list.clone());
            }
            return Ok(());
        }
        Update::ProfileChanged { account } => {
            chats::upsert_user(conn, account)?;
            out.chats.extend(chats::chats_with(conn, account.id)?);
            out.profiles.push(account.clone().into());
            return Ok(());
        }
        _ => update.chat(),
    };
    let Some(chat) = chat else {
        return Ok(());
    };
    if !matches!(
        update,
        Update::NewMessage(_)
            | Update::MessageEdited { .. }
            | Update::MessageDeleted { .. }
            | Update::ReadMark { .. }
            | Update::ChatPinned { .. }
            | Update::ChatSettingsChanged(_)
    ) {
        // It may change the chat's group: the next message loads it anew.
        groups.forget(chat);
    }
    if let Update::ChatJoined(info) = update {
        join(conn, info, out)?;
        out.groups_to_check.insert(chat);
        return Ok(());
    }
    let removes_me = matches!(update, Update::MemberRemoved { account, .. } if *account == me);
    if !chats::exists(conn, chat)? {
        if removes_me {
            // Left on this device (already deleted here) or never stored: nothing to fetch.
            out.left.insert(chat);
        } else {
            out.unknown_chats.insert(chat);
        }
        return Ok(());
    }
    out.chats.insert(chat);
    match update {
        Update::NewMessage(message) => {
            let stored = messages::upsert(conn, message, messages::Source::Updates(groups))?;
            if stored.missing_group {
                // Sent to a group this device should be in: it joins.
                out.groups_to_check.insert(chat);
            }
            match &stored.action {
                Some(action) => {
                    let target =
                        actions::apply(conn, chat, message.sender, action, message.sent_at)?;
                    out.messages.extend(target);
                    // An action does not move the chat up the list.
                    chats::touch(conn, chat, message.seq, 0)?;
                }
                None => {
                    out.messages.push(stored.id);
                    chats::touch(conn, chat, message.seq, message.sent_at)?;
                }
            }
            if message.sender == me {
                chats::raise_read_mark(conn, chat, true, message.seq)?;
            }
        }
        Update::MessageEdited {
            seq,
            log_seq,
            payload,
            edited_at,
            ..
        } => {
            let opened = e2e::sealed::open_text(conn, groups, chat, payload)?;
            out.messages
                .extend(messages::edit(conn, chat, *seq, &opened, *edited_at)?);
            chats::touch(conn, chat, *log_seq, 0)?;
        }
        Update::MessageDeleted { seq, log_seq, .. } => {
            out.messages.extend(messages::tombstone(conn, chat, *seq)?);
            chats::touch(conn, chat, *log_seq, 0)?;
        }
        Update::MemberAdded {
            log_seq, member, ..
        } => {
            chats::upsert_member(conn, chat, member)?;
            chats::touch(conn, chat, *log_seq, 0)?;
        }
        Update::MemberRemoved {
            log_seq, account, ..
        } => {
            if removes_me {
                no_longer_member(conn, me, chat, out)?;
            } else {
                chats::remove_member(conn, chat, *account)?;
                out.groups_to_check.insert(chat);
            }
            chats::touch(conn, chat, *log_seq, 0)?;
        }
        Update::ChatRenamed { log_seq, title, .. } => {
            chats::rename(conn, chat, title)?;
            chats::touch(conn, chat, *log_seq, 0)?;
        }
        Update::RoleChanged {
            log_seq,
            account,
            role,
            ..
        } => {
            chats::set_role(conn, chat, *account, *role)?;
            chats::touch(conn, chat, *log_seq, 0)?;
        }
        Update::ReadMark { account, up_to, .. } => {
            chats::raise_read_mark(conn, chat, *account == me, *up_to)?;
        }
        Update::MlsCommit {
            log_seq,
            epoch,
            commit,
            welcome_follows,
            ..
        } => {
            e2e::group::seen_commit(conn, chat, *epoch, *welcome_follows)?;
            apply_commit(conn, chat, *epoch, commit, *welcome_follows, out)?;
            titles::open_kept(conn, chat)?;
            if titles::is_admin(conn, me, chat)? {
                // The title may have to be sealed again for the new epoch.
                out.groups_to_check.insert(chat);
            }
            chats::touch(conn, chat, *log_seq, 0)?;
        }
        Update::MlsWelcome {
            log_seq, welcome, ..
        } => {
            e2e::group::seen_welcome(conn, chat)?;
            match e2e::group::join_welcome(conn, chat, welcome) {
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, %chat, "cannot use a Welcome"),
            }
            // Not in the group: the Welcome was for other devices and this one joins by
            // itself. In it: the group's title is to be fetched and opened.
            out.groups_to_check.insert(chat);
            chats::touch(conn, chat, *log_seq, 0)?;
        }
        Update::TitleSealed {
            log_seq,
            epoch,
            sealed,
            ..
        } => {
            titles::keep_sealed(conn, chat, *epoch, Some(sealed))?;
            if titles::is_admin(conn, me, chat)? {
                // One that does not open is sealed again by an admin's device.
                out.groups_to_check.insert(chat);
            }
            chats::touch(conn, chat, *log_seq, 0)?;
        }
        Update::ChatPinned { pinned, .. } => pins::apply_announced(conn, chat, *pinned)?,
        Update::ProfileChanged { .. } | Update::FoldersChanged(_) => {}
        Update::ChatSettingsChanged(settings) => chats::apply_settings(conn, settings)?,
        Update::ChatJoined(_) => {}
    }
    Ok(())
}

/// Moves the chat's group to the commit's epoch. A commit this device cannot apply (it
/// is not in the group, or the commit is unusable) marks the chat for joining anew, so
/// that one bad handshake never stops sync.
fn apply_commit(
    conn: &Connection,
    chat: ChatId,
    epoch: u64,
    commit: &[u8],
    welcome_follows: bool,
    out: &mut Applied,
) -> Result<(), StoreError> {
    let applied = e2e::group::apply_commit(conn, chat, epoch, commit);
    tracing::debug!(%chat, epoch, result = ?applied, "a commit from the chat log");
    match applied {
        Ok(CommitApplied::Applied | CommitApplied::Skipped | CommitApplied::Removed) => {}
        // The Welcome after it may be for this device.
        Ok(CommitApplied::NotInGroup) if welcome_follows => {}
        Ok(CommitApplied::NotInGroup) => {
            out.groups_to_check.insert(chat);
        }
        Err(e) => {
            tracing::warn!(error = %e, %chat, "cannot apply a commit; the group is joined anew");
            e2e::group::forget(conn, chat)?;
            out.groups_to_check.insert(chat);
        }
    }
    Ok(())
}

fn join(conn: &Connection, info: &ChatInfo, out: &mut Applied) -> Result<(), StoreError> {
    chats::upsert_chat(conn, info)?;
    out.chats.insert(info.id);
    out.left.remove(&info.id);
    Ok(())
}

/// This account was removed from a chat: the chat and its history stay, read-only (as in
/// other messengers), and what was still waiting in the outbox fails in place.
fn no_longer_member(
    conn: &Connection,
    me: AccountId,
    chat: ChatId,
    out: &mut Applied,
) -> Result<(), StoreError> {
    chats::mark_not_member(conn, me, chat)?;
    // Its group's keys go: nothing sent from now on is for this device.
    e2e::group::forget(conn, chat)?;
    for local in outbox::fail_chat(conn, chat)? {
        out.messages.push(local);
        out.failed.push((chat, local));
    }
    out.chats.insert(chat);
    out.left.insert(chat);
    Ok(())
}

/// Replaces the chat list after the server said this store is too far behind: chats that
/// are no longer in it are kept read-only (this account was removed from them or left
/// them elsewhere), the rest refreshed, and every chat's history marked as unknown (what
/// is stored stays, gaps are filled from the server on demand).
pub(crate) fn reset(
    conn: &mut Connection,
    me: AccountId,
    list: &[ChatInfo],
    pts: Pts,
) -> Result<Applied, StoreError> {
    let tx = conn.transaction()?;
    let mut out = Applied {
        pts,
        ..Applied::default()
    };
    let keep: BTreeSet<ChatId> = list.iter().map(|c| c.id).collect();
    for chat in chats::chat_ids(&tx)? {
        if !keep.contains(&chat) && chats::is_member(&tx, chat)? == Some(true) {
            no_longer_member(&tx, me, chat, &mut out)?;
        }
    }
    for info in list {
        join(&tx, info, &mut out)?;
        // The commits in between were skipped: the group is joined anew.
        e2e::group::forget(&tx, info.id)?;
        out.groups_to_check.insert(info.id);
    }
    chats::forget_synced_ranges(&tx)?;
    session::set_pts(&tx, pts)?;
    tx.commit()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content;
    use crate::model::DeliveryState;
    use crate::outbox::OutboxItem;
    use crate::profile::DatabaseKey;
    use crate::store::{outbox, schema};
    use wren_proto::{AccountInfo, ChatKind, ClientMsgId, Member, Message, Role, Seq};

    const ME: AccountId = AccountId(1);
    const BOB: AccountId = AccountId(2);
    const GROUP: ChatId = ChatId(10);

    fn store() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().expect("tempdir");
        let conn = schema::open(&dir.path().join("wren.db"), &DatabaseKey([7; 32])).expect("open");
        (dir, conn)
    }

    fn member(id: AccountId, name: &str, role: Role) -> Member {
        Member {
            account: AccountInfo {
                id,
                username: name.into(),
                display_name: String::new(),
            },
            role,
        }
    }

    fn group(id: ChatId) -> ChatInfo {
        ChatInfo {
            id,
            kind: ChatKind::Group,
            title: "Plans".into(),
            members: vec![
                member(ME, "me", Role::Member),
                member(BOB, "bob", Role::Admin),
            ],
            last_seq: Seq(0),
            read_seq: Seq(0),
            peers_read_seq: Seq(0),
            created_at: 1,
        }
    }

    fn from_bob(chat: ChatId, seq: u64, text: &str) -> Update {
        Update::NewMessage(Message {
            chat,
            seq: Seq(seq),
            sender: BOB,
            client_msg_id: ClientMsgId(1000 + seq),
            payload: content::encode_text(text),
            reply_to: None,
            sent_at: 100 + seq,
            edited_at: None,
            deleted: false,
        })
    }

    fn removed(chat: ChatId, log_seq: u64, account: AccountId) -> Update {
        Update::MemberRemoved {
            chat,
            log_seq: Seq(log_seq),
            account,
        }
    }

    /// Applies updates with the next `pts` values.
    fn apply_all(conn: &mut Connection, updates: Vec<Update>) -> Applied {
        let first = session::pts(conn).expect("pts").0 + 1;
        let envelopes: Vec<UpdateEnvelope> = updates
            .into_iter()
            .zip(first..)
            .map(|(update, pts)| UpdateEnvelope {
                pts: Pts(pts),
                update,
            })
            .collect();
        apply(conn, ME, &envelopes).expect("apply")
    }

    fn queue(conn: &mut Connection, chat: ChatId, id: u64, text: &str) -> i64 {
        let item = OutboxItem::text(chat, ClientMsgId(id), text);
        outbox::enqueue(conn, ME, &item, 500).expect("enqueue")
    }

    fn action(chat: ChatId, seq: u64, sender: AccountId, action: &content::Action) -> Update {
        Update::NewMessage(Message {
            sender,
            payload: content::encode_action(action),
            ..match from_bob(chat, seq, "") {
                Update::NewMessage(message) => message,
                _ => unreachable!("from_bob makes a new message"),
            }
        })
    }

    #[test]
    fn actions_change_their_target_by_the_rules_and_are_never_shown() {
        let (_dir, mut conn) = store();
        apply_all(&mut conn, vec![Update::ChatJoined(group(GROUP))]);
        let react = |emoji: &str, add: bool| content::Action::React {
            target: Seq(1),
            emoji: emoji.into(),
            add,
        };
        let pin = content::Action::Pin {
            target: Seq(1),
            pinned: true,
        };
        let applied = apply_all(
            &mut conn,
            vec![
                from_bob(GROUP, 1, "plan"),
                action(GROUP, 2, BOB, &react("👍", true)),
                action(GROUP, 3, BOB, &react("❤️", true)),
                action(GROUP, 4, BOB, &react("😂", true)),
                // A fourth emoji from one person is over the limit: ignored.
                action(GROUP, 5, BOB, &react("🔥", true)),
                action(GROUP, 6, BOB, &react("❤️", false)),
                // Not an emoji: ignored.
                action(GROUP, 7, BOB, &react("ok", true)),
                // A pin from a member who is not an admin (a modified client): ignored.
                action(GROUP, 8, ME, &pin),
            ],
        );
        let local = applied.messages[0];
        assert!(
            applied.messages.iter().all(|&id| id == local),
            "only the target changed"
        );
        let history = messages::history(&conn, ME, GROUP, None, 50).expect("history");
        assert_eq!(history.len(), 1, "actions are not messages");
        let emojis: Vec<(&str, u32)> = history[0]
            .reactions
            .iter()
            .map(|r| (r.emoji.as_str(), r.count))
            .collect();
        assert_eq!(emojis, [("👍", 1), ("😂", 1)]);
        assert!(!history[0].pinned);
        apply_all(&mut conn, vec![action(GROUP, 9, BOB, &pin)]);
        let history = messages::history(&conn, ME, GROUP, None, 50).expect("history");
        assert!(history[0].pinned, "an admin's pin counts");
        // A deleted message loses its reactions and its pin.
        apply_all(
            &mut conn,
            vec![Update::MessageDeleted {
                chat: GROUP,
                seq: Seq(1),
                log_seq: Seq(10),
            }],
        );
        let history = messages::history(&conn, ME, GROUP, None, 50).expect("history");
        assert!(history[0].reactions.is_empty() && !history[0].pinned);
    }

    #[test]
    fn being_removed_keeps_the_history_read_only_and_fails_what_was_unsent() {
        let (_dir, mut conn) = store();
        apply_all(
            &mut conn,
            vec![
                Update::ChatJoined(group(GROUP)),
                from_bob(GROUP, 1, "welcome"),
            ],
        );
        let unsent = queue(&mut conn, GROUP, 7, "are you still there?");

        let applied = apply_all(&mut conn, vec![removed(GROUP, 2, ME)]);

        let summary = chats::summary(&conn, ME, GROUP)
            .expect("read")
            .expect("the chat stays");
        assert!(!summary.is_member);
        assert_eq!(summary.title, "Plans");
        assert_eq!(
            summary
                .members
                .iter()
                .map(|m| m.account.id)
                .collect::<Vec<_>>(),
            vec![BOB]
        );
        let history = messages::history(&conn, ME, GROUP, None, 50).expect("history");
        let shown: Vec<(&str, DeliveryState)> =
            history.iter().map(|m| (m.text.as_str(), m.state)).collect();
        assert_eq!(
            shown,
            vec![
                ("are you still there?", DeliveryState::Failed),
                ("welcome", DeliveryState::Sent),
            ]
        );
        assert!(outbox::pending(&conn).expect("outbox").is_empty());
        assert!(applied.left.contains(&GROUP));
        assert!(applied.chats.contains(&GROUP));
        assert!(applied.messages.contains(&unsent));
        assert_eq!(applied.failed, vec![(GROUP, unsent)]);
        assert!(applied.unknown_chats.is_empty());

        // Added again later: a member again, with the history still there.
        let applied = apply_all(&mut conn, vec![Update::ChatJoined(group(GROUP))]);
        assert!(!applied.left.contains(&GROUP));
        let summary = chats::summary(&conn, ME, GROUP)
            .expect("read")
            .expect("chat");
        assert!(summary.is_member);
        assert_eq!(
            messages::history(&conn, ME, GROUP, None, 50)
                .expect("history")
                .len(),
            2
        );
    }

    #[test]
    fn another_member_leaving_only_changes_the_member_list() {
        let (_dir, mut conn) = store();
        apply_all(&mut conn, vec![Update::ChatJoined(group(GROUP))]);
        queue(&mut conn, GROUP, 7, "hi");
        let applied = apply_all(&mut conn, vec![removed(GROUP, 1, BOB)]);
        let summary = chats::summary(&conn, ME, GROUP)
            .expect("read")
            .expect("chat");
        assert!(summary.is_member);
        assert_eq!(summary.members.len(), 1);
        assert!(applied.left.is_empty() && applied.failed.is_empty());
        assert_eq!(outbox::pending(&conn).expect("outbox").len(), 1);
    }

    #[test]
    fn being_removed_from_a_chat_this_store_does_not_have_fetches_nothing() {
        let (_dir, mut conn) = store();
        let applied = apply_all(&mut conn, vec![removed(GROUP, 3, ME)]);
        assert!(applied.unknown_chats.is_empty());
        assert!(applied.left.contains(&GROUP));
        assert!(!chats::exists(&conn, GROUP).expect("read"));
    }

    #[test]
    fn a_reset_keeps_chats_missing_from_the_new_list_read_only() {
        let (_dir, mut conn) = store();
        let other = ChatId(11);
        apply_all(
            &mut conn,
            vec![
                Update::ChatJoined(group(GROUP)),
                Update::ChatJoined(group(other)),
                from_bob(GROUP, 1, "kept"),
            ],
        );
        queue(&mut conn, GROUP, 7, "unsent");
        let applied = reset(&mut conn, ME, &[group(other)], Pts(50)).expect("reset");
        assert!(applied.left.contains(&GROUP) && !applied.left.contains(&other));
        let gone = chats::summary(&conn, ME, GROUP)
            .expect("read")
            .expect("kept");
        assert!(!gone.is_member);
        assert!(
            chats::summary(&conn, ME, other)
                .expect("read")
                .expect("chat")
                .is_member
        );
        let history = messages::history(&conn, ME, GROUP, None, 50).expect("history");
        assert_eq!(history.len(), 2);
        assert!(outbox::pending(&conn).expect("outbox").is_empty());
        assert_eq!(session::pts(&conn).expect("pts"), Pts(50));
    }

    #[test]
    fn a_store_of_schema_one_keeps_its_chats_as_member_chats() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("wren.db");
        let key = DatabaseKey([9; 32]);
        {
            let conn = Connection::open(&path).expect("open");
            conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", hex::encode([9u8; 32])))
                .expect("key");
            conn.execute_batch(include_str!("migrations/001_init.sql"))
                .expect("schema 1");
            conn.pragma_update(None, "user_version", 1)
                .expect("version");
            conn.execute(
                "INSERT INTO chats (id, kind, title, created_at, last_activity_at, synced_from)
                 VALUES (10, 1, 'Plans', 1, 1, 0)",
                [],
            )
            .expect("insert");
        }
        let conn = schema::open(&path, &key).expect("migrate");
        assert_eq!(chats::is_member(&conn, GROUP).expect("read"), Some(true));
    }
}
