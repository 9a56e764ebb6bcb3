-- End-to-end encryption key directory (MLS). The server keeps key packages as opaque bytes.

-- A device's Ed25519 identity public key (32 bytes), set once; NULL until the device sets it.
ALTER TABLE devices ADD COLUMN identity_key BLOB;
-- The device's last-resort key package: handed out when its pool is empty, and kept.
ALTER TABLE devices ADD COLUMN last_resort_package BLOB;

-- Each device's pool of one-time key packages; each row is handed out once, oldest first.
CREATE TABLE key_packages (
    id        INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices(id),
    package   BLOB    NOT NULL
);
CREATE INDEX key_packages_by_device ON key_packages(device_id, id);
