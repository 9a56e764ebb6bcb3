-- A commit this device made for a chat's MLS group, waiting for the server to accept it
-- (then merged) or refuse it (then dropped). `fresh`: the commit creates or joins the
-- group, which is deleted again if the commit is refused.
CREATE TABLE mls_pending (
    chat_id      INTEGER PRIMARY KEY,
    commit_bytes BLOB    NOT NULL,
    fresh        INTEGER NOT NULL
);

-- Payloads this device sealed, by SHA-256, with their text: MLS does not let a device
-- decrypt its own messages, so their echo from the server is recognized here instead.
-- A row goes when its echo arrives; rows whose echo never came are pruned after a week.
CREATE TABLE own_sealed (
    payload_hash BLOB    PRIMARY KEY,
    text         TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
) WITHOUT ROWID;
