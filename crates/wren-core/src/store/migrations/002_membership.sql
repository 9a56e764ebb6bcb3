-- Wren local store, schema 2: a group this account was removed from stays, read-only.

-- 1 while this account is a member; 0 once it was removed: the history stays readable,
-- nothing can be sent, and what was still in the outbox is marked failed.
ALTER TABLE chats ADD COLUMN is_member INTEGER NOT NULL DEFAULT 1;
