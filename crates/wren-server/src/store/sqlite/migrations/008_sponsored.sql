-- Sponsored messages. Campaigns hold what their advertiser asked for and counts; the
-- channels they were shown in hold counts. Nothing records who saw, clicked or reported
-- a sponsored message.
CREATE TABLE campaigns (
    id            INTEGER PRIMARY KEY,
    advertiser_id INTEGER NOT NULL REFERENCES accounts(id),
    -- The `NewCampaign`, postcard-encoded.
    spec          BLOB    NOT NULL,
    -- ",topic,topic," and ",en,fr,"; empty: any.
    topics        TEXT    NOT NULL,
    languages     TEXT    NOT NULL,
    budget        INTEGER NOT NULL,
    shown         INTEGER NOT NULL DEFAULT 0,
    clicks        INTEGER NOT NULL DEFAULT 0,
    reports       INTEGER NOT NULL DEFAULT 0,
    stopped       INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);
CREATE INDEX campaigns_by_advertiser ON campaigns(advertiser_id);

-- Sponsored messages shown per channel: the owner's revenue share is counted from this.
CREATE TABLE channel_sponsored (
    channel_id INTEGER PRIMARY KEY REFERENCES channels(id),
    shown      INTEGER NOT NULL DEFAULT 0
);
