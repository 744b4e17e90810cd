-- The mentee roster (issue 10): only a rostered mentee can be sent a survey
-- link, and only to their own inbox.

-- Addresses in these domains (comma-separated, lower case, e.g.
-- "med.example.edu,student.example.edu") are accepted as mentees on first use
-- and added to the roster; any other address must be on it already.
ALTER TABLE programs ADD COLUMN mentee_email_domains TEXT NOT NULL DEFAULT '';

-- A program's mentees. email is stored normalized (lower case). status is
-- 'pending_approval' for an address a director added outside the program's
-- domains, until an admin who is not that director approves it; no link can
-- go to a pending or inactive mentee. added_by is the user who added the row,
-- NULL for the operator or a domain address added on first use.
CREATE TABLE mentees (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id INTEGER NOT NULL REFERENCES programs (id),
    email      TEXT NOT NULL CHECK (email = lower(email)),
    name       TEXT,
    status     TEXT NOT NULL CHECK (status IN ('active', 'pending_approval', 'inactive')),
    added_by   INTEGER REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (program_id, email)
);
CREATE INDEX mentees_email ON mentees (email);

-- The rostered mentee a meeting's link is for: kept while the link is
-- pending, erased with the mentee's contact details when it closes.
ALTER TABLE meetings ADD COLUMN mentee_id INTEGER REFERENCES mentees (id);

-- A resident's QR request code (GET /r/{code}): 128 random bits, stored as
-- their SHA-256 only. One per resident; a new one replaces the old.
CREATE TABLE resident_codes (
    resident_id INTEGER PRIMARY KEY REFERENCES users (id),
    code_hash   TEXT NOT NULL UNIQUE,
    created_at  TIMESTAMP NOT NULL
);
