-- Anonymity that holds (issue 10): release windows, distinct mentees, a
-- holding table and a mixer, and nothing that joins a response to its link.
-- See docs/privacy.md for the mechanism and docs/reports.md for the rule.

-- Windows and the release rule are program settings. min_mentees can never
-- be lowered below 3: fewer people cannot hide one of them.
ALTER TABLE programs ADD COLUMN release_window TEXT NOT NULL DEFAULT 'quarter' CHECK (release_window IN ('month', 'quarter', 'half'));
ALTER TABLE programs ADD COLUMN academic_year_start_month INTEGER NOT NULL DEFAULT 7 CHECK (academic_year_start_month BETWEEN 1 AND 12);
ALTER TABLE programs ADD COLUMN min_mentees INTEGER NOT NULL DEFAULT 3 CHECK (min_mentees >= 3);

-- A link keeps its status only. mentee_key is a keyed pseudonym of the
-- rostered mentee the link is for (HMAC under the server key), erased from
-- the link by the claim that answers it.
ALTER TABLE invitations ADD COLUMN mentee_key TEXT;
UPDATE invitations SET completed_week = NULL WHERE completed_week IS NOT NULL;
ALTER TABLE invitations DROP COLUMN completed_week;

-- Answers wait here from the claim until the mixer moves them into
-- responses in shuffled batches, in a transaction of its own. No report
-- ever reads this table.
CREATE TABLE held_responses (
    id                 TEXT PRIMARY KEY,
    resident_id        BIGINT NOT NULL REFERENCES users (id),
    program_id         BIGINT NOT NULL REFERENCES programs (id),
    window_id          TEXT NOT NULL,
    instrument_key     TEXT NOT NULL,
    instrument_version INTEGER NOT NULL,
    answers            TEXT NOT NULL,
    keep_doing         TEXT,
    next_time          TEXT
);

-- One row per distinct mentee who answered about a resident in a window,
-- while the window's answers are unreleased: the SHA-256 of the link's
-- mentee_key and the resident. Deleted when the group is released.
CREATE TABLE window_mentees (
    resident_id BIGINT NOT NULL REFERENCES users (id),
    window_id   TEXT NOT NULL,
    mentee_hash TEXT NOT NULL,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    PRIMARY KEY (resident_id, window_id, mentee_hash)
);

-- One row per released group of a resident's responses: the window whose
-- close released it, the first and last windows it spans, and how many
-- responses and distinct mentees it rests on (mentees 0: released before
-- mentees were counted, so reports withhold it).
CREATE TABLE report_releases (
    id           BIGSERIAL PRIMARY KEY,
    resident_id  BIGINT NOT NULL REFERENCES users (id),
    program_id   BIGINT NOT NULL REFERENCES programs (id),
    window_id    TEXT NOT NULL,
    first_window TEXT NOT NULL,
    last_window  TEXT NOT NULL,
    responses    INTEGER NOT NULL,
    mentees      INTEGER NOT NULL
);
CREATE UNIQUE INDEX report_releases_resident_window ON report_releases (resident_id, window_id);
CREATE INDEX report_releases_program ON report_releases (program_id, window_id);

-- The last closed window at which each resident's unreleased responses
-- were judged: the release job's guard, so that several instances judge a
-- window once.
CREATE TABLE report_judged (
    resident_id BIGINT PRIMARY KEY REFERENCES users (id),
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    window_id   TEXT NOT NULL
);

-- Data from before windows: every program starts with quarters from July,
-- so each month maps to its quarter. Dropped at the end.
CREATE TABLE legacy_windows (month TEXT PRIMARY KEY, window_id TEXT NOT NULL);
WITH RECURSIVE m (i) AS (SELECT 2000 * 12 UNION ALL SELECT i + 1 FROM m WHERE i < 2100 * 12)
INSERT INTO legacy_windows (month, window_id) SELECT lpad((i) / 12 || '', 4, '0') || '-' || lpad((i) % 12 + 1 || '', 2, '0'), lpad((i - (((i - 6) % 3) + 3) % 3) / 12 || '', 4, '0') || '-' || lpad((i - (((i - 6) % 3) + 3) % 3) % 12 + 1 || '', 2, '0') FROM m;

