-- Survey collection: programs, users, single-use links and anonymous responses.
CREATE TABLE programs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL,
    min_responses INTEGER NOT NULL DEFAULT 5 CHECK (min_responses >= 3),
    created_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX programs_name_key ON programs (lower(name));

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'director', 'resident')),
    program_id    INTEGER REFERENCES programs (id),
    pgy_year      INTEGER CHECK (pgy_year BETWEEN 1 AND 7),
    password_hash TEXT NOT NULL DEFAULT '',
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_program ON users (program_id, role);

-- A link keeps its status and the week it was completed, never a time or
-- anything that could point at the response it produced.
CREATE TABLE invitations (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash         TEXT NOT NULL UNIQUE,
    resident_id        INTEGER NOT NULL REFERENCES users (id),
    program_id         INTEGER NOT NULL REFERENCES programs (id),
    meeting_date       TEXT,
    instrument_key     TEXT NOT NULL,
    instrument_version INTEGER NOT NULL,
    status             TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'expired', 'declined')),
    expires_at         TIMESTAMP NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    completed_week     TEXT
);
CREATE INDEX invitations_resident ON invitations (resident_id, created_at);
CREATE INDEX invitations_pending_expiry ON invitations (expires_at) WHERE status = 'pending';

-- A response has a random id (no order), no link reference, no IP, no user
-- agent and no time finer than its ISO week. WITHOUT ROWID: SQLite's hidden
-- rowid would otherwise record insertion order.
CREATE TABLE responses (
    id                 TEXT PRIMARY KEY,
    resident_id        INTEGER NOT NULL REFERENCES users (id),
    program_id         INTEGER NOT NULL REFERENCES programs (id),
    instrument_key     TEXT NOT NULL,
    instrument_version INTEGER NOT NULL,
    week               TEXT NOT NULL,
    answers            TEXT NOT NULL,
    keep_doing         TEXT,
    next_time          TEXT
) WITHOUT ROWID;
CREATE INDEX responses_resident_week ON responses (resident_id, week);
