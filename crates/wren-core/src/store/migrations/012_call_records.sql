-- A call recorded in its chat's history: the record (postcard of content::CallRecord);
-- NULL for every other message.
ALTER TABLE messages ADD COLUMN call BLOB;
