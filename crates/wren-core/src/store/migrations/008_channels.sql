-- Channels this account is in, and their posts as far as this device has pulled them
-- (`synced_seq`: the channel log position the posts are complete up to).
CREATE TABLE channels (
    id          INTEGER PRIMARY KEY,
    handle      TEXT,
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    language    TEXT    NOT NULL,
    subscribers INTEGER NOT NULL,
    last_seq    INTEGER NOT NULL,
    synced_seq  INTEGER NOT NULL DEFAULT 0,
    pinned_seq  INTEGER,
    -- 0 owner, 1 admin, 2 subscriber
    role        INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE channel_posts (
    id          INTEGER PRIMARY KEY,
    channel_id  INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    changed_seq INTEGER NOT NULL,
    text        TEXT    NOT NULL,
    sent_at     INTEGER NOT NULL,
    edited_at   INTEGER,
    deleted     INTEGER NOT NULL DEFAULT 0,
    views       INTEGER NOT NULL DEFAULT 0,
    -- This device told the server the post was on screen (each post once).
    viewed      INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX channel_posts_by_seq ON channel_posts(channel_id, seq);

CREATE VIRTUAL TABLE channel_posts_fts USING fts5(
    text,
    content = 'channel_posts',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER channel_posts_fts_insert AFTER INSERT ON channel_posts BEGIN
    INSERT INTO channel_posts_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER channel_posts_fts_delete AFTER DELETE ON channel_posts BEGIN
    INSERT INTO channel_posts_fts(channel_posts_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER channel_posts_fts_update AFTER UPDATE OF text ON channel_posts BEGIN
    INSERT INTO channel_posts_fts(channel_posts_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO channel_posts_fts(rowid, text) VALUES (new.id, new.text);
END;
