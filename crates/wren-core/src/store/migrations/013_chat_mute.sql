-- Chats muted on this device until a time (ms since the epoch; 0: not muted): their new
-- messages are not announced.
ALTER TABLE chats ADD COLUMN muted_until INTEGER NOT NULL DEFAULT 0;
