-- Schema 13: the account's chat folders in tab order (postcard of Vec<Folder>; NULL: none).
ALTER TABLE accounts ADD COLUMN folders BLOB;
