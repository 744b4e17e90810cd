-- Accounts: server-side sessions, personal API tokens, set-password links,
-- directors of several programs, and the append-only audit log.

-- A session is found by the SHA-256 of its cookie value; the value itself is
-- never stored. expires_at is the absolute limit; idle expiry is computed from
-- last_seen_at, which is touched at most once a minute.
CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Personal API tokens, shown once and stored hashed. Revoked tokens are kept
-- so their owner can see what existed and when it was last used.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Single-use links to set a password: "setup" for a new account, "reset" for
-- a forgotten password. Stored hashed like survey tokens.
CREATE TABLE password_links (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    purpose    TEXT NOT NULL CHECK (purpose IN ('setup', 'reset')),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX password_links_user ON password_links (user_id);

-- A director may lead several programs; users.program_id stays their primary.
CREATE TABLE program_directors (
    program_id INTEGER NOT NULL REFERENCES programs (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (program_id, user_id)
);
CREATE INDEX program_directors_user ON program_directors (user_id);
INSERT INTO program_directors (program_id, user_id)
    SELECT program_id, id FROM users WHERE role = 'director' AND program_id IS NOT NULL;

-- Who did what, when. No foreign keys: the log must outlive anything it
-- mentions. Triggers make it append-only.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TIMESTAMP NOT NULL,
    actor_id   INTEGER,
    action     TEXT NOT NULL,
    target     TEXT NOT NULL DEFAULT '',
    program_id INTEGER,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_program ON audit_log (program_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
