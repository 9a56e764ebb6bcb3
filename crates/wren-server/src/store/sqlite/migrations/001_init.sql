-- Accounts, devices, chats, chat logs and per-account update logs.

CREATE TABLE accounts (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    password_hash TEXT    NOT NULL,
    -- The newest position in this account's update log.
    pts           INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE devices (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    name         TEXT    NOT NULL,
    -- SHA-256 of the bearer token; the token itself is never stored.
    token_hash   BLOB    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE INDEX devices_by_account ON devices(account_id);

CREATE TABLE chats (
    id         INTEGER PRIMARY KEY,
    -- 0 = direct, 1 = group
    kind       INTEGER NOT NULL,
    title      TEXT    NOT NULL,
    last_seq   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    -- For direct chats: "low:high" account ids, so a pair has one chat.
    direct_key TEXT UNIQUE
);

CREATE TABLE members (
    chat_id    INTEGER NOT NULL REFERENCES chats(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    -- 0 = admin, 1 = member
    role       INTEGER NOT NULL,
    -- The chat-log position at which this member joined; orders members by seniority.
    joined_seq INTEGER NOT NULL,
    read_seq   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, account_id)
) WITHOUT ROWID;
CREATE INDEX members_by_account ON members(account_id);

-- The chat logs: messages (kind 0, in their current state) and chat events.
CREATE TABLE chat_log (
    chat_id       INTEGER NOT NULL REFERENCES chats(id),
    seq           INTEGER NOT NULL,
    -- 0 message, 1 edit, 2 delete, 3 member added, 4 member removed, 5 renamed, 6 created
    kind          INTEGER NOT NULL,
    -- The sender or the actor.
    actor         INTEGER NOT NULL,
    client_msg_id INTEGER,
    payload       BLOB,
    reply_to      INTEGER,
    -- Edit/delete: the message's seq; member events: the account.
    target        INTEGER,
    -- Rename: the new title.
    text          TEXT,
    -- Member added: the role given.
    role          INTEGER,
    created_at    INTEGER NOT NULL,
    edited_at     INTEGER,
    deleted       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (chat_id, seq)
);
CREATE UNIQUE INDEX chat_log_client_msg ON chat_log(actor, client_msg_id) WHERE kind = 0;

-- The account update logs: small pointer rows, no payload copies.
CREATE TABLE updates (
    account_id INTEGER NOT NULL,
    pts        INTEGER NOT NULL,
    -- 0 new message, 1 edited, 2 deleted, 3 chat joined, 4 member added,
    -- 5 member removed, 6 renamed, 7 read mark
    kind       INTEGER NOT NULL,
    chat_id    INTEGER NOT NULL,
    -- The chat-log position of the event (read marks: the position read up to).
    seq        INTEGER NOT NULL,
    -- Read marks: the reader.
    extra      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, pts)
) WITHOUT ROWID;
