-- Pinned chats, per account and synced to all of its devices: when the member pinned the
-- chat (Unix ms), NULL while it is not pinned. Leaving a chat drops its row and the pin.
ALTER TABLE members ADD COLUMN pinned_at INTEGER;
