-- Safety numbers the user verified, per contact. The contact shows as verified while the
-- current number is this one; a different one (a new device, a changed key) warns.
CREATE TABLE verified_contacts (
    account_id    INTEGER PRIMARY KEY,
    safety_number TEXT NOT NULL
);
