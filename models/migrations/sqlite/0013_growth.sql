-- The growth loop: a resident's self-assessment once per release window and
-- their goals. Both are the resident's own words about themselves: neither
-- names a response, a link, a meeting or a mentee, and nothing here is read
-- by any report of mentee figures (docs/privacy.md, "Goals and
-- self-assessments").

-- One self-assessment per resident and window, on the instrument that was
-- the program's current one when it was first saved (kept on every edit).
-- ratings is a JSON object, item key -> 1..5 or null (not applicable).
CREATE TABLE self_assessments (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id        INTEGER NOT NULL REFERENCES users (id),
    program_id         INTEGER NOT NULL REFERENCES programs (id),
    window_id          TEXT NOT NULL,
    instrument_key     TEXT NOT NULL,
    instrument_version INTEGER NOT NULL,
    ratings            TEXT NOT NULL,
    shared             BOOLEAN NOT NULL DEFAULT FALSE,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    UNIQUE (resident_id, window_id)
);

-- A goal: a target (an attribute or an item key), the resident's sentence,
-- their actions (a JSON array of strings), a review date, and once reviewed
-- an outcome and a reflection. set_in_window is the release window it was
-- set in; its before/after figures are computed from released reports.
CREATE TABLE goals (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    resident_id   INTEGER NOT NULL REFERENCES users (id),
    program_id    INTEGER NOT NULL REFERENCES programs (id),
    target_kind   TEXT NOT NULL CHECK (target_kind IN ('attribute', 'item')),
    target_key    TEXT NOT NULL,
    text          TEXT NOT NULL,
    actions       TEXT NOT NULL,
    review_date   TEXT NOT NULL,
    set_in_window TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    outcome       TEXT CHECK (outcome IN ('achieved', 'continuing', 'dropped')),
    reflection    TEXT,
    reviewed_at   TIMESTAMP,
    shared        BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX goals_resident ON goals (resident_id);
