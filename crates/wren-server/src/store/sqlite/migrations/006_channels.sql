-- Broadcast channels. A post is a constant number of row writes whatever the audience:
-- the post row and the channel row (its last_seq). Subscribers pull the channel's log
-- (`channel_posts` by `changed_seq`); nothing is written per subscriber per post.

CREATE TABLE channels (
    id          INTEGER PRIMARY KEY,
    -- Lower case; NULL for a private channel.
    handle      TEXT UNIQUE,
    title       TEXT    NOT NULL,
    description TEXT    NOT NULL,
    topic       TEXT    NOT NULL,
    language    TEXT    NOT NULL,
    owner_id    INTEGER NOT NULL REFERENCES accounts(id),
    -- The newest position in the channel's log (posts, edits, deletes, pins).
    last_seq    INTEGER NOT NULL DEFAULT 0,
    pinned_seq  INTEGER,
    subscribers INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL
);
CREATE INDEX channels_by_owner ON channels(owner_id);
CREATE INDEX channels_by_subscribers ON channels(subscribers DESC, id);

-- Who is in a channel. 0 = owner, 1 = admin, 2 = subscriber.
CREATE TABLE channel_members (
    channel_id INTEGER NOT NULL REFERENCES channels(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    role       INTEGER NOT NULL,
    joined_at  INTEGER NOT NULL,
    PRIMARY KEY (channel_id, account_id)
) WITHOUT ROWID;
CREATE INDEX channel_members_by_account ON channel_members(account_id);

-- Posts in their current state. `seq`: the position given when posted; `changed_seq`:
-- the position of the newest change (what a difference pages by).
CREATE TABLE channel_posts (
    channel_id    INTEGER NOT NULL REFERENCES channels(id),
    seq           INTEGER NOT NULL,
    changed_seq   INTEGER NOT NULL,
    author_id     INTEGER NOT NULL,
    client_msg_id INTEGER NOT NULL,
    text          TEXT    NOT NULL,
    sent_at       INTEGER NOT NULL,
    edited_at     INTEGER,
    deleted       INTEGER NOT NULL DEFAULT 0,
    views         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (channel_id, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX channel_posts_by_change ON channel_posts(channel_id, changed_seq);
CREATE UNIQUE INDEX channel_posts_by_client_msg ON channel_posts(author_id, client_msg_id);

-- Who has seen a post, so that each account counts once; written in batches by the
-- view counter, never one transaction per view.
CREATE TABLE post_views (
    channel_id INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    account_id INTEGER NOT NULL,
    PRIMARY KEY (channel_id, seq, account_id)
) WITHOUT ROWID;

-- Invite links of channels: the token's SHA-256 only.
CREATE TABLE channel_invites (
    token_hash BLOB    PRIMARY KEY,
    channel_id INTEGER NOT NULL REFERENCES channels(id),
    created_by INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
) WITHOUT ROWID;

-- The directory's full-text index of public channels.
CREATE VIRTUAL TABLE channels_fts USING fts5(
    title, handle, description, topic,
    content = 'channels', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER channels_fts_insert AFTER INSERT ON channels WHEN new.handle IS NOT NULL BEGIN
    INSERT INTO channels_fts (rowid, title, handle, description, topic)
    VALUES (new.id, new.title, new.handle, new.description, new.topic);
END;
