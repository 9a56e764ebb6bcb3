-- Schema 10: what an account says about itself. Empty: none (clients show the username).
ALTER TABLE accounts ADD COLUMN display_name TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN bio TEXT NOT NULL DEFAULT '';
