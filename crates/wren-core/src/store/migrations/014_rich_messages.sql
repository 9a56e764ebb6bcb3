-- Schema 14: formatted messages, reactions, pinned messages, delete for me.
-- The encoded content an outgoing message is sent with (the outbox seals it as it is).
ALTER TABLE messages ADD COLUMN body BLOB;
-- Entities over `text` (postcard), and where a forwarded message came from (postcard).
ALTER TABLE messages ADD COLUMN entities BLOB;
ALTER TABLE messages ADD COLUMN forwarded BLOB;
-- 0 shown; 1 deleted on this device only; 2 an action (a reaction or a pin), never shown.
ALTER TABLE messages ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;

-- Who reacted with what to which message, and when (for the order of the chips).
CREATE TABLE reactions (
    chat_id    INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    target_seq INTEGER NOT NULL,
    account_id INTEGER NOT NULL,
    emoji      TEXT NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (chat_id, target_seq, account_id, emoji)
) WITHOUT ROWID;

-- Messages pinned in their chat, and when.
CREATE TABLE pinned_messages (
    chat_id   INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    pinned_at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, seq)
) WITHOUT ROWID;

-- What this device sealed: the whole plaintext body, so its own echo keeps entities too.
ALTER TABLE own_sealed ADD COLUMN body BLOB;

-- The name each person chose to be shown by ('' when none).
ALTER TABLE users ADD COLUMN display_name TEXT NOT NULL DEFAULT '';

-- In the account's archive (synced from the server with the mute, like pins).
ALTER TABLE chats ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;

-- Whether a message from someone else mentions this account (by @username) or answers
-- one of its messages: counted as an unread mention, and announced even in a muted chat.
ALTER TABLE messages ADD COLUMN mentions_me INTEGER NOT NULL DEFAULT 0;
