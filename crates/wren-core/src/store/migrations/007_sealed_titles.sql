-- Sealed group titles (see e2e/title.rs): the newest sealed title the server sent for a
-- group and the epoch that sealed it (NULL: not asked yet; 0: the server has none), and a
-- title this device set (creating or renaming the group) that it has still to seal. The
-- opened title is shown from `chats.title`, as before.
ALTER TABLE chats ADD COLUMN sealed_title BLOB;
ALTER TABLE chats ADD COLUMN sealed_title_epoch INTEGER;
ALTER TABLE chats ADD COLUMN title_to_seal TEXT;
