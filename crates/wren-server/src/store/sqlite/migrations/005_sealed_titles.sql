-- Sealed group titles: an admin's device seals the title with a key the chat's MLS group
-- exports, and the server keeps only that. A sealed title is a chat-log row (kind 10,
-- payload = the sealed title, target = the epoch that sealed it) with pointer rows in the
-- update logs; the chat points at its newest one. Sealing a title also drops the plaintext
-- title and the title texts of the chat's created and renamed events.
ALTER TABLE chats ADD COLUMN sealed_title_seq INTEGER;
