-- Second factor (docs/accounts.md, "Second factor").
--
-- A user's TOTP secret, sealed with AES-256-GCM under a key derived from
-- MENTORPULSE_SECRET_KEY (or a stored secret when none is set; see
-- models/totp_seal.go) and bound to the user's id. secret is the confirmed
-- secret (NULL until the first confirmation); pending_secret is one shown
-- on the enrolment page and not yet confirmed. last_step is the RFC 6238
-- time step of the last code accepted, so that a code is refused the second
-- time it is typed.
CREATE TABLE second_factors (
    user_id            INTEGER PRIMARY KEY REFERENCES users (id),
    secret             TEXT,
    pending_secret     TEXT,
    last_step          INTEGER NOT NULL DEFAULT 0,
    enrolled_at        TIMESTAMP,
    updated_at         TIMESTAMP NOT NULL
);

-- Ten single-use recovery codes per user, shown once. code_hash is the hex
-- SHA-256 of the code: codes are 80 random bits, too many to try from a
-- copy of the database, so a slow hash would add nothing. used_at is set
-- when a code is spent.
CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    code_hash  TEXT NOT NULL UNIQUE,
    used_at    TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- A sign-in that passed its first step (password or single sign-on) and
-- waits for a code (stage 'code') or for enrolment (stage 'enrol'). Found by
-- the SHA-256 of a short-lived cookie, like sessions; it is never a session.
CREATE TABLE pending_sign_ins (
    id_hash    TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    stage      TEXT NOT NULL CHECK (stage IN ('code', 'enrol')),
    method     TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX pending_sign_ins_user ON pending_sign_ins (user_id);

-- Who must have a second factor: nobody, the program's directors, or all
-- its staff (directors and residents).
ALTER TABLE programs ADD COLUMN require_second_factor_for TEXT NOT NULL DEFAULT 'none'
    CHECK (require_second_factor_for IN ('none', 'directors', 'staff'));
