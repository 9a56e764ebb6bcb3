-- Pins are kept by the server and synced to every device of the account. pin_pending is
-- the pin state this device set and the server has not confirmed yet (NULL: in sync);
-- pins made before pins were synced go up once.
ALTER TABLE chats ADD COLUMN pin_pending INTEGER;
UPDATE chats SET pin_pending = 1 WHERE pinned = 1;
