-- Who may add an account to groups (0 = everybody, 1 = nobody).
ALTER TABLE accounts ADD COLUMN group_adds INTEGER NOT NULL DEFAULT 0;

-- When a member left or was removed (kind 4, target = account): what a former member may
-- still be shown ends there.
CREATE INDEX chat_log_departures ON chat_log(chat_id, target, seq) WHERE kind = 4;
-- A chat's title at any position: the "created" event (kind 6) carries the first title and
-- every rename (kind 5) the next one.
CREATE INDEX chat_log_titles ON chat_log(chat_id, seq) WHERE kind IN (5, 6);
-- A message's edits (kind 1, target = the message); each keeps the payload it replaced.
CREATE INDEX chat_log_edits ON chat_log(chat_id, target, seq) WHERE kind = 1;

-- Chats created before this migration: their first title is their title if never renamed.
UPDATE chat_log SET text = (SELECT title FROM chats WHERE chats.id = chat_log.chat_id)
 WHERE kind = 6 AND text IS NULL
   AND NOT EXISTS (SELECT 1 FROM chat_log r WHERE r.chat_id = chat_log.chat_id AND r.kind = 5);
