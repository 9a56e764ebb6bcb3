-- Channels muted on this device: their new posts are not announced.
ALTER TABLE channels ADD COLUMN muted INTEGER NOT NULL DEFAULT 0;
