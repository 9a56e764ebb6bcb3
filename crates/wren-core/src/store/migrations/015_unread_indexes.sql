-- The chat list counts unread messages and unread mentions per chat. Without these, each
-- count read every unread message's row (a chat with 100,000 unread messages took about
-- 50 ms per count); with them the unread count reads index entries alone (the shown
-- messages, with their sender), and the mention count visits only the messages that
-- mention this account.
CREATE INDEX messages_shown_by_seq ON messages(chat_id, seq, sender_id)
    WHERE deleted = 0 AND hidden = 0;
CREATE INDEX messages_mentioning_me ON messages(chat_id, seq)
    WHERE mentions_me = 1 AND deleted = 0 AND hidden = 0;
