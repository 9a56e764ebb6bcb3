-- Schema 11: presence. Who sees the account's last seen time (0 everybody, 1 contacts,
-- 2 nobody), and when its last connection closed (ms since the epoch; 0: never yet).
ALTER TABLE accounts ADD COLUMN last_seen_privacy INTEGER NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN last_seen_at INTEGER NOT NULL DEFAULT 0;
