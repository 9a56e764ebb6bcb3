-- End-to-end encryption: the server as MLS delivery service. It orders each chat's commits
-- (one per epoch) and keeps the group info of the current epoch for devices that join by
-- external commit. Commits and Welcomes are chat-log rows (kinds 8 and 9, payload = the
-- MLS message, target = the epoch it was made in) with pointer rows in the update logs.

-- The epoch of the chat's MLS group; 0 while no commit was accepted (no group yet, or a
-- chat made before end-to-end encryption).
ALTER TABLE chats ADD COLUMN mls_epoch INTEGER NOT NULL DEFAULT 0;
-- The serialized group info of that epoch (with its ratchet tree).
ALTER TABLE chats ADD COLUMN group_info BLOB;
