-- This device's MLS identity: its Ed25519 signature key pair, private half included (the
-- whole database is encrypted by SQLCipher), for the device it was made for. A profile
-- that signs in again as a new device gets a new row. `initial_upload` is set once the
-- first batch of key packages and the last-resort one reached the server.
CREATE TABLE device_identity (
    device_id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL,
    key_pair BLOB NOT NULL,
    initial_upload INTEGER NOT NULL DEFAULT 0
);