INSERT INTO report_releases (resident_id, program_id, window_id, first_window, last_window, responses, mentees)
SELECT b.resident_id, max(b.program_id), w.window_id, w.window_id, w.window_id, sum(b.responses), 0
FROM report_batches b JOIN legacy_windows w ON w.month = b.month
GROUP BY b.resident_id, w.window_id;

-- Responses keep their window only: no week, no time, no batch number. The
-- table is rebuilt so that no old row order (PostgreSQL ctid, SQLite page
-- order) survives: rows go in by their random id. Unreleased responses take
-- the quarter of their week's approximate month.
CREATE TABLE responses_windowed (
    id                 TEXT PRIMARY KEY,
    resident_id        BIGINT NOT NULL REFERENCES users (id),
    program_id         BIGINT NOT NULL REFERENCES programs (id),
    instrument_key     TEXT NOT NULL,
    instrument_version INTEGER NOT NULL,
    window_id          TEXT NOT NULL,
    answers            TEXT NOT NULL,
    keep_doing         TEXT,
    next_time          TEXT,
    release_id         BIGINT REFERENCES report_releases (id)
);
INSERT INTO responses_windowed (id, resident_id, program_id, instrument_key, instrument_version, window_id, answers, keep_doing, next_time, release_id)
SELECT r.id, r.resident_id, r.program_id, r.instrument_key, r.instrument_version,
       coalesce(rel.window_id, (SELECT window_id FROM legacy_windows WHERE month = substr(r.week, 1, 4) || '-' || lpad(LEAST(12, 1 + (CAST(substr(r.week, 7, 2) AS INTEGER) * 7 - 4) * 12 / 365) || '', 2, '0'))),
       r.answers, r.keep_doing, r.next_time, rel.id
FROM responses r
LEFT JOIN report_batches b ON b.resident_id = r.resident_id AND b.batch = r.batch
LEFT JOIN legacy_windows bw ON bw.month = b.month
LEFT JOIN report_releases rel ON rel.resident_id = r.resident_id AND rel.window_id = bw.window_id
ORDER BY r.id;
DROP TABLE responses;
ALTER TABLE responses_windowed RENAME TO responses;
CREATE INDEX responses_resident_release ON responses (resident_id, release_id);

-- Released tallies per resident, release window and item.
CREATE TABLE report_released_windowed (
    resident_id BIGINT NOT NULL REFERENCES users (id),
    window_id   TEXT NOT NULL,
    item        TEXT NOT NULL,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    attribute   TEXT NOT NULL,
    n1 INTEGER NOT NULL, n2 INTEGER NOT NULL, n3 INTEGER NOT NULL, n4 INTEGER NOT NULL, n5 INTEGER NOT NULL,
    na INTEGER NOT NULL,
    PRIMARY KEY (resident_id, window_id, item)
);
INSERT INTO report_released_windowed (resident_id, window_id, item, program_id, attribute, n1, n2, n3, n4, n5, na)
SELECT r.resident_id, w.window_id, r.item, max(r.program_id), max(r.attribute), sum(r.n1), sum(r.n2), sum(r.n3), sum(r.n4), sum(r.n5), sum(r.na)
FROM report_released r JOIN legacy_windows w ON w.month = r.month
GROUP BY r.resident_id, w.window_id, r.item;
DROP TABLE report_released;
ALTER TABLE report_released_windowed RENAME TO report_released;
CREATE INDEX report_released_program ON report_released (program_id, window_id);

-- Links per resident and window: made in the window, answered in the
-- window, declined in the window. Counts only, shown for closed windows.
CREATE TABLE window_links (
    resident_id BIGINT NOT NULL REFERENCES users (id),
    window_id   TEXT NOT NULL,
    program_id  BIGINT NOT NULL REFERENCES programs (id),
    created     INTEGER NOT NULL,
    completed   INTEGER NOT NULL,
    declined    INTEGER NOT NULL,
    PRIMARY KEY (resident_id, window_id)
);
CREATE INDEX window_links_program ON window_links (program_id, window_id);
INSERT INTO window_links (resident_id, window_id, program_id, created, completed, declined)
SELECT l.resident_id, w.window_id, max(l.program_id), sum(l.created), sum(l.completed), sum(l.declined)
FROM link_stats l JOIN legacy_windows w ON w.month = l.month
GROUP BY l.resident_id, w.window_id;

DROP TABLE legacy_windows;
DROP TABLE link_stats;
DROP TABLE report_batches;
DROP TABLE report_months;
DROP TABLE report_counters;
