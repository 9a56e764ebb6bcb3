-- This account's own business profile (postcard-encoded), as the server last had it:
-- its devices answer new contacts with it (see business.rs). One row at most.
CREATE TABLE own_business_profile (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    profile BLOB    NOT NULL
);
