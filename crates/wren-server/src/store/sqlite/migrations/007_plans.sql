-- Plans. An account without a row is on Free; a Business plan may end (`until`, Unix ms).
CREATE TABLE plans (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
    -- 1 = Business
    plan       INTEGER NOT NULL,
    until      INTEGER
);

-- Business profiles (postcard-encoded `BusinessProfile`), shown while the plan lasts.
CREATE TABLE business_profiles (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
    profile    BLOB NOT NULL
);
