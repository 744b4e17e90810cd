-- Meetings and the email delivery of their survey links (issue 5).
-- Per-program delivery settings: when to remind, how often, and how long a
-- link stays open.
ALTER TABLE programs ADD COLUMN reminder_after_days INTEGER NOT NULL DEFAULT 3 CHECK (reminder_after_days BETWEEN 1 AND 60);
ALTER TABLE programs ADD COLUMN max_reminders INTEGER NOT NULL DEFAULT 1 CHECK (max_reminders BETWEEN 0 AND 5);
ALTER TABLE programs ADD COLUMN link_lifetime_days INTEGER NOT NULL DEFAULT 14 CHECK (link_lifetime_days BETWEEN 1 AND 60);

-- A meeting owns one link. The mentee's email and name, and the link's token
-- sealed with the server key, live here only while the link is pending; they
-- are erased when it is completed, declined or expired (or when delivery has
-- nothing left to send). dedupe_key is a keyed hash of (resident, lower(mentee
-- email), meeting date) so that importing the same row twice never sends
-- twice, even after the email itself is gone. No column here, nor in
-- invitations, can point at a response.
CREATE TABLE meetings (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id     INTEGER NOT NULL REFERENCES users (id),
    program_id      INTEGER NOT NULL REFERENCES programs (id),
    invitation_id   INTEGER NOT NULL UNIQUE REFERENCES invitations (id),
    meeting_date    TEXT NOT NULL,
    mentee_email    TEXT,
    mentee_name     TEXT,
    sealed_token    TEXT,
    dedupe_key      TEXT,
    delivery_status TEXT NOT NULL CHECK (delivery_status IN ('none', 'queued', 'sent', 'failed', 'reminded', 'completed', 'declined', 'expired')),
    reminders_sent  INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    sent_at         TIMESTAMP,
    created_at      TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX meetings_dedupe_key ON meetings (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX meetings_program_status ON meetings (program_id, delivery_status);
CREATE INDEX meetings_resident ON meetings (resident_id, created_at);

-- Server-generated secrets, used only when MENTORPULSE_SECRET_KEY is unset.
CREATE TABLE app_secrets (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
