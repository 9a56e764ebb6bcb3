-- Wren local store, schema 1. One database per account, encrypted with SQLCipher.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
    id       INTEGER PRIMARY KEY,
    username TEXT NOT NULL
);

CREATE TABLE chats (
    id               INTEGER PRIMARY KEY,
    kind             INTEGER NOT NULL,            -- 0 direct, 1 group
    title            TEXT NOT NULL,
    last_seq         INTEGER NOT NULL DEFAULT 0,
    read_seq         INTEGER NOT NULL DEFAULT 0,
    peers_read_seq   INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    last_activity_at INTEGER NOT NULL,
    -- Every message with seq >= synced_from is stored here; below it, ask the server.
    synced_from      INTEGER NOT NULL,
    pinned           INTEGER NOT NULL DEFAULT 0,
    draft            TEXT NOT NULL DEFAULT ''
);

CREATE TABLE members (
    chat_id    INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL,
    role       INTEGER NOT NULL,                  -- 0 member, 1 admin
    PRIMARY KEY (chat_id, account_id)
) WITHOUT ROWID;

CREATE TABLE messages (
    id            INTEGER PRIMARY KEY,            -- local id, stable from the moment of sending
    chat_id       INTEGER NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
    seq           INTEGER,                        -- NULL while in the outbox
    sender_id     INTEGER NOT NULL,
    client_msg_id INTEGER NOT NULL,
    text          TEXT NOT NULL,
    reply_to      INTEGER,
    sent_at       INTEGER NOT NULL,
    edited_at     INTEGER,
    deleted       INTEGER NOT NULL DEFAULT 0,
    state         INTEGER NOT NULL                -- 0 pending, 1 sent, 2 failed
);
CREATE UNIQUE INDEX messages_by_seq ON messages(chat_id, seq);
CREATE UNIQUE INDEX messages_by_client_id ON messages(sender_id, client_msg_id);

CREATE TABLE outbox (
    message_id    INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    chat_id       INTEGER NOT NULL,
    client_msg_id INTEGER NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL
);

CREATE VIRTUAL TABLE messages_fts USING fts5(
    text,
    content = 'messages',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
END;
