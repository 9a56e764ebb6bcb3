-- Devices of this account that this device revoked: their leaves are removed from every
-- chat's MLS group (kept so that a removal cut short by a crash is done on the next run).
CREATE TABLE revoked_devices (
    account_id INTEGER NOT NULL,
    device_id  INTEGER NOT NULL,
    PRIMARY KEY (account_id, device_id)
) WITHOUT ROWID;

-- The newest epoch of each chat's MLS group that sync has seen a commit for (whether or
-- not this device is in the group), and whether that commit's Welcome is still to come.
-- A device joins a group by itself only once it has seen all of it, so that a Welcome
-- meant for it is not overtaken by a join of its own.
CREATE TABLE mls_seen (
    chat_id         INTEGER PRIMARY KEY,
    epoch           INTEGER NOT NULL,
    welcome_pending INTEGER NOT NULL
);
