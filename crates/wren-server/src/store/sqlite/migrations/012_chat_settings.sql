-- Schema 12: a member's settings of a chat, synced to all of its devices: muted until
-- (Unix ms; NULL: not muted; a very large value: for ever), and archived (1) or not (0).
-- A new message takes an archived chat out of the archive unless it is muted.
ALTER TABLE members ADD COLUMN muted_until INTEGER;
ALTER TABLE members ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
